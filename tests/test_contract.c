/* test_contract.c: the contract's ledger (src/lang/contract.c) rule by
 * rule, what it says is owed, and the lost-pages oracle
 * (src/check/lost_pages.c) releasing a program's holds through the model
 * alone and still finding the pages a run lost.
 */
#include <string.h>

#include "check/lost_pages.h"
#include "exec/exec.h"
#include "test.h"

static struct program parsed;

/* Ops on handles a and b of one cpu, in the text form's words; the
 * program they make is parsed. */
static int ops_of(const char *text, struct op *ops)
{
	struct parse_error err;
	char buf[256];

	snprintf(buf, sizeof(buf), "pages 16\ncpu 0: %s\n", text);
	if (!program_parse(&parsed, buf, strlen(buf), &err)) {
		CHECK(false, "\"%s\" does not parse: %s", text, err.msg);
		return 0;
	}
	memcpy(ops, parsed.ops[0], sizeof(parsed.ops[0]));
	return parsed.nops[0];
}

/* Each rule of the contract: the ops, the first that breaks it (-1:
 * none), and what handle a owes after them all. */
TEST(ledger_rules)
{
	static const struct {
		const char *ops;
		int breaks, refs;
		bool owes_free;
	} cases[] = {
		/* a get is released by one put per reference */
		{ "get 0 a; put a", -1, 0, false },
		{ "get 0 a; ref a; put a; put a", -1, 0, false },
		{ "get 0 a; ref a; put a", -1, 1, false },
		{ "get 0 a; put a; put a", 2, 0, false },
		{ "get 0 a; free a", 1, 0, false }, /* a free given back as a put */
		/* an alloc by one free plus one put per ref */
		{ "alloc 0 a; free a", -1, 0, false },
		{ "alloc 0 a; ref a; ref a", -1, 2, true },
		{ "alloc 0 a; ref a; free a; put a", -1, 0, false },
		{ "alloc 0 a; ref a; put a; free a", -1, 0, false },
		{ "alloc 1 a comp; ref a; put a; free a", -1, 0, false },
		{ "alloc 0 a; put a", 1, 0, false }, /* a put given back as the free */
		{ "alloc 0 a; free a; free a", 2, 0, false },
		{ "alloc 0 a; ref a; free a; free a", 3, 0, false },
		/* nothing touches a handle after its last release */
		{ "alloc 0 a; free a; ref a", 2, 1, false },
		{ "get 0 a; put a; ref a", 2, 1, false },
		{ "alloc 0 a; free a; alloc 1 a", -1, 0, true },
		{ "alloc 0 a; free a; alloc 1 a; free a", -1, 0, false },
		{ "alloc 0 a; alloc 1 a", 1, 0, true }, /* overwritten while it owes */
		{ "get 0 a; get 0 a", 1, 1, false },
		/* no ref by its owner on a non-compound block of order > 0 */
		{ "alloc 2 a; ref a", 1, 1, true },
		{ "alloc 1 a; ref a", 1, 1, true },
		{ "alloc 2 a comp; ref a; put a; free a", -1, 0, false },
		/* handles are apart; ops without one leave the ledger alone */
		{ "alloc 0 a; get 0 b; lookup 0; put b; remove 0; add 0", -1, 0, true },
		{ "alloc 0 a; get 0 b; put a; put b", 2, 0, false },
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct contract_handle ledger[PR_HANDLES];
		struct op ops[PR_MAX_OPS];
		int n = ops_of(cases[i].ops, ops), breaks = -1;

		memset(ledger, 0, sizeof(ledger));
		for (int k = 0; k < n; k++)
			if (op_takes_handle(ops[k].kind) && !contract_apply(&ledger[ops[k].handle], &ops[k]) &&
			    breaks < 0)
				breaks = k;
		CHECK(breaks == cases[i].breaks && ledger[0].refs == cases[i].refs &&
		      contract_owes_free(&ledger[0]) == cases[i].owes_free,
		      "\"%s\": breaks at %d, owes %d puts and free %d; want %d, %d, %d", cases[i].ops, breaks,
		      ledger[0].refs, contract_owes_free(&ledger[0]), cases[i].breaks, cases[i].refs,
		      cases[i].owes_free);
		CHECK_EQ(ops_keep_contract(ops, n), cases[i].breaks < 0);
		CHECK_EQ(program_keeps_contract(&parsed), cases[i].breaks < 0);
		CHECK_EQ(ops_keep_contract(ops, cases[i].breaks < 0 ? n : cases[i].breaks), true);
	}
}

