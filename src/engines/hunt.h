/* hunt.h: searching the schedules of one program by a random strategy,
 * a uniform random walk or PCT, until a violation.
 * Entry point: hunt.
 */
#ifndef PAGERACE_HUNT_H
#define PAGERACE_HUNT_H

#include "exec/exec.h"

struct hunt_options {
	const struct variant *variant;
	double seconds; /* give up after this long */
	bool pct;       /* PCT priorities, else a uniform random walk */
	uint64_t seed;  /* printed first; the same seed, the same search */
};

struct hunt_result {
	long tries;     /* schedules run */
	double seconds; /* until the violation or the end */
	bool found;     /* x holds the violating run, prog its schedule */
};

/* Run prog under schedules chosen by the strategy until a violation or
 * the time is up.  On a violation prog's schedule is the one taken, which
 * replays to it. */
void hunt(struct exec *x, struct program *prog, const struct hunt_options *o,
	  struct hunt_result *r);

#endif
