/* decode.c: the binary form of a program, as fuzzers write it: every byte
 * string decodes to a valid program and schedule that keeps the kernel API's
 * contract.  Entry point: program_decode.  Includes the program only.
 *
 * Layout, version 1 (input B of n bytes):
 *   B[0]            config: bits 0-1 cpus (2, 3, 4, 2), bits 2-3 slots
 *                   (1..4), bits 4-5 pages (16, 8, 32, 64), bits 6-7 cached
 *                   slots (1, 0, 2, 3), the first ones; 0x00 is the story's
 *                   shape: 2 cpus, 1 slot, 16 pages, slot 0 cached.
 *   B[n-1]          k = B[n-1] % 16: the number of schedule bytes,
 *   B[n-1-k..n-2]   the schedule: each byte runs cpu (b & 3) % cpus for
 *                   ((b >> 2) & 3) + 1 steps: one byte per context switch.
 *                   Races want short runs between switches; a longer run
 *                   is two bytes naming one cpu.  The top nibble is free.
 *   B[1..n-2-k]     the ops, two bytes each, [a][b]: cpu (a & 7) % cpus,
 *                   intent (a >> 3) & 7, argument b; with ops added by the
 *                   variant file (lang/program.h), a & 0x40 makes it the
 *                   added op number intent % added.
 * The ops are read from the front and the schedule from the back, so a
 * mutation of one leaves the other as it was.  The fuzz target runs more
 * schedules of the program than this one: the walks hunt_input draws
 * from the input's bytes (engines/hunt.h).
 *
 * Intents: 0 lookup, 1 get (a new handle), 2 remove, 3 add, 4 alloc (order
 * b & 3, comp if b & 4, a new handle), 5 ref (the live handle b % live),
 * 6 and 7 release a live handle: a get handle is put; an alloc handle is
 * freed, or put when 6 picks it and it has refs.  Slots are b % slots.  An
 * intent with nothing to act on (no live handle, 26 handles used) becomes a
 * lookup.  At the end of each cpu its live handles are released in full, as
 * the contract asks: one put per ref and one free per alloc, and nothing
 * after the last release.  An owner never takes a ref on its own
 * non-compound block of order > 0: no kernel caller does (Linus, LKML,
 * 11 February 2023: such users "only ever [have] a single 'alloc' and a
 * 'free'"), so only a lookup's speculative reference can pin one, which is
 * the race.  An added op's slot is b % slots, its order (b >> 4) & 3,
 * its handle the live handle b % live (none live: a lookup instead).
 * corpus/regressions/test-free-pages.prog writes the other
 * shape by hand.  The contract's ledger is lang/contract.c's; what comes
 * out is held to program_check, as syzkaller validates after every
 * Deserialize: a program that fails it is the decoder's bug, abort().
 */
#include "lang/contract.h"

struct decoder {
	struct program *prog;
	struct contract_handle ledger[PR_MAX_CPUS][PR_HANDLES];
	int nhandles[PR_MAX_CPUS];
};

/* Append op to cpu's ops, on its handle's ledger. */
static void emit(struct decoder *d, int cpu, struct op op)
{
	if (d->prog->nops[cpu] == PR_MAX_OPS)
		return;
	d->prog->ops[cpu][d->prog->nops[cpu]++] = op;
	if (op_takes_handle(op.kind))
		contract_apply(&d->ledger[cpu][op.handle], &op);
}

/* The b-th live handle of cpu, or -1. */
static int live_handle(struct decoder *d, int cpu, unsigned int b)
{
	int live = 0;

	for (int h = 0; h < d->nhandles[cpu]; h++)
		live += contract_live(&d->ledger[cpu][h]);
	if (!live)
		return -1;
	b %= (unsigned int)live;
	for (int h = 0; h < d->nhandles[cpu]; h++)
		if (contract_live(&d->ledger[cpu][h]) && b-- == 0)
			return h;
	return -1;
}

/* One release of handle h: a put while refs are owed (when prefer_put or
 * the allocation is freed already), else the free. */
