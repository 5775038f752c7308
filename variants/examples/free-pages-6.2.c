/* free-pages-6.2.c: __free_pages after 462a8e08e0e6 ("Fix page corruption
 * caused by racy check in __free_pages"), 6.2 on (until the allocation-tag
 * accounting of 2024 went in beside it).  The same code as the built-in
 * v6.2 (variants/v6.2.c), every variant's default, repeated here on
 * purpose as a standalone example.
 *
 * PageHead is read first, while the caller's reference still pins the
 * page, and the put decides the rest.  pagerace finds nothing: explore is
 * clean on both story programs at 8 preemptions (69 schedules each) and on
 * every program of 2 cpus and 2 ops at 2 preemptions (159048 schedules).
 *
 *	build/pagerace explore --all-programs --cpus 2 --ops 2 --preemptions 2 \
 *		--variant-file variants/examples/free-pages-6.2.c
 *
 * pagerace-expect: ok
 */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	/* Read first: our reference still pins the page. */
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
