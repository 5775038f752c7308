/* pagerace/hooks.h: what the shim's primitives call in pagerace, and the
 * rule for where the scheduling points fall.  Included by the linux/
 * headers only; kernel code never names anything here.
 *
 * Every cpu of a program runs its ops as plain C on its own thread and
 * stack.  A primitive that touches shared state (a page's refcount or
 * flags, its allocation tag, a page-cache slot, the allocator) first takes
 * a scheduling point: the cpu ends the step it was in and waits there
 * until the schedule gives it the next one.  A step is therefore one
 * access and the local code after it, up to the cpu's next point, exactly
 * as the language's step table counts them.
 *
 * The rule, with the cases that had to be decided:
 *   1. A point comes before each access another cpu can race with: every
 *      atomic_* and page_ref_* / folio_ref_* on a page's _refcount (and
 *      the get and put helpers built on them), every page-flag test
 *      (PageHead, PageTail, PageCompound, folio_test_large), every tag
 *      read (pgalloc_tag_get, pgalloc_tag_sub_pages of a page), every
 *      page-cache slot access (xas_load, xas_reload, the removal's and the
 *      insertion's store), every alloc_pages, and READ_ONCE, WRITE_ONCE,
 *      smp_load_acquire, smp_store_release on the model's shared state.
 *   2. One primitive is one point, however it is built: put_page_testzero
 *      is one point (its atomic_dec_and_test), folio_put is one point (its
 *      decrement), and so is page_cache_get_speculative.  The point is
 *      named by the outermost primitive the kernel code called, at the
 *      line it called it from.
 *   3. Returning pages to the buddy belongs to the step that decided it:
 *      free_the_page, free_unref_page, __free_pages_ok, free_frozen_pages
 *      and the free path behind a put that reached zero take no point,
 *      and the pages a step frees show in that step.
 *   4. No point for what the caller's own reference pins: compound_head,
 *      page_folio, folio_page, compound_order, folio_order, page_to_pfn.
 *      Code that reads them without a reference is wrong by the protocol,
 *      not by an interleaving.
 *   5. No point for local work: xas_reset, xas_retry, xa_is_value, the
 *      rcu_read_lock section, barriers, likely and unlikely.
 *   6. The code before a cpu's first point runs as part of its first step;
 *      a cpu whose ops reach no point takes no step.
 *   7. Taking a spinlock (spin_lock and its _irq, _irqsave forms,
 *      spin_trylock, xa_lock, xas_lock_irq) is one point, a lock step;
 *      releasing takes none: it belongs to the step of the last access
 *      before it.  Before it lets go at a lock's point the cpu publishes
 *      the lock it waits for, and while another cpu holds that lock the
 *      cpu is blocked: the scheduler does not run it, and a switch away
 *      from it is no preemption (spin_trylock waits for nothing: it
 *      fails on a held lock).  The page cache's writers (removal A,
 *      the insertion) wait for the mapping's lock (i_pages) the same way
 *      at their one point, and take and release it within their step.
 *      A cpu's first point has no wait before it (rule 6), so a lock
 *      found held there makes that step an attempt (the trace: "held by
 *      cpu N"), and the cpu takes a new point at once to retry, blocked there
 *      until the lock is free.  Free-running, a cpu that finds its lock
 *      held spins in that step, giving its processor away, until it is
 *      free.  No cpu runnable while some are left, a lock taken by the
 *      cpu holding it, or (free-running) a holder that ended its program
 *      holding the lock or a cycle of waits: the verdict deadlock.
 *      No interrupts in the model: the _irq forms are the plain ones.
 * So a kernel-shaped file that makes the built-in accesses takes the
 * built-in steps, and a schedule means the same under both.
 */
#ifndef PAGERACE_HOOKS_H
#define PAGERACE_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

/* What a step does, as the trace, the fuzzer's feedback and the signature
 * of a crash name it: the kind of the primitive that took its point. */
enum step_kind {
	STEP_LOAD,    /* lookup 1: xas_load of the slot */
	STEP_GET,     /* lookup 2: a speculative get (get_page_unless_zero, folio_try_get) */
	STEP_RECHECK, /* lookup 3: xas_reload of the slot */
	STEP_PUT,     /* put_page, folio_put: drop a reference, free at zero */
	STEP_UNLINK,  /* removal A: the slot emptied */
	STEP_ALLOC,   /* alloc_pages */
	STEP_LINK,    /* insertion: the slot filled if empty */
	STEP_REF,     /* get_page, folio_get, an increment */
	STEP_DEC,     /* put_page_testzero and other decrements */
	STEP_HEAD,    /* a page-flag test: PageHead, PageCompound, ... */
	STEP_TAG,     /* the allocation tag of a page read */
	STEP_READ,    /* a plain read of a count or of shared state */
	STEP_WRITE,   /* a store: set_page_count, WRITE_ONCE, an unfreeze */
	STEP_CMPXCHG, /* a compare-and-exchange: page_ref_freeze, atomic_cmpxchg */
	STEP_LOCK,    /* a spinlock taken (spin_lock, xa_lock, ...), or an attempt that waits */
	STEP_NKINDS
};

