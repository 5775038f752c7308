/* test_exec.c: programs run end to end on the scheduler: the story of the
 * issue on every variant, the schedule's rules, each verdict, determinism
 * of the trace, and every corpus/regressions file against its expect lines.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "report/report.h"
#include "report/story.h"
#include "test.h"

static struct exec *x;

/* One execution, reset by each run, serves every test of the file. */
__attribute__((constructor)) static void make_exec(void)
{
	x = exec_new();
}

static const char story[] =
	"cache 0\n"
	"cpu 0: lookup 0\n"
	"cpu 1: remove 0; alloc 2 a; free a\n"
	"schedule: 0 1 1 1 0 0 1 0\n";

static bool run_variant(const char *text, const struct variant *v, char **out)
{
	static struct program prog;
	struct parse_error err;
	size_t len;

	if (!program_parse(&prog, text, strlen(text), &err)) {
		CHECK(false, "test program does not parse: %d: %s", err.line, err.msg);
		if (out)
			*out = strdup("");
		return false;
	}
	exec_run(x, &prog, v);
	if (out) {
		FILE *f = open_memstream(out, &len);

		report_print(f, x);
		fclose(f);
	}
	return true;
}

/* Parse and run text under the named variant; the report in *out if asked. */
static bool run(const char *text, const char *vname, char **out)
{
	const struct variant *v = variant_by_name(vname, (int)strlen(vname));

	CHECK(v, "no variant %s", vname);
	if (!v) {
		if (out)
			*out = strdup("");
		return false;
	}
	return run_variant(text, v, out);
}

static const char *verdict_of(const char *text, const char *vname)
{
	static char words[64];

	if (!run(text, vname, NULL))
		return "(no parse)";
	report_verdict_words(words, sizeof(words), &x->verdict);
	return words;
}

/* The example of the issue: lost-pages 3 before e320d3012d25, ok after. */
TEST(story_on_every_variant)
{
	CHECK_STREQ(verdict_of(story, "v5.9"), "lost-pages 3");
	CHECK_EQ(x->sched.preemptions, 3);
	CHECK_EQ(x->nsteps, 9);
	CHECK_STREQ(x->verdict.detail, "p1-p3");
	CHECK_STREQ(verdict_of(story, "v5.10"), "ok");
	CHECK_STREQ(verdict_of(story, "v6.2"), "ok");
	CHECK_STREQ(verdict_of(story, "racy-refcount"), "ok");
}

/* The line of the nth line of path (from the project root) holding needle,
 * 0 when there is none: the trace names kernel code by file and line, and
 * the files are others' to edit. */
static int line_of(const char *path, const char *needle, int nth)
{
	FILE *f = fopen(path, "r");
	char buf[4096];
	int line = 0, found = 0;

	if (!f)
		return 0;
	while (fgets(buf, sizeof(buf), f)) {
		line++;
		if (strstr(buf, needle) && ++found == nth) {
			fclose(f);
			return line;
		}
	}
	fclose(f);
	return 0;
}

/* A whole line of out, exactly. */
static bool has_line(const char *out, const char *want)
{
	size_t n = strlen(want);

	for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, want, n) && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

struct row {
	int cpu;
	char cell[128];
};

/* The step rows of a trace, each exactly its cell in its cpu's column
 * (the column of "cpu N" in the header), numbered from 1; and no more
 * rows than these. */
