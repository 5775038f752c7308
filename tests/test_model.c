/* test_model.c: the model alone, outside any cpu (pr_self NULL: the
 * shim's primitives take no scheduling point): the buddy allocator's exact
 * splits and merges, random alloc/free sequences, its bug reports, the
 * checker's rules at the primitives (src/exec/primitives.c), the page flags and
 * compound conversions, allocation tags, and the page cache slots.
 */
#include <stdint.h>
#include <string.h>

#include "exec/filemap.h"
#include "model/mm.h"
#include "test.h"
#include "variant/variant.h"

static struct mm mm;

/* A fresh machine, and the one the shim's primitives act on. */
static void init(unsigned int npages, unsigned int nslots)
{
	mm_init(&mm, npages, nslots);
	pr_mm = &mm;
}

static void reset(void)
{
	mm_reset(&mm);
	pr_mm = &mm;
}

/* A free block as the lists should hold it. */
struct blk {
	unsigned int pfn, order;
};

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
	bool map[MM_MAX_PAGES];

	pages_free_map(&mm, map);
	for (unsigned int pfn = 0; pfn < mm.npages && !bad[0]; pfn++)
		if (map[pfn] != inside[pfn])
			snprintf(bad, sizeof(bad), "pages_free_map[p%u] is %d", pfn, !inside[pfn]);
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
TEST(split_exact)
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
TEST(merge_exact)
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
TEST(random_sequences)
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

			if (nheld && sched_random(&rng) % 2) {
				int i = (int)(sched_random(&rng) % (unsigned)nheld);

				if (sched_random(&rng) % 4 == 0)
					pr_v6_2_variant.free_pages(held[i].page, held[i].order);
				else
					release(held[i].page, held[i].order);
				held[i] = held[--nheld];
			} else {
				unsigned int order = (unsigned int)(sched_random(&rng) % (mm.max_order + 1));
				bool comp = sched_random(&rng) % 2;
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

/* Double and misaligned frees are reported, nothing freed (lo < 0), the
 * first bug only, the lists untouched. */
TEST(double_free)
{
	struct page *p0;
	int lo, hi;

	init(16, 4);
	p0 = buddy_alloc(&mm, 2, false);
	set_page_count(p0, 0);
	bfree(&mm.pages[2], 1, &lo, &hi);
	CHECK(lo == 2 && hi == 3, "p2-p3 freed as p%d-p%d", lo, hi);
	check_no_bug("freeing p2-p3 of an allocated order-2 block");
	bfree(p0, 2, &lo, &hi);
	CHECK(lo < 0 && hi < 0, "a double free reported p%d-p%d freed", lo, hi);
	check_bug(MM_BUG_DOUBLE_FREE, 2, "p0-p3 with p2-p3 free");
	check_free_blocks((struct blk[]){ { 2, 1 }, { 4, 2 }, { 8, 3 } }, 3, "after double free");
	bfree(&mm.pages[1], 1, &lo, &hi);
	check_bug(MM_BUG_DOUBLE_FREE, 2, "the first bug kept");

	reset();
	check_bug(MM_BUG_NONE, -1, "mm_reset");
	p0 = buddy_alloc(&mm, 0, false);
	set_page_count(p0, 0);
	bfree(p0, 0, &lo, &hi);
	CHECK(lo == 0 && hi == 0, "p0 freed as p%d-p%d", lo, hi);
	check_no_bug("single free");
	bfree(p0, 0, &lo, &hi);
	CHECK(lo < 0, "p0 freed twice reported p%d freed", lo);
	check_bug(MM_BUG_DOUBLE_FREE, 0, "p0 freed twice");
	check_free_blocks((struct blk[]){ { 0, 4 } }, 1, "after p0 freed twice");

	reset();
	buddy_alloc(&mm, 3, false);
	bfree(&mm.pages[1], 1, &lo, &hi);
	CHECK(lo < 0, "a misaligned free reported p%d freed", lo);
	check_bug(MM_BUG_BUDDY_CORRUPT, 1, "p1 at order 1");
	check_free_blocks((struct blk[]){ { 8, 3 } }, 1, "after misaligned free");

	reset();
	buddy_alloc(&mm, 4, false);
	set_page_count(&mm.pages[0], 0);
	bfree(&mm.pages[0], 5, &lo, &hi);
	CHECK(lo < 0, "an oversized free reported p%d freed", lo);
	check_bug(MM_BUG_BUDDY_CORRUPT, 0, "p0 at order 5 on 16 pages");
	check_free_blocks(NULL, 0, "after oversized free");

	/* Freeing clears what made the block compound (free_pages_prepare). */
	reset();
	p0 = buddy_alloc(&mm, 2, true);
	set_page_count(p0, 0);
	bfree(p0, 2, &lo, &hi);
	CHECK(!head_flag(p0) && !mm.pages[1].compound_head && !mm.pages[3].compound_head,
	      "a freed compound block keeps PG_head %d or tails %#lx", head_flag(p0), mm.pages[1].compound_head);
	CHECK(mm.pages[0].freed_at == 1 && mm.pages[3].freed_at == 1 && mm.clock == 1,
	      "freed_at %lu, clock %lu", mm.pages[0].freed_at, mm.clock);
	check_no_bug("compound free");
}

/* Each invariant buddy_is_valid recounts, broken by hand on a machine
 * whose p0 is allocated (free: p1, p2-p3, p4-p7, p8-p15): it must say
 * which. */
static void list_p0(void)
{
	mm.zone.free_area[0].map[0] |= 1; /* p0 and p1, free buddies, unmerged */
	mm.pages[0].flags |= 1UL << PG_buddy;
	mm.pages[0].order = 0;
}

static void count_free_p8(void)
{
	mm.pages[8]._refcount.counter = 1;
}

static void unflag_p8(void)
{
	mm.pages[8].flags &= ~(1UL << PG_buddy);
}

static void flag_p0(void)
{
	mm.pages[0].flags |= 1UL << PG_buddy;
	mm.pages[0].order = 0;
}

static void list_beyond(void)
{
	mm.zone.free_area[0].map[0] |= 1ULL << 16;
}

TEST(buddy_is_valid_names_each_corruption)
{
	static const struct {
		void (*corrupt)(void);
		const char *why;
	} rows[] = {
		{ list_p0, "free buddies p0 and p1 of order 0 unmerged" },
		{ count_free_p8, "free p8 has refcount 1" },
		{ unflag_p8, "p8 on the order-3 list without PageBuddy" },
		{ flag_p0, "p0 PageBuddy order 0 but not on the list" },
		{ list_beyond, "order-0 block at p16 beyond the arena" },
	};

	init(16, 4);
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		char why[160] = "";

		reset();
		CHECK(buddy_alloc(&mm, 0, false) == &mm.pages[0], "p0 not allocated first");
		check_valid("before the corruption");
		rows[i].corrupt();
		CHECK(!buddy_is_valid(&mm, why, sizeof(why)), "%s: not seen", rows[i].why);
		CHECK_STREQ(why, rows[i].why);
	}
}

