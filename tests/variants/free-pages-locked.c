/* free-pages-locked.c: 5.9's __free_pages with its decrement under a lock
 * of the file's own.  Two cpus that each allocate and free take alloc,
 * lock, dec each, the lock held from the lock step to the dec: 8 of the 20
 * orders keep the sections apart, 6 of them within one preemption when a
 * switch away from a cpu blocked at the lock is forced, not chosen (4 if
 * it were counted; tests/test_locks.c has the count). */
#include <linux/mm.h>

static DEFINE_SPINLOCK(free_lock);

void __free_pages(struct page *page, unsigned int order)
{
	bool last;

	spin_lock(&free_lock);
	last = put_page_testzero(page);
	spin_unlock(&free_lock);
	if (last)
		free_the_page(page, order);
}
