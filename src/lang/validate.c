/* validate.c: the rules of a valid program, all of them and only here, as
 * syzkaller's prog/validation.go serves Deserialize and Minimize alike.
 * Entry point: program_check.  Includes the program only.
 *
 * The parser reads only what a struct program can hold and leaves the
 * rest to these rules; the decoder, explore's generator and the
 * minimizer's candidates are held to the same rules.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "lang/program.h"

static bool broken(struct parse_error *err, int part, int cpu, int item, const char *fmt, ...)
{
	va_list ap;

	*err = (struct parse_error){ .part = part, .cpu = cpu, .item = item };
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

/* Cpu c's ops: known kinds, slots and orders within the sizes, each
 * handle set (by get or alloc) before a ref, put, free or added op uses
 * it. */
static bool ops_valid(const struct program *prog, int c, struct parse_error *err)
{
	unsigned int max_order = order_of(prog->npages);
	uint32_t set = 0;

	if (prog->nops[c] > PR_MAX_OPS)
		return broken(err, PART_OP, c, PR_MAX_OPS, "cpu %d has more than %d ops", c, PR_MAX_OPS);
	if (prog->nops[c] && !(prog->cpus >> c & 1))
		return broken(err, PART_OP, c, 0, "cpu %d has ops but is not in the program", c);
	for (int i = 0; i < prog->nops[c]; i++) {
		const struct op *op = &prog->ops[c][i];

		if (op->kind >= op_kinds())
			return broken(err, PART_OP, c, i, "op kind %u unknown (0..%d)", op->kind, op_kinds() - 1);
		if (op_takes_slot(op->kind) && op->slot >= prog->nslots)
			return broken(err, PART_OP, c, i, "%s slot %u out of range: the program has %u slots",
				      op_name(op->kind), op->slot, prog->nslots);
		if (op_args(op->kind) & ARG_ORDER && op->order > max_order)
			return broken(err, PART_OP, c, i, "%s order %u out of range 0..%u for %u pages",
				      op_name(op->kind), op->order, max_order, prog->npages);
		if (!op_takes_handle(op->kind))
			continue;
		if (op->handle >= PR_HANDLES)
			return broken(err, PART_OP, c, i, "%s handle %u out of range 0..%d (a..z)",
				      op_name(op->kind), op->handle, PR_HANDLES - 1);
		if (op_sets_handle(op->kind))
			set |= 1u << op->handle;
		else if (!(set >> op->handle & 1))
			return broken(err, PART_OP, c, i, "handle '%c' is never set (by alloc or get) before this %s",
				      'a' + op->handle, op_name(op->kind));
	}
	return true;
}

bool program_check(const struct program *prog, struct parse_error *err)
{
	unsigned int n = prog->npages;
	int ncached = 0;

	if (prog->variant < -1 || prog->variant >= NR_VARIANTS)
		return broken(err, PART_PROGRAM, 0, 0, "variant %d out of range -1..%d", prog->variant,
			      NR_VARIANTS - 1);
	if (n < 4 || n > MM_MAX_PAGES || (n & (n - 1)))
		return broken(err, PART_PAGES, 0, 0, "pages %u must be a power of two from 4 to %d", n,
			      MM_MAX_PAGES);
	if (prog->nslots < 1 || prog->nslots > MM_MAX_SLOTS)
		return broken(err, PART_SLOTS, 0, 0, "slots %u out of range 1..%d", prog->nslots, MM_MAX_SLOTS);
	for (uint64_t m = prog->cache; m; m &= m - 1) { /* each cached slot, lowest first */
		unsigned int s = (unsigned int)__builtin_ctzll(m);

		if (s >= prog->nslots)
			return broken(err, PART_CACHE, 0, (int)s,
				      "cache slot %u out of range: the program has %u slots", s, prog->nslots);
		if ((unsigned int)++ncached > n)
			return broken(err, PART_CACHE, 0, (int)s, "cache needs %d pages but there are %u",
				      ncached, n);
	}
	for (int c = 0; c < PR_MAX_CPUS; c++)
		if (!ops_valid(prog, c, err))
			return false;
	if (prog->nschedule > PR_MAX_SCHEDULE)
		return broken(err, PART_SCHEDULE, 0, PR_MAX_SCHEDULE, "schedule longer than %d steps",
			      PR_MAX_SCHEDULE);
	for (int i = 0; i < prog->nschedule; i++)
		if (prog->schedule[i] >= PR_MAX_CPUS || !(prog->cpus >> prog->schedule[i] & 1))
			return broken(err, PART_SCHEDULE, 0, i, "schedule names cpu %u, which the program lacks",
				      prog->schedule[i]);
	if (!prog->cpus)
		return broken(err, PART_PROGRAM, 0, 0, "no cpu line: the program runs nothing");
	return true;
}

void program_assert_valid(const struct program *prog, const char *who)
{
	struct parse_error err;

	if (program_check(prog, &err))
		return;
	fprintf(stderr, "pagerace: internal error: %s built an invalid program: %s\n", who, err.msg);
	program_print(stderr, prog);
	abort();
}
