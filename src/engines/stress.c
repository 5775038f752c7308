/* stress.c: `pagerace stress`, the baseline a schedule search is measured
 * against: executions under the free-running chaos strategy
 * (src/sched/chaos.c), the operating system interleaving the cpus.
 * Entry point: stress.
 */
#include <string.h>
#include <time.h>

#include "engines/stress.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void stress(struct exec *x, const struct program *prog, const struct stress_options *o,
	    struct stress_result *r)
{
	struct chaos_strategy chaos;
	double start = now();

	chaos_init(&chaos, o->seed, o->chaos);
	memset(r, 0, sizeof(*r));
	do {
		r->rounds++;
		exec_run_strategy(x, prog, o->variant, &chaos.s);
		if (x->verdict.kind != VERDICT_OK) {
			r->found = true;
			break;
		}
	} while ((r->rounds & 63) || now() - start < o->seconds);
	r->seconds = now() - start;
}
