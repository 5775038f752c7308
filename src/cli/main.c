/* main.c: the command line: pagerace replay | show | minimize | hunt | stress |
 * explore | check-variant.
 * Entry point: main.  Sits on top of everything; nothing includes it.
 *
 * Exit status: 0 ok, 1 a violation, 2 bad usage or a bad program.
 *
 * Every command that reports an outcome (replay, minimize, hunt, stress,
 * explore) ends its stdout with one line for scripts, after the human
 * output, keys in this order, each present only when it applies:
 *   result: cmd=NAME variant=NAME verdict=KIND [count=N] [tries=N]
 *     [seconds=F] [story=PATH] [signature=SIG] [ops_before=N ops_after=N
 *     preempt_before=N preempt_after=N minimize_runs=N minimize_ms=F]
 *     [schedules=N violations=N pruned=N]
 * verdict=ok when there is none; count is lost-pages' N; tries and seconds
 * are hunt's schedules or stress's rounds; story and signature come with a
 * kept story, the ops_before group with a minimization, the schedules
 * group with explore.  Values hold no space: a space, '%' or control byte
 * in a value is written %XX (a space in a path is %20).
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec.h"
#include "engines/explore.h"
#include "cli/variant_file.h"
#include "engines/hunt.h"
#include "engines/stress.h"
#include "engines/minimize.h"
#include "report/report.h"
#include "report/signature.h"
#include "report/story.h"

#define MAX_FILE (1 << 20)

static const char usage[] =
	"usage: pagerace replay [--variant V] FILE\n"
	"       pagerace show [--variant V] FILE\n"
	"       pagerace minimize [--variant V] [--out DIR] [--origin TEXT] FILE\n"
	"       pagerace hunt [--variant V] [--seconds S] [--strategy random|pct] [--seed N] [--out DIR] FILE\n"
	"       pagerace stress [--variant V] [--seconds S] [--chaos] [--seed N] FILE\n"
	"       pagerace explore [--variant V] [--preemptions K] [--max-schedules N] [--no-reduction] [--out DIR] FILE\n"
	"       pagerace explore --all-programs [--cpus C] [--ops L] [--variant V] [--preemptions K] ...\n"
	"       pagerace check-variant [--refs] FILE.c\n"
	"       pagerace --help\n"
	"replay, minimize, hunt, stress, explore and check-variant take --refs (the refcount sanitizer)\n";

static const char help[] =
	"pagerace: runs a concurrent scenario of the kernel's page-refcount protocol\n"
	"on real threads under a deterministic scheduler, and checks it.\n"
	"\n"
	"  pagerace replay [--variant V] FILE   print the trace and the verdict of FILE\n"
	"      --variant V   " VARIANT_NAMES " (overrides the file's)\n"
	"      --variant-file F.c   a kernel variant of your own (docs/writing-a-variant.md),\n"
	"                    taken by every command that takes --variant\n"
	"  pagerace show [--variant V] FILE     print FILE (text or binary) as text\n"
	"  pagerace minimize [--variant V] [--out DIR] [--origin TEXT] FILE\n"
	"      shrink FILE's violation (drop cpus, ops, schedule switches) and write\n"
	"      it to DIR (corpus/regressions) as a story with expect lines\n"
	"  pagerace hunt [--variant V] [--seconds S] [--strategy random|pct] [--seed N] FILE\n"
	"      search the schedules of FILE's program (its own schedule ignored) for up\n"
	"      to S seconds (60); the first violation is minimized and kept as above\n"
	"  pagerace stress [--variant V] [--seconds S] [--chaos] [--seed N] FILE\n"
	"      run FILE's cpus on free-running threads round after round, no scheduler;\n"
	"      --chaos adds random yields and delays at the step points\n"
	"  pagerace explore [--variant V] [--preemptions K] [--max-schedules N] [--no-reduction] FILE\n"
	"      run every schedule of FILE's program with at most K preemptions (2); ends\n"
	"      with 'explored: N schedules, violations: M', keeps the violation with the\n"
	"      fewest preemptions; --all-programs --cpus C --ops L: every program that\n"
	"      keeps the API contract of up to C cpus (2) and L ops (2) each\n"
	"  pagerace check-variant [--refs] FILE.c   compile FILE.c, check it keeps the\n"
	"      interface, passes a smoke program, and that each function it defines is\n"
	"      reached; prints each function's facts and the verdicts of corpus/regressions/\n"
	"  --refs   with replay, minimize, hunt, stress, explore, check-variant: the\n"
	"      refcount sanitizer; each cpu's references are counted, and a flag test,\n"
	"      tag read or put of a page it holds none of is the verdict\n"
	"      unreferenced-access (README)\n"
	"  exit status: 0 ok (or kept, for minimize), 1 violation, 2 bad usage or program\n"
	"FILE is a text program (below) or a binary input of the fuzz targets.\n"
	"\n"
	"A program, one directive a line, '#' starts a comment:\n"
	"  variant v5.9          optional, default v6.2\n"
	"  pages 16              power of two 4..1024, default 16\n"
	"  slots 4               1..64, default 4\n"
	"  cache 0               an order-0 page in slot 0 before the cpus start\n"
	"  cpu 0: lookup 0       cpus 0..7, ops separated by ';'\n"
	"  cpu 1: remove 0; alloc 2 a; free a\n"
	"  schedule: 0 1 1 1 0 0 1 0   which cpu takes each next step\n"
	"Ops (steps):  lookup S (load get recheck put)   get S h (load get recheck)\n"
	"  remove S (unlink put)   add S (alloc link)   alloc O h [comp] (alloc)\n"
	"  ref h (ref)   put h (put)   free h (v5.9: dec; v5.10: dec tails; v6.2: head dec)\n"
	"  and the ops a --variant-file adds (PAGERACE_OP, docs/writing-a-variant.md)\n"
	"A handle h is a lowercase letter, local to its cpu; an op on an empty handle\n"
	"takes no step.  When the schedule runs out, the remaining cpus run in\n"
	"ascending order, each to completion.\n"
	"Verdicts: ok, lost-pages N, double-free, refcount-underflow, use-after-free,\n"
	"  buddy-corrupt, stuck, bug, deadlock; with --refs also unreferenced-access.\n";

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("pagerace: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(usage, stderr);
	return 2;
}

/* The whole file, NUL-terminated; NULL with a message on stderr. */
static char *read_file(const char *path, size_t *len)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f) {
		fprintf(stderr, "pagerace: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
		fprintf(stderr, "pagerace: %s: %s\n", path,
			S_ISDIR(st.st_mode) ? "is a directory"
			: !S_ISREG(st.st_mode) ? "not a regular file" : "larger than 1 MiB");
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	*len = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (!buf || *len != (size_t)st.st_size) {
		fprintf(stderr, "pagerace: %s: cannot read\n", path);
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

/* A binary FILE: a fuzz input, which stands for its own schedule and
 * the walks drawn from its bytes (hunt_input). */
struct fuzz_input {
	bool binary;
	uint64_t seed;
};

/* FILE in either form into prog; false with the message printed.  A
 * binary file is a fuzz input: input (if not NULL) then says so and
 * holds its walks' seed. */
static bool load_program(const char *path, struct program *prog, struct fuzz_input *input)
{
	struct parse_error err;
	size_t len;
	char *text = read_file(path, &len);
	bool ok = text != NULL;

	if (ok && program_looks_like_text(text, len)) {
		ok = program_parse(prog, text, len, &err);
		if (!ok && err.line)
			fprintf(stderr, "%s:%d: %s\n", path, err.line, err.msg);
		else if (!ok)
			fprintf(stderr, "%s: %s\n", path, err.msg);
	} else if (ok) {
		program_decode(prog, (const uint8_t *)text, len);
		if (input) {
			input->binary = true;
			input->seed = hunt_input_seed((const uint8_t *)text, len);
		}
	}
	free(text);
	return ok;
}

/* The options of the commands; each command names those it takes. */
enum {
	OPT_OUT = 1, OPT_ORIGIN = 2, OPT_SECONDS = 4, OPT_STRATEGY = 8, OPT_CHAOS = 16, OPT_SEED = 32,
	OPT_PREEMPTIONS = 64, OPT_MAX_SCHEDULES = 128, OPT_NO_REDUCTION = 256, OPT_ALL_PROGRAMS = 512,
	OPT_CPUS = 1024, OPT_OPS = 2048, OPT_REFS = 4096,
};

struct args {
	const char *path;
	const struct variant *variant; /* --variant or --variant-file; NULL: the program's, else v6.2 */
	const char *out;               /* --out DIR */
	const char *origin;            /* --origin TEXT */
	double seconds;                /* --seconds S */
	bool pct;                      /* --strategy pct (else random) */
	bool chaos;                    /* --chaos */
	uint64_t seed;                 /* --seed N, else from the clock */
	int preemptions;               /* --preemptions K */
	long max_schedules;            /* --max-schedules N, 0: no bound */
	bool no_reduction;             /* --no-reduction */
	bool all_programs;             /* --all-programs */
	int cpus, ops;                 /* --cpus C --ops L */
	bool refs;                     /* --refs: the refcount sanitizer */
	struct fuzz_input input;       /* FILE, when binary */
};

/* A whole number from lo to hi, or -1. */
static long whole(const char *v, long lo, long hi)
{
	char *end;
	long n = strtol(v, &end, 10);

	return *v && !*end && n >= lo && n <= hi ? n : -1;
}

static int option_value(int argc, char **argv, int *i, const char **value)
{
	if (++*i == argc)
		return bad_usage("%s needs a value", argv[*i - 1]);
	*value = argv[*i];
	return 0;
}

static int parse_args(int argc, char **argv, const char *cmd, int allowed, struct args *a)
{
	const char *v = NULL;

	memset(a, 0, sizeof(*a));
	a->out = "corpus/regressions";
	a->origin = "Minimized by pagerace.";
	a->seconds = 60;
	a->preemptions = 2;
	a->cpus = 2;
	a->ops = 2;
	a->seed = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	for (int i = 0; i < argc; i++) {
		const char *o = argv[i];
		static const struct { const char *name; int bit; } names[] = {
			{ "--out", OPT_OUT }, { "--origin", OPT_ORIGIN }, { "--seconds", OPT_SECONDS },
			{ "--strategy", OPT_STRATEGY }, { "--chaos", OPT_CHAOS }, { "--seed", OPT_SEED },
			{ "--preemptions", OPT_PREEMPTIONS }, { "--max-schedules", OPT_MAX_SCHEDULES },
			{ "--no-reduction", OPT_NO_REDUCTION }, { "--all-programs", OPT_ALL_PROGRAMS },
			{ "--cpus", OPT_CPUS }, { "--ops", OPT_OPS }, { "--refs", OPT_REFS },
		};
		int bit = 0;

		for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++)
			if (!strcmp(o, names[k].name))
				bit = names[k].bit;

		if (!strcmp(o, "--variant") || !strcmp(o, "--variant-file")) {
			if (a->variant)
				return bad_usage("%s: one variant only", o);
			if (option_value(argc, argv, &i, &v))
				return 2;
			if (!strcmp(o, "--variant-file")) {
				if (!(a->variant = variant_load(v)))
					return 2;
				continue;
			}
			a->variant = variant_by_name(v, (int)strlen(v));
			if (!a->variant)
				return bad_usage("unknown variant '%s' (" VARIANT_NAMES ")", v);
		} else if (bit && !(allowed & bit)) {
			fprintf(stderr, "pagerace: %s takes no %s\n", cmd, o);
			return bad_usage("unknown option '%s'", o);
		} else if (bit == OPT_CHAOS || bit == OPT_NO_REDUCTION || bit == OPT_ALL_PROGRAMS || bit == OPT_REFS) {
			a->chaos |= bit == OPT_CHAOS;
			a->refs |= bit == OPT_REFS;
			a->no_reduction |= bit == OPT_NO_REDUCTION;
			a->all_programs |= bit == OPT_ALL_PROGRAMS;
		} else if (bit) {
			char *end;

			if (option_value(argc, argv, &i, &v))
				return 2;
			if (bit == OPT_OUT)
				a->out = v;
			else if (bit == OPT_ORIGIN)
				a->origin = v;
			else if (bit == OPT_STRATEGY && (a->pct = !strcmp(v, "pct"), !a->pct && strcmp(v, "random")))
				return bad_usage("--strategy takes random or pct, not '%s'", v);
			else if (bit == OPT_SECONDS && ((a->seconds = strtod(v, &end)) <= 0 || *end || a->seconds > 1e6))
				return bad_usage("--seconds takes a number of seconds above 0, not '%s'", v);
			else if (bit == OPT_SEED && (a->seed = strtoull(v, &end, 10), *end || !*v || *v == '-'))
				return bad_usage("--seed takes a whole number, not '%s'", v);
			else if (bit == OPT_PREEMPTIONS && (a->preemptions = (int)whole(v, 0, 64)) < 0)
				return bad_usage("--preemptions takes a whole number from 0 to 64, not '%s'", v);
			else if (bit == OPT_MAX_SCHEDULES && (a->max_schedules = whole(v, 1, 1L << 40)) < 0)
				return bad_usage("--max-schedules takes a whole number above 0, not '%s'", v);
			else if (bit == OPT_CPUS && (a->cpus = (int)whole(v, 1, PR_MAX_CPUS)) < 0)
				return bad_usage("--cpus takes a whole number from 1 to 8, not '%s'", v);
			else if (bit == OPT_OPS && (a->ops = (int)whole(v, 1, 8)) < 0)
				return bad_usage("--ops takes a whole number from 1 to 8, not '%s'", v);
		} else if (o[0] == '-' && o[1]) {
			return bad_usage("unknown option '%s'", o);
		} else if (a->path) {
			return bad_usage("one FILE only, not also '%s'", o);
		} else {
			a->path = o;
		}
	}
	if (a->all_programs && a->path)
		return bad_usage("--all-programs takes no FILE, not '%s'", a->path);
	if (!a->path && !a->all_programs)
		return bad_usage("%s needs a FILE", cmd);
	return 0;
}

static const struct variant *variant_of(const struct args *a, const struct program *prog)
{
	if (a->variant)
		return a->variant;
	return variants[prog->variant >= 0 ? prog->variant : VARIANT_V6_2];
}

/* What a command found, for its result: line (see the top of this file). */
struct outcome {
	const char *cmd;
	const struct variant *variant;
	struct verdict verdict;
	bool searched;                     /* hunt, stress: tries and seconds */
	long tries;
	double seconds;
	const char *story, *signature;     /* a kept story */
	struct signature cause;            /* signature: its id */
	bool minimized;                    /* min holds the minimization */
	struct minimize_stats min;
	const struct explore_result *explored;
};

/* A value of the result: line: a space, '%' or control byte as %XX. */
static void put_value(const char *key, const char *v)
{
	printf(" %s=", key);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p == '%' || *p == 0x7f)
			printf("%%%02X", *p);
		else
			putchar(*p);
}

static void print_result(const struct outcome *o)
{
	printf("result:");
	put_value("cmd", o->cmd);
	put_value("variant", o->variant->name);
	put_value("verdict", verdict_names[o->verdict.kind]);
	if (o->verdict.kind == VERDICT_LOST_PAGES)
		printf(" count=%d", o->verdict.count);
	if (o->searched)
		printf(" tries=%ld seconds=%.3f", o->tries, o->seconds);
	if (o->story) {
		put_value("story", o->story);
		put_value("signature", o->signature);
	}
	if (o->minimized)
		printf(" ops_before=%d ops_after=%d preempt_before=%d preempt_after=%d minimize_runs=%d "
		       "minimize_ms=%.1f", o->min.ops_before, o->min.ops_after, o->min.preempt_before,
		       o->min.preempt_after, o->min.runs, o->min.ms);
	if (o->explored)
		printf(" schedules=%ld violations=%ld pruned=%ld", o->explored->schedules,
		       o->explored->violations, o->explored->pruned);
	putchar('\n');
}

/* The one way a violation is kept and shown: x holds prog's violating run;
 * with minimize, prog is shrunk first.  Writes the story to dir, prints its
 * path, signature, the minimization, the program and its trace, and notes
 * them in out.  1 when minimize finds no violation to keep, 2 when the
 * story cannot be written, else 0. */
static int keep_violation(struct exec *x, struct program *prog, const struct variant *variant,
			  const char *dir, const char *origin, bool shrink, struct outcome *out)
{
	if (shrink && !(out->minimized = minimize(x, prog, variant, &out->min)))
		return 1;
	out->verdict = x->verdict;
	out->story = regression_write(dir, x, prog, origin);
	if (!out->story) {
		fprintf(stderr, "pagerace: %s: cannot write there: %s\n", dir, strerror(errno));
		return 2;
	}
	regression_signature(x, &out->cause);
	out->signature = out->cause.id;
	printf("%s\n", out->story);
	printf("signature: %s (%s)\n", out->signature, out->cause.cause);
	if (out->minimized)
		printf("minimized: %d ops -> %d, %d preemptions -> %d, %d runs in %.0f ms\n", out->min.ops_before,
		       out->min.ops_after, out->min.preempt_before, out->min.preempt_after, out->min.runs,
		       out->min.ms);
	fputc('\n', stdout);
	program_print(stdout, prog);
	fputc('\n', stdout);
	report_print(stdout, x);
	return 0;
}

/* cmd's options and FILE's program: 0, or the exit status to return. */
static int program_args(int argc, char **argv, const char *cmd, int allowed, struct args *a,
			struct program *prog)
{
	int status = parse_args(argc, argv, cmd, allowed, a);

	if (status)
		return status;
	return load_program(a->path, prog, &a->input) ? 0 : 2;
}

/* FILE's program run as the command runs it (replay, minimize): a text
 * program under its schedule; a binary one as the fuzz target ran it, so
 * that a crash file replays as it crashed.  The schedule that violated
 * (hunt_input's), or -1 for none; -2 on a bad PAGERACE_WALKS, printed. */
static int run_file(struct exec *x, struct program *prog, const struct args *a,
		    const struct variant *v, int *walks)
{
	char msg[128];

	*walks = 0;
	if (a->input.binary && !hunt_input_walks(walks, msg, sizeof(msg))) {
		fprintf(stderr, "pagerace: %s\n", msg);
		return -2;
	}
	return hunt_input(x, prog, v, a->input.seed, *walks, NULL);
}

/* Which of a binary input's schedules violated, when it was a walk. */
static void print_walk(int found, int walks)
{
	if (found > 0)
		printf("schedule: walk %d of the input's %d (PAGERACE_WALKS), drawn from its bytes\n",
		       found, walks);
}

/* An execution checked as the options ask (--refs: the sanitizer too). */
static struct exec *exec_for(const struct args *a)
{
	struct exec *x = exec_new();

	x->refs = a->refs;
	return x;
}

static int cmd_replay(int argc, char **argv)
{
	static struct program prog;
	struct args a;
	struct exec *x;
	int status = program_args(argc, argv, "replay", OPT_REFS, &a, &prog), found, walks;

	if (status)
		return status;
	x = exec_for(&a);
	if ((found = run_file(x, &prog, &a, variant_of(&a, &prog), &walks)) == -2) {
		exec_free(x);
		return 2;
	}
	print_walk(found, walks);
	report_print(stdout, x);
	print_result(&(struct outcome){ .cmd = "replay", .variant = x->variant, .verdict = x->verdict });
	status = x->verdict.kind == VERDICT_OK ? 0 : 1;
	exec_free(x);
	return status;
}

/* The text form of FILE, binary or text: what replay would run. */
static int cmd_show(int argc, char **argv)
{
	static struct program prog;
	struct args a;
	int status = program_args(argc, argv, "show", 0, &a, &prog);

	if (status)
		return status;
	if (a.variant)
		prog.variant = variant_index(a.variant);
	program_print(stdout, &prog);
	return 0;
}

/* Shrink FILE's violation and keep it as a regression story. */
static int cmd_minimize(int argc, char **argv)
{
	static struct program prog;
	struct outcome out = { .cmd = "minimize" };
	struct args a;
	struct exec *x;
	int status = program_args(argc, argv, "minimize", OPT_OUT | OPT_ORIGIN | OPT_REFS, &a, &prog);
	int found, walks;

	if (status)
		return status;
	x = exec_for(&a);
	out.variant = variant_of(&a, &prog);
	/* A binary input's violating walk becomes its schedule, to shrink. */
	if ((found = run_file(x, &prog, &a, out.variant, &walks)) == -2) {
		exec_free(x);
		return 2;
	}
	print_walk(found, walks);
	status = keep_violation(x, &prog, out.variant, a.out, a.origin, true, &out);
	if (status == 1)
		fprintf(stderr, "pagerace: %s: no violation on %s, nothing to minimize\n", a.path,
			out.variant->name);
	if (status != 2)
		print_result(&out);
	exec_free(x);
	return status;
}

/* hunt's and stress's arguments, program and options; the seed and the
 * settings printed first, so that any run can be repeated. */
static int search_args(int argc, char **argv, const char *cmd, int allowed, struct args *a,
		       struct program *prog, struct hunt_options *o)
{
	int status = program_args(argc, argv, cmd, allowed | OPT_SECONDS | OPT_SEED | OPT_REFS, a, prog);

	if (status)
		return status;
	*o = (struct hunt_options){ .variant = variant_of(a, prog), .seconds = a->seconds,
				    .pct = a->pct, .seed = a->seed };
	printf("%s: seed %llu, %s, variant %s, %s, up to %g s\n", cmd, (unsigned long long)a->seed,
	       !strcmp(cmd, "stress") ? (a->chaos ? "chaos" : "plain") : (a->pct ? "pct" : "random"),
	       o->variant->name, a->path, a->seconds);
	fflush(stdout);
	return 0;
}

/* Search the schedules of FILE's program; shrink and keep what it finds. */
static int cmd_hunt(int argc, char **argv)
{
	static struct program prog;
	struct hunt_result r;
	struct hunt_options o;
	struct outcome out = { .cmd = "hunt", .searched = true };
	struct args a;
	struct exec *x;
	char origin[512];
	int status = search_args(argc, argv, "hunt", OPT_STRATEGY | OPT_OUT, &a, &prog, &o);

	if (status)
		return status;
	x = exec_for(&a);
	hunt(x, &prog, &o, &r);
	out.variant = o.variant;
	out.tries = r.tries;
	out.seconds = r.seconds;
	if (!r.found) {
		printf("hunt: no violation in %ld schedules, %.1f s (%.0f schedules/s)\n", r.tries, r.seconds,
		       r.tries / r.seconds);
	} else {
		printf("hunt: %s after %ld schedules in %.3f s (%.0f schedules/s)\n",
		       verdict_names[x->verdict.kind], r.tries, r.seconds, r.tries / r.seconds);
		snprintf(origin, sizeof(origin), "Found by pagerace hunt --strategy %s --seed %llu %s in %.3f s.",
			 a.pct ? "pct" : "random", (unsigned long long)a.seed, a.path, r.seconds);
		status = keep_violation(x, &prog, o.variant, a.out, origin, true, &out);
	}
	if (status != 2)
		print_result(&out);
	exec_free(x);
	return status ? status : r.found;
}

/* The baseline: FILE's cpus on free-running threads, round after round. */
static int cmd_stress(int argc, char **argv)
{
	static struct program prog;
	struct stress_result r;
	struct hunt_options o;
	struct args a;
	struct exec *x;
	int status = search_args(argc, argv, "stress", OPT_CHAOS, &a, &prog, &o);

	if (status)
		return status;
	x = exec_for(&a);
	stress(x, &prog, &(struct stress_options){ .variant = o.variant, .seconds = o.seconds, .seed = o.seed,
						   .chaos = a.chaos }, &r);
	if (r.found) {
		printf("stress: %s in round %ld after %.3f s (%.0f rounds/s)\n", verdict_names[x->verdict.kind],
		       r.rounds, r.seconds, r.rounds / r.seconds);
		printf("the round, its steps in the order they took trace slots (free-running, "
		       "not replayable):\n\n");
		report_print(stdout, x);
	} else {
		printf("stress: no violation in %ld rounds, %.1f s (%.0f rounds/s)\n", r.rounds, r.seconds,
		       r.rounds / r.seconds);
	}
	print_result(&(struct outcome){ .cmd = "stress", .variant = o.variant, .verdict = x->verdict,
					.searched = true, .tries = r.rounds, .seconds = r.seconds });
	exec_free(x);
	return r.found;
}

/* Every schedule with at most K preemptions of FILE's program, or every
 * small program; the violation with the fewest preemptions is kept. */
static int cmd_explore(int argc, char **argv)
{
	static struct program prog;
	struct explore_result r;
	struct outcome out = { .cmd = "explore" };
	struct args a;
	struct exec *x;
	char origin[256];
	long programs = 1;
	int status = parse_args(argc, argv, "explore",
				OPT_PREEMPTIONS | OPT_MAX_SCHEDULES | OPT_NO_REDUCTION | OPT_ALL_PROGRAMS |
				OPT_CPUS | OPT_OPS | OPT_OUT | OPT_REFS, &a);
	struct explore_options o;

	if (status)
		return status;
	if (!a.all_programs && !load_program(a.path, &prog, NULL))
		return 2;
	o = (struct explore_options){ .variant = a.all_programs ? (a.variant ? a.variant : variants[VARIANT_V6_2])
								: variant_of(&a, &prog),
				      .max_preemptions = a.preemptions, .max_schedules = a.max_schedules,
				      .reduction = !a.no_reduction, .progress = true };
	x = exec_for(&a);
	if (a.all_programs)
		explore_programs(x, a.cpus, a.ops, &o, &r, &programs);
	else
		explore(x, &prog, &o, &r);
	if (a.all_programs)
		printf("programs: %ld of up to %d cpus and %d ops each\n", programs, a.cpus, a.ops);
	printf("variant %s, at most %d preemptions, reduction %s: %ld branch points pruned\n", o.variant->name,
	       a.preemptions, o.reduction ? "on" : "off", r.pruned);
	if (r.cut)
		printf("cut: --max-schedules %ld ended the search before it was complete\n", a.max_schedules);
	out.variant = o.variant;
	out.explored = &r;
	if (r.violations) {
		exec_run(x, &r.best, o.variant);
		snprintf(origin, sizeof(origin), "Found by pagerace explore --preemptions %d%s: the violation with "
			 "the fewest preemptions (%d).", a.preemptions, a.all_programs ? " --all-programs" : "",
			 r.best_preemptions);
		status = keep_violation(x, &r.best, o.variant, a.out, origin, false, &out);
	}
	printf("explored: %ld schedules, violations: %ld\n", r.schedules, r.violations);
	if (status != 2)
		print_result(&out);
	exec_free(x);
	return status ? status : r.violations > 0;
}

/* A smoke run of check-variant: prog (what, in words) passes under v, as
 * who would; else its trace, and the failure at path (line, if not 0). */
static bool smoke_passes(struct exec *x, const struct program *prog, const struct variant *v, const char *what,
			 const char *who, const char *path, int line)
{
	char verdict[64], at[32] = "";

	exec_run(x, prog, v);
	if (x->verdict.kind == VERDICT_OK) {
		printf("  %s%s: ok\n", what, x->refs ? " with --refs" : "");
		return true;
	}
	report_print(stdout, x);
	report_verdict_words(verdict, sizeof(verdict), &x->verdict);
	if (line)
		snprintf(at, sizeof(at), ":%d", line);
	fprintf(stderr, "pagerace: %s%s: %s on the %s (above), which %s passes\n", path, at, verdict, what, who);
	return false;
}

/* check-variant's smoke of added op k: one cpu, alone with an order-0
 * page of its own in handle a and a cached one in slot 0, its slot 0, its
 * order 0. */
static void added_op_smoke(struct program *prog, int k)
{
	program_init(prog);
	prog->cache = 1;
	prog->cpus = 1;
	prog->nops[0] = 3;
	prog->ops[0][0] = (struct op){ .kind = OP_ALLOC };
	prog->ops[0][1] = (struct op){ .kind = (uint8_t)k };
	prog->ops[0][2] = (struct op){ .kind = OP_FREE };
	program_assert_valid(prog, "check-variant's op smoke");
}

/* Is the story at path for the variant file at file: does it name no
 * variant file in its expect lines, or this one? */
static bool story_runs_on(const char *path, const char *file)
{
	char *text, *line, *save = NULL, *mine = realpath(file, NULL);
	size_t len;
	bool named = false, any = false;

	if (!(text = read_file(path, &len)))
		return false;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct story_expect e;
		char at[4096], *theirs;

		if (story_expect_parse(line, &e) != 1 || e.variant)
			continue;
		any = true;
		snprintf(at, sizeof(at), "%s/%s", PAGERACE_ROOT, e.file);
		theirs = realpath(at, NULL);
		named |= theirs && mine && !strcmp(theirs, mine);
		free(theirs);
	}
	free(text);
	free(mine);
	return !any || named;
}

