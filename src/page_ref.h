/* page_ref.h: the refcount steps of the protocol, one small helper each, named
 * as in the kernel's include/linux/page_ref.h and mm.h.
 * Entry points: get_page_unless_zero, get_page, put_page_testzero, put_page.
 * Never includes anything of pagerace above the model.
 *
 * Every change goes through page_ref_cmpxchg or the plain path of the
 * racy-refcount variant, and is reported to the trace point.  The kernel's
 * atomic_add_unless and atomic_dec_and_test are fully ordered; so are these.
 */
#ifndef PAGERACE_PAGE_REF_H
#define PAGERACE_PAGE_REF_H

#include "mm.h"

static inline int page_ref_count(struct mm *mm, const struct page *page)
{
	if (mm->racy_refcount)
		return page->_refcount;
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

/* set_page_count: the allocator hands out a page it owns alone. */
static inline void set_page_count(struct mm *mm, struct page *page, int v)
{
	if (mm->racy_refcount)
		page->_refcount = v;
	else
		__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

/* Add delta unless the count equals 'unless'; returns the count seen. */
static inline int page_ref_add_unless(struct mm *mm, struct page *page, int delta, int unless)
{
	int old;

	if (mm->racy_refcount) {
		/* The bug this variant plants: a plain read-modify-write. */
		old = page->_refcount;
		if (old != unless)
			page->_refcount = old + delta;
	} else {
		old = __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
		while (old != unless &&
		       !__atomic_compare_exchange_n(&page->_refcount, &old, old + delta, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			;
	}
	if (old != unless)
		mm_trace_ref(mm, page, old, old + delta);
	return old;
}

/* The speculative reference of a lockless lookup: it may land on a page that
 * was freed and reused since the slot was read, and that is the whole story
 * of this project.  A count of zero means "being freed": hands off. */
static inline bool get_page_unless_zero(struct mm *mm, struct page *page)
{
	int old = page_ref_add_unless(mm, page, 1, 0);

	if (old == 0)
		mm_trace_ref(mm, page, 0, 0);
	return old != 0;
}

/* get_page: the caller already holds a reference, so the count is not 0. */
static inline void get_page(struct mm *mm, struct page *page)
{
	if (page_ref_add_unless(mm, page, 1, 0) == 0)
		mm_bug(mm, MM_BUG_USE_AFTER_FREE, page);
}

/* put_page_testzero: drop one reference; true when it was the last.
 * Dropping from zero is the kernel's VM_BUG_ON_PAGE in put_page_testzero. */
static inline bool put_page_testzero(struct mm *mm, struct page *page)
{
	int old = page_ref_add_unless(mm, page, -1, 0);

	if (old == 0) {
		mm_bug(mm, MM_BUG_REFCOUNT_UNDERFLOW, page);
		return false;
	}
	return old == 1;
}

static inline bool PageHead(struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_RELAXED) & (1UL << PG_head);
}

static inline unsigned int compound_order(struct page *page)
{
	return PageHead(page) ? __atomic_load_n(&page->order, __ATOMIC_RELAXED) : 0;
}

/* put_page: the last reference frees a compound page whole, and any other
 * page at order 0 only: a non-compound block does not carry its size. */
static inline void put_page(struct mm *mm, struct page *page)
{
	if (put_page_testzero(mm, page))
		free_the_page(mm, page, compound_order(page));
}

#endif
