/* explore.c: bounded exhaustive exploration of schedules by stateless
 * depth-first search, as CHESS does it: run a prefix of choices, let the
 * current cpu go on past it, then branch at every step of that run to
 * every other cpu that could have stepped there, while the preemptions
 * spent stay within K.  Each schedule is run exactly once.
 * Entry points: explore, explore_programs.
 *
 * Each execution runs under the dfs strategy (src/sched/dfs.c): the
 * prefix, then the current cpu goes on; it logs the cpus runnable at each
 * step and calls back here, at each choice, to hash the state.
 *
 * Reduction: steps of different cpus that touch disjoint pages and slots
 * commute, so their orders end in the same state.  The search hashes the
 * whole state (model and cpus, hash_state) at every choice; a branch point
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
	struct dfs_strategy strategy;
	uint8_t runnable[EXEC_MAX_STEPS]; /* of the last run: the cpus runnable at each step (none blocked) */
	uint8_t spun[EXEC_MAX_STEPS];     /* of the last run: whether the step before each spun */
	uint64_t hash[EXEC_MAX_STEPS]; /* of the last run: the state at each step's choice */
	struct seen seen;
	time_t last_progress;
};

/* Everything the rest of an execution depends on: pages, free lists,
 * slots, the first bug, and each cpu's op, what it observed since the op
 * began (its stack is a function of that: x->observing), its handles, and
 * which pages were freed under its op and since its last read of a slot,
 * and who holds each lock (every lock held was taken in this execution,
 * so x->locks has it; summed, so the order they were first taken in does
 * not count).  Two prefixes that end in the same state have the same futures.  Whether
 * a cpu is the one that stepped last is not hashed: the key adds it.  It
 * runs on the stepping cpu's thread, so it reads the model and the other
 * cpus' views (struct observed) with relaxed loads only. */
static uint64_t hash_state(struct exec *x)
{
	struct mm *mm = &x->mm;
	uint64_t h = (uint64_t)mm->bug, held = 0;

	for (unsigned int i = 0; i < mm->npages; i++) {
		const struct page *p = &mm->pages[i];

		h = hash_mix(h, __atomic_load_n(&p->flags, __ATOMIC_RELAXED) << 40 ^
				    (uint64_t)(uint32_t)page_count_raw(p) << 8 ^
				    __atomic_load_n(&p->order, __ATOMIC_RELAXED) ^
				    __atomic_load_n(&p->compound_head, __ATOMIC_RELAXED) << 20);
	}
	for (unsigned int o = 0; o <= mm->max_order; o++)
		for (unsigned int w = 0; w * 64 < mm->npages >> o; w++)
			h = hash_mix(h, __atomic_load_n(&mm->zone.free_area[o].map[w], __ATOMIC_RELAXED));
	for (unsigned int s = 0; s < mm->nslots; s++)
		h = hash_mix(h, (uint64_t)pfn_of(mm, page_cache_peek(mm, s)));
	for (int i = 0; i < __atomic_load_n(&x->nlocks, __ATOMIC_RELAXED); i++) {
		const spinlock_t *lock = __atomic_load_n(&x->locks[i], __ATOMIC_RELAXED);
		int owner = lock ? __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) : 0;

		if (owner)
			held += hash_mix((uint64_t)(uintptr_t)lock, (uint64_t)owner);
	}
	h = hash_mix(h, held);
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		const struct cpu_state *cs = &x->cpu[c];
		unsigned long op_clock = __atomic_load_n(&cs->observed.op_clock, __ATOMIC_RELAXED);
		unsigned long slot_clock = __atomic_load_n(&cs->observed.slot_clock, __ATOMIC_RELAXED);

		if (!(x->prog->cpus >> c & 1))
			continue;
		h = hash_mix(h, __atomic_load_n(&cs->observed.local, __ATOMIC_RELAXED));
		for (unsigned int i = 0; i < mm->npages; i++) {
			unsigned long freed = __atomic_load_n(&mm->pages[i].freed_at, __ATOMIC_RELAXED);

			if (freed > op_clock)
				h = hash_mix(h, (uint64_t)c << 32 | (uint64_t)(freed > slot_clock) << 16 | i);
		}
	}
	return h;
}

