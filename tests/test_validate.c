/* test_validate.c: program_check, the one home of a valid program's rules:
 * a table with a program breaking each rule (its message and where), the
 * parser reporting the same errors at the lines that wrote them, the
 * decoder's programs all valid, and the minimizer's too.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engines/minimize.h"
#include "lang/contract.h"
#include "test.h"

/* A valid program of every part: two cpus, three slots, a cache, handles
 * set and used, a schedule. */
static void base(struct program *p)
{
	program_init(p);
	p->npages = 16;
	p->nslots = 3;
	p->cache = 0x3;
	p->cpus = 0x5; /* cpus 0 and 2 */
	p->nops[0] = 3;
	p->ops[0][0] = (struct op){ .kind = OP_LOOKUP, .slot = 2 };
	p->ops[0][1] = (struct op){ .kind = OP_ALLOC, .order = 4, .handle = 1 };
	p->ops[0][2] = (struct op){ .kind = OP_FREE, .handle = 1 };
	p->nops[2] = 2;
	p->ops[2][0] = (struct op){ .kind = OP_GET, .slot = 0, .handle = 0 };
	p->ops[2][1] = (struct op){ .kind = OP_PUT, .handle = 0 };
	p->nschedule = 3;
	p->schedule[0] = 2, p->schedule[1] = 0, p->schedule[2] = 2;
}

enum rule {
	R_VARIANT, R_PAGES_ODD, R_PAGES_SMALL, R_PAGES_BIG, R_SLOTS_NONE, R_SLOTS_MANY, R_CACHE_SLOT,
	R_CACHE_PAGES, R_NOPS, R_ABSENT_CPU_OPS, R_KIND, R_LOOKUP_SLOT, R_GET_SLOT, R_REMOVE_SLOT,
	R_ADD_SLOT, R_ORDER, R_HANDLE_RANGE, R_REF_UNSET, R_PUT_UNSET, R_FREE_UNSET,
	R_HANDLE_OF_OTHER_CPU, R_SCHEDULE_LONG, R_SCHEDULE_ABSENT, R_SCHEDULE_RANGE, R_NO_CPU, NR_RULES
};

static const struct {
	int part, cpu, item;
	bool text; /* the text form can write it: the parser must say the same */
	const char *msg;
} want[NR_RULES] = {
	[R_VARIANT] = { PART_PROGRAM, 0, 0, false, "variant 4 out of range -1..3" },
	[R_PAGES_ODD] = { PART_PAGES, 0, 0, true, "pages 12 must be a power of two from 4 to 1024" },
	[R_PAGES_SMALL] = { PART_PAGES, 0, 0, true, "pages 2 must be a power of two" },
	[R_PAGES_BIG] = { PART_PAGES, 0, 0, true, "pages 2048 must be a power of two" },
	[R_SLOTS_NONE] = { PART_SLOTS, 0, 0, true, "slots 0 out of range 1..64" },
	[R_SLOTS_MANY] = { PART_SLOTS, 0, 0, true, "slots 65 out of range 1..64" },
	[R_CACHE_SLOT] = { PART_CACHE, 0, 3, true, "cache slot 3 out of range: the program has 3 slots" },
	[R_CACHE_PAGES] = { PART_CACHE, 0, 4, true, "cache needs 5 pages but there are 4" },
	[R_NOPS] = { PART_OP, 2, PR_MAX_OPS, false, "cpu 2 has more than 32 ops" },
	[R_ABSENT_CPU_OPS] = { PART_OP, 1, 0, false, "cpu 1 has ops but is not in the program" },
	[R_KIND] = { PART_OP, 0, 1, false, "op kind 8 unknown (0..7)" },
	[R_LOOKUP_SLOT] = { PART_OP, 0, 0, true, "lookup slot 3 out of range: the program has 3 slots" },
	[R_GET_SLOT] = { PART_OP, 2, 0, true, "get slot 200 out of range: the program has 3 slots" },
	[R_REMOVE_SLOT] = { PART_OP, 0, 0, true, "remove slot 5 out of range" },
	[R_ADD_SLOT] = { PART_OP, 0, 0, true, "add slot 3 out of range" },
	[R_ORDER] = { PART_OP, 0, 1, true, "alloc order 5 out of range 0..4 for 16 pages" },
	[R_HANDLE_RANGE] = { PART_OP, 2, 1, false, "put handle 26 out of range 0..25 (a..z)" },
	[R_REF_UNSET] = { PART_OP, 2, 1, true, "handle 'c' is never set (by alloc or get) before this ref" },
	[R_PUT_UNSET] = { PART_OP, 2, 1, true, "handle 'b' is never set (by alloc or get) before this put" },
	[R_FREE_UNSET] = { PART_OP, 0, 2, true, "handle 'a' is never set (by alloc or get) before this free" },
	[R_HANDLE_OF_OTHER_CPU] = { PART_OP, 2, 0, true, "handle 'b' is never set" },
	[R_SCHEDULE_LONG] = { PART_SCHEDULE, 0, PR_MAX_SCHEDULE, false, "schedule longer than 1024 steps" },
	[R_SCHEDULE_ABSENT] = { PART_SCHEDULE, 0, 1, true, "schedule names cpu 1, which the program lacks" },
	[R_SCHEDULE_RANGE] = { PART_SCHEDULE, 0, 2, true, "schedule names cpu 200, which the program lacks" },
	[R_NO_CPU] = { PART_PROGRAM, 0, 0, true, "no cpu line: the program runs nothing" },
};

