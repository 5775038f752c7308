/* codetag-0ae0227fa31d.c: the fix of codetag-51ff4d7486f0.c, 0ae0227fa31d
 * ("mm/codetag: move tag retrieval back upfront in __free_pages()", May
 * 2025, v6.15-rc).  The tag is fetched with pgalloc_tag_get(page) before
 * the put, as PageHead is, and pgalloc_tag_sub_pages takes the tag again,
 * touching no page.  The tree had split the free path by then:
 * ___free_pages(page, order, fpi_flags) with __free_frozen_pages, and
 * __free_pages a wrapper passing FPI_NONE (the wrapper's body is written
 * here from that description, not copied).
 *
 * pagerace finds nothing: explore is clean on both story programs at 8
 * preemptions (71 schedules each) and on every program of 2 cpus and 2 ops
 * at 2 preemptions (150978 schedules).
 *
 *	build/pagerace explore --variant-file variants/examples/codetag-0ae0227fa31d.c \
 *		--preemptions 8 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * pagerace-expect: ok
 */
#include <linux/mm.h>

void ___free_pages(struct page *page, unsigned int order,
			  fpi_t fpi_flags)
{
	int head = PageHead(page);
	/* The fix: the tag too is taken while our reference pins page 0. */
	struct alloc_tag *tag = pgalloc_tag_get(page);

	if (put_page_testzero(page))
		__free_frozen_pages(page, order, fpi_flags);
	else if (!head) {
		/* The tag saved above: no access to the page. */
		pgalloc_tag_sub_pages(tag, (1 << order) - 1);
		while (order-- > 0)
			__free_frozen_pages(page + (1 << order), order,
					    fpi_flags);
	}
}

void __free_pages(struct page *page, unsigned int order)
{
	/* The exported entry: no special free flags. */
	___free_pages(page, order, FPI_NONE);
}
