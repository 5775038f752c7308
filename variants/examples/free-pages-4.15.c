/* free-pages-4.15.c: __free_pages as mm/page_alloc.c had it from 4.15 (the
 * release that renamed free_hot_cold_page to free_unref_page) until
 * 742aa7fb52c5 ("mm/page_alloc.c: use a single function to free page",
 * probably v5.0), which moved the order test into free_the_page.  The body
 * is the '-' side of that commit, as its 4.19-stable backport shows it.
 *
 * The same protocol as variants/v5.9.c, spelt out: only the put that reaches zero
 * frees, and it frees the whole block.  So the leak of January 2021 is
 * here too: a lookup's speculative reference on page 0 of a non-compound
 * block outlives the owner's __free_pages, and the lookup's put_page then
 * frees page 0 alone.  pagerace: on the story program explore reports
 * lost-pages 3 from 3 preemptions on (2 of 28 schedules at 3; clean at 2),
 * and nothing on the compound CVE program (a compound page is freed whole
 * by whichever put is last).
 *
 *	build/pagerace explore --variant-file variants/examples/free-pages-4.15.c \
 *		--preemptions 3 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * free_unref_page(page) and __free_pages_ok(page, order) are the shim's, in
 * the one-page and two-argument forms of this era.
 *
 * pagerace-expect: lost-pages
 */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	/* Only the last reference frees, always the whole block. */
	if (put_page_testzero(page)) {
		if (order == 0)
			free_unref_page(page);
		else
			__free_pages_ok(page, order);
	}
}
