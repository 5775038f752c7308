/* pct.c: the PCT strategy, choosing online at each step.
 * Entry points: pct_init, pct_start.
 * Knows nothing of pages; includes only the scheduler.
 *
 * PCT is Burckhardt, Kothari, Musuvathi and Nagarakatte, "A Randomized
 * Scheduler with Probabilistic Guarantees of Finding Bugs" (ASPLOS 2010):
 * the n threads get distinct random priorities d..d+n-1; d-1 change points
 * k_1..k_{d-1} are drawn among the k steps; the runnable thread of highest
 * priority runs, and after it takes step k_i its priority drops to i-1,
 * below all the initial ones.  A bug of depth d is then found with
 * probability at least 1/(n k^(d-1)).  As in the paper, the priorities and
 * the change points are drawn when the execution starts (pct_start) and
 * each choice is made at the step, from the cpus runnable then.
 * Deviations: k is not known before a run; the caller passes an estimate
 * (hunt: the steps of a plain run), and change points are drawn in
 * [0, k) of the steps taken so far, so a run that takes more steps (a
 * lookup retrying) has none in its extra steps.  A step is a scheduling
 * point, not an instruction.  Priorities are shuffled over all
 * SCHED_MAX_CPUS cpus, whichever have steps.
 */
#include "sched/strategies.h"

static int pct_next(struct sched_strategy *s, uint32_t runnable, int cur, int step)
{
	struct pct_strategy *p = (struct pct_strategy *)s;
	int run = -1;

	/* cur took step number step - 1: drop it if that is a change point. */
	for (int i = 0; i < p->depth - 1 && cur >= 0; i++)
		if (p->change[i] == step - 1)
			SCHED_SET(p->prio[cur], i);
	/* A spinning cpu waits for the others: below every priority. */
	if (cur >= 0 && SCHED_GET(s->spun))
		SCHED_SET(p->prio[cur], -step - 1);
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		if (runnable >> c & 1 && (run < 0 || SCHED_GET(p->prio[c]) > SCHED_GET(p->prio[run])))
			run = c;
	return run;
}

void pct_start(struct pct_strategy *p, int depth, int steps)
{
	p->depth = depth < 1 ? 1 : depth > PCT_MAX_DEPTH ? PCT_MAX_DEPTH : depth;
	for (int c = 0; c < SCHED_MAX_CPUS; c++)
		p->prio[c] = p->depth + c;
	for (int c = SCHED_MAX_CPUS - 1; c > 0; c--) { /* shuffle: distinct random priorities */
		int j = (int)(sched_random(&p->rng) % (uint64_t)(c + 1)), t = p->prio[c];

		p->prio[c] = p->prio[j];
		p->prio[j] = t;
	}
	for (int i = 0; i < p->depth - 1; i++)
		p->change[i] = (int)(sched_random(&p->rng) % (uint64_t)(steps > 0 ? steps : 1));
}

void pct_init(struct pct_strategy *p, uint64_t seed)
{
	*p = (struct pct_strategy){ .s.next_cpu = pct_next, .rng = sched_seed(seed) };
}