static void check_rows(const char *out, const struct row *rows, int n, const char *when)
{
	const char *head = strstr(out, "\nstep  ");
	int col[PR_MAX_CPUS] = { 0 }, got = 0;

	CHECK(head != NULL, "%s: no header row:\n%s", when, out);
	if (!head)
		return;
	head++;
	const char *eol = strchr(head, '\n');
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		char name[16];
		const char *at;

		snprintf(name, sizeof(name), "cpu %d", c);
		at = strstr(head, name);
		col[c] = at && at < eol ? (int)(at - head) : -1;
	}
	for (const char *p = eol + 1; *p && *p != '\n'; got++) {
		const char *end = strchr(p, '\n');
		int len = end ? (int)(end - p) : (int)strlen(p);
		char line[512], lead[16];

		snprintf(line, sizeof(line), "%.*s", len, p);
		p = end ? end + 1 : p + len;
		if (got >= n)
			continue;
		snprintf(lead, sizeof(lead), "%4d", got + 1);
		int c = col[rows[got].cpu];
		bool blank = c > 4 && !strncmp(line, lead, 4);

		for (int i = 4; blank && i < c; i++)
			blank = line[i] == ' ';
		CHECK(c > 0 && blank && len > c && !strcmp(line + c, rows[got].cell),
		      "%s: row %d is\n'%s'\nwant cpu %d's column (%d) to be exactly\n'%s'", when, got + 1, line,
		      rows[got].cpu, c, rows[got].cell);
	}
	CHECK(got == n, "%s: %d step rows, want %d", when, got, n);
}

/* The trace names each step by the kernel code's file and line, the
 * primitive it called and what it did, in its cpu's column, as the mail
 * tells the race; it ends with the verdict line. */
TEST(story_trace_reads_like_the_mail)
{
	const int load = line_of("variants/v6.2.c", "xas_load(&xas)", 1),
		  tryget = line_of("variants/v6.2.c", "folio_try_get_rcu(folio)", 1),
		  reload = line_of("variants/v6.2.c", "xas_reload(&xas)", 1),
		  put = line_of("variants/v6.2.c", "folio_put(folio);", 1),
		  lookup_put = line_of("variants/v6.2.c", "folio_put(folio);", 2),
		  del = line_of("src/exec/filemap.c", "PR_SITE(\"page_cache_delete\"", 1),
		  alloc = line_of("src/exec/ops.c", "alloc_pages(GFP_KERNEL | (op->comp", 1),
		  dec59 = line_of("variants/v5.9.c", "put_page_testzero(page)", 1),
		  dec510 = line_of("variants/v5.10.c", "put_page_testzero(page)", 1),
		  head510 = line_of("variants/v5.10.c", "PageHead(page)", 1),
		  head62 = line_of("variants/v6.2.c", "= PageHead(page)", 1),
		  dec62 = line_of("variants/v6.2.c", "put_page_testzero(page)", 1);
	struct row rows[10] = {
		{ 0, "" }, { 1, "" }, { 1, "" }, { 1, "" }, { 0, "" }, { 0, "" }, { 1, "" }, { 0, "" }, { 0, "" }, { 1, "" },
	};
	char *out = NULL;

	CHECK(load && tryget && reload && put && lookup_put > put && del && alloc && dec59 && dec510 &&
		      head510 && head62 && dec62,
	      "a call the trace names is not in its file any more");
#define ROW(i, ...) snprintf(rows[i].cell, sizeof(rows[i].cell), __VA_ARGS__)
	ROW(0, "v6.2.c:%d  xas_load(s0): p0", load);
	ROW(1, "filemap.c:%d  page_cache_delete(s0): p0", del);
	ROW(2, "v6.2.c:%d  folio_put(p0) 1->0, frees p0", put);
	ROW(3, "ops.c:%d  alloc_pages(o2): p0-p3", alloc);
	ROW(4, "v6.2.c:%d  folio_try_get_rcu(p0) 1->2", tryget);
	ROW(5, "v6.2.c:%d  xas_reload(s0): changed", reload);
	ROW(6, "v5.9.c:%d  put_page_testzero(p0) 2->1", dec59);
	ROW(7, "v6.2.c:%d  folio_put(p0) 1->0, frees p0", lookup_put);
	ROW(8, "v6.2.c:%d  xas_load(s0): empty", load);
	run(story, "v5.9", &out);
	CHECK(starts_with(out, "variant v5.9 (variants/v5.9.c), 16 pages, 4 slots\ncache s0: p0, refcount 1\n\nstep  "),
	      "header:\n%s", out);
	check_rows(out, rows, 9, "v5.9 story");
	CHECK(has_line(out, "schedule: 0 1 1 1 0 0 1 0 0"), "%s", out);
	CHECK(has_line(out, "(9 steps, 3 preemptions)"), "%s", out);
	CHECK(has_line(out, "at the end: p1-p3 neither free nor held"), "%s", out);
	const char *last = "verdict: lost-pages 3\n";
	CHECK(strlen(out) > strlen(last) && !strcmp(out + strlen(out) - strlen(last), last), "%s", out);
	free(out);

	/* 5.10: the tails freed after the put that was not the last. */
	out = NULL;
	ROW(6, "v5.10.c:%d  put_page_testzero(p0) 2->1", dec510);
	ROW(9, "v5.10.c:%d  PageHead(p0): no, frees p1-p3", head510);
	run(story, "v5.10", &out);
	CHECK(starts_with(out, "variant v5.10 (variants/v5.10.c), 16 pages, 4 slots\n"), "%s", out);
	check_rows(out, rows, 10, "v5.10 story");
	CHECK(has_line(out, "schedule: 0 1 1 1 0 0 1 0 0 1") && has_line(out, "(10 steps, 4 preemptions)") &&
		      has_line(out, "verdict: ok") && !strstr(out, "at the end"),
	      "%s", out);
	free(out);

	/* 6.2: PageHead read before the put, the whole block freed by the last. */
	out = NULL;
	ROW(6, "v6.2.c:%d  PageHead(p0): no", head62);
	ROW(7, "v6.2.c:%d  folio_put(p0) 2->1", lookup_put);
	ROW(9, "v6.2.c:%d  put_page_testzero(p0) 1->0, frees p0-p3", dec62);
	run(story, "v6.2", &out);
	check_rows(out, rows, 10, "v6.2 story");
	CHECK(has_line(out, "verdict: ok"), "%s", out);
	free(out);

	/* The CVE on 5.10: PageHead read after the other holder freed the
	 * compound page; the violating step marked in its column. */
	out = NULL;
	run("cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a comp; free a\nschedule: 0 1 1 1 0 0 1 0 1\n",
	    "v5.10", &out);
	ROW(3, "ops.c:%d  alloc_pages(o2 comp): p0-p3", alloc);
	ROW(6, "v5.10.c:%d  put_page_testzero(p0) 2->1", dec510);
	ROW(7, "v6.2.c:%d  folio_put(p0) 1->0, frees p0-p3", lookup_put);
	rows[8].cpu = 1;
	ROW(8, "v5.10.c:%d  PageHead(p0): no !! double-free", head510);
	check_rows(out, rows, 9, "v5.10 CVE");
	CHECK(has_line(out, "at step 9: p2 freed while it is free") && has_line(out, "verdict: double-free"), "%s",
	      out);
	free(out);
#undef ROW
}

