/* test_program.c: the text form of programs: what program_parse reads from
 * the example and the accepted layouts, each error it reports with its line,
 * the program_print round trip, and random bytes that must not crash it.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lang/program.h"
#include "test.h"

static const char example[] =
	"# comment to end of line\n"
	"variant v6.2          # optional; --variant overrides; default v6.2\n"
	"pages 16              # optional, default 16\n"
	"slots 4               # optional, default 4\n"
	"cache 0               # before the cpus start: an order-0 page in slot 0, held by the cache (refcount 1)\n"
	"cpu 0: lookup 0       # the ops cpu 0 runs, in order; cpus 0..7, each named at most once\n"
	"cpu 1: remove 0; alloc 2 a; free a\n"
	"schedule: 0 1 1 1 0 0 1 0   # which cpu takes each next step\n";

/* Text made printable for a failure message, cut to fit out. */
static const char *escaped(const char *text, size_t len, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 5 < size; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
	}
	out[n] = 0;
	return out;
}

static bool parse(struct program *prog, const char *text, struct parse_error *err)
{
	return program_parse(prog, text, strlen(text), err);
}

/* The first difference of two programs, in why; false when there is one. */
static bool same_program(const struct program *a, const struct program *b, char *why, size_t size)
{
	if (a->variant != b->variant || a->npages != b->npages || a->nslots != b->nslots)
		snprintf(why, size, "variant/pages/slots %d/%u/%u vs %d/%u/%u", a->variant, a->npages,
			 a->nslots, b->variant, b->npages, b->nslots);
	else if (a->cache != b->cache || a->cpus != b->cpus || a->nschedule != b->nschedule)
		snprintf(why, size, "cache/cpus/nschedule %#llx/%#x/%u vs %#llx/%#x/%u",
			 (unsigned long long)a->cache, a->cpus, a->nschedule,
			 (unsigned long long)b->cache, b->cpus, b->nschedule);
	else if (memcmp(a->schedule, b->schedule, a->nschedule))
		snprintf(why, size, "schedules differ");
	else if (memcmp(a->nops, b->nops, sizeof(a->nops)))
		snprintf(why, size, "op counts differ");
	else
		why[0] = 0;
	for (int c = 0; c < PR_MAX_CPUS && !why[0]; c++) {
		for (int i = 0; i < a->nops[c] && !why[0]; i++) {
			const struct op *x = &a->ops[c][i], *y = &b->ops[c][i];

			if (x->kind != y->kind || x->slot != y->slot || x->order != y->order ||
			    x->handle != y->handle || x->comp != y->comp)
				snprintf(why, size, "cpu %d op %d: %s %u %u %u %d vs %s %u %u %u %d", c, i,
					 op_name(x->kind), x->slot, x->order, x->handle, x->comp,
					 op_name(y->kind), y->slot, y->order, y->handle, y->comp);
		}
	}
	return !why[0];
}

/* Print prog and parse the text back to the same program; why says what
 * went wrong. */
static bool round_trip(const struct program *prog, char *why, size_t size)
{
	struct program back;
	struct parse_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		snprintf(why, size, "open_memstream failed");
		return false;
	}
	program_print(f, prog);
	fclose(f);
	if (!program_parse(&back, buf, len, &err))
		snprintf(why, size, "printed text fails at line %d: %s", err.line, err.msg);
	else
		same_program(prog, &back, why, size);
	free(buf);
	return !why[0];
}

static void check_round_trip(const struct program *prog, const char *name)
{
	char why[200];

	CHECK(round_trip(prog, why, sizeof(why)), "%s: %s", name, why);
}

