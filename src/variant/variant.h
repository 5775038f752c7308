/* variant.h: a kernel variant as pagerace holds it: the kernel functions a
 * variant file defines (variants/, or a user's file), and the table of the
 * built-in ones.
 * Entry points: variants[], variant_by_name, variant_lookup.
 *
 * A variant file is kernel code: it includes <linux/mm.h> (and
 * <linux/pagemap.h>) from shim/ and defines any of
 *	void __free_pages(struct page *page, unsigned int order);
 *	void put_page(struct page *page);
 *	struct page *find_get_entry(struct address_space *mapping, pgoff_t index);
 *	void *filemap_get_entry(struct address_space *mapping, pgoff_t index);
 * (at most one of the two lookups).  What it does not define is 6.2's, from
 * variants/v6.2.c.  The build forces shim/pagerace/prelude.h into the file,
 * which gives its functions this variant's own names, and compiles
 * src/variant/variant_defaults.c beside it, which fills in the rest and defines
 * the struct variant below.  Its name is the file's.
 */
#ifndef PAGERACE_VARIANT_H
#define PAGERACE_VARIANT_H

#include "model/mm.h"

enum variant_fn { VF_FREE_PAGES, VF_PUT_PAGE, VF_FIND_GET_ENTRY, VF_FILEMAP_GET_ENTRY, NR_VF };

extern const char *const variant_fn_names[NR_VF];

struct variant {
	const char *name; /* as written in programs: "v5.9", the file's name */
	const char *path; /* the file it was built from */
	void (*free_pages)(struct page *page, unsigned int order);
	void (*put_page)(struct page *page);
	struct page *(*find_get_entry)(struct address_space *mapping, pgoff_t index);
	void *(*filemap_get_entry)(struct address_space *mapping, pgoff_t index);
	/* Each function's default, as variant_defaults.c made it: a function
	 * still equal to its default is one the file does not define. */
	const void *dflt[NR_VF];
};

/* Does the file define this function? */
bool variant_defines(const struct variant *v, enum variant_fn fn);

/* lookup and get: the variant's lookup, the page it returns with a
 * reference (NULL: the slot was empty). */
struct page *variant_lookup(const struct variant *v, pgoff_t index);

enum { VARIANT_V5_9, VARIANT_V5_10, VARIANT_V6_2, VARIANT_RACY_REFCOUNT, NR_VARIANTS };
extern const struct variant *const variants[NR_VARIANTS];
#define VARIANT_NAMES "v5.9, v5.10, v6.2 or racy-refcount"

/* The variant every default comes from: 6.2's (variants/v6.2.c). */
extern const struct variant pr_v6_2_variant;

/* NULL when no variant has this name. */
const struct variant *variant_by_name(const char *name, int len);

/* Its index in variants[], or -1 for a variant loaded from a file. */
int variant_index(const struct variant *v);

#endif
