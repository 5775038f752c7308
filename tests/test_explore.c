/* test_explore.c: bounded exhaustive exploration: schedule counts worked
 * out by hand, the fewest preemptions of the stories, v6.2 clean, and the
 * reduction never hiding a violation the full search finds.
 */
#include <string.h>

#include "engines/explore.h"
#include "test.h"

static struct exec *x;

/* One execution, reset by each run, serves every test of the file. */
__attribute__((constructor)) static void make_exec(void)
{
	x = exec_new();
}

static struct explore_result run_explore(const char *text, const char *vname, int k, bool reduction)
{
	static struct program prog;
	struct explore_options o = { .variant = variant_by_name(vname, (int)strlen(vname)),
				     .max_preemptions = k, .reduction = reduction };
	struct parse_error err;
	struct explore_result r;

	bool parsed = program_parse(&prog, text, strlen(text), &err);

	CHECK(parsed, "test program does not parse: %d: %s", err.line, err.msg);
	if (!parsed)
		return (struct explore_result){ .schedules = -1 };
	explore(x, &prog, &o, &r);
	return r;
}

/* Two cpus of two steps each interleave in C(4,2) = 6 ways: 0011 and 1100
 * have no preemption, 0110 and 1001 one (the second switch comes after a
 * cpu finished), 0101 and 1010 two.  Three cpus of one step: 3! = 6
 * orders, none a preemption. */
TEST(counts_by_hand)
{
	static const char two[] = "cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b; free b\n";
	static const char three[] = "cpu 0: alloc 0 a\ncpu 1: alloc 0 b\ncpu 2: alloc 0 c\n";
	static const int want[] = { 2, 4, 6, 6 };

	for (int k = 0; k < 4; k++) {
		struct explore_result r = run_explore(two, "v5.9", k, false);

		CHECK(r.schedules == want[k] && !r.violations, "K=%d: %ld schedules, %ld violations", k,
		      r.schedules, r.violations);
	}
	CHECK_EQ(run_explore(three, "v6.2", 0, false).schedules, 6);
	/* lookup of an empty slot: one step; with an alloc on the other cpu
	 * (one step): 2 orders, whatever K. */
	CHECK_EQ(run_explore("cpu 0: lookup 0\ncpu 1: alloc 0 a\n", "v6.2", 5, false).schedules, 2);
}

/* The seed race needs exactly 3 preemptions, the CVE 4; v6.2 is clean. */
TEST(fewest_preemptions_of_the_stories)
{
	static const char story[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n";
	static const char three[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0\ncpu 2: alloc 2 a; free a\n";
	static const char cve[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a comp; free a\n";
	struct explore_result r;

	for (int red = 0; red < 2; red++) {
		r = run_explore(story, "v5.9", 2, red);
		CHECK(!r.violations, "v5.9 story at K=2: %ld violations", r.violations);
		r = run_explore(story, "v5.9", 3, red);
		CHECK(r.violations && r.best_kind == VERDICT_LOST_PAGES && r.best_preemptions == 3,
		      "v5.9 story at K=3: %ld violations, best %d", r.violations, r.best_preemptions);
		r = run_explore(three, "v5.9", 2, red);
		CHECK(!r.violations, "three-cpu story at K=2: %ld violations", r.violations);
		r = run_explore(three, "v5.9", 3, red);
		CHECK(r.violations && r.best_preemptions == 3, "three-cpu story at K=3: %ld violations, best %d",
		      r.violations, r.best_preemptions);
		r = run_explore(story, "v6.2", 3, red);
		CHECK(!r.violations && r.schedules > 20, "v6.2 at K=3: %ld violations of %ld", r.violations,
		      r.schedules);
		r = run_explore(cve, "v5.10", 3, red);
		CHECK(!r.violations, "CVE at K=3: %ld", r.violations);
		r = run_explore(cve, "v5.10", 4, red);
		CHECK(r.violations && r.best_kind == VERDICT_DOUBLE_FREE && r.best_preemptions == 4,
		      "CVE at K=4: %ld violations", r.violations);
		/* The kept schedule replays to the violation (there is none to
		 * keep when the search found none: the check above failed). */
		if (!r.violations)
			continue;
		exec_run(x, &r.best, variants[VARIANT_V5_10]);
		CHECK_STREQ(verdict_names[x->verdict.kind], "double-free");
		CHECK_EQ(x->sched.preemptions, 4);
	}
}

/* Random small programs: with and without the reduction the search finds
 * violations on the same programs, the best with the same preemptions,
 * and never runs more schedules with it than without. */
TEST(reduction_hides_nothing)
{
	static struct program prog;
	uint64_t rng = 0x2545f4914f6cdd1dull;
	int compared = 0, agree = 0, found = 0, fewer = 0;

	for (int i = 0; i < 60; i++) {
		/* The story's ops with a random order, compound or not, and one
		 * random op more (the binary form of src/lang/decode.c). */
		uint8_t buf[] = { 0, 0x00, 0x00, 0x11, 0x00, 0x21, 0x00, 0x39, 0x00, 0, 0, 0 };
		struct explore_options o = { .variant = variants[i % 3 == 0 ? VARIANT_V5_9 : i % 3 == 1 ? VARIANT_V5_10
										    : VARIANT_V6_2],
					     .max_preemptions = 4, .max_schedules = 5000 };
		struct explore_result full, reduced;

		sched_random(&rng);
		buf[6] = (uint8_t)(1 + rng % 3) | (uint8_t)(rng >> 8 & 4);
		buf[9] = (uint8_t)(rng >> 16);
		buf[10] = (uint8_t)(rng >> 24);
		program_decode(&prog, buf, sizeof(buf));
		explore(x, &prog, &o, &full);
		o.reduction = true;
		explore(x, &prog, &o, &reduced);
		if (full.cut || reduced.cut)
			continue;
		compared++;
		found += full.violations > 0;
		fewer += reduced.schedules < full.schedules;
		agree += (full.violations > 0) == (reduced.violations > 0) &&
			 (!full.violations || full.best_preemptions == reduced.best_preemptions) &&
			 reduced.schedules <= full.schedules;
	}
	CHECK(compared >= 50 && agree == compared, "%d of %d programs agree", agree, compared);
	CHECK(found > 0, "no random program had a violation to compare");
	/* And it does reduce: equal counts everywhere would pass the above
	 * with a reduction that never skips. */
	CHECK(fewer > compared / 4, "the reduction ran fewer schedules on only %d of %d programs", fewer, compared);
}


/* With room for more preemptions than the fewest, more schedules violate,
 * and the one kept is still the fewest. */
TEST(best_is_the_fewest)
{
	static const char noisy[] = "cache 0\ncpu 0: lookup 0; lookup 0\n"
				    "cpu 1: remove 0; alloc 2 a; free a; alloc 0 b; free b\n";

	for (int red = 0; red < 2; red++) {
		struct explore_result r = run_explore(noisy, "v5.9", 5, red);

		CHECK(r.violations > 10, "reduction %d: only %ld violations at K=5", red, r.violations);
		CHECK_EQ(r.best_preemptions, 3);
		CHECK_STREQ(verdict_names[r.best_kind], "lost-pages");
	}
}