/* The example's every field, and the defaults of a minimal program. */
TEST(example)
{
	static const uint8_t schedule[] = { 0, 1, 1, 1, 0, 0, 1, 0 };
	struct program prog;
	struct parse_error err;
	const struct op *o;

	CHECK(program_parse(&prog, example, sizeof(example) - 1, &err), "example: line %d: %s",
	      err.line, err.msg);
	CHECK_EQ(prog.variant, VARIANT_V6_2);
	CHECK_EQ(prog.npages, 16);
	CHECK_EQ(prog.nslots, 4);
	CHECK_EQ(prog.cache, 1);
	CHECK_EQ(prog.cpus, 3);
	CHECK_EQ(prog.nops[0], 1);
	CHECK_EQ(prog.nops[1], 3);
	for (int c = 2; c < PR_MAX_CPUS; c++)
		CHECK_EQ(prog.nops[c], 0);
	o = prog.ops[0];
	CHECK(o[0].kind == OP_LOOKUP && o[0].slot == 0, "cpu 0 op 0: %d %u", o[0].kind, o[0].slot);
	o = prog.ops[1];
	CHECK(o[0].kind == OP_REMOVE && o[0].slot == 0, "cpu 1 op 0: %d %u", o[0].kind, o[0].slot);
	CHECK(o[1].kind == OP_ALLOC && o[1].order == 2 && o[1].handle == 0 && !o[1].comp,
	      "cpu 1 op 1: %d order %u handle %u comp %d", o[1].kind, o[1].order, o[1].handle,
	      o[1].comp);
	CHECK(o[2].kind == OP_FREE && o[2].handle == 0, "cpu 1 op 2: %d handle %u", o[2].kind,
	      o[2].handle);
	CHECK_EQ(prog.nschedule, 8);
	CHECK(!memcmp(prog.schedule, schedule, sizeof(schedule)), "the schedule differs");
	check_round_trip(&prog, "example");

	CHECK(parse(&prog, "cpu 3: add 1", &err), "minimal: line %d: %s", err.line, err.msg);
	CHECK(prog.variant == -1 && prog.npages == 16 && prog.nslots == 4 && prog.cache == 0 &&
		      prog.nschedule == 0 && prog.cpus == 8 && prog.nops[3] == 1 &&
		      prog.ops[3][0].kind == OP_ADD && prog.ops[3][0].slot == 1,
	      "defaults: variant %d pages %u slots %u", prog.variant, prog.npages, prog.nslots);
	check_round_trip(&prog, "minimal");
}

/* Comments, blanks, CRLF, tabs, " : ", trailing ';', cache lists, comp all parse. */
TEST(accepted_forms)
{
	static const char text[] =
		"# leading comment\n"
		"\n"
		"   \t\n"
		"\tvariant\tv5.10\t# tabs\r\n"
		"pages 64\r\n"
		"slots 8 # trailing comment\n"
		"cache 0 1 2\n"
		"cache 7\r\n"
		"cpu 0 : lookup 0\n"
		"cpu 2:get 1 z;ref z ;put z;\r\n"
		"   # indented comment\n"
		"cpu 1: alloc 2 a comp; alloc 6 b;;free a; free b ;\n"
		"cpu 7 :\n"
		"schedule:0 1 2\t1  7";
	struct program prog;
	struct parse_error err;
	const struct op *o;

	CHECK(parse(&prog, text, &err), "line %d: %s", err.line, err.msg);
	CHECK(prog.variant == VARIANT_V5_10 && prog.npages == 64 && prog.nslots == 8 &&
		      prog.cache == 0x87 && prog.cpus == 0x87,
	      "variant %d pages %u slots %u cache %#llx cpus %#x", prog.variant, prog.npages,
	      prog.nslots, (unsigned long long)prog.cache, prog.cpus);
	CHECK(prog.nops[0] == 1 && prog.nops[1] == 4 && prog.nops[2] == 3 && prog.nops[7] == 0,
	      "nops %u %u %u %u", prog.nops[0], prog.nops[1], prog.nops[2], prog.nops[7]);
	o = prog.ops[1];
	CHECK(o[0].kind == OP_ALLOC && o[0].order == 2 && o[0].handle == 0 && o[0].comp &&
		      o[1].kind == OP_ALLOC && o[1].order == 6 && o[1].handle == 1 && !o[1].comp &&
		      o[2].kind == OP_FREE && o[2].handle == 0 && o[3].kind == OP_FREE &&
		      o[3].handle == 1,
	      "cpu 1 ops wrong");
	o = prog.ops[2];
	CHECK(o[0].kind == OP_GET && o[0].slot == 1 && o[0].handle == 25 && o[1].kind == OP_REF &&
		      o[1].handle == 25 && o[2].kind == OP_PUT && o[2].handle == 25,
	      "cpu 2 ops wrong");
	CHECK(prog.nschedule == 5 && prog.schedule[3] == 1 && prog.schedule[4] == 7,
	      "schedule of %u steps", prog.nschedule);
	check_round_trip(&prog, "accepted forms");
}

