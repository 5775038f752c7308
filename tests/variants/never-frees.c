/* A variant file that compiles, runs, and is wrong without any race: its
 * __free_pages drops the reference but never returns the block, so even
 * one cpu alone loses pages.  check-variant's smoke program, which a
 * correct kernel passes, must show it (status 2). */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	put_page_testzero(page);
}
