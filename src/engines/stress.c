/* stress.c: `pagerace stress`, the baseline a schedule search is measured
 * against: executions under the free-running chaos strategy
 * (src/sched/chaos.c), the operating system interleaving the cpus.
 * Entry point: stress.
 */
#include <string.h>

#include "engines/stress.h"

void stress(struct exec *x, const struct program *prog, const struct stress_options *o,
	    struct stress_result *r)
{
	struct chaos_strategy chaos;
	double start = sched_seconds();

	chaos_init(&chaos, o->seed, o->chaos);
	memset(r, 0, sizeof(*r));
	do {
		r->rounds++;
		exec_run_strategy(x, prog, o->variant, &chaos.s);
		if (x->verdict.kind != VERDICT_OK) {
			r->found = true;
			break;
		}
	} while ((r->rounds & 63) || sched_seconds() - start < o->seconds);
	r->seconds = sched_seconds() - start;
}
