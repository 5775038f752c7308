/* hunt.h: searching the schedules of one program by a random strategy,
 * a uniform random walk or PCT, until a violation; and the few walks
 * each fuzz input stands for.
 * Entry points: hunt, hunt_input.
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

/* What a fuzz input stands for (fuzz/target.c; replay and minimize of a
 * binary file, so that a crash file replays as it crashed): its decoded
 * program under its own schedule, then, while none violates, under walks
 * random walks seeded by seed (hunt_input_seed of its bytes).  A libFuzzer
 * mutation that finds a program finds its schedules with it: the walk
 * finds the stories' bugs in tens of schedules where mutating schedule
 * bytes took tens of thousands (bench/bench.sh measures both).  after_each,
 * if not NULL, is told of every execution (the target's feedback).
 * Returns the schedule that violated, 0 the input's own and 1..walks a
 * walk, with x holding its run and prog's schedule the one it took; -1
 * when none did. */
int hunt_input(struct exec *x, struct program *prog, const struct variant *v, uint64_t seed,
	       int walks, void (*after_each)(const struct exec *x));

/* The walks' seed of an input's bytes: FNV-1a, so a mutation anywhere,
 * in the ops or the schedule, draws other walks. */
uint64_t hunt_input_seed(const uint8_t *data, size_t len);

/* The walks each input stands for: PAGERACE_WALKS (0 to HUNT_MAX_WALKS;
 * 0 is the design before them, the input's own schedule alone), else
 * HUNT_WALKS.  False on a bad value, with the message in err. */
/* 2: the bench's best of 0, 2, 4 and 8 (v5.9 from an empty corpus,
 * median 0.36 s at 2, 0.74 s at 4; more walks spend the inputs' time on
 * programs that cannot show the bug). */
#define HUNT_WALKS 2
#define HUNT_MAX_WALKS 256
bool hunt_input_walks(int *walks, char *err, size_t errlen);

#endif
