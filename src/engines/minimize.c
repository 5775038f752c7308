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
	int preemptions; /* the pinned schedule's */
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
	g->preemptions = g->x->sched.preemptions;
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

/* keep_if_holds for a change of the schedule alone, which must not cost
 * a preemption: a cut that merges two runs, a preemption moved later. */
static bool keep_if_no_worse(struct goal *g, struct program *prog, const struct program *cand)
{
	int before = g->preemptions;

	if (!holds(g, cand) || g->x->sched.preemptions > before)
		return false;
	*prog = *cand;
	pin_schedule(g, prog);
	return true;
}

/* The slots the program's ops name, leaving out cpu c's i-th op (i < 0:
 * every op of cpu c; c < 0: none). */
static uint64_t slots_named(const struct program *prog, int c, int i)
{
	uint64_t named = 0;

	for (int d = 0; d < PR_MAX_CPUS; d++)
		for (int j = 0; j < prog->nops[d]; j++)
			if (op_takes_slot(prog->ops[d][j].kind) && !(d == c && (i < 0 || j == i)))
				named |= 1ull << prog->ops[d][j].slot;
	return named;
}

/* Pass 1: a whole cpu at a time; failing that, the cpu with the cached
 * slots only it names, whose pages then start free: a cpu that removes a
 * page only so that a block can be allocated over it goes with that page
 * (the block is allocated from free pages without it). */
static bool drop_cpus(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		struct program cand = *prog;
		uint64_t own = slots_named(prog, -1, -1) & ~slots_named(prog, c, -1) & prog->cache;

		if (!(prog->cpus >> c & 1) || __builtin_popcount(prog->cpus) == 1)
			continue;
		cand.cpus &= (uint8_t)~(1u << c);
		cand.nops[c] = 0;
		drop_schedule_entries(&cand, c);
		if (keep_if_holds(g, prog, &cand)) {
			changed = true;
			continue;
		}
		cand.cache &= ~own;
		changed |= own && keep_if_holds(g, prog, &cand);
	}
	return changed;
}

/* Pass 2: two cpus as one, when every step of c comes before every step
 * of d: d's ops run after c's on c (d's handles renamed apart from c's),
 * and the schedule is the same interleaving.  The three-cpu form of a
 * race whose remover and allocator are two cpus is its two-cpu form. */
static bool merge_cpu_into(struct goal *g, struct program *prog, int c, int d)
{
	struct program cand = *prog;
	uint32_t used = 0;
	int to[PR_HANDLES], last_c = -1, first_d = prog->nschedule;

	for (int i = 0; i < prog->nschedule; i++) {
		if (prog->schedule[i] == c)
			last_c = i;
		if (prog->schedule[i] == d && first_d == prog->nschedule)
			first_d = i;
	}
	if (last_c > first_d || prog->nops[c] + prog->nops[d] > PR_MAX_OPS)
		return false;
	for (int i = 0; i < prog->nops[c]; i++)
		if (op_takes_handle(prog->ops[c][i].kind))
			used |= 1u << prog->ops[c][i].handle;
	memset(to, -1, sizeof(to));
	for (int i = 0; i < prog->nops[d]; i++) {
		struct op op = prog->ops[d][i];

		if (op_takes_handle(op.kind)) {
			if (to[op.handle] < 0) {
				if (used == (1u << PR_HANDLES) - 1)
					return false;
				to[op.handle] = __builtin_ctz(~used);
				used |= 1u << to[op.handle];
			}
			op.handle = (uint8_t)to[op.handle];
		}
		cand.ops[c][cand.nops[c]++] = op;
	}
	cand.cpus &= (uint8_t)~(1u << d);
	cand.nops[d] = 0;
	for (int i = 0; i < cand.nschedule; i++)
		if (cand.schedule[i] == d)
			cand.schedule[i] = (uint8_t)c;
	return keep_if_holds(g, prog, &cand);
}

