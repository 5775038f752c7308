/* hunt.c: the schedule search of `pagerace hunt` (random walk or PCT) and
 * the free-running baseline of `pagerace stress`.
 * Entry points: hunt, stress.
 *
 * PCT is Burckhardt, Kothari, Musuvathi and Nagarakatte, "A Randomized
 * Scheduler with Probabilistic Guarantees of Finding Bugs" (ASPLOS 2010):
 * random distinct priorities, the highest-priority cpu runs, and at d-1
 * random steps the running cpu drops below all others.  Deviation: the
 * schedule is drawn before the run, from each cpu's step count in a plain
 * run, so that it is an ordinary schedule the scheduler replays; when a run
 * takes more steps (a lookup retrying), the rest runs in ascending order.
 * The depth d cycles over 1..5, so every depth gets its share.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "engines/hunt.h"

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Steps each cpu takes when run alone, in a plain ascending run. */
static int count_steps(struct exec *x, const struct program *prog, const struct variant *v,
		       int steps[PR_MAX_CPUS])
{
	struct program plain = *prog;
	int total = 0;

	plain.nschedule = 0;
	exec_run(x, &plain, v);
	memset(steps, 0, PR_MAX_CPUS * sizeof(int));
	for (int i = 0; i < x->nsteps; i++)
		steps[x->trace[i].cpu]++;
	for (int c = 0; c < PR_MAX_CPUS; c++)
		total += steps[c];
	return total;
}

/* A uniform random walk: each step by a cpu drawn among those left. */
static void draw_random(struct program *prog, const int steps[], int total, uint64_t *rng)
{
	int left[PR_MAX_CPUS];

	memcpy(left, steps, sizeof(left));
	prog->nschedule = 0;
	for (int i = 0; i < total && i < PR_MAX_SCHEDULE; i++) {
		int c, pick = (int)(next_random(rng) % (uint64_t)(total - i));

		for (c = 0; pick >= left[c]; c++)
			pick -= left[c];
		left[c]--;
		prog->schedule[prog->nschedule++] = (uint8_t)c;
	}
}

/* PCT of depth d over the plain step counts. */
static void draw_pct(struct program *prog, const int steps[], int total, int depth, uint64_t *rng)
{
	int left[PR_MAX_CPUS], prio[PR_MAX_CPUS], change[8];

	memcpy(left, steps, sizeof(left));
	for (int c = 0; c < PR_MAX_CPUS; c++)
		prio[c] = depth + c;
	for (int c = PR_MAX_CPUS - 1; c > 0; c--) { /* shuffle: distinct random priorities */
		int j = (int)(next_random(rng) % (uint64_t)(c + 1)), t = prio[c];

		prio[c] = prio[j];
		prio[j] = t;
	}
	for (int k = 0; k < depth - 1; k++)
		change[k] = (int)(next_random(rng) % (uint64_t)(total ? total : 1));
	prog->nschedule = 0;
	for (int i = 0; i < total && i < PR_MAX_SCHEDULE; i++) {
		int run = -1;

		for (int c = 0; c < PR_MAX_CPUS; c++)
			if (left[c] && (run < 0 || prio[c] > prio[run]))
				run = c;
		for (int k = 0; k < depth - 1; k++)
			if (change[k] == i)
				prio[run] = k; /* below every initial priority */
		left[run]--;
		prog->schedule[prog->nschedule++] = (uint8_t)run;
	}
}

void hunt(struct exec *x, struct program *prog, const struct hunt_options *o,
	  struct hunt_result *r)
{
	uint64_t rng = o->seed | 1;
	double start = now();
	int steps[PR_MAX_CPUS], total = count_steps(x, prog, o->variant, steps);

	memset(r, 0, sizeof(*r));
	do {
		for (int i = 0; i < 64; i++) {
			if (o->pct)
				draw_pct(prog, steps, total, 1 + (int)(r->tries % 5), &rng);
			else
				draw_random(prog, steps, total, &rng);
			r->tries++;
			exec_run(x, prog, o->variant);
			if (x->verdict.kind != VERDICT_OK) {
				r->found = true;
				r->seconds = now() - start;
				return;
			}
		}
	} while (now() - start < o->seconds);
	r->seconds = now() - start;
}

