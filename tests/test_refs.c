/* test_refs.c: the refcount sanitizer (--refs, the rule in
 * src/exec/primitives.c): each case it reports, each exception of its rule,
 * the two causes it must find in one replay, and silence without --refs.
 */
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "exec/exec.h"
#include "report/story.h"
#include "test.h"

static struct exec *x;

__attribute__((constructor)) static void make_refs_exec(void)
{
	x = exec_new();
}

/* Run text under v with the sanitizer on or off; the verdict's name. */
static const char *run_refs(const char *text, const struct variant *v, bool refs)
{
	static struct program prog;
	struct parse_error err;

	if (!program_parse(&prog, text, strlen(text), &err)) {
		CHECK(false, "test program does not parse: %d: %s", err.line, err.msg);
		return "(no parse)";
	}
	x->refs = refs;
	exec_run(x, &prog, v);
	x->refs = false;
	return verdict_names[x->verdict.kind];
}

static const struct variant *named(const char *name)
{
	return variant_by_name(name, (int)strlen(name));
}

/* Kernel code written here, as a variant file would be, on 6.2's defaults. */
static struct variant made;

static const struct variant *with_free_pages(const char *name, void (*free_pages)(struct page *, unsigned int))
{
	made = pr_v6_2_variant;
	made.name = name;
	made.path = "tests/test_refs.c";
	made.free_pages = free_pages;
	return &made;
}

/* The cache's page, shared: cpu 1's lookup holds it while cpu 0's
 * __free_pages puts its own reference (the one a get gave it).  Without
 * the schedule's help no interleaving is needed: cpu 1 holds its reference
 * until cpu 0 is done. */
static const char shared_get[] = "cache 0\ncpu 0: get 0 h; free h\n";

/* The CVE-2023-52739 shape with the put of the other holder after the
 * owner's: nothing breaks, v5.10 reads PageHead without a reference. */