/* check-variant's smoke program: one cpu, no race, every op, so every
 * variant function is called; a correct kernel passes it (each built-in
 * variant does). */
static const char smoke_text[] =
	"pages 16\n"
	"slots 2\n"
	"cache 0 1\n"
	"cpu 0: lookup 0; get 1 a; put a; remove 1; alloc 2 b; ref b; put b; free b; alloc 1 c comp; free c; "
	"add 1; lookup 1; remove 0\n";

/* Which ops call each variant function (variant.h). */
static const char *const fn_callers[NR_VF] = {
	[VF_FREE_PAGES] = "free",
	[VF_PUT_PAGE] = "put, remove, the 6.x lookup's folio_put",
	[VF_FIND_GET_ENTRY] = "lookup, get",
	[VF_FILEMAP_GET_ENTRY] = "lookup, get",
};

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The first line of the file's code (comments skipped) that names the
 * function: where the developer looks for a misspelling. */
static int line_of(const char *path, const char *name)
{
	size_t len, n = strlen(name);
	char *text = read_file(path, &len);
	int line = 1;

	for (const char *p = text; p && *p; p++) {
		if (*p == '\n') {
			line++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
				line += *p == '\n';
			if (!*p)
				break;
			p++;
		} else if (p[0] == '/' && p[1] == '/') {
			while (p[1] && p[1] != '\n')
				p++;
		} else if (!strncmp(p, name, n) && (p == text || !is_ident(p[-1])) && !is_ident(p[n])) {
			break;
		}
	}
	free(text);
	return line;
}

