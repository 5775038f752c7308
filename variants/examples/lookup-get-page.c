/* lookup-get-page.c: a broken lookup, no kernel's: find-get-entry-5.x.c with
 * get_page where the speculative page_cache_get_speculative was (the one
 * hunk of the body in `diff find-get-entry-5.x.c lookup-get-page.c`).
 *
 * A lockless lookup holds no reference when it loads the slot, so the page
 * may reach a count of zero and be freed before the get; get_page raises
 * it from zero anyway.  pagerace reports "used after it was freed" at the
 * get_page: explore on the story program finds it from 1 preemption on
 * (1 of 9 schedules at 1; clean at 0).
 *
 *	build/pagerace explore --variant-file variants/examples/lookup-get-page.c \
 *		--preemptions 1 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * pagerace-expect: use-after-free
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

	/* The bug: an unconditional get, though nothing pins the page. */
	get_page(page);

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
