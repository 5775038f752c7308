/* linux/page_ref.h (shim): the refcount of a page and of a folio, each
 * helper one scheduling point, as the kernel's are one atomic each. */
#ifndef _LINUX_PAGE_REF_H
#define _LINUX_PAGE_REF_H

#include "page-flags.h"

#define PR_REF(page, op, a, b, fn, kind) pr_atomic((atomic_t *)&(page)->_refcount, op, a, b, PR_SITE(fn, kind))

#define page_ref_count(page) PR_REF(page, PR_READ, 0, 0, "page_ref_count", STEP_READ)
#define page_count(page) PR_REF(compound_head(page), PR_READ, 0, 0, "page_count", STEP_READ)
#define set_page_count(page, v) ((void)PR_REF(page, PR_SET, v, 0, "set_page_count", STEP_WRITE))
#define page_ref_add(page, nr) ((void)PR_REF(page, PR_ADD, nr, 0, "page_ref_add", STEP_REF))
#define page_ref_sub(page, nr) ((void)PR_REF(page, PR_ADD, -(nr), 0, "page_ref_sub", STEP_DEC))
#define page_ref_inc(page) ((void)PR_REF(page, PR_ADD, 1, 0, "page_ref_inc", STEP_REF))
#define page_ref_dec(page) ((void)PR_REF(page, PR_ADD, -1, 0, "page_ref_dec", STEP_DEC))
#define page_ref_inc_return(page) (PR_REF(page, PR_ADD, 1, 0, "page_ref_inc_return", STEP_REF) + 1)
#define page_ref_dec_return(page) (PR_REF(page, PR_ADD, -1, 0, "page_ref_dec_return", STEP_DEC) - 1)
#define page_ref_dec_and_test(page) (PR_REF(page, PR_ADD, -1, 0, "page_ref_dec_and_test", STEP_DEC) == 1)
#define page_ref_sub_and_test(page, nr)                                        \
	({                                                                     \
		int pr_nr__ = (nr);                                            \
		PR_REF(page, PR_ADD, -pr_nr__, 0, "page_ref_sub_and_test", STEP_DEC) == pr_nr__; \
	})
#define page_ref_add_unless(page, nr, u)                                       \
	({                                                                     \
		int pr_u__ = (u);                                              \
		PR_REF(page, PR_ADD_UNLESS, nr, pr_u__, "page_ref_add_unless", STEP_GET) != pr_u__; \
	})
/* Freeze: the count must be exactly what the caller expects, so that no
 * speculative reference exists; it then reads 0 and every get fails. */
#define page_ref_freeze(page, count)                                           \
	({                                                                     \
		int pr_c__ = (count);                                          \
		PR_REF(page, PR_CMPXCHG, pr_c__, 0, "page_ref_freeze", STEP_CMPXCHG) == pr_c__; \
	})
#define page_ref_unfreeze(page, count) ((void)PR_REF(page, PR_UNFREEZE, count, 0, "page_ref_unfreeze", STEP_WRITE))

#define folio_ref_count(folio) PR_REF(folio, PR_READ, 0, 0, "folio_ref_count", STEP_READ)
#define folio_ref_add(folio, nr) ((void)PR_REF(folio, PR_ADD, nr, 0, "folio_ref_add", STEP_REF))
#define folio_ref_sub(folio, nr) ((void)PR_REF(folio, PR_ADD, -(nr), 0, "folio_ref_sub", STEP_DEC))
#define folio_ref_inc(folio) ((void)PR_REF(folio, PR_ADD, 1, 0, "folio_ref_inc", STEP_REF))
#define folio_ref_dec_and_test(folio) (PR_REF(folio, PR_ADD, -1, 0, "folio_ref_dec_and_test", STEP_DEC) == 1)
#define folio_ref_add_unless(folio, nr, u)                                     \
	({                                                                     \
		int pr_u__ = (u);                                              \
		PR_REF(folio, PR_ADD_UNLESS, nr, pr_u__, "folio_ref_add_unless", STEP_GET) != pr_u__; \
	})
#define folio_try_get(folio) (PR_REF(folio, PR_ADD_UNLESS, 1, 0, "folio_try_get", STEP_GET) != 0)
#define folio_try_get_rcu(folio) (PR_REF(folio, PR_ADD_UNLESS, 1, 0, "folio_try_get_rcu", STEP_GET) != 0)
#define folio_ref_freeze(folio, count)                                         \
	({                                                                     \
		int pr_c__ = (count);                                          \
		PR_REF(folio, PR_CMPXCHG, pr_c__, 0, "folio_ref_freeze", STEP_CMPXCHG) == pr_c__; \
	})
#define folio_ref_unfreeze(folio, count) ((void)PR_REF(folio, PR_UNFREEZE, count, 0, "folio_ref_unfreeze", STEP_WRITE))

#endif
