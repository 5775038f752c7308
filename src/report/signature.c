/* signature.c: a crash's identity for triage, by its root cause: the
 * verdict, where it showed, and the racing accesses its schedule needs.
 * Entry point: regression_signature.  Never runs a program or writes a file.
 *
 * Why these and not the trace's shape: one race shows in many programs.
 * The 2021 race of v5.9 is the same with the page removed by the looking
 * cpu's neighbour or by a third cpu, with a lookup or a get, with an
 * order-1 or an order-2 block; every shape makes the same accesses in the
 * same kernel lines, and needs its preemptions between the same ones: the
 * lookup stopped between its load and its get and between its get and its
 * recheck, the owner between its alloc and its __free_pages.  So:
 *
 *	signature = verdict kind
 *	          + the site of the step that showed it (none for the end's)
 *	          + the set of { the site a preempted cpu waits at, and
 *	                         later takes }
 *
 * a site named by file name, line and primitive.  The access a cpu waits
 * at is the one the race moves past the other cpus' steps (one it never
 * takes, the run stopped at the verdict, moved past nothing: the lookup
 * that returns a page its slot lost is one bug whether the remover was
 * stopped before its put or ran on to free it); the access
 * before it is only where the cpu came from (a ref and a put of the
 * owner's before its free are the same race as none).  A set, sorted:
 * which cpu is preempted first, and how often at one access, is the shape
 * again.  The trace must be minimized (minimize.c: the fewest
 * preemptions, each as late as it can be), else a needless preemption, or
 * one placed early in the stretch the race allows, names another access.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/fnv.h"
#include "report/signature.h"

static int site_cmp(const struct pr_site *a, const struct pr_site *b)
{
	int d = strcmp(site_file_name(a->file), site_file_name(b->file));

	if (!d)
		d = a->line - b->line;
	return d ? d : strcmp(a->fn, b->fn);
}

static int site_ptr_cmp(const void *a, const void *b)
{
	return site_cmp(*(const struct pr_site *const *)a, *(const struct pr_site *const *)b);
}

static uint32_t hash_site(uint32_t h, const struct pr_site *s)
{
	const char *file = s ? site_file_name(s->file) : "";

	h = fnv1a(h, file, strlen(file) + 1);
	h = fnv1a(h, s ? &s->line : &(int){ 0 }, sizeof(int));
	return s ? fnv1a(h, s->fn, strlen(s->fn) + 1) : h;
}

/* The site cpu waits at after its step i and takes later, NULL when it
 * takes no later step (done, or waiting when the run stopped at the
 * verdict: an access that never happened raced with nothing). */
static const struct pr_site *next_site_of(const struct exec *x, int i, int cpu)
{
	for (int j = i + 1; j < x->nsteps; j++)
		if (x->trace[j].cpu == cpu)
			return x->trace[j].site;
	return NULL;
}

/* Append text to buf, as far as it fits. */
static void put_text(char *buf, size_t len, const char *text)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s", text);
}

/* Append site s: "v5.9.c:40 get_page_unless_zero". */
static void put_site(char *buf, size_t len, const struct pr_site *s)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s:%d %s", site_file_name(s->file), s->line, s->fn);
}

void regression_signature(const struct exec *x, struct signature *sig)
{
	static const struct pr_site *w[EXEC_MAX_STEPS];
	const struct pr_site *at = NULL;
	uint32_t h = fnv1a(FNV1A_INIT, &x->verdict.kind, sizeof(x->verdict.kind));
	int n = 0;

	if (x->verdict.step > 0 && x->verdict.step <= x->nsteps)
		at = x->trace[x->verdict.step - 1].site;
	h = hash_site(h, at);
	for (int i = 0; i + 1 < x->nsteps; i++) {
		const struct pr_site *next;

		if (x->trace[i + 1].cpu != x->trace[i].cpu && (next = next_site_of(x, i, x->trace[i].cpu)))
			w[n++] = next;
	}
	qsort(w, (size_t)n, sizeof(w[0]), site_ptr_cmp);
	sig->cause[0] = 0;
	put_text(sig->cause, sizeof(sig->cause), verdict_names[x->verdict.kind]);
	if (at) {
		put_text(sig->cause, sizeof(sig->cause), " at ");
		put_site(sig->cause, sizeof(sig->cause), at);
	}
	for (int i = 0, shown = 0; i < n; i++) {
		if (i > 0 && !site_cmp(w[i], w[i - 1]))
			continue;
		h = hash_site(h, w[i]);
		put_text(sig->cause, sizeof(sig->cause), shown++ ? ", " : "; preempted before ");
		put_site(sig->cause, sizeof(sig->cause), w[i]);
	}
	snprintf(sig->id, sizeof(sig->id), "%s-%08x", verdict_names[x->verdict.kind], h);
}