/* A program keeps the contract only if every cpu does: the break may be
 * on any of them. */
TEST(contract_of_every_cpu)
{
	static const char text[] = "cpu 0: alloc 0 a; free a\ncpu 3: get 0 b; put b; put b\n";
	struct parse_error err;

	if (!program_parse(&parsed, text, strlen(text), &err)) {
		CHECK(false, "%d: %s", err.line, err.msg);
		return;
	}
	CHECK_EQ(ops_keep_contract(parsed.ops[0], parsed.nops[0]), true);
	CHECK_EQ(program_keeps_contract(&parsed), false);
}

/* ops_release_owed appends a put per ref, then the free; the result keeps
 * the contract and owes nothing. */
TEST(release_owed)
{
	struct op ops[PR_MAX_OPS];
	struct contract_handle ledger[PR_HANDLES];
	int n = ops_of("alloc 0 a; ref a; get 0 b; ref b; alloc 2 c comp", ops), m = ops_release_owed(ops, n);
	static const struct {
		uint8_t kind, handle;
	} tail[] = { { OP_PUT, 0 }, { OP_FREE, 0 }, { OP_PUT, 1 }, { OP_PUT, 1 }, { OP_FREE, 2 } };

	CHECK_EQ(m - n, 5);
	for (int k = 0; k < 5 && k < m - n; k++)
		CHECK(ops[n + k].kind == tail[k].kind && ops[n + k].handle == tail[k].handle,
		      "release %d: %s %c", k, op_name(ops[n + k].kind), 'a' + ops[n + k].handle);
	CHECK(contract_scan(ops, m, ledger), "the releases break the contract");
	for (int h = 0; h < PR_HANDLES; h++)
		CHECK(!contract_live(&ledger[h]), "handle %c still owes", 'a' + h);
	/* Never more than PR_MAX_OPS ops. */
	n = ops_of("alloc 0 a; ref a; ref a; ref a", ops);
	CHECK_EQ(ops_release_owed(ops, PR_MAX_OPS - 2), PR_MAX_OPS);
}

static struct mm mm;

static void fresh(void)
{
	static bool made;

	if (!made)
		mm_init(&mm, 16, 4);
	made = true;
	mm_reset(&mm);
	pr_mm = &mm;
}

/* A block of order allocated with count references. */
static struct page *held(unsigned int order, bool comp, int count)
{
	struct page *page = buddy_alloc(&mm, order, comp);

	page->_refcount.counter = count;
	return page;
}

/* The oracle alone, no executor and no variant: holds released the
 * correct way leave every page free; what a run lost is still found. */
