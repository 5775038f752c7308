/* v5.9.c: __free_pages as 2.6.27 to 5.9 had it.  The put_page_testzero form
 * met the lockless page cache of 2.6.27 (e286781d5f2e): one step, drop the
 * reference and free the block only if it was the last.  A speculative
 * reference held meanwhile makes its owner's put_page free page 0 at order
 * 0: the rest of a non-compound block is lost (LKML, 12 January 2021). */
#define VARIANT variant_v5_9 /* built in: one name per variant */
#include "variant.h"

static FREE_PAGES(free_pages)
{
	if (put_page_testzero(mm, call->page))
		free_the_page(mm, call->page, call->order);
	STEPS_DONE(call, STEP_DEC);
}

const struct variant VARIANT = {
	.name = "v5.9",
	.kernel = "2.6.27 to 5.9",
	.commit = "the put_page_testzero form",
	.find_get_page = generic_find_get_page,
	.free_pages = free_pages,
	.put_page = generic_put_page,
};
