/* A variant file whose __free_pages has a path without STEPS_DONE: a
 * compound page falls off the end (line 15). */
#include "variant.h"

static FREE_PAGES(free_pages)
{
	STEPS_BEGIN(call);
	call->head = PageHead(call->page);
	STEP(call, STEP_HEAD);
	if (!call->head) {
		if (put_page_testzero(mm, call->page))
			free_the_page(mm, call->page, call->order);
		STEPS_DONE(call, STEP_DEC);
	}
	STEPS_END(call);
}

const struct variant VARIANT = {
	.name = "falls-off",
	.find_get_page = generic_find_get_page,
	.free_pages = free_pages,
	.put_page = generic_put_page,
};
