/* deadlock-holds.c: 5.9's __free_pages counting its frees under a lock of
 * its own, with the unlock forgotten on the path of a put that was not the
 * last: it returns holding the lock.  The next cpu to free waits for it
 * forever: the verdict deadlock, naming the waiter, the line it waits at,
 * the lock and its holder, which ended its program holding it; under
 * stress the same, not a hang. */
#include <linux/mm.h>

static DEFINE_SPINLOCK(free_lock);
static unsigned long frees;

void __free_pages(struct page *page, unsigned int order)
{
	spin_lock(&free_lock);
	if (!put_page_testzero(page))
		return;
	frees++;
	spin_unlock(&free_lock);
	free_the_page(page, order);
}