/* What a kernel developer needs before fuzzing a variant file: it compiles,
 * loads and keeps the interface (variant_load); it passes the smoke
 * program without a crash, a hang or a BUG; every function it defines is
 * reached by the smoke program or the regression programs.  Prints each
 * function's facts and the verdicts of the stories (--refs: the smoke
 * program and the stories under the sanitizer); status 2 on a failure. */
static int cmd_check_variant(int argc, char **argv)
{
	static struct program prog;
	const struct variant_function *fns;
	struct parse_error err;
	const struct variant *v;
	struct exec *x;
	glob_t stories;
	char verdict[64];
	struct args a;
	int n, status = parse_args(argc, argv, "check-variant", OPT_REFS, &a);

	if (status)
		return status;
	if (a.variant)
		return bad_usage("%s takes its variant as FILE.c, not --variant or --variant-file", "check-variant");
	if (!(v = variant_load(a.path)))
		return 2;
	printf("%s: variant %s defines", a.path, v->name);
	for (int fn = 0; fn < NR_VF; fn++)
		if (variant_defines(v, fn))
			printf(" %s", variant_fn_names[fn]);
	printf("\n");
	fflush(stdout);
	x = exec_for(&a);
	if (!program_parse(&prog, smoke_text, sizeof(smoke_text) - 1, &err))
		abort(); /* the smoke program is pagerace's own */
	if (!smoke_passes(x, &prog, v, "smoke program", "a correct kernel", a.path, 0)) {
		exec_free(x);
		return 2;
	}
	for (int k = NR_OPS; k < op_kinds(); k++) {
		char what[64];

		added_op_smoke(&prog, k);
		snprintf(what, sizeof(what), "op %s alone", op_name(k));
		if (!smoke_passes(x, &prog, v, what, "a correct op", a.path, op_added(k)->line)) {
			exec_free(x);
			return 2;
		}
	}
	if (glob(PAGERACE_ROOT "/corpus/regressions/*.prog", 0, NULL, &stories))
		stories.gl_pathc = 0;
	for (size_t i = 0; i < stories.gl_pathc; i++) {
		fflush(stdout);
		if (!story_runs_on(stories.gl_pathv[i], a.path) || !load_program(stories.gl_pathv[i], &prog, NULL))
			continue;
		exec_run(x, &prog, v);
		report_verdict_words(verdict, sizeof(verdict), &x->verdict);
		printf("  %s: %s\n", strrchr(stories.gl_pathv[i], '/') + 1, verdict);
	}
	globfree(&stories);
	n = variant_file_functions(&fns);
	for (int i = 0; i < n; i++) {
		const char *name = variant_file_name(&fns[i]);
		int fn = 0;
		bool op = false;

		while (fn < NR_VF && strcmp(name, variant_fn_names[fn]))
			fn++;
		for (int k = NR_OPS; k < op_kinds(); k++)
			op |= !strcmp(name, op_name(k));
		printf("  %s: %s, %s, entered %lu times\n", name, fns[i].exported ? "exported" : "static",
		       fn < NR_VF ? fn_callers[fn] : !strcmp(name, "free_the_page") ? "the free path's helper"
		       : op ? "an op of its own" : "a helper", fns[i].calls);
	}
	for (int i = 0; i < n; i++)
		if (!fns[i].calls) {
			fprintf(stderr, "pagerace: %s:%d: %s is defined but never called by the smoke program or the "
				"regression programs: a misspelled name (the ops call %s, %s, %s or %s), or a helper "
				"nothing calls\n", a.path, line_of(a.path, variant_file_name(&fns[i])),
				variant_file_name(&fns[i]), variant_fn_names[0], variant_fn_names[1],
				variant_fn_names[2], variant_fn_names[3]);
			status = 2;
		}
	if (!status)
		printf("%s: variant %s: ok\n", a.path, v->name);
	exec_free(x);
	return status;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "replay", cmd_replay },   { "show", cmd_show },	 { "minimize", cmd_minimize },
	{ "hunt", cmd_hunt },	    { "stress", cmd_stress },	 { "explore", cmd_explore },
	{ "check-variant", cmd_check_variant },
};

static void on_fault(int sig)
{
	exec_report_fault(sig);
}

/* Variant code that crashes is a bad input, not a crash of pagerace: the
 * faulting cpu's thread reports it on its own signal stack. */
static void catch_faults(void)
{
	struct sigaction sa = { .sa_handler = on_fault, .sa_flags = SA_ONSTACK | SA_NODEFER };
	const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

int main(int argc, char **argv)
{
	catch_faults();
	if (argc < 2)
		return bad_usage("%s", "no command");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(help, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 2, argv + 2);
	return bad_usage("unknown command '%s'", argv[1]);
}
