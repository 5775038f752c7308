/* test_fuzz.c: what the fuzz targets stand on: the binary decoder is total
 * and keeps the API contract, a correct kernel never fails on what it
 * decodes, the minimizer keeps the verdict and never grows a program, and
 * hunt finds the stories' bugs and nothing on v6.2.
 */
#include <stdlib.h>
#include <string.h>

#include "engines/hunt.h"
#include "engines/minimize.h"
#include "report/report.h"
#include "test.h"

static struct exec *x;

/* One execution, reset by each run, serves every test of the file. */
__attribute__((constructor)) static void make_exec(void)
{
	x = exec_new();
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	return sched_random(&rng);
}

static size_t random_input(uint8_t *buf, size_t max)
{
	size_t len = next() % max;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)next();
	return len;
}

/* The story's ops (the decoder's config 0: two cpus, slot 0 cached) with
 * a random order, compound or not, and random extra ops: the shape in
 * which the races live.  Schedules come from hunt's random walk. */
static size_t story_shaped_input(uint8_t *buf)
{
	static const uint8_t story[] = { 0, 0x00, 0x00, 0x11, 0x00, 0x21, 0x00, 0x39, 0x00 };
	size_t len = sizeof(story), extra = next() % 3;

	memcpy(buf, story, sizeof(story));
	buf[6] = (uint8_t)(1 + next() % 3) | (uint8_t)(next() % 2 ? 4 : 0); /* order, comp */
	for (size_t i = 0; i < 2 * extra; i++)
		buf[len++] = (uint8_t)next();
	buf[len++] = 0; /* no schedule */
	return len;
}

/* A schedule of prog that shows a violation on v, by hunt's random walk. */
static bool hunt_briefly(struct program *prog, const struct variant *v)
{
	struct hunt_options o = { .variant = v, .seconds = 0.001, .seed = next() };
	struct hunt_result r;

	hunt(x, prog, &o, &r);
	return r.found;
}

static int total_ops(const struct program *p)
{
	int n = 0;

	for (int c = 0; c < PR_MAX_CPUS; c++)
		n += p->nops[c];
	return n;
}

/* Parse text into prog; false, with a failed check, when it does not. */
static bool parse_or_fail(struct program *prog, const char *name, const char *text)
{
	struct parse_error err;
	bool parsed = program_parse(prog, text, strlen(text), &err);

	CHECK(parsed, "%s: %d: %s", name, err.line, err.msg);
	return parsed;
}

/* Any bytes decode to a program the text parser accepts back unchanged,
 * which keeps the contract. */
TEST(decoder_is_total)
{
	static struct program prog, back;
	uint8_t buf[160];
	int bad_parse = 0, bad_contract = 0, bad_roundtrip = 0;

	for (int i = 0; i < 20000; i++) {
		size_t len = random_input(buf, sizeof(buf));
		struct parse_error err;
		char *text;

		program_decode(&prog, buf, len);
		text = program_text(&prog);
		if (!program_parse(&back, text, strlen(text), &err))
			bad_parse++;
		else if (memcmp(&prog, &back, sizeof(prog)))
			bad_roundtrip++;
		bad_contract += !program_keeps_contract(&prog);
		free(text);
	}
	CHECK(bad_parse == 0, "%d of 20000 decoded programs do not parse back", bad_parse);
	CHECK(bad_roundtrip == 0, "%d of 20000 decoded programs change through text", bad_roundtrip);
	CHECK(bad_contract == 0, "%d of 20000 decoded programs break the contract", bad_contract);
	program_decode(&prog, NULL, 0);
	/* The empty input is the story's shape. */
	CHECK_EQ(prog.cpus, 3);
	CHECK_EQ(prog.cache, 1);
	CHECK_EQ(prog.nslots, 1);
	CHECK_EQ(prog.npages, 16);
}

/* The ops come from the front and the schedule from the back: changing a
 * schedule byte leaves the ops alone, and the other way round. */
