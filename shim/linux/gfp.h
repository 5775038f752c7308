/* linux/gfp.h (shim): allocation, and the ways back to the buddy.
 * alloc_pages is one scheduling point; the free paths take none: they
 * belong to the step whose put decided them (pagerace/hooks.h, rule 3). */
#ifndef __LINUX_GFP_H
#define __LINUX_GFP_H

#include "mm_types.h"

#define __GFP_COMP 0x4000u
#define GFP_KERNEL 0xcc0u
#define FPI_NONE ((fpi_t)0)

#define alloc_pages(gfp, order) pr_alloc_pages(gfp, order, PR_SITE("alloc_pages", STEP_ALLOC))

/* A variant file may define it; 6.2's is the default. */
void __free_pages(struct page *page, unsigned int order);

/* Each of these frees the block of 2^order pages at page.  free_unref_page
 * took the page alone up to 5.9 and (page, order) from 5.10 on;
 * __free_pages_ok took fpi_flags from 5.9 on: both forms compile. */
#define PR_NARGS_(a, b, c, n, ...) n
#define PR_NARGS(...) PR_NARGS_(__VA_ARGS__, 3, 2, 1, 0)
#define PR_CAT_(a, b) a##b
#define PR_CAT(a, b) PR_CAT_(a, b)
#define PR_FREE_1(page) pr_free_block(page, 0)
#define PR_FREE_2(page, order) pr_free_block(page, order)
#define PR_FREE_3(page, order, fpi) pr_free_block(page, order)
/* free_the_page is 5.3's helper (static inline in mm/page_alloc.c until
 * 6.x): a variant file may define it, as 5.9 has it, and its own
 * __free_pages then calls that; elsewhere it is the free path itself. */
#ifdef PR_VARIANT_ID
void free_the_page(struct page *page, unsigned int order);
#else
#define free_the_page(page, order) pr_free_block(page, order)
#endif
#define free_unref_page(...) PR_CAT(PR_FREE_, PR_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define __free_pages_ok(...) PR_CAT(PR_FREE_, PR_NARGS(__VA_ARGS__))(__VA_ARGS__)
#define free_frozen_pages(page, order) pr_free_block(page, order)
#define __free_frozen_pages(page, order, fpi) pr_free_block(page, order)

#endif
