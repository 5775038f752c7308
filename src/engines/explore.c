/* explore.c: bounded exhaustive exploration of schedules by stateless
 * depth-first search, as CHESS does it: run a prefix of choices, let the
 * current cpu go on past it, then branch at every step of that run to
 * every other cpu that could have stepped there, while the preemptions
 * spent stay within K.  Each schedule is run exactly once.
 * Entry points: explore, explore_programs.
 *
 * Reduction: steps of different cpus that touch disjoint pages and slots
 * commute, so their orders end in the same state.  The search hashes the
 * whole state (model and cpus, exec.c) after every step; a branch point
 * whose state, with the cpu that stepped last, was already expanded with at
 * least as much preemption budget left has its futures explored already
 * and is skipped.  That is sound: every violation is a property of a state
 * and the step taken from it (or of the final state), and every state the
 * full search reaches within the bound is reached and expanded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engines/explore.h"

/* The states expanded so far: open addressing on (hash, last cpu). */
struct seen {
	uint64_t *key;
	int8_t *budget; /* preemption budget left when expanded; -1: empty */
	size_t mask, used;
};

struct search {
	struct exec *x;
	const struct program *prog;
	const struct explore_options *o;
	struct explore_result *r;
	struct program run;            /* prog with the prefix as its schedule */
	uint8_t alive[EXEC_MAX_STEPS]; /* of the last run */
	uint64_t hash[EXEC_MAX_STEPS + 1];
	struct seen seen;
	time_t last_progress;
};

static void seen_init(struct seen *s, size_t slots)
{
	s->mask = slots - 1;
	s->used = 0;
	s->key = malloc(slots * sizeof(*s->key));
	s->budget = malloc(slots);
	if (!s->key || !s->budget)
		abort();
	memset(s->budget, -1, slots);
}

static void seen_grow(struct seen *s)
{
	struct seen big;

	seen_init(&big, (s->mask + 1) * 2);
	for (size_t i = 0; i <= s->mask; i++) {
		size_t j = s->key[i] & big.mask;

		if (s->budget[i] < 0)
			continue;
		while (big.budget[j] >= 0)
			j = (j + 1) & big.mask;
		big.key[j] = s->key[i];
		big.budget[j] = s->budget[i];
		big.used++;
	}
	free(s->key);
	free(s->budget);
	*s = big;
}

/* True when key was expanded with at least budget left; else marks it. */
static bool seen_covers(struct seen *s, uint64_t key, int budget)
{
	size_t i = key & s->mask;

	while (s->budget[i] >= 0 && s->key[i] != key)
		i = (i + 1) & s->mask;
	if (s->budget[i] >= budget)
		return true;
	if (s->budget[i] < 0) {
		s->key[i] = key;
		if (++s->used * 2 > s->mask) {
			s->budget[i] = (int8_t)budget;
			seen_grow(s);
			return false;
		}
	}
	s->budget[i] = (int8_t)budget;
	return false;
}

static void progress(struct search *s)
{
	time_t now = time(NULL);

	if (!s->o->progress || now == s->last_progress)
		return;
	s->last_progress = now;
	fprintf(stderr, "explore: %ld schedules, %ld violations, %ld pruned\n", s->r->schedules,
		s->r->violations, s->r->pruned);
}

static bool out_of_budget(struct search *s)
{
	s->r->cut |= s->o->max_schedules && s->r->schedules >= s->o->max_schedules;
	return s->r->cut;
}

/* Run the first len choices of s->run.schedule, then branch. */
static void dfs(struct search *s, int len)
{
	struct exec *x = s->x;
	int n, K = s->o->max_preemptions;
	uint8_t *cpu, *alive;
	uint64_t *hash;
	int *spent;

	if (out_of_budget(s))
		return;
	s->run.nschedule = (uint16_t)len;
	x->state_hash = s->hash;
	exec_run_logged(x, &s->run, s->o->variant, true, s->alive);
	x->state_hash = NULL;
	s->r->schedules++;
	progress(s);
	if (x->verdict.kind != VERDICT_OK) {
		s->r->violations++;
		if (!s->r->best_kind || x->sched.preemptions < s->r->best_preemptions) {
			s->r->best_kind = x->verdict.kind;
			s->r->best_preemptions = x->sched.preemptions;
			s->r->best = s->run;
			s->r->best.nschedule = (uint16_t)x->nsteps;
			for (int i = 0; i < x->nsteps; i++)
				s->r->best.schedule[i] = x->trace[i].cpu;
		}
	}
	/* This run's choices, alive sets and states, before deeper runs
	 * overwrite them. */
	n = x->nsteps < PR_MAX_SCHEDULE ? x->nsteps : PR_MAX_SCHEDULE;
	cpu = malloc((size_t)n + 1);
	alive = malloc((size_t)n + 1);
	hash = malloc(((size_t)n + 1) * sizeof(*hash));
	spent = malloc(((size_t)n + 1) * sizeof(*spent));
	if (!cpu || !alive || !hash || !spent)
		abort();
	spent[0] = 0;
	for (int i = 0; i < n; i++) {
		cpu[i] = x->trace[i].cpu;
		alive[i] = s->alive[i];
		hash[i] = s->hash[i];
		spent[i + 1] = spent[i] + (i > 0 && cpu[i] != cpu[i - 1] && alive[i] >> cpu[i - 1] & 1);
	}
	for (int i = len; i < n && !out_of_budget(s); i++) {
		int prev = i ? cpu[i - 1] : -1;

		if (s->o->reduction &&
		    seen_covers(&s->seen, hash[i] * 31 + (uint64_t)(prev + 1), K - spent[i])) {
			s->r->pruned++;
			break; /* this state's futures, this run's rest among them */
		}
		for (int d = 0; d < PR_MAX_CPUS; d++) {
			bool preempts = prev >= 0 && alive[i] >> prev & 1 && d != prev;

			if (d == cpu[i] || !(alive[i] >> d & 1) || spent[i] + preempts > K)
				continue;
			memcpy(s->run.schedule, cpu, (size_t)i);
			s->run.schedule[i] = (uint8_t)d;
			dfs(s, i + 1);
		}
	}
	free(cpu);
	free(alive);
	free(hash);
	free(spent);
}

