/* test_model.c: the model alone: the buddy allocator's exact splits and
 * merges, random alloc/free sequences, its bug reports, the refcount helpers,
 * the page cache slots, and each variant's __free_pages step by step.
 */
#include <stdint.h>
#include <string.h>

#include "mm.h"
#include "page_ref.h"
#include "test.h"
#include "variant.h"

static struct mm mm;

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

/* alloc_pages(order, comp) must return want_pfn, set up as an allocation. */
static void check_alloc(unsigned int order, bool comp, unsigned int want_pfn)
{
	struct page *page = alloc_pages(&mm, order, comp);
	bool tails_zero = true;

	CHECK(page == &mm.pages[want_pfn], "order %u: got p%d, want p%u", order,
	      page ? page_to_pfn(&mm, page) : -1, want_pfn);
	if (page != &mm.pages[want_pfn])
		return;
	for (unsigned int i = 1; i < 1u << order; i++)
		tails_zero &= page_ref_count(&mm, page + i) == 0;
	CHECK(page_ref_count(&mm, page) == 1 && tails_zero,
	      "p%u: head count %d, tails all 0: %d", want_pfn, page_ref_count(&mm, page), tails_zero);
	/* As prep_compound_page: a single page is never compound. */
	CHECK(PageHead(page) == (comp && order) && page->order == (comp ? order : 0),
	      "p%u order %u comp %d: PageHead %d, order %u", want_pfn, order, comp, PageHead(page),
	      page->order);
}

/* alloc_pages takes the lowest smallest-sufficient block, keeping lower halves. */
static void test_split_exact(void)
{
	mm_init(&mm, 16, 4, false);
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
	CHECK(alloc_pages(&mm, 3, false) == NULL, "order 3 allocated with 6 pages free");
	CHECK(alloc_pages(&mm, 5, false) == NULL, "order 5 allocated on 16 pages");
	check_free_blocks((struct blk[]){ { 10, 1 }, { 12, 2 } }, 2, "after failed allocs");
	check_no_bug("split");
}

/* Drop an allocation the owner holds alone: put_page for a compound block
 * (frees it whole), count to 0 and free_the_page for any other. */
