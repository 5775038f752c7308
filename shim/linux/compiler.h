/* linux/compiler.h (shim): branch hints, marked accesses and barriers.
 * READ_ONCE and friends on the model's shared state take a scheduling
 * point (pagerace/hooks.h, rule 1); on anything else they are just the
 * relaxed access.  Barriers are fences and take no point (rule 5). */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include "../pagerace/types.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")

#define PR_MARKED_LOAD(x, order, fn)                                           \
	({                                                                     \
		pr_point(PR_SITE(fn, STEP_READ), &(x));                        \
		__auto_type pr_v__ = __atomic_load_n(&(x), order);             \
		pr_observe(&pr_v__, sizeof(pr_v__));                           \
		pr_v__;                                                        \
	})
#define PR_MARKED_STORE(x, val, order, fn)                                     \
	do {                                                                   \
		pr_point(PR_SITE(fn, STEP_WRITE), &(x));                       \
		__atomic_store_n(&(x), (val), order);                          \
	} while (0)

#define READ_ONCE(x) PR_MARKED_LOAD(x, __ATOMIC_RELAXED, "READ_ONCE")
#define WRITE_ONCE(x, val) PR_MARKED_STORE(x, val, __ATOMIC_RELAXED, "WRITE_ONCE")
#define smp_load_acquire(p) PR_MARKED_LOAD(*(p), __ATOMIC_ACQUIRE, "smp_load_acquire")
#define smp_store_release(p, v) PR_MARKED_STORE(*(p), v, __ATOMIC_RELEASE, "smp_store_release")

#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()

#endif
