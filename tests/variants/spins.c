/* A variant file that spins: after its put, __free_pages waits for a flag
 * that nothing ever sets, in a loop that touches no shared state and so
 * reaches no scheduling point.  pagerace must notice within about a
 * second, name the cpu, the op and the step, and end with status 2. */
#include <linux/mm.h>

static volatile int never_set;

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
	while (!never_set) /* the spin */
		;
}