/* The ways a refcount can be raised, each by a primitive of the shim. */
enum { BY_GET_PAGE, BY_FOLIO_GET, BY_PAGE_REF_INC, BY_ATOMIC_INC, BY_SET_PAGE_COUNT, BY_PAGE_REF_ADD,
       BY_FOLIO_REF_INC, BY_ATOMIC_ADD, NR_RAISE };
static const char *const raise_names[NR_RAISE] = { "get_page",   "folio_get",      "page_ref_inc",
						   "atomic_inc", "set_page_count", "page_ref_add",
						   "folio_ref_inc", "atomic_add" };

static void raise_by(int how, struct page *page)
{
	switch (how) {
	case BY_GET_PAGE:
		get_page(page);
		break;
	case BY_FOLIO_GET:
		folio_get(page_folio(page));
		break;
	case BY_PAGE_REF_INC:
		page_ref_inc(page);
		break;
	case BY_ATOMIC_INC:
		atomic_inc(&page->_refcount);
		break;
	case BY_SET_PAGE_COUNT:
		set_page_count(page, 3);
		break;
	case BY_PAGE_REF_ADD:
		page_ref_add(page, 2);
		break;
	case BY_FOLIO_REF_INC:
		folio_ref_inc(page_folio(page));
		break;
	default:
		atomic_add(2, &page->_refcount);
	}
}

/* The ways a refcount can be dropped. */
enum { BY_PUT_PAGE_TESTZERO, BY_PAGE_REF_DEC, BY_ATOMIC_DEC, BY_FOLIO_PUT, BY_PAGE_REF_SUB,
       BY_FOLIO_PUT_TESTZERO, BY_ATOMIC_DEC_AND_TEST, BY_PAGE_REF_DEC_AND_TEST, BY_PUT_PAGE, NR_DROP };
