/* story.c: the writer of regression stories of corpus/regressions/: the
 * origin, the trace as comments, an expect line for every variant, the program.
 * Entry point: regression_write.  Never includes an engine.
 */
#include <stdlib.h>
#include <string.h>

#include "report/fnv.h"
#include "report/report.h"
#include "report/story.h"

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

const char *regression_write(const char *dir, struct exec *x, const struct program *prog,
			     const char *origin)
{
	static char path[4096];
	const struct variant *found = x->variant;
	bool refs = x->refs;
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
		/* The expect lines are what replay gives, and the regression
		 * tests replay without the sanitizer: a --refs find says so,
		 * and its expect lines are the plain checker's. */
		if (refs)
			fputs("# Found with --refs: replay it with --refs to see the unreferenced access.\n", f);
		x->refs = false;
		for (int v = 0; v < NR_VARIANTS; v++) {
			exec_run(x, prog, variants[v]);
			report_verdict_words(verdict, sizeof(verdict), &x->verdict);
			fprintf(f, "# expect: %s %s\n", variants[v]->name, verdict);
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
