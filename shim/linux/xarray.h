/* linux/xarray.h (shim): the page cache's array, one level of slots.
 * xas_load and xas_reload are scheduling points; the rest is local. */
#ifndef _LINUX_XARRAY_H
#define _LINUX_XARRAY_H

#include "mm_types.h"

struct xa_state {
	struct xarray *xa;
	unsigned long xa_index;
};

#define XA_STATE(name, array, index) struct xa_state name = { .xa = (array), .xa_index = (index) }

#define xas_load(xas) pr_xas_load(xas, PR_SITE("xas_load", STEP_LOAD))
#define xas_reload(xas) pr_xas_load(xas, PR_SITE("xas_reload", STEP_RECHECK))
#define xas_reset(xas) ((void)(xas))
/* One level, no internal nodes: there is never a retry entry. */
#define xas_retry(xas, entry) ((void)(xas), (void)(entry), false)
#define xa_is_value(entry) (((unsigned long)(entry)) & 1)

#endif
