/* story.h: a violation kept as a regression story: the program with its
 * origin, its trace as comments and its expect lines, whose one reader is here.
 * Entry points: regression_write, story_expect_parse.  Never minimizes.
 */
#ifndef PAGERACE_STORY_H
#define PAGERACE_STORY_H

#include "exec/exec.h"

/* A story's expect line: the verdict replay gives the story on a variant,
 * without the sanitizer or with it:
 *	# expect: VARIANT VERDICT
 *	# expect --refs: VARIANT VERDICT
 * VARIANT is a built-in variant's name, or a variant file's path from the
 * project's root (a word ending in ".c": replay --variant-file).  A story
 * has a plain line for every built-in variant; one kept from a --refs run
 * also has a --refs line for every variant.  A story whose program names
 * an op a variant file adds (lang/program.h) runs only where that op is:
 * its lines name variant files, and only them. */
struct story_expect {
	bool refs;                     /* "# expect --refs:": replay --refs */
	const struct variant *variant; /* a built-in one; NULL for a file */
	char file[256];                /* a variant file's path, else empty */
	char verdict[64];              /* as report_verdict_words writes it */
};

/* Write prog (its violation run in x) as DIR/<variant>-<verdict>-<hash>.prog,
 * opening with origin, the trace as comments and the expect lines (--refs
 * ones too when x->refs): every built-in variant's, or, when prog names
 * an added op, its variant file's.  Returns the path (static) or NULL with errno.
 * x is left as it came: prog's run under its variant. */
const char *regression_write(const char *dir, struct exec *x, const struct program *prog,
			     const char *origin);

/* line (its newline optional) as an expect line: 1 with *e filled; 0 when
 * it is not one (it does not open with "# expect:" or "# expect "); -1
 * when it opens as one but is not of the form above (another mode, an
 * unknown variant, no verdict), so that a misspelt line is not skipped. */
int story_expect_parse(const char *line, struct story_expect *e);

#endif
