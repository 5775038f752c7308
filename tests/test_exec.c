/* test_exec.c: programs run end to end on the scheduler: the story of the
 * issue on every variant, the schedule's rules, each verdict, determinism
 * of the trace, and every corpus/regressions file against its expect lines.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "report.h"
#include "test.h"

static struct exec *x;

static const char story[] =
	"cache 0\n"
	"cpu 0: lookup 0\n"
	"cpu 1: remove 0; alloc 2 a; free a\n"
	"schedule: 0 1 1 1 0 0 1 0\n";

/* Parse and run text under the named variant; the report in *out if asked. */
static bool run(const char *text, const char *vname, char **out)
{
	static struct program prog;
	struct parse_error err;
	size_t len;

	if (!program_parse(&prog, text, strlen(text), &err)) {
		fprintf(stderr, "test program does not parse: %d: %s\n", err.line, err.msg);
		return false;
	}
	exec_run(x, &prog, variant_by_name(vname, (int)strlen(vname)));
	if (out) {
		FILE *f = open_memstream(out, &len);

		report_print(f, x);
		fclose(f);
	}
	return true;
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
static void story_on_every_variant(void)
{
	CHECK(!strcmp(verdict_of(story, "v5.9"), "lost-pages 3"), "v5.9: %s", verdict_of(story, "v5.9"));
	CHECK(x->sched.preemptions == 3, "v5.9 preemptions %d", x->sched.preemptions);
	CHECK(x->nsteps == 9, "v5.9 steps %d", x->nsteps);
	CHECK(!strcmp(x->verdict.detail, "p1-p3"), "lost %s", x->verdict.detail);
	CHECK(!strcmp(verdict_of(story, "v5.10"), "ok"), "v5.10: %s", verdict_of(story, "v5.10"));
	CHECK(!strcmp(verdict_of(story, "v6.2"), "ok"), "v6.2: %s", verdict_of(story, "v6.2"));
	CHECK(!strcmp(verdict_of(story, "racy-refcount"), "ok"), "racy: %s",
	      verdict_of(story, "racy-refcount"));
}

@@TRACE@@
/* 100 replays of one program give byte-identical output, per variant. */
static void replay_is_deterministic(void)
{
	static const char *const names[] = { "v5.9", "v5.10", "v6.2", "racy-refcount" };

	for (int v = 0; v < 4; v++) {
		char *first = NULL;
		int same = 0;

		run(story, names[v], &first);
		for (int i = 0; i < 100; i++) {
			char *again = NULL;

			run(story, names[v], &again);
			same += !strcmp(first, again);
			free(again);
		}
		CHECK(same == 100, "%s: %d of 100 replays identical", names[v], same);
		free(first);
	}
}

/* An entry naming a finished cpu is skipped; when the schedule runs out the
 * remaining cpus run in ascending order, each to completion. */
static void schedule_rules(void)
{
	char *out = NULL;

	run("cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b\ncpu 2: alloc 0 c\n"
	    "schedule: 2 0 0 0 0 2\n", "v5.9", &out);
	CHECK(strstr(out, "schedule: 2 0 0 1\n") != NULL, "%s", out);
	CHECK(x->sched.preemptions == 0, "preemptions %d", x->sched.preemptions);
	free(out);
	out = NULL;
	run("cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b; free b\nschedule: 0 1\n", "v5.9", &out);
	CHECK(strstr(out, "schedule: 0 1 0 1\n") != NULL, "%s", out);
	CHECK(x->sched.preemptions == 2, "preemptions %d", x->sched.preemptions);
	free(out);
}

/* An op on a handle that holds nothing takes no step: here alloc finds no
 * block of order 2 free, so free a is skipped. */
static void empty_handle_takes_no_step(void)
{
	run("pages 4\ncpu 0: alloc 0 b; alloc 2 a; free a; free b\n", "v6.2", NULL);
	CHECK(x->nsteps == 4, "steps %d (alloc, alloc, head, dec)", x->nsteps);
	CHECK(x->verdict.kind == VERDICT_OK, "%s", verdict_names[x->verdict.kind]);
	run("cpu 0: get 1 a; put a\n", "v6.2", NULL);
	CHECK(x->nsteps == 1, "steps %d (load of an empty slot only)", x->nsteps);
}

/* Each verdict the checker gives, from a program that earns it. */
static void every_verdict(void)
{
	CHECK(!strcmp(verdict_of("cpu 0: alloc 0 a; free a; ref a\n", "v6.2"), "use-after-free"), "%s",
	      verdict_of("cpu 0: alloc 0 a; free a; ref a\n", "v6.2"));
	CHECK(!strcmp(verdict_of("cpu 0: alloc 0 a; free a; put a\n", "v6.2"), "use-after-free"), "%s",
	      verdict_of("cpu 0: alloc 0 a; free a; put a\n", "v6.2"));
	CHECK(!strcmp(verdict_of("cpu 0: alloc 0 a; free a; free a\n", "v5.9"), "refcount-underflow"),
	      "%s", verdict_of("cpu 0: alloc 0 a; free a; free a\n", "v5.9"));
	CHECK(!strcmp(verdict_of("cpu 0: alloc 1 a; ref a; free a; free a\n", "v6.2"), "double-free"),
	      "%s", verdict_of("cpu 0: alloc 1 a; ref a; free a; free a\n", "v6.2"));
	/* The cache's page freed under it: a lookup spins on a count of 0. */
	CHECK(!strcmp(verdict_of("cache 0\ncpu 0: get 0 a; put a; put a\ncpu 1: lookup 0\n", "v6.2"),
		      "stuck"), "%s",
	      verdict_of("cache 0\ncpu 0: get 0 a; put a; put a\ncpu 1: lookup 0\n", "v6.2"));
	CHECK(x->nsteps == EXEC_MAX_STEPS, "stuck after %d steps", x->nsteps);
	/* A handle overwritten before its free: the first block is lost. */
	CHECK(!strcmp(verdict_of("cpu 0: alloc 1 a; alloc 0 a; free a\n", "v6.2"), "lost-pages 2"),
	      "%s", verdict_of("cpu 0: alloc 1 a; alloc 0 a; free a\n", "v6.2"));
	/* The lists themselves corrupted: the checker says so at once. */
	run("cpu 0: alloc 0 a\n", "v6.2", NULL);
	x->mm.zone.free_area[0].map[0] |= 1; /* p0 is allocated */
	CHECK(!check_step(&x->mm, &x->verdict, 1, true) && x->verdict.kind == VERDICT_BUDDY_CORRUPT, "%s",
	      verdict_names[x->verdict.kind]);
}

/* What a program still holds at the end is dropped the correct way, so a
 * correct program leaves no page lost whatever it left unreleased. */
static void the_end_releases_what_is_held(void)
{
	CHECK(!strcmp(verdict_of("cache 0 1 2\ncpu 0: alloc 2 a; ref a; get 1 b; ref b\ncpu 1: add 3\n",
				 "v5.9"), "ok"), "%s", verdict_of("cache 0 1 2\ncpu 0: alloc 2 a; ref a\n", "v5.9"));
	/* add into an occupied slot puts the new page back. */
	CHECK(!strcmp(verdict_of("cache 0\ncpu 0: add 0\n", "v6.2"), "ok"), "add busy");
}

/* A file's "# expect: VARIANT VERDICT" lines, each checked by a replay. */
static void regression_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	int expects = 0, seen = 0;

	CHECK(f != NULL, "%s: cannot open", path);
	if (!f)
		return;
	FILE *mem = open_memstream(&text, &len);
	for (int c; (c = fgetc(f)) != EOF;)
		fputc(c, mem);
	fclose(mem);
	fclose(f);
	char *copy = strdup(text);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char vname[32], want[64] = "";
		int n;

		if (sscanf(line, "# expect: %31s %63[^\n]%n", vname, want, &n) < 2)
			continue;
		const struct variant *var = variant_by_name(vname, (int)strlen(vname));
		CHECK(var != NULL, "%s: expect names unknown variant %s", path, vname);
		if (!var)
			continue;
		expects++;
		seen |= 1 << variant_index(var);
		const char *got = verdict_of(text, vname);
		CHECK(!strcmp(got, want), "%s: %s expected '%s', got '%s'", path, vname, want, got);
	}
	CHECK(seen == (1 << NR_VARIANTS) - 1, "%s: %d expect lines, not one per variant", path, expects);
	CHECK(!strncmp(text, "# ", 2), "%s does not open with its story", path);
	free(copy);
	free(text);
}

static void regressions_replay_to_their_expect_lines(void)
{
	DIR *d = opendir("corpus/regressions");
	struct dirent *e;
	int files = 0;

	CHECK(d != NULL, "corpus/regressions: cannot open (run from the project root)");
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512];
		size_t n = strlen(e->d_name);

		if (n < 6 || strcmp(e->d_name + n - 5, ".prog"))
			continue;
		snprintf(path, sizeof(path), "corpus/regressions/%s", e->d_name);
		regression_file(path);
		files++;
	}
	closedir(d);
	CHECK(files >= 6, "only %d regression files", files);
}

void test_exec(void)
{
	x = exec_new();
	story_on_every_variant();
	story_trace_reads_like_the_mail();
	replay_is_deterministic();
	schedule_rules();
	empty_handle_takes_no_step();
	every_verdict();
	the_end_releases_what_is_held();
	regressions_replay_to_their_expect_lines();
	exec_free(x);
}