static const char *const drop_names[NR_DROP] = {
	"put_page_testzero",   "page_ref_dec",          "atomic_dec",
	"folio_put",           "page_ref_sub",          "folio_put_testzero",
	"atomic_dec_and_test", "page_ref_dec_and_test", "put_page (6.2's)",
};

static void drop_by(int how, struct page *page)
{
	switch (how) {
	case BY_PUT_PAGE_TESTZERO:
		(void)put_page_testzero(page);
		break;
	case BY_PAGE_REF_DEC:
		page_ref_dec(page);
		break;
	case BY_ATOMIC_DEC:
		atomic_dec(&page->_refcount);
		break;
	case BY_FOLIO_PUT:
		folio_put(page_folio(page));
		break;
	case BY_PAGE_REF_SUB:
		page_ref_sub(page, 1);
		break;
	case BY_FOLIO_PUT_TESTZERO:
		(void)folio_put_testzero(page_folio(page));
		break;
	case BY_ATOMIC_DEC_AND_TEST:
		(void)atomic_dec_and_test(&page->_refcount);
		break;
	case BY_PAGE_REF_DEC_AND_TEST:
		(void)page_ref_dec_and_test(page);
		break;
	default:
		pr_v6_2_variant.put_page(page);
	}
}

/* Rule 1 of primitives.c: a refcount raised from zero by anything but the
 * allocator or an unfreeze is a use-after-free, whatever raised it; from
 * one it is a reference like any other. */
TEST(raise_from_zero)
{
	init(16, 4);
	for (int how = 0; how < NR_RAISE; how++) {
		struct page *page;
		int want = how == BY_SET_PAGE_COUNT ? 3 : how == BY_PAGE_REF_ADD || how == BY_ATOMIC_ADD ? 2 : 1;
		char when[80];

		reset();
		page = &mm.pages[5]; /* free since boot: count 0 */
		raise_by(how, page);
		snprintf(when, sizeof(when), "%s on free p5", raise_names[how]);
		check_bug(MM_BUG_USE_AFTER_FREE, 5, when);
		CHECK(page_count_raw(page) == want, "%s: count %d, want %d (the access is made)", when,
		      page_count_raw(page), want);

		reset();
		page = buddy_alloc(&mm, 0, false); /* p0, count 1 */
		raise_by(how, page);
		snprintf(when, sizeof(when), "%s on allocated p0", raise_names[how]);
		check_no_bug(when);
		CHECK(page_count_raw(page) == (how == BY_SET_PAGE_COUNT ? 3 : 1 + want), "%s: count %d", when,
		      page_count_raw(page));
	}

	/* get_page takes the head's reference: a tail of a held compound
	 * page is no use-after-free, and its own count stays 0. */
	reset();
	struct page *head = buddy_alloc(&mm, 2, true);
	get_page(head + 2);
	check_no_bug("get_page of a tail");
	CHECK(page_count_raw(head) == 2 && page_count_raw(head + 2) == 0, "get_page of a tail: head %d, tail %d",
	      page_count_raw(head), page_count_raw(head + 2));

	/* Setting 0 on a count of 0 raises nothing. */
	reset();
	set_page_count(&mm.pages[5], 0);
	check_no_bug("set_page_count(free p5, 0)");

	/* The unfreeze is the one way up from zero besides the allocator. */
	reset();
	page_ref_unfreeze(&mm.pages[6], 1);
	check_no_bug("page_ref_unfreeze from 0");
	CHECK_EQ(page_count_raw(&mm.pages[6]), 1);
	reset();
	folio_ref_unfreeze(page_folio(&mm.pages[4]), 2);
	check_no_bug("folio_ref_unfreeze from 0");
	CHECK_EQ(page_count_raw(&mm.pages[4]), 2);

	/* An atomic_t that is no page's refcount is nobody's business. */
	reset();
	atomic_t other = { 0 };
	atomic_inc(&other);
	CHECK_EQ(other.counter, 1);
	check_no_bug("atomic_inc of a local from 0");
	CHECK(atomic_dec_and_test(&other) && atomic_dec_return(&other) == -1, "local atomics: %d", other.counter);
	check_no_bug("a local atomic below 0");
}

/* Rule 2: a count dropped below zero is a refcount-underflow (outside a
 * cpu no op claims a reference), whatever dropped it; to zero from one it
 * is the last put. */
