/* story.c: the regression stories of corpus/regressions/: their writer and
 * the one reader of their expect lines (the format: report/story.h).
 * Entry points: regression_write, story_expect_parse.  Never includes an engine.
 */
#include <stdlib.h>
#include <string.h>

#include "report/fnv.h"
#include "report/report.h"
#include "report/story.h"

/* The expect lines' openings, by mode: [refs]. */
static const char *const expect_opening[2] = { "# expect:", "# expect --refs:" };

/* Each line of text into out, behind "# ". */
static void comment_lines(FILE *out, const char *text)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);

		fprintf(out, n ? "#   %.*s\n" : "#\n", n, p);
		p += n + (nl != NULL);
	}
}

/* Does prog name an op a variant file adds?  Then only that file runs it. */
static bool names_added_op(const struct program *prog)
{
	for (int c = 0; c < PR_MAX_CPUS; c++)
		for (int i = 0; i < prog->nops[c]; i++)
			if (prog->ops[c][i].kind >= NR_OPS)
				return true;
	return false;
}

/* One expect line: prog's verdict under v in mode, v named as written. */
static void expect_line(FILE *f, struct exec *x, const struct program *prog, const struct variant *v, int mode,
			const char *name)
{
	char verdict[64];

	x->refs = mode;
	exec_run(x, prog, v);
	report_verdict_words(verdict, sizeof(verdict), &x->verdict);
	fprintf(f, "%s %s %s\n", expect_opening[mode], name, verdict);
}

const char *regression_write(const char *dir, struct exec *x, const struct program *prog,
			     const char *origin)
{
	static char path[4096];
	const struct variant *found = x->variant;
	bool refs = x->refs, files_only = names_added_op(prog);
	struct program body = *prog;
	char *text = NULL, *trace = NULL, verdict[64];
	size_t tlen, trlen;
	FILE *f;

	body.variant = variant_index(found);
	f = open_memstream(&text, &tlen);
	program_print(f, &body);
	fclose(f);
	f = open_memstream(&trace, &trlen);
	report_print(f, x);
	fclose(f);
	report_verdict_words(verdict, sizeof(verdict), &x->verdict);
	snprintf(path, sizeof(path), "%s/%s-%s-%08x.prog", dir, found->name,
		 verdict_names[x->verdict.kind], fnv1a(FNV1A_INIT, text, tlen));
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "# %s\n", origin);
		fprintf(f, "# %s on %s%s, as minimized:\n#\n", verdict, found->name,
			variant_index(found) < 0 ? " (a variant file)" : "");
		comment_lines(f, trace);
		fputs("#\n", f);
		/* The plain verdicts, which replay gives; a --refs find adds
		 * the sanitizer's, which replay --refs gives. */
		for (int mode = 0; mode <= refs; mode++) {
			if (files_only)
				expect_line(f, x, prog, found, mode, found->path);
			for (int v = 0; v < NR_VARIANTS && !files_only; v++)
				expect_line(f, x, prog, variants[v], mode, variants[v]->name);
		}
		x->refs = refs;
		fputs(text, f);
		if (fclose(f))
			f = NULL;
	}
	exec_run(x, prog, found); /* leave x as it came */
	free(text);
	free(trace);
	return f ? path : NULL;
}

int story_expect_parse(const char *line, struct story_expect *e)
{
	const char *p, *end;
	int n;

	if (strncmp(line, "# expect", 8) || (line[8] != ':' && line[8] != ' '))
		return 0;
	e->refs = !strncmp(line, expect_opening[1], strlen(expect_opening[1]));
	if (!e->refs && strncmp(line, expect_opening[0], strlen(expect_opening[0])))
		return -1;
	p = line + strlen(expect_opening[e->refs]);
	p += strspn(p, " \t");
	n = (int)strcspn(p, " \t\r\n");
	e->file[0] = '\0';
	if (n > 2 && !strncmp(p + n - 2, ".c", 2) && n < (int)sizeof(e->file)) {
		e->variant = NULL;
		snprintf(e->file, sizeof(e->file), "%.*s", n, p);
	} else if (!n || !(e->variant = variant_by_name(p, n))) {
		return -1;
	}
	p += n;
	p += strspn(p, " \t");
	for (end = p + strlen(p); end > p && strchr(" \t\r\n", end[-1]); end--)
		;
	if (end == p || end - p >= (int)sizeof(e->verdict))
		return -1;
	snprintf(e->verdict, sizeof(e->verdict), "%.*s", (int)(end - p), p);
	return 1;
}
