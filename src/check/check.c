/* check.c: the invariant checker: turns what the model reports and what its
 * state shows into one verdict per execution, the first violation found.
 * Entry points: check_step, check_end.  Only reads the model.
 */
#include <stdio.h>
#include <string.h>

#include "check/check.h"

const char *const verdict_names[NR_VERDICTS] = {
	[VERDICT_OK] = "ok",
	[VERDICT_LOST_PAGES] = "lost-pages",
	[VERDICT_DOUBLE_FREE] = "double-free",
	[VERDICT_REFCOUNT_UNDERFLOW] = "refcount-underflow",
	[VERDICT_USE_AFTER_FREE] = "use-after-free",
	[VERDICT_BUDDY_CORRUPT] = "buddy-corrupt",
	[VERDICT_STUCK] = "stuck",
	[VERDICT_BUG] = "bug",
	[VERDICT_UNREFERENCED_ACCESS] = "unreferenced-access",
	[VERDICT_DEADLOCK] = "deadlock",
};

int verdict_by_name(const char *name, int len)
{
	for (int k = 0; k < NR_VERDICTS; k++)
		if ((int)strlen(verdict_names[k]) == len && !memcmp(verdict_names[k], name, len))
			return k;
	return -1;
}

void verdict_ok(struct verdict *v)
{
	memset(v, 0, sizeof(*v));
}

static bool violation(struct verdict *v, int kind, int step)
{
	v->kind = kind;
	v->step = step;
	return false;
}

bool check_step(struct mm *mm, struct verdict *v, int step, bool buddy)
{
	int pfn;

	switch (mm_first_bug(mm, &pfn)) {
	case MM_BUG_NONE:
		break;
	case MM_BUG_DOUBLE_FREE:
		snprintf(v->detail, sizeof(v->detail), "p%d freed while it is free", pfn);
		return violation(v, VERDICT_DOUBLE_FREE, step);
	case MM_BUG_REFCOUNT_UNDERFLOW:
		snprintf(v->detail, sizeof(v->detail), "p%d put with refcount 0", pfn);
		return violation(v, VERDICT_REFCOUNT_UNDERFLOW, step);
	case MM_BUG_USE_AFTER_FREE:
		snprintf(v->detail, sizeof(v->detail), "p%d used after it was freed", pfn);
		return violation(v, VERDICT_USE_AFTER_FREE, step);
	case MM_BUG_LOOKUP_STALE:
		/* The caller would use a page that left the cache, freed or
		 * reused by now: a use-after-free of its own. */
		snprintf(v->detail, sizeof(v->detail), "p%d returned by a lookup whose slot no longer holds it",
			 pfn);
		return violation(v, VERDICT_USE_AFTER_FREE, step);
	case MM_BUG_BUDDY_CORRUPT:
		snprintf(v->detail, sizeof(v->detail), "p%d freed as a misaligned block", pfn);
		return violation(v, VERDICT_BUDDY_CORRUPT, step);
	case MM_BUG_BUG:
		if (pfn >= 0)
			snprintf(v->detail, sizeof(v->detail), "%s, page p%d", mm->bug_what, pfn);
		else
			snprintf(v->detail, sizeof(v->detail), "%s", mm->bug_what);
		return violation(v, VERDICT_BUG, step);
	case MM_BUG_UNREFERENCED:
		snprintf(v->detail, sizeof(v->detail), "%s", mm->bug_what);
		return violation(v, VERDICT_UNREFERENCED_ACCESS, step);
	case MM_BUG_DEADLOCK:
		snprintf(v->detail, sizeof(v->detail), "%s", mm->bug_what);
		return violation(v, VERDICT_DEADLOCK, step);
	}
	/* The free lists change only when a step allocates or frees; the
	 * end of an execution (step 0) recounts them whatever happened. */
	if ((step == 0 || buddy) &&
	    !buddy_is_valid(mm, v->detail, sizeof(v->detail)))
		return violation(v, VERDICT_BUDDY_CORRUPT, step);
	return true;
}

/* Appends "pA-pB" or "pA" to buf. */
static void add_range(char *buf, size_t len, int lo, int hi)
{
	size_t used = strlen(buf);

	if (used + 24 >= len) {
		if (used + 5 < len)
			strcat(buf, " ...");
		return;
	}
	snprintf(buf + used, len - used, lo == hi ? "%sp%d" : "%sp%d-p%d", used ? " " : "", lo, hi);
}

bool check_end(struct mm *mm, struct verdict *v)
{
	int lost = 0, lo = -1;
	bool free[MM_MAX_PAGES];

	v->detail[0] = '\0';
	pages_free_map(mm, free);
	for (int pfn = 0; pfn <= (int)mm->npages; pfn++) {
		bool is_lost = pfn < (int)mm->npages && !free[pfn];

		if (is_lost) {
			lost++;
			if (lo < 0)
				lo = pfn;
		} else if (lo >= 0) {
			add_range(v->detail, sizeof(v->detail), lo, pfn - 1);
			lo = -1;
		}
	}
	if (!lost)
		return true;
	v->count = lost;
	return violation(v, VERDICT_LOST_PAGES, 0);
}

void check_stuck(struct verdict *v, int steps)
{
	snprintf(v->detail, sizeof(v->detail), "cpus still had steps after %d", steps);
	violation(v, VERDICT_STUCK, steps);
}
