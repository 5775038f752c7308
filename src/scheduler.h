/* scheduler.h: the deterministic scheduler: every cpu of an execution on its own
 * real pthread, exactly one stepping at a time, in the order a schedule says.
 * Entry point: sched_run.  Knows nothing of pages: it steps opaque cpus.
 *
 * Lifecycle of an execution: the caller publishes the plan; the first cpu
 * the schedule names takes the baton; each cpu takes steps while the
 * schedule names it, then hands the baton straight to the next cpu (one
 * futex handoff, no round trip through the caller); the cpu that ends the
 * execution wakes the caller.  A schedule entry naming a finished cpu is
 * skipped; when the schedule runs out the remaining cpus run in ascending
 * order, each to completion.  A preemption is a switch away from a cpu that
 * still has steps.
 *
 * Threads are made on first use, pinned together to one CPU (chosen by pid,
 * or PAGERACE_CPU=N; =none to float), and reused by every later execution
 * of the process; one execution runs at a time.  The baton is relaxed
 * atomics and a raw futex, so it adds no happens-before edge between cpus
 * that ThreadSanitizer could see: the only edges are the caller's, to each cpu at the start and from
 * each cpu at the end.
 */
#ifndef PAGERACE_SCHED_H
#define PAGERACE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define SCHED_MAX_CPUS 8

enum sched_status {
	SCHED_MORE, /* the cpu has more steps */
	SCHED_DONE, /* that was the cpu's last step */
	SCHED_STOP, /* end the execution now (a violation was found) */
};

struct sched_plan {
	uint8_t cpus;            /* bit c: cpu c has steps at the start */
	const uint8_t *schedule; /* which cpu takes each next step */
	int nschedule;
	int max_steps; /* more steps than this: stopped, result.bounded */
	enum sched_status (*step)(void *ctx, int cpu); /* take one step */
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

/* The CPU the threads are pinned to, or -1 when pinning failed. */
int sched_pinned_cpu(void);

#endif
