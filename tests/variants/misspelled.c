/* A variant file with a misspelled name: 6.2's free under the name
 * __free_page (the kernel's macro for order 0), beside a put_page that is
 * spelled right.  The prelude renames only the interface's names, so the
 * ops never call __free_page: check-variant must say it is never reached,
 * at its line (status 2). */
#include <linux/mm.h>

void __free_page(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}

void put_page(struct page *page)
{
	struct folio *folio = page_folio(page);

	if (put_devmap_managed_page(&folio->page))
		return;
	folio_put(folio);
}
