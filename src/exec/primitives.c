/* primitives.c: the shim's primitives as pagerace runs them: each takes
 * its scheduling point (pr_point, exec.c), makes the access the kernel
 * makes, and tells the trace, the checker and explore's hash what it saw.
 * Entry points: pr_atomic, pr_page_test, pr_alloc_pages, pr_free_block,
 * pr_put_folio, pr_tag_get, pr_bug (declared in shim/pagerace/hooks.h).
 *
 * The checker's rules at the primitives:
 *   - a page's refcount raised from zero by anything but the allocator or
 *     an unfreeze is a use-after-free, whatever primitive raised it;
 *   - dropped below zero, it is a refcount-underflow, unless the op
 *     claims a reference of its own (put h): then the page was freed under
 *     its holder, a use-after-free;
 *   - a tag read of a page freed since the op took it is a use-after-free.
 *
 * The refcount sanitizer (--refs, x->refs) sees the cause of those bugs in
 * every schedule, not only where the race completes.  Each cpu counts the
 * references it holds, per page (cs->held):
 *   gained: one per page from alloc_pages (its head); one per successful
 *     speculative get (get_page_unless_zero, folio_try_get,
 *     page_cache_get_speculative, page_ref_add_unless: + nr); one per
 *     increment (get_page, folio_get, page_ref_inc, page_ref_add: + nr);
 *     the cache's one for the page page_cache_delete takes from its slot;
 *   given back: nr per decrement (put_page_testzero, folio_put,
 *     page_ref_dec, page_ref_sub, put_page...); one per page_cache_insert
 *     (the cache takes it; a busy slot's put is the same one).
 * A cpu may touch a page only while a reference it holds pins it: a page
 * is pinned by a reference to its compound head (itself, if it heads no
 * compound).  Touching, for the sanitizer: a flag test (pr_page_test), a
 * tag read (pr_tag_get), a decrement.  Any other is unreferenced-access,
 * named by the kernel code's file and line.  What the protocol allows:
 *   1. the speculative get itself: it is how a reference is taken from a
 *      slot, and it fails on a count of zero (the page cache's protocol,
 *      filemap.c, step 2);
 *   2. the pages of a non-compound block of order > 0 other than its
 *      first, to the cpu that allocated it, until they are freed: they
 *      have no count in use (the block's is its first page's), and
 *      nobody else can reach them;
 *   3. compound_head, page_folio, compound_order, page_to_pfn: no point
 *      (hooks.h rule 4), and the free path after a put that reached zero
 *      reads the order of a page it holds no reference to, correctly: at
 *      zero no get can succeed, the page is the last putter's;
 *   4. increments and count reads (get_page, page_count) are not checked:
 *      an increment from zero is a use-after-free already, and a count
 *      read changes nothing;
 *   5. set_page_count, freeze and unfreeze neither give nor take: they
 *      hand no reference over in any kernel file pagerace runs;
 *   6. the end's release of what the handles still hold runs outside any
 *      cpu (check/lost_pages.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"

/* Which kind a plain atomic_* op's step is. */
static int kind_of_access(enum pr_atomic_op op, int a)
{
	switch (op) {
	case PR_ADD:
		return a > 0 ? STEP_REF : STEP_DEC;
	case PR_ADD_UNLESS:
		return STEP_GET;
	case PR_CMPXCHG:
		return STEP_CMPXCHG;
	case PR_READ:
	case PR_READ_ACQUIRE:
		return STEP_READ;
	default:
		return STEP_WRITE;
	}
}

/* A page's count went from old to new; unfreeze: by page_ref_unfreeze,
 * which may raise it from zero. */
static void note_ref(struct page *page, int old, int new, bool unfreeze)
{
	struct trace_step *t = current_step();
	bool raised = old == 0 && new > 0 && !unfreeze;

	if (t && old != new) {
		t->ref_pfn = (int16_t)pfn_of(pr_mm, page);
		t->ref_old = (int16_t)old;
		t->ref_new = (int16_t)new;
	}
	if (new < 0)
		mm_bug(pr_mm, pr_self && pr_self->claims_ref ? MM_BUG_USE_AFTER_FREE : MM_BUG_REFCOUNT_UNDERFLOW,
		       page);
	else if (raised)
		mm_bug(pr_mm, MM_BUG_USE_AFTER_FREE, page);
}

/* --refs: the page's compound head, by the raw word (rule 3: no point). */
static const struct page *head_of(const struct page *page)
{
	unsigned long head = __atomic_load_n(&page->compound_head, __ATOMIC_RELAXED);

	return head & 1 ? (const struct page *)(head - 1) : page;
}

/* --refs: is page pinned by a reference the calling cpu holds, or one of
 * its own non-compound blocks' pages (exception 2)? */
