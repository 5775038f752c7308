/* A variant file whose debug check is wrong: BUG_ON for any order above
 * 1, which every order-2 free trips, race or not.  check-variant's smoke
 * program frees an order-2 block and must report the BUG (status 2). */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	BUG_ON(order > 1);
	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
