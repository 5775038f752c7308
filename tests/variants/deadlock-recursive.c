/* deadlock-recursive.c: a __free_pages that takes its lock and calls a
 * put_page that takes the same lock: the cpu spins on a lock it holds
 * itself, the verdict deadlock at once, at the second spin_lock. */
#include <linux/mm.h>

static DEFINE_SPINLOCK(ref_lock);

void put_page(struct page *page)
{
	spin_lock(&ref_lock);
	if (put_page_testzero(page)) {
		spin_unlock(&ref_lock);
		free_the_page(page, 0);
		return;
	}
	spin_unlock(&ref_lock);
}

void __free_pages(struct page *page, unsigned int order)
{
	spin_lock(&ref_lock);
	if (page_ref_count(page) == 1) {
		spin_unlock(&ref_lock);
		put_page(page);
		return;
	}
	put_page(page);
	spin_unlock(&ref_lock);
}
