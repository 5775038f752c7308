/* exec.c: the executor: the setup before the cpus start, each cpu's run on
 * its thread, the steps as the scheduling points cut them, and the end's
 * holds handed to the lost-pages oracle (check/lost_pages.c).
 * Entry points: exec_new, exec_run, pr_point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "check/lost_pages.h"
#include "exec/exec.h"

__thread struct cpu_state *pr_self;
/* Out of a cpu's program when its execution ended without it: on the
 * thread, not in struct exec, which may be gone by then. */
static __thread jmp_buf escape;

struct exec *exec_new(void)
{
	struct exec *x = calloc(1, sizeof(*x));

	if (!x)
		abort();
	mm_init(&x->mm, 16, 4);
	return x;
}

void exec_free(struct exec *x)
{
	pthread_mutex_destroy(&x->mm.zone.lock);
	free(x);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* Everything the rest of an execution depends on: pages, free lists,
 * slots, the first bug, and each cpu's op, what it observed since the op
 * began (its stack is a function of that), its handles, and which pages
 * were freed under its op and since its last read of a slot.  Two
 * prefixes that end in the same state have the same futures. */
static uint64_t hash_state(struct exec *x)
{
	struct mm *mm = &x->mm;
	uint64_t h = (uint64_t)mm->bug;

	for (unsigned int i = 0; i < mm->npages; i++) {
		const struct page *p = &mm->pages[i];

		h = mix(h, __atomic_load_n(&p->flags, __ATOMIC_RELAXED) << 40 ^
			       (uint64_t)(uint32_t)page_count_raw(p) << 8 ^
			       __atomic_load_n(&p->order, __ATOMIC_RELAXED) ^
			       __atomic_load_n(&p->compound_head, __ATOMIC_RELAXED) << 20);
	}
	for (unsigned int o = 0; o <= mm->max_order; o++)
		for (unsigned int w = 0; w * 64 < mm->npages >> o; w++)
			h = mix(h, mm->zone.free_area[o].map[w]);
	for (unsigned int s = 0; s < mm->nslots; s++)
		h = mix(h, (uint64_t)pfn_of(mm, page_cache_peek(mm, s)));
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		const struct cpu_state *cs = &x->cpu[c];

		if (!(x->prog->cpus >> c & 1))
			continue;
		h = mix(h, (uint64_t)cs->pc << 32 ^ (uint64_t)(cs->step != NULL) << 31 ^ cs->seen);
		for (unsigned int i = 0; i < mm->npages; i++) {
			unsigned long freed = __atomic_load_n(&mm->pages[i].freed_at, __ATOMIC_RELAXED);

			if (freed > cs->op_clock)
				h = mix(h, (uint64_t)c << 32 | (uint64_t)(freed > cs->slot_clock) << 16 | i);
		}
		for (int i = 0; i < PR_HANDLES; i++) {
			const struct handle *hd = &cs->handles[i];

			if (hd->page)
				h = mix(h, (uint64_t)i << 56 | (uint64_t)pfn_of(mm, hd->page) << 32 |
					       (uint64_t)(uint8_t)hd->order << 24 |
					       (uint64_t)contract_owes_free(&hd->owed) << 16 | (uint16_t)hd->owed.refs);
		}
	}
	return h;
}

static void open_step(struct cpu_state *cs, const struct pr_site *site, int kind)
{
	struct exec *x = cs->x;
	int n = __atomic_fetch_add(&x->nsteps, 1, __ATOMIC_RELAXED);
	struct trace_step *t = &x->trace[n < EXEC_MAX_STEPS ? n : EXEC_MAX_STEPS - 1];

	*t = (struct trace_step){ .site = site, .cpu = (uint8_t)cs->cpu, .kind = (uint8_t)kind,
				  .op = (uint8_t)cs->pc, .page = -1, .slot = -1, .ref_pfn = -1,
				  .free_lo = -1, .free_hi = -1 };
	cs->step = t;
}

