/* ops.c: each op of the language as the kernel call it stands for, run
 * straight through on its cpu's own thread.  The steps are the scheduling
 * points the shim's primitives take (shim/pagerace/hooks.h); nothing here
 * counts them.
 * Entry point: ops_run.
 */
#include "exec/exec.h"

bool op_is_skipped(const struct cpu_state *cs, const struct op *op)
{
	return op_takes_handle(op->kind) && !op_sets_handle(op->kind) &&
	       !cs->handles[op->handle].page;
}

/* get and alloc: handle h names page now, with the reference op took on
 * the contract's ledger (a NULL page holds nothing: its ops are skipped
 * and the end releases nothing of it). */
static void hold(struct handle *h, struct page *page, int order, const struct op *op)
{
	*h = (struct handle){ .page = page, .order = order };
	contract_apply(&h->owed, op);
}

/* lookup S and get S h: the variant's lookup; lookup then puts what it
 * found. */
static void op_lookup(struct cpu_state *cs, const struct op *op)
{
	struct page *page = variant_lookup(cs->x->variant, op->slot);

	/* The lookup's promise: the page it returns, with a reference, is
	 * the one its slot holds.  Any other is somebody else's page: one
	 * freed since the lookup last read the slot, or, when the lookup's
	 * last step is atomic with this check (not under stress, where the
	 * other cpus run on meanwhile), one its slot no longer holds. */
	if (page && (__atomic_load_n(&page->freed_at, __ATOMIC_RELAXED) > cs->slot_clock ||
		     (!cs->x->free_running && page_cache_peek(pr_mm, op->slot) != page)))
		mm_bug(pr_mm, MM_BUG_LOOKUP_STALE, page);
	if (op->kind == OP_GET) {
		hold(&cs->handles[op->handle], page, 0, op);
		return;
	}
	if (page)
		cs->x->variant->put_page(page);
}

/* remove S: delete_from_page_cache, removal A-B of filemap.c. */
static void op_remove(struct cpu_state *cs, const struct op *op)
{
	struct page *page = page_cache_delete(&pr_mm->mapping, op->slot);

	if (page)
		cs->x->variant->put_page(page);
}

/* add S: a new order-0 page into the cache, if the slot is empty. */
static void op_add(const struct op *op)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	if (page)
		page_cache_insert(&pr_mm->mapping, op->slot, page);
}

static void op_alloc(struct cpu_state *cs, const struct op *op)
{
	struct page *page = alloc_pages(GFP_KERNEL | (op->comp ? __GFP_COMP : 0), op->order);

	hold(&cs->handles[op->handle], page, op->order, op);
}

/* ref h and put h: the caller holds a reference, so a count of zero means
 * the page was freed under it (claims_ref). */
static void op_ref_put(struct cpu_state *cs, const struct op *op)
{
	struct handle *h = &cs->handles[op->handle];

	cs->claims_ref = true;
	if (op->kind == OP_REF)
		get_page(h->page);
	else
		cs->x->variant->put_page(h->page);
	cs->claims_ref = false;
	contract_apply(&h->owed, op);
}

/* free h: __free_pages with the order h was allocated with. */
static void op_free(struct cpu_state *cs, const struct op *op)
{
	struct handle *h = &cs->handles[op->handle];

	contract_apply(&h->owed, op);
	cs->x->variant->free_pages(h->page, (unsigned int)h->order);
}

/* An op the variant file added (shim/pagerace/op.h): its function, with
 * the mapping and its arguments.  A handle it takes is the page the cpu
 * holds a reference to, which the op borrows (claims_ref, as ref and put). */
static void op_added_run(struct cpu_state *cs, const struct op *op)
{
	const struct pr_op *o = op_added(op->kind);
	unsigned long argv[PR_OP_MAX_ARGS] = { 0 };

	/* The language's added ops are the loaded file's (program_add_ops). */
	if (o < cs->x->variant->ops || o >= cs->x->variant->ops_end) {
		fprintf(stderr, "pagerace: internal error: op %s run under variant %s, which does not add it\n",
			op_name(op->kind), cs->x->variant->name);
		abort();
	}

	for (int a = 0; a < PR_OP_MAX_ARGS && o->args[a]; a++)
		argv[a] = o->args[a] == PR_OP_SLOT     ? op->slot
			  : o->args[a] == PR_OP_ORDER ? op->order
						      : (unsigned long)cs->handles[op->handle].page;
	cs->claims_ref = op_takes_handle(op->kind);
	o->call(&pr_mm->mapping, argv);
	cs->claims_ref = false;
}

void ops_run(struct cpu_state *cs)
{
	const struct program *prog = cs->x->prog;

	for (cs->pc = 0; cs->pc < prog->nops[cs->cpu]; cs->pc++) {
		const struct op *op = &prog->ops[cs->cpu][cs->pc];

		if (op_is_skipped(cs, op))
			continue;
		cs->op_clock = __atomic_load_n(&pr_mm->clock, __ATOMIC_RELAXED);
		cs->seen = (uint64_t)cs->pc * 0x9e3779b97f4a7c15ull;
		switch (op->kind) {
		case OP_LOOKUP:
		case OP_GET:
			op_lookup(cs, op);
			break;
		case OP_REMOVE:
			op_remove(cs, op);
			break;
		case OP_ADD:
			op_add(op);
			break;
		case OP_ALLOC:
			op_alloc(cs, op);
			break;
		case OP_REF:
		case OP_PUT:
			op_ref_put(cs, op);
			break;
		case OP_FREE:
			op_free(cs, op);
			break;
		default:
			op_added_run(cs, op);
		}
	}
}