static bool merge_cpus(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++)
		for (int d = 0; d < PR_MAX_CPUS; d++)
			if (c != d && (prog->cpus >> c & 1) && (prog->cpus >> d & 1))
				changed |= merge_cpu_into(g, prog, c, d);
	return changed;
}

static bool uses_handle(const struct op *op, int h)
{
	return op_takes_handle(op->kind) && op->handle == h;
}

/* Pass 3: a handle with every op on it (its alloc or get, refs, puts and
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

/* Pass 4: a get for a lookup, its handle's ops gone with it: a get
 * that keeps its reference is a lookup that puts it back. */
static bool gets_to_lookups(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		for (int i = 0; i < prog->nops[c]; i++) {
			struct program cand = *prog;
			const struct op *get = &prog->ops[c][i];
			uint32_t mask = 0;

			if (get->kind != OP_GET)
				continue;
			for (int j = i + 1; j < prog->nops[c]; j++)
				if (uses_handle(&prog->ops[c][j], get->handle))
					mask |= 1u << j;
			cand.ops[c][i].kind = OP_LOOKUP;
			delete_ops(g, &cand, c, mask);
			changed |= keep_if_holds(g, prog, &cand);
		}
	}
	return changed;
}

/* Pass 5: one op at a time, last first (later ops depend on earlier
 * ones); failing that, a remove with its slot when no other op names it,
 * the page then free from the start. */
static bool drop_ops(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		for (int i = prog->nops[c] - 1; i >= 0; i--) {
			struct program cand = *prog;
			const struct op *op = &prog->ops[c][i];
			uint64_t slot = 1ull << op->slot;
			bool lone = op->kind == OP_REMOVE && (prog->cache & slot) && !(slots_named(prog, c, i) & slot);

			delete_ops(g, &cand, c, 1u << i);
			if (keep_if_holds(g, prog, &cand)) {
				changed = true;
			} else if (lone) {
				cand.cache &= ~slot;
				changed |= keep_if_holds(g, prog, &cand);
			}
		}
	}
	return changed;
}

/* Pass 6: a ref with the first put after it on its handle: the pair
 * that holds a reference and gives it back, which neither op alone can
 * leave (the contract); and an add of an empty slot as the setup's
 * cached page, the same page in the slot before the cpus start. */
static bool drop_pairs(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		for (int i = prog->nops[c] - 1; i >= 0; i--) {
			struct program cand = *prog;
			const struct op *op = &prog->ops[c][i];
			int j = i + 1;

			if (op->kind == OP_ADD && !(prog->cache >> op->slot & 1)) {
				cand.cache |= 1ull << op->slot;
				delete_ops(g, &cand, c, 1u << i);
				changed |= keep_if_holds(g, prog, &cand);
				continue;
			}
			if (op->kind != OP_REF)
				continue;
			while (j < prog->nops[c] &&
			       !(prog->ops[c][j].kind == OP_PUT && prog->ops[c][j].handle == op->handle))
				j++;
			if (j == prog->nops[c])
				continue;
			delete_ops(g, &cand, c, 1u << i | 1u << j);
			changed |= keep_if_holds(g, prog, &cand);
		}
	}
	return changed;
}

/* Pass 7: each alloc's (or added op's) order one lower, as long as the
 * verdict holds. */
static bool lower_orders(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		for (int i = 0; i < prog->nops[c]; i++) {
			while (op_args(prog->ops[c][i].kind) & ARG_ORDER && prog->ops[c][i].order > 0) {
				struct program cand = *prog;

				cand.ops[c][i].order--;
				if (!keep_if_holds(g, prog, &cand))
					break;
				changed = true;
			}
		}
	}
	return changed;
}

/* Pass 8: one run of a cpu's consecutive entries at a time, so that the
 * neighbouring runs merge and a switch is gone; then the shortest prefix
 * (past it the cpus run in ascending order, each to completion), kept
 * when it saves a preemption.  A cut is kept when the verdict holds with
 * no more preemptions than before. */