static void check_error_len(const char *text, size_t len, int line, const char *msg)
{
	struct program prog;
	struct parse_error err;
	char shown[120];
	bool ok = program_parse(&prog, text, len, &err);

	CHECK(!ok && err.line == line && strstr(err.msg, msg),
	      "\"%s\": ok %d, line %d \"%s\"; want line %d \"%s\"",
	      escaped(text, len, shown, sizeof(shown)), ok, err.line, err.msg, line, msg);
}

/* Each error the parser reports, at its line, with its message. */
TEST(errors)
{
	static const struct {
		const char *text;
		int line;
		const char *msg;
	} cases[] = {
		{ "cpu 0: frob 1\n", 1, "unknown op 'frob'" },
		{ "cpu 0: lookup 0\nfrob 3\n", 2, "unknown directive 'frob'" },
		{ "cpu 0: lookup 0\n  : 3\n", 2, "unexpected ':'" },
		{ "variant v4.0\ncpu 0: lookup 0\n", 1, "unknown variant 'v4.0'" },
		{ "cpu 0: lookup 0\nvariant\n", 2, "variant needs a name" },
		{ "cpu 0: lookup 0\nvariant # v5.9\n", 2, "variant needs a name" },
		{ "pages 12\ncpu 0: lookup 0\n", 1, "pages 12 must be a power of two" },
		{ "pages 2\ncpu 0: lookup 0\n", 1, "pages 2 must be a power of two" },
		{ "pages 0\n", 1, "pages 0 must be a power of two" },
		{ "pages 2048\ncpu 0: lookup 0\n", 1, "pages 2048 must be a power of two" },
		{ "slots 0\ncpu 0: lookup 0\n", 1, "slots 0 out of range 1..64" },
		{ "slots 65\ncpu 0: lookup 0\n", 1, "slots 65 out of range 1..64" },
		{ "pages 99999999999\n", 1, "the number of pages '99999999999' is too big" },
		{ "cpu 0: lookup 0\nschedule: 0 1000000000\n", 2, "is too big" },
		{ "cpu 0: lookup x\n", 1, "a slot must be a number, not 'x'" },
		{ "cpu 0: lookup -1\n", 1, "must be a number, not '-1'" },
		{ "pages sixteen\n", 1, "the number of pages must be a number, not 'sixteen'" },
		{ "cpu 0: lookup\n", 1, "expected a slot, found end of line" },
		{ "cache 0,1\n", 1, "expected a slot, found something else" },
		{ "cpu x: lookup 0\n", 1, "a cpu number must be a number, not 'x'" },
		{ "cpu 8: lookup 0\n", 1, "cpu 8 out of range 0..7" },
		{ "cpu 1: lookup 0\n\ncpu 1: lookup 1\n", 3, "cpu 1 is named twice" },
		{ "cpu 0 lookup 0\n", 1, "expected ':' after the cpu number" },
		{ "cpu 0\n", 1, "expected ':' after the cpu number" },
		{ "cpu 0: lookup 0 ; , \n", 1, "expected an op" },
		{ "cpu 0: lookup 0 1\n", 1, "unexpected '1' after lookup" },
		{ "cpu 0: alloc 0 A\n", 1, "handle 'A' of alloc is not a lowercase letter" },
		{ "cpu 0: get 0 ab\n", 1, "handle 'ab' of get is not a lowercase letter" },
		{ "cpu 0: alloc 0 a; ref 7\n", 1, "handle '7' of ref is not a lowercase letter" },
		{ "cpu 0: alloc 0\n", 1, "alloc needs a handle" },
		{ "cpu 0: put a\n", 1, "handle 'a' is never set (by alloc or get) before this put" },
		{ "cpu 0: get 0 a; ref b\n", 1, "handle 'b' is never set" },
		{ "cpu 0: free c; alloc 0 c\n", 1, "before this free" },
		{ "cpu 0: alloc 0 a\ncpu 1: free a\n", 2, "handle 'a' is never set" },
		{ "cpu 0: alloc 0 a big\n", 1, "alloc takes 'comp' or nothing after its handle, not 'big'" },
		{ "cpu 0: alloc 0 a comp x\n", 1, "unexpected 'x' after alloc" },
		{ "cpu 0: alloc 11 a\n", 1, "alloc order 11 out of range 0..4 for 16 pages" },
		{ "cpu 0: alloc 5 a\n", 1, "alloc order 5 out of range 0..4 for 16 pages" },
		{ "# x\ncpu 0: lookup 0; alloc 3 a comp\npages 4\n", 2,
		  "alloc order 3 out of range 0..2 for 4 pages" },
		{ "pages 1024\ncpu 0: alloc 10 a\ncpu 1: alloc 10 b\npages 512\n", 4,
		  "second 'pages' line (the first is line 1)" },
		{ "cpu 0: lookup 64\n", 1, "lookup slot 64 out of range: the program has 4 slots" },
		{ "cpu 0: lookup 4\n", 1, "lookup slot 4 out of range: the program has 4 slots" },
		{ "cpu 0: alloc 0 a\ncpu 2: get 4 a\n", 2,
		  "get slot 4 out of range: the program has 4 slots" },
		{ "cpu 0: remove 4\n", 1, "remove slot 4 out of range" },
		{ "cpu 0: add 4\n", 1, "add slot 4 out of range" },
		{ "cpu 0: lookup 1\ncpu 1: add 2\nslots 2\n", 2,
		  "add slot 2 out of range: the program has 2 slots" },
		{ "cache 64\ncpu 0: lookup 0\n", 1, "cache slot 64 out of range 0..63" },
		{ "cache 4\ncpu 0: lookup 0\n", 1, "cache slot 4 out of range: the program has 4 slots" },
		{ "cache 0\ncache 1\nslots 1\ncpu 0: lookup 0\n", 2,
		  "cache slot 1 out of range: the program has 1 slots" },
		{ "cache 0 0\n", 1, "slot 0 is cached twice" },
		{ "cache 1\ncache 2 1\n", 2, "slot 1 is cached twice" },
		{ "cache\n", 1, "expected a slot, found end of line" },
		{ "pages 4\nslots 8\ncache 0 1 2\ncache 3 4\ncpu 0: lookup 0\n", 4,
		  "cache needs 5 pages but there are 4" },
		{ "cpu 0: lookup 0\nschedule: 0 1\n", 2, "schedule names cpu 1, which the program lacks" },
		{ "schedule: 0 5\ncpu 0: lookup 0\ncpu 3: lookup 0\n", 1, "schedule names cpu 5, which" },
		{ "cpu 0: lookup 0\nschedule: 8\n", 2, "schedule names cpu 8, which the program lacks" },
		{ "cpu 0: lookup 0\nschedule 0\n", 2, "expected ':' after schedule" },
		{ "cpu 0: lookup 0\nschedule: 0 x\n", 2, "a cpu number must be a number, not 'x'" },
		{ "cpu 0: lookup 0\nschedule: 0\n# c\nschedule: 0\n", 4,
		  "second schedule line (the first is line 2)" },
		{ "pages 16\npages 16\n", 2, "second 'pages' line (the first is line 1)" },
		{ "slots 4\n\nslots 4\n", 3, "second 'slots' line (the first is line 1)" },
		{ "variant v5.9\nvariant v5.9\n", 2, "second 'variant' line (the first is line 1)" },
		{ "pages 16 17\n", 1, "unexpected '17' after pages" },
		{ "slots 4 x\n", 1, "unexpected 'x' after slots" },
		{ "variant v5.9 v5.10\n", 1, "unexpected 'v5.10' after the variant" },
		{ "variant v6.2;\n", 1, "unexpected ';' after the variant" },
		{ "# only a comment\n\n", 0, "no cpu line" },
		{ "pages 64\nschedule:\n", 0, "no cpu line" },
		{ "", 0, "no cpu line" },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_error_len(cases[i].text, strlen(cases[i].text), cases[i].line, cases[i].msg);
}

static void check_accepted(const char *text, size_t len, const char *name)
{
	struct program prog;
	struct parse_error err;

	CHECK(program_parse(&prog, text, len, &err), "%s: line %d: %s", name, err.line, err.msg);
	check_round_trip(&prog, name);
}

/* Control bytes but tab and CR, DEL and non-ASCII bytes are refused, naming the byte. */
TEST(bad_bytes)
{
	static const unsigned char bytes[] = { 0x00, 0x01, 0x0b, 0x1b, 0x7f, 0x80, 0xc3, 0xff };

	for (unsigned int i = 0; i < sizeof(bytes); i++) {
		char text[64], msg[64];
		int n = snprintf(text, sizeof(text), "cpu 0: lookup 0\ncpu 1:Xlookup 1\n");

		text[22] = (char)bytes[i];
		snprintf(msg, sizeof(msg), "unexpected byte 0x%02x in column 7", bytes[i]);
		check_error_len(text, (size_t)n, 2, msg);
	}
	check_error_len("pages 16\0\ncpu 0: lookup 0\n", 26, 1, "byte 0x00 in column 9");
}

/* 32 ops, 1024 steps, 4096-byte lines and the largest sizes pass; one more fails. */
TEST(limits)
{
	static char text[8192];
	int n;

	n = snprintf(text, sizeof(text), "# x\ncpu 0:");
	for (int i = 0; i < 32; i++)
		n += snprintf(text + n, sizeof(text) - n, " lookup 0;");
	check_accepted(text, (size_t)n, "32 ops");
	n += snprintf(text + n, sizeof(text) - n, " lookup 3");
	check_error_len(text, (size_t)n, 2, "cpu 0 has more than 32 ops");

	n = snprintf(text, sizeof(text), "cpu 0: lookup 0\ncpu 5:\nschedule:");
	for (int i = 0; i < 1024; i++)
		n += snprintf(text + n, sizeof(text) - n, " %d", i % 2 ? 5 : 0);
	check_accepted(text, (size_t)n, "1024 schedule steps");
	n += snprintf(text + n, sizeof(text) - n, " 0\n");
	check_error_len(text, (size_t)n, 3, "schedule longer than 1024 steps");

	n = snprintf(text, sizeof(text), "# x\ncpu 0: lookup 0");
	memset(text + n, ' ', 4096 + 4 - n);
	check_accepted(text, 4096 + 4, "a 4096-byte line");
	text[4096 + 4] = '\t';
	check_error_len(text, 4096 + 5, 2, "line longer than 4096 bytes");
	text[4096 + 4] = '\n';
	check_accepted(text, 4096 + 5, "a 4096-byte line and a newline");

	n = snprintf(text, sizeof(text), "pages 4\nslots 64\ncache 0 17 63 62\ncpu 7: lookup 63; "
					 "get 0 z; alloc 2 y comp; put z; free y\nschedule:\n");
	check_accepted(text, (size_t)n, "4 pages, 64 slots, cpu 7");
	n = snprintf(text, sizeof(text), "pages 1024\nslots 1\ncpu 0: alloc 10 a\nschedule: 0 0\n");
	check_accepted(text, (size_t)n, "1024 pages, order 10");
	n = snprintf(text, sizeof(text), "cpu 0: alloc 000000004 a; alloc 0 b\npages 00016\n");
	check_accepted(text, (size_t)n, "leading zeros");
}

/* Hand-written programs print to text that parses back to them. */
TEST(round_trip)
{
	static const char *const texts[] = {
		"cpu 0:",
		"variant v5.9\ncpu 1: lookup 3; get 2 q; ref q; put q; put q\ncpu 0: remove 3\n"
		"schedule: 1 0 1 1 0 1 1 1\n",
		"variant racy-refcount\npages 32\nslots 16\ncache 15 0 3\ncpu 4: add 15; alloc 5 m comp; "
		"free m; alloc 0 m; free m\ncpu 6: get 3 a; alloc 1 b; ref b; free b; put a\n",
		"variant v5.10\npages 4\nslots 2\ncache 1\ncpu 2: alloc 2 k\n",
	};

	for (unsigned int i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		check_accepted(texts[i], strlen(texts[i]), texts[i]);
}

/* A random valid program: ops whose handles are set first, slots and orders
 * within the sizes, a schedule of its cpus. */
static void random_program(struct program *prog, uint64_t *rng)
{
	int ncached = 0;

	program_init(prog);
	prog->variant = (int)(sched_random(rng) % (NR_VARIANTS + 1)) - 1;
	prog->npages = 4u << sched_random(rng) % 9;
	prog->nslots = 1 + (unsigned int)(sched_random(rng) % MM_MAX_SLOTS);
	for (unsigned int s = 0; s < prog->nslots; s++) {
		if (sched_random(rng) % 3 == 0 && ncached < (int)prog->npages) {
			prog->cache |= 1ULL << s;
			ncached++;
		}
	}
	prog->cpus = (uint8_t)(1 + sched_random(rng) % 255);
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		uint32_t set = 0;

		if (!(prog->cpus >> c & 1))
			continue;
		prog->nops[c] = (uint8_t)(sched_random(rng) % (PR_MAX_OPS + 1));
		for (int i = 0; i < prog->nops[c]; i++) {
			struct op op = { .kind = (uint8_t)(sched_random(rng) % NR_OPS) };

			if (op.kind >= OP_REF && !set)
				op.kind = OP_ALLOC;
			if (op.kind == OP_LOOKUP || op.kind == OP_GET || op.kind == OP_REMOVE ||
			    op.kind == OP_ADD)
				op.slot = (uint8_t)(sched_random(rng) % prog->nslots);
			if (op.kind == OP_ALLOC) {
				op.order = (uint8_t)(sched_random(rng) % (order_of(prog->npages) + 1));
				op.comp = sched_random(rng) % 2;
			}
			if (op.kind == OP_GET || op.kind == OP_ALLOC) {
				op.handle = (uint8_t)(sched_random(rng) % PR_HANDLES);
				set |= 1u << op.handle;
			} else if (op.kind >= OP_REF) {
				do
					op.handle = (uint8_t)(sched_random(rng) % PR_HANDLES);
				while (!(set >> op.handle & 1));
			}
			prog->ops[c][i] = op;
		}
	}
	prog->nschedule = (uint16_t)(sched_random(rng) % 8 ? sched_random(rng) % 40
						     : sched_random(rng) % (PR_MAX_SCHEDULE + 1));
	for (int i = 0; i < prog->nschedule; i++) {
		unsigned int c;

		do
			c = (unsigned int)(sched_random(rng) % PR_MAX_CPUS);
		while (!(prog->cpus >> c & 1));
		prog->schedule[i] = (uint8_t)c;
	}
}

/* Append to a line of loose text. */
static void add(char *line, size_t size, const char *fmt, ...)
{
	size_t n = strlen(line);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line + n, size - n, fmt, ap);
	va_end(ap);
}

