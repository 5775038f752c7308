/* added-ops.c: a variant file with ops of its own (PAGERACE_OP), built
 * into the unit tests (tests/test_ops.c) so that each surface that takes
 * an added op is tested with one: the parser and printer, the validator,
 * the decoder, explore's programs, the minimizer and replay's trace.
 *   peek S       the count of the page in slot S, read under RCU with no
 *                reference: a read changes nothing
 *   unpin h      a put of the page h holds: but the op only borrows h's
 *                reference, so the caller's own put later drops a count
 *                that is already gone
 *   test h O     whether h's page heads a compound of order O
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

static int peek(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct page *page;
	int count = 0;

	rcu_read_lock();
	page = xas_load(&xas);
	if (page)
		count = page_ref_count(page);
	rcu_read_unlock();
	return count;
}
PAGERACE_OP(peek, slot);

static void unpin(struct address_space *mapping, struct page *page)
{
	put_page(page);
}
PAGERACE_OP(unpin, handle);

static bool test(struct address_space *mapping, struct page *page, unsigned int order)
{
	return PageHead(page) && compound_order(page) == order;
}
PAGERACE_OP(test, handle, order);
