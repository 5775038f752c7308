/* minimize.c: the minimizer: ordered passes, each keeping a change only if
 * the verdict holds.
 * Entry point: minimize.  Never writes a file (report/story.c keeps the result).
 */
#include <string.h>

#include "engines/explore.h"
#include "engines/minimize.h"

struct goal {
	struct exec *x;
	const struct variant *variant;
	int kind;      /* the verdict to keep */
	bool contract; /* the original kept the API contract: so must the result */
	int runs;
	uint8_t op_of_step[PR_MAX_SCHEDULE]; /* the pinned schedule's step -> op index */
};

/* The predicate: a valid program that still shows the violation. */
static bool holds(struct goal *g, const struct program *prog)
{
	struct parse_error err;

	if (!program_check(prog, &err) || (g->contract && !program_keeps_contract(prog)))
		return false;
	g->runs++;
	exec_run(g->x, prog, g->variant);
	return g->x->verdict.kind == g->kind;
}

/* The schedule as the last run took it: every later edit starts from the
 * exact interleaving that showed the violation. */
static void pin_schedule(struct goal *g, struct program *prog)
{
	prog->nschedule = (uint16_t)(g->x->nsteps < PR_MAX_SCHEDULE ? g->x->nsteps : PR_MAX_SCHEDULE);
	for (int i = 0; i < prog->nschedule; i++) {
		prog->schedule[i] = g->x->trace[i].cpu;
		g->op_of_step[i] = g->x->trace[i].op;
	}
}

/* Remove cpu c's ops in mask, with the schedule entries of the steps they
 * took, so that every other step keeps its place in the interleaving. */
static void delete_ops(const struct goal *g, struct program *prog, int c, uint32_t mask)
{
	int n = 0, kept = 0;

	for (int i = 0; i < prog->nschedule; i++)
		if (prog->schedule[i] != c || !(mask >> g->op_of_step[i] & 1))
			prog->schedule[n++] = prog->schedule[i];
	prog->nschedule = (uint16_t)n;
	for (int i = 0; i < prog->nops[c]; i++)
		if (!(mask >> i & 1))
			prog->ops[c][kept++] = prog->ops[c][i];
	prog->nops[c] = (uint8_t)kept;
}

static int total_ops(const struct program *prog)
{
	int n = 0;

	for (int c = 0; c < PR_MAX_CPUS; c++)
		n += prog->nops[c];
	return n;
}

static void drop_schedule_entries(struct program *prog, int cpu)
{
	int n = 0;

	for (int i = 0; i < prog->nschedule; i++)
		if (prog->schedule[i] != cpu)
			prog->schedule[n++] = prog->schedule[i];
	prog->nschedule = (uint16_t)n;
}

/* Keep cand in prog if the verdict holds on it. */
static bool keep_if_holds(struct goal *g, struct program *prog, const struct program *cand)
{
	if (!holds(g, cand))
		return false;
	*prog = *cand;
	pin_schedule(g, prog);
	return true;
}

/* Pass 1: a whole cpu at a time. */
static bool drop_cpus(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		struct program cand = *prog;

		if (!(prog->cpus >> c & 1) || __builtin_popcount(prog->cpus) == 1)
			continue;
		cand.cpus &= (uint8_t)~(1u << c);
		cand.nops[c] = 0;
		drop_schedule_entries(&cand, c);
		changed |= keep_if_holds(g, prog, &cand);
	}
	return changed;
}

static bool uses_handle(const struct op *op, int h)
{
	return op->kind != OP_LOOKUP && op->kind != OP_REMOVE && op->kind != OP_ADD && op->handle == h;
}

/* Pass 2: a handle with every op on it (its alloc or get, refs, puts and
 * free), so that the contract still holds without it. */
static bool drop_handles(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		for (int h = 0; h < PR_HANDLES; h++) {
			struct program cand = *prog;
			uint32_t mask = 0;

			for (int i = 0; i < prog->nops[c]; i++)
				if (uses_handle(&prog->ops[c][i], h))
					mask |= 1u << i;
			if (!mask)
				continue;
			delete_ops(g, &cand, c, mask);
			changed |= keep_if_holds(g, prog, &cand);
		}
	}
	return changed;
}

/* Pass 3: one op at a time, last first (later ops depend on earlier ones). */
static bool drop_ops(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		for (int i = prog->nops[c] - 1; i >= 0; i--) {
			struct program cand = *prog;

			delete_ops(g, &cand, c, 1u << i);
			changed |= keep_if_holds(g, prog, &cand);
		}
	}
	return changed;
}

