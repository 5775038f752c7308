/* program.c: the text form of a program: a strict parser that reads what
 * a struct program can hold, has program_check judge it, and names the
 * line of each error; and the printer of the canonical form.
 * Entry points: program_parse, program_print.
 * Includes the variant table only.
 */
#include <stdarg.h>
#include <string.h>

#include "lang/program.h"

static const char *const op_names[NR_OPS] = {
	[OP_LOOKUP] = "lookup", [OP_GET] = "get", [OP_REMOVE] = "remove", [OP_ADD] = "add",
	[OP_ALLOC] = "alloc",	[OP_REF] = "ref", [OP_PUT] = "put",	  [OP_FREE] = "free",
};

static const unsigned int builtin_args[NR_OPS] = {
	[OP_LOOKUP] = ARG_SLOT, [OP_GET] = ARG_SLOT | ARG_HANDLE, [OP_REMOVE] = ARG_SLOT,
	[OP_ADD] = ARG_SLOT,	[OP_ALLOC] = ARG_ORDER | ARG_HANDLE, [OP_REF] = ARG_HANDLE,
	[OP_PUT] = ARG_HANDLE,	[OP_FREE] = ARG_HANDLE,
};

/* The added ops of the process (program_add_ops), in the order the file
 * declares them (the linker keeps a section's objects in any order). */
static const struct pr_op *added[PR_MAX_FILE_OPS];
static int nadded;

static unsigned int arg_bit(unsigned char arg)
{
	return arg == PR_OP_SLOT ? ARG_SLOT : arg == PR_OP_HANDLE ? ARG_HANDLE : arg == PR_OP_ORDER ? ARG_ORDER : 0;
}

bool program_add_ops(const struct variant *v, struct parse_error *err)
{
	int n = (int)(v->ops_end - v->ops);

	memset(err, 0, sizeof(*err));
	if (n > PR_MAX_FILE_OPS) {
		err->line = v->ops[PR_MAX_FILE_OPS].line;
		snprintf(err->msg, sizeof(err->msg), "more than %d PAGERACE_OP ops", PR_MAX_FILE_OPS);
		return false;
	}
	for (int i = 0; i < n; i++) {
		const struct pr_op *o = &v->ops[i];
		unsigned int seen = 0;

		err->line = o->line;
		for (int k = 0; k < NR_OPS; k++)
			if (!strcmp(op_names[k], o->name)) {
				snprintf(err->msg, sizeof(err->msg), "op '%s' is a built-in op's name", o->name);
				return false;
			}
		for (int a = 0; a < PR_OP_MAX_ARGS && o->args[a]; a++) {
			if (seen & arg_bit(o->args[a])) {
				snprintf(err->msg, sizeof(err->msg),
					 "op '%s' takes two arguments of one kind: at most one slot, one handle, one order",
					 o->name);
				return false;
			}
			seen |= arg_bit(o->args[a]);
		}
	}
	err->line = 0;
	nadded = 0;
	for (int i = 0; i < n; i++) { /* insertion by line */
		int k = nadded++;

		for (; k > 0 && added[k - 1]->line > v->ops[i].line; k--)
			added[k] = added[k - 1];
		added[k] = &v->ops[i];
	}
	return true;
}

int op_kinds(void)
{
	return NR_OPS + nadded;
}

const struct pr_op *op_added(int kind)
{
	return kind >= NR_OPS && kind < NR_OPS + nadded ? added[kind - NR_OPS] : NULL;
}

const char *op_name(int kind)
{
	const struct pr_op *o = op_added(kind);

	return kind >= 0 && kind < NR_OPS ? op_names[kind] : o ? o->name : "?";
}

unsigned int op_args(int kind)
{
	const struct pr_op *o = op_added(kind);
	unsigned int args = 0;

	if (kind >= 0 && kind < NR_OPS)
		return builtin_args[kind];
	for (int a = 0; o && a < PR_OP_MAX_ARGS; a++)
		args |= arg_bit(o->args[a]);
	return args;
}

#define MAX_LINE 4096
#define MAX_NUMBER 999999999u

/* Where each item program_check may name was written, for its error (a
 * cpu's ops are all on its line). */
struct lines {
	int pages, slots, cache[64], cpu[PR_MAX_CPUS], schedule;
};

struct lexer {
	const char *p, *end; /* the rest of the line, comment cut off */
	int line;
	struct parse_error *err;
};

static bool fail(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;

	lx->err->line = lx->line;
	va_start(ap, fmt);
	vsnprintf(lx->err->msg, sizeof(lx->err->msg), fmt, ap);
	va_end(ap);
	return false;
}

