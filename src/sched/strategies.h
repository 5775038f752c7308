/* strategies.h: the scheduler's strategies, peers behind next_cpu, one
 * file each: replay.c, random.c, pct.c, dfs.c, chaos.c.
 * Entry points: each strategy's init (and start, per execution, where it
 * has one).  Knows nothing of pages; includes only the scheduler.
 *
 * A strategy is its struct sched_strategy first, then its state: the
 * engine that owns it sets it up, passes &x.s to the executor, and reads
 * it back between executions.
 */
#ifndef PAGERACE_STRATEGIES_H
#define PAGERACE_STRATEGIES_H

#include "sched/scheduler.h"

/* xorshift64: the strategies' random numbers; s must not be 0. */
static inline uint64_t sched_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A seed as a state for sched_random: splitmix64's finalizer, one to one,
 * so that every seed, 2 as well as 3, gives a search of its own; never 0. */
static inline uint64_t sched_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z ? z : 0x9e3779b97f4a7c15ull;
}

/* A strategy's own default after a spin (s->spun: cur's get failed on a
 * frozen count): the next runnable cpu after cur, round the cpus, so that
 * spinners take turns and the freezer gets to unfreeze; -1 when cur did
 * not spin or no other cpu can step (dfs's "cur goes on" and replay's
 * tail rule then apply). */
static inline int sched_after_spin(const struct sched_strategy *s, uint32_t runnable, int cur)
{
	if (cur < 0 || !SCHED_GET(s->spun) || !(runnable & ~(1u << cur)))
		return -1;
	for (int i = 1; i < SCHED_MAX_CPUS; i++)
		if (runnable >> ((cur + i) % SCHED_MAX_CPUS) & 1)
			return (cur + i) % SCHED_MAX_CPUS;
	return -1;
}

/* replay.c: the schedule's entries in order, each naming the cpu of the
 * next step; an entry naming a cpu that is not runnable (finished, or
 * blocked at a lock) is skipped; past the end the
 * lowest runnable cpu steps, each to completion (the tail rule). */
struct replay_strategy {
	struct sched_strategy s;
	const uint8_t *schedule;
	int len;
	int cursor; /* the next entry; SCHED_GET/SET */
};

void replay_init(struct replay_strategy *r, const uint8_t *schedule, int len);
/* The next entry naming a runnable cpu, -1 when the schedule has run out
 * (the prefix rule, dfs's too). */
int replay_follow(struct replay_strategy *r, uint32_t runnable);

/* random.c: each step by a runnable cpu drawn in proportion to the steps
 * it has left, which makes every interleaving equally likely; executions
 * continue one stream, so the same seed gives the same schedules. */
struct random_strategy {
	struct sched_strategy s;
	uint64_t rng;                /* SCHED_GET/SET */
	int left[SCHED_MAX_CPUS];    /* each cpu's steps still expected; SCHED_GET/SET */
};

void random_init(struct random_strategy *r, uint64_t seed);
/* Before each execution: each cpu's expected steps (a plain run's), or
 * NULL: a uniform draw among the runnable cpus. */
void random_start(struct random_strategy *r, const int steps[SCHED_MAX_CPUS]);

/* pct.c: PCT of depth d (Burckhardt et al., ASPLOS 2010), chosen online. */
#define PCT_MAX_DEPTH 8

struct pct_strategy {
	struct sched_strategy s;
	uint64_t rng;                    /* the caller's, between executions */
	int depth;                       /* d of this execution */
	int change[PCT_MAX_DEPTH - 1];   /* steps after which the runner drops */
	int prio[SCHED_MAX_CPUS];        /* distinct; SCHED_GET/SET */
};

void pct_init(struct pct_strategy *p, uint64_t seed);
/* Before each execution: a new one of depth d (1..PCT_MAX_DEPTH) of about steps steps:
 * fresh priorities and change points, drawn from the seed's stream. */
void pct_start(struct pct_strategy *p, int depth, int steps);

/* dfs.c: one execution of explore's depth-first search: the prefix, then
 * the current cpu goes on while it has steps (no preemption spent), else
 * the lowest; it logs, for each step, the cpus that could have taken it,
 * and lets the search look at the state there (at_choice: explore hashes
 * it). */
struct dfs_strategy {
	struct sched_strategy s;
	struct replay_strategy prefix;
	uint8_t *runnable_log; /* [i]: the runnable cpus when step i was chosen */
	uint8_t *spun_log;     /* [i]: whether the step before i spun (SCHED_SPIN) */
	void (*at_choice)(void *ctx, int step);
	void *ctx;
};

void dfs_start(struct dfs_strategy *d, const uint8_t *prefix, int len, uint8_t *runnable_log,
	       uint8_t *spun_log, void (*at_choice)(void *ctx, int step), void *ctx);

/* chaos.c: free-running stress: every cpu at once; with delays, rr's
 * chaos mode in small: now and then a cpu gives up its processor or spins
 * a while at a point, so that the others get to run in between.  Without,
 * the plain baseline: the operating system alone interleaves. */
struct chaos_strategy {
	struct sched_strategy s;
	bool delays;
	uint64_t rng[SCHED_MAX_CPUS]; /* each cpu's own: they ask at once */
};

void chaos_init(struct chaos_strategy *c, uint64_t seed, bool delays);

#endif
