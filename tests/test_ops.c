/* test_ops.c: ops a variant file adds (shim/pagerace/op.h) are ops like
 * the built-in ones on every surface: the text form reads and writes them
 * and names the line of a bad one, the validator holds them to its rules,
 * the decoder makes them from bytes, explore's programs include them, the
 * minimizer keeps the one the bug needs and drops the rest, and replay's
 * trace names the file's own lines.  The file is tests/variants/added-ops.c
 * (peek S, unpin h, test h O), built into this binary as a variant.
 */
#include <stdlib.h>
#include <string.h>

#include "engines/explore.h"
#include "engines/minimize.h"
#include "report/report.h"
#include "test.h"

extern const struct variant pr_test_ops_variant;

/* The language with the file's ops, for one test; back to the built-in
 * ops after it, as every other test expects. */
static void with_ops(bool on)
{
	struct parse_error err;

	CHECK(program_add_ops(on ? &pr_test_ops_variant : &pr_v6_2_variant, &err), "%d: %s", err.line, err.msg);
}

static bool parse(struct program *prog, const char *text, struct parse_error *err)
{
	return program_parse(prog, text, strlen(text), err);
}

TEST(added_ops_read_and_print_as_written)
{
	static const char text[] = "pages 16\nslots 4\ncache 0\n"
				   "cpu 0: alloc 1 a; test a 1; peek 3; unpin a; free a\n"
				   "cpu 1: get 0 b; test b 0; put b\n";
	struct program prog;
	struct parse_error err;
	char *out;

	with_ops(true);
	CHECK(parse(&prog, text, &err), "%d: %s", err.line, err.msg);
	CHECK_EQ(prog.ops[0][1].kind, NR_OPS + 2);
	CHECK_EQ(prog.ops[0][1].order, 1);
	CHECK_EQ(prog.ops[0][2].kind, NR_OPS);
	CHECK_EQ(prog.ops[0][2].slot, 3);
	CHECK_EQ(prog.ops[1][1].handle, 1);
	out = program_text(&prog);
	CHECK_STREQ(out, text);
	free(out);
	with_ops(false);
}

TEST(added_ops_bad_uses_name_their_line)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "cache 0\ncpu 0: peek\n", "expected a slot" },
		{ "cache 0\ncpu 0: peek 9\n", "peek slot 9 out of range" },
		{ "cache 0\ncpu 0: unpin a\n", "handle 'a' is never set" },
		{ "cache 0\ncpu 0: alloc 0 a; test a\n", "expected an order" },
		{ "cache 0\ncpu 0: alloc 0 a; test a 9; free a\n", "test order 9 out of range 0..4" },
		{ "cache 0\ncpu 0: peek 0 0\n", "unexpected '0' after peek" },
	};
	struct program prog;
	struct parse_error err;

	with_ops(true);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		CHECK(!parse(&prog, bad[i].text, &err), "parsed: %s", bad[i].text);
		CHECK_EQ(err.line, 2);
		CHECK(strstr(err.msg, bad[i].msg), "'%s': '%s', not '%s'", bad[i].text, err.msg, bad[i].msg);
	}
	with_ops(false);
	CHECK(!parse(&prog, "cache 0\n\ncpu 0: peek 0\n", &err), "peek parsed without the file");
	CHECK_EQ(err.line, 3);
	CHECK(strstr(err.msg, "unknown op 'peek'") && strstr(err.msg, "--variant-file"), "%s", err.msg);
}

/* A built-in op's name, or one argument kind twice, is the file's error
 * at its declaration's line. */
TEST(added_ops_keep_the_language_rules)
{
	static const struct pr_op clash[] = { { .name = "lookup", .args = { PR_OP_SLOT }, .line = 7 } };
	static const struct pr_op twice[] = { { .name = "peek", .args = { PR_OP_SLOT }, .line = 3 },
					      { .name = "two", .args = { PR_OP_SLOT, PR_OP_SLOT }, .line = 9 } };
	struct variant v = pr_v6_2_variant;
	struct parse_error err;

	v.ops = clash, v.ops_end = clash + 1;
	CHECK(!program_add_ops(&v, &err), "a built-in name was taken");
	CHECK_EQ(err.line, 7);
	CHECK(strstr(err.msg, "built-in"), "%s", err.msg);
	v.ops = twice, v.ops_end = twice + 2;
	CHECK(!program_add_ops(&v, &err), "two slots were taken");
	CHECK_EQ(err.line, 9);
	CHECK_EQ(op_kinds(), NR_OPS); /* a rejected file adds nothing */
}

