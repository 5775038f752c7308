/* bug-on.c: 6.2's __free_pages with the kernel's debug check of
 * put_page_testzero written out: VM_BUG_ON_PAGE on a count of zero.  A
 * second free of a block trips it: the verdict "bug", naming this file and
 * the line of the check. */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	VM_BUG_ON_PAGE(page_ref_count(page) == 0, page);
	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
