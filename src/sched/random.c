/* random.c: the random-walk strategy: each step by a runnable cpu drawn
 * uniformly.  Entry point: random_init.
 * Knows nothing of pages; includes only the scheduler.
 */
#include "sched/strategies.h"

static int random_next(struct sched_strategy *s, uint32_t runnable, int cur, int step)
{
	struct random_strategy *r = (struct random_strategy *)s;
	uint64_t rng = SCHED_GET(r->rng);
	int pick = (int)(sched_random(&rng) % (uint64_t)__builtin_popcount(runnable));

	SCHED_SET(r->rng, rng);
	while (pick--)
		runnable &= runnable - 1; /* drop the lowest */
	return __builtin_ctz(runnable);
}

void random_init(struct random_strategy *r, uint64_t seed)
{
	*r = (struct random_strategy){ .s.next_cpu = random_next, .rng = seed | 1 };
}
