/* A variant file that does not compile: PageHead takes one argument, and
 * line 8 passes two.  pagerace must show the compiler's FILE:LINE message
 * and say the variant does not compile (status 2). */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page, order);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
