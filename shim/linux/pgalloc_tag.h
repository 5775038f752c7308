/* linux/pgalloc_tag.h (shim): allocation tags (memory allocation
 * profiling).  Reading a page's tag is one scheduling point; a read of a
 * page freed since the op took it is a use-after-free.
 * pgalloc_tag_sub_pages takes a page, as 51ff4d7486f0 wrote it (it reads
 * the page's tag), or a tag, as 0ae0227fa31d does (no access). */
#ifndef _LINUX_PGALLOC_TAG_H
#define _LINUX_PGALLOC_TAG_H

#include "mm_types.h"

#define pgalloc_tag_get(page) pr_tag_get(page, PR_SITE("pgalloc_tag_get", STEP_TAG))
#define pgalloc_tag_sub_pages(x, nr)                                           \
	_Generic((x),                                                          \
		struct page *: pr_tag_sub_page((struct page *)(void *)(x), nr, \
					       PR_SITE("pgalloc_tag_sub_pages", STEP_TAG)), \
		struct alloc_tag *: pr_tag_sub_tag((struct alloc_tag *)(void *)(x), nr))

#endif
