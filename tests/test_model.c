/* test_model.c: the model alone, outside any cpu (pr_self NULL: the
 * shim's primitives take no scheduling point): the buddy allocator's exact
 * splits and merges, random alloc/free sequences, its bug reports, the
 * checker's rules at the primitives (src/primitives.c), the page flags and
 * compound conversions, allocation tags, and the page cache slots.
 */
#include <stdint.h>
#include <string.h>

#include "mm.h"
#include "test.h"
#include "variant.h"

static struct mm mm;

/* A fresh machine, and the one the shim's primitives act on. */
static void init(unsigned int npages, unsigned int nslots)
{
	mm_init(&mm, npages, nslots);
	pr_mm = &mm;
}

static void reset(void)
{
	reset();
	pr_mm = &mm;
}

/* A free block as the lists should hold it. */
struct blk {
	unsigned int pfn, order;
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static bool area_bit(unsigned int order, unsigned int pfn)
{
	unsigned int idx = pfn >> order;

	return mm.zone.free_area[order].map[idx / 64] >> (idx % 64) & 1;
}

static void check_valid(const char *when)
{
	char why[160] = "";
	bool ok = buddy_is_valid(&mm, why, sizeof(why));

	CHECK(ok, "%s: buddy_is_valid: %s", when, why);
}

/* The free lists hold exactly want[], each page is free iff inside one of
 * them, and nr_free_pages agrees. */
static void check_free_blocks(const struct blk *want, int n, const char *when)
{
	char bad[160] = "";
	bool inside[MM_MAX_PAGES] = { false };
	int nfree = 0;

	for (int i = 0; i < n; i++) {
		for (unsigned int p = 0; p < 1u << want[i].order; p++)
			inside[want[i].pfn + p] = true;
		nfree += 1 << want[i].order;
	}
	for (unsigned int o = 0; o <= mm.max_order && !bad[0]; o++) {
		for (unsigned int pfn = 0; pfn < mm.npages && !bad[0]; pfn += 1u << o) {
			bool listed = false;

			for (int i = 0; i < n; i++)
				listed |= want[i].pfn == pfn && want[i].order == o;
			if (area_bit(o, pfn) != listed)
				snprintf(bad, sizeof(bad), "order-%u bit of p%u is %d", o, pfn, !listed);
		}
	}
	for (unsigned int pfn = 0; pfn < mm.npages && !bad[0]; pfn++)
		if (page_is_free(&mm, &mm.pages[pfn]) != inside[pfn])
			snprintf(bad, sizeof(bad), "page_is_free(p%u) is %d", pfn, !inside[pfn]);
	if (!bad[0] && nr_free_pages(&mm) != nfree)
		snprintf(bad, sizeof(bad), "nr_free_pages %d, want %d", nr_free_pages(&mm), nfree);
	CHECK(!bad[0], "%s: %s", when, bad);
	check_valid(when);
}

static void check_no_bug(const char *when)
{
	int pfn;
	int bug = mm_first_bug(&mm, &pfn);

	CHECK(bug == MM_BUG_NONE, "%s: bug %d at p%d", when, bug, pfn);
}

static void check_bug(enum mm_bug want, int want_pfn, const char *when)
{
	int pfn;
	int bug = mm_first_bug(&mm, &pfn);

	CHECK(bug == (int)want && pfn == want_pfn, "%s: bug %d at p%d, want %d at p%d", when, bug,
	      pfn, want, want_pfn);
}

static bool head_flag(const struct page *page)
{
	return page->flags >> PG_head & 1;
}

/* buddy_alloc(order, comp) must return want_pfn, set up as an allocation. */
static void check_alloc(unsigned int order, bool comp, unsigned int want_pfn)
{
	struct page *page = buddy_alloc(&mm, order, comp);
	bool tails_zero = true;

	CHECK(page == &mm.pages[want_pfn], "order %u: got p%d, want p%u", order,
	      page ? pfn_of(&mm, page) : -1, want_pfn);
	if (page != &mm.pages[want_pfn])
		return;
	for (unsigned int i = 1; i < 1u << order; i++)
		tails_zero &= page_count_raw(page + i) == 0;
	CHECK(page_count_raw(page) == 1 && tails_zero,
	      "p%u: head count %d, tails all 0: %d", want_pfn, page_count_raw(page), tails_zero);
	/* As prep_compound_page: a single page is never compound. */
	CHECK(head_flag(page) == (comp && order) && page->order == (comp ? order : 0),
	      "p%u order %u comp %d: PG_head %d, order %u", want_pfn, order, comp, head_flag(page),
	      page->order);
}

/* alloc_pages takes the lowest smallest-sufficient block, keeping lower halves. */
static void test_split_exact(void)
{
	init(16, 4);
	check_free_blocks((struct blk[]){ { 0, 4 } }, 1, "boot");
	check_alloc(0, false, 0);
	check_free_blocks((struct blk[]){ { 1, 0 }, { 2, 1 }, { 4, 2 }, { 8, 3 } }, 4,
			  "after order 0");
	check_alloc(2, true, 4);
	check_free_blocks((struct blk[]){ { 1, 0 }, { 2, 1 }, { 8, 3 } }, 3, "after order 2");
	check_alloc(1, false, 2);
	check_free_blocks((struct blk[]){ { 1, 0 }, { 8, 3 } }, 2, "after order 1");
	check_alloc(0, true, 1);
	check_free_blocks((struct blk[]){ { 8, 3 } }, 1, "after second order 0");
	check_alloc(1, false, 8);
	check_free_blocks((struct blk[]){ { 10, 1 }, { 12, 2 } }, 2, "after splitting p8");
	CHECK(buddy_alloc(&mm, 3, false) == NULL, "order 3 allocated with 6 pages free");
	CHECK(buddy_alloc(&mm, 5, false) == NULL, "order 5 allocated on 16 pages");
	check_free_blocks((struct blk[]){ { 10, 1 }, { 12, 2 } }, 2, "after failed allocs");
	check_no_bug("split");
}

/* Drop an allocation the owner holds alone: folio_put for a compound block
 * (frees it whole), count to 0 and buddy_free for any other, which must
 * report the block it freed. */
static void release(struct page *page, unsigned int order)
{
	int lo, hi, pfn = pfn_of(&mm, page);

	if (head_flag(page)) {
		folio_put(page_folio(page));
		return;
	}
	set_page_count(page, 0);
	buddy_free(&mm, page, order, &lo, &hi);
	CHECK(lo == pfn && hi == pfn + (1 << order) - 1, "buddy_free(p%d, %u) reported p%d-p%d", pfn,
	      order, lo, hi);
}

/* buddy_free with its report; the pages freed as (lo, hi). */
static void bfree(struct page *page, unsigned int order, int *lo, int *hi)
{
	buddy_free(&mm, page, order, lo, hi);
}

/* Five blocks freed in each of the 120 orders merge back to one block at p0. */
static void test_merge_exact(void)
{
	static const struct {
		unsigned int order;
		bool comp;
		unsigned int pfn;
	} allocs[5] = { { 0, false, 0 }, { 2, true, 4 }, { 1, false, 2 }, { 0, true, 1 },
			{ 1, false, 8 } };
	int bad_perm = -1;

	init(16, 4);
	for (int perm = 0; perm < 120; perm++) {
		int left[5] = { 0, 1, 2, 3, 4 }, nleft = 5, code = perm;
		char when[64];

		reset();
		for (int i = 0; i < 5; i++)
			buddy_alloc(&mm, allocs[i].order, allocs[i].comp);
		for (int f = 5; f > 0; f--) {
			int k = code % f, i = left[k];
			char why[160];

			code /= f;
			left[k] = left[--nleft];
			release(&mm.pages[allocs[i].pfn], allocs[i].order);
			if (!buddy_is_valid(&mm, why, sizeof(why)) && bad_perm < 0)
				bad_perm = perm;
		}
		snprintf(when, sizeof(when), "permutation %d", perm);
		check_free_blocks((struct blk[]){ { 0, 4 } }, 1, when);
		CHECK(!head_flag(&mm.pages[4]) && !head_flag(&mm.pages[1]) && !mm.pages[5].compound_head,
		      "%s: PG_head left on a freed page", when);
	}
	CHECK(bad_perm < 0, "buddy_is_valid false during permutation %d", bad_perm);
	check_no_bug("merge");
}

/* Predict what alloc_pages will return from the lists alone. */
static int predicted_alloc(unsigned int order)
{
	for (unsigned int o = order; o <= mm.max_order; o++)
		for (unsigned int pfn = 0; pfn < mm.npages; pfn += 1u << o)
			if (area_bit(o, pfn))
				return (int)pfn;
	return -1;
}

/* Random allocs and frees: lists valid, allocs as predicted, no page lost. */
static void test_random_sequences(void)
{
	static const unsigned int sizes[] = { 4, 16, 64, 1024 };
	static struct held {
		struct page *page;
		unsigned int order;
	} held[MM_MAX_PAGES];

	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint64_t seed = 0x9e3779b97f4a7c15ULL + s, rng = seed;
		char why[160] = "";
		int nheld = 0, op;

		init(sizes[s], 4);
		for (op = 0; op < 3000 && !why[0]; op++) {
			int sum = 0;

			if (nheld && xorshift(&rng) % 2) {
				int i = (int)(xorshift(&rng) % (unsigned)nheld);

				if (xorshift(&rng) % 4 == 0)
					pr_v6_2_variant.free_pages(held[i].page, held[i].order);
				else
					release(held[i].page, held[i].order);
				held[i] = held[--nheld];
			} else {
				unsigned int order = (unsigned int)(xorshift(&rng) % (mm.max_order + 1));
				bool comp = xorshift(&rng) % 2;
				int want = predicted_alloc(order);
				struct page *page = buddy_alloc(&mm, order, comp);
				int got = page ? pfn_of(&mm, page) : -1;

				if (got != want)
					snprintf(why, sizeof(why), "alloc order %u gave p%d, want p%d", order,
						 got, want);
				if (page)
					held[nheld++] = (struct held){ page, order };
			}
			for (int i = 0; i < nheld; i++)
				sum += 1 << held[i].order;
			if (!why[0] && nr_free_pages(&mm) + sum != (int)sizes[s])
				snprintf(why, sizeof(why), "%d free + %d held != %u", nr_free_pages(&mm),
					 sum, sizes[s]);
			if (!why[0] && !buddy_is_valid(&mm, why, sizeof(why)) && !why[0])
				snprintf(why, sizeof(why), "buddy_is_valid false without a reason");
		}
		CHECK(!why[0], "seed %#llx, %u pages, op %d: %s", (unsigned long long)seed, sizes[s],
		      op - 1, why);
		while (nheld--)
			release(held[nheld].page, held[nheld].order);
		check_free_blocks((struct blk[]){ { 0, mm.max_order } }, 1, "random, all freed");
		check_no_bug("random");
	}
}