static bool refs_pinned(const struct cpu_state *cs, const struct page *page)
{
	int pfn = pfn_of(pr_mm, page);

	if (cs->held[pfn_of(pr_mm, head_of(page))])
		return true;
	for (int i = 0; i < cs->nowned; i++) {
		const struct owned_block *b = &cs->owned[i];

		if (pfn > b->pfn && pfn < b->pfn + (1 << b->order) &&
		    __atomic_load_n(&page->freed_at, __ATOMIC_RELAXED) <= b->clock)
			return true;
	}
	return false;
}

/* --refs: the calling cpu touches page at site (what: the primitive);
 * false when it holds no reference to it, reported. */
static bool refs_touch(const struct page *page, const struct pr_site *site)
{
	struct cpu_state *cs = pr_self;

	/* !page: no page, nothing touched (and gcc's -Wstringop-overflow
	 * sees no NULL reaching the head's load). */
	if (!cs || !cs->x->refs || !page || refs_pinned(cs, page))
		return true;
	if (!site)
		site = cs->step->site;
	if (__atomic_load_n(&pr_mm->bug, __ATOMIC_RELAXED) == MM_BUG_NONE)
		snprintf(pr_mm->bug_what, sizeof(pr_mm->bug_what), "%s(p%d) without a reference at %s:%d", site->fn,
			 pfn_of(pr_mm, page), site_file_name(site->file), site->line);
	mm_bug(pr_mm, MM_BUG_UNREFERENCED, page);
	return false;
}

void refs_add(const struct page *page, int n, const struct pr_site *site)
{
	struct cpu_state *cs = pr_self;
	uint8_t *held;

	if (!cs || !cs->x->refs || !page)
		return;
	held = &cs->held[pfn_of(pr_mm, page)];
	if (n > 0)
		*held = (uint8_t)(*held + n);
	else if (*held < -n)
		refs_touch(page, site);
	else
		*held = (uint8_t)(*held + n);
}

