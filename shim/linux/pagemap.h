/* linux/pagemap.h (shim): the page cache's lookups.  A variant file may
 * define one of them: find_get_entry (5.x, a page) or filemap_get_entry
 * (6.x, a folio); 6.2's is the default. */
#ifndef _LINUX_PAGEMAP_H
#define _LINUX_PAGEMAP_H

#include "mm.h"
#include "rcupdate.h"
#include "xarray.h"

struct page *find_get_entry(struct address_space *mapping, pgoff_t index);
void *filemap_get_entry(struct address_space *mapping, pgoff_t index);

/* The speculative reference of 2.6.27 to 5.x, one point. */
#define page_cache_get_speculative(page)                                       \
	(PR_REF(page, PR_ADD_UNLESS, 1, 0, "page_cache_get_speculative", STEP_GET) != 0)
#define page_cache_add_speculative(page, count)                                \
	(PR_REF(page, PR_ADD_UNLESS, count, 0, "page_cache_add_speculative", STEP_GET) != 0)
/* No huge pages in the page cache of the model: a page is its own subpage. */
#define find_subpage(page, offset) ((void)(offset), (page))

#endif