/* Optional blanks, and one or more. */
static const char *blank(uint64_t *rng)
{
	static const char *const b[] = { "", "", " ", "\t", "  \t" };

	return b[sched_random(rng) % 5];
}

static const char *blanks(uint64_t *rng)
{
	static const char *const b[] = { " ", " ", "\t", " \t " };

	return b[sched_random(rng) % 4];
}

/* prog in a non-canonical layout: lines shuffled, blanks and comments
 * sprinkled, CRLF, trailing and doubled ';', defaults left out, cache split
 * over several lines. */
static void write_loosely(FILE *out, const struct program *prog, uint64_t *rng)
{
	static char lines[16][4096];
	int n = 0;

	memset(lines, 0, sizeof(lines));
	if (prog->variant >= 0)
		add(lines[n++], sizeof(lines[0]), "variant%s%s", blanks(rng), variants[prog->variant]->name);
	if (prog->npages != 16 || sched_random(rng) % 2)
		add(lines[n++], sizeof(lines[0]), "pages%s%u", blanks(rng), prog->npages);
	if (prog->nslots != 4 || sched_random(rng) % 2)
		add(lines[n++], sizeof(lines[0]), "slots%s%u", blanks(rng), prog->nslots);
	for (unsigned int s = 0, first = 1; s < MM_MAX_SLOTS; s++) {
		if (!(prog->cache >> s & 1))
			continue;
		if (first || sched_random(rng) % 16 == 0) {
			if (n < 6) /* at most three cache lines: 16 lines in all */
				add(lines[n++], sizeof(lines[0]), "cache");
			first = 0;
		}
		add(lines[n - 1], sizeof(lines[0]), "%s%u", blanks(rng), s);
	}
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		char *l = lines[n];

		if (!(prog->cpus >> c & 1))
			continue;
		n++;
		add(l, sizeof(lines[0]), "cpu%s%d%s:", blanks(rng), c, blank(rng));
		for (int i = 0; i < prog->nops[c]; i++) {
			const struct op *op = &prog->ops[c][i];

			add(l, sizeof(lines[0]), "%s%s%s%s", i ? ";" : "", sched_random(rng) % 8 ? "" : ";",
			    blank(rng), op_name(op->kind));
			if (op->kind == OP_ALLOC)
				add(l, sizeof(lines[0]), "%s%u", blanks(rng), op->order);
			else if (op->kind <= OP_ADD)
				add(l, sizeof(lines[0]), "%s%u", blanks(rng), op->slot);
			if (op->kind == OP_GET || op->kind >= OP_ALLOC)
				add(l, sizeof(lines[0]), "%s%c", blanks(rng), 'a' + op->handle);
			if (op->comp)
				add(l, sizeof(lines[0]), "%scomp", blanks(rng));
			add(l, sizeof(lines[0]), "%s", blank(rng));
		}
		if (sched_random(rng) % 4 == 0)
			add(l, sizeof(lines[0]), ";");
	}
	if (prog->nschedule || sched_random(rng) % 2) {
		add(lines[n], sizeof(lines[0]), "schedule%s:", blank(rng));
		for (int i = 0; i < prog->nschedule; i++)
			add(lines[n], sizeof(lines[0]), "%s%u", sched_random(rng) % 2 ? " " : "\t",
			    prog->schedule[i]);
		n++;
	}
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(sched_random(rng) % (unsigned)(i + 1));
		char tmp[sizeof(lines[0])];

		memcpy(tmp, lines[i], sizeof(tmp));
		memcpy(lines[i], lines[j], sizeof(tmp));
		memcpy(lines[j], tmp, sizeof(tmp));
	}
	for (int i = 0; i < n; i++) {
		if (sched_random(rng) % 4 == 0)
			fputs(sched_random(rng) % 2 ? "\n" : "# a comment; cpu 9: frob\n", out);
		fprintf(out, "%s%s%s%s", blank(rng), lines[i], sched_random(rng) % 4 ? "" : " # note",
			sched_random(rng) % 2 ? "\r\n" : "\n");
	}
}