static void skip_space(struct lexer *lx)
{
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r'))
		lx->p++;
}

static bool at_end(struct lexer *lx)
{
	skip_space(lx);
	return lx->p == lx->end;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_';
}

/* The next word (letters, digits, '.', '-', '_'); empty at a delimiter. */
static int word(struct lexer *lx, const char **start)
{
	skip_space(lx);
	*start = lx->p;
	while (lx->p < lx->end && is_word_char(*lx->p))
		lx->p++;
	return (int)(lx->p - *start);
}

/* A number up to max: what the program's field can hold. */
static bool number_upto(struct lexer *lx, const char *what, unsigned int max, unsigned int *out)
{
	const char *w;
	int n = word(lx, &w);
	unsigned long long v = 0;

	if (n == 0)
		return fail(lx, "expected %s, found %s", what, lx->p < lx->end ? "something else" : "end of line");
	for (int i = 0; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			return fail(lx, "%s must be a number, not '%.*s'", what, n, w);
		v = v * 10 + (unsigned)(w[i] - '0');
		if (v > max)
			return fail(lx, "%s '%.*s' is too big", what, n, w);
	}
	*out = (unsigned int)v;
	return true;
}

static bool number(struct lexer *lx, const char *what, unsigned int *out)
{
	return number_upto(lx, what, MAX_NUMBER, out);
}

static bool byte_number(struct lexer *lx, const char *what, uint8_t *out)
{
	unsigned int v;

	if (!number_upto(lx, what, UINT8_MAX, &v))
		return false;
	*out = (uint8_t)v;
	return true;
}

static bool expect_char(struct lexer *lx, char c, const char *after)
{
	skip_space(lx);
	if (lx->p == lx->end || *lx->p != c)
		return fail(lx, "expected '%c' after %s", c, after);
	lx->p++;
	return true;
}

static bool handle(struct lexer *lx, const char *opname, uint8_t *out)
{
	const char *w;
	int n = word(lx, &w);

	if (n == 0)
		return fail(lx, "%s needs a handle (a lowercase letter)", opname);
	if (n != 1 || w[0] < 'a' || w[0] > 'z')
		return fail(lx, "handle '%.*s' of %s is not a lowercase letter", n, w, opname);
	*out = (uint8_t)(w[0] - 'a');
	return true;
}

static bool line_done(struct lexer *lx, const char *what)
{
	if (!at_end(lx))
		return fail(lx, "unexpected '%.*s' after %s", (int)(lx->end - lx->p), lx->p, what);
	return true;
}

/* An added op's arguments, in the order its declaration lists them. */
static bool added_args(struct lexer *lx, const struct pr_op *o, struct op *op)
{
	for (int a = 0; a < PR_OP_MAX_ARGS && o->args[a]; a++)
		if (!(o->args[a] == PR_OP_SLOT	   ? byte_number(lx, "a slot", &op->slot)
		      : o->args[a] == PR_OP_ORDER ? byte_number(lx, "an order", &op->order)
						  : handle(lx, o->name, &op->handle)))
			return false;
	return true;
}

/* One op, up to the next ';' or the end of the line. */
static bool parse_op(struct lexer *lx, struct op *op)
{
	const char *w;
	int n = word(lx, &w);
	int kind = -1;

	for (int k = 0; k < op_kinds(); k++)
		if ((int)strlen(op_name(k)) == n && !memcmp(op_name(k), w, n))
			kind = k;
	if (kind < 0 && n)
		return fail(lx, "unknown op '%.*s'%s", n, w,
			    nadded ? "" : " (an op of a variant file's own needs that file: --variant-file)");
	if (kind < 0)
		return fail(lx, "expected an op");
	memset(op, 0, sizeof(*op));
	op->kind = (uint8_t)kind;
	switch (kind) {
	case OP_LOOKUP: case OP_REMOVE: case OP_ADD:
		if (!byte_number(lx, "a slot", &op->slot))
			return false;
		break;
	case OP_GET:
		if (!byte_number(lx, "a slot", &op->slot) || !handle(lx, "get", &op->handle))
			return false;
		break;
	case OP_ALLOC:
		if (!byte_number(lx, "an order", &op->order) || !handle(lx, "alloc", &op->handle))
			return false;
		n = word(lx, &w);
		if (n == 4 && !memcmp(w, "comp", 4))
			op->comp = true;
		else if (n)
			return fail(lx, "alloc takes 'comp' or nothing after its handle, not '%.*s'", n, w);
		break;
	case OP_REF: case OP_PUT: case OP_FREE:
		if (!handle(lx, op_names[kind], &op->handle))
			return false;
		break;
	default:
		if (!added_args(lx, op_added(kind), op))
			return false;
	}
	skip_space(lx);
	if (lx->p < lx->end && *lx->p != ';')
		return fail(lx, "unexpected '%.*s' after %s", (int)(lx->end - lx->p), lx->p, op_name(kind));
	return true;
}

