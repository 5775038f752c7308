/* filemap.c: the page cache: slots read without locks, the protocol that
 * makes such a read safe, and its three writers.
 * Entry points: page_cache_load, page_cache_unlink, page_cache_link.
 * Never includes anything of pagerace above the model.
 *
 * The lockless lookup protocol (find_get_page, since 2.6.27):
 *   1. load:    page = the slot                       (rcu_dereference)
 *   2. get:     get_page_unless_zero(page), else go to 1
 *   3. recheck: the slot still holds page, else put_page(page) and go to 1
 * and removal (delete_from_page_cache):
 *   A. unlink:  the slot is emptied                   (rcu_assign_pointer)
 *   B. put:     the cache's reference is dropped; the last one frees the page
 *   C. reuse:   the allocator may hand the page to anyone, at any order
 *
 * Step 2 can land between B and C or after C: the lookup then holds a
 * reference to a page it does not own, and its put in step 3 may be the
 * last reference to somebody else's allocation.  Whoever frees a block must
 * therefore never assume its own put_page_testzero was the last one (the
 * leak of 2021, fixed by e320d3012d25), nor read the page after a put that
 * was not the last (CVE-2023-52739, fixed by 462a8e08e0e6).  Each variant
 * writes the lookup as steps (variants/); these helpers are its accesses.
 */
#include "mm.h"

struct page *page_cache_load(struct mm *mm, unsigned int slot)
{
	struct page *page = __atomic_load_n(&mm->cache.slot[slot], __ATOMIC_ACQUIRE);

	mm_trace_slot(mm, slot, page);
	return page;
}

/* Empty the slot; returns what it held, whose reference passes to the
 * caller (step A; the caller does step B). */
struct page *page_cache_unlink(struct mm *mm, unsigned int slot)
{
	return __atomic_exchange_n(&mm->cache.slot[slot], NULL, __ATOMIC_ACQ_REL);
}

/* Publish page in an empty slot; the cache takes the caller's reference.
 * False when the slot is occupied: the caller keeps its reference. */
bool page_cache_link(struct mm *mm, unsigned int slot, struct page *page)
{
	struct page *empty = NULL;

	return __atomic_compare_exchange_n(&mm->cache.slot[slot], &empty, page, false,
					   __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

/* The slot as the checker sees it: a relaxed read that adds no ordering
 * (so it hides no race from TSan) and leaves no trace. */
struct page *page_cache_peek(struct mm *mm, unsigned int slot)
{
	return __atomic_load_n(&mm->cache.slot[slot], __ATOMIC_RELAXED);
}
