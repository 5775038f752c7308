/* A variant file that compiles but defines none of the variant functions:
 * its free function has a name of its own, so pagerace would run 6.2's
 * unchanged.  check-variant must refuse it (status 2). */
#include <linux/mm.h>

void my_free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
