/* find-get-page-locked.c: the page-cache lookup before the lockless page
 * cache: 2.6.26's find_get_page, which looked the page up and took its
 * reference under read_lock_irq(&mapping->tree_lock), written in 6.x's
 * spelling of the mapping's lock, xa_lock_irq(&mapping->i_pages).  Nick
 * Piggin's lockless page cache (e286781d5f2e, 2.6.27) replaced it with the
 * speculative get and recheck of find-get-entry-5.x.c.  The tree_lock was
 * a reader-writer lock; the shim's is a spinlock, so two lookups exclude
 * each other here where the kernel let them run together, which changes
 * nothing a removal or an allocation can do.  __free_pages is 5.9's
 * (variants/v5.9.c), the put_page_testzero form of that era too.
 *
 * The removal empties the slot under the same lock (page_cache_delete,
 * as __delete_from_page_cache), so the lookup's get_page only ever meets a
 * page its slot still holds, with the cache's reference on it: the window
 * of 2021, a get on a page freed and reused, is closed.  explore is clean
 * on the story program at 4 preemptions (21 schedules; without the
 * reduction 25, every schedule there is: the lock leaves no more), where
 * the lockless lookup with the same __free_pages (--variant v5.9, 6.x's
 * lookup) loses pages from 3 on (2 of 36 at 4); and clean on every
 * program of 2 cpus and 2 ops at 2 preemptions (105215 schedules).
 *
 *	build/pagerace explore --variant-file variants/examples/find-get-page-locked.c \
 *		--preemptions 4 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * pagerace-expect: ok
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

struct page *find_get_entry(struct address_space *mapping, pgoff_t offset)
{
	XA_STATE(xas, &mapping->i_pages, offset);
	struct page *page;

	xa_lock_irq(&mapping->i_pages);
	page = xas_load(&xas);
	if (page)
		get_page(page);
	xa_unlock_irq(&mapping->i_pages);
	return page;
}

void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_the_page(page, order);
}
