/* lookup-no-recheck.c: a broken find_get_page that takes its speculative
 * reference and never rechecks the slot (lookup step 3 of src/filemap.c
 * left out).  Between the load and the get the page can be removed, freed
 * and reused by another allocation; the lookup then returns somebody
 * else's page as if it were the cache's.  pagerace reports the lookup's
 * broken promise as a use-after-free. */
#include "variant.h"

static FIND_GET_PAGE(find_get_page)
{
	STEPS_BEGIN(call);
	for (;;) {
		call->page = page_cache_load(mm, call->slot);
		if (!call->page)
			STEPS_DONE(call, STEP_LOAD);
		STEP(call, STEP_LOAD);
		if (get_page_unless_zero(mm, call->page))
			STEPS_DONE(call, STEP_GET); /* no recheck: the bug */
		STEP(call, STEP_GET);
	}
	STEPS_END(call);
}

const struct variant VARIANT = {
	.name = "lookup-no-recheck",
	.kernel = "none (a broken lookup)",
	.commit = "find_get_page without the recheck of e286781d5f2e",
	.find_get_page = find_get_page,
	.free_pages = free_pages_v6_2,
	.put_page = generic_put_page,
};
