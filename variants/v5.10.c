/* v5.10.c: __free_pages from e320d3012d25 ("mm/page_alloc.c: fix freeing
 * non-compound pages"), 5.10 to 6.1.  After a put that was not the last, a
 * page that is not a head frees its tails.  PageHead is read after the put:
 * by then the other holder may have freed a compound page, which clears
 * PG_head, and its tails are freed a second time (CVE-2023-52739).
 *
 * pagerace-expect: double-free
 */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!PageHead(page))
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