TEST(lost_pages_oracle)
{
	struct verdict v;
	struct page *a, *b, *c, *d;

	/* An owner with a ref, a non-compound order-2 block owed its free, a
	 * cache page also held by a get. */
	fresh();
	a = held(1, true, 2);
	b = held(2, false, 1);
	c = held(0, false, 2);
	mm.mapping.i_pages.xa_slot[3] = c;
	lost_pages_release(&mm, a, 1, &(struct contract_handle){ .from_alloc = true, .refs = 1 });
	lost_pages_release(&mm, b, 2, &(struct contract_handle){ .from_alloc = true, .pinless = true });
	lost_pages_release(&mm, c, 0, &(struct contract_handle){ .refs = 1 });
	verdict_ok(&v);
	CHECK(lost_pages_check(&mm, &v) && v.kind == VERDICT_OK, "%s: %s", verdict_names[v.kind], v.detail);
	CHECK_EQ(nr_free_pages(&mm), 16);

	/* 6.2's free of a non-compound order-2 block that a ref pins: the
	 * tails went back at once; the ref's put gives back p0 alone. */
	fresh();
	a = held(2, false, 1);
	buddy_free(&mm, a + 2, 1, &(int){ 0 }, &(int){ 0 });
	buddy_free(&mm, a + 1, 0, &(int){ 0 }, &(int){ 0 });
	lost_pages_release(&mm, a, 2,
			   &(struct contract_handle){ .from_alloc = true, .freed = true, .pinless = true, .refs = 1 });
	verdict_ok(&v);
	CHECK(lost_pages_check(&mm, &v) && v.kind == VERDICT_OK, "%s: %s", verdict_names[v.kind], v.detail);

	/* v5.9's loss: the owner's free of a non-compound order-2 block was
	 * a put that freed nothing, the lookup's put freed p0 alone: nothing
	 * is owed and p1-p3 are lost. */
	fresh();
	a = held(2, false, 0);
	buddy_free(&mm, a, 0, &(int){ 0 }, &(int){ 0 });
	verdict_ok(&v);
	CHECK(!lost_pages_check(&mm, &v) && v.kind == VERDICT_LOST_PAGES && v.count == 3 &&
	      !strcmp(v.detail, "p1-p3"), "%s %d: %s", verdict_names[v.kind], v.count, v.detail);

	/* A reference no handle owes (a leaked get): its page is lost. */
	fresh();
	d = held(0, false, 2);
	lost_pages_release(&mm, d, 0, &(struct contract_handle){ .refs = 1 });
	verdict_ok(&v);
	CHECK(!lost_pages_check(&mm, &v) && v.kind == VERDICT_LOST_PAGES && v.count == 1 &&
	      !strcmp(v.detail, "p0"), "%s %d: %s", verdict_names[v.kind], v.count, v.detail);

	/* Owed more than the page holds: the release underflows, and says so. */
	fresh();
	d = held(0, false, 1);
	lost_pages_release(&mm, d, 0, &(struct contract_handle){ .from_alloc = true, .refs = 1 });
	verdict_ok(&v);
	CHECK(!lost_pages_check(&mm, &v) && v.kind == VERDICT_REFCOUNT_UNDERFLOW, "%s: %s",
	      verdict_names[v.kind], v.detail);
}

/* Through the executor: programs that end holding everything they took
 * are released in full on every variant, the buggy ones too (the release
 * is not theirs); the story still loses its three pages on v5.9. */
TEST(end_of_run_release)
{
	static struct program p;
	static const char holds[] = "cache 0 1\n"
				    "cpu 0: get 0 a; ref a; alloc 2 b; alloc 1 c comp; ref c\n"
				    "cpu 1: alloc 0 a; ref a; free a; get 1 b\n";
	static const char story[] = "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n"
				    "schedule: 0 1 1 1 0 0 1 0\n";
	struct parse_error err;
	struct exec *x = exec_new();

	CHECK(program_parse(&p, holds, strlen(holds), &err), "%s", err.msg);
	for (int i = 0; i < NR_VARIANTS; i++) {
		exec_run(x, &p, variants[i]);
		CHECK(x->verdict.kind == VERDICT_OK && nr_free_pages(&x->mm) == 16, "%s: %s %s",
		      variants[i]->name, verdict_names[x->verdict.kind], x->verdict.detail);
	}
	CHECK(program_parse(&p, story, strlen(story), &err), "%s", err.msg);
	exec_run(x, &p, variants[VARIANT_V5_9]);
	CHECK(x->verdict.kind == VERDICT_LOST_PAGES && x->verdict.count == 3, "v5.9: %s %d",
	      verdict_names[x->verdict.kind], x->verdict.count);
	exec_run(x, &p, variants[VARIANT_V6_2]);
	CHECK_EQ(x->verdict.kind, VERDICT_OK);
	exec_free(x);
}
