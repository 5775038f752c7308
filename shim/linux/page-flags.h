/* linux/page-flags.h (shim): the page flags the protocol reads.  Each test
 * is one scheduling point (pagerace/hooks.h, rule 1). */
#ifndef PAGE_FLAGS_H
#define PAGE_FLAGS_H

#include "mm_types.h"

enum pageflags {
	PG_head,  /* the head of a compound allocation */
	PG_buddy, /* the head of a free block (the kernel's PageBuddy type) */
};

#define PageHead(page) pr_page_test(page, PR_TEST_HEAD, PR_SITE("PageHead", STEP_HEAD))
#define PageTail(page) pr_page_test(page, PR_TEST_TAIL, PR_SITE("PageTail", STEP_HEAD))
#define PageCompound(page) pr_page_test(page, PR_TEST_COMPOUND, PR_SITE("PageCompound", STEP_HEAD))
#define folio_test_large(folio) pr_page_test(&(folio)->page, PR_TEST_HEAD, PR_SITE("folio_test_large", STEP_HEAD))
#define folio_test_head(folio) pr_page_test(&(folio)->page, PR_TEST_HEAD, PR_SITE("folio_test_head", STEP_HEAD))

/* Rule 4: what the caller's reference pins, read without a point. */
#define compound_head(page) pr_compound_head(page)
#define page_folio(p) ((struct folio *)pr_compound_head(p))
#define folio_page(folio, n) (&(folio)->page + (n))

#endif
