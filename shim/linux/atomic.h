/* linux/atomic.h (shim): atomic_t, each op one scheduling point, ordered
 * as the kernel's: value-returning read-modify-writes fully, atomic_read
 * and atomic_set not at all, the _acquire and _release forms so.  On a page's
 * _refcount the checker watches them (pagerace/hooks.h, pr_atomic). */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include "compiler.h"

#define PR_ATOMIC(v, op, a, b, fn) pr_atomic((atomic_t *)(v), op, a, b, PR_SITE(fn, PR_BY_ACCESS))

#define atomic_read(v) PR_ATOMIC(v, PR_READ, 0, 0, "atomic_read")
#define atomic_read_acquire(v) PR_ATOMIC(v, PR_READ_ACQUIRE, 0, 0, "atomic_read_acquire")
#define atomic_set(v, i) ((void)PR_ATOMIC(v, PR_SET, i, 0, "atomic_set"))
#define atomic_set_release(v, i) ((void)PR_ATOMIC(v, PR_SET_RELEASE, i, 0, "atomic_set_release"))
#define atomic_inc(v) ((void)PR_ATOMIC(v, PR_ADD, 1, 0, "atomic_inc"))
#define atomic_dec(v) ((void)PR_ATOMIC(v, PR_ADD, -1, 0, "atomic_dec"))
#define atomic_add(i, v) ((void)PR_ATOMIC(v, PR_ADD, i, 0, "atomic_add"))
#define atomic_sub(i, v) ((void)PR_ATOMIC(v, PR_ADD, -(i), 0, "atomic_sub"))
#define atomic_inc_return(v) (PR_ATOMIC(v, PR_ADD, 1, 0, "atomic_inc_return") + 1)
#define atomic_dec_return(v) (PR_ATOMIC(v, PR_ADD, -1, 0, "atomic_dec_return") - 1)
#define atomic_fetch_add(i, v) PR_ATOMIC(v, PR_ADD, i, 0, "atomic_fetch_add")
#define atomic_dec_and_test(v) (PR_ATOMIC(v, PR_ADD, -1, 0, "atomic_dec_and_test") == 1)
#define atomic_sub_and_test(i, v)                                              \
	({                                                                     \
		int pr_i__ = (i);                                              \
		PR_ATOMIC(v, PR_ADD, -pr_i__, 0, "atomic_sub_and_test") == pr_i__; \
	})
#define atomic_add_unless(v, a, u)                                             \
	({                                                                     \
		int pr_u__ = (u);                                              \
		PR_ATOMIC(v, PR_ADD_UNLESS, a, pr_u__, "atomic_add_unless") != pr_u__; \
	})
#define atomic_inc_not_zero(v) (PR_ATOMIC(v, PR_ADD_UNLESS, 1, 0, "atomic_inc_not_zero") != 0)
#define atomic_cmpxchg(v, old, new) PR_ATOMIC(v, PR_CMPXCHG, old, new, "atomic_cmpxchg")
#define atomic_try_cmpxchg(v, pold, new)                                       \
	({                                                                     \
		int *pr_o__ = (pold);                                          \
		int pr_seen__ = PR_ATOMIC(v, PR_CMPXCHG, *pr_o__, new, "atomic_try_cmpxchg"); \
		bool pr_ok__ = pr_seen__ == *pr_o__;                           \
		if (!pr_ok__)                                                  \
			*pr_o__ = pr_seen__;                                   \
		pr_ok__;                                                       \
	})

#endif
