/* lookup-get-page.c: a broken find_get_page that takes its reference with
 * get_page instead of get_page_unless_zero.  A lockless lookup holds no
 * reference when it loads the slot: the page may be freed before the get,
 * and get_page then resurrects a page whose count went to zero.  pagerace
 * reports the get on a freed page as a use-after-free. */
#include "variant.h"

static FIND_GET_PAGE(find_get_page)
{
	STEPS_BEGIN(call);
	for (;;) {
		call->page = page_cache_load(mm, call->slot);
		if (!call->page)
			STEPS_DONE(call, STEP_LOAD);
		STEP(call, STEP_LOAD);
		get_page(mm, call->page); /* the bug: the count may be zero */
		STEP(call, STEP_GET);
		if (page_cache_load(mm, call->slot) == call->page)
			STEPS_DONE(call, STEP_RECHECK);
		STEP(call, STEP_RECHECK);
		put_page(mm, call->page);
		STEP(call, STEP_PUT);
	}
	STEPS_END(call);
}

const struct variant VARIANT = {
	.name = "lookup-get-page",
	.kernel = "none (a broken lookup)",
	.commit = "find_get_page with get_page for get_page_unless_zero",
	.find_get_page = find_get_page,
	.free_pages = free_pages_v6_2,
	.put_page = generic_put_page,
};