/* rr's chaos mode in small, for stress: now and then give up the CPU or
 * spin a little at a point, so that the other threads get to run in
 * between. */
static void chaos_point(struct cpu_state *cs)
{
	uint64_t r = cs->chaos_rng;

	r ^= r << 13;
	r ^= r >> 7;
	r ^= r << 17;
	cs->chaos_rng = r;
	if (r % 8 == 0) {
		sched_yield();
	} else if (r % 8 == 1) {
		for (volatile unsigned int spin = (unsigned int)(r >> 32) % 2000; spin; spin--)
			;
	}
}

/* The step of cs is over: check it, and let the scheduler say who goes on.
 * False when cs must leave its program. */
static bool close_step(struct cpu_state *cs, enum sched_status st)
{
	struct exec *x = cs->x;
	int n = __atomic_load_n(&x->nsteps, __ATOMIC_RELAXED);
	const struct trace_step *t = cs->step;
	bool took = t != NULL;

	if (took && !x->free_running &&
	    !check_step(&x->mm, &x->verdict, n, t->free_lo >= 0 || t->kind == STEP_ALLOC))
		st = SCHED_STOP;
	if (took && x->state_hash && n <= EXEC_MAX_STEPS)
		x->state_hash[n] = hash_state(x);
	cs->step = NULL;
	if (x->free_running) { /* stress: no scheduler; a bug ends every cpu */
		if (x->chaos)
			chaos_point(cs);
		int pfn;

		return st == SCHED_MORE && n < EXEC_MAX_STEPS && mm_first_bug(&x->mm, &pfn) == MM_BUG_NONE;
	}
	return sched_step_end(cs->cpu, st, took);
}

void pr_point(const struct pr_site *site, const void *addr)
{
	exec_point(site, site->kind, addr);
}

void exec_point(const struct pr_site *site, int kind, const void *addr)
{
	struct cpu_state *cs = pr_self;

	if (!cs || !is_shared(&cs->x->mm, addr))
		return;
	if (cs->step && !close_step(cs, SCHED_MORE))
		longjmp(escape, 1);
	open_step(cs, site, kind);
}

void exec_stop_cpu(void)
{
	close_step(pr_self, SCHED_STOP);
	longjmp(escape, 1);
}

void pr_observe(const void *value, size_t len)
{
	struct cpu_state *cs = pr_self;
	uint64_t v = 0;

	if (!cs || !cs->x->state_hash) /* only explore's hash reads it */
		return;
	memcpy(&v, value, len < sizeof(v) ? len : sizeof(v));
	cs->seen = mix(cs->seen, v);
}

void exec_run_cpu(struct exec *x, int cpu)
{
	struct cpu_state *cs = &x->cpu[cpu];

	pr_self = cs;
	if (!setjmp(escape)) {
		ops_run(cs);
		close_step(cs, SCHED_DONE);
	}
	pr_self = NULL;
}

/* Where cpu is, for a report of its kernel code's misbehaviour: "variant
 * V: cpu C, op K (kind), step S".  snprintf only: also for the signal
 * handler. */
static void where(const struct cpu_state *cs, char *buf, size_t len)
{
	const struct exec *x = cs->x;
	const struct op *op = &x->prog->ops[cs->cpu][cs->pc < x->prog->nops[cs->cpu] ? cs->pc : 0];

	snprintf(buf, len, "variant %s: cpu %d, op %d (%s), step %d", x->variant->name, cs->cpu, cs->pc + 1,
		 op_names[op->kind], __atomic_load_n(&x->nsteps, __ATOMIC_RELAXED));
}

/* A cpu that holds the baton a second without a point: its kernel code
 * spins on local state.  A bug of the variant file, not a verdict. */