/* The built-in variants take the steps of the README's table: the lookup's
 * load, get, recheck, put; the removal's unlink and put; alloc; and each
 * __free_pages as its variant writes it (v5.9: dec; v5.10: dec, then
 * unless zero head; v6.2: head, dec). */
static const char *const kind_names[STEP_NKINDS] = {
	[STEP_LOAD] = "load", [STEP_GET] = "get",     [STEP_RECHECK] = "recheck", [STEP_PUT] = "put",
	[STEP_UNLINK] = "unlink", [STEP_ALLOC] = "alloc", [STEP_LINK] = "link",   [STEP_REF] = "ref",
	[STEP_DEC] = "dec",   [STEP_HEAD] = "head",   [STEP_TAG] = "tag",         [STEP_READ] = "read",
	[STEP_WRITE] = "write", [STEP_CMPXCHG] = "cmpxchg", [STEP_LOCK] = "lock",
};

/* The trace as "kind kind ...", "cpu cpu ...". */
static void trace_shape(char *kinds, char *cpus, size_t len)
{
	kinds[0] = cpus[0] = '\0';
	for (int i = 0; i < x->nsteps; i++) {
		const struct trace_step *t = &x->trace[i];

		snprintf(kinds + strlen(kinds), len - strlen(kinds), "%s%s", i ? " " : "",
			 t->kind < STEP_NKINDS ? kind_names[t->kind] : "?");
		snprintf(cpus + strlen(cpus), len - strlen(cpus), "%s%d", i ? " " : "", t->cpu);
	}
}

