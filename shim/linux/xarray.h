/* linux/xarray.h (shim): the page cache's array, one level of slots, and
 * its lock.  xas_load, xas_reload and the lock's taking are scheduling
 * points; the rest is local. */
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
/* Replace the slot's entry, one point; the old entry is returned.  The
 * cache takes the caller's reference on the new one. */
#define xas_store(xas, entry) pr_xas_store(xas, entry, PR_SITE("xas_store", STEP_LINK))
#define xas_reset(xas) ((void)(xas))
/* One level, no internal nodes: there is never a retry entry. */
#define xas_retry(xas, entry) ((void)(xas), (void)(entry), false)
#define xa_is_value(entry) (((unsigned long)(entry)) & 1)

/* The array's lock, as 6.x's page cache takes mapping->i_pages's. */
#define xa_lock(xa) spin_lock(&(xa)->xa_lock)
#define xa_unlock(xa) spin_unlock(&(xa)->xa_lock)
#define xa_lock_irq(xa) spin_lock_irq(&(xa)->xa_lock)
#define xa_unlock_irq(xa) spin_unlock_irq(&(xa)->xa_lock)
#define xas_lock(xas) spin_lock(&(xas)->xa->xa_lock)
#define xas_unlock(xas) spin_unlock(&(xas)->xa->xa_lock)
#define xas_lock_irq(xas) spin_lock_irq(&(xas)->xa->xa_lock)
#define xas_unlock_irq(xas) spin_unlock_irq(&(xas)->xa->xa_lock)

#endif
