/* filemap.c: the page cache: slots read without locks, the protocol that
 * makes such a read safe, and its writers.
 * Entry points: pr_xas_load (xas_load, xas_reload), pr_xas_store, page_cache_delete,
 * page_cache_insert.
 *
 * The lockless lookup protocol (find_get_page since 2.6.27, find_get_entry,
 * filemap_get_entry):
 *   1. load:    page = xas_load, the slot                (acquire)
 *   2. get:     a speculative get (get_page_unless_zero, folio_try_get),
 *               else go to 1
 *   3. recheck: xas_reload still gives page, else put it and go to 1
 * and removal (delete_from_page_cache):
 *   A. unlink:  the slot is emptied                      (release)
 *   B. put:     the cache's reference is dropped; the last one frees the page
 *   C. reuse:   the allocator may hand the page to anyone, at any order
 *
 * Step 2 can land between B and C or after C: the lookup then holds a
 * reference to a page it does not own, and its put in step 3 may be the
 * last reference to somebody else's allocation.  Whoever frees a block must
 * therefore never assume its own put_page_testzero was the last one (the
 * leak of 2021, fixed by e320d3012d25), nor read the page after a put that
 * was not the last (CVE-2023-52739, fixed by 462a8e08e0e6).  The lookup is
 * the variant's (variants/v6.2.c has 6.x's); these are its accesses, and
 * the writers hold the mapping's lock within their step (filemap.h). */
#include "exec/exec.h"

static void note_slot(unsigned long index, const struct page *entry)
{
	struct trace_step *t = current_step();

	if (!t)
		return;
	t->slot = (int16_t)index;
	t->page = (int16_t)pfn_of(pr_mm, entry);
}

void *pr_xas_load(struct xa_state *xas, const struct pr_site *site)
{
	struct xarray *xa = xas->xa;
	struct trace_step *t;
	void *entry = NULL;

	if (xas->xa_index >= xa->xa_size)
		return NULL;
	pr_point(site, &xa->xa_slot[xas->xa_index]);
	entry = __atomic_load_n(&xa->xa_slot[xas->xa_index], __ATOMIC_ACQUIRE);
	note_slot(xas->xa_index, entry);
	if (pr_self)
		pr_self->slot_clock = __atomic_load_n(&pr_mm->clock, __ATOMIC_RELAXED);
	if ((t = current_step())) {
		if (site->kind == STEP_LOAD)
			pr_self->last_load = t->page;
		else
			t->yes = t->page == pr_self->last_load;
	}
	pr_observe(&entry, sizeof(entry));
	return entry;
}

/* Removal A: empty the slot under the lock, one point; what it held, whose
 * reference passes to the caller (step B is the caller's put). */
struct page *page_cache_delete(struct address_space *mapping, pgoff_t index)
{
	struct xarray *xa = &mapping->i_pages;
	struct page *page;

	exec_lock(&xa->xa_lock, PR_SITE("page_cache_delete", STEP_UNLINK), STEP_UNLINK);
	page = page_cache_take(mapping, index);
	exec_unlock(&xa->xa_lock, __FILE__, __LINE__);
	note_slot(index, page);
	refs_add(page, 1, NULL); /* the cache's reference */
	pr_observe(&page, sizeof(page));
	return page;
}

/* add_to_page_cache: publish page in an empty slot under the lock, one
 * point; the cache takes the caller's reference.  An occupied slot makes
 * the caller put its new page in the same step (the language's link
 * step), as 6.2's put_page does: a speculative get may hold it too, since it may be a page some
 * lookup loaded before it was freed and reused. */
bool page_cache_insert(struct address_space *mapping, pgoff_t index, struct page *page)
{
	struct xarray *xa = &mapping->i_pages;
	struct trace_step *t;
	void *empty = NULL;
	bool linked;

	exec_lock(&xa->xa_lock, PR_SITE("add_to_page_cache", STEP_LINK), STEP_LINK);
	linked = __atomic_compare_exchange_n(&xa->xa_slot[index], &empty, page, false, __ATOMIC_RELEASE,
					     __ATOMIC_RELAXED);
	exec_unlock(&xa->xa_lock, __FILE__, __LINE__);
	if (linked) /* page_index; the model's readers hold a reference or recheck */
		__atomic_store_n(&page->index, index, __ATOMIC_RELAXED);
	refs_add(page, -1, NULL); /* to the cache, or the busy slot's put */
	if ((t = current_step())) {
		t->slot = (int16_t)index;
		t->page = (int16_t)pfn_of(pr_mm, page);
		t->yes = linked;
	}
	if (!linked) {
		int old = __atomic_fetch_sub(&page->_refcount.counter, 1, __ATOMIC_SEQ_CST);

		if (t)
			t->ref_pfn = t->page, t->ref_old = (int16_t)old, t->ref_new = (int16_t)(old - 1);
		if (old == 1)
			pr_free_block(page, 0);
	}
	pr_observe(&linked, sizeof(linked));
	return linked;
}

/* xas_store: the slot's entry replaced, one point (the language's link
 * step), by a caller that holds the mapping's lock (migration moving the
 * slot to its new page).  The cache takes the caller's reference on the
 * new entry; the old entry's reference was the caller's to settle (the
 * freeze and unfreeze of migrate_page_move_mapping). */
void *pr_xas_store(struct xa_state *xas, void *entry, const struct pr_site *site)
{
	struct xarray *xa = xas->xa;
	struct trace_step *t;
	void *old;

	if (xas->xa_index >= xa->xa_size)
		return NULL;
	pr_point(site, &xa->xa_slot[xas->xa_index]);
	if (entry)
		__atomic_store_n(&((struct page *)entry)->index, xas->xa_index, __ATOMIC_RELAXED);
	old = __atomic_exchange_n(&xa->xa_slot[xas->xa_index], entry, __ATOMIC_ACQ_REL);
	refs_add(entry, -1, NULL);
	note_slot(xas->xa_index, entry);
	if ((t = current_step()))
		t->yes = true;
	pr_observe(&old, sizeof(old));
	return old;
}