TEST(drop_below_zero)
{
	init(16, 4);
	for (int how = 0; how < NR_DROP; how++) {
		struct page *page;
		char when[80];

		reset();
		page = &mm.pages[7]; /* free: count 0 */
		drop_by(how, page);
		snprintf(when, sizeof(when), "%s on free p7", drop_names[how]);
		check_bug(MM_BUG_REFCOUNT_UNDERFLOW, 7, when);
		CHECK(page_count_raw(page) == -1, "%s: count %d, want -1", when, page_count_raw(page));
		CHECK(nr_free_pages(&mm) == 16, "%s: %d pages free", when, nr_free_pages(&mm));

		reset();
		page = buddy_alloc(&mm, 0, false);
		get_page(page); /* count 2 */
		drop_by(how, page);
		snprintf(when, sizeof(when), "%s from 2", drop_names[how]);
		check_no_bug(when);
		CHECK(page_count_raw(page) == 1 && !page_is_free(&mm, page), "%s: count %d", when,
		      page_count_raw(page));
	}

	/* Below zero from above zero: one put of two references too many. */
	reset();
	struct page *page = buddy_alloc(&mm, 0, false);
	page_ref_sub(page, 2);
	check_bug(MM_BUG_REFCOUNT_UNDERFLOW, 0, "page_ref_sub(p0 at 1, 2)");

	/* The puts that reach zero: folio_put frees the folio whole, 6.2's
	 * __free_pages the block; put_page_testzero only says so. */
	reset();
	page = buddy_alloc(&mm, 2, true);
	CHECK(put_page_testzero(page) && page_count_raw(page) == 0 && !page_is_free(&mm, page),
	      "put_page_testzero from 1: count %d, free %d", page_count_raw(page), page_is_free(&mm, page));
	check_no_bug("put_page_testzero to 0");
	reset();
	page = buddy_alloc(&mm, 2, true);
	folio_put(page_folio(page));
	CHECK_EQ(nr_free_pages(&mm), 16); /* folio_put of a compound order-2 page */
	reset();
	page = buddy_alloc(&mm, 2, false);
	folio_put(page_folio(page));
	CHECK(nr_free_pages(&mm) == 13 && page_is_free(&mm, page) && !page_is_free(&mm, page + 1),
	      "folio_put of a non-compound order-2 block frees p0 only: %d free", nr_free_pages(&mm));
	reset();
	page = buddy_alloc(&mm, 2, false);
	pr_v6_2_variant.free_pages(page, 2);
	CHECK_EQ(nr_free_pages(&mm), 16); /* 6.2's __free_pages(order 2) */
	check_no_bug("the last puts");
}

/* The speculative gets fail on a count of 0 and change nothing. */
TEST(speculative_get)
{
	static const char *const names[] = { "get_page_unless_zero", "folio_try_get", "folio_try_get_rcu",
					     "page_cache_get_speculative", "atomic_inc_not_zero", "try_get_page" };

	init(16, 4);
	for (int how = 0; how < 6; how++) {
		for (int held = 0; held < 2; held++) {
			struct page *page;
			bool got;
			char when[80];

			reset();
			page = held ? buddy_alloc(&mm, 0, false) : &mm.pages[9];
			switch (how) {
			case 0:
				got = get_page_unless_zero(page);
				break;
			case 1:
				got = folio_try_get(page_folio(page));
				break;
			case 2:
				got = folio_try_get_rcu(page_folio(page));
				break;
			case 3:
				got = page_cache_get_speculative(page);
				break;
			case 4:
				got = atomic_inc_not_zero(&page->_refcount);
				break;
			default:
				got = try_get_page(page);
			}
			snprintf(when, sizeof(when), "%s on a count of %d", names[how], held);
			CHECK(got == held && page_count_raw(page) == 2 * held, "%s: got %d, count %d", when, got,
			      page_count_raw(page));
			check_no_bug(when);
		}
	}
	/* page_ref_add_unless with another forbidden value. */
	reset();
	struct page *page = buddy_alloc(&mm, 0, false);
	CHECK(!page_ref_add_unless(page, 1, 1) && page_count_raw(page) == 1, "add unless 1 at 1: %d",
	      page_count_raw(page));
	CHECK(page_ref_add_unless(page, 2, 0) && page_count_raw(page) == 3, "add 2 unless 0 at 1: %d",
	      page_count_raw(page));
	check_no_bug("page_ref_add_unless");
}

/* page_ref_freeze succeeds only at the count expected, and leaves 0; a
 * frozen page refuses every speculative get; the unfreeze restores it. */
