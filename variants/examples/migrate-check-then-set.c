/* migrate-check-then-set.c: migrate-page-move-mapping-5.x.c with the
 * freeze written as two steps, a check of page_count and then
 * set_page_count(page, 0): the shape migration had before the lockless page
 * cache, when a count read under the write-locked tree_lock could not
 * change under it because every lookup took that lock too (find_get_page
 * of 2.6.26).  Nick Piggin's e286781d5f2e (2.6.27) made lookups lockless
 * and the freeze one compare-and-exchange for this reason: a lookup's
 * speculative get between the check and the set is wiped out, and its
 * later put drops a count that is already 0 (refcount-underflow), or the
 * migration's does, after the lookup's put freed the page.
 *
 * pagerace-expect: refcount-underflow
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
	/* The count was right a step ago: but a lockless lookup's get may
	 * have come in between, and this wipes it out. */
	set_page_count(page, 0);
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