int pr_atomic(atomic_t *v, enum pr_atomic_op op, int a, int b, const struct pr_site *site)
{
	struct page *page = page_of_addr(pr_mm, v);
	struct trace_step *t;
	int old;

	exec_point(site, site->kind == PR_BY_ACCESS ? kind_of_access(op, a) : site->kind, v);
	t = current_step();
	if (t && page)
		t->page = (int16_t)pfn_of(pr_mm, page);
	switch (op) {
	case PR_ADD:
		old = __atomic_fetch_add(&v->counter, a, __ATOMIC_SEQ_CST);
		break;
	case PR_ADD_UNLESS:
		old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
		while (old != b && !__atomic_compare_exchange_n(&v->counter, &old, old + a, false,
								__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			;
		if (t) {
			t->yes = old != b;
			t->ref_old = (int16_t)old; /* what a failed get saw */
		}
		/* A get that fails on a page in use whose count is 0 met a
		 * freeze: its caller retries until the freezer unfreezes. */
		if (page && pr_self && old == b && !b && !page_is_free(pr_mm, page))
			pr_self->spins = true;
		break;
	case PR_CMPXCHG:
		old = a;
		__atomic_compare_exchange_n(&v->counter, &old, b, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		if (t)
			t->yes = old == a;
		break;
	case PR_READ:
	case PR_READ_ACQUIRE:
		old = __atomic_load_n(&v->counter, op == PR_READ ? __ATOMIC_RELAXED : __ATOMIC_ACQUIRE);
		if (t && page)
			t->ref_old = (int16_t)old;
		break;
	case PR_SET:
		/* The value it replaced is the checker's to see, not the
		 * kernel's: a relaxed load and store, no ordering. */
		old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
		__atomic_store_n(&v->counter, a, __ATOMIC_RELAXED);
		break;
	default: /* PR_SET_RELEASE, PR_UNFREEZE */
		old = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
		__atomic_store_n(&v->counter, a, __ATOMIC_RELEASE);
	}
	pr_observe(&old, sizeof(old));
	if (!page)
		return old;
	/* The sanitizer first: an unreferenced put is the cause of what
	 * note_ref may see. */
	if (op == PR_ADD || (op == PR_ADD_UNLESS && old != b))
		refs_add(page, a, site);
	switch (op) {
	case PR_ADD:
		note_ref(page, old, old + a, false);
		break;
	case PR_ADD_UNLESS:
		if (old != b)
			note_ref(page, old, old + a, false);
		break;
	case PR_CMPXCHG:
		if (old == a)
			note_ref(page, old, b, false);
		break;
	case PR_SET:
	case PR_SET_RELEASE:
		note_ref(page, old, a, false);
		break;
	case PR_UNFREEZE: /* the one way up from zero besides the allocator */
		note_ref(page, old, a, true);
		break;
	default:
		break;
	}
	return old;
}

static unsigned long flags_of(const struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_ACQUIRE);
}

static bool is_tail(const struct page *page)
{
	return __atomic_load_n(&page->compound_head, __ATOMIC_RELAXED) & 1;
}

bool pr_page_test(const struct page *page, enum pr_flag_test test, const struct pr_site *site)
{
	struct trace_step *t;
	bool yes;

	pr_point(site, page);
	refs_touch(page, site);
	yes = test == PR_TEST_HEAD ? flags_of(page) >> PG_head & 1
	    : test == PR_TEST_TAIL ? is_tail(page)
				   : (flags_of(page) >> PG_head & 1) || is_tail(page);
	if ((t = current_step())) {
		t->page = (int16_t)pfn_of(pr_mm, page);
		t->yes = yes;
	}
	pr_observe(&yes, sizeof(yes));
	return yes;
}

struct page *pr_compound_head(const struct page *page)
{
	unsigned long head = __atomic_load_n(&page->compound_head, __ATOMIC_RELAXED);

	pr_observe(&head, sizeof(head));
	return head & 1 ? (struct page *)(head - 1) : (struct page *)page;
}

unsigned int pr_compound_order(const struct page *page)
{
	unsigned int order = page_compound_order(page);

	pr_observe(&order, sizeof(order));
	return order;
}

unsigned long pr_page_to_pfn(const struct page *page)
{
	return (unsigned long)pfn_of(pr_mm, page);
}

struct page *pr_alloc_pages(unsigned int gfp, unsigned int order, const struct pr_site *site)
{
	struct page *page;
	struct trace_step *t;

	pr_point(site, pr_mm->pages);
	page = order <= pr_mm->max_order ? buddy_alloc(pr_mm, order, gfp & __GFP_COMP) : NULL;
	if ((t = current_step())) {
		t->page = (int16_t)pfn_of(pr_mm, page);
		t->order = (uint8_t)order;
		t->yes = gfp & __GFP_COMP;
	}
	refs_add(page, 1, site);
	if (page && order && !(gfp & __GFP_COMP) && pr_self && pr_self->nowned < PR_MAX_OPS)
		pr_self->owned[pr_self->nowned++] = (struct owned_block){
			.pfn = (int16_t)pfn_of(pr_mm, page), .order = (uint8_t)order,
			.clock = __atomic_load_n(&pr_mm->clock, __ATOMIC_RELAXED) };
	pr_observe(&page, sizeof(page));
	return page;
}

/* Rule 3: the free paths take no point; what they free shows in the step
 * that decided it. */
void pr_free_block(struct page *page, unsigned int order)
{
	struct trace_step *t = current_step();
	int lo, hi;

	buddy_free(pr_mm, page, order, &lo, &hi);
	if (t && lo >= 0) {
		if (t->free_lo < 0 || lo < t->free_lo)
			t->free_lo = (int16_t)lo;
		if (hi > t->free_hi)
			t->free_hi = (int16_t)hi;
	}
}

/* folio_put: the variant's put_page, if its file defines one other than
 * 6.2's (in 6.x put_page is folio_put of the page's folio: one function),
 * else the kernel's: one decrement, and the last frees the folio whole.
 * 6.2's own put_page is that folio_put, so 6.2 names the step at the line
 * that called folio_put, as every variant without a put_page does. */
void pr_put_folio(struct folio *folio, const struct pr_site *site)
{
	struct cpu_state *cs = pr_self;

	if (cs && !cs->in_put_page && cs->x->variant->put_page != pr_v6_2_variant.put_page &&
	    variant_defines(cs->x->variant, VF_PUT_PAGE)) {
		cs->in_put_page = true;
		cs->x->variant->put_page(&folio->page);
		cs->in_put_page = false;
		return;
	}
	if (pr_atomic(&folio->_refcount, PR_ADD, -1, 0, site) == 1)
		pr_free_block(&folio->page, pr_compound_order(&folio->page));
}

static bool freed_under_op(const struct page *page)
{
	return pr_self && __atomic_load_n(&page->freed_at, __ATOMIC_RELAXED) > pr_self->op_clock;
}

struct alloc_tag *pr_tag_get(struct page *page, const struct pr_site *site)
{
	struct trace_step *t;

	pr_point(site, page);
	if ((t = current_step()))
		t->page = (int16_t)pfn_of(pr_mm, page);
	refs_touch(page, site);
	if (freed_under_op(page))
		mm_bug(pr_mm, MM_BUG_USE_AFTER_FREE, page);
	return &pr_mm->tag;
}

void pr_tag_sub_tag(struct alloc_tag *tag, unsigned int nr)
{
	if (tag)
		__atomic_fetch_sub(&tag->pages, (long)nr, __ATOMIC_RELAXED);
}

void pr_tag_sub_page(struct page *page, unsigned int nr, const struct pr_site *site)
{
	pr_tag_sub_tag(pr_tag_get(page, site), nr);
}

void pr_bug(const char *what, const struct page *page, const char *file, int line)
{
	snprintf(pr_mm->bug_what, sizeof(pr_mm->bug_what), "%s at %s:%d", what, site_file_name(file), line);
	mm_bug(pr_mm, MM_BUG_BUG, page);
	if (pr_self)
		exec_stop_cpu();
	/* Outside any cpu (the model's own tests) there is no cpu to stop. */
	fprintf(stderr, "pagerace: %s outside any cpu\n", pr_mm->bug_what);
	abort();
}
