/* contract.c: the kernel API's contract as a ledger per handle, the one
 * account of it (contract.h says the rules).
 * Entry points: contract_apply, contract_scan.  Includes the program only.
 */
#include <string.h>

#include "lang/contract.h"

/* One reference given back: a ref's when one is owed and the call is a
 * put, else the allocation's own, else any ref that is left. */
static void give_back(struct contract_handle *h, bool put)
{
	if (put && h->refs > 0)
		h->refs--;
	else if (contract_owes_free(h))
		h->freed = true;
	else if (h->refs > 0)
		h->refs--;
}

bool contract_apply(struct contract_handle *h, const struct op *op)
{
	bool kept;

	switch (op->kind) {
	case OP_GET:
	case OP_ALLOC:
		kept = !contract_live(h); /* else a handle overwritten while it owes */
		*h = (struct contract_handle){ .from_alloc = op->kind == OP_ALLOC,
					       .pinless = op->kind == OP_ALLOC && op->order && !op->comp,
					       .refs = op->kind == OP_GET };
		return kept;
	case OP_REF:
		kept = contract_live(h) && !h->pinless;
		h->refs++;
		return kept;
	case OP_PUT:
		kept = h->refs > 0;
		give_back(h, true);
		return kept;
	case OP_FREE:
		kept = contract_owes_free(h);
		give_back(h, false);
		return kept;
	default: /* an added op borrows the handle's reference */
		return !op_takes_handle(op->kind) || contract_live(h);
	}
}

bool contract_scan(const struct op *ops, int nops, struct contract_handle ledger[PR_HANDLES])
{
	bool kept = true;

	memset(ledger, 0, PR_HANDLES * sizeof(*ledger));
	for (int i = 0; i < nops; i++)
		if (op_takes_handle(ops[i].kind))
			kept &= contract_apply(&ledger[ops[i].handle], &ops[i]);
	return kept;
}

bool ops_keep_contract(const struct op *ops, int nops)
{
	struct contract_handle ledger[PR_HANDLES];

	return contract_scan(ops, nops, ledger);
}

bool program_keeps_contract(const struct program *prog)
{
	for (int c = 0; c < PR_MAX_CPUS; c++)
		if (!ops_keep_contract(prog->ops[c], prog->nops[c]))
			return false;
	return true;
}

int ops_release_owed(struct op *ops, int nops)
{
	struct contract_handle ledger[PR_HANDLES];

	contract_scan(ops, nops, ledger);
	for (int h = 0; h < PR_HANDLES; h++) {
		for (int r = 0; r < ledger[h].refs && nops < PR_MAX_OPS; r++)
			ops[nops++] = (struct op){ .kind = OP_PUT, .handle = (uint8_t)h };
		if (contract_owes_free(&ledger[h]) && nops < PR_MAX_OPS)
			ops[nops++] = (struct op){ .kind = OP_FREE, .handle = (uint8_t)h };
	}
	return nops;
}