static void release(struct decoder *d, int cpu, int h, bool prefer_put)
{
	const struct contract_handle *l = &d->ledger[cpu][h];
	bool put = l->refs > 0 && (prefer_put || !contract_owes_free(l));

	emit(d, cpu, (struct op){ .kind = put ? OP_PUT : OP_FREE, .handle = (uint8_t)h });
}

/* The added op number k, its arguments from b. */
static void decode_added(struct decoder *d, int cpu, int k, uint8_t b)
{
	struct op op = { .kind = (uint8_t)(NR_OPS + k), .slot = (uint8_t)(b % d->prog->nslots),
			 .order = (b >> 4) & 3 };
	int h = 0;

	if (op_takes_handle(op.kind) && (h = live_handle(d, cpu, b)) < 0)
		op = (struct op){ .kind = OP_LOOKUP, .slot = op.slot };
	op.handle = (uint8_t)h;
	emit(d, cpu, op);
}

static void decode_op(struct decoder *d, int ncpus, uint8_t a, uint8_t b)
{
	const struct program *prog = d->prog;
	int cpu = (a & 7) % ncpus, intent = (a >> 3) & 7, h;
	int added = op_kinds() - NR_OPS;
	uint8_t slot = (uint8_t)(b % prog->nslots);

	if (d->prog->nops[cpu] == PR_MAX_OPS)
		return;
	if (added && a & 0x40) {
		decode_added(d, cpu, intent % added, b);
		return;
	}
	if ((intent == 1 || intent == 4) && d->nhandles[cpu] < PR_HANDLES) {
		h = d->nhandles[cpu]++;
		if (intent == 1) {
			emit(d, cpu, (struct op){ .kind = OP_GET, .slot = slot, .handle = (uint8_t)h });
		} else { /* order 3 at most: the smallest arena, 8 pages, has it */
			emit(d, cpu, (struct op){ .kind = OP_ALLOC, .order = b & 3, .handle = (uint8_t)h,
						  .comp = b & 4 });
		}
		return;
	}
	if (intent >= 5 && (h = live_handle(d, cpu, b)) >= 0 &&
	    !(intent == 5 && d->ledger[cpu][h].pinless)) {
		if (intent == 5)
			emit(d, cpu, (struct op){ .kind = OP_REF, .handle = (uint8_t)h });
		else
			release(d, cpu, h, intent == 6);
		return;
	}
	if (intent == 2)
		emit(d, cpu, (struct op){ .kind = OP_REMOVE, .slot = slot });
	else if (intent == 3)
		emit(d, cpu, (struct op){ .kind = OP_ADD, .slot = slot });
	else
		emit(d, cpu, (struct op){ .kind = OP_LOOKUP, .slot = slot });
}

void program_decode(struct program *prog, const uint8_t *data, size_t len)
{
	static const unsigned int pages[4] = { 16, 8, 32, 64 }, cached[4] = { 1, 0, 2, 3 };
	struct decoder d = { .prog = prog };
	uint8_t config = len ? data[0] : 0;
	int ncpus = (config & 3) == 3 ? 2 : 2 + (config & 3);
	size_t nsched = len > 1 ? data[len - 1] % 16u : 0, ops_end;

	program_init(prog);
	prog->nslots = 1 + (config >> 2 & 3);
	prog->npages = pages[config >> 4 & 3];
	for (unsigned int s = 0; s < cached[config >> 6] && s < prog->nslots; s++)
		prog->cache |= 1ULL << s;
	prog->cpus = (uint8_t)((1u << ncpus) - 1);
	if (nsched > len - 2)
		nsched = len - 2;
	ops_end = len > 1 ? len - 1 - nsched : len;
	for (size_t i = 1; i + 1 < ops_end; i += 2)
		decode_op(&d, ncpus, data[i], data[i + 1]);
	for (int c = 0; c < ncpus; c++)
		prog->nops[c] = (uint8_t)ops_release_owed(prog->ops[c], prog->nops[c]);
	for (size_t i = ops_end; i < ops_end + nsched; i++) {
		int cpu = (data[i] & 3) % ncpus;

		for (int run = ((data[i] >> 2) & 3) + 1; run > 0 && prog->nschedule < PR_MAX_SCHEDULE; run--)
			prog->schedule[prog->nschedule++] = (uint8_t)cpu;
	}
	program_assert_valid(prog, "the decoder");
}
