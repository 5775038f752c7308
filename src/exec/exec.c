/* exec.c: the executor: the setup before the cpus start, each cpu's run on
 * its thread, the steps as the scheduling points cut them, and the end's
 * holds handed to the lost-pages oracle (check/lost_pages.c).
 * Entry points: exec_new, exec_run, pr_point.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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

static void open_step(struct cpu_state *cs, const struct pr_site *site, int kind)
{
	struct exec *x = cs->x;
	int n = __atomic_fetch_add(&x->nsteps, 1, __ATOMIC_RELAXED);
	struct trace_step *t = &x->trace[n < EXEC_MAX_STEPS ? n : EXEC_MAX_STEPS - 1];

	*t = (struct trace_step){ .site = site, .cpu = (uint8_t)cs->cpu, .kind = (uint8_t)kind,
				  .op = (uint8_t)cs->pc, .page = -1, .slot = -1, .ref_pfn = -1,
				  .free_lo = -1, .free_hi = -1, .waited = -1 };
	cs->step = t;
}

/* What explore's state hash reads of cs (struct observed), from its own
 * thread, before it lets go at a point. */
static void publish_observed(struct cpu_state *cs)
{
	struct mm *mm = &cs->x->mm;
	uint64_t h = (uint64_t)cs->pc << 32 ^ cs->seen;

	for (int i = 0; i < PR_HANDLES; i++) {
		const struct handle *hd = &cs->handles[i];

		if (hd->page)
			h = hash_mix(h, (uint64_t)i << 56 | (uint64_t)pfn_of(mm, hd->page) << 32 |
					    (uint64_t)(uint8_t)hd->order << 24 |
					    (uint64_t)contract_owes_free(&hd->owed) << 16 | (uint16_t)hd->owed.refs);
	}
	__atomic_store_n(&cs->observed.local, h, __ATOMIC_RELAXED);
	__atomic_store_n(&cs->observed.op_clock, cs->op_clock, __ATOMIC_RELAXED);
	__atomic_store_n(&cs->observed.slot_clock, cs->slot_clock, __ATOMIC_RELAXED);
}

/* The step of cs is over: check it, and let the scheduler say who goes on.
 * False when cs must leave its program. */
static bool close_step(struct cpu_state *cs, enum sched_status st)
{
	struct exec *x = cs->x;
	int n = __atomic_load_n(&x->nsteps, __ATOMIC_RELAXED);
	const struct trace_step *t = cs->step;
	bool took = t != NULL;
	int pfn;

	/* Free-running, the other cpus are mid-step: the model is checked at
	 * the end only, and a bug any cpu met ends every cpu. */
	if (x->free_running ? mm_first_bug(&x->mm, &pfn) != MM_BUG_NONE
			    : took && !check_step(&x->mm, &x->verdict, n, t->free_lo >= 0 || t->kind == STEP_ALLOC))
		st = SCHED_STOP;
	if (st == SCHED_MORE && cs->spins)
		st = SCHED_SPIN;
	cs->spins = false;
	cs->step = NULL;
	if (x->observing)
		publish_observed(cs);
	return sched_step_end(cs->cpu, st, took);
}

void pr_point(const struct pr_site *site, const void *addr)
{
	exec_point(site, site->kind, addr);
}

static void take_point(struct cpu_state *cs, const struct pr_site *site, int kind)
{
	if (cs->step && !close_step(cs, SCHED_MORE))
		longjmp(escape, 1);
	open_step(cs, site, kind);
}

void exec_point(const struct pr_site *site, int kind, const void *addr)
{
	struct cpu_state *cs = pr_self;

	if (cs && is_shared(&cs->x->mm, addr))
		take_point(cs, site, kind);
}

/* What it waits for is published before the cpu lets go (close_step):
 * the scheduler asks exec_blocked at the step's end. */
void exec_lock_point(const struct pr_site *site, int kind, spinlock_t *lock)
{
	struct cpu_state *cs = pr_self;

	__atomic_store_n(&cs->wait_site, site, __ATOMIC_RELAXED);
	__atomic_store_n(&cs->waits_for, lock, __ATOMIC_RELAXED);
	take_point(cs, site, kind);
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

	if (!cs || !cs->x->observing) /* only explore's state hash reads it */
		return;
	memcpy(&v, value, len < sizeof(v) ? len : sizeof(v));
	cs->seen = hash_mix(cs->seen, v);
}

