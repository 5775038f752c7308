/* v5.9.c: __free_pages as 5.0 to 5.9 had it (free_the_page since
 * 742aa7fb52c5; the same put_page_testzero form since the lockless page
 * cache of 2.6.27, e286781d5f2e).  Drop the reference, free the block only
 * if it was the last.  A speculative reference held meanwhile makes its
 * owner's put_page free page 0 at order 0: the rest of a non-compound block
 * is lost (LKML, 12 January 2021).
 *
 * pagerace-expect: lost-pages
 */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_the_page(page, order);
}
