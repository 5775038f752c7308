/* fnv.h: FNV-1a, the one hash that names what pagerace keeps: a story's
 * file (story.c), a crash's signature (signature.c), a compiled variant
 * file in its cache (cli/variant_file.c, 64 bits).
 * Entry point: fnv1a.  Header only; includes nothing of pagerace.
 */
#ifndef PAGERACE_FNV_H
#define PAGERACE_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A_INIT 2166136261u

/* The same bytes, the same name: h from FNV1A_INIT, or a previous call's. */
static inline uint32_t fnv1a(uint32_t h, const void *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ ((const uint8_t *)p)[i]) * 16777619u;
	return h;
}

#define FNV1A64_INIT 14695981039346656037ull

static inline uint64_t fnv1a64(uint64_t h, const void *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ ((const uint8_t *)p)[i]) * 1099511628211ull;
	return h;
}

#endif
