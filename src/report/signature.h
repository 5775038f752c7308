/* signature.h: a crash's identity for triage (make campaign): what tells a
 * new bug from a duplicate.
 * Entry point: regression_signature.  Reads an execution, runs nothing.
 */
#ifndef PAGERACE_SIGNATURE_H
#define PAGERACE_SIGNATURE_H

#include "exec/exec.h"

/* The verdict and the shape of the minimized trace (which cpu took which
 * kind of step, in order), not its bytes: "double-free-1a2b3c4d".  Static. */
const char *regression_signature(const struct exec *x);

#endif
