/* exec.c: the executor: each op of the language as the kernel call it
 * stands for, cut into its steps (see the table in README.md), plus the
 * setup before the cpus start and the clean release after they end.
 * Entry points: exec_new, exec_run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "page_ref.h"

struct exec *exec_new(void)
{
	struct exec *x = calloc(1, sizeof(*x));

	if (!x)
		abort();
	mm_init(&x->mm, 16, 4, false);
	return x;
}

void exec_free(struct exec *x)
{
	pthread_mutex_destroy(&x->mm.zone.lock);
	free(x);
}

static bool takes_no_step(const struct cpu_state *cs, const struct op *op)
{
	return (op->kind == OP_REF || op->kind == OP_PUT || op->kind == OP_FREE) &&
	       !cs->handles[op->handle].page;
}

/* The op is over: move to the next one that takes a step. */
static void next_op(struct exec *x, int cpu)
{
	struct cpu_state *cs = &x->cpu[cpu];
	int nops = x->prog->nops[cpu];

	cs->phase = 0;
	cs->page = NULL;
	do
		cs->pc++;
	while (cs->pc < nops && takes_no_step(cs, &x->prog->ops[cpu][cs->pc]));
}

static int pfn_of(struct exec *x, const struct page *page)
{
	return page ? page_to_pfn(&x->mm, page) : -1;
}

/* The variant broke the interface (a step function that fell off its
 * end): a bug of the variant file, not a verdict of the kernel it models,
 * so the usage error's status, 2, not a crash. */
static void broken_variant(struct exec *x, const char *what, int pc)
{
	fprintf(stderr,
		"pagerace: variant %s: its %s fell off its end at line %d without STEPS_DONE "
		"(every path must end in STEPS_DONE, see src/variant.h)\n",
		x->variant->name, what, -pc);
	exit(2);
}

/* lookup S and get S h: the variant's find_get_page, step by step, then
 * for lookup the put of what it found. */
static bool step_lookup(struct exec *x, struct cpu_state *cs, const struct op *op,
			struct trace_step *t)
{
	struct handle *h = &cs->handles[op->handle];
	bool done = false;

	if (cs->phase == 1) { /* lookup's own put */
		t->kind = STEP_PUT;
		x->variant->put_page(&x->mm, cs->page);
		return true;
	}
	if (cs->lookup.pc == 0 && !cs->page)
		cs->lookup = (struct lookup_call){ .slot = op->slot };
	t->kind = (uint8_t)x->variant->find_get_page(&x->mm, &cs->lookup, &done);
	if (t->kind >= STEP_NKINDS)
		broken_variant(x, "find_get_page", cs->lookup.pc);
	cs->page = cs->lookup.page;
	if (!done)
		return false;
	cs->lookup.pc = 0;
	/* The lookup's promise: the page it returns, with a reference, is the
	 * one its slot holds.  Any other is somebody else's page. */
	if (cs->page && page_cache_peek(&x->mm, op->slot) != cs->page)
		mm_bug(&x->mm, MM_BUG_LOOKUP_STALE, cs->page);
	if (op->kind == OP_GET) {
		*h = (struct handle){ .page = cs->page, .order = 0, .refs = cs->page != NULL };
		return true;
	}
	cs->phase = 1;
	return !cs->page;
}

/* remove S: delete_from_page_cache, removal A-B of filemap.c. */
static bool step_remove(struct exec *x, struct cpu_state *cs, const struct op *op,
			struct trace_step *t)
{
	if (cs->phase == 0) {
		t->kind = STEP_UNLINK;
		t->slot = op->slot;
		cs->page = page_cache_unlink(&x->mm, op->slot);
		t->page = (int16_t)pfn_of(x, cs->page);
		cs->phase = 1;
		return !cs->page;
	}
	t->kind = STEP_PUT;
	x->variant->put_page(&x->mm, cs->page);
	return true;
}

/* add S: a new order-0 page, then add_to_page_cache; an occupied slot makes
 * the caller put its page again. */
static bool step_add(struct exec *x, struct cpu_state *cs, const struct op *op,
		     struct trace_step *t)
{
	if (cs->phase == 0) {
		t->kind = STEP_ALLOC;
		cs->page = alloc_pages(&x->mm, 0, false);
		cs->phase = 1;
		return !cs->page;
	}
	t->kind = STEP_LINK;
	t->slot = op->slot;
	t->yes = page_cache_link(&x->mm, op->slot, cs->page);
	if (!t->yes)
		x->variant->put_page(&x->mm, cs->page);
	return true;
}

/* free h: __free_pages as the variant has it, one of its steps per call. */
static bool step_free(struct exec *x, struct cpu_state *cs, const struct op *op,
		      struct trace_step *t)
{
	struct handle *h = &cs->handles[op->handle];
	bool done = false;

