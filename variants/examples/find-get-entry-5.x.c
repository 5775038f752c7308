/* find-get-entry-5.x.c: the lockless page-cache lookup of mm/filemap.c in
 * the xarray era before 5.10 (find_get_entry, about 4.20 to 5.9): load the
 * slot, take a speculative reference that fails on a count of zero, and
 * load the slot again; a page that moved is put back and the lookup starts
 * over.  willy's "mm: Convert find_get_entry to return the head page"
 * dropped the final find_subpage for 5.10.  The body is a third-party
 * copy of that code, its signature checked against that patch.
 *
 * pagerace finds nothing with 6.2's __free_pages and put_page beside it:
 * explore is clean on both story programs at 8 preemptions (69 schedules
 * each) and on every program of 2 cpus and 2 ops at 2 preemptions (159048
 * schedules).  lookup-get-page.c breaks it.
 *
 *	build/pagerace explore --variant-file variants/examples/find-get-entry-5.x.c \
 *		--preemptions 8 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * pagerace-expect: ok
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

struct page *find_get_entry(struct address_space *mapping, pgoff_t offset)
{
	XA_STATE(xas, &mapping->i_pages, offset);
	struct page *page;

	rcu_read_lock();
repeat:
	xas_reset(&xas);
	page = xas_load(&xas);
	if (xas_retry(&xas, page))
		goto repeat;
	/* Empty, or a value entry (shadow, swap): no reference to take. */
	if (!page || xa_is_value(page))
		goto out;

	/* Fails on a count of zero: the page is being freed, look again. */
	if (!page_cache_get_speculative(page))
		goto repeat;

	/* The reference may be on a page that left the slot (and maybe
	 * went to another owner) since the load: check, give it back. */
	if (unlikely(page != xas_reload(&xas))) {
		put_page(page);
		goto repeat;
	}
	page = find_subpage(page, offset);
out:
	rcu_read_unlock();

	return page;
}
