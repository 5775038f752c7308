/* minimize.h: shrinking a violating program while its verdict holds, and
 * keeping the result as a regression story.
 * Entry points: minimize, regression_write.
 */
#ifndef PAGERACE_MINIMIZE_H
#define PAGERACE_MINIMIZE_H

#include "exec/exec.h"

struct minimize_stats {
	int runs;                          /* executions tried */
	int ops_before, ops_after;         /* ops over all cpus */
	int preempt_before, preempt_after; /* of the schedule as taken */
	double ms;                         /* wall time */
};

/* Shrink prog in place, keeping the kind of verdict it has under variant
 * (and the API contract, when it kept it): ordered passes that drop cpus,
 * drop handles with their ops, drop ops, drop schedule switches one at a
 * time and cut the schedule to its shortest prefix, then shrink the pages
 * and slots, repeated until none helps; last, explore finds the fewest
 * preemptions that still show the violation.  False when prog has
 * no violation to keep.  x is left holding the run of the result. */
bool minimize(struct exec *x, struct program *prog, const struct variant *variant,
	      struct minimize_stats *stats);

/* Write prog (its violation run in x) as DIR/<variant>-<verdict>-<hash>.prog,
 * opening with origin, the trace as comments and an expect line for every
 * variant.  Returns the path (static) or NULL with errno. */
const char *regression_write(const char *dir, struct exec *x, const struct program *prog,
			     const char *origin);

/* A crash's identity for triage: its verdict and the shape of its
 * minimized trace (which cpu took which kind of step, in order), not its
 * bytes: "double-free-1a2b3c4d". */
const char *regression_signature(const struct exec *x);

#endif
