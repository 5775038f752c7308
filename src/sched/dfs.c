/* dfs.c: the strategy of one execution of explore's depth-first search.
 * Entry point: dfs_start.
 * Knows nothing of pages; includes only the scheduler.
 *
 * The search (src/engines/explore.c) runs a prefix of choices and branches
 * at every later step; what one execution needs is here: follow the
 * prefix, then keep the current cpu running while it has steps, so that
 * extending a prefix spends no preemption, and record for every step the
 * cpus that could have taken it, and the state there, for the branches.
 */
#include "sched/strategies.h"

static int dfs_next(struct sched_strategy *s, uint32_t runnable, int cur, int step)
{
	struct dfs_strategy *d = (struct dfs_strategy *)s;
	int next = replay_follow(&d->prefix, runnable);

	SCHED_SET(d->runnable_log[step], (uint8_t)runnable);
	SCHED_SET(d->spun_log[step], (uint8_t)SCHED_GET(s->spun));
	if (d->at_choice)
		d->at_choice(d->ctx, step);
	if (next < 0)
		next = sched_after_spin(s, runnable, cur);
	if (next < 0)
		next = cur >= 0 && runnable >> cur & 1 ? cur : __builtin_ctz(runnable);
	return next;
}

void dfs_start(struct dfs_strategy *d, const uint8_t *prefix, int len, uint8_t *runnable_log,
	       uint8_t *spun_log, void (*at_choice)(void *ctx, int step), void *ctx)
{
	*d = (struct dfs_strategy){ .s.next_cpu = dfs_next, .runnable_log = runnable_log, .spun_log = spun_log,
				    .at_choice = at_choice, .ctx = ctx };
	replay_init(&d->prefix, prefix, len);
}
