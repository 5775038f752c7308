/* racy-refcount.c: 6.2's __free_pages with its put written as a plain
 * read-modify-write of the refcount: the same verdicts under the
 * deterministic scheduler (one point, the read, and the write in its
 * step), a data race for ThreadSanitizer against every other cpu's atomic
 * on the count.  The proof that the scheduler's baton hides no race.
 */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);
	int count = page_ref_count(page);

	page->_refcount.counter = count - 1; /* the planted race */
	if (count == 1)
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
