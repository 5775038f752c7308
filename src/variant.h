/* variant.h: the interface a kernel variant is written against (one C file
 * each, in variants/), and the table of the built-in ones.
 * Entry points: the table variants[], variant_by_name.
 * Includes the model only.
 *
 * A step is one atomic action on shared state and one scheduling point.
 * A variant gives its own version of the protocol operations that differ
 * between kernels: the page-cache lookup (find_get_page), __free_pages and
 * put_page.  The first two take many steps, so each is written as a step
 * function: called once per step, it runs the code up to its next STEP()
 * and returns that step's kind, and the next call resumes after it (a
 * protothread, kept in the call's pc).  So every shared access a variant
 * makes is a scheduling point, shows in the trace, and is checked after it:
 *
 *	static FREE_PAGES(my_free_pages)
 *	{
 *		STEPS_BEGIN(call);
 *		call->head = PageHead(call->page);
 *		STEP(call, STEP_HEAD);                  // step 1 ends here
 *		if (put_page_testzero(mm, call->page))
 *			free_the_page(mm, call->page, call->order);
 *		STEPS_DONE(call, STEP_DEC);             // the last step
 *		STEPS_END(call);
 *	}
 *
 * Rules: local variables do not survive a STEP (keep state in the call);
 * one STEP per line; every path ends in STEPS_DONE (one that falls off the
 * end breaks the interface, and pagerace says so).  put_page takes no
 * step of its own: it is one access inside the step that calls it.
 */
#ifndef PAGERACE_VARIANT_H
#define PAGERACE_VARIANT_H

#include "page_ref.h"

enum step_kind {
	STEP_LOAD,    /* lookup 1: read the slot */
	STEP_GET,     /* lookup 2: get_page_unless_zero (or get_page) */
	STEP_RECHECK, /* lookup 3: read the slot again */
	STEP_PUT,     /* put_page */
	STEP_UNLINK,  /* removal A: empty the slot */
	STEP_ALLOC,   /* alloc_pages */
	STEP_LINK,    /* add_to_page_cache: fill the slot */
	STEP_REF,     /* get_page */
	STEP_DEC,     /* __free_pages: put_page_testzero, and free at zero */
	STEP_TAILS,   /* __free_pages (v5.10): PageHead read after the put */
	STEP_HEAD,    /* __free_pages (v6.2): PageHead read before the put */
	STEP_TAG,     /* __free_pages: the allocation tag of the page read */
	STEP_NKINDS
};

extern const char *const step_names[STEP_NKINDS];

/* One __free_pages(page, order) in progress. */
struct free_pages_call {
	struct page *page;
	unsigned int order;
	unsigned int page_gen; /* page->free_gen when the call began */
	int pc;                /* where the step function resumes */
	bool head;             /* PageHead as the variant read it */
	unsigned long scratch; /* the variant's own state across steps */
};

/* One find_get_page(slot) in progress; when done, page holds a reference
 * to the page found in the slot, or is NULL for an empty slot. */
struct lookup_call {
	unsigned int slot;
	struct page *page;
	int pc;
	unsigned long scratch;
};

#define FREE_PAGES(fn) enum step_kind fn(struct mm *mm, struct free_pages_call *call, bool *done)
#define FIND_GET_PAGE(fn) enum step_kind fn(struct mm *mm, struct lookup_call *call, bool *done)

#define STEPS_BEGIN(c) switch ((c)->pc) { case 0:
#define STEP(c, kind)                                                          \
	do {                                                                   \
		(c)->pc = __LINE__;                                            \
		*done = false;                                                 \
		return (kind);                                                 \
	case __LINE__:;                                                        \
	} while (0)
#define STEPS_DONE(c, kind)                                                    \
	do {                                                                   \
		*done = true;                                                  \
		return (kind);                                                 \
	} while (0)
#define STEPS_END(c)                                                           \
	}                                                                      \
	*done = true;                                                          \
	(c)->pc = -__LINE__;                                                   \
	return STEP_NKINDS /* fell off the end: the executor reports the line */

struct variant {
	const char *name;   /* as written in programs: "v5.9" */
	const char *kernel; /* the kernels that behave so */
	const char *commit; /* where the behaviour is coded */
	bool racy_refcount; /* refcount by plain read-modify-write */
	FIND_GET_PAGE((*find_get_page));
	FREE_PAGES((*free_pages));
	void (*put_page)(struct mm *mm, struct page *page);
};

/* The name a variant file defines its struct variant under: the built-in
 * ones are compiled with -DVARIANT=variant_<name>, a file of a user's with
 * the default, pagerace_variant. */
#ifndef VARIANT
#define VARIANT pagerace_variant
#endif

/* What variants share (variant.c): the lookup every kernel since 2.6.27
 * does, the freeing of a block's tail pages that e320d3012d25 added, and the
 * allocation tag read of the codetag series. */
FIND_GET_PAGE(generic_find_get_page);
/* put_page (page_ref.h) as a function a variant can point at. */
void generic_put_page(struct mm *mm, struct page *page);
/* The correct __free_pages (variants/v6.2.c), for variants that change
 * something else. */
FREE_PAGES(free_pages_v6_2);
void free_tail_blocks(struct mm *mm, struct page *page, unsigned int order);
/* The tag of call's page; reading it once the page was freed under the
 * call (its reference dropped, the last one someone else's) is a
 * use-after-free. */
unsigned int pgalloc_tag_get(struct mm *mm, const struct free_pages_call *call);

enum { VARIANT_V5_9, VARIANT_V5_10, VARIANT_V6_2, VARIANT_RACY_REFCOUNT, NR_VARIANTS };
extern const struct variant *const variants[NR_VARIANTS];

/* NULL when no variant has this name. */
const struct variant *variant_by_name(const char *name, int len);

/* Its index in variants[], or -1 for a variant loaded from a file. */
int variant_index(const struct variant *v);

/* The correct __free_pages, in one go: how the end of an execution drops
 * the allocations a program still holds. */
void free_pages_correctly(struct mm *mm, struct page *page, unsigned int order);

#endif
