/* migrate-page-move-mapping-5.x.c: page migration of a page-cache page,
 * as migrate_page_move_mapping of mm/migrate.c had it from 4.20 (willy's
 * XArray conversion) to 5.15, with the op "migrate S" that drives it.
 *
 * Migration must be sure that nobody else holds a reference while it
 * moves the slot to the new page: a lockless lookup may take one at any
 * moment (get_page_unless_zero, then a recheck of the slot).  So, under
 * the mapping's lock, it freezes the count: one compare-and-exchange from
 * exactly the references it expects (the page cache's and its own) to 0,
 * at which every speculative get fails.  Nick Piggin's "mm: speculative
 * page references" (e286781d5f2e, 2.6.27) brought the freeze
 * (page_freeze_refs) with the lockless page cache; Joonsoo Kim renamed it
 * page_ref_freeze (fe896d187894, 4.6).  The recheck of the slot under the
 * lock kept migration safe from a removal that came first; 0ef024621417
 * (5.16) dropped it from folio_migrate_mapping, since migration holds the
 * page lock and removal needs it.  The model has no page lock, so this is
 * the form with the recheck.  migrate-check-then-set.c breaks the freeze.
 *
 * pagerace-expect: ok
 */
#include <linux/errno.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

/* The references a page-cache page has while it is migrated: the
 * migration's own, the page cache's (one per subpage), and the buffers'. */
static int expected_page_refs(struct address_space *mapping, struct page *page)
{
	int expected_count = 1;

	if (mapping)
		expected_count += thp_nr_pages(page) + page_has_private(page);
	return expected_count;
}

/* Cut to what the refcount protocol touches: the path of a page with no
 * mapping (anonymous), the swap cache, the dirty flag, newpage's index and
 * mapping fields (xas_store sets the model's index) and the statistics are
 * left out. */
int migrate_page_move_mapping(struct address_space *mapping, struct page *newpage, struct page *page,
			      int extra_count)
{
	XA_STATE(xas, &mapping->i_pages, page_index(page));
	int expected_count = expected_page_refs(mapping, page) + extra_count;
	int nr = thp_nr_pages(page);

	xas_lock_irq(&xas);
	/* A removal that came first has emptied the slot. */
	if (page_count(page) != expected_count || xas_load(&xas) != page) {
		xas_unlock_irq(&xas);
		return -EAGAIN;
	}
	/* From here a speculative get fails, until the unfreeze. */
	if (!page_ref_freeze(page, expected_count)) {
		xas_unlock_irq(&xas);
		return -EAGAIN;
	}
	/* The page cache's references move to the new page. */
	page_ref_add(newpage, nr);
	xas_store(&xas, newpage);
	/* What is left is the migration's own reference. */
	page_ref_unfreeze(page, expected_count - nr);
	xas_unlock(&xas);
	local_irq_enable();
	return MIGRATEPAGE_SUCCESS;
}

/* migrate S: migrate_pages for the page in slot S, cut to what the
 * refcount protocol sees.  Isolation takes the migration's reference as
 * compaction's pfn walk does, with a get that fails on a freed page
 * (isolate_migratepages_block since 9df41314390b); the old page's last
 * reference goes at the end (migrate_folio_done's put), and so does the
 * caller's on the new page, whose other reference is the cache's. */
static int migrate(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct page *page, *newpage;
	int rc;

	rcu_read_lock();
	page = xas_load(&xas);
	rcu_read_unlock();
	if (!page || xa_is_value(page) || !get_page_unless_zero(page))
		return -EAGAIN;
	newpage = alloc_pages(GFP_KERNEL, 0);
	if (!newpage) {
		put_page(page);
		return -ENOMEM;
	}
	rc = migrate_page_move_mapping(mapping, newpage, page, 0);
	put_page(page);
	put_page(newpage);
	return rc;
}
PAGERACE_OP(migrate, slot);
