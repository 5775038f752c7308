/* linux/rcupdate.h (shim): the model never frees the memory of a struct
 * page, so an RCU read section guards nothing here and takes no point. */
#ifndef __LINUX_RCUPDATE_H
#define __LINUX_RCUPDATE_H

#include "compiler.h"

#define rcu_read_lock() do { } while (0)
#define rcu_read_unlock() do { } while (0)
#define rcu_dereference(p) READ_ONCE(p)

#endif
