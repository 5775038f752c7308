/* chaos.c: the free-running strategy of stress, with or without chaos.
 * Entry point: chaos_init.
 * Knows nothing of pages; includes only the scheduler.
 *
 * rr's chaos mode in small: at one point in eight the cpu gives way (it
 * names another runnable cpu, and the scheduler yields its processor), at
 * another in eight it spins up to 2000 rounds before answering, so that
 * the other threads get to run in between.  Each cpu draws from its own
 * stream: in free-running mode the cpus ask at once.
 */
#include "sched/strategies.h"

static int chaos_next(struct sched_strategy *s, uint32_t runnable, int cur, int step)
{
	struct chaos_strategy *c = (struct chaos_strategy *)s;
	uint64_t r;
	uint32_t others = runnable & ~(1u << cur);

	if (!c->delays)
		return cur;
	r = sched_random(&c->rng[cur]);
	if (r % 8 == 0 && others)
		return __builtin_ctz(others);
	if (r % 8 == 1)
		for (volatile unsigned int spin = (unsigned int)(r >> 32) % 2000; spin; spin--)
			;
	return cur;
}

void chaos_init(struct chaos_strategy *c, uint64_t seed, bool delays)
{
	*c = (struct chaos_strategy){ .s = { .next_cpu = chaos_next, .free_running = true },
				      .delays = delays };
	for (int k = 0; k < SCHED_MAX_CPUS; k++)
		c->rng[k] = sched_seed(seed * SCHED_MAX_CPUS + (uint64_t)k);
}
