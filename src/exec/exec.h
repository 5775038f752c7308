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

#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "exec/filemap.h"
#include "lang/contract.h"
#include "model/mm.h"
#include "lang/program.h"
#include "sched/strategies.h"

#define EXEC_MAX_STEPS 4096 /* the step bound: more is "stuck" */
#define EXEC_MAX_LOCKS 32   /* distinct locks one execution may take */

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
	int8_t waited;            /* a step that waits for a lock (rule 7): the cpu holding it, -1 none */
	const char *lock;         /* that lock's name, NULL none */
};

/* A cpu of the execution, as its thread sees it (pr_self). */
struct cpu_state {
	struct exec *x;
	int cpu;
	int pc;                  /* the op in progress */
	struct trace_step *step; /* the open step, NULL before the first point */
	bool claims_ref;         /* ref and put: the op holds a reference */
	bool in_put_page;        /* inside the variant's put_page */
	bool spins;              /* its step's get failed on a frozen count (SCHED_SPIN) */
	int last_load;           /* the page its last xas_load saw, for the recheck */
	unsigned long op_clock;  /* pr_mm->clock when the op began */
	unsigned long slot_clock; /* pr_mm->clock at its last read of a slot */
	uint64_t seen;           /* hash of what the cpu observed since its op began (observing) */
	/* Rule 7 (hooks.h), relaxed atomics: the scheduler's blocked
	 * callback reads them on the stepping cpu's thread. */
	spinlock_t *waits_for;             /* the lock its point waits for, NULL none */
	const struct pr_site *wait_site;   /* that point */
	int waited_for;                    /* the cpu it was last blocked behind, -1 none */
	bool done;                         /* its program ended */
	struct handle handles[PR_HANDLES];
	/* explore's view of the cpu (x->observing): its op, what it saw and
	 * its handles as one hash, and its two clocks, published by the cpu
	 * at each of its points with relaxed stores.  Explore's state hash
	 * reads them on another cpu's thread, where plain reads of the
	 * fields above would race (the baton gives no happens-before). */
	struct observed { uint64_t local; unsigned long op_clock, slot_clock; } observed;
	/* --refs (the rule: primitives.c): the non-compound blocks of order
	 * > 0 it allocated (owned, below nowned), and the references it
	 * holds, per page.  Last: the setup zeroes the struct up to held,
	 * and held, most of it, for the arena's pages under --refs only, the
	 * only ones read. */
	int nowned;
	struct owned_block { int16_t pfn; uint8_t order; unsigned long clock; } owned[PR_MAX_OPS];
	uint8_t held[MM_MAX_PAGES];
};

extern __thread struct cpu_state *pr_self;

struct exec {
	const struct program *prog;
	const struct variant *variant;
	struct cpu_state cpu[PR_MAX_CPUS];
	int cache_pfn[MM_MAX_SLOTS]; /* what the setup put in each slot */
	int nsteps;                  /* relaxed atomic */
	bool free_running;           /* the strategy's: every cpu at once (stress) */
	bool observing;              /* set by explore: each cpu's seen is kept */
	bool refs;                   /* --refs: the refcount sanitizer (primitives.c) */
	/* The locks taken in this execution (a variant file's static ones
	 * among them), freed by the next one's setup: an execution that ends
	 * early leaves them held.  Relaxed atomics. */
	spinlock_t *locks[EXEC_MAX_LOCKS];
	int nlocks;
	struct sched_result sched;
	struct verdict verdict;
	struct trace_step trace[EXEC_MAX_STEPS];
	struct mm mm;
};

struct exec *exec_new(void);
void exec_free(struct exec *x);

/* Run prog under variant on the scheduler, replaying prog's schedule; the
 * verdict is in x->verdict. */
void exec_run(struct exec *x, const struct program *prog, const struct variant *variant);

/* exec_run with the cpus' order told by strategy instead (hunt, stress,
 * explore: src/sched/strategies.h).  A free-running strategy's run is
 * checked at its end only, its trace in the order the steps took their
 * slots. */
void exec_run_strategy(struct exec *x, const struct program *prog, const struct variant *variant,
		       struct sched_strategy *strategy);

/* Mixing hash values in: a cpu's observations (exec.c), explore's state. */
static inline uint64_t hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* pr_point with the step's kind given apart from its site (the plain
 * atomic_* ops are named by their access: an increment a ref, ...). */
void exec_point(const struct pr_site *site, int kind, const void *addr);

/* Rule 7 (hooks.h): a point at which the calling cpu waits for lock
 * (NULL: for nothing, spin_trylock's): blocked there while another cpu
 * holds it.  A step of kind. */
void exec_lock_point(const struct pr_site *site, int kind, spinlock_t *lock);

/* spinlock.c: the calling cpu's point for lock, then lock taken: the
 * step, of kind, holds it (spin_lock's, and the page cache's writers').
 * exec_unlock: no point; BUG at file:line if the cpu does not hold it. */
void exec_lock(spinlock_t *lock, const struct pr_site *site, int kind);
void exec_unlock(spinlock_t *lock, const char *file, int line);
/* The cpus blocked at their points now (the scheduler's callback). */
uint32_t exec_blocked(void *ctx);
/* The deadlock cpu is in, in words, from its wait on. */
void exec_deadlock_words(const struct exec *x, int cpu, char *buf, size_t len);

/* --refs: the calling cpu gains n references to page (n < 0: gives back
 * -n, which is a touch: reported at site, NULL for the open step's, if it
 * holds fewer).  The rule is primitives.c's. */
void refs_add(const struct page *page, int n, const struct pr_site *site);

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

/* A site's file as every report names it: its name, less the folders. */
static inline const char *site_file_name(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash ? slash + 1 : file;
}

/* The step in progress of the calling cpu, NULL outside one. */
static inline struct trace_step *current_step(void)
{
	return pr_self ? pr_self->step : NULL;
}

#endif