/* The dfs strategy's call at each choice, on the stepping thread. */
static void hash_at_choice(void *ctx, int step)
{
	struct search *s = ctx;

	s->hash[step] = hash_state(s->x);
}

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
	uint8_t *cpu, *runnable, *spun;
	uint64_t *hash;
	int *spent;

	if (out_of_budget(s))
		return;
	s->run.nschedule = (uint16_t)len;
	dfs_start(&s->strategy, s->run.schedule, len, s->runnable, s->spun, hash_at_choice, s);
	x->observing = true;
	exec_run_strategy(x, &s->run, s->o->variant, &s->strategy.s);
	x->observing = false;
	s->r->schedules++;
	progress(s);
	if (x->verdict.kind != VERDICT_OK) {
		s->r->violations++;
		if (!s->r->best_kind || x->sched.preemptions < s->r->best_preemptions) {
			s->r->best_kind = x->verdict.kind;
			s->r->best_preemptions = x->sched.preemptions;
			s->r->best = s->run;
			/* A stuck run has more steps than a schedule holds: its
			 * tail is the tail rule's, which spins on as it did. */
			s->r->best.nschedule = (uint16_t)(x->nsteps < PR_MAX_SCHEDULE ? x->nsteps : PR_MAX_SCHEDULE);
			for (int i = 0; i < s->r->best.nschedule; i++)
				s->r->best.schedule[i] = x->trace[i].cpu;
		}
	}
	/* This run's choices, runnable sets and states, before deeper runs
	 * overwrite them.  A switch away from a cpu that was not runnable
	 * (done, or blocked at a lock) is forced: it spends no preemption,
	 * and a blocked cpu is never an alternative. */
	n = x->nsteps < PR_MAX_SCHEDULE ? x->nsteps : PR_MAX_SCHEDULE;
	cpu = malloc((size_t)n + 1);
	runnable = malloc((size_t)n + 1);
	spun = malloc((size_t)n + 1);
	hash = malloc(((size_t)n + 1) * sizeof(*hash));
	spent = malloc(((size_t)n + 1) * sizeof(*spent));
	if (!cpu || !runnable || !spun || !hash || !spent)
		abort();
	spent[0] = 0;
	for (int i = 0; i < n; i++) {
		cpu[i] = x->trace[i].cpu;
		runnable[i] = s->runnable[i];
		spun[i] = s->spun[i];
		hash[i] = s->hash[i];
		spent[i + 1] = spent[i] + sched_preempts(i ? cpu[i - 1] : -1, cpu[i], runnable[i], spun[i]);
	}
	for (int i = len; i < n && !out_of_budget(s); i++) {
		int prev = i ? cpu[i - 1] : -1;

		if (s->o->reduction &&
		    seen_covers(&s->seen, hash[i] * 31 + (uint64_t)(prev + 1), K - spent[i])) {
			s->r->pruned++;
			break; /* this state's futures, this run's rest among them */
		}
		for (int d = 0; d < PR_MAX_CPUS; d++) {
			if (d == cpu[i] || !(runnable[i] >> d & 1) || spent[i] + sched_preempts(prev, d, runnable[i], spun[i]) > K)
				continue;
			memcpy(s->run.schedule, cpu, (size_t)i);
			s->run.schedule[i] = (uint8_t)d;
			dfs(s, i + 1);
		}
	}
	free(cpu);
	free(runnable);
	free(spun);
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

static void enumerate_added(struct enumeration *e, struct op *ops, int nops, int left, int nhandles, int kind);

/* Every sequence of 1..left more ops that keeps the contract: new handles
 * from the fixed ops, then ref, put and free on each handle so far, then
 * the ops the variant file added. */
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
	for (int kind = NR_OPS; kind < op_kinds(); kind++)
		enumerate_added(e, ops, nops, left, nhandles, kind);
}

/* An op the variant file added, with each value of its arguments: slot 0
 * (the programs have one), orders 0 to 2 as the allocs', each handle so
 * far that is live. */
static void enumerate_added(struct enumeration *e, struct op *ops, int nops, int left, int nhandles, int kind)
{
	unsigned int args = op_args(kind);

	for (int order = 0; order <= (args & ARG_ORDER ? 2 : 0); order++) {
		for (int h = 0; h < (args & ARG_HANDLE ? nhandles : 1); h++) {
			ops[nops] = (struct op){ .kind = (uint8_t)kind, .order = (uint8_t)order, .handle = (uint8_t)h };
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
