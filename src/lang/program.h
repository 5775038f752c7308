/* program.h: a scenario as data: the cpus' ops, the starting cache, and the
 * schedule; its text form (parse and print).
 * Entry points: program_parse, program_print, program_check.
 * Includes the variant table only (to name variants).
 *
 * The text form, one directive a line, '#' to the end of a line a comment:
 *   variant NAME            a built-in variant, variants/NAME.c (default v6.2)
 *   pages N                 power of two, 4..1024 (default 16)
 *   slots N                 1..64 (default 4)
 *   cache S [S...]          order-0 pages in these slots before the cpus start
 *   cpu N: OP; OP; ...      cpus 0..7, each at most once, at most 32 ops
 *   schedule: N N ...       which cpu takes each next step (at most 1024)
 * Ops: lookup S | get S h | remove S | add S | alloc O h [comp] | ref h |
 *      put h | free h   (h a handle: one lowercase letter, local to its cpu),
 *      and those the variant file adds, NAME ARG... (shim/pagerace/op.h).
 */
#ifndef PAGERACE_PROGRAM_H
#define PAGERACE_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "variant/variant.h"

#define PR_MAX_CPUS 8
#define PR_MAX_OPS 32
#define PR_MAX_SCHEDULE 1024
#define PR_HANDLES 26

enum op_kind { OP_LOOKUP, OP_GET, OP_REMOVE, OP_ADD, OP_ALLOC, OP_REF, OP_PUT, OP_FREE, NR_OPS };

/* The ops a variant file adds (shim/pagerace/op.h) are kinds NR_OPS and
 * up, known to every program of the process once the file that declares
 * them is taken in: one such file per process (cli/variant_file.h), as a
 * fuzz target is built for one variant.  False, with err at the
 * declaration's line, when its declarations break the language's rules:
 * a name no built-in op has and no other of the file's ops, each
 * argument at most once, at most PR_MAX_FILE_OPS ops. */
#define PR_MAX_FILE_OPS 16
struct parse_error;
bool program_add_ops(const struct variant *v, struct parse_error *err);

/* NR_OPS plus the added ones. */
int op_kinds(void);
const char *op_name(int kind);

/* What an op takes, for the text form, the validator, the contract and
 * the minimizer alike. */
enum { ARG_SLOT = 1, ARG_HANDLE = 2, ARG_ORDER = 4 };
unsigned int op_args(int kind);

/* An added op: its declaration; NULL for a built-in kind. */
const struct pr_op *op_added(int kind);

static inline bool op_takes_slot(int kind)
{
	return op_args(kind) & ARG_SLOT;
}

static inline bool op_takes_handle(int kind)
{
	return op_args(kind) & ARG_HANDLE;
}

/* get and alloc set their handle; every other op on a handle uses one
 * set before. */
static inline bool op_sets_handle(int kind)
{
	return kind == OP_GET || kind == OP_ALLOC;
}

/* The fields an op's kind does not take are ignored (and printed by none). */
struct op {
	uint8_t kind;   /* enum op_kind, or an added op's: NR_OPS + its index */
	uint8_t slot;   /* lookup, get, remove, add; an added op's slot */
	uint8_t order;  /* alloc; an added op's order */
	uint8_t handle; /* get, alloc, ref, put, free, an added op's: 0..25 for a..z */
	bool comp;      /* alloc: __GFP_COMP */
};

struct program {
	int variant; /* index in variants[], or -1 when the text names none */
	unsigned int npages, nslots;
	uint64_t cache;   /* slots filled before the cpus start, in ascending order */
	uint8_t cpus;     /* bit c: "cpu c" is in the program */
	uint8_t nops[PR_MAX_CPUS];
	struct op ops[PR_MAX_CPUS][PR_MAX_OPS];
	uint16_t nschedule;
	uint8_t schedule[PR_MAX_SCHEDULE];
};

/* What a program_check error is about, for the parser to name its line. */
enum program_part { PART_PROGRAM, PART_PAGES, PART_SLOTS, PART_CACHE, PART_OP, PART_SCHEDULE };

struct parse_error {
	int line; /* 0: the program as a whole */
	char msg[160];
	int part;      /* program_check: enum program_part */
	int cpu, item; /* PART_OP: cpu and op index; PART_CACHE: item is the slot */
};

void program_init(struct program *prog);

/* Strict: the first error found is reported in err: the text's own errors
 * (an unknown word, a number the program cannot hold) in text order, then
 * program_check's, at the line that wrote what it names.  Comments may
 * hold any bytes; elsewhere only printable ASCII, tabs and CR LF endings. */
bool program_parse(struct program *prog, const char *text, size_t len, struct parse_error *err);

/* validate.c: every rule of a valid program, the one home of them: the
 * sizes, the cache within them, the cpus and their ops (kinds, slots,
 * orders, handles set by get or alloc before ref, put, free or an added
 * op uses them), the schedule naming only the program's cpus.  The parser, the decoder, the
 * minimizer and explore's generator all ask it.  False with the first
 * rule broken in err (line 0; part, cpu and item say where); err is left
 * alone when the program is valid. */
bool program_check(const struct program *prog, struct parse_error *err);

/* For programs pagerace builds itself (the decoder, explore): one that
 * fails program_check is pagerace's bug, said with who built it, then
 * abort(). */
void program_assert_valid(const struct program *prog, const char *who);

/* The canonical text form; program_parse reads it back to the same program. */
void program_print(FILE *out, const struct program *prog);

unsigned int order_of(unsigned int npages);

/* decode.c: the binary form; total: any bytes give a valid program that
 * keeps the contract (lang/contract.h). */
void program_decode(struct program *prog, const uint8_t *data, size_t len);

/* Text or bytes?  Text has no control bytes but tab, CR and LF, and a
 * directive or a comment at the start of some line; anything else is the
 * binary form. */
bool program_looks_like_text(const char *data, size_t len);

#endif
