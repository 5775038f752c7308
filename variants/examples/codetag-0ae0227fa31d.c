#include <linux/mm.h>

void ___free_pages(struct page *page, unsigned int order,
			  fpi_t fpi_flags)
{
	int head = PageHead(page);
	struct alloc_tag *tag = pgalloc_tag_get(page);

	if (put_page_testzero(page))
		__free_frozen_pages(page, order, fpi_flags);
	else if (!head) {
		pgalloc_tag_sub_pages(tag, (1 << order) - 1);
		while (order-- > 0)
			__free_frozen_pages(page + (1 << order), order,
					    fpi_flags);
	}
}

void __free_pages(struct page *page, unsigned int order)
{
	___free_pages(page, order, FPI_NONE);
}