/* The base program with one rule broken. */
static void breaking(struct program *p, int rule)
{
	base(p);
	switch (rule) {
	case R_VARIANT: p->variant = NR_VARIANTS; break;
	case R_PAGES_ODD: p->npages = 12; break;
	case R_PAGES_SMALL: p->npages = 2; break;
	case R_PAGES_BIG: p->npages = 2048; break;
	case R_SLOTS_NONE: p->nslots = 0; break;
	case R_SLOTS_MANY: p->nslots = 65; break;
	case R_CACHE_SLOT: p->cache = 0x9; break;
	case R_CACHE_PAGES: p->npages = 4, p->ops[0][1].order = 2, p->cache = 0x1f, p->nslots = 8; break;
	case R_NOPS: p->nops[2] = PR_MAX_OPS + 1; break;
	case R_ABSENT_CPU_OPS: p->nops[1] = 1; break;
	case R_KIND: p->ops[0][1].kind = NR_OPS; break;
	case R_LOOKUP_SLOT: p->ops[0][0].slot = 3; break;
	case R_GET_SLOT: p->ops[2][0].slot = 200; break;
	case R_REMOVE_SLOT: p->ops[0][0] = (struct op){ .kind = OP_REMOVE, .slot = 5 }; break;
	case R_ADD_SLOT: p->ops[0][0] = (struct op){ .kind = OP_ADD, .slot = 3 }; break;
	case R_ORDER: p->ops[0][1].order = 5; break;
	case R_HANDLE_RANGE: p->ops[2][1].handle = PR_HANDLES; break;
	case R_REF_UNSET: p->ops[2][1] = (struct op){ .kind = OP_REF, .handle = 2 }; break;
	case R_PUT_UNSET: p->ops[2][1].handle = 1; break;
	case R_FREE_UNSET: p->ops[0][2].handle = 0; break;
	/* cpu 0 sets b; cpu 2's handles are its own */
	case R_HANDLE_OF_OTHER_CPU: p->ops[2][0] = (struct op){ .kind = OP_PUT, .handle = 1 }; break;
	case R_SCHEDULE_LONG: p->nschedule = PR_MAX_SCHEDULE + 1; break;
	case R_SCHEDULE_ABSENT: p->schedule[1] = 1; break;
	case R_SCHEDULE_RANGE: p->schedule[2] = 200; break; /* a shift past the int: UBSan's */
	case R_NO_CPU: p->cpus = 0, p->nops[0] = p->nops[2] = 0, p->nschedule = 0; break;
	}
}

TEST(program_check_rules)
{
	static struct program p;
	struct parse_error err;

	base(&p);
	CHECK(program_check(&p, &err), "the base program is rejected: %s", err.msg);
	for (int r = 0; r < NR_RULES; r++) {
		bool ok;

		breaking(&p, r);
		ok = program_check(&p, &err);
		CHECK(!ok && strstr(err.msg, want[r].msg) && err.line == 0, "rule %d: ok %d \"%s\"; want \"%s\"",
		      r, ok, err.msg, want[r].msg);
		CHECK(err.part == want[r].part && err.cpu == want[r].cpu && err.item == want[r].item,
		      "rule %d (%s): part %d cpu %d item %d; want %d %d %d", r, want[r].msg, err.part, err.cpu,
		      err.item, want[r].part, want[r].cpu, want[r].item);
	}
}

/* The parser and program_check agree: each broken program the text form
 * can write, printed and parsed, fails with program_check's message, and
 * at the line that wrote the part it names. */
TEST(parser_says_what_program_check_says)
{
	static struct program p, back;
	struct parse_error err, perr;

	for (int r = 0; r < NR_RULES; r++) {
		char *text = NULL;
		size_t len;
		FILE *f;
		int line = 0, at = 0;

		if (!want[r].text)
			continue;
		breaking(&p, r);
		program_check(&p, &err);
		f = open_memstream(&text, &len);
		program_print(f, &p);
		fclose(f);
		/* The printed form: pages, slots, cache, one line per cpu in
		 * order, the schedule. */
		for (const char *q = text; *q; q = strchr(q, '\n') + 1) {
			line++;
			if ((want[r].part == PART_PAGES && !strncmp(q, "pages", 5)) ||
			    (want[r].part == PART_SLOTS && !strncmp(q, "slots", 5)) ||
			    (want[r].part == PART_CACHE && !strncmp(q, "cache", 5)) ||
			    (want[r].part == PART_SCHEDULE && !strncmp(q, "schedule", 8)) ||
			    (want[r].part == PART_OP && !strncmp(q, "cpu ", 4) && q[4] - '0' == want[r].cpu))
				at = line;
		}
		CHECK(!program_parse(&back, text, len, &perr) && !strcmp(perr.msg, err.msg) && perr.line == at,
		      "rule %d: the parser says %d: \"%s\"; program_check \"%s\" (line %d)", r, perr.line,
		      perr.msg, err.msg, at);
		free(text);
	}
}