TEST(steps_follow_the_table)
{
	static const char wilcox[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n"
				     "schedule: 0 1 1 1 0 0 1 0\n";
	static const char linus[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0\ncpu 2: alloc 2 a; free a\n"
				    "schedule: 0 1 1 2 0 0 2 0\n";
	static const char cve[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a comp; free a\n"
				  "schedule: 0 1 1 1 0 0 1 0 1\n";
	/* Past the schedule cpu 0 runs to its end, then cpu 1. */
	static const char misc[] = "cpu 0: alloc 1 a comp; ref a; put a; free a\ncpu 1: add 2; add 2; lookup 2\n"
				   "schedule: 0 1 1 0\n";
	static const struct {
		const char *prog, *variant, *kinds, *cpus, *verdict;
		int step; /* the step that showed it */
	} cases[] = {
		{ wilcox, "v5.9", "load unlink put alloc get recheck dec put load", "0 1 1 1 0 0 1 0 0", "lost-pages 3", 0 },
		{ wilcox, "v5.10", "load unlink put alloc get recheck dec put load head", "0 1 1 1 0 0 1 0 0 1", "ok", 0 },
		{ wilcox, "v6.2", "load unlink put alloc get recheck head put load dec", "0 1 1 1 0 0 1 0 0 1", "ok", 0 },
		/* Its put_page and __free_pages drop the count by a plain store
		 * after one read: the read is the point. */
		{ wilcox, "racy-refcount", "load unlink read alloc get recheck head read load read", "0 1 1 1 0 0 1 0 0 1",
		  "ok", 0 },
		{ linus, "v5.9", "load unlink put alloc get recheck dec put load", "0 1 1 2 0 0 2 0 0", "lost-pages 3", 0 },
		{ linus, "v6.2", "load unlink put alloc get recheck head put load dec", "0 1 1 2 0 0 2 0 0 2", "ok", 0 },
		{ cve, "v5.9", "load unlink put alloc get recheck dec put load", "0 1 1 1 0 0 1 0 0", "ok", 0 },
		{ cve, "v5.10", "load unlink put alloc get recheck dec put head", "0 1 1 1 0 0 1 0 1", "double-free", 9 },
		{ cve, "v6.2", "load unlink put alloc get recheck head put dec load", "0 1 1 1 0 0 1 0 1 0", "ok", 0 },
		/* ref, put, add (alloc, link; busy: the page dropped in the
		 * link's step), a lookup that finds its page. */
		{ misc, "v6.2", "alloc alloc link ref put head dec alloc link load get recheck put",
		  "0 1 1 0 0 0 0 1 1 1 1 1 1", "ok", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char kinds[256], cpus[256];
		const char *got = verdict_of(cases[i].prog, cases[i].variant);

		trace_shape(kinds, cpus, sizeof(kinds));
		CHECK(!strcmp(kinds, cases[i].kinds) && !strcmp(cpus, cases[i].cpus) && !strcmp(got, cases[i].verdict) &&
			      x->verdict.step == cases[i].step,
		      "case %zu on %s: kinds '%s'\n  want '%s'\n cpus '%s' want '%s'\n verdict %s at %d, want %s at %d", i,
		      cases[i].variant, kinds, cases[i].kinds, cpus, cases[i].cpus, got, x->verdict.step,
		      cases[i].verdict, cases[i].step);
	}
}

/* Kernel code written here, as a variant file would be, run through a
 * struct variant on 6.2's defaults (as variant_defaults.c makes one). */

static int bug_line;

/* 6.2's __free_pages, asserting the caller holds the only reference. */
static void free_pages_sole_owner(struct page *page, unsigned int order)
{
	bug_line = __LINE__ + 1;
	VM_BUG_ON_PAGE(page_ref_count(page) != 1, page);
	pr_v6_2_variant.free_pages(page, order);
}

/* A lookup that BUG()s on slot 1 before its first point. */
static struct page *find_get_entry_bug(struct address_space *mapping, pgoff_t index)
{
	BUG_ON(index == 1);
	return pr_v6_2_variant.find_get_entry(mapping, index);
}

/* BUG_ON and VM_BUG_ON_PAGE end the execution with the verdict bug, at
 * the step whose code fired them, naming the file, the line and the page;
 * the cpus left waiting leave it, and the next execution runs as ever. */
TEST(bug_on_is_a_verdict)
{
	const struct variant *v = test_variant("sole-owner", free_pages_sole_owner, NULL);
	char *out = NULL, want[200];

	run_variant("cpu 0: alloc 0 a; free a\n", v, NULL);
	CHECK(x->verdict.kind == VERDICT_OK && x->nsteps == 4, "sole owner: %s after %d steps (alloc read head dec)",
	      verdict_names[x->verdict.kind], x->nsteps);
	run_variant("cpu 0: alloc 0 a; ref a; free a\ncpu 1: alloc 0 b; free b\nschedule: 0 0 0 1\n", v, &out);
	snprintf(want, sizeof(want), "VM_BUG_ON_PAGE(page_ref_count(page) != 1) at test_exec.c:%d, page p0", bug_line);
	CHECK(x->verdict.kind == VERDICT_BUG && x->verdict.step == 3 && x->nsteps == 3 && !strcmp(x->verdict.detail, want),
	      "shared: %s at step %d of %d: '%s', want '%s'", verdict_names[x->verdict.kind], x->verdict.step, x->nsteps,
	      x->verdict.detail, want);
	snprintf(want, sizeof(want), "at step 3: VM_BUG_ON_PAGE(page_ref_count(page) != 1) at test_exec.c:%d, page p0",
		 bug_line);
	CHECK(out && has_line(out, want) && has_line(out, "verdict: bug") && strstr(out, "page_ref_count(p0): 2 !! bug\n"),
	      "%s", out);
	free(out);

	v = test_variant("lookup-bug", NULL, find_get_entry_bug);
	run_variant("cache 0\ncpu 0: lookup 0\n", v, NULL);
	CHECK(x->verdict.kind == VERDICT_OK && x->nsteps == 4, "lookup of slot 0: %s after %d steps",
	      verdict_names[x->verdict.kind], x->nsteps);
	/* Before any point: no step taken, the verdict still given. */
	run_variant("cpu 0: alloc 0 a\ncpu 1: lookup 1\nschedule: 1 0\n", v, NULL);
	CHECK(x->verdict.kind == VERDICT_BUG && x->nsteps == 0 && strstr(x->verdict.detail, "BUG_ON(index == 1) at test_exec.c:"),
	      "BUG_ON before the first point: %s after %d steps: %s", verdict_names[x->verdict.kind], x->nsteps,
	      x->verdict.detail);
	/* The threads left in the middle serve the next execution. */
	CHECK(!strcmp(verdict_of(story, "v5.9"), "lost-pages 3") && x->nsteps == 9, "the story after a BUG: %s",
	      verdict_of(story, "v5.9"));
}

/* 6.2's lookup without step 3, the recheck: it keeps whatever page its
 * get pinned, even one freed and reused since it loaded the slot. */
static struct page *find_get_entry_no_recheck(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct folio *folio;

	rcu_read_lock();
repeat:
	folio = xas_load(&xas);
	if (folio && !folio_try_get_rcu(folio))
		goto repeat;
	rcu_read_unlock();
	return folio ? &folio->page : NULL;
}

/* The lookup's promise is checked at its return: the page it hands back
 * is the one its slot holds, else a use-after-free. */
TEST(lookup_returns_what_its_slot_holds)
{
	const struct variant *v = test_variant("no-recheck", NULL, find_get_entry_no_recheck);

	run_variant("cache 0\ncpu 0: lookup 0\ncpu 1: remove 0\n", v, NULL);
	CHECK_STREQ(verdict_names[x->verdict.kind], "ok");
	run_variant("cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\nschedule: 0 1 1 1 0\n", v, NULL);
	CHECK_STREQ(verdict_names[x->verdict.kind], "use-after-free");
	CHECK_STREQ(x->verdict.detail, "p0 returned by a lookup whose slot no longer holds it");
}

/* 51ff4d7486f0: the tag of page[0] read after a put that was not the last. */
static void free_pages_tag_after_put(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head) {
		pgalloc_tag_sub_pages(page, (1 << order) - 1);
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
	}
}

/* 0ae0227fa31d: the tag read while our reference pins the page. */
static void free_pages_tag_before_put(struct page *page, unsigned int order)
{
	int head = PageHead(page);
	struct alloc_tag *tag = pgalloc_tag_get(page);

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!head) {
		pgalloc_tag_sub_pages(tag, (1 << order) - 1);
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
	}
}

/* A tag read of a page freed since the op took it is a use-after-free; a
 * tag read before is none; pgalloc_tag_sub_pages of a tag takes no step,
 * of a page one (the tag read). */
TEST(tag_reads)
{
	static const char racy[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n"
				   "schedule: 0 1 1 1 0 0 1 1 0 1\n";
	static const char calm[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n"
				   "schedule: 0 1 1 1 0 0 1 1 1 0\n";
	char kinds[256], cpus[256];

	const struct variant *v = test_variant("codetag-after", free_pages_tag_after_put, NULL);

	run_variant(racy, v, NULL);
	trace_shape(kinds, cpus, sizeof(kinds));
	CHECK(x->verdict.kind == VERDICT_USE_AFTER_FREE && x->verdict.step == 10 &&
		      !strcmp(kinds, "load unlink put alloc get recheck head dec put tag") &&
		      !strcmp(x->verdict.detail, "p0 used after it was freed"),
	      "tag read after the last put elsewhere: %s at %d: %s; %s", verdict_names[x->verdict.kind], x->verdict.step,
	      x->verdict.detail, kinds);
	run_variant(calm, v, NULL);
	trace_shape(kinds, cpus, sizeof(kinds));
	CHECK(x->verdict.kind == VERDICT_OK && !strcmp(kinds, "load unlink put alloc get recheck head dec tag put load"),
	      "tag read before the other put: %s; %s", verdict_names[x->verdict.kind], kinds);
	CHECK_EQ(x->mm.tag.pages, -3);

	v = test_variant("codetag-before", free_pages_tag_before_put, NULL);
	run_variant(racy, v, NULL);
	trace_shape(kinds, cpus, sizeof(kinds));
	CHECK(x->verdict.kind == VERDICT_OK && !strcmp(kinds, "load unlink put alloc get recheck head tag put dec load") &&
		      !strcmp(cpus, "0 1 1 1 0 0 1 1 0 1 0"),
	      "tag read before the put: %s; %s; %s", verdict_names[x->verdict.kind], kinds, cpus);
	run_variant(calm, v, NULL);
	trace_shape(kinds, cpus, sizeof(kinds));
	/* The sub of a tag took no step: the tails freed in the dec's. */
	CHECK(x->verdict.kind == VERDICT_OK && !strcmp(kinds, "load unlink put alloc get recheck head tag dec put load") &&
		      x->trace[8].free_lo == 1 && x->trace[8].free_hi == 3,
	      "tag before, calm: %s; %s; dec frees p%d-p%d", verdict_names[x->verdict.kind], kinds, x->trace[8].free_lo,
	      x->trace[8].free_hi);
}

/* 100 replays of one program give byte-identical output, per variant. */
TEST(replay_is_deterministic)
{
	for (int v = 0; v < NR_VARIANTS; v++) {
		const char *name = variants[v]->name;
		char *first = NULL;
		int same = 0;

		run(story, name, &first);
		for (int i = 0; i < 100; i++) {
			char *again = NULL;

			run(story, name, &again);
			same += !strcmp(first, again);
			free(again);
		}
		CHECK(same == 100, "%s: %d of 100 replays identical", name, same);
		free(first);
	}
}

/* An entry naming a finished cpu is skipped; when the schedule runs out the
 * remaining cpus run in ascending order, each to completion. */
TEST(schedule_rules)
{
	char *out = NULL;

	run("cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b\ncpu 2: alloc 0 c\n"
	    "schedule: 2 0 0 0 0 2\n", "v5.9", &out);
	CHECK(strstr(out, "schedule: 2 0 0 1\n") != NULL, "%s", out);
	CHECK_EQ(x->sched.preemptions, 0);
	free(out);
	out = NULL;
	run("cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b; free b\nschedule: 0 1\n", "v5.9", &out);
	CHECK(strstr(out, "schedule: 0 1 0 1\n") != NULL, "%s", out);
	CHECK_EQ(x->sched.preemptions, 2);
	free(out);
}

/* An op on a handle that holds nothing takes no step: here alloc finds no
 * block of order 2 free, so free a is skipped. */
TEST(empty_handle_takes_no_step)
{
	run("pages 4\ncpu 0: alloc 0 b; alloc 2 a; free a; free b\n", "v6.2", NULL);
	CHECK_EQ(x->nsteps, 4); /* alloc, alloc, head, dec */
	CHECK_STREQ(verdict_names[x->verdict.kind], "ok");
	run("cpu 0: get 1 a; put a\n", "v6.2", NULL);
	CHECK_EQ(x->nsteps, 1); /* the load of an empty slot only */
}

/* Each verdict the checker gives, from a program that earns it. */
TEST(every_verdict)
{
	CHECK_STREQ(verdict_of("cpu 0: alloc 0 a; free a; ref a\n", "v6.2"), "use-after-free");
	CHECK_STREQ(verdict_of("cpu 0: alloc 0 a; free a; put a\n", "v6.2"), "use-after-free");
	CHECK_STREQ(verdict_of("cpu 0: alloc 0 a; free a; free a\n", "v5.9"), "refcount-underflow");
	CHECK_STREQ(verdict_of("cpu 0: alloc 1 a; ref a; free a; free a\n", "v6.2"), "double-free");
	/* The cache's page freed under it: a lookup spins on a count of 0. */
	CHECK_STREQ(verdict_of("cache 0\ncpu 0: get 0 a; put a; put a\ncpu 1: lookup 0\n", "v6.2"), "stuck");
	CHECK_EQ(x->nsteps, EXEC_MAX_STEPS);
	/* A handle overwritten before its free: the first block is lost. */
	CHECK_STREQ(verdict_of("cpu 0: alloc 1 a; alloc 0 a; free a\n", "v6.2"), "lost-pages 2");
	/* The lists themselves corrupted: the checker says so at once. */
	run("cpu 0: alloc 0 a\n", "v6.2", NULL);
	x->mm.zone.free_area[0].map[0] |= 1; /* p0 is allocated */
	CHECK(!check_step(&x->mm, &x->verdict, 1, true) && x->verdict.kind == VERDICT_BUDDY_CORRUPT, "%s",
	      verdict_names[x->verdict.kind]);
	/* The end (step 0) recounts them whatever the last step did. */
	verdict_ok(&x->verdict);
	CHECK(!check_step(&x->mm, &x->verdict, 0, false) && x->verdict.kind == VERDICT_BUDDY_CORRUPT,
	      "the end: %s", verdict_names[x->verdict.kind]);
}

/* Lost pages are named as ranges, a single page alone, up to the last page. */
TEST(lost_pages_named_by_range)
{
	static const struct {
		const char *text, *detail;
		int count;
	} rows[] = {
		{ "cpu 0: alloc 0 a; alloc 0 a; free a\n", "p0", 1 },
		{ "cpu 0: alloc 1 a; alloc 0 a; free a\n", "p0-p1", 2 },
		{ "pages 4\ncpu 0: alloc 1 a; alloc 1 b; alloc 0 b; free a; free b\n", "p2-p3", 2 },
		{ "cpu 0: alloc 0 a; alloc 0 a; alloc 1 b; alloc 1 b; free a; free b\n", "p0 p2-p3", 3 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		if (!run(rows[i].text, "v6.2", NULL))
			continue;
		CHECK(x->verdict.kind == VERDICT_LOST_PAGES && x->verdict.count == rows[i].count &&
			      !strcmp(x->verdict.detail, rows[i].detail),
		      "%s: %s %d '%s', want lost-pages %d '%s'", rows[i].text, verdict_names[x->verdict.kind],
		      x->verdict.count, x->verdict.detail, rows[i].count, rows[i].detail);
	}
}

/* What a program still holds at the end is dropped the correct way, so a
 * correct program leaves no page lost whatever it left unreleased. */
TEST(the_end_releases_what_is_held)
{
	CHECK_STREQ(verdict_of("cache 0 1 2\ncpu 0: alloc 2 a; ref a; get 1 b; ref b\ncpu 1: add 3\n", "v5.9"),
		    "ok");
	/* add into an occupied slot puts the new page back. */
	CHECK_STREQ(verdict_of("cache 0\ncpu 0: add 0\n", "v6.2"), "ok");
}

/* Does the story name variant files in its expect lines?  Then it names
 * nothing else. */
static bool files_only(const char *path, const char *text)
{
	char *copy = strdup(text), *line, *save = NULL;
	int files = 0, builtins = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct story_expect e;

		if (story_expect_parse(line, &e) == 1)
			e.variant ? builtins++ : files++;
	}
	free(copy);
	CHECK(!files || !builtins, "%s: expect lines for variant files and built-in ones", path);
	return files > 0;
}

/* A story's expect lines (report/story.h), each checked by a replay, with
 * --refs for a --refs line: a plain line for every variant, and a --refs
 * line for every variant or for none.  Whether it has --refs lines.  A
 * story of variant files (its program names an op one adds) is
 * tests/variants.sh's: each file is loaded by a process of its own. */
static bool regression_file(const char *path)
{
	const int every = (1 << NR_VARIANTS) - 1;
	FILE *f = fopen(path, "rb");
	char *text = NULL, *line, *save = NULL, words[64];
	size_t len = 0;
	int seen[2] = { 0, 0 };

	CHECK(f != NULL, "%s: cannot open", path);
	if (!f)
		return false;
	FILE *mem = open_memstream(&text, &len);
	for (int c; (c = fgetc(f)) != EOF;)
		fputc(c, mem);
	fclose(mem);
	fclose(f);
	char *copy = strdup(text);
	if (files_only(path, text)) {
		free(copy);
		free(text);
		return false;
	}
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct story_expect e;
		int is = story_expect_parse(line, &e);

		CHECK(is >= 0, "%s: '%s' is not '# expect: VARIANT VERDICT' or '# expect --refs: VARIANT VERDICT'",
		      path, line);
		if (is <= 0)
			continue;
		CHECK(!(seen[e.refs] & 1 << variant_index(e.variant)), "%s: a second line '%s'", path, line);
		seen[e.refs] |= 1 << variant_index(e.variant);
		x->refs = e.refs;
		run_variant(text, e.variant, NULL);
		x->refs = false;
		report_verdict_words(words, sizeof(words), &x->verdict);
		CHECK(!strcmp(words, e.verdict), "%s: %s%s expected '%s', got '%s'", path, e.variant->name,
		      e.refs ? " --refs" : "", e.verdict, words);
	}
	CHECK(seen[0] == every, "%s: plain expect lines for variants 0x%x, not every one", path, seen[0]);
	CHECK(seen[1] == 0 || seen[1] == every, "%s: --refs expect lines for variants 0x%x, not every one or none",
	      path, seen[1]);
	CHECK(!strncmp(text, "# ", 2), "%s does not open with its story", path);
	free(copy);
	free(text);
	return seen[1] != 0;
}

TEST(regressions_replay_to_their_expect_lines)
{
	DIR *d = opendir("corpus/regressions");
	struct dirent *e;
	int files = 0, refs_files = 0;

	CHECK(d != NULL, "corpus/regressions: cannot open (run from the project root)");
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512];
		size_t n = strlen(e->d_name);

		if (n < 6 || strcmp(e->d_name + n - 5, ".prog"))
			continue;
		snprintf(path, sizeof(path), "corpus/regressions/%s", e->d_name);
		refs_files += regression_file(path);
		files++;
	}
	closedir(d);
	CHECK(files >= 6, "only %d regression files", files);
	CHECK(refs_files >= 2, "only %d regression files with --refs expect lines", refs_files);
}

