/* variant.c: finding a built-in variant (the table, variants[], is
 * generated from the files in variants/ by scripts/variants.sh), and the dispatch of
 * the ops to a variant's functions.
 * Entry points: variant_by_name, variant_lookup.
 */
#include <string.h>

#include "variant/variant.h"

const char *const variant_fn_names[NR_VF] = {
	[VF_FREE_PAGES] = "__free_pages",
	[VF_PUT_PAGE] = "put_page",
	[VF_FIND_GET_ENTRY] = "find_get_entry",
	[VF_FILEMAP_GET_ENTRY] = "filemap_get_entry",
};

bool variant_defines(const struct variant *v, enum variant_fn fn)
{
	const void *fns[NR_VF] = {
		[VF_FREE_PAGES] = (const void *)v->free_pages,
		[VF_PUT_PAGE] = (const void *)v->put_page,
		[VF_FIND_GET_ENTRY] = (const void *)v->find_get_entry,
		[VF_FILEMAP_GET_ENTRY] = (const void *)v->filemap_get_entry,
	};

	return fns[fn] != v->dflt[fn];
}

/* The 5.x lookup returns a page, the 6.x one a folio: the file's if it
 * defines one, else 6.2's. */
struct page *variant_lookup(const struct variant *v, pgoff_t index)
{
	struct folio *folio;

	if (variant_defines(v, VF_FIND_GET_ENTRY))
		return v->find_get_entry(&pr_mm->mapping, index);
	folio = v->filemap_get_entry(&pr_mm->mapping, index);
	return folio ? &folio->page : NULL;
}

const struct variant *variant_by_name(const char *name, int len)
{
	for (int i = 0; i < NR_VARIANTS; i++)
		if ((int)strlen(variants[i]->name) == len && !memcmp(variants[i]->name, name, len))
			return variants[i];
	return NULL;
}

int variant_index(const struct variant *v)
{
	for (int i = 0; i < NR_VARIANTS; i++)
		if (variants[i] == v)
			return i;
	return -1;
}