TEST(decoder_keeps_mutations_local)
{
	static struct program a, b;
	/* The story: config 0 (2 cpus, 1 slot, 16 pages, slot 0 cached);
	 * ops lookup, remove, alloc 2, free; 4 schedule bytes, runs of
	 * 1, 3, 2 and 1 steps. */
	static const uint8_t story[] = { 0, 0x00, 0x00, 0x11, 0x00, 0x21, 0x02, 0x39, 0x00,
					 0x00, 0x09, 0x04, 0x01, 4 };
	uint8_t in[sizeof(story)];
	char *text;

	/* These bytes are the story: lost pages on v5.9, nothing on v6.2. */
	program_decode(&a, story, sizeof(story));
	text = program_text(&a);
	CHECK_STREQ(text, "pages 16\nslots 1\ncache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n"
			  "schedule: 0 1 1 1 0 0 1\n");
	free(text);
	exec_run(x, &a, variants[VARIANT_V5_9]);
	CHECK_STREQ(verdict_names[x->verdict.kind], "lost-pages");
	exec_run(x, &a, variants[VARIANT_V6_2]);
	CHECK_STREQ(verdict_names[x->verdict.kind], "ok");

	memcpy(in, story, sizeof(in));
	in[10] ^= 0x05; /* a schedule byte */
	program_decode(&b, in, sizeof(in));
	CHECK(!memcmp(a.ops, b.ops, sizeof(a.ops)), "a schedule byte changed the ops");
	CHECK(a.nschedule != b.nschedule || memcmp(a.schedule, b.schedule, a.nschedule),
	      "the schedule byte changed nothing");
	memcpy(in, story, sizeof(in));
	in[5] = 0x20; /* an op byte: the alloc moves to cpu 0 */
	program_decode(&b, in, sizeof(in));
	CHECK(a.nschedule == b.nschedule && !memcmp(a.schedule, b.schedule, a.nschedule),
	      "an op byte changed the schedule");
	CHECK(memcmp(a.ops, b.ops, sizeof(a.ops)), "the op byte changed nothing");
}

/* A correct kernel, on contract-keeping programs, never fails; the racy
 * one neither (its race is for TSan).  Random bytes, and the story's
 * shape under random schedules. */
TEST(v6_2_never_fails_on_decoded_programs)
{
	static struct program prog;
	uint8_t buf[96];
	int fails = 0, buggy = 0;

	for (int i = 0; i < 3000; i++) {
		program_decode(&prog, buf, random_input(buf, sizeof(buf)));
		exec_run(x, &prog, variants[i & 1 ? VARIANT_V6_2 : VARIANT_RACY_REFCOUNT]);
		if (x->verdict.kind != VERDICT_OK && fails++ == 0) {
			program_print(stderr, &prog);
			report_print(stderr, x);
		}
	}
	for (int i = 0; i < 100; i++) {
		program_decode(&prog, buf, story_shaped_input(buf));
		if (hunt_briefly(&prog, variants[i & 1 ? VARIANT_V6_2 : VARIANT_RACY_REFCOUNT]) && fails++ == 0)
			report_print(stderr, x);
		buggy += hunt_briefly(&prog, variants[i & 1 ? VARIANT_V5_9 : VARIANT_V5_10]);
	}
	CHECK(fails == 0, "v6.2 or racy-refcount failed on %d decoded programs", fails);
	CHECK(buggy > 10, "the story's shape showed a v5.9 or v5.10 bug in only %d of 100", buggy);
}

/* Random violations: the minimizer keeps the kind of verdict, and never
 * adds an op or a preemption. */
TEST(minimizer_keeps_verdict_never_grows)
{
	static struct program prog;
	struct minimize_stats st;
	uint8_t buf[96];
	int tried = 0;

	for (int i = 0; i < 400 && tried < 40; i++) {
		const struct variant *v = variants[i & 1 ? VARIANT_V5_9 : VARIANT_V5_10];
		int kind, ops;

		program_decode(&prog, buf, story_shaped_input(buf));
		if (!hunt_briefly(&prog, v))
			continue;
		tried++;
		kind = x->verdict.kind;
		ops = total_ops(&prog);
		CHECK(minimize(x, &prog, v, &st), "minimize refused a violation");
		CHECK(x->verdict.kind == kind, "%s became %s", verdict_names[kind], verdict_names[x->verdict.kind]);
		CHECK(st.ops_after <= ops && st.ops_after == total_ops(&prog), "ops %d -> %d", ops, st.ops_after);
		CHECK(st.preempt_after <= st.preempt_before, "preemptions %d -> %d", st.preempt_before,
		      st.preempt_after);
		CHECK(program_keeps_contract(&prog), "the minimized program breaks the contract");
		exec_run(x, &prog, v);
		CHECK(x->verdict.kind == kind, "the result does not replay to %s", verdict_names[kind]);
	}
	CHECK(tried == 40, "only %d random violations to minimize", tried);
}