/* The stress runner: one free-running thread per cpu, started together at
 * a barrier each round. */
struct stress_run {
	struct exec *x;
	const struct hunt_options *o;
	pthread_barrier_t start, end;
	bool quit;
	int cpu_of[PR_MAX_CPUS];
	long rounds;                  /* rounds done, relaxed */
	uint8_t running[PR_MAX_CPUS]; /* relaxed: which cpus are still in their program */
};

static void *stress_thread(void *arg)
{
	struct stress_run *s = ((void **)arg)[0];
	int cpu = (int)(intptr_t)((void **)arg)[1];
	uint64_t rng = s->o->seed ^ (uint64_t)(cpu + 1) * 0x9e3779b97f4a7c15ull;

	for (;;) {
		pthread_barrier_wait(&s->start);
		if (s->quit)
			return NULL;
		s->x->cpu[cpu].chaos_rng = next_random(&rng) | 1;
		__atomic_store_n(&s->running[cpu], 1, __ATOMIC_RELAXED);
		exec_run_cpu(s->x, cpu);
		__atomic_store_n(&s->running[cpu], 0, __ATOMIC_RELAXED);
		pthread_barrier_wait(&s->end);
	}
}

/* A round is a few microseconds; a round still running a second later has
 * a cpu spinning outside any point: its variant's bug, reported as such. */
static void *watchdog(void *arg)
{
	struct stress_run *s = arg;
	long last = -1;

	for (int tick = 0; !__atomic_load_n(&s->quit, __ATOMIC_RELAXED); tick++) {
		long rounds = __atomic_load_n(&s->rounds, __ATOMIC_RELAXED);

		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
		if (tick % 20)
			continue;
		if (rounds == last)
			for (int c = 0; c < PR_MAX_CPUS; c++)
				if (__atomic_load_n(&s->running[c], __ATOMIC_RELAXED))
					exec_report_hang(s->x, c);
		last = rounds;
	}
	return NULL;
}

void stress(struct exec *x, const struct program *prog, const struct hunt_options *o,
	    struct hunt_result *r)
{
	struct stress_run s = { .x = x, .o = o };
	pthread_t tid[PR_MAX_CPUS], dog;
	void *args[PR_MAX_CPUS][2];
	int n = 0;
	double start = now();

	memset(r, 0, sizeof(*r));
	for (int c = 0; c < PR_MAX_CPUS; c++)
		if (prog->cpus >> c & 1)
			s.cpu_of[n++] = c;
	pthread_barrier_init(&s.start, NULL, (unsigned)n + 1);
	pthread_barrier_init(&s.end, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++) {
		args[i][0] = &s;
		args[i][1] = (void *)(intptr_t)s.cpu_of[i];
		pthread_create(&tid[i], NULL, stress_thread, args[i]);
	}
	pthread_create(&dog, NULL, watchdog, &s);
	x->free_running = true;
	x->chaos = o->chaos;
	do {
		exec_prepare(x, prog, o->variant);
		pthread_barrier_wait(&s.start);
		pthread_barrier_wait(&s.end);
		__atomic_fetch_add(&s.rounds, 1, __ATOMIC_RELAXED);
		r->tries++;
		exec_finish(x, x->nsteps >= EXEC_MAX_STEPS);
		if (x->verdict.kind != VERDICT_OK) {
			r->found = true;
			break;
		}
	} while ((r->tries & 63) || now() - start < o->seconds);
	r->seconds = now() - start;
	x->free_running = false;
	__atomic_store_n(&s.quit, true, __ATOMIC_RELAXED);
	pthread_join(dog, NULL);
	pthread_barrier_wait(&s.start);
	for (int i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&s.start);
	pthread_barrier_destroy(&s.end);
}
