/* target.c: the fuzz target of one kernel variant, named at build time by
 * PAGERACE_VARIANT (a built-in one's name, variants/NAME.c), or a
 * variant file's (PAGERACE_VARIANT_FILE).
 * Any input decodes to a program (src/lang/decode.c) that runs on the real
 * scheduler under its own schedule, then under the few random walks the
 * input's bytes draw (hunt_input, engines/hunt.h); a violation prints the
 * program with the schedule that showed it, its trace and verdict, then
 * abort()s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engines/hunt.h"
#include "exec/exec.h"
#include "feedback.h"
#include "report/report.h"

/* The variant: a built-in one by name, or the one a user's variant file
 * compiled in with the target defines (make fuzz VARIANT_FILE=...). */
#if defined(PAGERACE_VARIANT_FILE)
extern const struct variant pr_file_variant;
#define FIND_VARIANT() (&pr_file_variant)
#elif defined(PAGERACE_VARIANT)
#define FIND_VARIANT() variant_by_name(PAGERACE_VARIANT, (int)strlen(PAGERACE_VARIANT))
#else
#error "build with -DPAGERACE_VARIANT='\"NAME\"' (a built-in variant, variants/NAME.c) or -DPAGERACE_VARIANT_FILE"
#endif

/* PAGERACE_REFS=1 (make fuzz REFS=1): the refcount sanitizer, whose
 * unreferenced-access is a crash like any verdict; unset or 0: off.  Read
 * before the first input, where a bad value can exit with status 2 (an
 * exit during an input is the engine's error, status 77). */
static bool refs;
static const struct variant *variant;
/* PAGERACE_WALKS: the walks each input stands for (hunt_input_walks). */
static int walks;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *v = getenv("PAGERACE_REFS");
	struct parse_error err;
	char msg[128];

	if (v && strcmp(v, "0") && strcmp(v, "1")) {
		fprintf(stderr, "pagerace: PAGERACE_REFS must be 0 or 1, not '%s'\n", v);
		exit(2);
	}
	refs = v && !strcmp(v, "1");
	if (!hunt_input_walks(&walks, msg, sizeof(msg))) {
		fprintf(stderr, "pagerace: %s\n", msg);
		exit(2);
	}
	variant = FIND_VARIANT();
	if (!variant)
		abort();
	/* The ops a variant file adds: its programs' language. */
	if (!program_add_ops(variant, &err)) {
		fprintf(stderr, "%s:%d: %s\n", variant->path, err.line, err.msg);
		exit(2);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Made on the first input, reused by all: nothing is allocated per
	 * input, and the scheduler's threads start here, after AFL++'s fork
	 * server has forked (threads do not survive a fork). */
	static struct exec *x;
	static struct program prog;

	if (!x) {
		x = exec_new();
		x->refs = refs;
	}

	/* Decode and run: every execution's interleaving is feedback. */
	program_decode(&prog, data, size);

	/* A violation: the story for the user, then a crash for the engine. */
	if (hunt_input(x, &prog, variant, hunt_input_seed(data, size), walks, feedback_record) >= 0) {
		program_print(stderr, &prog);
		report_print(stderr, x);
		if (variant_index(variant) < 0)
			fprintf(stderr, "replay: build/pagerace replay --variant-file %s CRASH-FILE\n", variant->path);
		else
			fprintf(stderr, "replay: build/pagerace replay --variant %s CRASH-FILE\n", variant->name);
		abort();
	}
	return 0;
}
