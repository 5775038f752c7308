/* variant_file.h: a kernel variant from a user's C file (see variant.h),
 * and the functions the file defines, counted as they are entered.
 * Entry points: variant_load, variant_file_functions.
 */
#ifndef PAGERACE_VARIANT_FILE_H
#define PAGERACE_VARIANT_FILE_H

#include "variant/variant.h"

/* The variant the file at path defines, compiled (or taken from the cache,
 * build/variant-cache/) and loaded, the ops it adds added to the program
 * language; NULL with the compiler's or pagerace's message on stderr.  One
 * per process. */
const struct variant *variant_load(const char *path);

/* A function the loaded file defines, with how often it was entered since
 * the load (any program run under it counts). */
struct variant_function {
	const char *name;    /* as in the object: the prelude's pr_file_ names */
	void *addr;
	bool exported;       /* else static */
	unsigned long calls; /* relaxed atomic */
};

/* The loaded file's functions, in the object's order; how many. */
int variant_file_functions(const struct variant_function **fns);

/* The name as the file wrote it (less the prelude's prefix). */
const char *variant_file_name(const struct variant_function *f);

#endif
