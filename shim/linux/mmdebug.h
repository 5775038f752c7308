/* linux/mmdebug.h (shim): the VM_BUG_ON family, always on (CONFIG_DEBUG_VM),
 * each ending the execution with a verdict naming the file and line. */
#ifndef LINUX_MM_DEBUG_H
#define LINUX_MM_DEBUG_H

#include "bug.h"

#define VM_BUG_ON(cond) BUG_ON(cond)
#define VM_BUG_ON_PAGE(cond, page)                                             \
	do {                                                                   \
		if (unlikely(cond))                                            \
			pr_bug("VM_BUG_ON_PAGE(" #cond ")", page, __FILE__, __LINE__); \
	} while (0)
#define VM_BUG_ON_FOLIO(cond, folio) VM_BUG_ON_PAGE(cond, &(folio)->page)
#define VM_WARN_ON_ONCE(cond) WARN_ON_ONCE(cond)

#endif