static bool parse_cpu(struct lexer *lx, struct program *prog, struct lines *at)
{
	unsigned int cpu;

	if (!number(lx, "a cpu number", &cpu))
		return false;
	if (cpu >= PR_MAX_CPUS)
		return fail(lx, "cpu %u out of range 0..%d", cpu, PR_MAX_CPUS - 1);
	if (prog->cpus >> cpu & 1)
		return fail(lx, "cpu %u is named twice", cpu);
	prog->cpus |= (uint8_t)(1u << cpu);
	at->cpu[cpu] = lx->line;
	if (!expect_char(lx, ':', "the cpu number"))
		return false;
	while (!at_end(lx)) {
		if (*lx->p == ';') { /* an empty op, as after a trailing ';' */
			lx->p++;
			continue;
		}
		if (prog->nops[cpu] == PR_MAX_OPS)
			return fail(lx, "cpu %u has more than %d ops", cpu, PR_MAX_OPS);
		if (!parse_op(lx, &prog->ops[cpu][prog->nops[cpu]]))
			return false;
		prog->nops[cpu]++;
	}
	return true;
}

static bool parse_schedule(struct lexer *lx, struct program *prog, struct lines *at)
{
	if (at->schedule)
		return fail(lx, "second schedule line (the first is line %d)", at->schedule);
	at->schedule = lx->line;
	if (!expect_char(lx, ':', "schedule"))
		return false;
	while (!at_end(lx)) {
		if (prog->nschedule == PR_MAX_SCHEDULE)
			return fail(lx, "schedule longer than %d steps", PR_MAX_SCHEDULE);
		if (!byte_number(lx, "a cpu number", &prog->schedule[prog->nschedule]))
			return false;
		prog->nschedule++;
	}
	return true;
}

static bool set_once(struct lexer *lx, int *seen, const char *what)
{
	if (*seen)
		return fail(lx, "second '%s' line (the first is line %d)", what, *seen);
	*seen = lx->line;
	return true;
}

static bool parse_line(struct lexer *lx, struct program *prog, struct lines *at, int *variant_line)
{
	const char *w;
	int n = word(lx, &w);
	unsigned int v;

	if (n == 0 && at_end(lx))
		return true;
#define IS(s) (n == (int)strlen(s) && !memcmp(w, s, n))
	if (IS("variant")) {
		if (!set_once(lx, variant_line, "variant"))
			return false;
		n = word(lx, &w);
		const struct variant *var = variant_by_name(w, n);
		if (!var)
			return n ? fail(lx, "unknown variant '%.*s' (" VARIANT_NAMES ")", n, w)
				 : fail(lx, "variant needs a name (" VARIANT_NAMES ")");
		prog->variant = variant_index(var);
		return line_done(lx, "the variant");
	}
	if (IS("pages")) {
		if (!set_once(lx, &at->pages, "pages") || !number(lx, "the number of pages", &prog->npages))
			return false;
		return line_done(lx, "pages");
	}
	if (IS("slots")) {
		if (!set_once(lx, &at->slots, "slots") || !number(lx, "the number of slots", &prog->nslots))
			return false;
		return line_done(lx, "slots");
	}
	if (IS("cache")) {
		do {
			if (!number(lx, "a slot", &v))
				return false;
			if (v >= MM_MAX_SLOTS)
				return fail(lx, "cache slot %u out of range 0..%d", v, MM_MAX_SLOTS - 1);
			if (prog->cache >> v & 1)
				return fail(lx, "slot %u is cached twice", v);
			prog->cache |= 1ULL << v;
			at->cache[v] = lx->line;
		} while (!at_end(lx));
		return true;
	}
	if (IS("cpu"))
		return parse_cpu(lx, prog, at);
	if (IS("schedule"))
		return parse_schedule(lx, prog, at);
#undef IS
	if (n == 0)
		return fail(lx, "unexpected '%c'", *lx->p);
	return fail(lx, "unknown directive '%.*s'", n, w);
}

