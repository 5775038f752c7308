/* v6.2.c: __free_pages from 462a8e08e0e6 ("Fix page corruption caused by
 * racy check in __free_pages"), 6.2 on.  PageHead is read while our
 * reference still pins the page. */
#define VARIANT variant_v6_2 /* built in: one name per variant */
#include "variant.h"

FREE_PAGES(free_pages_v6_2)
{
	STEPS_BEGIN(call);
	call->head = PageHead(call->page);
	STEP(call, STEP_HEAD);
	if (put_page_testzero(mm, call->page))
		free_the_page(mm, call->page, call->order);
	else if (!call->head)
		free_tail_blocks(mm, call->page, call->order);
	STEPS_DONE(call, STEP_DEC);
	STEPS_END(call);
}

const struct variant VARIANT = {
	.name = "v6.2",
	.kernel = "6.2 on",
	.commit = "462a8e08e0e6",
	.find_get_page = generic_find_get_page,
	.free_pages = free_pages_v6_2,
	.put_page = generic_put_page,
};
