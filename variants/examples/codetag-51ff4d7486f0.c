/* codetag-51ff4d7486f0.c: __free_pages with the allocation-tag accounting
 * of 51ff4d7486f0 ("mm: fix non-compound multi-order memory accounting in
 * __free_pages", 2024): after a put that was not the last, a page that is
 * not a head subtracts the tail pages from its allocation tag, reading the
 * tag of page[0] *after* the put.  The other holder (a lookup's speculative
 * reference) may have dropped the last reference by then, freeing page[0]
 * and letting it be reused: the read is a use-after-free.  Fixed in May
 * 2025 by "mm/codetag: move tag retrieval back upfront in __free_pages()":
 * see codetag-fixed.c.  pagerace finds it with the story's program:
 *
 *	make fuzz VARIANT_FILE=variants/examples/codetag-51ff4d7486f0.c
 */
#include "variant.h"

static FREE_PAGES(free_pages)
{
	STEPS_BEGIN(call);
	call->head = PageHead(call->page);
	STEP(call, STEP_HEAD);
	if (put_page_testzero(mm, call->page)) {
		free_the_page(mm, call->page, call->order);
		STEPS_DONE(call, STEP_DEC);
	}
	if (call->head)
		STEPS_DONE(call, STEP_DEC);
	STEP(call, STEP_DEC);
	/* The bug: our reference is gone; page[0] may be free, or another's. */
	call->scratch = pgalloc_tag_get(mm, call);
	STEP(call, STEP_TAG);
	free_tail_blocks(mm, call->page, call->order);
	STEPS_DONE(call, STEP_TAILS);
	STEPS_END(call);
}

const struct variant VARIANT = {
	.name = "codetag-51ff4d7486f0",
	.kernel = "6.10 to 6.15",
	.commit = "51ff4d7486f0",
	.find_get_page = generic_find_get_page,
	.free_pages = free_pages,
	.put_page = generic_put_page,
};
