/* linux/bug.h (shim): BUG_ON ends the execution with a verdict naming the
 * file and line, as the kernel's oops names them; WARN_ON only says so. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include "compiler.h"

#define BUG() pr_bug("BUG()", NULL, __FILE__, __LINE__)
#define BUG_ON(cond)                                                           \
	do {                                                                   \
		if (unlikely(cond))                                            \
			pr_bug("BUG_ON(" #cond ")", NULL, __FILE__, __LINE__); \
	} while (0)
#define WARN_ON(cond) unlikely(cond)
#define WARN_ON_ONCE(cond) unlikely(cond)

#endif
