/* mm.c: the machine as a whole: setting it up, resetting it between
 * executions, and the two outlets the model reports through (the first bug
 * it found, and the trace points of the current step).
 * Entry points: mm_init, mm_reset, mm_bug.
 * Never includes anything of pagerace above the model.
 */
#include <string.h>

#include "mm.h"

static void store(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static int load(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void mm_init(struct mm *mm, unsigned int npages, unsigned int nslots, bool racy_refcount)
{
	memset(mm, 0, sizeof(*mm));
	mm->npages = npages;
	while ((1u << mm->max_order) < npages)
		mm->max_order++;
	mm->nslots = nslots;
	mm->racy_refcount = racy_refcount;
	pthread_mutex_init(&mm->zone.lock, NULL);
	mm_reset(mm);
}

/* Back to boot: the whole arena one free block of max_order, an empty cache.
 * Called between executions only, when no cpu is stepping. */
void mm_reset(struct mm *mm)
{
	pthread_mutex_lock(&mm->zone.lock);
	memset(mm->zone.free_area, 0, sizeof(mm->zone.free_area));
	memset(mm->pages, 0, mm->npages * sizeof(struct page));
	mm->zone.free_area[mm->max_order].map[0] = 1;
	mm->pages[0].flags = 1UL << PG_buddy;
	mm->pages[0].order = mm->max_order;
	pthread_mutex_unlock(&mm->zone.lock);
	for (unsigned int s = 0; s < mm->nslots; s++)
		__atomic_store_n(&mm->cache.slot[s], NULL, __ATOMIC_RELAXED);
	store(&mm->bug, MM_BUG_NONE);
	store(&mm->bug_pfn, -1);
	mm_trace_clear(mm);
}

/* Only the first bug counts: later ones are its consequences. */
void mm_bug(struct mm *mm, enum mm_bug bug, const struct page *page)
{
	int none = MM_BUG_NONE;

	if (__atomic_compare_exchange_n(&mm->bug, &none, bug, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED))
		store(&mm->bug_pfn, page ? page_to_pfn(mm, page) : -1);
}

int mm_first_bug(struct mm *mm, int *pfn)
{
	*pfn = load(&mm->bug_pfn);
	return load(&mm->bug);
}

void mm_trace_clear(struct mm *mm)
{
	store(&mm->trace.slot, -1);
	store(&mm->trace.ref_pfn, -1);
	store(&mm->trace.free_lo, -1);
	store(&mm->trace.free_hi, -1);
	store(&mm->trace.alloc_pfn, -1);
}

void mm_trace_get(struct mm *mm, struct mm_trace *out)
{
	out->slot = load(&mm->trace.slot);
	out->slot_pfn = load(&mm->trace.slot_pfn);
	out->ref_pfn = load(&mm->trace.ref_pfn);
	out->ref_old = load(&mm->trace.ref_old);
	out->ref_new = load(&mm->trace.ref_new);
	out->free_lo = load(&mm->trace.free_lo);
	out->free_hi = load(&mm->trace.free_hi);
	out->alloc_pfn = load(&mm->trace.alloc_pfn);
}

void mm_trace_ref(struct mm *mm, const struct page *page, int old, int new)
{
	store(&mm->trace.ref_pfn, page_to_pfn(mm, page));
	store(&mm->trace.ref_old, old);
	store(&mm->trace.ref_new, new);
}

/* A step frees contiguous pages only (a block, or the tails of one), so a
 * range says it all. */
void mm_trace_free(struct mm *mm, int lo, int hi)
{
	int cur = load(&mm->trace.free_lo);

	if (cur < 0 || lo < cur)
		store(&mm->trace.free_lo, lo);
	if (hi > load(&mm->trace.free_hi))
		store(&mm->trace.free_hi, hi);
}

void mm_trace_alloc(struct mm *mm, const struct page *page)
{
	store(&mm->trace.alloc_pfn, page_to_pfn(mm, page));
}

void mm_trace_slot(struct mm *mm, unsigned int slot, const struct page *page)
{
	store(&mm->trace.slot, (int)slot);
	store(&mm->trace.slot_pfn, page ? page_to_pfn(mm, page) : -1);
}