/* Random valid programs round-trip, and parse the same from a loose layout. */
TEST(random_programs)
{
	static struct program prog, back;
	uint64_t seed = 0x2545f4914f6cdd1dULL, rng = seed;
	char why[300] = "";
	int i;

	for (i = 0; i < 2000; i++) {
		struct parse_error err;
		char *buf = NULL, shown[120];
		size_t len = 0;
		FILE *f;

		random_program(&prog, &rng);
		if (!round_trip(&prog, why, sizeof(why)))
			break;
		f = open_memstream(&buf, &len);
		if (!f) {
			snprintf(why, sizeof(why), "open_memstream failed");
			break;
		}
		write_loosely(f, &prog, &rng);
		fclose(f);
		if (!program_parse(&back, buf, len, &err))
			snprintf(why, sizeof(why), "loose text fails at line %d: %s", err.line, err.msg);
		else
			same_program(&prog, &back, why, sizeof(why));
		if (why[0])
			add(why, sizeof(why), " in \"%s\"", escaped(buf, len, shown, sizeof(shown)));
		free(buf);
		if (why[0])
			break;
	}
	CHECK(!why[0], "seed %#llx, program %d: %s", (unsigned long long)seed, i, why);
}

/* Random bytes and token soup: refusals carry a message and a line, the rest round-trip. */
TEST(random_bytes)
{
	static const char *const words[] = {
		"cpu", "0", "1", "7", "8", ":", ";", "lookup", "get", "remove", "add", "alloc",
		"ref", "put", "free", "a", "b", "comp", "schedule:", "schedule", "\n", "\n",
		"#", "pages", "slots", "cache", "variant", "v6.2", "1024", "4", "64", "65",
		"\r\n", "\t", "99999999999", "A", "-", "\x80",
	};
	static const char *const good[] = {
		"lookup 0;", "get 1 b;", "remove 3;", "add 2;", "alloc 1 a;", "alloc 4 b comp;",
		"alloc 0 a", ";", " ", "\t", "ref a;", "put b;", "free a;",
	};
	static const char *const bad[] = {
		"\ncpu 1:", "\nschedule: 0 0", "lookup 5;", "alloc 9 a;", "free c;", "\r\n",
		"\n# c\n", "\npages 4\n", "\ncache 1\n", "# c", "\nslots 2\n",
	};
	static char text[400];
	uint64_t seed = 0xdeadbeefcafef00dULL, rng = seed;
	char why[300] = "";
	int accepted = 0, i;

	for (i = 0; i < 20000 && !why[0]; i++) {
		struct program prog;
		struct parse_error err;
		size_t want = sched_random(&rng) % 301, len = 0;
		int nlines = 1;
		char shown[120];

		if (i % 3 == 0) {
			for (; len < want; len++)
				text[len] = (char)sched_random(&rng);
		} else if (i % 3 == 1) {
			while (len < want)
				len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s",
							words[sched_random(&rng) % (sizeof(words) / sizeof(words[0]))],
							sched_random(&rng) % 3 ? " " : "");
		} else {
			len = (size_t)snprintf(text, sizeof(text), "cpu 0: alloc 0 a; get 0 b;");
			while (len < want) {
				const char *t = sched_random(&rng) % 12
					? good[sched_random(&rng) % (sizeof(good) / sizeof(good[0]))]
					: bad[sched_random(&rng) % (sizeof(bad) / sizeof(bad[0]))];

				if (len + strlen(t) > want)
					break;
				len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", t);
			}
		}
		len = len < want ? len : want;
		for (size_t k = 0; k < len; k++)
			nlines += text[k] == '\n';
		if (!program_parse(&prog, text, len, &err)) {
			if (!err.msg[0] || err.line < 0 || err.line > nlines + 1)
				snprintf(why, sizeof(why), "\"%s\": line %d of %d, message \"%s\"",
					 escaped(text, len, shown, sizeof(shown)), err.line, nlines,
					 err.msg);
		} else {
			accepted++;
			if (!round_trip(&prog, why, sizeof(why) / 2))
				add(why, sizeof(why), " for \"%s\"", escaped(text, len, shown, sizeof(shown)));
		}
	}
	CHECK(!why[0], "seed %#llx, string %d: %s", (unsigned long long)seed, i - 1, why);
	CHECK(accepted > 1000, "only %d of 20000 random strings accepted: the soup tests too little",
	      accepted);
}

