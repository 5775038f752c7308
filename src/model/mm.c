/* mm.c: the machine as a whole: setting it up, resetting it between
 * executions, and the first bug the model found.
 * Entry points: mm_init, mm_resize, mm_reset, mm_bug, page_cache_peek, page_cache_take.
 * Never includes anything of pagerace above the model.
 */
#include <string.h>

#include "model/mm.h"

struct mm *pr_mm;

static void store(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static int load(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void mm_init(struct mm *mm, unsigned int npages, unsigned int nslots)
{
	memset(mm, 0, sizeof(*mm));
	mm->npages = npages;
	while ((1u << mm->max_order) < npages)
		mm->max_order++;
	mm->nslots = nslots;
	mm->mapping.i_pages.xa_size = nslots;
	/* Free; an execution that ends holding it leaves it to the
	 * executor, which frees every lock the execution took. */
	mm->mapping.i_pages.xa_lock.name = "i_pages";
	pthread_mutex_init(&mm->zone.lock, NULL);
	mm_reset(mm);
}

/* A new geometry for the next execution, cheaper than mm_init's clearing
 * of the whole struct (a fuzz target's inputs change it at most inputs):
 * the old arena's pages and slots are zeroed, the only ones an execution
 * could touch, so that everything past the new one stays as mm_init left
 * it; then mm_reset.  Between executions only. */
void mm_resize(struct mm *mm, unsigned int npages, unsigned int nslots)
{
	memset(mm->pages, 0, mm->npages * sizeof(struct page));
	for (unsigned int s = 0; s < mm->nslots; s++)
		__atomic_store_n(&mm->mapping.i_pages.xa_slot[s], NULL, __ATOMIC_RELAXED);
	mm->npages = npages;
	for (mm->max_order = 0; (1u << mm->max_order) < npages; mm->max_order++)
		;
	mm->nslots = nslots;
	mm->mapping.i_pages.xa_size = nslots;
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
		__atomic_store_n(&mm->mapping.i_pages.xa_slot[s], NULL, __ATOMIC_RELAXED);

	__atomic_store_n(&mm->clock, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&mm->tag.pages, 0, __ATOMIC_RELAXED);
	store(&mm->bug, MM_BUG_NONE);
	store(&mm->bug_pfn, -1);
}

/* Only the first bug counts: later ones are its consequences. */
bool mm_bug(struct mm *mm, enum mm_bug bug, const struct page *page)
{
	int none = MM_BUG_NONE;

	if (!__atomic_compare_exchange_n(&mm->bug, &none, bug, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return false;
	store(&mm->bug_pfn, pfn_of(mm, page));
	return true;
}

int mm_first_bug(struct mm *mm, int *pfn)
{
	*pfn = load(&mm->bug_pfn);
	return load(&mm->bug);
}

/* Relaxed: they add no ordering between cpus, so they hide no race from
 * TSan; the executor's page_cache_delete takes its point first. */
struct page *page_cache_peek(struct mm *mm, unsigned int slot)
{
	return __atomic_load_n(&mm->mapping.i_pages.xa_slot[slot], __ATOMIC_RELAXED);
}

struct page *page_cache_take(struct address_space *mapping, pgoff_t index)
{
	return __atomic_exchange_n(&mapping->i_pages.xa_slot[index], NULL, __ATOMIC_ACQ_REL);
}
