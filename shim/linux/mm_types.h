/* linux/mm_types.h (shim): struct page, struct folio, struct address_space
 * and struct alloc_tag, cut to what the protocol touches.
 *
 *   a head page:   PG_head set, order = the compound order (the kernel keeps
 *                  it in page[1]), _refcount = the references to the block
 *   a tail page:   compound_head = head | 1, _refcount 0
 *   a free block:  PG_buddy on its first page, order its order, _refcount 0
 *   freed_at:      the model's clock when the page was last freed, so that
 *                  a read of a page freed under its reader is seen
 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include "atomic.h"
#include "spinlock.h"

#define PR_PAGE_FIELDS                                                         \
	unsigned long flags;         /* enum pageflags, atomic bit operations */ \
	unsigned long compound_head; /* bit 0 set: a tail page of that head */ \
	atomic_t _refcount;                                                    \
	unsigned int order;          /* PG_buddy: free order; PG_head: compound order */ \
	unsigned long freed_at;      /* the model's clock when last freed */ \
	pgoff_t index;               /* the slot it was last stored in (page_index), relaxed */

struct page {
	PR_PAGE_FIELDS
};

/* A folio is its head page, as in the kernel's union. */
struct folio {
	union {
		struct {
			PR_PAGE_FIELDS
		};
		struct page page;
	};
};

/* The allocation tag of a page (CONFIG_MEM_ALLOC_PROFILING). */
struct alloc_tag {
	long pages; /* pages accounted to the tag, relaxed atomics */
};

#define XA_MODEL_SLOTS 64 /* the model's page cache: slots 0..63 */

struct xarray {
	spinlock_t xa_lock; /* the page cache's writers hold it (xa_lock, xas_lock_irq) */
	void *xa_slot[XA_MODEL_SLOTS];
	unsigned int xa_size; /* slots in use by the program */
};

struct address_space {
	struct xarray i_pages;
};

#endif
