/* stress.h: the baseline that runs one program's cpus free-running, all
 * at once, round after round, with or without chaos.
 * Entry point: stress.
 */
#ifndef PAGERACE_STRESS_H
#define PAGERACE_STRESS_H

#include "exec/exec.h"

struct stress_options {
	const struct variant *variant;
	double seconds; /* give up after this long */
	uint64_t seed;  /* printed first: chaos's delays */
	bool chaos;     /* random yields and spins at the points */
};

struct stress_result {
	long rounds;    /* executions run */
	double seconds; /* until the violation or the end */
	bool found;     /* x holds the violating round */
};

/* Run prog's cpus free-running, round after round, each checked at its
 * end.  On a violation x holds the round: its verdict, and its trace in
 * the order the steps took their trace slots (not a replayable schedule). */
void stress(struct exec *x, const struct program *prog, const struct stress_options *o,
	    struct stress_result *r);

#endif
