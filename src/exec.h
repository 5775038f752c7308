/* exec.h: the executor: runs a program on the model, one step per call from
 * the scheduler, records the trace, and asks the checker after each step.
 * Entry points: exec_new, exec_run.
 *
 * An execution owns nothing per run: the model, the cpus' states and the
 * trace live in struct exec and are reset in place, so one struct serves
 * any number of executions (the fuzz targets run tens of thousands a second).
 */
#ifndef PAGERACE_EXEC_H
#define PAGERACE_EXEC_H

#include "check.h"
#include "mm.h"
#include "program.h"
#include "scheduler.h"

#define EXEC_MAX_STEPS 4096 /* the step bound: more is "stuck" */

/* A handle of a cpu: the page it names and what the program still owes it. */
struct handle {
	struct page *page; /* NULL: holds nothing, ops on it are skipped */
	int order;         /* the order __free_pages uses: alloc's, else 0 */
	int allocs;        /* allocations not yet given back by free */
	int refs;          /* references not yet dropped by put */
};

struct cpu_state {
	int pc;            /* the op in progress; nops when finished */
	int phase;         /* the op's next step */
	struct page *page; /* the page the op holds in hand */
	struct lookup_call lookup;
	struct free_pages_call call;
	struct handle handles[PR_HANDLES];
};

/* One step as the trace shows it. */
struct trace_step {
	uint8_t cpu, kind, op; /* cpu, enum step_kind, index of the op */
	bool yes;              /* get: succeeded; recheck: same page; link: linked; head: PageHead */
	int16_t page;          /* the page stepped on, -1 none */
	int16_t slot;          /* the slot read or written, -1 none */
	int16_t ref_pfn;       /* the refcount change of the step, ref_pfn -1 none */
	int16_t ref_old, ref_new;
	int16_t free_lo, free_hi; /* pages freed, free_lo -1 none */
};

struct exec {
	const struct program *prog;
	const struct variant *variant;
	struct cpu_state cpu[PR_MAX_CPUS];
	int cache_pfn[MM_MAX_SLOTS]; /* what the setup put in each slot */
	int nsteps;                  /* relaxed atomic: any cpu appends */
	struct sched_result sched;
	struct verdict verdict;
	/* If set (by explore): the hash of the whole state, model and cpus,
	 * after setup ([0]) and after each step ([i + 1]).  It reads every
	 * cpu's state from the stepping thread: not for TSan builds. */
	uint64_t *state_hash;
	struct trace_step trace[EXEC_MAX_STEPS];
	struct mm mm;
};

struct exec *exec_new(void);
void exec_free(struct exec *x);

/* Run prog under variant on the scheduler; the verdict is in x->verdict. */
void exec_run(struct exec *x, const struct program *prog, const struct variant *variant);

/* exec_run for explore: past the schedule the current cpu goes on (no
 * preemption), and alive_log, if set, gets the cpus with steps before
 * each step. */
void exec_run_logged(struct exec *x, const struct program *prog, const struct variant *variant,
		     bool tail_continues, uint8_t *alive_log);

/* The parts of exec_run, for runners without the scheduler (stress):
 * prepare returns the cpus that have steps; take_step takes cpu's next step
 * and says whether it has more (any cpus may call it at once, each for its
 * own cpu); finish checks the end after the last step, or stuck. */
uint8_t exec_prepare(struct exec *x, const struct program *prog, const struct variant *variant);
bool exec_take_step(struct exec *x, int cpu);
void exec_finish(struct exec *x, bool bounded);

#endif
