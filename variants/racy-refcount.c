/* racy-refcount.c: v6.2 whose refcount is a plain int, changed by plain
 * read-modify-write (page_ref.h, racy_refcount): identical verdicts under
 * the deterministic scheduler, a data race for ThreadSanitizer.  The proof
 * that the scheduler's baton hides no race. */
#define VARIANT variant_racy_refcount /* built in: one name per variant */
#include "variant.h"

const struct variant VARIANT = {
	.name = "racy-refcount",
	.kernel = "none (a planted data race)",
	.commit = "462a8e08e0e6 with plain refcount updates",
	.racy_refcount = true,
	.find_get_page = generic_find_get_page,
	.free_pages = free_pages_v6_2,
	.put_page = generic_put_page,
};
