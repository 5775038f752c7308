/* lookup-no-recheck.c: a broken lookup, no kernel's: filemap-get-entry-6.x.c
 * with the reload of the slot after folio_try_get taken out (the one hunk
 * of the body in `diff filemap-get-entry-6.x.c lookup-no-recheck.c`).
 *
 * Between the load and the get the folio can be removed from the cache,
 * freed and handed to another allocation; the get then succeeds on the new
 * owner's page and the lookup returns it as if the cache still held it.
 * pagerace reports "returned by a lookup whose slot no longer holds it", a
 * use-after-free verdict, at the get: explore on the story program finds it
 * from 2 preemptions on (3 of 16 schedules at 2; clean at 1).
 *
 *	build/pagerace explore --variant-file variants/examples/lookup-no-recheck.c \
 *		--preemptions 2 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * pagerace-expect: use-after-free
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

void *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct folio *folio;

	rcu_read_lock();
repeat:
	xas_reset(&xas);
	folio = xas_load(&xas);
	if (xas_retry(&xas, folio))
		goto repeat;
	/* Empty, or a value entry (shadow, swap): no reference to take. */
	if (!folio || xa_is_value(folio))
		goto out;

	/* Fails on a count of zero: the folio is being freed, look again. */
	if (!folio_try_get(folio))
		goto repeat;

	/* The bug: no reload of the slot; the folio may no longer be the
	 * cache's. */
out:
	rcu_read_unlock();

	return folio;
}
