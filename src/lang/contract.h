/* contract.h: the kernel API's contract, kept as a ledger per handle: a
 * handle from alloc is released by one free plus one put per ref, a handle
 * from get by one put per reference, nothing touches a handle after its
 * last release, and no ref is taken on a non-compound block of order > 0
 * by its owner.
 * Entry points: contract_apply (one op), contract_owes_free and refs (what
 * is still owed), contract_scan (a cpu's ops).  Includes the program only.
 *
 * The one account of what a handle holds: the decoder writes programs that
 * keep it, explore enumerates them, the minimizer keeps it when the
 * original kept it, and the executor counts what each handle still holds
 * with it, for the lost-pages oracle's release at the end.
 */
#ifndef PAGERACE_CONTRACT_H
#define PAGERACE_CONTRACT_H

#include "lang/program.h"

/* One handle's ledger.  References held = refs + contract_owes_free():
 * a get's reference is its one ref, an alloc's own reference the free's.
 * The handle is live (owes a release) while it holds any. */
struct contract_handle {
	bool from_alloc; /* alloc: released by one free plus one put per ref */
	bool freed;      /* from_alloc: its free is done */
	bool pinless;    /* a non-compound block of order > 0: its owner takes no ref */
	int refs;        /* puts still owed */
};

/* op on the ledger of op->handle (ops without a handle: nothing to do).
 * False when op breaks the contract; the ledger counts it all the same, as
 * the kernel would take it: a get or alloc starts afresh (what the handle
 * held is leaked), a ref is a reference more, and a put or free gives back
 * one reference, whichever call the caller meant it for. */
bool contract_apply(struct contract_handle *h, const struct op *op);

static inline bool contract_owes_free(const struct contract_handle *h)
{
	return h->from_alloc && !h->freed;
}

static inline bool contract_live(const struct contract_handle *h)
{
	return h->refs > 0 || contract_owes_free(h);
}

/* The ledgers of one cpu's ops, from a clean start.  False at the first op
 * that breaks the contract (the rest are counted anyway). */
bool contract_scan(const struct op *ops, int nops, struct contract_handle ledger[PR_HANDLES]);

/* The same for one cpu's ops (a prefix keeps it if no op breaks it). */
bool ops_keep_contract(const struct op *ops, int nops);

/* Every cpu's ops keep the contract. */
bool program_keeps_contract(const struct program *prog);

/* Append what ops still owe, handle by handle: a put per ref, then the
 * free; at most PR_MAX_OPS ops in all.  Returns the new count. */
int ops_release_owed(struct op *ops, int nops);

#endif
