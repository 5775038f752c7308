/* A variant file that compiles and crashes: after its put, __free_pages
 * stores through a NULL pointer.  pagerace must name the cpu, the op and
 * the step the fault happened in, and end with status 2, not a core dump. */
#include <linux/mm.h>

static struct page *volatile no_page; /* NULL, and the compiler cannot tell */

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
	no_page->flags = 0; /* the fault */
}
