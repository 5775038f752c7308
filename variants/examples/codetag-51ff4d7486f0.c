#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_frozen_pages(page, order);
	else if (!head) {
		pgalloc_tag_sub_pages(page, (1 << order) - 1);
		while (order-- > 0)
			free_frozen_pages(page + (1 << order), order);
	}
}