void exec_report_hang(struct exec *x, int cpu)
{
	const struct cpu_state *cs = &x->cpu[cpu];
	const struct trace_step *t = cs->step;
	char at[256];

	where(cs, at, sizeof(at));
	fprintf(stderr, "pagerace: %s: ran 1 s without reaching a scheduling point "
		"(a loop that touches no shared state?)", at);
	if (t)
		fprintf(stderr, "; its last point: %s:%d %s", t->site->file, t->site->line, t->site->fn);
	fputc('\n', stderr);
#ifdef PAGERACE_FUZZ
	abort();
#else
	_exit(2);
#endif
}

void exec_report_fault(int sig)
{
	const struct cpu_state *cs = pr_self;
	const struct trace_step *t;
	char at[256], msg[600];
	int n;

	if (!cs) {
		n = snprintf(msg, sizeof(msg), "pagerace: internal error: %s\n", strsignal(sig));
		(void)!write(2, msg, (size_t)n);
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	t = cs->step;
	where(cs, at, sizeof(at));
	n = snprintf(msg, sizeof(msg), "pagerace: %s: %s in kernel code%s%s:%d %s\n", at, strsignal(sig),
		     t ? " after its point at " : "", t ? t->site->file : "", t ? t->site->line : 0,
		     t ? t->site->fn : "");
	(void)!write(2, msg, (size_t)n);
	_exit(2);
}

static void run_cpu(void *ctx, int cpu)
{
	exec_run_cpu(ctx, cpu);
}

static void hang(void *ctx, int cpu)
{
	exec_report_hang(ctx, cpu);
}

/* The end of the program: what each handle still holds goes to the
 * lost-pages oracle (check/lost_pages.c), which gives it back the correct
 * way.  On the caller's thread, outside any cpu: no points. */
static void release_handles(struct exec *x)
{
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		for (int i = 0; i < PR_HANDLES; i++) {
			const struct handle *h = &x->cpu[c].handles[i];

			if (h->page)
				lost_pages_release(&x->mm, h->page, (unsigned int)h->order, &h->owed);
		}
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
		mm_init(mm, prog->npages, prog->nslots);
	} else {
		mm_reset(mm);
	}
	pr_mm = mm;
	for (unsigned int s = 0; s < MM_MAX_SLOTS; s++) {
		struct page *page = NULL;

		if (prog->cache >> s & 1 && (page = buddy_alloc(mm, 0, false)))
			__atomic_store_n(&mm->mapping.i_pages.xa_slot[s], page, __ATOMIC_RELAXED);
		x->cache_pfn[s] = pfn_of(mm, page);
	}
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		x->cpu[c] = (struct cpu_state){ .x = x, .cpu = c, .last_load = -1 };
		for (int i = 0; i < prog->nops[c] && !(cpus >> c & 1); i++)
			if (!op_is_skipped(&x->cpu[c], &prog->ops[c][i]))
				cpus |= (uint8_t)(1u << c);
	}
	x->nsteps = 0;
	verdict_ok(&x->verdict);
	if (x->state_hash)
		x->state_hash[0] = hash_state(x);
	return cpus;
}

void exec_finish(struct exec *x, bool bounded)
{
	if (x->nsteps > EXEC_MAX_STEPS) /* free-running cpus overran the trace */
		x->nsteps = EXEC_MAX_STEPS;
	if (x->verdict.kind != VERDICT_OK || !check_step(&x->mm, &x->verdict, x->nsteps, false))
		return;
	if (bounded) {
		check_stuck(&x->verdict, x->nsteps);
		return;
	}
	release_handles(x);
	lost_pages_check(&x->mm, &x->verdict);
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
		.run = run_cpu,
		.hang = hang,
		.ctx = x,
		.tail_continues = tail_continues,
		.alive_log = alive_log,
	};

	x->free_running = false;
	plan.cpus = exec_prepare(x, prog, variant);
	sched_run(&plan, &x->sched);
	exec_finish(x, x->sched.bounded);
}
