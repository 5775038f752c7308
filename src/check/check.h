/* check.h: the invariant checker and its verdicts.
 * Entry points: check_step (after every step), check_end (after the end).
 * Only reads the model.
 */
#ifndef PAGERACE_CHECK_H
#define PAGERACE_CHECK_H

#include <stdbool.h>

#include "model/mm.h"

enum verdict_kind {
	VERDICT_OK,
	VERDICT_LOST_PAGES,         /* pages neither free nor held at the end */
	VERDICT_DOUBLE_FREE,        /* a block freed while a page of it is free */
	VERDICT_REFCOUNT_UNDERFLOW, /* a count dropped below zero */
	VERDICT_USE_AFTER_FREE,     /* ref or put on a page whose count is 0 */
	VERDICT_BUDDY_CORRUPT,      /* free lists overlapping, misaligned, unmerged */
	VERDICT_STUCK,              /* the step bound ran out */
	VERDICT_BUG,                /* BUG_ON or VM_BUG_ON_PAGE fired in kernel code */
	VERDICT_UNREFERENCED_ACCESS, /* --refs: a page touched without a reference (primitives.c) */
	VERDICT_DEADLOCK,           /* cpus left that can never run: each waits for a lock (hooks.h rule 7) */
	NR_VERDICTS
};

struct verdict {
	int kind;         /* enum verdict_kind */
	int count;        /* lost-pages: how many */
	int step;         /* the step that showed it; 0 for the end */
	char detail[200]; /* which pages, in words; for bug, what fired where */
};

extern const char *const verdict_names[NR_VERDICTS];

/* -1 when no verdict has this name. */
int verdict_by_name(const char *name, int len);

void verdict_ok(struct verdict *v);

/* What the step just taken broke, if anything: the bug the model reported,
 * then the buddy invariants when the step allocated or freed (buddy; step
 * 0, the end: always).  False when a violation was recorded in v. */
bool check_step(struct mm *mm, struct verdict *v, int step, bool buddy);

/* After the program ended and its references were dropped: every page must
 * be free again.  False when pages were lost. */
bool check_end(struct mm *mm, struct verdict *v);

void check_stuck(struct verdict *v, int steps);

#endif
