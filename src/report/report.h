/* report.h: what a human reads of an execution: the two-column trace, as in
 * Linus's mail of 12 January 2021, the schedule as taken, and the verdict.
 * Entry point: report_print.  Reads an execution, changes nothing.
 */
#ifndef PAGERACE_REPORT_H
#define PAGERACE_REPORT_H

#include <stdio.h>

#include "exec/exec.h"

/* The trace, then the schedule taken and the verdict; the last line is
 * "verdict: KIND [count]". */
void report_print(FILE *out, const struct exec *x);

/* The verdict as "KIND" or "lost-pages N". */
void report_verdict_words(char *buf, size_t len, const struct verdict *v);

#endif