static void run_cpu(void *ctx, int cpu)
{
	struct exec *x = ctx;
	struct cpu_state *cs = &x->cpu[cpu];

	pr_self = cs;
	if (!setjmp(escape)) {
		ops_run(cs);
		__atomic_store_n(&cs->done, true, __ATOMIC_RELAXED);
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
		 op_name(op->kind), __atomic_load_n(&x->nsteps, __ATOMIC_RELAXED));
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

/* The setup: the model reset, the cache filled, the cpus' states; returns
 * the cpus that have steps. */
static uint8_t prepare(struct exec *x, const struct program *prog, const struct variant *variant)
{
	uint8_t cpus = 0;
	struct mm *mm = &x->mm;

	x->prog = prog;
	x->variant = variant;
	if (mm->npages != prog->npages || mm->nslots != prog->nslots)
		mm_resize(mm, prog->npages, prog->nslots);
	else
		mm_reset(mm);
	pr_mm = mm;
	for (int i = 0; i < x->nlocks; i++)
		__atomic_store_n(&x->locks[i]->owner, 0, __ATOMIC_RELAXED);
	x->nlocks = 0;
	for (unsigned int s = 0; s < MM_MAX_SLOTS; s++) {
		struct page *page = NULL;

		if (prog->cache >> s & 1 && (page = buddy_alloc(mm, 0, false))) {
			__atomic_store_n(&page->index, s, __ATOMIC_RELAXED);
			__atomic_store_n(&mm->mapping.i_pages.xa_slot[s], page, __ATOMIC_RELAXED);
		}
		x->cache_pfn[s] = pfn_of(mm, page);
	}
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		struct cpu_state *cs = &x->cpu[c];

		memset(cs, 0, offsetof(struct cpu_state, owned));
		cs->x = x;
		cs->cpu = c;
		cs->last_load = -1;
		cs->waited_for = -1;
		if (x->refs)
			memset(cs->held, 0, prog->npages);
		for (int i = 0; i < prog->nops[c] && !(cpus >> c & 1); i++)
			if (!op_is_skipped(&x->cpu[c], &prog->ops[c][i]))
				cpus |= (uint8_t)(1u << c);
	}
	x->nsteps = 0;
	verdict_ok(&x->verdict);
	return cpus;
}

/* The end: checked, stuck when the step bound cut it, deadlock when
 * every cpu left was blocked (told of the lowest). */
static void finish(struct exec *x, const struct sched_result *r)
{
	if (x->nsteps > EXEC_MAX_STEPS) /* free-running cpus overran the trace */
		x->nsteps = EXEC_MAX_STEPS;
	if (x->verdict.kind != VERDICT_OK || !check_step(&x->mm, &x->verdict, x->nsteps, false))
		return;
	if (r->bounded) {
		check_stuck(&x->verdict, x->nsteps);
		return;
	}
	if (r->deadlock) {
		int c = 0;

		while (c + 1 < PR_MAX_CPUS && (x->cpu[c].done || !x->cpu[c].waits_for || !(x->prog->cpus >> c & 1)))
			c++;
		exec_deadlock_words(x, c, x->verdict.detail, sizeof(x->verdict.detail));
		x->verdict.kind = VERDICT_DEADLOCK;
		return;
	}
	release_handles(x);
	lost_pages_check(&x->mm, &x->verdict);
}

void exec_run(struct exec *x, const struct program *prog, const struct variant *variant)
{
	struct replay_strategy replay;

	replay_init(&replay, prog->schedule, prog->nschedule);
	exec_run_strategy(x, prog, variant, &replay.s);
}

void exec_run_strategy(struct exec *x, const struct program *prog, const struct variant *variant,
		       struct sched_strategy *strategy)
{
	struct sched_plan plan = {
		.strategy = strategy,
		.max_steps = EXEC_MAX_STEPS,
		.run = run_cpu,
		.blocked = exec_blocked,
		.hang = hang,
		.ctx = x,
	};

	x->free_running = strategy->free_running;
	plan.cpus = prepare(x, prog, variant);
	sched_run(&plan, &x->sched);
	finish(x, &x->sched);
}
