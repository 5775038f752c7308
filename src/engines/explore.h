/* explore.h: bounded exhaustive exploration: every schedule of a program
 * with at most K preemptions, and every small program of the API.
 * Entry points: explore, explore_programs.
 */
#ifndef PAGERACE_EXPLORE_H
#define PAGERACE_EXPLORE_H

#include "exec/exec.h"

struct explore_options {
	const struct variant *variant;
	int max_preemptions; /* K */
	long max_schedules;  /* cut the search after this many runs; 0: no cut */
	bool reduction;      /* skip prefixes that end in a state already explored */
	bool progress;       /* a line on stderr every second */
};

struct explore_result {
	long schedules;  /* executions run */
	long violations; /* of them, violating */
	long pruned;     /* branch points skipped by the reduction */
	bool cut;        /* max_schedules ended the search */
	/* The violating schedule with the fewest preemptions, if any. */
	int best_kind, best_preemptions;
	struct program best;
};

/* Every schedule of prog (its own schedule ignored) with at most K
 * preemptions, on the scheduler and checker of replay. */
void explore(struct exec *x, const struct program *prog, const struct explore_options *o,
	     struct explore_result *r);

/* Every program keeping the API contract of up to cpus cpus and ops ops
 * each (then the releases it owes), over one cached slot of a 4-page arena
 * and orders 0..2, each explored as above.  Counts add up in r; r->best is
 * the first violating program found, with its schedule; *programs the
 * number of programs. */
void explore_programs(struct exec *x, int cpus, int ops, const struct explore_options *o,
		      struct explore_result *r, long *programs);

#endif
