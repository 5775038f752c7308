/* random.c: the random-walk strategy: each step by a runnable cpu drawn
 * with the weight of the steps it has left.  Entry points: random_init,
 * random_start.  Knows nothing of pages; includes only the scheduler.
 *
 * A cpu drawn in proportion to its steps left makes every interleaving of
 * the cpus' steps equally likely (the draw at each step is the share of
 * the interleavings that continue with that cpu); a uniform draw among
 * the runnable cpus, as Shuttle's RandomScheduler, would favour switching
 * early.  The steps left are known only before a run takes them: the
 * caller gives each cpu's count from a plain run, and a cpu past its count
 * (a lookup retrying) weighs 1.  Without counts the draw is uniform.
 */
#include "sched/strategies.h"

static int random_next(struct sched_strategy *s, uint32_t runnable, int cur, int step)
{
	struct random_strategy *r = (struct random_strategy *)s;
	uint64_t rng = SCHED_GET(r->rng);
	int weight[SCHED_MAX_CPUS], total = 0, pick, c;

	if (cur >= 0 && SCHED_GET(r->left[cur]) > 0)
		SCHED_SET(r->left[cur], SCHED_GET(r->left[cur]) - 1);
	for (c = 0; c < SCHED_MAX_CPUS; c++) {
		int left = SCHED_GET(r->left[c]);

		weight[c] = runnable >> c & 1 ? (left > 0 ? left : 1) : 0;
		total += weight[c];
	}
	pick = (int)(sched_random(&rng) % (uint64_t)total);
	SCHED_SET(r->rng, rng);
	for (c = 0; pick >= weight[c]; c++)
		pick -= weight[c];
	return c;
}

void random_init(struct random_strategy *r, uint64_t seed)
{
	*r = (struct random_strategy){ .s.next_cpu = random_next, .rng = sched_seed(seed) };
}

void random_start(struct random_strategy *r, const int steps[SCHED_MAX_CPUS])
{
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		r->left[c] = steps ? steps[c] : 0;
}
