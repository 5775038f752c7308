/* mm.h: the model's machine: the arena of struct pages, the buddy zone, the
 * page cache, and what the model reports.  The kernel's own types (struct
 * page, struct folio, struct address_space) are the shim's
 * (shim/linux/mm_types.h), so kernel code and the model share them.
 * Entry points: mm_init, mm_resize, mm_reset, mm_bug; page_alloc.c (buddy).  The
 * accesses the shim's primitives make to it, each after a scheduling
 * point, are the executor's (src/exec/primitives.c, src/exec/filemap.c).
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
 * would judge the kernel: refcounts by fully ordered atomic read-modify-write,
 * flag bits by atomic bit operations, slots with acquire and release, and
 * the free lists only under zone->lock.
 *
 * Invariants (checked by buddy_is_valid and the checker):
 *   free pages + allocated pages = npages           (nothing is lost)
 *   free block of order o at pfn  <=>  bit pfn>>o in free_area[o].map
 *                                 <=>  PG_buddy on its page && page->order == o
 *   free blocks are aligned, disjoint, and no two free buddies of one order
 *   coexist (they would have merged).
 *   a free page has _refcount == 0.
 */
#ifndef PAGERACE_MM_H
#define PAGERACE_MM_H

#include <linux/mm.h>
#include <linux/pagemap.h>
#include <pthread.h>

#define MM_MAX_PAGES 1024
#define MM_MAX_ORDER 10 /* log2(MM_MAX_PAGES) */
#define MM_MAX_SLOTS XA_MODEL_SLOTS

/* One free list per order, kept sorted as a bitmap of block heads:
 * bit i of free_area[o].map is the block at pfn i << o. */
struct free_area {
	uint64_t map[MM_MAX_PAGES / 64];
};

struct zone {
	pthread_mutex_t lock; /* zone->lock: guards free_area */
	struct free_area free_area[MM_MAX_ORDER + 1];
};

/* What the model found wrong, as the kernel's VM_BUG_ON would. */
enum mm_bug {
	MM_BUG_NONE,
	MM_BUG_DOUBLE_FREE,        /* a block freed while a page of it is free */
	MM_BUG_REFCOUNT_UNDERFLOW, /* a count dropped below zero */
	MM_BUG_USE_AFTER_FREE,     /* a count raised from zero; a put or tag read of a freed page */
	MM_BUG_BUDDY_CORRUPT,      /* a free of a misaligned block */
	MM_BUG_LOOKUP_STALE,       /* a lookup returned a page its slot no longer holds */
	MM_BUG_BUG,                /* BUG_ON or VM_BUG_ON_PAGE fired */
	MM_BUG_UNREFERENCED,       /* --refs: a page touched by a cpu holding no reference to it */
	MM_BUG_DEADLOCK,           /* a lock taken by its holder; free-running: a wait that cannot end */
};

struct mm {
	unsigned int npages;    /* a power of two, 4..MM_MAX_PAGES */
	unsigned int max_order; /* log2(npages) */
	unsigned int nslots;
	struct zone zone;
	struct address_space mapping; /* the page cache: mapping.i_pages */
	struct alloc_tag tag;         /* every allocation's tag */
	unsigned long clock;          /* blocks freed so far: page->freed_at */
	int bug, bug_pfn;             /* first enum mm_bug found, relaxed atomics */
	char bug_what[160];           /* MM_BUG_BUG, MM_BUG_UNREFERENCED, MM_BUG_DEADLOCK: what, where */
	struct page pages[MM_MAX_PAGES];
};

/* The machine the shim's primitives act on: one execution at a time. */
extern struct mm *pr_mm;

static inline int pfn_of(const struct mm *mm, const struct page *page)
{
	return page ? (int)(page - mm->pages) : -1;
}

/* The page a pointer points into (a page or its _refcount), or NULL. */
static inline struct page *page_of_addr(const struct mm *mm, const void *addr)
{
	const char *p = addr, *base = (const char *)mm->pages;

	if (p < base || p >= (const char *)(mm->pages + mm->npages))
		return NULL;
	return (struct page *)&mm->pages[(size_t)(p - base) / sizeof(struct page)];
}

/* Is addr in the model's shared state, a page or the page cache?  What
 * takes a scheduling point. */
static inline bool is_shared(const struct mm *mm, const void *addr)
{
	const void *cache = &mm->mapping;

	return page_of_addr(mm, addr) || (addr >= cache && addr < (const void *)(&mm->mapping + 1));
}

static inline int page_count_raw(const struct page *page)
{
	return __atomic_load_n(&page->_refcount.counter, __ATOMIC_RELAXED);
}

/* The order of the compound the page heads (0: no compound head), as
 * compound_order reads it. */
static inline unsigned int page_compound_order(const struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_ACQUIRE) >> PG_head & 1
		       ? __atomic_load_n(&page->order, __ATOMIC_RELAXED) : 0;
}

/* mm.c */
void mm_init(struct mm *mm, unsigned int npages, unsigned int nslots);
void mm_reset(struct mm *mm);
/* mm_reset to another geometry (npages a power of two, 4..MM_MAX_PAGES). */
void mm_resize(struct mm *mm, unsigned int npages, unsigned int nslots);
/* True when it is the first bug: its bug_what is the caller's to write. */
bool mm_bug(struct mm *mm, enum mm_bug bug, const struct page *page);
int mm_first_bug(struct mm *mm, int *pfn);

/* page_alloc.c: the buddy, under zone->lock.  buddy_free reports what it
 * freed through *lo, *hi (pfns; *lo < 0: nothing). */
struct page *buddy_alloc(struct mm *mm, unsigned int order, bool comp);
void buddy_free(struct mm *mm, struct page *page, unsigned int order, int *lo, int *hi);
bool page_is_free(struct mm *mm, const struct page *page);
/* free[pfn] for every page, in one hold of the lock. */
void pages_free_map(struct mm *mm, bool *free);
int nr_free_pages(struct mm *mm);
bool buddy_is_valid(struct mm *mm, char *why, int whylen);
/* One reference dropped the correct way, outside any cpu (no point, no
 * trace): the count goes down by one and at zero the block of order goes
 * back.  At zero already: a refcount underflow, reported. */
void page_ref_release(struct mm *mm, struct page *page, unsigned int order);

/* A slot as the checker sees it, and emptied (what it held, whose
 * reference passes to the caller); neither takes a scheduling point. */
struct page *page_cache_peek(struct mm *mm, unsigned int slot);
struct page *page_cache_take(struct address_space *mapping, pgoff_t index);

#endif