/* Where kernel code called a primitive: the site names the point. */
struct pr_site {
	const char *file;
	int line;
	const char *fn; /* the primitive, as the kernel code wrote it */
	int kind;       /* enum step_kind */
};

/* STEP_NKINDS as a site's kind: named by the access (an increment is a
 * ref, a decrement a dec, ...), for the plain atomic_* ops. */
#define PR_BY_ACCESS STEP_NKINDS

#define PR_SITE(fn, kind)                                                      \
	({                                                                     \
		static const struct pr_site pr_site__ = { __FILE__, __LINE__, fn, kind }; \
		&pr_site__;                                                    \
	})

struct page;
struct folio;
struct alloc_tag;
struct xa_state;
typedef struct { int counter; } atomic_t;

/* The scheduling point before an access of addr (a page, a refcount, a
 * slot; anything else takes no point). */
void pr_point(const struct pr_site *site, const void *addr);
/* After a point's access: what it saw, for the trace, the checker, and
 * explore's hash of what each cpu has observed. */
void pr_observe(const void *value, size_t len);

/* Atomics: every op on an atomic_t, with its point.  The ones on a page's
 * _refcount are checked: raised from zero is a use-after-free (but by the
 * allocator, or an unfreeze), dropped below zero an underflow. */
enum pr_atomic_op {
	PR_ADD,        /* fetch_add(a) */
	PR_ADD_UNLESS, /* add a unless the value is b */
	PR_CMPXCHG,    /* if value == a, set b */
	PR_SET,        /* set a (relaxed, as the kernel's atomic_set) */
	PR_SET_RELEASE,
	PR_READ,       /* relaxed, as the kernel's atomic_read: no ordering */
	PR_READ_ACQUIRE,
	PR_UNFREEZE,   /* set a with release, the one way up from zero besides the allocator */
};
int pr_atomic(atomic_t *v, enum pr_atomic_op op, int a, int b, const struct pr_site *site);

/* Page flags and the conversions that read what a reference pins. */
enum pr_flag_test { PR_TEST_HEAD, PR_TEST_TAIL, PR_TEST_COMPOUND };
bool pr_page_test(const struct page *page, enum pr_flag_test test, const struct pr_site *site);
struct page *pr_compound_head(const struct page *page);
unsigned int pr_compound_order(const struct page *page);

/* The free paths to the buddy: no point (rule 3). */
void pr_free_block(struct page *page, unsigned int order);
void pr_put_folio(struct folio *folio, const struct pr_site *site);

/* Allocation tags (include/linux/pgalloc_tag.h). */
struct alloc_tag *pr_tag_get(struct page *page, const struct pr_site *site);
void pr_tag_sub_page(struct page *page, unsigned int nr, const struct pr_site *site);
void pr_tag_sub_tag(struct alloc_tag *tag, unsigned int nr);

/* The page cache's slots. */
void *pr_xas_load(struct xa_state *xas, const struct pr_site *site);
void *pr_xas_store(struct xa_state *xas, void *entry, const struct pr_site *site);

/* BUG_ON and VM_BUG_ON_PAGE: the execution ends here with a verdict. */
void pr_bug(const char *what, const struct page *page, const char *file, int line)
	__attribute__((noreturn));

struct page *pr_alloc_pages(unsigned int gfp, unsigned int order, const struct pr_site *site);

/* Spinlocks (linux/spinlock.h), rule 7.  The lock word is the holder's
 * cpu + 1 (0: free), taken with acquire and released with release, as
 * the kernel's; name is the lock as the code wrote it, for the trace. */
typedef struct spinlock {
	int owner;
	const char *name;
} spinlock_t;

void pr_spin_lock(spinlock_t *lock, const struct pr_site *site);
bool pr_spin_trylock(spinlock_t *lock, const struct pr_site *site);
/* No point; a lock the calling cpu does not hold: BUG at file:line. */
void pr_spin_unlock(spinlock_t *lock, const char *file, int line);
/* BUG at file:line unless the calling cpu holds lock; fn: the assert as
 * the kernel code wrote it. */
void pr_spin_assert_held(const spinlock_t *lock, const char *fn, const char *file, int line);

#endif