/* hunt finds each story's bug from its ops alone, and nothing on v6.2. */
TEST(hunt_finds_the_stories)
{
	static const char story[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n";
	static const char cve[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a comp; free a\n";
	static struct program prog;
	struct hunt_result r;

	for (int pct = 0; pct < 2; pct++) {
		struct hunt_options o = { .variant = variants[VARIANT_V5_9], .seconds = 5, .pct = pct, .seed = 7 };
		const char *engine = pct ? "pct" : "random";

		if (!parse_or_fail(&prog, "story", story))
			return;
		hunt(x, &prog, &o, &r);
		CHECK(r.found && x->verdict.kind == VERDICT_LOST_PAGES, "%s: v5.9 not found in %ld", engine, r.tries);
		/* The hunt wrote its schedule into prog: the CVE starts afresh. */
		if (!parse_or_fail(&prog, "cve", cve))
			return;
		o.variant = variants[VARIANT_V5_10];
		hunt(x, &prog, &o, &r);
		CHECK(r.found && x->verdict.kind == VERDICT_DOUBLE_FREE, "%s: v5.10 not found in %ld", engine,
		      r.tries);
		o.variant = variants[VARIANT_V6_2];
		o.seconds = 0.2;
		hunt(x, &prog, &o, &r);
		CHECK(!r.found && r.tries > 100, "%s: v6.2 %s after %ld", engine, verdict_names[x->verdict.kind],
		      r.tries);
	}
}

/* PCT of depth d changes priorities d - 1 times, so two cpus preempt
 * each other at most d - 1 times in one run; hunt's PCT goes up to depth
 * 5.  This variant's __free_pages BUG()s once four preemptions happened
 * (the switches of the trace, less the one after the other cpu finished):
 * PCT must find that, and the random walk finds it too. */
static void free_pages_after_four_preemptions(struct page *page, unsigned int order)
{
	const struct exec *ex = pr_self->x;
	int other = 1 - pr_self->cpu, switches = 0;

	for (int i = 1; i < ex->nsteps; i++)
		switches += ex->trace[i].cpu != ex->trace[i - 1].cpu;
	if (switches && ex->cpu[other].pc == ex->prog->nops[other])
		switches--;
	BUG_ON(switches >= 4);
	pr_v6_2_variant.free_pages(page, order);
}

TEST(pct_reaches_its_depth)
{
	static const char text[] = "cpu 0: alloc 0 a; free a; alloc 0 b; free b; alloc 0 c; free c\n"
				   "cpu 1: alloc 0 a; free a; alloc 0 b; free b; alloc 0 c; free c\n";
	static struct program prog;
	static struct variant four;
	struct hunt_result r;

	four = pr_v6_2_variant;
	four.name = "four-preemptions";
	four.free_pages = free_pages_after_four_preemptions;
	for (int pct = 0; pct < 2; pct++) {
		struct hunt_options o = { .variant = &four, .seconds = 2, .pct = pct, .seed = 11 };

		if (!parse_or_fail(&prog, "two cpus", text))
			return;
		hunt(x, &prog, &o, &r);
		CHECK(r.found && x->verdict.kind == VERDICT_BUG && x->sched.preemptions >= 4,
		      "%s: four preemptions not reached in %ld tries (%s, %d preemptions)", pct ? "pct" : "random",
		      r.tries, verdict_names[x->verdict.kind], x->sched.preemptions);
	}
}

/* A fuzz input stands for its own schedule and the walks its bytes draw
 * (hunt_input): the story's ops with no schedule (the tail rule runs cpu
 * 0's lookup to its end, which is clean) are found by a walk; the walk
 * that found it is kept as prog's schedule and replays to the verdict;
 * the same bytes draw the same walks; no walks, no find; v6.2 never. */
TEST(input_walks_find_the_story)
{
	static const uint8_t story[] = { 0, 0x00, 0x00, 0x11, 0x00, 0x21, 0x02, 0x00 };
	static struct program prog;
	uint64_t seed = hunt_input_seed(story, sizeof(story));
	int found, again, inputs = 0, distinct = 0;
	uint64_t walks_seen = 0;

	program_decode(&prog, story, sizeof(story));
	CHECK_EQ(hunt_input(x, &prog, variants[VARIANT_V5_9], seed, 0, NULL), -1);
	/* Other bytes, other walks: among 20 schedule bytes' inputs, most
	 * find it within 64 walks (a walk finds it in about 1 of 60). */
	for (uint8_t b = 0; b < 20; b++) {
		uint8_t in[sizeof(story) + 1];

		memcpy(in, story, sizeof(story));
		in[sizeof(story) - 1] = b; /* one schedule byte, b */
		in[sizeof(story)] = 1;
		program_decode(&prog, in, sizeof(in));
		found = hunt_input(x, &prog, variants[VARIANT_V5_9], hunt_input_seed(in, sizeof(in)), 64, NULL);
		if (found <= 0 || found >= 64)
			continue;
		inputs++;
		distinct += !(walks_seen >> found & 1);
		walks_seen |= 1ull << found;
		CHECK(x->verdict.kind == VERDICT_LOST_PAGES, "walk %d: %s", found, verdict_names[x->verdict.kind]);
		exec_run(x, &prog, variants[VARIANT_V5_9]);
		CHECK(x->verdict.kind == VERDICT_LOST_PAGES, "walk %d's schedule replays to %s", found,
		      verdict_names[x->verdict.kind]);
		program_decode(&prog, in, sizeof(in));
		again = hunt_input(x, &prog, variants[VARIANT_V5_9], hunt_input_seed(in, sizeof(in)), 64, NULL);
		CHECK_EQ(again, found);
		program_decode(&prog, in, sizeof(in));
		CHECK_EQ(hunt_input(x, &prog, variants[VARIANT_V6_2], hunt_input_seed(in, sizeof(in)), 64, NULL), -1);
	}
	CHECK(inputs >= 10, "64 walks found the story for only %d of 20 inputs", inputs);
	CHECK(distinct >= 3, "the %d finds were by %d walk numbers: do the bytes draw the walks?", inputs,
	      distinct);
	CHECK(hunt_input_seed(story, sizeof(story)) != hunt_input_seed(story, sizeof(story) - 1),
	      "a byte less, the same walks");
}

/* PAGERACE_WALKS: unset the default, a whole number in range, else refused. */
TEST(input_walks_from_the_environment)
{
	char err[128];
	int walks;

	unsetenv("PAGERACE_WALKS");
	CHECK(hunt_input_walks(&walks, err, sizeof(err)) && walks == HUNT_WALKS, "unset: %d", walks);
	setenv("PAGERACE_WALKS", "0", 1);
	CHECK(hunt_input_walks(&walks, err, sizeof(err)) && walks == 0, "0: %d", walks);
	setenv("PAGERACE_WALKS", "256", 1);
	CHECK(hunt_input_walks(&walks, err, sizeof(err)) && walks == 256, "256: %d", walks);
	for (int i = 0; i < 4; i++) {
		static const char *const bad[] = { "", "-1", "257", "8x" };

		setenv("PAGERACE_WALKS", bad[i], 1);
		CHECK(!hunt_input_walks(&walks, err, sizeof(err)) && strstr(err, "PAGERACE_WALKS must be"),
		      "'%s' accepted", bad[i]);
	}
	unsetenv("PAGERACE_WALKS");
}

/* An input that never violates runs its own schedule and then exactly
 * the walks it is told, each told to after_each (the target's feedback). */
static int executions_seen;

static void count_execution(const struct exec *ex)
{
	executions_seen += ex->nsteps > 0;
}

TEST(input_walks_run_as_many_as_told)
{
	static const uint8_t story[] = { 0, 0x00, 0x00, 0x11, 0x00, 0x21, 0x02, 0x00 };
	static struct program prog;

	for (int walks = 0; walks <= 5; walks += 5) {
		executions_seen = 0;
		program_decode(&prog, story, sizeof(story));
		CHECK_EQ(hunt_input(x, &prog, variants[VARIANT_V6_2], 1, walks, count_execution), -1);
		CHECK(executions_seen == 1 + walks, "%d walks: %d executions", walks, executions_seen);
	}
}
