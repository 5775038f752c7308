/* test_report.c: what report/ gives a human: a regression story carries
 * an expect line per variant that replays true (the signature's tests are
 * test_triage.c's).
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
 * origin, and has one expect line per variant, each its verdict. */
TEST(story_has_an_expect_line_per_variant)
{
	static const char text[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n"
				   "schedule: 0 1 1 1 0 0 1 0\n";
	static const char *const want[NR_VARIANTS] = {
		[VARIANT_V5_9] = "lost-pages 3",
	};
	static struct program prog;
	struct parse_error err;
	char dir[] = "/tmp/pagerace-story-XXXXXX", line[256];
	const char *path;
	int seen = 0;
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
		char vname[32], verdict[64];

		if (sscanf(line, "# expect: %31s %63[^\n]", vname, verdict) != 2)
			continue;
		const struct variant *v = variant_by_name(vname, (int)strlen(vname));

		CHECK(v != NULL, "expect line names no variant: %s", line);
		if (!v)
			continue;
		seen |= 1 << variant_index(v);
		CHECK_STREQ(verdict, want[variant_index(v)] ? want[variant_index(v)] : "ok");
	}
	fclose(f);
	CHECK_EQ(seen, (1 << NR_VARIANTS) - 1);
	CHECK_EQ(x->verdict.kind, VERDICT_LOST_PAGES); /* x left as it came */
	unlink(path);
	rmdir(dir);
}