/* Pass 4: one run of a cpu's consecutive entries at a time, so that the
 * neighbouring runs merge and a switch is gone; then the shortest prefix
 * (past it the cpus run in ascending order, each to completion).  A cut is
 * kept when the verdict holds with no more preemptions than before. */
static bool drop_switches(struct goal *g, struct program *prog)
{
	bool changed = false;
	int base;

	if (!holds(g, prog))
		return false;
	base = g->x->sched.preemptions;
	for (int end = prog->nschedule; end > 0;) {
		int start = end - 1;
		struct program cand = *prog;

		while (start > 0 && prog->schedule[start - 1] == prog->schedule[end - 1])
			start--;
		memmove(&cand.schedule[start], &cand.schedule[end], (size_t)(cand.nschedule - end));
		cand.nschedule = (uint16_t)(cand.nschedule - (end - start));
		if (holds(g, &cand) && g->x->sched.preemptions <= base) {
			*prog = cand;
			base = g->x->sched.preemptions;
			changed = true;
		}
		end = start;
	}
	while (prog->nschedule > 0) {
		struct program cand = *prog;

		cand.nschedule--;
		if (!holds(g, &cand) || g->x->sched.preemptions > base)
			break;
		*prog = cand;
		changed = true;
	}
	return changed;
}

/* Pass 5: the smallest arena: fewer pages, fewer slots. */
static bool shrink_arena(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (unsigned int pages = 4; pages < prog->npages; pages *= 2) {
		struct program cand = *prog;

		cand.npages = pages;
		if (holds(g, &cand)) {
			*prog = cand;
			changed = true;
			break;
		}
	}
	for (unsigned int slots = 1; slots < prog->nslots; slots++) {
		struct program cand = *prog;

		cand.nslots = slots;
		if (holds(g, &cand)) {
			*prog = cand;
			changed = true;
			break;
		}
	}
	return changed;
}

/* Pass 6: the fewest preemptions, proved by explore: the smallest bound
 * under which some schedule shows the same kind of violation. */
static bool fewest_preemptions(struct goal *g, struct program *prog)
{
	struct explore_options o = { .variant = g->variant, .max_schedules = 20000, .reduction = true };
	struct explore_result r;
	int now;

	if (!holds(g, prog))
		return false;
	now = g->x->sched.preemptions;
	for (o.max_preemptions = 0; o.max_preemptions < now; o.max_preemptions++) {
		explore(g->x, prog, &o, &r);
		g->runs += (int)r.schedules;
		if (r.violations && r.best_kind == g->kind) {
			*prog = r.best;
			return true;
		}
	}
	return false;
}

/* Last: the cpus that are left renamed 0, 1, ... in their order, which
 * keeps the order the schedule's end runs them in. */
static void renumber_cpus(struct program *prog)
{
	int to[PR_MAX_CPUS], n = 0;
	struct program out = *prog;

	for (int c = 0; c < PR_MAX_CPUS; c++)
		if (prog->cpus >> c & 1)
			to[c] = n++;
	out.cpus = (uint8_t)((1u << n) - 1);
	memset(out.nops, 0, sizeof(out.nops));
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		if (!(prog->cpus >> c & 1))
			continue;
		out.nops[to[c]] = prog->nops[c];
		memcpy(out.ops[to[c]], prog->ops[c], sizeof(prog->ops[c]));
	}
	for (int i = 0; i < prog->nschedule; i++)
		out.schedule[i] = (uint8_t)to[prog->schedule[i]];
	*prog = out;
}

bool minimize(struct exec *x, struct program *prog, const struct variant *variant,
	      struct minimize_stats *stats)
{
	struct goal g = { .x = x, .variant = variant, .contract = program_keeps_contract(prog) };
	double start = sched_seconds();

	memset(stats, 0, sizeof(*stats));
	exec_run(x, prog, variant);
	if (x->verdict.kind == VERDICT_OK)
		return false;
	g.kind = x->verdict.kind;
	stats->ops_before = total_ops(prog);
	stats->preempt_before = x->sched.preemptions;
	pin_schedule(&g, prog);
	for (int round = 0; round < 8; round++) {
		bool changed = drop_cpus(&g, prog);

		changed |= drop_handles(&g, prog);
		changed |= drop_ops(&g, prog);
		changed |= drop_switches(&g, prog);
		changed |= shrink_arena(&g, prog);
		if (!changed)
			break;
	}
	if (fewest_preemptions(&g, prog))
		drop_switches(&g, prog);
	renumber_cpus(prog);
	holds(&g, prog); /* leave x with the result's run */
	stats->runs = g.runs;
	stats->ops_after = total_ops(prog);
	stats->preempt_after = x->sched.preemptions;
	stats->ms = (sched_seconds() - start) * 1e3;
	return true;
}
