/* variant.c: __free_pages as each kernel era wrote it, side by side, one step
 * per call, each doc-commented with its era and the commit that coded it.
 * Entry points: variants[], variant_by_name.
 * Includes the model only.
 */
#include <string.h>

#include "page_ref.h"
#include "variant.h"

const char *const step_names[STEP_NKINDS] = {
	[STEP_LOAD] = "load",   [STEP_GET] = "get",	[STEP_RECHECK] = "recheck",
	[STEP_PUT] = "put",	[STEP_UNLINK] = "unlink", [STEP_ALLOC] = "alloc",
	[STEP_LINK] = "link",	[STEP_REF] = "ref",	[STEP_DEC] = "dec",
	[STEP_TAILS] = "tails", [STEP_HEAD] = "head",
};

/* Somebody else's speculative reference will free page 0 alone with its
 * last put_page; free the rest of the block here, upper half first
 * (e320d3012d25). */
static void free_tail_blocks(struct mm *mm, struct page *page, unsigned int order)
{
	while (order-- > 0)
		free_the_page(mm, page + (1u << order), order);
}

/* v5.9: 2.6.27 to 5.9 (the put_page_testzero form of __free_pages since
 * 2.6.27's lockless page cache).  One step: drop the reference and free the
 * block only if it was the last.  A speculative reference held meanwhile
 * makes its owner's put_page free page 0 at order 0: the rest is lost. */
static enum step_kind free_pages_v5_9(struct mm *mm, struct free_pages_call *call, bool *done)
{
	if (put_page_testzero(mm, call->page))
		free_the_page(mm, call->page, call->order);
	*done = true;
	return STEP_DEC;
}

/* v5.10: e320d3012d25 ("mm/page_alloc.c: fix freeing non-compound pages"),
 * 5.10 to 6.1.  After a put that was not the last, a page that is not a head
 * frees its tails.  PageHead is read after the put: by then the other holder
 * may have freed a compound page, which clears PG_head, and its tails are
 * freed a second time (CVE-2023-52739). */
static enum step_kind free_pages_v5_10(struct mm *mm, struct free_pages_call *call, bool *done)
{
	if (call->pc++ == 0) {
		*done = put_page_testzero(mm, call->page);
		if (*done)
			free_the_page(mm, call->page, call->order);
		return STEP_DEC;
	}
	call->head = PageHead(call->page);
	if (!call->head)
		free_tail_blocks(mm, call->page, call->order);
	*done = true;
	return STEP_TAILS;
}

/* v6.2: 462a8e08e0e6 ("Fix page corruption caused by racy check in
 * __free_pages"),
 * 6.2 on.  PageHead is read while our reference still pins the page. */
static enum step_kind free_pages_v6_2(struct mm *mm, struct free_pages_call *call, bool *done)
{
	if (call->pc++ == 0) {
		call->head = PageHead(call->page);
		*done = false;
		return STEP_HEAD;
	}
	if (put_page_testzero(mm, call->page))
		free_the_page(mm, call->page, call->order);
	else if (!call->head)
		free_tail_blocks(mm, call->page, call->order);
	*done = true;
	return STEP_DEC;
}

const struct variant variants[NR_VARIANTS] = {
	[VARIANT_V5_9] = { "v5.9", "2.6.27 to 5.9", "the put_page_testzero form", false,
			   free_pages_v5_9 },
	[VARIANT_V5_10] = { "v5.10", "5.10 to 6.1", "e320d3012d25", false, free_pages_v5_10 },
	[VARIANT_V6_2] = { "v6.2", "6.2 on", "462a8e08e0e6", false, free_pages_v6_2 },
	/* v6.2 whose refcount is a plain int: identical verdicts under the
	 * deterministic scheduler, a data race for ThreadSanitizer. */
	[VARIANT_RACY_REFCOUNT] = { "racy-refcount", "none (a planted data race)",
				    "462a8e08e0e6 with plain refcount updates", true,
				    free_pages_v6_2 },
};

const struct variant *variant_by_name(const char *name, int len)
{
	for (int i = 0; i < NR_VARIANTS; i++)
		if ((int)strlen(variants[i].name) == len && !memcmp(variants[i].name, name, len))
			return &variants[i];
	return NULL;
}

void free_pages_correctly(struct mm *mm, struct page *page, unsigned int order)
{
	struct free_pages_call call = { .page = page, .order = order };
	bool done = false;

	while (!done)
		variants[VARIANT_V6_2].free_pages(mm, &call, &done);
}
