/* pagerace/prelude.h: forced into a variant file by the build (-include,
 * with -DPR_VARIANT_ID=<id>): the variant functions the file defines (and
 * free_the_page, a helper it may define) become this variant's own symbols, so that several variants live in one
 * binary; what the file does not define is 6.2's (src/variant/variant_defaults.c). */
#ifndef PAGERACE_PRELUDE_H
#define PAGERACE_PRELUDE_H

#ifndef PR_VARIANT_ID
#error "build variant files with -DPR_VARIANT_ID=<id> (the Makefile and pagerace do)"
#endif
#define PR_VSYM__(id, name) pr_##id##_##name
#define PR_VSYM_(id, name) PR_VSYM__(id, name)
#define PR_VSYM(name) PR_VSYM_(PR_VARIANT_ID, name)

#define __free_pages PR_VSYM(__free_pages)
#define put_page PR_VSYM(put_page)
#define find_get_entry PR_VSYM(find_get_entry)
#define filemap_get_entry PR_VSYM(filemap_get_entry)
/* A helper a pasted __free_pages may come with (shim/linux/gfp.h). */
#define free_the_page PR_VSYM(free_the_page)

/* PAGERACE_OP: the ops a file adds to the program language. */
#include "op.h"

#endif