static void search_init(struct search *s, struct exec *x, const struct explore_options *o,
			struct explore_result *r)
{
	memset(s, 0, sizeof(*s));
	s->x = x;
	s->o = o;
	s->r = r;
	seen_init(&s->seen, 1 << 12);
}

static void explore_one(struct search *s, const struct program *prog)
{
	s->prog = prog;
	s->run = *prog;
	s->seen.used = 0;
	memset(s->seen.budget, -1, s->seen.mask + 1);
	dfs(s, 0);
}

void explore(struct exec *x, const struct program *prog, const struct explore_options *o,
	     struct explore_result *r)
{
	struct search *s = malloc(sizeof(*s));

	if (!s)
		abort();
	memset(r, 0, sizeof(*r));
	search_init(s, x, o, r);
	explore_one(s, prog);
	free(s->seen.key);
	free(s->seen.budget);
	free(s);
}

/* One cpu's ops of the small universe, with the releases it owes. */
struct cpu_prog {
	uint8_t nops;
	struct op ops[PR_MAX_OPS];
};

struct enumeration {
	struct cpu_prog *list;
	long n, cap;
};

static void add_cpu_prog(struct enumeration *e, const struct op *ops, int nops)
{
	struct cpu_prog *p;

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 256;
		e->list = realloc(e->list, (size_t)e->cap * sizeof(*e->list));
		if (!e->list)
			abort();
	}
	p = &e->list[e->n++];
	memcpy(p->ops, ops, (size_t)nops * sizeof(*ops));
	p->nops = (uint8_t)ops_release_owed(p->ops, nops);
}

/* Every sequence of 1..left more ops that keeps the contract: new handles
 * from the fixed ops, then ref, put and free on each handle so far. */
static void enumerate_ops(struct enumeration *e, struct op *ops, int nops, int left, int nhandles)
{
	static const struct op fixed[] = {
		{ .kind = OP_LOOKUP },	       { .kind = OP_REMOVE },
		{ .kind = OP_ADD },	       { .kind = OP_GET },
		{ .kind = OP_ALLOC, .order = 0 }, { .kind = OP_ALLOC, .order = 1 },
		{ .kind = OP_ALLOC, .order = 1, .comp = true },
		{ .kind = OP_ALLOC, .order = 2 }, { .kind = OP_ALLOC, .order = 2, .comp = true },
	};

	if (nops)
		add_cpu_prog(e, ops, nops);
	if (!left)
		return;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++) {
		bool new_handle = fixed[i].kind == OP_GET || fixed[i].kind == OP_ALLOC;

		if (new_handle && nhandles == PR_HANDLES)
			continue;
		ops[nops] = fixed[i];
		ops[nops].handle = (uint8_t)(new_handle ? nhandles : 0);
		enumerate_ops(e, ops, nops + 1, left - 1, nhandles + new_handle);
	}
	for (int h = 0; h < nhandles; h++) {
		for (int kind = OP_REF; kind <= OP_FREE; kind++) {
			ops[nops] = (struct op){ .kind = (uint8_t)kind, .handle = (uint8_t)h };
			if (ops_keep_contract(ops, nops + 1))
				enumerate_ops(e, ops, nops + 1, left - 1, nhandles);
		}
	}
}

/* Every multiset of 1..cpus cpu programs (cpus are interchangeable). */
static void explore_multisets(struct search *s, const struct enumeration *e, struct program *prog,
			      int cpu, int cpus, long from, long *programs)
{
	for (long i = from; i < e->n && !out_of_budget(s); i++) {
		prog->cpus |= (uint8_t)(1u << cpu);
		prog->nops[cpu] = e->list[i].nops;
		memcpy(prog->ops[cpu], e->list[i].ops, sizeof(e->list[i].ops));
		(*programs)++;
		program_assert_valid(prog, "explore's generator");
		explore_one(s, prog);
		if (cpu + 1 < cpus)
			explore_multisets(s, e, prog, cpu + 1, cpus, i, programs);
		prog->cpus &= (uint8_t)~(1u << cpu);
		prog->nops[cpu] = 0;
	}
}

void explore_programs(struct exec *x, int cpus, int ops, const struct explore_options *o,
		      struct explore_result *r, long *programs)
{
	struct enumeration e = { 0 };
	struct op buf[PR_MAX_OPS];
	struct search *s = malloc(sizeof(*s));
	struct program prog;

	if (!s)
		abort();
	memset(r, 0, sizeof(*r));
	*programs = 0;
	enumerate_ops(&e, buf, 0, ops, 0);
	search_init(s, x, o, r);
	program_init(&prog);
	prog.npages = 4;
	prog.nslots = 1;
	prog.cache = 1;
	explore_multisets(s, &e, &prog, 0, cpus, 0, programs);
	free(e.list);
	free(s->seen.key);
	free(s->seen.budget);
	free(s);
}
