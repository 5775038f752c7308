/* lost_pages.h: the lost-pages oracle: at a program's end, drop what it
 * still holds the correct way, so that any page not free afterwards was
 * lost by the run itself.
 * Entry points: lost_pages_release (a handle's hold), lost_pages_check
 * (the cache's, then the verdict).  Includes the model, the checker and
 * the contract's ledger; never a variant.
 */
#ifndef PAGERACE_LOST_PAGES_H
#define PAGERACE_LOST_PAGES_H

#include "check/check.h"
#include "lang/contract.h"

/* What the contract says a handle still holds of page (its ledger owed),
 * given back: a put per ref, each at the page's compound order as folio_put
 * frees, then the free its allocation owes, at order. */
void lost_pages_release(struct mm *mm, struct page *page, unsigned int order,
			const struct contract_handle *owed);

/* After every handle's lost_pages_release: the cache's pages released
 * (the cache holds one reference to each), then the end's checks: the
 * model's first bug and the buddy's invariants (check_step), and every
 * page free (check_end).  False when a violation was recorded in v. */
bool lost_pages_check(struct mm *mm, struct verdict *v);

#endif
