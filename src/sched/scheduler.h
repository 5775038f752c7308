/* scheduler.h: the scheduler: every cpu of an execution runs its program
 * on its own real pthread, and a strategy says which cpu steps next.
 * Entry points: sched_run (the caller), sched_step_end (a cpu, at the end
 * of each of its steps).  Knows nothing of pages; includes no other room.
 *
 * The strategy (struct sched_strategy) is one callback, next_cpu, as
 * Shuttle's Scheduler::next_task: asked once at the start, on the caller's
 * thread (cur -1, step 0), then at the end of every step on the thread of
 * the cpu that took it, with the cpus that still have steps (never none),
 * the cpu that stepped and the steps taken; it names one of the runnable
 * cpus.  The strategies are peers in strategies.h, one file each: replay
 * (prog->schedule, then the tail rule), random (a uniform walk), pct
 * (priorities with change points, picked online), dfs (explore's prefix,
 * then the current cpu goes on) and chaos (free-running stress).
 *
 * Serialized (the default): exactly one cpu runs at a time.  The caller
 * publishes the plan and hands the baton to the first cpu the strategy
 * names.  cpu 0's thread is the caller's own: an execution that starts
 * on cpu 0 needs no handoff to start, one that ends on it none to end,
 * and the caller waits for cpu 0's turns and for the end on one futex
 * word.  A cpu's thread runs its program until its next scheduling
 * point, where the step ends (sched_step_end): while the strategy keeps
 * naming it the cpu goes on; else it hands the baton straight to the next
 * cpu (one futex handoff, no round trip through the caller) and waits
 * there, on its own stack, for its turn.  The cpu that ends the execution
 * wakes the caller.  A cpu may be blocked at its point (the plan's blocked
 * callback: it waits for something another cpu holds, a lock): it is not
 * runnable, the strategy is asked with alive & ~blocked only.  A
 * preemption is a switch away from a runnable cpu: a switch away from a
 * blocked one is forced.  No runnable cpu while some are alive ends the
 * execution: result.deadlock.  An execution that ends early (a violation, the step bound)
 * leaves cpus waiting in the middle of their programs: they learn it when
 * next woken, by a newer execution, and leave (sched_step_end false);
 * but cpu 0, on the caller's thread, is told at the end and leaves then.
 * A watchdog thread of its own reports a cpu that holds the baton a
 * second without ending a step (plan->hang), whichever thread it is on.
 *
 * Free-running (strategy->free_running, stress): every cpu runs at once
 * and the operating system interleaves them; there is no baton to hand.
 * The strategy is still asked at every step's end, on that cpu's thread
 * (several at once: it must keep per-cpu state), and can only hold the
 * cpu back: by the time it spends before answering (a delay), or by
 * naming another cpu, to which cur gives way (it yields its processor).
 * So stress takes the same entry, the same step bound, the same hang
 * watchdog and the same start and end edges as every other run, and the
 * chaos of rr's chaos mode is a strategy like the others, not a flag of
 * the executor.  Its threads are not the pinned ones: they float over the
 * CPUs the process was given, or the baseline would measure one core.
 *
 * Threads are made on first use, the serialized ones pinned together to
 * one CPU with the caller's (chosen by pid, or PAGERACE_CPU=N; =none to float), and reused
 * by every later execution of the process; one execution runs at a time.
 * The baton is relaxed atomics and a raw futex, so it adds no
 * happens-before edge between cpus that ThreadSanitizer could see: the
 * only edges are the caller's, to each cpu at the start and from each cpu
 * at the end.  For the same reason a strategy keeps what it changes during
 * an execution in relaxed atomics (SCHED_GET, SCHED_SET).
 */
#ifndef PAGERACE_SCHED_H
#define PAGERACE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define SCHED_MAX_CPUS 8

/* A strategy's state, changed by whichever cpu holds the baton: relaxed
 * atomics, so that TSan sees neither a race nor an edge. */
#define SCHED_GET(v) __atomic_load_n(&(v), __ATOMIC_RELAXED)
#define SCHED_SET(v, val) __atomic_store_n(&(v), (val), __ATOMIC_RELAXED)

enum sched_status {
	SCHED_MORE, /* the cpu is at a point: it has another step */
	/* As SCHED_MORE, but its step spun: it cannot get on until another
	 * cpu steps (its get failed on a frozen count, and it retries).  A
	 * switch away is free; going on with it is the preemption, while
	 * another cpu is runnable, as CHESS counts a yield.  So a bound on
	 * preemptions bounds the spinning too. */
	SCHED_SPIN,
	SCHED_DONE, /* that was the cpu's last step */
	SCHED_STOP, /* end the execution now (a violation was found) */
};

struct sched_strategy {
	/* Which cpu takes step number step: one of runnable (bit c: cpu c
	 * has steps).  cur: the cpu that took the step before, -1 at the
	 * start; it may have finished. */
	int (*next_cpu)(struct sched_strategy *s, uint32_t runnable, int cur, int step);
	/* cur's step spun (SCHED_SPIN): set by the scheduler before it asks,
	 * SCHED_GET/SET.  A strategy's own default then moves on from cur. */
	int spun;
	bool free_running; /* every cpu at once; see above */
};

/* Is cpu next taking the step after cur's a preemption, runnable the cpus
 * that could take it and spun whether cur's step spun?  A switch away
 * from a cpu that could not go on (done, blocked) is forced; away from a
 * spinning one it is free, and going on with it is the preemption while
 * another cpu is runnable (SCHED_SPIN).  The scheduler's count and
 * explore's bound, one rule. */
static inline bool sched_preempts(int cur, int next, uint32_t runnable, bool spun)
{
	if (cur < 0 || next < 0)
		return false;
	if (spun)
		return next == cur && runnable & ~(1u << cur);
	return next != cur && runnable >> cur & 1;
}

/* Does a cpu that ended its step with st have another? */
static inline bool sched_has_more(enum sched_status st)
{
	return st == SCHED_MORE || st == SCHED_SPIN;
}

struct sched_plan {
	uint8_t cpus; /* bit c: cpu c has steps at the start */
	struct sched_strategy *strategy;
	int max_steps; /* more steps than this: stopped, result.bounded */
	void (*run)(void *ctx, int cpu); /* the cpu's program, on its thread */
	/* The cpus (bit c) blocked at their points, asked at every step's
	 * end on the stepping cpu's thread; NULL: none ever is. */
	uint32_t (*blocked)(void *ctx);
	/* The cpu ran a second without reaching a point; must not return. */
	void (*hang)(void *ctx, int cpu);
	void *ctx;
};

struct sched_result {
	int steps;
	int preemptions; /* serialized runs only */
	bool bounded;    /* cpus still had steps when max_steps ran out */
	bool deadlock;   /* cpus still had steps, every one of them blocked */
};

void sched_run(const struct sched_plan *plan, struct sched_result *result);

/* On cpu's thread, at the end of a step (took_step false: the cpu ends
 * without having reached any point).  With SCHED_MORE, true when the cpu
 * is to take its next step now; false when the execution ended without
 * it, and the cpu must leave its program at once. */
bool sched_step_end(int cpu, enum sched_status st, bool took_step);

/* The CPU the serialized threads are pinned to, or -1 when not pinned. */
int sched_pinned_cpu(void);

/* Seconds on the monotonic clock: the watchdog's, and the engines'
 * budgets. */
double sched_seconds(void);

#endif
