/* codetag-fixed.c: the fix of May 2025, "mm/codetag: move tag retrieval
 * back upfront in __free_pages()": the allocation tag of page[0] is read
 * before the put, while our reference still pins the page, as PageHead is
 * since 462a8e08e0e6.  pagerace finds nothing here (see
 * codetag-51ff4d7486f0.c for the bug). */
#include "variant.h"

static FREE_PAGES(free_pages)
{
	STEPS_BEGIN(call);
	call->head = PageHead(call->page);
	STEP(call, STEP_HEAD);
	call->scratch = pgalloc_tag_get(mm, call);
	STEP(call, STEP_TAG);
	if (put_page_testzero(mm, call->page))
		free_the_page(mm, call->page, call->order);
	else if (!call->head)
		free_tail_blocks(mm, call->page, call->order);
	STEPS_DONE(call, STEP_DEC);
	STEPS_END(call);
}

const struct variant VARIANT = {
	.name = "codetag-fixed",
	.kernel = "6.16 on",
	.commit = "mm/codetag: move tag retrieval back upfront in __free_pages()",
	.find_get_page = generic_find_get_page,
	.free_pages = free_pages,
	.put_page = generic_put_page,
};
