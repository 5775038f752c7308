/* scheduler.h: the deterministic scheduler: every cpu of an execution runs
 * its program on its own real pthread, exactly one at a time, switching at
 * the scheduling points in the order a schedule says.
 * Entry points: sched_run (the caller), sched_step_end (a cpu, at the end
 * of each of its steps).  Knows nothing of pages.
 *
 * Lifecycle of an execution: the caller publishes the plan and hands the
 * baton to the first cpu the schedule names; that cpu's thread runs its
 * program until its next scheduling point, where the step ends
 * (sched_step_end): while the schedule keeps naming it the cpu goes on;
 * else it hands the baton straight to the next cpu (one futex handoff, no
 * round trip through the caller) and waits there, on its own stack, for
 * its turn.  The cpu that ends the execution wakes the caller.  A schedule
 * entry naming a finished cpu is skipped; when the schedule runs out the
 * remaining cpus run in ascending order, each to completion.  A preemption
 * is a switch away from a cpu that still has steps.  An execution that
 * ends early (a violation, the step bound) leaves cpus waiting in the
 * middle of their programs: they learn it when next woken, by a newer
 * execution, and leave (sched_step_end returns false).
 *
 * Threads are made on first use, pinned together to one CPU (chosen by pid,
 * or PAGERACE_CPU=N; =none to float), and reused by every later execution
 * of the process; one execution runs at a time.  The baton is relaxed
 * atomics and a raw futex, so it adds no happens-before edge between cpus
 * that ThreadSanitizer could see: the only edges are the caller's, to each
 * cpu at the start and from each cpu at the end.
 */
#ifndef PAGERACE_SCHED_H
#define PAGERACE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define SCHED_MAX_CPUS 8

enum sched_status {
	SCHED_MORE, /* the cpu is at a point: it has another step */
	SCHED_DONE, /* that was the cpu's last step */
	SCHED_STOP, /* end the execution now (a violation was found) */
};

struct sched_plan {
	uint8_t cpus;            /* bit c: cpu c has steps at the start */
	const uint8_t *schedule; /* which cpu takes each next step */
	int nschedule;
	int max_steps; /* more steps than this: stopped, result.bounded */
	void (*run)(void *ctx, int cpu); /* the cpu's program, on its thread */
	/* The cpu ran a second without reaching a point; must not return. */
	void (*hang)(void *ctx, int cpu);
	void *ctx;
	/* Past the schedule, keep the current cpu running while it has steps
	 * (no preemption), instead of the lowest cpu first: how explore
	 * extends a prefix without spending its preemption budget. */
	bool tail_continues;
	uint8_t *alive_log; /* if set: the cpus with steps before each step */
};

struct sched_result {
	int steps;
	int preemptions;
	bool bounded; /* cpus still had steps when max_steps ran out */
};

void sched_run(const struct sched_plan *plan, struct sched_result *result);

/* On cpu's thread, at the end of a step (took_step false: the cpu ends
 * without having reached any point).  With SCHED_MORE, true when the cpu
 * is to take its next step now; false when the execution ended without
 * it, and the cpu must leave its program at once. */
bool sched_step_end(int cpu, enum sched_status st, bool took_step);

/* The CPU the threads are pinned to, or -1 when pinning failed. */
int sched_pinned_cpu(void);

#endif
