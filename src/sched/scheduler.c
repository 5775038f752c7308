/* scheduler.c: the scheduler's thread pools (pinned serialized threads,
 * floating free-running ones) and futex baton; the strategy decides.
 * Entry points: sched_run, sched_step_end.  Knows nothing of pages.
 *
 * Shared scheduling state (alive set, counters) is touched only by the one
 * thread holding the baton (free-running: by every cpu, read-modify-write),
 * through relaxed atomics: plain accesses would be data races to TSan, and
 * acquire/release would hand TSan the happens-before edges this scheduler
 * must not add.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sched/scheduler.h"

#define RELAXED __ATOMIC_RELAXED
/* From <linux/futex.h>, which the shim's linux/ headers would shadow. */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define BATON_TURN 1
#define BATON_OVER 2

static struct pool {
	pthread_once_t once;
	int pinned_cpu;
	cpu_set_t given;      /* the CPUs the process was given: the free threads' */
	uint8_t started;      /* bit c: the serialized thread of cpu c exists (never cpu 0's) */
	uint8_t free_started; /* bit c: the free-running thread of cpu c exists */
	bool watching;        /* the watchdog's thread exists */
	/* Futex words: BATON_TURN, your turn; baton[0], the caller's, also
	 * BATON_OVER, the execution is over. */
	uint32_t baton[SCHED_MAX_CPUS];
	uint32_t go[SCHED_MAX_CPUS];    /* futex words of the free threads: 1 = run */
	uint32_t gen;                   /* execution number; release by the caller */
	uint32_t running;               /* an execution is on: gen, 0 none; for the watchdog */
	uint32_t published[SCHED_MAX_CPUS]; /* release by each cpu as it lets go */
	const struct sched_plan *plan;
	/* The execution's state, relaxed atomics. */
	int steps, preemptions, bounded, deadlock, current;
	uint32_t alive, ran;
} pool = { .once = PTHREAD_ONCE_INIT, .pinned_cpu = -1 };

