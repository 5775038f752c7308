/* codetag-51ff4d7486f0.c: __free_pages after 51ff4d7486f0 ("mm: avoid extra
 * mem_alloc_profiling_enabled() checks", 6.15-rc1), with memory allocation
 * profiling on.  That commit made pgalloc_tag_sub_pages take the page and
 * look its tag up itself, which moved the tag read of page 0 after the
 * put.  Written as the tree had it before the free path was split into
 * ___free_pages(page, order, fpi_flags) calling __free_frozen_pages (the
 * split keeps the bug: see codetag-0ae0227fa31d.c for that shape); the
 * body comes from the context of a patch on top of it.
 *
 * The bug: after a put that was not the last, a non-compound page reads
 * its tag to uncharge the tail pages.  By then the other holder (a
 * lookup's speculative reference) may have dropped the last reference and
 * freed page 0: the tag read is a use-after-free.  Fixed by 0ae0227fa31d
 * (codetag-0ae0227fa31d.c).  pagerace: explore on the story program
 * reports use-after-free at pgalloc_tag_sub_pages from 4 preemptions on
 * (2 of 55 schedules at 4; clean at 3).  The compound CVE program is
 * clean (a head takes the other branch), and so is every program of 2
 * cpus and 2 ops at 2 preemptions: the bug needs remove, alloc and free
 * on one cpu.
 *
 *	build/pagerace explore --variant-file variants/examples/codetag-51ff4d7486f0.c \
 *		--preemptions 4 --out /tmp corpus/regressions/wilcox-2021-two-cpus.prog
 *
 * pagerace-expect: use-after-free
 */
#include <linux/mm.h>

void __free_pages(struct page *page, unsigned int order)
{
	int head = PageHead(page);

	if (put_page_testzero(page))
		free_frozen_pages(page, order);
	else if (!head) {
		/* The bug: page 0's tag looked up after our put; the other
		 * holder may have freed page 0 by now. */
		pgalloc_tag_sub_pages(page, (1 << order) - 1);
		while (order-- > 0)
			free_frozen_pages(page + (1 << order), order);
	}
}
