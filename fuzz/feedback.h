/* feedback.h: coverage of interleavings, not only of code: what happened
 * between cpus in one execution, turned into edges the fuzzers count.
 * Entry point: feedback_record.  Reads an execution after it ended.
 */
#ifndef PAGERACE_FEEDBACK_H
#define PAGERACE_FEEDBACK_H

#include "exec/exec.h"

void feedback_record(const struct exec *x);

#endif
