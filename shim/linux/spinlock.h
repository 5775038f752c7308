/* linux/spinlock.h (shim): spinlock_t and its lock and unlock forms.
 * Taking a lock is one scheduling point, releasing none; a cpu that waits
 * for a lock another holds is blocked (pagerace/hooks.h, rule 7).  No
 * interrupts in the model: the _irq and _irqsave forms are the plain ones. */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include "compiler.h"

/* The name is the lock's as written, for the trace. */
#define __SPIN_LOCK_UNLOCKED(lockname) ((spinlock_t){ .owner = 0, .name = #lockname })
#define DEFINE_SPINLOCK(x) spinlock_t x = { .owner = 0, .name = #x }
#define spin_lock_init(lock) (*(lock) = __SPIN_LOCK_UNLOCKED(lock))

#define spin_lock(lock) pr_spin_lock(lock, PR_SITE("spin_lock", STEP_LOCK))
#define spin_unlock(lock) pr_spin_unlock(lock, __FILE__, __LINE__)
#define spin_lock_irq(lock) pr_spin_lock(lock, PR_SITE("spin_lock_irq", STEP_LOCK))
#define spin_unlock_irq(lock) pr_spin_unlock(lock, __FILE__, __LINE__)
#define spin_lock_irqsave(lock, flags)                                         \
	do {                                                                   \
		(flags) = 0;                                                   \
		pr_spin_lock(lock, PR_SITE("spin_lock_irqsave", STEP_LOCK));   \
	} while (0)
#define spin_unlock_irqrestore(lock, flags)                                    \
	do {                                                                   \
		(void)(flags);                                                 \
		pr_spin_unlock(lock, __FILE__, __LINE__);                      \
	} while (0)
/* Interrupts stay on: nothing in the model interrupts a cpu. */
#define local_irq_disable() ((void)0)
#define local_irq_enable() ((void)0)

#define spin_trylock(lock) pr_spin_trylock(lock, PR_SITE("spin_trylock", STEP_LOCK))

/* Both BUG when the calling cpu does not hold the lock. */
#define assert_spin_locked(lock) pr_spin_assert_held(lock, "assert_spin_locked", __FILE__, __LINE__)
#define lockdep_assert_held(lock) pr_spin_assert_held(lock, "lockdep_assert_held", __FILE__, __LINE__)

#endif
