/* hunt.c: the schedule search of `pagerace hunt`: executions under the
 * random-walk or the PCT strategy (src/sched/random.c, pct.c), each
 * choosing online, until one violates; and a fuzz input's few walks.
 * Entry points: hunt, hunt_input.
 *
 * Both take what they must know before a run from a plain run: the walk
 * each cpu's steps, PCT their sum k.  PCT's depth d cycles over 1..5, so
 * every depth gets its share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engines/hunt.h"

/* The steps each cpu took in x's run, and their sum. */
static int steps_taken(const struct exec *x, int steps[SCHED_MAX_CPUS])
{
	memset(steps, 0, SCHED_MAX_CPUS * sizeof(int));
	for (int i = 0; i < x->nsteps; i++)
		steps[x->trace[i].cpu]++;
	return x->nsteps;
}

/* The steps each cpu takes in a plain run (prog with its schedule
 * dropped), and their sum. */
static int plain_steps(struct exec *x, const struct program *prog, const struct variant *v,
		       int steps[SCHED_MAX_CPUS])
{
	struct program plain = *prog;

	plain.nschedule = 0;
	exec_run(x, &plain, v);
	return steps_taken(x, steps);
}

/* The schedule x's run took, as prog's own: the replay follows it. */
static void keep_schedule(const struct exec *x, struct program *prog)
{
	prog->nschedule = (uint16_t)(x->nsteps < PR_MAX_SCHEDULE ? x->nsteps : PR_MAX_SCHEDULE);
	for (int i = 0; i < prog->nschedule; i++)
		prog->schedule[i] = x->trace[i].cpu;
}

void hunt(struct exec *x, struct program *prog, const struct hunt_options *o,
	  struct hunt_result *r)
{
	struct random_strategy walk;
	struct pct_strategy pct;
	struct sched_strategy *strategy = o->pct ? &pct.s : &walk.s;
	double start = sched_seconds();
	int steps[SCHED_MAX_CPUS], total = plain_steps(x, prog, o->variant, steps);

	random_init(&walk, o->seed);
	pct_init(&pct, o->seed);
	memset(r, 0, sizeof(*r));
	do {
		for (int i = 0; i < 64; i++) {
			if (o->pct)
				pct_start(&pct, 1 + (int)(r->tries % 5), total);
			else
				random_start(&walk, steps);
			r->tries++;
			exec_run_strategy(x, prog, o->variant, strategy);
			if (x->verdict.kind != VERDICT_OK) {
				keep_schedule(x, prog);
				r->found = true;
				r->seconds = sched_seconds() - start;
				return;
			}
		}
	} while (sched_seconds() - start < o->seconds);
	r->seconds = sched_seconds() - start;
}

int hunt_input(struct exec *x, struct program *prog, const struct variant *v, uint64_t seed,
	       int walks, void (*after_each)(const struct exec *x))
{
	struct random_strategy walk;
	int steps[SCHED_MAX_CPUS];

	exec_run(x, prog, v);
	if (after_each)
		after_each(x);
	if (x->verdict.kind != VERDICT_OK)
		return 0;
	/* The own run's steps weigh the walk: a plain run for them would be
	 * one more execution per input. */
	steps_taken(x, steps);
	random_init(&walk, seed);
	for (int i = 1; i <= walks; i++) {
		random_start(&walk, steps);
		exec_run_strategy(x, prog, v, &walk.s);
		if (after_each)
			after_each(x);
		if (x->verdict.kind != VERDICT_OK) {
			keep_schedule(x, prog);
			return i;
		}
	}
	return -1;
}

uint64_t hunt_input_seed(const uint8_t *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	return h;
}

bool hunt_input_walks(int *walks, char *err, size_t errlen)
{
	const char *v = getenv("PAGERACE_WALKS");
	char *end;
	long n;

	*walks = HUNT_WALKS;
	if (!v)
		return true;
	n = strtol(v, &end, 10);
	if (!*v || *end || n < 0 || n > HUNT_MAX_WALKS) {
		snprintf(err, errlen, "PAGERACE_WALKS must be a whole number from 0 to %d, not '%s'",
			 HUNT_MAX_WALKS, v);
		return false;
	}
	*walks = (int)n;
	return true;
}
