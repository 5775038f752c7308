/* exec.h: the executor: runs a program on the model, each cpu its ops as
 * plain C on its own scheduler thread, and records the trace, step by step,
 * as the shim's primitives take their scheduling points.
 * Entry points: exec_new, exec_run.
 *
 * An execution owns nothing per run: the model, the cpus' states and the
 * trace live in struct exec and are reset in place, so one struct serves
 * any number of executions (the fuzz targets run tens of thousands a second).
 */
#ifndef PAGERACE_EXEC_H
#define PAGERACE_EXEC_H

#include "check/check.h"
#include "exec/filemap.h"
#include "lang/contract.h"
#include "model/mm.h"
#include "lang/program.h"
#include "exec/scheduler.h"

#define EXEC_MAX_STEPS 4096 /* the step bound: more is "stuck" */

/* A handle of a cpu: the page it names and, in the contract's ledger, the
 * references it still holds (ops.c counts each op that ran). */
struct handle {
	struct page *page;           /* NULL: holds nothing, ops on it are skipped */
	int order;                   /* the order __free_pages uses: alloc's, else 0 */
	struct contract_handle owed; /* what the program still owes it */
};

/* One step as the trace shows it: the primitive that took its point, where
 * the kernel code called it, and what it did. */
struct trace_step {
	const struct pr_site *site;
	uint8_t cpu, kind, op;    /* cpu, enum step_kind, index of the op */
	bool yes;                 /* get: succeeded (else ref_old: what it saw); recheck: same page;
				   * flag test: set; link: linked */
	int16_t page;             /* the page stepped on (first of an allocation), -1 none */
	int16_t slot;             /* the slot read or written, -1 none */
	int16_t ref_pfn;          /* the refcount changed, -1 none */
	int16_t ref_old, ref_new;
	int16_t free_lo, free_hi; /* pages freed, free_lo -1 none */
	uint8_t order;            /* alloc: the order asked */
};

/* A cpu of the execution, as its thread sees it (pr_self). */
struct cpu_state {
	struct exec *x;
	int cpu;
	int pc;                  /* the op in progress */
	struct trace_step *step; /* the open step, NULL before the first point */
	bool claims_ref;         /* ref and put: the op holds a reference */
	bool in_put_page;        /* inside the variant's put_page */
	int last_load;           /* the page its last xas_load saw, for the recheck */
	unsigned long op_clock;  /* pr_mm->clock when the op began */
	unsigned long slot_clock; /* pr_mm->clock at its last read of a slot */
	uint64_t seen;           /* hash of what the cpu observed since its op began */
	uint64_t chaos_rng;      /* stress --chaos */
	struct handle handles[PR_HANDLES];
};

extern __thread struct cpu_state *pr_self;

struct exec {
	const struct program *prog;
	const struct variant *variant;
	struct cpu_state cpu[PR_MAX_CPUS];
	int cache_pfn[MM_MAX_SLOTS]; /* what the setup put in each slot */
	int nsteps;                  /* relaxed atomic */
	bool free_running;           /* stress: no scheduler, every cpu at once */
	bool chaos;                  /* stress --chaos: random yields at the points */
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
 * prepare returns the cpus that have steps; exec_run_cpu runs cpu's ops
 * on the calling thread, each point a step (any cpus may run at once);
 * finish checks the end, or stuck. */
uint8_t exec_prepare(struct exec *x, const struct program *prog, const struct variant *variant);
void exec_run_cpu(struct exec *x, int cpu);
void exec_finish(struct exec *x, bool bounded);

/* pr_point with the step's kind given apart from its site (the plain
 * atomic_* ops are named by their access: an increment a ref, ...). */
void exec_point(const struct pr_site *site, int kind, const void *addr);

/* The calling cpu's execution ends here, with the verdict the model
 * holds (BUG_ON): its step is closed and it leaves its program. */
void exec_stop_cpu(void) __attribute__((noreturn));

/* A cpu ran a second without reaching a point: its kernel code spins on
 * local state, a bug of the variant file.  Says so, naming the cpu, the op
 * and the step; exit status 2 (abort() in a fuzz target). */
void exec_report_hang(struct exec *x, int cpu) __attribute__((noreturn));

/* A fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL) on a cpu's thread is kernel
 * code's: named by cpu, op and step, exit status 2.  Elsewhere it is
 * pagerace's own: re-raised. */
void exec_report_fault(int sig);

/* ops.c: the ops of cpu, from its first to its last, as kernel calls. */
void ops_run(struct cpu_state *cs);
/* Does the op take no step (a handle that holds nothing)? */
bool op_is_skipped(const struct cpu_state *cs, const struct op *op);

/* The step in progress of the calling cpu, NULL outside one. */
static inline struct trace_step *current_step(void)
{
	return pr_self ? pr_self->step : NULL;
}

#endif
