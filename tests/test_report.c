/* test_report.c: what report/ gives a human: a regression story carries
 * an expect line per variant that replays true, which the expect lines'
 * reader reads back (the signature's tests are test_triage.c's).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report.h"
#include "report/story.h"
#include "test.h"

static struct exec *x;

__attribute__((constructor)) static void make_exec(void)
{
	x = exec_new();
}

/* The story of the issue, written as a regression: it opens with its
 * origin, and has one plain expect line per variant, each its verdict, and
 * no --refs line (it was not found with --refs). */
TEST(story_has_an_expect_line_per_variant)
{
	static const char text[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n"
				   "schedule: 0 1 1 1 0 0 1 0\n";
	static const char *const want[NR_VARIANTS] = {
		[VARIANT_V5_9] = "lost-pages 3",
	};
	static struct program prog;
	struct parse_error err;
	struct story_expect e;
	char dir[] = "/tmp/pagerace-story-XXXXXX", line[256];
	const char *path;
	int seen = 0, refs_lines = 0;
	FILE *f;

	if (!program_parse(&prog, text, strlen(text), &err) || !mkdtemp(dir)) {
		CHECK(false, "no program or no temporary directory");
		return;
	}
	exec_run(x, &prog, variants[VARIANT_V5_9]);
	path = regression_write(dir, x, &prog, "test_report");
	CHECK(path != NULL, "regression_write wrote nothing in %s", dir);
	if (!path || !(f = fopen(path, "r"))) {
		rmdir(dir);
		return;
	}
	CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "# test_report\n"), "story opens with '%s'", line);
	while (fgets(line, sizeof(line), f)) {
		int is = story_expect_parse(line, &e);

		CHECK(is >= 0, "regression_write wrote a malformed expect line: %s", line);
		if (is <= 0)
			continue;
		refs_lines += e.refs;
		seen |= 1 << variant_index(e.variant);
		CHECK_STREQ(e.verdict, want[variant_index(e.variant)] ? want[variant_index(e.variant)] : "ok");
	}
	fclose(f);
	CHECK_EQ(seen, (1 << NR_VARIANTS) - 1);
	CHECK_EQ(refs_lines, 0);
	CHECK_EQ(x->verdict.kind, VERDICT_LOST_PAGES); /* x left as it came */
	unlink(path);
	rmdir(dir);
}

/* The expect line's one reader: both modes; a line that opens as an
 * expect line but is not one is -1, so a misspelt check is never skipped;
 * other comments are 0. */
TEST(story_expect_lines_parse)
{
	static const struct {
		const char *line;
		int is;
		bool refs;
		const char *variant, *verdict;
	} rows[] = {
		{ "# expect: v5.9 lost-pages 3\n", 1, false, "v5.9", "lost-pages 3" },
		{ "# expect --refs: v5.10 unreferenced-access\n", 1, true, "v5.10", "unreferenced-access" },
		{ "# expect:  racy-refcount ok \r\n", 1, false, "racy-refcount", "ok" },
		{ "# expect --refs: v6.2 ok", 1, true, "v6.2", "ok" },
		{ "# expected behaviour: ok\n", 0, false, NULL, NULL },
		{ "#   expect: v5.9 ok\n", 0, false, NULL, NULL },
		{ "cache 0\n", 0, false, NULL, NULL },
		{ "# expect --ref: v5.10 ok\n", -1, false, NULL, NULL },
		{ "# expect --refs v5.10 ok\n", -1, false, NULL, NULL },
		{ "# expect v5.10 ok\n", -1, false, NULL, NULL },
		{ "# expect: v9 ok\n", -1, false, NULL, NULL },
		{ "# expect: v5.9\n", -1, false, NULL, NULL },
		{ "# expect --refs:\n", -1, false, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		struct story_expect e = { 0 };
		int is = story_expect_parse(rows[i].line, &e);

		CHECK(is == rows[i].is, "'%s': %d, want %d", rows[i].line, is, rows[i].is);
		if (is != 1 || rows[i].is != 1)
			continue;
		CHECK(e.refs == rows[i].refs, "'%s': refs %d", rows[i].line, e.refs);
		CHECK_STREQ(e.variant->name, rows[i].variant);
		CHECK_STREQ(e.verdict, rows[i].verdict);
	}
}
