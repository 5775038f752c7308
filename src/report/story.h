/* story.h: a violation kept as a regression story: the program with its
 * origin, its trace as comments and an expect line for every variant.
 * Entry point: regression_write.  Never minimizes: it keeps what it is given.
 */
#ifndef PAGERACE_STORY_H
#define PAGERACE_STORY_H

#include "exec/exec.h"

/* Write prog (its violation run in x) as DIR/<variant>-<verdict>-<hash>.prog,
 * opening with origin, the trace as comments and an expect line for every
 * variant.  Returns the path (static) or NULL with errno.  x is left as it
 * came: prog's run under its variant. */
const char *regression_write(const char *dir, struct exec *x, const struct program *prog,
			     const char *origin);

#endif