TEST(freeze)
{
	struct page *page;

	init(16, 4);
	page = buddy_alloc(&mm, 0, false);
	get_page(page); /* 2 */
	CHECK(!page_ref_freeze(page, 1) && page_count_raw(page) == 2, "freeze(1) at 2: count %d",
	      page_count_raw(page));
	CHECK(!page_ref_freeze(page, 3) && page_count_raw(page) == 2, "freeze(3) at 2: count %d",
	      page_count_raw(page));
	CHECK(page_ref_freeze(page, 2) && page_count_raw(page) == 0, "freeze(2) at 2: count %d",
	      page_count_raw(page));
	check_no_bug("page_ref_freeze to 0");
	CHECK(!get_page_unless_zero(page) && !folio_try_get(page_folio(page)) && page_count_raw(page) == 0,
	      "a frozen page gave a reference: count %d", page_count_raw(page));
	/* At 0, freeze(0) is a cmpxchg of 0 to 0: it succeeds. */
	CHECK(page_ref_freeze(page, 0), "freeze(0) at 0 failed");
	CHECK_EQ(page_count_raw(page), 0);
	page_ref_unfreeze(page, 2);
	CHECK_EQ(page_count_raw(page), 2);
	check_no_bug("unfreeze");
	CHECK(folio_ref_freeze(page_folio(page), 2) && page_count_raw(page) == 0, "folio_ref_freeze(2) at 2: %d",
	      page_count_raw(page));
	CHECK(atomic_cmpxchg(&page->_refcount, 0, 0) == 0, "cmpxchg 0 -> 0 at 0");
	check_no_bug("folio_ref_freeze, cmpxchg 0 -> 0");
	/* A cmpxchg that raises a frozen count is a get of a freed page. */
	CHECK(atomic_cmpxchg(&page->_refcount, 0, 1) == 0 && page_count_raw(page) == 1, "cmpxchg 0 -> 1: %d",
	      page_count_raw(page));
	check_bug(MM_BUG_USE_AFTER_FREE, 0, "atomic_cmpxchg from 0 to 1");
}

/* What the flag tests and the compound conversions give for a head, its
 * tails and single pages, compound or not; and after the free. */
TEST(page_flags)
{
	init(16, 4);
	for (int comp = 0; comp < 2; comp++) {
		struct page *p, *single;

		reset();
		p = buddy_alloc(&mm, 2, comp);
		single = buddy_alloc(&mm, 0, comp);
		CHECK(p == &mm.pages[0] && single == &mm.pages[4], "allocations at p%d, p%d", pfn_of(&mm, p),
		      pfn_of(&mm, single));
		CHECK(PageHead(p) == comp && !PageTail(p) && PageCompound(p) == comp &&
			      compound_head(p) == p && compound_order(p) == (comp ? 2u : 0u),
		      "comp %d head p0: PageHead %d PageTail %d PageCompound %d order %u", comp, PageHead(p),
		      PageTail(p), PageCompound(p), compound_order(p));
		CHECK(folio_test_large(page_folio(p)) == comp && folio_order(page_folio(p)) == (comp ? 2u : 0u) &&
			      folio_nr_pages(page_folio(p)) == (comp ? 4 : 1),
		      "comp %d folio of p0: large %d order %u", comp, folio_test_large(page_folio(p)),
		      folio_order(page_folio(p)));
		for (int i = 1; i < 4; i++) {
			struct page *t = p + i;

			CHECK(!PageHead(t) && PageTail(t) == comp && PageCompound(t) == comp &&
				      compound_head(t) == (comp ? p : t) && page_folio(t) == (struct folio *)(comp ? p : t) &&
				      compound_order(t) == 0,
			      "comp %d p%d: PageHead %d PageTail %d PageCompound %d head p%d order %u", comp, i,
			      PageHead(t), PageTail(t), PageCompound(t), pfn_of(&mm, compound_head(t)),
			      compound_order(t));
		}
		/* An order-0 page is never compound, __GFP_COMP or not. */
		CHECK(!PageHead(single) && !PageTail(single) && !PageCompound(single) &&
			      compound_head(single) == single && compound_order(single) == 0,
		      "comp %d order-0 p4: PageHead %d PageCompound %d", comp, PageHead(single),
		      PageCompound(single));
		CHECK(page_to_pfn(single) == 4 && folio_page(page_folio(p), 3) == p + 3, "page_to_pfn %lu",
		      page_to_pfn(single));
		/* Freed (comp: folio_put frees it whole), nothing compound is left. */
		if (comp)
			folio_put(page_folio(p));
		else
			pr_v6_2_variant.free_pages(p, 2);
		CHECK(nr_free_pages(&mm) == 15, "comp %d: %d free after the free", comp, nr_free_pages(&mm));
		for (int i = 0; i < 4; i++)
			CHECK(!PageHead(p + i) && !PageTail(p + i) && compound_head(p + i) == p + i &&
				      compound_order(p + i) == 0,
			      "comp %d: freed p%d still compound (order %u)", comp, i, compound_order(p + i));
		check_no_bug("page flags");
	}
}

