/* filemap-get-entry-6.x.c: the lockless page-cache lookup of a recent 6.x
 * mm/filemap.c (filemap_get_entry, exported under that name from 6.3; 6.2
 * had it as the static mapping_get_entry, with folio_try_get_rcu, as the
 * built-in variants/v6.2.c writes it).  A folio instead of a page,
 * folio_try_get for the speculative reference, folio_put to give it back:
 * the same three accesses as 5.x's find_get_entry.
 *
 * pagerace finds nothing: explore is clean on both story programs at 8
 * preemptions (69 schedules each) and on every program of 2 cpus and 2 ops
 * at 2 preemptions (159048 schedules).  lookup-no-recheck.c breaks it.
 *
 *	build/pagerace explore --variant-file variants/examples/filemap-get-entry-6.x.c \
 *		--preemptions 8 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * pagerace-expect: ok
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

	/* The reference may be on a folio that left the slot (and maybe
	 * went to another owner) since the load: check, give it back. */
	if (unlikely(folio != xas_reload(&xas))) {
		folio_put(folio);
		goto repeat;
	}
out:
	rcu_read_unlock();

	return folio;
}
