/* linux/mm.h (shim): what a variant file of mm/ includes.  The get and put
 * helpers of include/linux/mm.h, each one scheduling point; put_page is a
 * function a variant file may define (6.2's is the default). */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include "bug.h"
#include "gfp.h"
#include "mm_types.h"
#include "mmdebug.h"
#include "page-flags.h"
#include "page_ref.h"
#include "pgalloc_tag.h"

#define compound_order(page) pr_compound_order(page)
#define folio_order(folio) pr_compound_order(&(folio)->page)
#define folio_nr_pages(folio) (1L << folio_order(folio))

/* A reference the caller has (a count of 0 here is a use-after-free). */
#define get_page(page) ((void)PR_REF(compound_head(page), PR_ADD, 1, 0, "get_page", STEP_REF))
#define folio_get(folio) ((void)PR_REF(folio, PR_ADD, 1, 0, "folio_get", STEP_REF))
/* The speculative reference of a lockless lookup: fails on a count of 0. */
#define get_page_unless_zero(page) (PR_REF(page, PR_ADD_UNLESS, 1, 0, "get_page_unless_zero", STEP_GET) != 0)
#define try_get_page(page) (PR_REF(compound_head(page), PR_ADD_UNLESS, 1, 0, "try_get_page", STEP_GET) != 0)
/* Drop a reference; true when it was the last.  A count of 0 here is the
 * kernel's VM_BUG_ON_PAGE: pagerace's refcount-underflow. */
#define put_page_testzero(page) (PR_REF(page, PR_ADD, -1, 0, "put_page_testzero", STEP_DEC) == 1)
#define folio_put_testzero(folio) (PR_REF(folio, PR_ADD, -1, 0, "folio_put_testzero", STEP_DEC) == 1)
/* One decrement; the last frees the folio whole (rule 3). */
#define folio_put(folio) pr_put_folio(folio, PR_SITE("folio_put", STEP_PUT))
#define __folio_put(folio) pr_free_block(&(folio)->page, pr_compound_order(&(folio)->page))
#define __put_page(page) pr_free_block(page, pr_compound_order(page))

/* What the caller's reference pins (rule 4): no point.  The page cache
 * of the model holds order-0 pages without buffers. */
#define page_index(page) __atomic_load_n(&(page)->index, __ATOMIC_RELAXED)
#define thp_nr_pages(page) (1 << compound_order(page))
#define page_has_private(page) ((void)(page), 0)

#define page_to_pfn(page) pr_page_to_pfn(page)
unsigned long pr_page_to_pfn(const struct page *page);

/* No device memory in the model. */
#define page_is_devmap_managed(page) ((void)(page), false)
#define put_devmap_managed_page(page) ((void)(page), false)

/* A variant file may define it; 6.2's is the default. */
void put_page(struct page *page);

#endif
