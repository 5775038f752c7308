/* linux/migrate.h (shim): what page migration's code names of it. */
#ifndef _LINUX_MIGRATE_H
#define _LINUX_MIGRATE_H

#include "mm.h"

#define MIGRATEPAGE_SUCCESS 0

#endif
