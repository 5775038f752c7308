/* mm.h: the model's types: pages, the buddy zone, the page cache, and the
 * machine (struct mm) that holds them.  Entry points: page_ref.h (refcount
 * steps), page_alloc.c (buddy), filemap.c (page cache).
 * Never includes anything of pagerace above the model.
 *
 * Glossary
 *   page     one struct page of the arena, named pN by its index (pfn).
 *   block    2^order pages starting at a pfn aligned to 2^order.
 *   head     first page of an allocated block; PG_head marks it when the
 *            allocation was compound (__GFP_COMP), so it carries its order.
 *   free     a page lying inside a block on a free list of the zone.
 *   slot     one entry of the page cache, holding a page pointer or NULL.
 *
 * Design.  The model is the kernel's protocol cut down to what the race of
 * January 2021 needs: a refcount per page, a buddy allocator that splits and
 * merges, and a page cache read without locks.  Shared state is touched the
 * way the kernel touches it, so that ThreadSanitizer judges the model as it
 * would judge the kernel: refcounts by fully ordered atomic read-modify-write
 * (plain accesses in the racy-refcount variant, to prove TSan still sees
 * races), flag bits by atomic bit operations, slots as rcu_dereference and
 * rcu_assign_pointer, and the free lists only under zone->lock.
 *
 * Invariants (checked by buddy_is_valid and the checker):
 *   free pages + allocated pages = npages           (nothing is lost)
 *   free block of order o at pfn  <=>  bit pfn>>o in free_area[o].map
 *                                 <=>  PageBuddy(page) && page->order == o
 *   free blocks are aligned, disjoint, and no two free buddies of one order
 *   coexist (they would have merged).
 *   a free page has _refcount == 0.
 */
#ifndef PAGERACE_MM_H
#define PAGERACE_MM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define MM_MAX_PAGES 1024
#define MM_MAX_ORDER 10 /* log2(MM_MAX_PAGES) */
#define MM_MAX_SLOTS 64

/* page->flags bits, changed only by atomic bit operations. */
enum pageflags {
	PG_head,  /* head of a compound allocation; page->order is its order */
	PG_buddy, /* head of a free block; page->order is the block's order */
};

struct page {
	unsigned long flags;   /* enum pageflags, atomic bitops */
	int _refcount;         /* atomic, except in the racy-refcount variant */
	unsigned int order;    /* PG_buddy: free order; PG_head: compound order */
	unsigned int free_gen; /* times freed: a holder that saw another value
				* is looking at a page freed under it */
};

/* One free list per order, kept sorted as a bitmap of block heads:
 * bit i of free_area[o].map is the block at pfn i << o. */
struct free_area {
	uint64_t map[MM_MAX_PAGES / 64];
};

struct zone {
	pthread_mutex_t lock; /* zone->lock: guards free_area */
	struct free_area free_area[MM_MAX_ORDER + 1];
};

struct page_cache {
	struct page *slot[MM_MAX_SLOTS]; /* rcu_dereference / rcu_assign_pointer */
};

/* What the model found wrong, as the kernel's VM_BUG_ON would. */
enum mm_bug {
	MM_BUG_NONE,
	MM_BUG_DOUBLE_FREE,        /* a block freed while a page of it is free */
	MM_BUG_REFCOUNT_UNDERFLOW, /* put_page_testzero on a count of 0 */
	MM_BUG_USE_AFTER_FREE,     /* get_page or put_page on a count of 0 */
	MM_BUG_BUDDY_CORRUPT,      /* a free of a misaligned block */
	MM_BUG_LOOKUP_STALE,       /* a lookup returned a page its slot no longer holds */
};

/* The trace points of one step (the kernel has them in
 * include/trace/events/page_ref.h and kmem.h): the last refcount change and
 * the range of pages freed.  Written by whichever cpu steps, so relaxed
 * atomics: the harness must add no happens-before edge of its own. */
struct mm_trace {
	int slot, slot_pfn;            /* the slot last read and what it held (-1: empty) */
	int ref_pfn, ref_old, ref_new; /* ref_pfn < 0: no change */
	int free_lo, free_hi;          /* free_lo < 0: nothing freed */
	int alloc_pfn;                 /* alloc_pfn < 0: nothing allocated */
};

struct mm {
	unsigned int npages;    /* a power of two, 4..MM_MAX_PAGES */
	unsigned int max_order; /* log2(npages) */
	unsigned int nslots;
	bool racy_refcount; /* refcount by plain read-modify-write */
	struct zone zone;
	struct page_cache cache;
	struct mm_trace trace;
	int bug, bug_pfn; /* first enum mm_bug found, relaxed atomics */
	struct page pages[MM_MAX_PAGES];
};

/* Checking code whose branches are no progress for a fuzzer. */
#if defined(__clang__)
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

static inline int page_to_pfn(const struct mm *mm, const struct page *page)
{
	return (int)(page - mm->pages);
}

/* mm.c */
void mm_init(struct mm *mm, unsigned int npages, unsigned int nslots, bool racy_refcount);
void mm_reset(struct mm *mm);
void mm_bug(struct mm *mm, enum mm_bug bug, const struct page *page);
int mm_first_bug(struct mm *mm, int *pfn);
void mm_trace_clear(struct mm *mm);
void mm_trace_get(struct mm *mm, struct mm_trace *out);
void mm_trace_ref(struct mm *mm, const struct page *page, int old, int new);
void mm_trace_free(struct mm *mm, int lo, int hi);
void mm_trace_alloc(struct mm *mm, const struct page *page);
void mm_trace_slot(struct mm *mm, unsigned int slot, const struct page *page);

/* page_alloc.c */
struct page *alloc_pages(struct mm *mm, unsigned int order, bool comp);
void free_the_page(struct mm *mm, struct page *page, unsigned int order);
bool page_is_free(struct mm *mm, const struct page *page);
int nr_free_pages(struct mm *mm);
bool buddy_is_valid(struct mm *mm, char *why, int whylen);

/* filemap.c */
struct page *page_cache_load(struct mm *mm, unsigned int slot);
struct page *page_cache_unlink(struct mm *mm, unsigned int slot);
bool page_cache_link(struct mm *mm, unsigned int slot, struct page *page);
struct page *page_cache_peek(struct mm *mm, unsigned int slot);

#endif