/* pgalloc_tag_sub_pages: given a tag it subtracts from that tag (0ae0227fa31d's
 * form), given a page it reads the page's tag first (51ff4d7486f0's). */
TEST(alloc_tags)
{
	struct page *page;
	struct alloc_tag other = { .pages = 5 };

	init(16, 4);
	page = buddy_alloc(&mm, 2, false);
	mm.tag.pages = 10;
	CHECK(pgalloc_tag_get(page) == &mm.tag, "pgalloc_tag_get is not the machine's tag");
	pgalloc_tag_sub_pages(&other, 3);
	CHECK(other.pages == 2 && mm.tag.pages == 10, "sub from a tag: that tag %ld, the page's %ld", other.pages,
	      mm.tag.pages);
	pgalloc_tag_sub_pages(page, 4);
	CHECK(mm.tag.pages == 6 && other.pages == 2, "sub from a page: its tag %ld, the other %ld", mm.tag.pages,
	      other.pages);
	pgalloc_tag_sub_pages((struct alloc_tag *)NULL, 4);
	CHECK_EQ(mm.tag.pages, 6); /* no tag, nothing subtracted */
	pgalloc_tag_sub_pages(pgalloc_tag_get(page), 1);
	CHECK_EQ(mm.tag.pages, 5);
	check_no_bug("tags");
	reset();
	CHECK_EQ(mm.tag.pages, 0);
}

/* Insertion fills an empty slot only (an occupied one drops the new page),
 * deletion empties it and returns its page; xas_load and xas_reload read
 * a slot, nothing past the program's slots. */
TEST(page_cache)
{
	struct page *p, *q, *r;

	init(16, 4);
	p = buddy_alloc(&mm, 0, false);
	q = buddy_alloc(&mm, 0, false);
	r = buddy_alloc(&mm, 0, false);
	CHECK(page_cache_peek(&mm, 0) == NULL, "slot 0 not empty at boot");
	CHECK(page_cache_insert(&mm.mapping, 0, p), "insert into an empty slot failed");
	CHECK(page_cache_peek(&mm, 0) == p, "slot 0 does not hold the inserted page");
	CHECK(page_cache_insert(&mm.mapping, 3, q) && page_cache_peek(&mm, 3) == q, "insert into slot 3 failed");
	CHECK(!page_cache_insert(&mm.mapping, 0, r), "insert into an occupied slot succeeded");
	CHECK(page_cache_peek(&mm, 0) == p, "a failed insert changed the slot");
	CHECK(page_count_raw(r) == 0 && page_is_free(&mm, r), "the refused page: count %d, free %d",
	      page_count_raw(r), page_is_free(&mm, r));
	CHECK(page_cache_peek(&mm, 1) == NULL && page_cache_peek(&mm, 2) == NULL, "inserts touched other slots");

	XA_STATE(xas, &mm.mapping.i_pages, 3);
	CHECK(xas_load(&xas) == q && xas_reload(&xas) == q, "xas_load of slot 3");
	XA_STATE(past, &mm.mapping.i_pages, 4);
	mm.mapping.i_pages.xa_slot[4] = p; /* beyond the program's 4 slots */
	CHECK(xas_load(&past) == NULL, "xas_load past the program's slots");
	mm.mapping.i_pages.xa_slot[4] = NULL;

	CHECK(page_cache_delete(&mm.mapping, 0) == p, "delete did not return the page");
	CHECK(page_cache_peek(&mm, 0) == NULL, "delete left the slot full");
	CHECK(page_cache_delete(&mm.mapping, 0) == NULL, "delete of an empty slot returned a page");
	CHECK(page_cache_peek(&mm, 3) == q, "delete of slot 0 touched slot 3");
	CHECK(page_count_raw(p) == 1 && page_count_raw(q) == 1, "the cache changed refcounts: %d %d",
	      page_count_raw(p), page_count_raw(q));
	check_no_bug("page cache");
	check_valid("page cache");
	reset();
	CHECK(page_cache_peek(&mm, 3) == NULL, "mm_reset left slot 3 full");
}

