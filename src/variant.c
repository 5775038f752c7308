/* variant.c: the table of built-in variants (each in its own file in
 * variants/), and what variants share: the lookup of 2.6.27, the freeing
 * of tail blocks, the allocation tag read.
 * Entry points: variants[], variant_by_name, generic_find_get_page.
 * Includes the model only.
 */
#include <string.h>

#include "variant.h"

const char *const step_names[STEP_NKINDS] = {
	[STEP_LOAD] = "load",   [STEP_GET] = "get",	[STEP_RECHECK] = "recheck",
	[STEP_PUT] = "put",	[STEP_UNLINK] = "unlink", [STEP_ALLOC] = "alloc",
	[STEP_LINK] = "link",	[STEP_REF] = "ref",	[STEP_DEC] = "dec",
	[STEP_TAILS] = "tails", [STEP_HEAD] = "head",	[STEP_TAG] = "tag",
};

extern const struct variant variant_v5_9, variant_v5_10, variant_v6_2, variant_racy_refcount;

const struct variant *const variants[NR_VARIANTS] = {
	[VARIANT_V5_9] = &variant_v5_9,
	[VARIANT_V5_10] = &variant_v5_10,
	[VARIANT_V6_2] = &variant_v6_2,
	[VARIANT_RACY_REFCOUNT] = &variant_racy_refcount,
};

/* find_get_page since 2.6.27 (e286781d5f2e, "mm: speculative page
 * references"): lookup 1-3 of filemap.c. */
FIND_GET_PAGE(generic_find_get_page)
{
	STEPS_BEGIN(call);
	for (;;) {
		call->page = page_cache_load(mm, call->slot);
		if (!call->page)
			STEPS_DONE(call, STEP_LOAD);
		STEP(call, STEP_LOAD);
		/* The page may have been freed and reused since the load:
		 * a count of zero means it is being freed, hands off. */
		if (!get_page_unless_zero(mm, call->page)) {
			STEP(call, STEP_GET);
			continue;
		}
		STEP(call, STEP_GET);
		/* Only a slot still holding the page proves the reference is
		 * to the cache's page; else it may be somebody else's
		 * allocation, and this put its last reference. */
		if (page_cache_load(mm, call->slot) == call->page)
			STEPS_DONE(call, STEP_RECHECK);
		STEP(call, STEP_RECHECK);
		put_page(mm, call->page);
		STEP(call, STEP_PUT);
	}
	STEPS_END(call);
}

void generic_put_page(struct mm *mm, struct page *page)
{
	put_page(mm, page);
}

/* Somebody else's speculative reference will free page 0 alone with its
 * last put_page; free the rest of the block here, upper half first
 * (e320d3012d25). */
void free_tail_blocks(struct mm *mm, struct page *page, unsigned int order)
{
	while (order-- > 0)
		free_the_page(mm, page + (1u << order), order);
}

unsigned int pgalloc_tag_get(struct mm *mm, const struct free_pages_call *call)
{
	unsigned int gen = __atomic_load_n(&call->page->free_gen, __ATOMIC_RELAXED);

	if (gen != call->page_gen)
		mm_bug(mm, MM_BUG_USE_AFTER_FREE, call->page);
	return gen;
}

const struct variant *variant_by_name(const char *name, int len)
{
	for (int i = 0; i < NR_VARIANTS; i++)
		if ((int)strlen(variants[i]->name) == len && !memcmp(variants[i]->name, name, len))
			return variants[i];
	return NULL;
}

int variant_index(const struct variant *v)
{
	for (int i = 0; i < NR_VARIANTS; i++)
		if (variants[i] == v)
			return i;
	return -1;
}

void free_pages_correctly(struct mm *mm, struct page *page, unsigned int order)
{
	struct free_pages_call call = { .page = page, .order = order, .page_gen = page->free_gen };
	bool done = false;

	while (!done)
		free_pages_v6_2(mm, &call, &done);
}