static bool drop_switches(struct goal *g, struct program *prog)
{
	bool changed = false;
	struct program cut;
	int base;

	if (!holds(g, prog))
		return false;
	pin_schedule(g, prog);
	for (int end = prog->nschedule; end > 0;) {
		int start = end - 1;
		struct program cand = *prog;

		while (start > 0 && prog->schedule[start - 1] == prog->schedule[end - 1])
			start--;
		memmove(&cand.schedule[start], &cand.schedule[end], (size_t)(cand.nschedule - end));
		cand.nschedule = (uint16_t)(cand.nschedule - (end - start));
		changed |= keep_if_no_worse(g, prog, &cand);
		end = start;
	}
	base = g->preemptions;
	cut = *prog;
	while (cut.nschedule > 0) {
		struct program cand = cut;

		cand.nschedule--;
		if (!holds(g, &cand) || g->x->sched.preemptions > base)
			break;
		cut = cand;
	}
	if (holds(g, &cut) && g->x->sched.preemptions < base) {
		*prog = cut;
		pin_schedule(g, prog);
		changed = true;
	}
	return changed;
}

/* Pass 9: a cached page no op names, one at a time: it only held its
 * place in the arena, and the race seldom needs that. */
static bool drop_idle_cache(struct goal *g, struct program *prog)
{
	uint64_t named = slots_named(prog, -1, -1);
	bool changed = false;

	for (unsigned int s = 0; s < prog->nslots; s++) {
		struct program cand = *prog;

		if (!(prog->cache >> s & 1) || named >> s & 1)
			continue;
		cand.cache &= ~(1ull << s);
		changed |= keep_if_holds(g, prog, &cand);
	}
	return changed;
}

/* Pass 10: the slots the program names renumbered 0, 1, ... in their
 * order (which keeps the cache's pages where they were), so that the
 * arena can shrink to them. */
static bool renumber_slots(struct goal *g, struct program *prog)
{
	struct program cand = *prog;
	uint64_t named = prog->cache | slots_named(prog, -1, -1);
	int to[MM_MAX_SLOTS], n = 0;

	for (unsigned int s = 0; s < prog->nslots; s++)
		to[s] = named >> s & 1 ? n++ : -1;
	if (named == (1ull << n) - 1)
		return false;
	cand.cache = 0;
	for (unsigned int s = 0; s < prog->nslots; s++)
		if (prog->cache >> s & 1)
			cand.cache |= 1ull << to[s];
	for (int c = 0; c < PR_MAX_CPUS; c++)
		for (int i = 0; i < prog->nops[c]; i++)
			if (op_takes_slot(prog->ops[c][i].kind))
				cand.ops[c][i].slot = (uint8_t)to[prog->ops[c][i].slot];
	return keep_if_holds(g, prog, &cand);
}

/* Pass 11: the smallest arena: fewer pages, fewer slots. */
static bool shrink_arena(struct goal *g, struct program *prog)
{
	bool changed = false;

	for (unsigned int pages = 4; pages < prog->npages; pages *= 2) {
		struct program cand = *prog;

		cand.npages = pages;
		if (keep_if_holds(g, prog, &cand)) {
			changed = true;
			break;
		}
	}
	for (unsigned int slots = 1; slots < prog->nslots; slots++) {
		struct program cand = *prog;

		cand.nslots = slots;
		if (keep_if_holds(g, prog, &cand)) {
			changed = true;
			break;
		}
	}
	return changed;
}

/* Pass 12: the fewest preemptions, proved by explore: the smallest bound
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
		if (r.violations && r.best_kind == g->kind)
			return keep_if_holds(g, prog, &r.best);
	}
	return false;
}

/* Pass 13: each preemption as late as it can come.  Where the race
 * lets a cpu be preempted anywhere in a stretch of its steps, the
 * schedules of one bug differ in where; the signature names the place
 * (report/signature.c), so every shape of the bug must choose the same
 * one: the preempted cpu takes its next step before the switch, as long
 * as the verdict holds with no more preemptions. */
