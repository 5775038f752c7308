/* variant_defaults.c: compiled once beside each variant file, with the
 * same -DPR_VARIANT_ID (and -DPR_VARIANT_NAME, -DPR_VARIANT_PATH): weak
 * defaults for the functions the file does not define, each 6.2's, and
 * the struct variant that names them all.
 * Entry point: the struct variant pr_<id>_variant.
 */
#include "pagerace/prelude.h"
#include "variant/variant.h"

#define PR_DEFAULT(ret, name, params, call)                                    \
	static ret dflt_##name params { call; }                               \
	extern ret name params __attribute__((weak, alias("dflt_" #name)))

PR_DEFAULT(void, __free_pages, (struct page *page, unsigned int order),
	   pr_v6_2_variant.free_pages(page, order));
PR_DEFAULT(void, put_page, (struct page *page), pr_v6_2_variant.put_page(page));
PR_DEFAULT(void *, filemap_get_entry, (struct address_space *mapping, pgoff_t index),
	   return pr_v6_2_variant.filemap_get_entry(mapping, index));

/* free_the_page, if the file does not bring its own: the free path. */
PR_DEFAULT(void, free_the_page, (struct page *page, unsigned int order), pr_free_block(page, order));

/* Only 6.x's lookup has a default: a file that defines neither uses it. */
static struct page *dflt_find_get_entry(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = filemap_get_entry(mapping, index);

	return folio ? &folio->page : NULL;
}
extern struct page *find_get_entry(struct address_space *mapping, pgoff_t index)
	__attribute__((weak, alias("dflt_find_get_entry")));

/* The file's PAGERACE_OP declarations (shim/pagerace/op.h), the
 * linker's bounds of its section; none: both NULL. */
#define PR_OPS_BOUND(edge) PR_OP_CAT(PR_OP_CAT(edge, pr_ops_), PR_VARIANT_ID)
extern const struct pr_op PR_OPS_BOUND(__start_)[] __attribute__((weak));
extern const struct pr_op PR_OPS_BOUND(__stop_)[] __attribute__((weak));

const struct variant PR_VSYM(variant) = {
	.name = PR_VARIANT_NAME,
	.path = PR_VARIANT_PATH,
	.free_pages = __free_pages,
	.put_page = put_page,
	.find_get_entry = find_get_entry,
	.filemap_get_entry = filemap_get_entry,
	.dflt = {
		[VF_FREE_PAGES] = (const void *)dflt___free_pages,
		[VF_PUT_PAGE] = (const void *)dflt_put_page,
		[VF_FIND_GET_ENTRY] = (const void *)dflt_find_get_entry,
		[VF_FILEMAP_GET_ENTRY] = (const void *)dflt_filemap_get_entry,
	},
	.ops = PR_OPS_BOUND(__start_),
	.ops_end = PR_OPS_BOUND(__stop_),
};
