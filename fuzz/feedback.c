/* feedback.c: features of an execution's interleaving as coverage edges.
 * Entry point: feedback_record.  Reads an execution after it ended.
 *
 * Features, read from the trace once the execution is over (on the caller's
 * thread, so they race with nothing):
 *   - which step kinds met across a switch of cpus (15 x 15),
 *   - each step kind with the refcount change it made, bucketed 0,1,2,3+,
 *     and whether its page had been freed earlier in the execution, that
 *     is, reused (15 x 4 x 4 x 2),
 *   - each step kind with its outcome (a get that failed, a recheck that
 *     saw the slot changed, a PageHead read, a lock taken) and that reuse
 *     (15 x 2 x 2),
 *   - the number of preemptions, 0..7+.
 * Each feature is a distinct basic block of feature_edge(): the edge
 * coverage of every engine counts it (libFuzzer's 8-bit counters, AFL++'s
 * map) with no engine-specific hook; AFL++'s driver reads no libFuzzer
 * extra counters, so those would blind it.
 */
#include <string.h>

#include "feedback.h"

#define SWITCH_BASE 0
#define REF_BASE (SWITCH_BASE + STEP_NKINDS * STEP_NKINDS)
#define OUTCOME_BASE (REF_BASE + STEP_NKINDS * 32)
#define PREEMPT_BASE (OUTCOME_BASE + STEP_NKINDS * 4)
#define NR_FEATURES (PREEMPT_BASE + 8)

/* One block per feature, reached by a computed goto: edge coverage counts
 * each block, and no switch is left for -fsanitize=fuzzer's trace-cmp to
 * log (a 768-case switch cost a quarter of all the target's time in
 * __sanitizer_cov_trace_switch).  The asm with its own immediate keeps the
 * compiler from merging the blocks.  Labels are named by three hex digits. */
#define L(n) l##n: __asm__ volatile("" : : "i"(0x##n)); return;
#define L16(p) L(p##0) L(p##1) L(p##2) L(p##3) L(p##4) L(p##5) L(p##6) L(p##7) \
	L(p##8) L(p##9) L(p##a) L(p##b) L(p##c) L(p##d) L(p##e) L(p##f)
#define L256(p) L16(p##0) L16(p##1) L16(p##2) L16(p##3) L16(p##4) L16(p##5) L16(p##6) \
	L16(p##7) L16(p##8) L16(p##9) L16(p##a) L16(p##b) L16(p##c) L16(p##d) L16(p##e) L16(p##f)
#define A(n) &&l##n,
#define A16(p) A(p##0) A(p##1) A(p##2) A(p##3) A(p##4) A(p##5) A(p##6) A(p##7) \
	A(p##8) A(p##9) A(p##a) A(p##b) A(p##c) A(p##d) A(p##e) A(p##f)
#define A256(p) A16(p##0) A16(p##1) A16(p##2) A16(p##3) A16(p##4) A16(p##5) A16(p##6) \
	A16(p##7) A16(p##8) A16(p##9) A16(p##a) A16(p##b) A16(p##c) A16(p##d) A16(p##e) A16(p##f)

__attribute__((noinline)) static void feature_edge(unsigned int id)
{
	static void *const block[] = { A256(0) A256(1) A256(2) A256(3) };

	_Static_assert(NR_FEATURES <= 1024, "feature_edge has 1024 blocks");
	if (id >= sizeof(block) / sizeof(*block))
		return;
	goto *block[id];
	L256(0)
	L256(1)
	L256(2)
	L256(3)
}

static unsigned int bucket(int refcount)
{
	return refcount < 0 ? 0 : refcount > 3 ? 3 : (unsigned int)refcount;
}

void feedback_record(const struct exec *x)
{
	bool freed[MM_MAX_PAGES];
	int nsteps = x->nsteps;

	memset(freed, 0, x->mm.npages * sizeof(bool));
	for (int i = 0; i < nsteps; i++) {
		const struct trace_step *t = &x->trace[i];
		bool reused = t->page >= 0 && freed[t->page];

		if (i && t->cpu != x->trace[i - 1].cpu)
			feature_edge(SWITCH_BASE + x->trace[i - 1].kind * STEP_NKINDS + t->kind);
		feature_edge(OUTCOME_BASE + t->kind * 4 + t->yes * 2 + reused);
		if (t->ref_pfn >= 0)
			feature_edge(REF_BASE + t->kind * 32 + bucket(t->ref_old) * 8 +
				     bucket(t->ref_new) * 2 + reused);
		for (int p = t->free_lo; p >= 0 && p <= t->free_hi; p++)
			freed[p] = true;
	}
	feature_edge(PREEMPT_BASE + (x->sched.preemptions > 7 ? 7 : x->sched.preemptions));
}
