/* feedback.c: features of an execution's interleaving as coverage edges.
 * Entry point: feedback_record.  Reads an execution after it ended.
 *
 * Features, read from the trace once the execution is over (on the caller's
 * thread, so they race with nothing):
 *   - which step kinds met across a switch of cpus (11 x 11),
 *   - each step kind with the refcount change it made, bucketed 0,1,2,3+,
 *     and whether its page had been freed earlier in the execution, that
 *     is, reused (11 x 4 x 4 x 2),
 *   - each step kind with its outcome (a get that failed, a recheck that
 *     saw the slot changed, a PageHead read) and that reuse (11 x 2 x 2),
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

/* One case per feature; the asm with its own immediate keeps the compiler
 * from merging the blocks or folding the switch into a table. */
#define E(n) case n: __asm__ volatile("" : : "i"(n)); break;
#define E4(n) E(n) E(n + 1) E(n + 2) E(n + 3)
#define E16(n) E4(n) E4(n + 4) E4(n + 8) E4(n + 12)
#define E64(n) E16(n) E16(n + 16) E16(n + 32) E16(n + 48)
#define E256(n) E64(n) E64(n + 64) E64(n + 128) E64(n + 192)

__attribute__((noinline)) static void feature_edge(unsigned int id)
{
	_Static_assert(NR_FEATURES <= 768, "feature_edge has 768 cases");
	switch (id) {
		E256(0)
		E256(256)
		E256(512)
	}
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
