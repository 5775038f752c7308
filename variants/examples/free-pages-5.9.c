/* free-pages-5.9.c: __free_pages of 5.0 to 5.9, after 742aa7fb52c5
 * ("mm/page_alloc.c: use a single function to free page") and before
 * e320d3012d25.  The same code as the built-in variant v5.9
 * (variants/v5.9.c), repeated here on purpose as a standalone example to
 * copy from; --variant v5.9 runs the built-in one.
 *
 * A put that is not the last frees nothing, so when a lookup's speculative
 * reference is the last one on page 0 of a non-compound block, its
 * put_page frees page 0 at order 0 and the tail pages are lost: the LKML
 * thread of 12 January 2021.  pagerace: explore on the story program
 * reports lost-pages 3 from 3 preemptions on (2 of 28 schedules at 3;
 * clean at 2); the compound CVE program is clean.
 *
 *	build/pagerace explore --variant-file variants/examples/free-pages-5.9.c \
 *		--preemptions 3 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * 5.9's free_the_page comes with it (static inline in the kernel; a file
 * may define it, shim/linux/gfp.h): order 0 to the per-cpu lists, the
 * rest to __free_pages_ok.
 *
 * pagerace-expect: lost-pages
 */
#include <linux/mm.h>

void free_the_page(struct page *page, unsigned int order)
{
	/* Single pages take the per-cpu path, blocks the buddy's own. */
	if (order == 0)
		free_unref_page(page);
	else
		__free_pages_ok(page, order);
}

void __free_pages(struct page *page, unsigned int order)
{
	/* Only the last reference frees; an earlier put frees nothing. */
	if (put_page_testzero(page))
		free_the_page(page, order);
}