static void release(struct page *page, unsigned int order)
{
	if (PageHead(page)) {
		put_page(&mm, page);
	} else {
		set_page_count(&mm, page, 0);
		free_the_page(&mm, page, order);
	}
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

	mm_init(&mm, 16, 4, false);
	for (int perm = 0; perm < 120; perm++) {
		int left[5] = { 0, 1, 2, 3, 4 }, nleft = 5, code = perm;
		char when[64];

		mm_reset(&mm);
		for (int i = 0; i < 5; i++)
			alloc_pages(&mm, allocs[i].order, allocs[i].comp);
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
		CHECK(!PageHead(&mm.pages[4]) && !PageHead(&mm.pages[1]),
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

		mm_init(&mm, sizes[s], 4, false);
		for (op = 0; op < 3000 && !why[0]; op++) {
			int sum = 0;

			if (nheld && xorshift(&rng) % 2) {
				int i = (int)(xorshift(&rng) % (unsigned)nheld);

				if (xorshift(&rng) % 4 == 0)
					free_pages_correctly(&mm, held[i].page, held[i].order);
				else
					release(held[i].page, held[i].order);
				held[i] = held[--nheld];
			} else {
				unsigned int order = (unsigned int)(xorshift(&rng) % (mm.max_order + 1));
				bool comp = xorshift(&rng) % 2;
				int want = predicted_alloc(order);
				struct page *page = alloc_pages(&mm, order, comp);
				int got = page ? page_to_pfn(&mm, page) : -1;

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

/* Double and misaligned frees are reported, the first bug only, lists untouched. */
static void test_double_free(void)
{
	struct page *p0;

	mm_init(&mm, 16, 4, false);
	p0 = alloc_pages(&mm, 2, false);
	set_page_count(&mm, p0, 0);
	free_the_page(&mm, &mm.pages[2], 1);
	check_no_bug("freeing p2-p3 of an allocated order-2 block");
	free_the_page(&mm, p0, 2);
	check_bug(MM_BUG_DOUBLE_FREE, 2, "p0-p3 with p2-p3 free");
	check_free_blocks((struct blk[]){ { 2, 1 }, { 4, 2 }, { 8, 3 } }, 3, "after double free");
	free_the_page(&mm, &mm.pages[1], 1);
	check_bug(MM_BUG_DOUBLE_FREE, 2, "the first bug kept");

	mm_reset(&mm);
	check_bug(MM_BUG_NONE, -1, "mm_reset");
	p0 = alloc_pages(&mm, 0, false);
	set_page_count(&mm, p0, 0);
	free_the_page(&mm, p0, 0);
	check_no_bug("single free");
	free_the_page(&mm, p0, 0);
	check_bug(MM_BUG_DOUBLE_FREE, 0, "p0 freed twice");
	check_free_blocks((struct blk[]){ { 0, 4 } }, 1, "after p0 freed twice");

	mm_reset(&mm);
	alloc_pages(&mm, 3, false);
	free_the_page(&mm, &mm.pages[1], 1);
	check_bug(MM_BUG_BUDDY_CORRUPT, 1, "p1 at order 1");
	check_free_blocks((struct blk[]){ { 8, 3 } }, 1, "after misaligned free");

	mm_reset(&mm);
	alloc_pages(&mm, 4, false);
	set_page_count(&mm, &mm.pages[0], 0);
	free_the_page(&mm, &mm.pages[0], 5);
	check_bug(MM_BUG_BUDDY_CORRUPT, 0, "p0 at order 5 on 16 pages");
	check_free_blocks(NULL, 0, "after oversized free");
}

/* The refcount helpers, with atomic or plain (racy) updates alike. */
static void test_refcount(bool racy)
{
	struct page *page;

	mm_init(&mm, 16, 4, racy);
	page = alloc_pages(&mm, 0, false);
	CHECK(get_page_unless_zero(&mm, page) && page_ref_count(&mm, page) == 2,
	      "racy %d: get_page_unless_zero on 1 gives count %d", racy, page_ref_count(&mm, page));
	get_page(&mm, page);
	CHECK(page_ref_count(&mm, page) == 3, "racy %d: get_page on 2 gives %d", racy,
	      page_ref_count(&mm, page));
	CHECK(!put_page_testzero(&mm, page) && !put_page_testzero(&mm, page) &&
		      page_ref_count(&mm, page) == 1,
	      "racy %d: two puts from 3 give %d", racy, page_ref_count(&mm, page));
	CHECK(put_page_testzero(&mm, page) && page_ref_count(&mm, page) == 0,
	      "racy %d: the last put not seen, count %d", racy, page_ref_count(&mm, page));
	CHECK(!page_is_free(&mm, page), "racy %d: put_page_testzero freed the page", racy);
	check_no_bug("refcount");
	CHECK(!get_page_unless_zero(&mm, page) && page_ref_count(&mm, page) == 0,
	      "racy %d: get_page_unless_zero on 0 gives count %d", racy, page_ref_count(&mm, page));
	check_no_bug("get_page_unless_zero on 0");
	CHECK(!put_page_testzero(&mm, page) && page_ref_count(&mm, page) == 0,
	      "racy %d: put_page_testzero on 0 gives count %d", racy, page_ref_count(&mm, page));
	check_bug(MM_BUG_REFCOUNT_UNDERFLOW, 0, racy ? "racy underflow" : "underflow");

	mm_reset(&mm);
	get_page(&mm, &mm.pages[3]);
	CHECK(page_ref_count(&mm, &mm.pages[3]) == 0, "racy %d: get_page on free p3 gives %d", racy,
	      page_ref_count(&mm, &mm.pages[3]));
	check_bug(MM_BUG_USE_AFTER_FREE, 3, racy ? "racy get_page on 0" : "get_page on 0");

	mm_reset(&mm);
	page = alloc_pages(&mm, 2, false);
	put_page(&mm, page);
	check_free_blocks((struct blk[]){ { 0, 0 }, { 4, 2 }, { 8, 3 } }, 3,
			  racy ? "racy put_page non-compound" : "put_page non-compound");

	mm_reset(&mm);
	page = alloc_pages(&mm, 2, true);
	get_page(&mm, page);
	put_page(&mm, page);
	CHECK(PageHead(page) && !page_is_free(&mm, page), "racy %d: put_page from 2 freed", racy);
	put_page(&mm, page);
	CHECK(!PageHead(page), "racy %d: PG_head kept after the compound free", racy);
	check_free_blocks((struct blk[]){ { 0, 4 } }, 1,
			  racy ? "racy put_page compound" : "put_page compound");
	check_no_bug("put_page");
}

/* Link fills an empty slot only, unlink empties it and returns its page. */
static void test_page_cache(void)
{
	struct page *p, *q;

	mm_init(&mm, 16, 4, false);
	p = alloc_pages(&mm, 0, false);
	q = alloc_pages(&mm, 0, false);
	CHECK(page_cache_load(&mm, 0) == NULL, "slot 0 not empty at boot");
	CHECK(page_cache_link(&mm, 0, p), "link into an empty slot failed");
	CHECK(page_cache_load(&mm, 0) == p, "slot 0 does not hold the linked page");
	CHECK(!page_cache_link(&mm, 0, q), "link into an occupied slot succeeded");
	CHECK(page_cache_load(&mm, 0) == p, "failed link changed the slot");
	CHECK(page_cache_link(&mm, 3, q) && page_cache_load(&mm, 3) == q, "link into slot 3 failed");
	CHECK(page_cache_load(&mm, 1) == NULL && page_cache_load(&mm, 2) == NULL,
	      "links touched other slots");
	CHECK(page_cache_unlink(&mm, 0) == p, "unlink did not return the page");
	CHECK(page_cache_load(&mm, 0) == NULL, "unlink left the slot full");
	CHECK(page_cache_unlink(&mm, 0) == NULL, "unlink of an empty slot returned a page");
	CHECK(page_cache_load(&mm, 3) == q, "unlink of slot 0 touched slot 3");
	CHECK(page_ref_count(&mm, p) == 1 && page_ref_count(&mm, q) == 1,
	      "the cache changed refcounts");
}

/* Run one __free_pages of variant v to the end; its steps go to seq ("head,dec"). */
static void run_free_pages(int v, struct page *page, unsigned int order, char *seq, size_t len)
{
	struct free_pages_call call = { .page = page, .order = order };
	bool done = false;

	seq[0] = 0;
	for (int n = 0; !done && n < 8; n++) {
		enum step_kind kind = variants[v]->free_pages(&mm, &call, &done);

		snprintf(seq + strlen(seq), len - strlen(seq), "%s%s", n ? "," : "",
			 kind < STEP_NKINDS ? step_names[kind] : "?");
	}
}

/* Each variant's steps and frees of an order-2 block, alone or with a getter. */
static void test_variant_steps(void)
{
	static const struct {
		int v;
		const char *alone, *shared; /* step sequences at count 1, 2 */
		int lost; /* non-compound, shared: pages lost after both puts */
	} cases[] = {
		{ VARIANT_V5_9, "dec", "dec", 3 },
		{ VARIANT_V5_10, "dec", "dec,tails", 0 },
		{ VARIANT_V6_2, "head,dec", "head,dec", 0 },
		{ VARIANT_RACY_REFCOUNT, "head,dec", "head,dec", 0 },
	};

	for (unsigned int c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		for (int comp = 0; comp < 2; comp++) {
			for (int shared = 0; shared < 2; shared++) {
				int v = cases[c].v, want_free;
				const char *want_seq = shared ? cases[c].shared : cases[c].alone;
				char seq[64], when[96];
				struct page *page;

				snprintf(when, sizeof(when), "%s %s %s", variants[v]->name,
					 comp ? "compound" : "non-compound", shared ? "shared" : "alone");
				mm_init(&mm, 16, 4, variants[v]->racy_refcount);
				page = alloc_pages(&mm, 2, comp);
				if (shared)
					get_page_unless_zero(&mm, page);
				run_free_pages(v, page, 2, seq, sizeof(seq));
				CHECK(!strcmp(seq, want_seq), "%s: steps %s, want %s", when, seq, want_seq);
				if (!shared)
					want_free = 16;
				else if (comp || v == VARIANT_V5_9)
					want_free = 12;
				else
					want_free = 15;
				CHECK(nr_free_pages(&mm) == want_free && page_is_free(&mm, page) == !shared,
				      "%s: %d pages free after __free_pages, want %d", when,
				      nr_free_pages(&mm), want_free);
				if (shared) {
					put_page(&mm, page);
					want_free = comp ? 16 : 16 - cases[c].lost;
					CHECK(nr_free_pages(&mm) == want_free && page_is_free(&mm, page),
					      "%s: %d pages free after the getter's put, want %d", when,
					      nr_free_pages(&mm), want_free);
				}
				check_valid(when);
				check_no_bug(when);
			}
		}
	}
}

/* CVE-2023-52739: v5.10 frees a compound block's tails twice, v6.2 does not. */
static void test_cve_2023_52739(void)
{
	struct free_pages_call call;
	struct page *page;
	bool done = false;
	enum step_kind kind;

	mm_init(&mm, 16, 4, false);
	page = alloc_pages(&mm, 2, true);
	get_page_unless_zero(&mm, page);
	call = (struct free_pages_call){ .page = page, .order = 2 };
	kind = variants[VARIANT_V5_10]->free_pages(&mm, &call, &done);
	CHECK(kind == STEP_DEC && !done && page_ref_count(&mm, page) == 1,
	      "v5.10 first step %d done %d count %d", kind, done, page_ref_count(&mm, page));
	put_page(&mm, page);
	CHECK(nr_free_pages(&mm) == 16 && !PageHead(page),
	      "the getter's put: %d free, PageHead %d", nr_free_pages(&mm), PageHead(page));
	check_no_bug("v5.10 before the tails");
	kind = variants[VARIANT_V5_10]->free_pages(&mm, &call, &done);
	CHECK(kind == STEP_TAILS && done, "v5.10 second step %d done %d", kind, done);
	check_bug(MM_BUG_DOUBLE_FREE, 2, "v5.10 tails of a freed compound page");
	check_free_blocks((struct blk[]){ { 0, 4 } }, 1, "v5.10 after the double free");

	for (int v = VARIANT_V6_2; v <= VARIANT_RACY_REFCOUNT; v++) {
		mm_init(&mm, 16, 4, variants[v]->racy_refcount);
		page = alloc_pages(&mm, 2, true);
		get_page_unless_zero(&mm, page);
		call = (struct free_pages_call){ .page = page, .order = 2 };
		done = false;
		kind = variants[v]->free_pages(&mm, &call, &done);
		CHECK(kind == STEP_HEAD && !done && call.head, "%s first step %d done %d head %d",
		      variants[v]->name, kind, done, call.head);
		put_page(&mm, page);
		CHECK(nr_free_pages(&mm) == 12 && page_ref_count(&mm, page) == 1,
		      "%s: the getter's put freed %d pages, count %d", variants[v]->name,
		      nr_free_pages(&mm) - 12, page_ref_count(&mm, page));
		kind = variants[v]->free_pages(&mm, &call, &done);
		CHECK(kind == STEP_DEC && done, "%s second step %d done %d", variants[v]->name, kind,
		      done);
		check_no_bug(variants[v]->name);
		check_free_blocks((struct blk[]){ { 0, 4 } }, 1, variants[v]->name);
	}
}

/* free_pages_correctly frees a block whole; with a getter, all its put will not. */
static void test_free_pages_correctly(void)
{
	mm_init(&mm, 16, 4, false);
	for (unsigned int order = 0; order <= 4; order++) {
		for (int comp = 0; comp < 2; comp++) {
			struct page *page;

			mm_reset(&mm);
			page = alloc_pages(&mm, order, comp);
			free_pages_correctly(&mm, page, order);
			CHECK(nr_free_pages(&mm) == 16, "order %u comp %d: %d free", order, comp,
			      nr_free_pages(&mm));
			page = alloc_pages(&mm, order, comp);
			get_page(&mm, page);
			free_pages_correctly(&mm, page, order);
			CHECK(nr_free_pages(&mm) == (comp ? 16 - (1 << order) : 15) &&
				      page_ref_count(&mm, page) == 1,
			      "order %u comp %d, shared: %d free", order, comp, nr_free_pages(&mm));
			put_page(&mm, page);
			check_free_blocks((struct blk[]){ { 0, 4 } }, 1, "free_pages_correctly");
			check_no_bug("free_pages_correctly");
		}
	}
}

void test_model(void)
{
	test_split_exact();
	test_merge_exact();
	test_random_sequences();
	test_double_free();
	test_refcount(false);
	test_refcount(true);
	test_page_cache();
	test_variant_steps();
	test_cve_2023_52739();
	test_free_pages_correctly();
}
