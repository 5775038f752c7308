/* free-pages-5.10.c: __free_pages after e320d3012d25 ("mm/page_alloc.c: fix
 * freeing non-compound pages"), 5.10 to 6.1 (and 5.9.y by backport).  The
 * same code as the built-in variant v5.10 (variants/v5.10.c), repeated
 * here on purpose as a standalone example.
 *
 * The fix of the 2021 leak: a put that was not the last frees the tail
 * blocks itself unless the page is a compound head.  It tests PageHead
 * after the put, when the reference no longer pins the page: the other
 * holder may have freed the compound page in between, PG_head is gone,
 * and the tails are freed twice (CVE-2023-52739).  pagerace: explore on
 * corpus/regressions/cve-2023-52739-compound.prog reports double-free
 * from 4 preemptions on (2 of 38 schedules at 4; clean at 3); the
 * story program is clean up to 8.
 *
 *	build/pagerace explore --variant-file variants/examples/free-pages-5.10.c \
 *		--preemptions 4 --out /tmp corpus/regressions/cve-2023-52739-compound.prog
 *
 * pagerace-expect: double-free
 */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_the_page(page, order);
	/* Not the last: our reference is gone, and PageHead reads a page
	 * that another holder may have freed meanwhile (the CVE). */
	else if (!PageHead(page))
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
