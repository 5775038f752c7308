/* replay_rate.c: replays of one program per second on the scheduler, the
 * figure every fuzz target and search is bounded by.
 * Usage: replay-rate FILE [SECONDS] [VARIANT]; prints "replays/s N".
 * Pinning is chosen by PAGERACE_CPU as in the scheduler (unset: pinned).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"

int main(int argc, char **argv)
{
	static char text[1 << 16];
	static struct program prog;
	struct parse_error err;
	double seconds = argc > 2 ? atof(argv[2]) : 2.0, start, elapsed;
	const char *vname = argc > 3 ? argv[3] : "v6.2";
	const struct variant *variant = variant_by_name(vname, (int)strlen(vname));
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	size_t len;
	long n = 0;
	struct exec *x;

	if (!f || !variant) {
		fprintf(stderr, "usage: replay-rate FILE [SECONDS] [VARIANT]\n");
		return 2;
	}
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	if (!program_parse(&prog, text, len, &err)) {
		fprintf(stderr, "%s:%d: %s\n", argv[1], err.line, err.msg);
		return 2;
	}
	x = exec_new();
	exec_run(x, &prog, variant); /* threads start here, outside the timing */
	start = sched_seconds();
	do {
		for (int i = 0; i < 1000; i++)
			exec_run(x, &prog, variant);
		n += 1000;
		elapsed = sched_seconds() - start;
	} while (elapsed < seconds);
	printf("replays/s %.0f steps %d preemptions %d cpu %d\n", n / elapsed, x->nsteps,
	       x->sched.preemptions, sched_pinned_cpu());
	exec_free(x);
	return 0;
}
