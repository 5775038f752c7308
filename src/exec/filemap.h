/* filemap.h: the page cache's writers as the executor runs them, each one
 * scheduling point, and a view of a slot that takes none.
 * Entry points: page_cache_delete, page_cache_insert, page_cache_peek.
 * Includes the model only.
 */
#ifndef PAGERACE_FILEMAP_H
#define PAGERACE_FILEMAP_H

#include "model/mm.h"

/* Removal A: empty the slot; returns what it held, whose reference passes
 * to the caller. */
struct page *page_cache_delete(struct address_space *mapping, pgoff_t index);
/* add_to_page_cache: publish page in an empty slot; false (and the page
 * put) when the slot was taken. */
bool page_cache_insert(struct address_space *mapping, pgoff_t index, struct page *page);
/* The slot as the checker sees it: no point, no trace, no ordering. */
struct page *page_cache_peek(struct mm *mm, unsigned int slot);

#endif