static const char cve_calm[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a comp; free a\n"
			       "schedule: 0 1 1 1 0 1 1\n";

static const char cve_calm_tag[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n"
				   "schedule: 0 1 1 1 0 1 1 1\n";

static int line_of_put, line_of_flags, line_of_tag;

/* 6.2's __free_pages with PageHead read after the put, as v5.10 does. */
static void free_pages_flags_after_put(struct page *page, unsigned int order)
{
	line_of_put = __LINE__ + 1;
	if (put_page_testzero(page))
		free_the_page(page, order);
	else if ((line_of_flags = __LINE__), !PageHead(page))
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}

/* 51ff4d7486f0's tag read after the put. */
static void free_pages_tag_after_put(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head) {
		line_of_tag = __LINE__ + 1;
		pgalloc_tag_sub_pages(page, (1 << order) - 1);
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
	}
}

/* A put too many: the caller's one reference dropped twice. */
static void free_pages_put_twice(struct page *page, unsigned int order)
{
	(void)order;
	page_ref_dec(page);
	line_of_put = __LINE__ + 1;
	page_ref_dec(page);
}

/* Exception 2: the owner tests the flags of its non-compound block's tail
 * pages, then frees the block as 6.2 does. */
static void free_pages_reads_tails(struct page *page, unsigned int order)
{
	for (unsigned int i = 1; i < 1u << order; i++)
		BUG_ON(PageHead(page + i));
	pr_v6_2_variant.free_pages(page, order);
}

/* The same tail read after the block went back to the buddy: no longer
 * the owner's. */
static void free_pages_reads_tail_after(struct page *page, unsigned int order)
{
	pr_v6_2_variant.free_pages(page, order);
	line_of_flags = __LINE__ + 1;
	BUG_ON(PageHead(page + 1));
}

static bool detail_names(const char *fn, int pfn, int line)
{
	char want[160];

	snprintf(want, sizeof(want), "%s(p%d) without a reference at test_refs.c:%d", fn, pfn, line);
	CHECK_STREQ(x->verdict.detail, want);
	return !strcmp(x->verdict.detail, want);
}

/* A flag test of a page the cpu holds no reference to. */
TEST(refs_reports_flags_read)
{
	CHECK_STREQ(run_refs(shared_get, with_free_pages("flags-after", free_pages_flags_after_put), true),
		    "unreferenced-access");
	detail_names("PageHead", 0, line_of_flags);
	CHECK_EQ(x->verdict.step, 5); /* load get recheck dec, then the test */
	CHECK_STREQ(run_refs(shared_get, &made, false), "ok");
}

/* A tag read of a page the cpu holds no reference to. */
TEST(refs_reports_tag_read)
{
	CHECK_STREQ(run_refs(shared_get, with_free_pages("tag-after", free_pages_tag_after_put), true),
		    "unreferenced-access");
	detail_names("pgalloc_tag_sub_pages", 0, line_of_tag);
	CHECK_STREQ(run_refs(shared_get, &made, false), "ok");
}

/* A put of a reference the cpu no longer holds, reported before the
 * underflow it causes. */
TEST(refs_reports_put_without_reference)
{
	CHECK_STREQ(run_refs("cache 0\ncpu 0: get 0 h; free h\n", with_free_pages("put-twice", free_pages_put_twice),
			     true),
		    "unreferenced-access");
	detail_names("page_ref_dec", 0, line_of_put);
	/* Without --refs the second put takes the cache's reference: the
	 * page is lost to nobody, and freed under the cache. */
	CHECK(strcmp(run_refs("cache 0\ncpu 0: get 0 h; free h\n", &made, false), "unreferenced-access"),
	      "without --refs: %s", verdict_names[x->verdict.kind]);
}

/* The two causes of the issue, each in the first replay of a program
 * where the block is shared, with no schedule search. */
TEST(refs_finds_both_causes_in_one_replay)
{
	CHECK_STREQ(run_refs(shared_get, named("v5.10"), true), "unreferenced-access");
	CHECK(strstr(x->verdict.detail, "PageHead(p0) without a reference at v5.10.c:"), "%s", x->verdict.detail);
	CHECK_STREQ(run_refs(cve_calm, named("v5.10"), true), "unreferenced-access");
	CHECK_STREQ(run_refs(cve_calm, named("v5.10"), false), "ok");
	CHECK_STREQ(run_refs(shared_get, with_free_pages("tag-after", free_pages_tag_after_put), true),
		    "unreferenced-access");
	/* 51ff4d7486f0's bug is a non-compound block's, whose PageHead is
	 * read first: one step more for cpu 1. */
	CHECK_STREQ(run_refs(cve_calm_tag, &made, true), "unreferenced-access");
	CHECK(strstr(x->verdict.detail, "pgalloc_tag_sub_pages(p0) without a reference"), "%s", x->verdict.detail);
	CHECK_STREQ(run_refs(cve_calm_tag, &made, false), "ok");
}

/* The correct kernels on every story and the programs above: silent. */
TEST(refs_silent_on_correct_kernels)
{
	static const char *const programs[] = {
		shared_get, cve_calm,
		"cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a comp; free a\nschedule: 0 1 1 1 0 0 1 0 1\n",
		"cache 0 1\ncpu 0: lookup 1\ncpu 1: remove 1\ncpu 2: add 0\nschedule: 0 1 1 2 0 2 0 0\n",
		"cpu 0: alloc 2 a; free a\n", "cpu 0: alloc 2 a comp; ref a; free a; put a\n",
		"cache 0\ncpu 0: get 0 h; put h\ncpu 1: remove 0; add 0\n",
	};

	for (size_t i = 0; i < sizeof(programs) / sizeof(*programs); i++) {
		CHECK(!strcmp(run_refs(programs[i], named("v6.2"), true), "ok") ||
			      x->verdict.kind != VERDICT_UNREFERENCED_ACCESS,
		      "v6.2 on program %zu: %s: %s", i, verdict_names[x->verdict.kind], x->verdict.detail);
		CHECK(strcmp(run_refs(programs[i], named("v5.9"), true), "unreferenced-access"),
		      "v5.9 (frees compound pages whole, reads nothing after its put) on program %zu: %s", i,
		      x->verdict.detail);
	}
}

/* Exception 1: the speculative get of a page the cpu holds nothing of
 * (every lookup's); without it every lookup would be reported. */
TEST(refs_exception_speculative_get)
{
	CHECK_STREQ(run_refs("cache 0\ncpu 0: lookup 0\n", named("v6.2"), true), "ok");
	CHECK_EQ(x->trace[1].kind, STEP_GET);
	CHECK(x->trace[1].yes, "the get succeeded");
}

/* Exception 2: the owner's tail pages of a non-compound block, until they
 * are freed. */
TEST(refs_exception_owner_tails)
{
	CHECK_STREQ(run_refs("cpu 0: alloc 2 a; free a\n", with_free_pages("reads-tails", free_pages_reads_tails), true),
		    "ok");
	CHECK_EQ(x->nsteps, 6); /* alloc, three tail tests, head, dec */
	/* A compound block's tails are pinned by the head's reference. */
	CHECK_STREQ(run_refs("cpu 0: alloc 2 a comp; free a\n", &made, true), "ok");
	CHECK_STREQ(run_refs("cpu 0: alloc 2 a; free a\n",
			     with_free_pages("reads-tail-after", free_pages_reads_tail_after), true),
		    "unreferenced-access");
	detail_names("PageHead", 1, line_of_flags);
}

/* Exception 3: the last put's free path reads the order of a page the cpu
 * no longer holds (compound_order in __put_page): a compound page freed
 * by folio_put is silent. */
TEST(refs_exception_free_path_order)
{
	CHECK_STREQ(run_refs("cpu 0: alloc 2 a comp; ref a; put a; free a\n", named("v6.2"), true), "ok");
	CHECK_EQ(x->trace[x->nsteps - 1].free_lo, 0);
	CHECK_EQ(x->trace[x->nsteps - 1].free_hi, 3);
}

/* Without --refs the verdict is never unreferenced-access, however the
 * kernel code touches pages. */
TEST(refs_verdict_absent_without_flag)
{
	CHECK_STREQ(run_refs(shared_get, named("v5.10"), false), "ok");
	CHECK_STREQ(run_refs(shared_get, with_free_pages("put-twice", free_pages_put_twice), false),
		    verdict_names[x->verdict.kind]);
	CHECK(x->verdict.kind != VERDICT_UNREFERENCED_ACCESS, "put-twice without --refs: %s",
	      verdict_names[x->verdict.kind]);
}

/* A story kept from a --refs run expects both: the plain verdicts, which
 * replay gives (cve_calm is ok on every variant without the sanitizer),
 * and the sanitizer's, which replay --refs gives (v5.10's unreferenced
 * access, the others ok). */
TEST(refs_story_expects_both_modes)
{
	static struct program prog;
	struct parse_error err;
	struct story_expect e;
	char dir[] = "/tmp/pagerace-refs-XXXXXX", line[256];
	const char *path;
	int seen[2] = { 0, 0 };
	FILE *f;

	if (!program_parse(&prog, cve_calm, strlen(cve_calm), &err) || !mkdtemp(dir)) {
		CHECK(false, "no program or no temporary directory");
		return;
	}
	x->refs = true;
	exec_run(x, &prog, named("v5.10"));
	CHECK_STREQ(verdict_names[x->verdict.kind], "unreferenced-access");
	path = regression_write(dir, x, &prog, "test_refs");
	CHECK(x->refs, "regression_write left the sanitizer off");
	x->refs = false;
	if (!path || !(f = fopen(path, "r"))) {
		CHECK(false, "regression_write wrote nothing in %s", dir);
		rmdir(dir);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (story_expect_parse(line, &e) != 1)
			continue;
		seen[e.refs] |= 1 << variant_index(e.variant);
		CHECK_STREQ(e.verdict, e.refs && e.variant == named("v5.10") ? "unreferenced-access" : "ok");
	}
	fclose(f);
	CHECK_EQ(seen[0], (1 << NR_VARIANTS) - 1);
	CHECK_EQ(seen[1], (1 << NR_VARIANTS) - 1);
	unlink(path);
	rmdir(dir);
}
