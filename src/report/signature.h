/* signature.h: a crash's identity for triage (make campaign): what tells a
 * new bug from a duplicate.
 * Entry point: regression_signature.  Reads an execution, runs nothing.
 */
#ifndef PAGERACE_SIGNATURE_H
#define PAGERACE_SIGNATURE_H

#include "exec/exec.h"

struct signature {
	char id[64];     /* "double-free-1a2b3c4d": the verdict and a hash of the cause */
	char cause[512]; /* the cause in words: the verdict's site, the windows */
};

/* The root cause of x's violation (x minimized: signature.c says why):
 * the same race in any program shape has one id, another race another. */
void regression_signature(const struct exec *x, struct signature *sig);

#endif
