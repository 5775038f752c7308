/* v5.10.c: __free_pages from e320d3012d25 ("mm/page_alloc.c: fix freeing
 * non-compound pages"), 5.10 to 6.1.  After a put that was not the last, a
 * page that is not a head frees its tails.  PageHead is read after the put:
 * by then the other holder may have freed a compound page, which clears
 * PG_head, and its tails are freed a second time (CVE-2023-52739). */
#define VARIANT variant_v5_10 /* built in: one name per variant */
#include "variant.h"

static FREE_PAGES(free_pages)
{
	STEPS_BEGIN(call);
	if (put_page_testzero(mm, call->page)) {
		free_the_page(mm, call->page, call->order);
		STEPS_DONE(call, STEP_DEC);
	}
	STEP(call, STEP_DEC);
	/* The race: our reference is gone, the page may be free by now. */
	call->head = PageHead(call->page);
	if (!call->head)
		free_tail_blocks(mm, call->page, call->order);
	STEPS_DONE(call, STEP_TAILS);
	STEPS_END(call);
}

const struct variant VARIANT = {
	.name = "v5.10",
	.kernel = "5.10 to 6.1",
	.commit = "e320d3012d25",
	.find_get_page = generic_find_get_page,
	.free_pages = free_pages,
	.put_page = generic_put_page,
};
