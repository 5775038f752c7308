/* racy-refcount.c: 6.2's __free_pages and put_page with their drop of the
 * refcount written as a plain read-modify-write: the same verdicts under
 * the deterministic scheduler (one point, the read, and the write in its
 * step), a data race for ThreadSanitizer against any other cpu's access to
 * the count.  The proof that the scheduler's baton hides no race.
 *
 * pagerace-expect: ok data-race
 */
#include <linux/mm.h>

/* The planted race: a plain store of what a relaxed read saw, less one. */
static int racy_put(struct page *page)
{
	int count = page_ref_count(page);

	page->_refcount.counter = count - 1;
	return count == 1;
}

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (racy_put(page))
		free_the_page(page, order);
	else if (!head)
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}

void put_page(struct page *page)
{
	if (racy_put(page))
		free_the_page(page, compound_order(page));
}