/* program_check's verdict, its error at the line that wrote what it names. */
static bool check_at_lines(const struct program *prog, const struct lines *at, struct parse_error *err)
{
	if (program_check(prog, err))
		return true;
	switch (err->part) {
	case PART_PAGES:
		err->line = at->pages;
		break;
	case PART_SLOTS:
		err->line = at->slots;
		break;
	case PART_CACHE:
		err->line = at->cache[err->item];
		break;
	case PART_OP:
		err->line = at->cpu[err->cpu];
		break;
	case PART_SCHEDULE:
		err->line = at->schedule;
		break;
	}
	return false;
}

void program_init(struct program *prog)
{
	memset(prog, 0, sizeof(*prog));
	prog->variant = -1;
	prog->npages = 16;
	prog->nslots = 4;
}

bool program_parse(struct program *prog, const char *text, size_t len, struct parse_error *err)
{
	struct lines at;
	struct lexer lx = { .err = err };
	int variant_line = 0;
	const char *p = text, *end = text + len;

	program_init(prog);
	memset(&at, 0, sizeof(at));
	memset(err, 0, sizeof(*err));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		lx.line++;
		lx.p = p;
		lx.end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		if (eol - p > MAX_LINE)
			return fail(&lx, "line longer than %d bytes", MAX_LINE);
		for (const char *q = p; q < lx.end; q++) {
			unsigned char c = (unsigned char)*q;

			if (c == '#') {
				lx.end = q;
				break;
			}
			if ((c < 0x20 && c != '\t' && c != '\r') || c >= 0x7f)
				return fail(&lx, "unexpected byte 0x%02x in column %d", c, (int)(q - p) + 1);
		}
		if (!parse_line(&lx, prog, &at, &variant_line))
			return false;
		p = nl ? nl + 1 : end;
	}
	return check_at_lines(prog, &at, err);
}

unsigned int order_of(unsigned int npages)
{
	unsigned int order = 0;

	while ((1u << order) < npages)
		order++;
	return order;
}

static void print_op(FILE *out, const struct op *op)
{
	const struct pr_op *o = op_added(op->kind);

	fputs(op_name(op->kind), out);
	switch (op->kind) {
	case OP_LOOKUP: case OP_REMOVE: case OP_ADD:
		fprintf(out, " %u", op->slot);
		break;
	case OP_GET:
		fprintf(out, " %u %c", op->slot, 'a' + op->handle);
		break;
	case OP_ALLOC:
		fprintf(out, " %u %c%s", op->order, 'a' + op->handle, op->comp ? " comp" : "");
		break;
	case OP_REF: case OP_PUT: case OP_FREE:
		fprintf(out, " %c", 'a' + op->handle);
		break;
	default:
		for (int a = 0; o && a < PR_OP_MAX_ARGS && o->args[a]; a++)
			if (o->args[a] == PR_OP_HANDLE)
				fprintf(out, " %c", 'a' + op->handle);
			else
				fprintf(out, " %u", o->args[a] == PR_OP_SLOT ? op->slot : op->order);
	}
}

void program_print(FILE *out, const struct program *prog)
{
	if (prog->variant >= 0)
		fprintf(out, "variant %s\n", variants[prog->variant]->name);
	fprintf(out, "pages %u\nslots %u\n", prog->npages, prog->nslots);
	if (prog->cache) {
		fputs("cache", out);
		for (unsigned int s = 0; s < MM_MAX_SLOTS; s++)
			if (prog->cache >> s & 1)
				fprintf(out, " %u", s);
		fputc('\n', out);
	}
	for (int c = 0; c < PR_MAX_CPUS; c++) {
		if (!(prog->cpus >> c & 1))
			continue;
		fprintf(out, "cpu %d:", c);
		for (int i = 0; i < prog->nops[c]; i++) {
			fputs(i ? "; " : " ", out);
			print_op(out, &prog->ops[c][i]);
		}
		fputc('\n', out);
	}
	if (prog->nschedule) {
		fputs("schedule:", out);
		for (int i = 0; i < prog->nschedule; i++)
			fprintf(out, " %u", prog->schedule[i]);
		fputc('\n', out);
	}
}

bool program_looks_like_text(const char *data, size_t len)
{
	static const char *const directives[] = { "#", "variant", "pages", "slots", "cache", "cpu", "schedule" };
	bool line_start = true, directive = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
			return false;
		if (line_start && c != ' ' && c != '\t') {
			for (size_t k = 0; k < sizeof(directives) / sizeof(*directives); k++)
				directive |= !strncmp(data + i, directives[k],
						      strnlen(directives[k], len - i)) &&
					     len - i >= strlen(directives[k]);
			line_start = false;
		}
		if (c == '\n')
			line_start = true;
	}
	return directive;
}
