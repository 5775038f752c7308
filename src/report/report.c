/* report.c: the two-column trace and the verdict of an execution.
 * Entry point: report_print.  Reads an execution, changes nothing.
 */
#include <stdarg.h>
#include <string.h>

#include "report/report.h"

#define CELL 96

static int cat(char *buf, int len, int used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int cat(char *buf, int len, int used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (used >= len)
		return used;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, (size_t)(len - used), fmt, ap);
	va_end(ap);
	return n < 0 ? used : used + n;
}

static int pages(char *buf, int len, int used, int lo, int hi)
{
	return lo == hi ? cat(buf, len, used, "p%d", lo) : cat(buf, len, used, "p%d-p%d", lo, hi);
}

/* One step in words: where the kernel code took its point, the primitive
 * and what it touched, its refcount change, what it freed. */
static void format_step(const struct trace_step *t, char *buf, int len)
{
	const char *fn = t->site->fn;
	int n = cat(buf, len, 0, "%s:%d  ", site_file_name(t->site->file), t->site->line);

	switch (t->kind) {
	case STEP_LOAD:
	case STEP_UNLINK:
		n = cat(buf, len, n, "%s(s%d): ", fn, t->slot);
		n = t->page < 0 ? cat(buf, len, n, "empty") : cat(buf, len, n, "p%d", t->page);
		break;
	case STEP_RECHECK:
		n = cat(buf, len, n, "%s(s%d): %s", fn, t->slot, t->yes ? "same" : "changed");
		break;
	case STEP_ALLOC:
		n = cat(buf, len, n, "%s(o%d%s): ", fn, t->order, t->yes ? " comp" : "");
		n = t->page < 0 ? cat(buf, len, n, "none") : pages(buf, len, n, t->page, t->page + (1 << t->order) - 1);
		break;
	case STEP_LINK:
		n = cat(buf, len, n, "%s(s%d, p%d)%s", fn, t->slot, t->page, t->yes ? "" : ": busy, put");
		break;
	case STEP_HEAD:
		n = cat(buf, len, n, "%s(p%d): %s", fn, t->page, t->yes ? "yes" : "no");
		break;
	case STEP_LOCK: /* taken, or an attempt that found it held (rule 7) */
		n = cat(buf, len, n, "%s(%s)", fn, t->lock ? t->lock : "?");
		if (!t->yes)
			n = cat(buf, len, n, ": held by cpu %d", t->waited);
		else if (t->waited >= 0)
			n = cat(buf, len, n, ", waited for cpu %d", t->waited);
		break;
	default:
		n = t->page < 0 ? cat(buf, len, n, "%s", fn) : cat(buf, len, n, "%s(p%d)", fn, t->page);
		if (t->kind == STEP_READ && t->page >= 0)
			n = cat(buf, len, n, ": %d", t->ref_old);
	}
	if (t->kind == STEP_GET && !t->yes)
		n = cat(buf, len, n, " fails at %d", t->ref_old);
	else if (t->ref_pfn >= 0)
		n = cat(buf, len, n, " %d->%d", t->ref_old, t->ref_new);
	if (t->free_lo >= 0) {
		n = cat(buf, len, n, ", frees ");
		n = pages(buf, len, n, t->free_lo, t->free_hi);
	}
	/* A page-cache writer that waited for the mapping's lock. */
	if (t->kind != STEP_LOCK && t->waited >= 0 && t->lock)
		n = cat(buf, len, n, ", waited for %s held by cpu %d", t->lock, t->waited);
}

void report_verdict_words(char *buf, size_t len, const struct verdict *v)
{
	if (v->kind == VERDICT_LOST_PAGES)
		snprintf(buf, len, "%s %d", verdict_names[v->kind], v->count);
	else
		snprintf(buf, len, "%s", verdict_names[v->kind]);
}

static void print_row(FILE *out, const char *lead, const char *const cells[], const int width[])
{
	char line[PR_MAX_CPUS * (CELL + 2) + 16];
	int n = snprintf(line, sizeof(line), "%s", lead);

	for (int c = 0; c < PR_MAX_CPUS; c++)
		if (width[c])
			n += snprintf(line + n, sizeof(line) - (size_t)n, "  %-*s", width[c], cells[c] ? cells[c] : "");
	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(out, "%s\n", line);
}

void report_print(FILE *out, const struct exec *x)
{
	const struct program *prog = x->prog;
	int width[PR_MAX_CPUS] = { 0 };
	char head[PR_MAX_CPUS][16];
	const char *cells[PR_MAX_CPUS];
	char cell[CELL], verdict[64];
	int nsteps = x->nsteps;

	fprintf(out, "variant %s (%s), %u pages, %u slots\n", x->variant->name, x->variant->path,
		prog->npages, prog->nslots);
	for (unsigned int s = 0; s < MM_MAX_SLOTS; s++)
		if (prog->cache >> s & 1)
			fprintf(out, "cache s%u: p%d, refcount 1\n", s, x->cache_pfn[s]);
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		if (!(prog->cpus >> c & 1))
			continue;
		width[c] = snprintf(head[c], sizeof(head[c]), "cpu %d", c);
		cells[c] = head[c];
	}
	for (int i = 0; i < nsteps; i++) {
		int n;

		format_step(&x->trace[i], cell, sizeof(cell));
		n = (int)strlen(cell) + (i + 1 == x->verdict.step ? 4 + (int)strlen(verdict_names[x->verdict.kind]) : 0);
		if (n > width[x->trace[i].cpu])
			width[x->trace[i].cpu] = n;
	}
	fputc('\n', out);
	print_row(out, "step", cells, width);
	for (int i = 0; i < nsteps; i++) {
		char lead[16];

		memset(cells, 0, sizeof(cells));
		format_step(&x->trace[i], cell, sizeof(cell));
		if (i + 1 == x->verdict.step)
			snprintf(cell + strlen(cell), sizeof(cell) - strlen(cell), " !! %s",
				 verdict_names[x->verdict.kind]);
		cells[x->trace[i].cpu] = cell;
		snprintf(lead, sizeof(lead), "%4d", i + 1);
		print_row(out, lead, cells, width);
	}
	fputs("\nschedule:", out);
	for (int i = 0; i < nsteps; i++)
		fprintf(out, " %d", x->trace[i].cpu);
	fprintf(out, "\n(%d steps, %d preemptions)\n", nsteps, x->sched.preemptions);
	if (x->verdict.kind != VERDICT_OK) {
		if (x->verdict.step)
			fprintf(out, "at step %d: %s\n", x->verdict.step, x->verdict.detail);
		else if (x->verdict.kind == VERDICT_LOST_PAGES)
			fprintf(out, "at the end: %s neither free nor held\n", x->verdict.detail);
		else
			fprintf(out, "at the end: %s\n", x->verdict.detail);
	}
	report_verdict_words(verdict, sizeof(verdict), &x->verdict);
	fprintf(out, "verdict: %s\n", verdict);
}
