/* variant_file.h: a kernel variant from a user's C file (see variant.h).
 * Entry point: variant_load.
 */
#ifndef PAGERACE_VARIANT_FILE_H
#define PAGERACE_VARIANT_FILE_H

#include "variant/variant.h"

/* The variant the file at path defines, compiled and loaded; NULL with
 * the compiler's or pagerace's message on stderr. */
const struct variant *variant_load(const char *path);

#endif
