/* A variant file that defines both lookups, 5.x's find_get_entry and 6.x's
 * filemap_get_entry: pagerace could not tell which one the ops should
 * call, and must refuse it (status 2). */
#include <linux/mm.h>
#include <linux/pagemap.h>

void *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct folio *folio;

repeat:
	folio = xas_load(&xas);
	if (!folio || xa_is_value(folio))
		return folio;
	if (!folio_try_get(folio))
		goto repeat;
	if (folio != xas_reload(&xas)) {
		folio_put(folio);
		goto repeat;
	}
	return folio;
}

struct page *find_get_entry(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = filemap_get_entry(mapping, index);

	return folio ? &folio->page : NULL;
}
