/* A variant file with a type error on line 7: pagerace must name it. */
#include "variant.h"

static FREE_PAGES(free_pages)
{
	STEPS_BEGIN(call);
	call->head = PageHead(call->page, 1);
	STEPS_DONE(call, STEP_HEAD);
	STEPS_END(call);
}
