/* hunt.h: searching the schedules of one program, and the stress baseline
 * that runs it without a scheduler.
 * Entry points: hunt, stress.
 */
#ifndef PAGERACE_HUNT_H
#define PAGERACE_HUNT_H

#include "exec/exec.h"

struct hunt_options {
	const struct variant *variant;
	double seconds;    /* give up after this long */
	bool pct;          /* PCT priorities, else a uniform random walk */
	uint64_t seed;     /* printed first; the same seed, the same search */
	bool chaos;        /* stress: random delays and yields at step points */
};

struct hunt_result {
	long tries;      /* schedules run (stress: rounds) */
	double seconds;  /* until the violation or the end */
	bool found;      /* x holds the violating run, prog its schedule */
};

/* Run prog under schedules drawn by the strategy until a violation or the
 * time is up.  prog's own schedule is replaced by the violating one. */
void hunt(struct exec *x, struct program *prog, const struct hunt_options *o,
	  struct hunt_result *r);

/* Run prog's cpus on free-running threads, round after round, checked
 * after each.  On a violation x holds the round: its verdict, and its trace
 * in the order the steps took their trace slots. */
void stress(struct exec *x, const struct program *prog, const struct hunt_options *o,
	    struct hunt_result *r);

#endif