/* program_check's error on cpu C op I is at that op's line, however the
 * text spreads the program. */
TEST(check_errors_at_their_lines)
{
	static const struct {
		const char *text;
		int line;
		const char *msg;
	} cases[] = {
		{ "cpu 0: alloc 0 a\n\n# c\ncpu 3: lookup 0; ref b\nschedule: 0 3\n", 4, "handle 'b' is never set" },
		{ "cpu 0: lookup 1\ncpu 1: get 0 a; put a\nslots 1\n", 1,
		  "lookup slot 1 out of range: the program has 1 slots" },
		{ "slots 2\ncache 0\ncache 1\nslots 1\ncpu 0: lookup 0\n", 4, "second 'slots' line" },
		{ "cpu 0: lookup 0\nslots 1\ncache 0\n\ncache 1\n", 5, "cache slot 1 out of range" },
		{ "schedule: 0 1\npages 2\ncpu 0: lookup 0\n", 2, "pages 2 must be a power of two" },
		{ "cpu 0: lookup 0\nschedule: 0 0\ncpu 1: alloc 200 a\n", 3, "alloc order 200 out of range 0..4" },
		{ "cpu 0: alloc 256 a\n", 1, "an order '256' is too big" },
		{ "cpu 0: lookup 0\nschedule: 0 256\n", 2, "a cpu number '256' is too big" },
		/* Syntax first, in text order; then the rules. */
		{ "cpu 0: put a\nfrob\n", 2, "unknown directive 'frob'" },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct program p;
		struct parse_error err;
		bool ok = program_parse(&p, cases[i].text, strlen(cases[i].text), &err);

		CHECK(!ok && err.line == cases[i].line && strstr(err.msg, cases[i].msg),
		      "case %u: ok %d, line %d \"%s\"; want line %d \"%s\"", i, ok, err.line, err.msg,
		      cases[i].line, cases[i].msg);
	}
}

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next(void)
{
	return sched_random(&rng);
}

/* Random bytes of every length decode to programs program_check accepts
 * and that keep the contract (the decoder aborts on an invalid one; this
 * asks program_check itself). */
TEST(decoded_programs_are_valid)
{
	static struct program p;
	uint8_t buf[300];
	int invalid = 0, broken = 0;
	struct parse_error err;

	for (int i = 0; i < 20000; i++) {
		size_t len = next() % sizeof(buf);

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)next();
		program_decode(&p, buf, len);
		if (!program_check(&p, &err) && invalid++ == 0)
			CHECK(false, "decoded program invalid: %s", err.msg);
		broken += !program_keeps_contract(&p);
	}
	CHECK_EQ(invalid, 0);
	CHECK_EQ(broken, 0);
}

/* A program pagerace built that fails program_check ends the run: the
 * decoder's and explore's bug, said and abort()ed. */
TEST(assert_valid_aborts)
{
	static struct program p;
	int status = 0;
	pid_t pid;

	base(&p);
	program_assert_valid(&p, "the test"); /* a valid one goes on */
	breaking(&p, R_ORDER);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		program_assert_valid(&p, "the test");
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	      "an invalid program went on: status %#x", status);
}

/* The minimizer's candidates are held to program_check: its arena pass
 * may not leave an op on a slot past the slots it keeps.  Here "remove 3"
 * must stay (slot 3's page blocks the order-2 block the race reuses), and
 * shrunk to one slot the run would still lose pages: only the rule stops
 * the invalid candidate.  (The old predicate, fits(), caught this one, but
 * not a schedule naming a cpu the program lacks, pages off a power of two,
 * or no cpu at all, which the parser rejects: program_check_rules.) */
TEST(minimizer_output_is_valid)
{
	static const char text[] = "pages 16\nslots 4\ncache 0 3\ncpu 0: lookup 0\n"
				   "cpu 1: remove 3; remove 0; alloc 2 a; free a\n"
				   "schedule: 0 1 1 1 1 1 0 1 0 0 0\n";
	static struct program p, back;
	struct minimize_stats stats;
	struct parse_error err;
	struct exec *x = exec_new();
	char *out = NULL;
	size_t len;
	FILE *f;

	CHECK(program_parse(&p, text, strlen(text), &err), "%s", err.msg);
	CHECK(minimize(x, &p, variants[VARIANT_V5_9], &stats), "the story shows nothing on v5.9");
	CHECK_EQ(x->verdict.kind, VERDICT_LOST_PAGES);
	CHECK(program_check(&p, &err), "the minimized program is invalid: %s", err.msg);
	f = open_memstream(&out, &len);
	program_print(f, &p);
	fclose(f);
	CHECK(program_parse(&back, out, len, &err), "the minimized program does not parse: %d: %s\n%s", err.line,
	      err.msg, out);
	free(out);
	exec_free(x);
}