/* Bit 6 of an op's first byte picks an added op (intent % 3: peek,
 * unpin, test), with its arguments from the second; with no file ops the
 * bit means nothing. */
TEST(added_ops_decode_from_bytes)
{
	/* config 0: 2 cpus, 1 slot; ops: cpu 0 alloc order 1 (intent 4, b 1);
	 * cpu 0 added op 2 (intent 2) on the live handle with order 1 (b 0x10);
	 * cpu 1 added op 0 (intent 0), slot 0; then no schedule. */
	static const uint8_t bytes[] = { 0x00, 0x20, 0x01, 0x50, 0x10, 0x41, 0x00, 0x00 };
	struct program with, without, plain;
	uint8_t cleared[sizeof(bytes)];
	char *a, *b;

	with_ops(true);
	program_decode(&with, bytes, sizeof(bytes));
	a = program_text(&with);
	CHECK_STREQ(a, "pages 16\nslots 1\ncache 0\ncpu 0: alloc 1 a; test a 1; free a\ncpu 1: peek 0\n");
	free(a);
	with_ops(false);
	program_decode(&without, bytes, sizeof(bytes));
	memcpy(cleared, bytes, sizeof(bytes));
	cleared[3] &= ~0x40;
	cleared[5] &= ~0x40;
	program_decode(&plain, cleared, sizeof(cleared));
	a = program_text(&without);
	b = program_text(&plain);
	CHECK_STREQ(a, b);
	free(a);
	free(b);
}

/* One cpu of one op: the 9 built-in programs of explore's generator, and
 * peek 0 (unpin and test need a handle, which one op cannot set). */
TEST(added_ops_are_explored)
{
	struct exec *x = exec_new();
	struct explore_options o = { .variant = &pr_test_ops_variant, .max_preemptions = 1, .reduction = true };
	struct explore_result r;
	long programs, plain;

	explore_programs(x, 1, 1, &o, &r, &plain);
	with_ops(true);
	explore_programs(x, 1, 1, &o, &r, &programs);
	CHECK_EQ(plain, 9);
	CHECK_EQ(programs, 10);
	/* Two ops: unpin on an alloc's handle underflows at its free. */
	explore_programs(x, 1, 2, &o, &r, &programs);
	CHECK(r.violations > 0, "no violation among %ld programs of 2 ops", programs);
	CHECK_EQ(r.best_kind, VERDICT_REFCOUNT_UNDERFLOW);
	with_ops(false);
	exec_free(x);
}

TEST(added_ops_minimize_to_the_op_the_bug_needs)
{
	static const char text[] = "pages 16\nslots 2\ncache 0 1\n"
				   "cpu 0: peek 1; alloc 0 a; peek 0; get 1 b; unpin a; test b 0; put b; free a\n"
				   "cpu 1: peek 0; lookup 1\n";
	struct exec *x = exec_new();
	struct minimize_stats st;
	struct program prog;
	struct parse_error err;
	char *out;

	with_ops(true);
	CHECK(parse(&prog, text, &err), "%d: %s", err.line, err.msg);
	CHECK(minimize(x, &prog, &pr_test_ops_variant, &st), "no violation to minimize");
	out = program_text(&prog);
	/* The end gives back what a still owes, the free, as the kernel's
	 * owner would: the count unpin took is missed there. */
	CHECK_STREQ(out, "pages 4\nslots 1\ncpu 0: alloc 0 a; unpin a\n");
	free(out);
	with_ops(false);
	exec_free(x);
}

/* The trace names the file's own lines: peek's load at line 22 and its
 * count read at line 24 of added-ops.c. */
TEST(added_ops_steps_show_the_files_lines)
{
	struct exec *x = exec_new();
	struct program prog;
	struct parse_error err;
	char *trace = NULL;
	size_t len;
	FILE *f;

	with_ops(true);
	CHECK(parse(&prog, "cache 0\ncpu 0: peek 0\n", &err), "%d: %s", err.line, err.msg);
	exec_run(x, &prog, &pr_test_ops_variant);
	CHECK_EQ(x->nsteps, 2);
	CHECK_EQ(x->verdict.kind, VERDICT_OK);
	f = open_memstream(&trace, &len);
	report_print(f, x);
	fclose(f);
	CHECK(strstr(trace, "added-ops.c:22"), "no added-ops.c:22 in\n%s", trace);
	CHECK(strstr(trace, "added-ops.c:24"), "no added-ops.c:24 in\n%s", trace);
	free(trace);
	with_ops(false);
	exec_free(x);
}
