/* pagerace/types.h: the kernel's basic types (linux/types.h, whose name the
 * system's uapi header holds: the shim leaves it to that one). */
#ifndef PAGERACE_TYPES_H
#define PAGERACE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hooks.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef unsigned long pgoff_t;
typedef unsigned int gfp_t;
typedef unsigned int fpi_t;

#endif
