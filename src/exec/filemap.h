/* filemap.h: the page cache's writers as the executor runs them, each one
 * scheduling point (the model's page_cache_take and peek take none).
 * Entry points: page_cache_delete, page_cache_insert.
 * Includes the model only.
 *
 * The writers run under the mapping's lock (i_pages), as the kernel's
 * __delete_from_page_cache and __add_to_page_cache_locked are called with
 * it held: each is still its one step, but that step waits while another
 * cpu holds the lock (a variant's locked lookup), and takes and releases
 * it within itself (shim/pagerace/hooks.h, rule 7).
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

#endif
