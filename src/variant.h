/* variant.h: the kernel variants pagerace can run, and the vocabulary of
 * steps they and the executor are made of.
 * Entry points: variant_by_name, the table variants[].
 * Includes the model only.
 *
 * A step is one atomic action on shared state and one scheduling point.  A
 * variant's __free_pages is written as a function taking one step per call,
 * so that every shared access it makes can be interleaved with other cpus.
 */
#ifndef PAGERACE_VARIANT_H
#define PAGERACE_VARIANT_H

#include "mm.h"

enum step_kind {
	STEP_LOAD,    /* lookup 1: read the slot */
	STEP_GET,     /* lookup 2: get_page_unless_zero */
	STEP_RECHECK, /* lookup 3: read the slot again */
	STEP_PUT,     /* put_page */
	STEP_UNLINK,  /* removal A: empty the slot */
	STEP_ALLOC,   /* alloc_pages */
	STEP_LINK,    /* add_to_page_cache: fill the slot */
	STEP_REF,     /* get_page */
	STEP_DEC,     /* __free_pages: put_page_testzero, and free at zero */
	STEP_TAILS,   /* __free_pages (v5.10): PageHead read after the put */
	STEP_HEAD,    /* __free_pages (v6.2): PageHead read before the put */
	STEP_NKINDS
};

extern const char *const step_names[STEP_NKINDS];

/* One __free_pages(page, order) in progress. */
struct free_pages_call {
	struct page *page;
	unsigned int order;
	int pc;    /* which of the variant's steps comes next */
	bool head; /* PageHead as the variant read it */
};

struct variant {
	const char *name;   /* as written in programs: "v5.9" */
	const char *kernel; /* the kernels that behave so */
	const char *commit; /* where the behaviour is coded */
	bool racy_refcount; /* refcount by plain read-modify-write */
	/* Take the next step of call; set *done after its last one. */
	enum step_kind (*free_pages)(struct mm *mm, struct free_pages_call *call, bool *done);
};

enum { VARIANT_V5_9, VARIANT_V5_10, VARIANT_V6_2, VARIANT_RACY_REFCOUNT, NR_VARIANTS };
extern const struct variant variants[NR_VARIANTS];

/* NULL when no variant has this name. */
const struct variant *variant_by_name(const char *name, int len);

/* The correct __free_pages, in one go: how the end of an execution drops
 * the allocations a program still holds. */
void free_pages_correctly(struct mm *mm, struct page *page, unsigned int order);

#endif