	if (cs->phase++ == 0) {
		cs->call = (struct free_pages_call){
			.page = h->page, .order = (unsigned)h->order,
			.page_gen = __atomic_load_n(&h->page->free_gen, __ATOMIC_RELAXED) };
		h->allocs--;
	}
	t->kind = (uint8_t)x->variant->free_pages(&x->mm, &cs->call, &done);
	if (t->kind >= STEP_NKINDS)
		broken_variant(x, "free_pages", cs->call.pc);
	if (t->kind == STEP_HEAD || t->kind == STEP_TAILS)
		t->yes = cs->call.head;
	return done;
}

/* One step of the op in progress; true when the op is over. */
static bool step_op(struct exec *x, int cpu, struct trace_step *t)
{
	struct cpu_state *cs = &x->cpu[cpu];
	const struct op *op = &x->prog->ops[cpu][cs->pc];
	struct handle *h = &cs->handles[op->handle];
	struct mm *mm = &x->mm;

	t->page = (int16_t)pfn_of(x, cs->page);
	switch (op->kind) {
	case OP_LOOKUP:
	case OP_GET:
		return step_lookup(x, cs, op, t);
	case OP_REMOVE:
		return step_remove(x, cs, op, t);
	case OP_ADD:
		return step_add(x, cs, op, t);
	case OP_ALLOC:
		t->kind = STEP_ALLOC;
		*h = (struct handle){ .page = alloc_pages(mm, op->order, op->comp), .order = op->order,
				      .allocs = 1 };
		return true;
	case OP_REF:
	case OP_PUT:
		/* A caller's own reference keeps the count above zero; zero
		 * means the page was freed under the caller. */
		t->kind = op->kind == OP_REF ? STEP_REF : STEP_PUT;
		t->page = (int16_t)pfn_of(x, h->page);
		if (page_ref_count(mm, h->page) == 0)
			mm_bug(mm, MM_BUG_USE_AFTER_FREE, h->page);
		else if (op->kind == OP_REF)
			get_page(mm, h->page);
		else
			x->variant->put_page(mm, h->page);
		h->refs += op->kind == OP_REF ? 1 : -1;
		return true;
	default:
		t->page = (int16_t)pfn_of(x, h->page);
		return step_free(x, cs, op, t);
	}
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* Everything the rest of an execution depends on: pages, free lists,
 * slots, the first bug, and each cpu's op, step and handles.  Two prefixes
 * that end in the same state have the same futures. */
static uint64_t hash_state(struct exec *x)
{
	struct mm *mm = &x->mm;
	uint64_t h = (uint64_t)mm->bug;

	for (unsigned int i = 0; i < mm->npages; i++) {
		const struct page *p = &mm->pages[i];

		h = mix(h, __atomic_load_n(&p->flags, __ATOMIC_RELAXED) << 40 |
			       (uint64_t)(uint32_t)page_ref_count(mm, p) << 8 |
			       __atomic_load_n(&p->order, __ATOMIC_RELAXED));
	}
	for (unsigned int o = 0; o <= mm->max_order; o++)
		for (unsigned int w = 0; w * 64 < mm->npages >> o; w++)
			h = mix(h, mm->zone.free_area[o].map[w]);
	for (unsigned int s = 0; s < mm->nslots; s++)
		h = mix(h, (uint64_t)pfn_of(x, page_cache_load(mm, s)));
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		const struct cpu_state *cs = &x->cpu[c];

		if (!(x->prog->cpus >> c & 1))
			continue;
		h = mix(h, (uint64_t)cs->pc << 32 | (uint64_t)cs->phase << 16 | (uint16_t)cs->lookup.pc);
		h = mix(h, cs->lookup.scratch ^ cs->call.scratch << 1 ^ cs->call.page_gen);
		h = mix(h, (uint64_t)(uint32_t)pfn_of(x, cs->page) << 32 |
			       (uint32_t)pfn_of(x, cs->call.page));
		h = mix(h, (uint64_t)cs->call.order << 16 | (uint64_t)cs->call.pc << 8 | cs->call.head);
		for (int i = 0; i < PR_HANDLES; i++) {
			const struct handle *hd = &cs->handles[i];

			if (hd->page)
				h = mix(h, (uint64_t)i << 56 | (uint64_t)pfn_of(x, hd->page) << 32 |
					       (uint64_t)(uint8_t)hd->order << 24 |
					       (uint64_t)(uint8_t)hd->allocs << 16 | (uint16_t)hd->refs);
		}
	}
	return h;
}