static bool latest_preemptions(struct goal *g, struct program *prog)
{
	bool changed = false;

	if (!holds(g, prog))
		return false;
	pin_schedule(g, prog);
	for (int i = 0; i + 1 < prog->nschedule; i++) {
		struct program cand = *prog;
		int k = prog->schedule[i], m = i + 1;

		while (m < prog->nschedule && prog->schedule[m] != k)
			m++;
		if (m == i + 1 || m == prog->nschedule)
			continue;
		memmove(&cand.schedule[i + 2], &cand.schedule[i + 1], (size_t)(m - i - 1));
		cand.schedule[i + 1] = (uint8_t)k;
		changed |= keep_if_no_worse(g, prog, &cand);
	}
	return changed;
}

/* Last: the names, which change no run: the cpus renamed 0, 1, ... in
 * the order of their first steps (the schedule is the whole trace here,
 * so the order the schedule's end would run them in does not matter),
 * and each cpu's handles a, b, ... in the order of their first use. */
static void canonical_names(struct program *prog)
{
	int to[PR_MAX_CPUS], n = 0;
	struct program out = *prog;

	memset(to, -1, sizeof(to));
	for (int i = 0; i < prog->nschedule; i++)
		if (to[prog->schedule[i]] < 0)
			to[prog->schedule[i]] = n++;
	for (int c = 0; c < PR_MAX_CPUS; c++)
		if ((prog->cpus >> c & 1) && to[c] < 0)
			to[c] = n++;
	out.cpus = (uint8_t)((1u << n) - 1);
	memset(out.nops, 0, sizeof(out.nops));
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		int handle_to[PR_HANDLES], nh = 0;

		if (!(prog->cpus >> c & 1))
			continue;
		memset(handle_to, -1, sizeof(handle_to));
		out.nops[to[c]] = prog->nops[c];
		for (int i = 0; i < prog->nops[c]; i++) {
			struct op op = prog->ops[c][i];

			if (op_takes_handle(op.kind)) {
				if (handle_to[op.handle] < 0)
					handle_to[op.handle] = nh++;
				op.handle = (uint8_t)handle_to[op.handle];
			}
			out.ops[to[c]][i] = op;
		}
	}
	for (int i = 0; i < prog->nschedule; i++)
		out.schedule[i] = (uint8_t)to[prog->schedule[i]];
	*prog = out;
}

/* The shortest schedule that still gives the same trace: past its end
 * the cpus run in ascending order, each to completion. */
static void shortest_schedule(struct goal *g, struct program *prog)
{
	uint8_t want[PR_MAX_SCHEDULE];
	int n;

	holds(g, prog);
	n = g->x->nsteps < PR_MAX_SCHEDULE ? g->x->nsteps : PR_MAX_SCHEDULE;
	for (int i = 0; i < n; i++)
		want[i] = g->x->trace[i].cpu;
	while (prog->nschedule > 0) {
		struct program cand = *prog;
		bool same;

		cand.nschedule--;
		same = holds(g, &cand) && g->x->nsteps == n;
		for (int i = 0; same && i < n; i++)
			same = g->x->trace[i].cpu == want[i];
		if (!same)
			break;
		*prog = cand;
	}
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

		changed |= merge_cpus(&g, prog);
		changed |= drop_handles(&g, prog);
		changed |= gets_to_lookups(&g, prog);
		changed |= drop_ops(&g, prog);
		changed |= drop_pairs(&g, prog);
		changed |= lower_orders(&g, prog);
		changed |= drop_switches(&g, prog);
		changed |= drop_idle_cache(&g, prog);
		changed |= renumber_slots(&g, prog);
		changed |= shrink_arena(&g, prog);
		if (!changed)
			break;
	}
	if (fewest_preemptions(&g, prog))
		drop_switches(&g, prog);
	latest_preemptions(&g, prog);
	canonical_names(prog);
	shortest_schedule(&g, prog);
	holds(&g, prog); /* leave x with the result's run */
	stats->runs = g.runs;
	stats->ops_after = total_ops(prog);
	stats->preempt_after = x->sched.preemptions;
	stats->ms = (sched_seconds() - start) * 1e3;
	return true;
}
