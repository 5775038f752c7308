/* v6.2.c: the kernel of 6.2 on, and every variant's default.
 * __free_pages from 462a8e08e0e6 ("Fix page corruption caused by racy
 * check in __free_pages"): PageHead is read while our reference still pins
 * the page.  put_page as include/linux/mm.h has it in 6.2 (the folio form).
 * The lookup: 6.2's mm/filemap.c has it as the static mapping_get_entry,
 * exported as filemap_get_entry in 6.3; the accesses are the same.
 *
 * pagerace-expect: ok
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

void __free_pages(struct page *page, unsigned int order)
{
	/* Read while our reference still pins the page (462a8e08e0e6). */
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

void *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct folio *folio;

	rcu_read_lock();
repeat:
	xas_reset(&xas);
	folio = xas_load(&xas);
	if (xas_retry(&xas, folio))
		goto repeat;
	/* Shadow and swap entries come back as they are, no reference. */
	if (!folio || xa_is_value(folio))
		goto out;

	if (!folio_try_get_rcu(folio))
		goto repeat;

	if (unlikely(folio != xas_reload(&xas))) {
		folio_put(folio);
		goto repeat;
	}
out:
	rcu_read_unlock();

	return folio;
}