bool exec_take_step(struct exec *x, int cpu)
{
	/* Relaxed: the steps of an execution are ordered by the scheduler (or,
	 * under stress, not at all), never by the trace. */
	int n = __atomic_fetch_add(&x->nsteps, 1, __ATOMIC_RELAXED);
	struct trace_step *t = &x->trace[n < EXEC_MAX_STEPS ? n : EXEC_MAX_STEPS - 1];
	struct mm_trace mt;

	memset(t, 0, sizeof(*t));
	t->cpu = (uint8_t)cpu;
	t->op = (uint8_t)x->cpu[cpu].pc;
	t->slot = -1;
	mm_trace_clear(&x->mm);
	if (step_op(x, cpu, t))
		next_op(x, cpu);
	mm_trace_get(&x->mm, &mt);
	if (mt.alloc_pfn >= 0)
		t->page = (int16_t)mt.alloc_pfn;
	if (t->kind == STEP_LOAD && mt.slot >= 0) {
		t->slot = (int16_t)mt.slot;
		t->page = (int16_t)mt.slot_pfn;
	} else if (t->kind == STEP_RECHECK && mt.slot >= 0) {
		t->slot = (int16_t)mt.slot;
		t->yes = mt.slot_pfn == t->page;
	} else if (t->kind == STEP_GET) {
		t->yes = mt.ref_new > mt.ref_old;
	}
	t->ref_pfn = (int16_t)mt.ref_pfn;
	t->ref_old = (int16_t)mt.ref_old;
	t->ref_new = (int16_t)mt.ref_new;
	t->free_lo = (int16_t)mt.free_lo;
	t->free_hi = (int16_t)mt.free_hi;
	if (x->state_hash && n < EXEC_MAX_STEPS)
		x->state_hash[n + 1] = hash_state(x);
	return x->cpu[cpu].pc < x->prog->nops[cpu];
}

static enum sched_status exec_step(void *ctx, int cpu)
{
	struct exec *x = ctx;
	bool more = exec_take_step(x, cpu);

	if (!check_step(&x->mm, &x->verdict, __atomic_load_n(&x->nsteps, __ATOMIC_RELAXED)))
		return SCHED_STOP;
	return more ? SCHED_MORE : SCHED_DONE;
}

/* The end of the program: drop what it still holds the correct way (the
 * cache's pages, each handle's references and allocations), so that any
 * page not free afterwards was lost by the run itself. */
static void release_all(struct exec *x)
{
	struct mm *mm = &x->mm;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		for (int i = 0; i < PR_HANDLES; i++) {
			struct handle *h = &x->cpu[c].handles[i];

			/* Each put or free gave back one reference, whichever
			 * call the caller meant it for. */
			int owed = h->page ? h->allocs + h->refs : 0;

			for (; owed > (h->allocs > 0); owed--)
				put_page(mm, h->page);
			if (owed > 0)
				free_pages_correctly(mm, h->page, (unsigned)h->order);
		}
	}
	for (unsigned int s = 0; s < mm->nslots; s++) {
		struct page *page = page_cache_unlink(mm, s);

		if (page)
			put_page(mm, page);
	}
}

uint8_t exec_prepare(struct exec *x, const struct program *prog, const struct variant *variant)
{
	uint8_t cpus = 0;
	struct mm *mm = &x->mm;

	x->prog = prog;
	x->variant = variant;
	if (mm->npages != prog->npages || mm->nslots != prog->nslots) {
		pthread_mutex_destroy(&mm->zone.lock);
		mm_init(mm, prog->npages, prog->nslots, variant->racy_refcount);
	} else {
		mm->racy_refcount = variant->racy_refcount;
		mm_reset(mm);
	}
	for (unsigned int s = 0; s < MM_MAX_SLOTS; s++) {
		struct page *page = NULL;

		if (prog->cache >> s & 1 && (page = alloc_pages(mm, 0, false)))
			page_cache_link(mm, s, page);
		x->cache_pfn[s] = pfn_of(x, page);
	}
	memset(x->cpu, 0, sizeof(x->cpu));
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		x->cpu[c].pc = -1;
		next_op(x, c);
	}
	x->nsteps = 0;
	verdict_ok(&x->verdict);
	for (int c = 0; c < PR_MAX_CPUS; c++)
		if (x->cpu[c].pc < prog->nops[c])
			cpus |= (uint8_t)(1u << c);
	if (x->state_hash)
		x->state_hash[0] = hash_state(x);
	return cpus;
}

void exec_finish(struct exec *x, bool bounded)
{
	if (x->nsteps > EXEC_MAX_STEPS) /* free-running cpus overran the trace */
		x->nsteps = EXEC_MAX_STEPS;
	if (x->verdict.kind != VERDICT_OK || !check_step(&x->mm, &x->verdict, x->nsteps))
		return;
	if (bounded) {
		check_stuck(&x->verdict, x->nsteps);
		return;
	}
	release_all(x);
	if (check_step(&x->mm, &x->verdict, 0))
		check_end(&x->mm, &x->verdict);
}

void exec_run(struct exec *x, const struct program *prog, const struct variant *variant)
{
	exec_run_logged(x, prog, variant, false, NULL);
}

void exec_run_logged(struct exec *x, const struct program *prog, const struct variant *variant,
		     bool tail_continues, uint8_t *alive_log)
{
	struct sched_plan plan = {
		.schedule = prog->schedule,
		.nschedule = prog->nschedule,
		.max_steps = EXEC_MAX_STEPS,
		.step = exec_step,
		.ctx = x,
		.tail_continues = tail_continues,
		.alive_log = alive_log,
	};

	plan.cpus = exec_prepare(x, prog, variant);
	sched_run(&plan, &x->sched);
	exec_finish(x, x->sched.bounded);
}
