/* lost_pages.c: the lost-pages oracle.  The release is the model's own
 * (page_ref_release: the count to zero, then the buddy free of the right
 * order), never the variant's: the variant under test may be the one that
 * loses pages, and the oracle must not share its bug.
 * Entry points: lost_pages_release, lost_pages_check.  Never includes a variant.
 */
#include "check/lost_pages.h"

void lost_pages_release(struct mm *mm, struct page *page, unsigned int order,
			const struct contract_handle *owed)
{
	for (int r = 0; r < owed->refs; r++)
		page_ref_release(mm, page, page_compound_order(page));
	if (contract_owes_free(owed))
		page_ref_release(mm, page, order);
}

bool lost_pages_check(struct mm *mm, struct verdict *v)
{
	for (unsigned int s = 0; s < mm->nslots; s++) {
		struct page *page = page_cache_take(&mm->mapping, s);

		if (page)
			page_ref_release(mm, page, page_compound_order(page));
	}
	return check_step(mm, v, 0, true) && check_end(mm, v);
}