static void futex_wait(uint32_t *word, uint32_t val)
{
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void baton_give(uint32_t *word, uint32_t what)
{
	__atomic_store_n(word, what, RELAXED);
	futex_wake(word);
}

static uint32_t baton_take(uint32_t *word)
{
	uint32_t what;

	while (!(what = __atomic_load_n(word, RELAXED)))
		futex_wait(word, 0);
	__atomic_store_n(word, 0, RELAXED);
	return what;
}

/* The execution this thread takes part in, and whether it already holds
 * the baton of a newer one (woken there while waiting in an older). */
static __thread uint32_t my_gen;
static __thread bool holding;
/* On the caller's thread, which is cpu 0's: the execution ended while
 * cpu 0 ran. */
static __thread bool over;

static void pin_self(void)
{
	cpu_set_t set;

	if (pool.pinned_cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(pool.pinned_cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* One CPU for all the threads of this process: a handoff between threads
 * on one CPU is a direct switch (about 0.8 us), between CPUs a wake-up
 * (12-20 us).  Parallel fuzzing jobs spread by pid; PAGERACE_CPU=N picks
 * CPU N, PAGERACE_CPU=none leaves the threads unpinned. */
static void choose_cpu(void)
{
	cpu_set_t set;
	const char *env = getenv("PAGERACE_CPU");
	int n, pick;

	if (sched_getaffinity(0, sizeof(set), &set) || !(n = CPU_COUNT(&set)))
		return;
	pool.given = set;
	if (env && !strcmp(env, "none"))
		return;
	pick = env ? atoi(env) : (int)(getpid() % n);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (env ? cpu == pick : pick-- == 0) {
			pool.pinned_cpu = cpu;
			break;
		}
	}
	pin_self();
}

int sched_pinned_cpu(void)
{
	pthread_once(&pool.once, choose_cpu);
	return pool.pinned_cpu;
}

/* The alive cpus that are not blocked. */
static uint32_t runnable_of(const struct sched_plan *plan, uint32_t alive)
{
	return plan->blocked ? alive & ~plan->blocked(plan->ctx) : alive;
}

/* The strategy's next cpu after cur; -1 when none is runnable. */
static int pick_next(const struct sched_plan *plan, uint32_t runnable, int cur, int steps)
{
	return runnable ? plan->strategy->next_cpu(plan->strategy, runnable, cur, steps) : -1;
}

/* The baton is ours: this execution's, or a newer one's. */
static bool still_ours(int k)
{
	if (__atomic_load_n(&pool.gen, __ATOMIC_ACQUIRE) != my_gen) {
		holding = true;
		return false;
	}
	__atomic_store_n(&pool.current, k, RELAXED);
	return true;
}

/* Free-running: the cpus count their steps at once; the strategy may only
 * hold cpu k back. */
static bool free_step_end(const struct sched_plan *plan, int k, enum sched_status st, bool took_step)
{
	int steps = __atomic_add_fetch(&pool.steps, took_step, RELAXED);
	uint32_t runnable = runnable_of(plan, __atomic_load_n(&pool.alive, RELAXED)) | 1u << k;

	if (!sched_has_more(st))
		return false;
	if (steps >= plan->max_steps) {
		__atomic_store_n(&pool.bounded, 1, RELAXED);
		return false;
	}
	if (pick_next(plan, runnable, k, steps) != k)
		sched_yield();
	return true;
}

bool sched_step_end(int k, enum sched_status st, bool took_step)
{
	const struct sched_plan *plan = pool.plan;
	int steps;
	uint32_t alive, runnable;
	bool more;
	int next;

	if (plan->strategy->free_running)
		return free_step_end(plan, k, st, took_step);
	more = sched_has_more(st);
	steps = __atomic_load_n(&pool.steps, RELAXED) + took_step;
	__atomic_store_n(&pool.steps, steps, RELAXED);
	if (!more)
		__atomic_fetch_and(&pool.alive, ~(1u << k), RELAXED);
	alive = __atomic_load_n(&pool.alive, RELAXED);
	runnable = st == SCHED_STOP ? 0 : runnable_of(plan, alive);
	if (st == SCHED_STOP) {
		next = -1;
	} else if (steps >= plan->max_steps && alive) {
		__atomic_store_n(&pool.bounded, 1, RELAXED);
		next = -1;
	} else {
		SCHED_SET(plan->strategy->spun, st == SCHED_SPIN);
		next = pick_next(plan, runnable, k, steps);
		if (next < 0 && alive)
			__atomic_store_n(&pool.deadlock, 1, RELAXED);
	}
	if (sched_preempts(k, next, runnable, st == SCHED_SPIN))
		__atomic_fetch_add(&pool.preemptions, 1, RELAXED);
	if (next == k)
		return true;
	if (k == 0) {
		/* On the caller's thread: an end needs no wake, and cpu 0,
		 * never left waiting past its execution, leaves at once. */
		if (next < 0) {
			over = true;
			return false;
		}
		baton_give(&pool.baton[next], BATON_TURN);
		if (!more)
			return false;
		if (baton_take(&pool.baton[0]) == BATON_OVER) {
			over = true;
			return false;
		}
		__atomic_store_n(&pool.current, 0, RELAXED);
		return true;
	}
	/* Past this store the caller may read what cpu k wrote; nothing of
	 * the execution is touched after it until the baton comes back. */
	__atomic_store_n(&pool.published[k], my_gen, __ATOMIC_RELEASE);
	baton_give(&pool.baton[next >= 0 ? next : 0], next >= 0 ? BATON_TURN : BATON_OVER);
	if (!more)
		return false;
	baton_take(&pool.baton[k]);
	return still_ours(k);
}

/* A fault in kernel code is reported from the faulting cpu's thread, so
 * each thread, serialized or free-running, has a stack of its own for the
 * signal handler. */
static void alt_stack(int k, bool free_running)
{
	static char stacks[2][SCHED_MAX_CPUS][64 * 1024];
	stack_t ss = { .ss_sp = stacks[free_running][k], .ss_size = sizeof(stacks[0][k]) };

	sigaltstack(&ss, NULL);
}

static void *worker(void *arg)
{
	int k = (int)(intptr_t)arg;
	const struct sched_plan *plan;

	pin_self();
	alt_stack(k, false);
	for (;;) {
		if (!holding)
			baton_take(&pool.baton[k]);
		holding = false;
		/* What the caller set up for this execution happens before. */
		my_gen = __atomic_load_n(&pool.gen, __ATOMIC_ACQUIRE);
		__atomic_store_n(&pool.current, k, RELAXED);
		__atomic_fetch_or(&pool.ran, 1u << k, RELAXED);
		plan = pool.plan;
		plan->run(plan->ctx, k);
	}
	return NULL;
}

/* A free-running cpu: runs its program when told, with the others at
 * once; the last to finish wakes the caller. */
static void *free_worker(void *arg)
{
	int k = (int)(intptr_t)arg;
	const struct sched_plan *plan;

	pthread_setaffinity_np(pthread_self(), sizeof(pool.given), &pool.given);
	alt_stack(k, true);
	for (;;) {
		baton_take(&pool.go[k]);
		my_gen = __atomic_load_n(&pool.gen, __ATOMIC_ACQUIRE);
		__atomic_fetch_or(&pool.ran, 1u << k, RELAXED);
		plan = pool.plan;
		plan->run(plan->ctx, k);
		__atomic_store_n(&pool.published[k], my_gen, __ATOMIC_RELEASE);
		if (!__atomic_and_fetch(&pool.alive, ~(1u << k), RELAXED))
			baton_give(&pool.baton[0], BATON_OVER);
	}
	return NULL;
}

static void *watchdog(void *arg);

/* Threads for the cpus of cpus but the serialized cpu 0 (the caller's
 * thread runs it), and the watchdog's. */
static void start_threads(uint8_t cpus, bool free_running)
{
	uint8_t *started = free_running ? &pool.free_started : &pool.started;

	pthread_once(&pool.once, choose_cpu);
	if (!free_running)
		cpus &= (uint8_t)~1u;
	for (int k = 0; k <= SCHED_MAX_CPUS; k++) {
		pthread_t tid;
		pthread_attr_t attr;
		bool watch = k == SCHED_MAX_CPUS;

		if (watch ? pool.watching : !(cpus >> k & 1) || *started >> k & 1)
			continue;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&attr, 1024 * 1024);
		if (pthread_create(&tid, &attr, watch ? watchdog : free_running ? free_worker : worker,
				   (void *)(intptr_t)k))
			abort();
		pthread_attr_destroy(&attr);
		if (watch)
			pool.watching = true;
		else
			*started |= (uint8_t)(1u << k);
	}
}

double sched_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A cpu that holds the baton a whole second without ending a step is
 * spinning outside any point.  Watched from a thread of its own, since
 * the caller's may be the one spinning (cpu 0's); it floats, and looks
 * four times a second.  The acquire of gen orders the plan before it,
 * an edge from the caller only, which hides no race between cpus. */
static void *watchdog(void *arg)
{
	uint32_t last_gen = 0;
	int last_steps = -1;
	double since = 0;

	pthread_setaffinity_np(pthread_self(), sizeof(pool.given), &pool.given);
	for (;;) {
		struct timespec quarter = { .tv_nsec = 250 * 1000 * 1000 };
		uint32_t gen = __atomic_load_n(&pool.running, RELAXED);
		int steps = __atomic_load_n(&pool.steps, RELAXED);
		const struct sched_plan *plan;

		nanosleep(&quarter, NULL);
		if (!gen || gen != last_gen || steps != last_steps) {
			last_gen = gen;
			last_steps = steps;
			since = sched_seconds();
			continue;
		}
		if (sched_seconds() - since < 1 ||
		    __atomic_load_n(&pool.gen, __ATOMIC_ACQUIRE) != gen ||
		    __atomic_load_n(&pool.running, RELAXED) != gen ||
		    __atomic_load_n(&pool.steps, RELAXED) != steps)
			continue;
		plan = __atomic_load_n(&pool.plan, RELAXED);
		if (plan->hang) {
			uint32_t alive = __atomic_load_n(&pool.alive, RELAXED);

			plan->hang(plan->ctx, plan->strategy->free_running && alive
						      ? __builtin_ctz(alive) : __atomic_load_n(&pool.current, RELAXED));
		}
	}
	return arg;
}

/* On the caller's thread: cpu 0's turn, whenever the strategy names it,
 * until the execution is over. */
static void caller_run(const struct sched_plan *plan, bool cpu0_first)
{
	over = false;
	if (!cpu0_first && baton_take(&pool.baton[0]) == BATON_OVER)
		return;
	do {
		__atomic_store_n(&pool.current, 0, RELAXED);
		__atomic_fetch_or(&pool.ran, 1u, RELAXED);
		plan->run(plan->ctx, 0);
	} while (!over && baton_take(&pool.baton[0]) != BATON_OVER);
}

/* The caller's thread takes cpu 0's faults on a stack of its own, as
 * each cpu's thread does, unless it has one. */
static void caller_alt_stack(void)
{
	static __thread bool ready;
	stack_t old;

	if (ready)
		return;
	ready = true;
	if (!sigaltstack(NULL, &old) && old.ss_flags & SS_DISABLE)
		alt_stack(0, false);
}

void sched_run(const struct sched_plan *plan, struct sched_result *result)
{
	int first;
	uint32_t gen, ran;

	bool free_running = plan->strategy->free_running;

	start_threads(plan->cpus, free_running);
	caller_alt_stack();
	__atomic_store_n(&pool.plan, plan, RELAXED);
	__atomic_store_n(&pool.steps, 0, RELAXED);
	__atomic_store_n(&pool.preemptions, 0, RELAXED);
	SCHED_SET(plan->strategy->spun, 0);
	__atomic_store_n(&pool.bounded, 0, RELAXED);
	__atomic_store_n(&pool.deadlock, 0, RELAXED);
	__atomic_store_n(&pool.alive, plan->cpus, RELAXED);
	__atomic_store_n(&pool.ran, 0, RELAXED);
	gen = __atomic_load_n(&pool.gen, RELAXED) + 1;
	if (!gen) /* 0 is the watchdog's "none" */
		gen = 1;
	__atomic_store_n(&pool.gen, gen, __ATOMIC_RELEASE);
	__atomic_store_n(&pool.running, gen, RELAXED);

	if (free_running && plan->cpus) {
		for (int k = 0; k < SCHED_MAX_CPUS; k++)
			if (plan->cpus >> k & 1)
				baton_give(&pool.go[k], BATON_TURN);
		baton_take(&pool.baton[0]);
	} else if ((first = pick_next(plan, runnable_of(plan, plan->cpus), -1, 0)) >= 0) {
		if (first)
			baton_give(&pool.baton[first], BATON_TURN);
		caller_run(plan, !first);
	}
	__atomic_store_n(&pool.running, 0, RELAXED);
	ran = __atomic_load_n(&pool.ran, RELAXED);
	/* cpu 0 ran on this thread, the free-running one apart. */
	for (int k = free_running ? 0 : 1; k < SCHED_MAX_CPUS; k++)
		while (ran >> k & 1 && __atomic_load_n(&pool.published[k], __ATOMIC_ACQUIRE) != gen)
			sched_yield();
	result->steps = __atomic_load_n(&pool.steps, RELAXED);
	result->preemptions = __atomic_load_n(&pool.preemptions, RELAXED);
	result->bounded = __atomic_load_n(&pool.bounded, RELAXED);
	result->deadlock = __atomic_load_n(&pool.deadlock, RELAXED);
}
