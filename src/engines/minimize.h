/* minimize.h: shrinking a violating program while its verdict holds.
 * Entry point: minimize.  Keeping the result is report/story.h's job.
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

#endif
