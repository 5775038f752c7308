/* test_locks.c: spinlocks in kernel code (shim/linux/spinlock.h, hooks.h
 * rule 7): a held lock blocks the cpus that want it, a switch away from
 * a blocked cpu is no preemption, a wait that cannot end is the verdict
 * deadlock (serialized and free-running), and the next execution starts
 * with every lock free.  The kernel code is written here, as variants.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/pagemap.h>

#include "engines/explore.h"
#include "report/report.h"
#include "test.h"

static struct exec *x;

__attribute__((constructor)) static void make_exec(void)
{
	x = exec_new();
}


static struct program prog;

static bool parse(const char *text)
{
	struct parse_error err;
	bool ok = program_parse(&prog, text, strlen(text), &err);

	CHECK(ok, "test program does not parse: %d: %s", err.line, err.msg);
	return ok;
}

/* Run text, its trace in *out if asked (freed by the caller). */
static void run(const char *text, const struct variant *v, char **out)
{
	size_t len;

	if (!parse(text))
		return;
	exec_run(x, &prog, v);
	if (out) {
		FILE *f = open_memstream(out, &len);

		report_print(f, x);
		fclose(f);
	}
}

static long explored(const struct variant *v, int k, long *violations)
{
	struct explore_options o = { .variant = v, .max_preemptions = k };
	struct explore_result r;

	explore(x, &prog, &o, &r);
	*violations = r.violations;
	return r.schedules;
}

/* 5.9's __free_pages with its decrement under a lock of the file's own. */
static DEFINE_SPINLOCK(free_lock);
static int free_lock_line;

static void free_pages_locked(struct page *page, unsigned int order)
{
	bool last;

	free_lock_line = __LINE__ + 1;
	spin_lock(&free_lock);
	last = put_page_testzero(page);
	spin_unlock(&free_lock);
	if (last)
		free_the_page(page, order);
}

/* Two cpus, each alloc, lock, dec (A L D), the lock held from L to D.  By
 * hand: of the 20 orders of the six steps, 8 keep the critical sections
 * apart; with forced switches free, 2 take no preemption (one cpu, then
 * the other), 4 take one (0 0 1 0 1 1: cpu 0 stopped holding the lock,
 * cpu 1 allocates and is blocked, the switch back is forced; its mirror;
 * 0 1 0 0 1 1 and its mirror), 2 take two (0 1 0 1 ...: 0 1 1 0 0 1 and
 * its mirror).  Counting forced switches as preemptions would make it
 * 2, 2, 4. */
TEST(lock_blocks_and_forced_switches_are_free)
{
	const struct variant *v = test_variant("locks", free_pages_locked, NULL);
	const char *two = "cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b; free b\n";
	char *out = NULL, want[160], text[160];
	long bad;

	snprintf(text, sizeof(text), "%sschedule: 0 0 1 0 1 1\n", two);
	run(text, v, &out);
	CHECK(x->verdict.kind == VERDICT_OK && x->nsteps == 6 && x->sched.preemptions == 1,
	      "0 0 1 0 1 1: %s after %d steps, %d preemptions, want ok, 6, 1", verdict_names[x->verdict.kind],
	      x->nsteps, x->sched.preemptions);
	snprintf(want, sizeof(want), "test_locks.c:%d  spin_lock(free_lock), waited for cpu 0", free_lock_line);
	CHECK(out && strstr(out, want) && strstr(out, "schedule: 0 0 1 0 1 1\n"), "no '%s' in\n%s", want, out);
	free(out);

	/* An entry naming the blocked cpu is skipped, as a finished one's. */
	snprintf(text, sizeof(text), "%sschedule: 0 0 1 1 1 0 1 1\n", two);
	run(text, v, NULL);
	CHECK(x->nsteps == 6 && x->trace[3].cpu == 0 && x->sched.preemptions == 1,
	      "a blocked cpu named: step 4 by cpu %d, %d preemptions", x->trace[3].cpu, x->sched.preemptions);

	parse(two);
	CHECK_EQ(explored(v, 0, &bad), 2);
	CHECK_EQ(explored(v, 1, &bad), 6);
	CHECK_EQ(explored(v, 2, &bad), 8);
	CHECK_EQ(explored(v, 3, &bad), 8);
	CHECK_EQ(bad, 0);
	/* Where a branch comes after a forced switch, the preemption it
	 * did not spend is left for later: cpu 0 twice A L D, cpu 1 once,
	 * 24 schedules, within 0..4 preemptions 2, 9, 18, 23, 24 (enumerated
	 * by a script of the rule; forced switches counted: 2, 6, 15, 21,
	 * 22). */
	parse("cpu 0: alloc 0 a; free a; alloc 0 c; free c\ncpu 1: alloc 0 b; free b\n");
	CHECK_EQ(explored(v, 0, &bad), 2);
	CHECK_EQ(explored(v, 1, &bad), 9);
	CHECK_EQ(explored(v, 2, &bad), 18);
	CHECK_EQ(explored(v, 3, &bad), 23);
	CHECK_EQ(explored(v, 4, &bad), 24);
	CHECK_EQ(bad, 0);
}

/* A __free_pages that returns holding its lock. */
static DEFINE_SPINLOCK(leak_lock);
static int leak_line, lookup_line;

static void free_pages_keeps_lock(struct page *page, unsigned int order)
{
	leak_line = __LINE__ + 1;
	spin_lock(&leak_lock);
	if (put_page_testzero(page))
		free_the_page(page, order);
}

/* 6.2's lookup after taking the same lock: the lock is its first point. */
static struct page *find_get_entry_after_lock(struct address_space *mapping, pgoff_t index)
{
	lookup_line = __LINE__ + 1;
	spin_lock(&leak_lock);
	spin_unlock(&leak_lock);
	return pr_v6_2_variant.find_get_entry(mapping, index);
}

/* Twice the same lock: it would spin forever. */
static DEFINE_SPINLOCK(self_lock);
static int self_line;

static void free_pages_twice_locked(struct page *page, unsigned int order)
{
	spin_lock(&self_lock);
	self_line = __LINE__ + 1;
	spin_lock(&self_lock);
	pr_v6_2_variant.free_pages(page, order);
}

TEST(a_wait_that_cannot_end_is_deadlock)
{
	const struct variant *v = test_variant("locks", free_pages_keeps_lock, find_get_entry_after_lock);
	char *out = NULL, want[200];

	run("cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b; free b\nschedule: 0 0 0 1\n", v, &out);
	snprintf(want, sizeof(want),
		 "cpu 1 waits at test_locks.c:%d for leak_lock held by cpu 0, which ended its program holding it",
		 leak_line);
	CHECK(x->verdict.kind == VERDICT_DEADLOCK && !strcmp(x->verdict.detail, want) && x->nsteps == 4,
	      "%s after %d steps: '%s', want '%s'", verdict_names[x->verdict.kind], x->nsteps, x->verdict.detail,
	      want);
	CHECK(out && strstr(out, "verdict: deadlock\n") && strstr(out, want), "%s", out);
	free(out);

	/* Held at the waiter's first point: that step is an attempt. */
	run("cache 0\ncpu 0: alloc 0 a; free a\ncpu 1: lookup 0\nschedule: 0 0 0 1\n", v, &out);
	snprintf(want, sizeof(want), "test_locks.c:%d  spin_lock(leak_lock): held by cpu 0", lookup_line);
	CHECK(x->verdict.kind == VERDICT_DEADLOCK && x->nsteps == 4 && x->trace[3].cpu == 1 && out && strstr(out, want),
	      "%s after %d steps, no '%s' in\n%s", verdict_names[x->verdict.kind], x->nsteps, want, out);
	free(out);

	run("cpu 0: alloc 0 a; free a\n", test_variant("locks", free_pages_twice_locked, NULL), NULL);
	snprintf(want, sizeof(want), "cpu 0 takes self_lock at test_locks.c:%d, which it holds already", self_line);
	CHECK(x->verdict.kind == VERDICT_DEADLOCK && x->verdict.step == 3 && !strcmp(x->verdict.detail, want),
	      "%s at step %d: '%s', want '%s'", verdict_names[x->verdict.kind], x->verdict.step, x->verdict.detail,
	      want);
}

/* The classic: two locks taken in the opposite orders. */
static DEFINE_SPINLOCK(lock_a);
static DEFINE_SPINLOCK(lock_b);
static int ab_line, ba_line;

static void free_pages_a_then_b(struct page *page, unsigned int order)
{
	spin_lock(&lock_a);
	ab_line = __LINE__ + 1;
	spin_lock(&lock_b);
	spin_unlock(&lock_b);
	spin_unlock(&lock_a);
	pr_v6_2_variant.free_pages(page, order);
}

static struct page *find_get_entry_b_then_a(struct address_space *mapping, pgoff_t index)
{
	spin_lock(&lock_b);
	ba_line = __LINE__ + 1;
	spin_lock(&lock_a);
	spin_unlock(&lock_a);
	spin_unlock(&lock_b);
	return pr_v6_2_variant.find_get_entry(mapping, index);
}

TEST(a_cycle_of_waits_names_both_cpus)
{
	const struct variant *v = test_variant("locks", free_pages_a_then_b, find_get_entry_b_then_a);
	char want[200];
	long bad, n;

	run("cache 0\ncpu 0: alloc 0 a; free a\ncpu 1: lookup 0\nschedule: 0 0 1 0\n", v, NULL);
	snprintf(want, sizeof(want),
		 "cpu 0 waits at test_locks.c:%d for lock_b held by cpu 1, which waits at test_locks.c:%d for lock_a held by cpu 0",
		 ab_line, ba_line);
	CHECK(x->verdict.kind == VERDICT_DEADLOCK && !strcmp(x->verdict.detail, want), "%s: '%s', want '%s'",
	      verdict_names[x->verdict.kind], x->verdict.detail, want);
	n = explored(v, 1, &bad);
	CHECK(n > 0 && bad > 0, "explore at 1 preemption: %ld schedules, %ld violations", n, bad);
	CHECK_EQ(explored(v, 0, &bad), 2);
	CHECK_EQ(bad, 0);
}

/* Free-running (stress): the cpus really spin; the waiter sees its
 * holder end holding the lock, and says deadlock instead of hanging. */
TEST(free_running_deadlock_is_a_verdict)
{
	const struct variant *v = test_variant("locks", free_pages_keeps_lock, NULL);
	struct chaos_strategy chaos;
	int deadlocks = 0;

	if (!parse("cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b; free b\n"))
		return;
	for (int i = 0; i < 50; i++) {
		chaos_init(&chaos, (uint64_t)i, i % 2);
		exec_run_strategy(x, &prog, v, &chaos.s);
		deadlocks += x->verdict.kind == VERDICT_DEADLOCK &&
			     strstr(x->verdict.detail, "which ended its program holding it");
	}
	CHECK_EQ(deadlocks, 50);
	for (int i = 0; i < 20; i++) {
		chaos_init(&chaos, (uint64_t)i, true);
		exec_run_strategy(x, &prog, test_variant("locks", free_pages_locked, NULL), &chaos.s);
		CHECK(x->verdict.kind == VERDICT_OK, "locked free under stress: %s: %s", verdict_names[x->verdict.kind],
		      x->verdict.detail);
	}
	if (!parse("cpu 0: alloc 0 a; free a\n"))
		return;
	chaos_init(&chaos, 1, false);
	exec_run_strategy(x, &prog, test_variant("locks", free_pages_twice_locked, NULL), &chaos.s);
	CHECK(x->verdict.kind == VERDICT_DEADLOCK && strstr(x->verdict.detail, "which it holds already"),
	      "recursive under stress: %s: %s", verdict_names[x->verdict.kind], x->verdict.detail);
}

/* A lock held when an early verdict ends the execution: the file's own,
 * and the mapping's. */
static DEFINE_SPINLOCK(bug_lock);

static void free_pages_bug_locked(struct page *page, unsigned int order)
{
	spin_lock(&bug_lock);
	VM_BUG_ON_PAGE(page_ref_count(page) != 1, page);
	spin_unlock(&bug_lock);
	pr_v6_2_variant.free_pages(page, order);
}

static struct page *find_get_entry_bug_locked(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct page *page;

	xas_lock_irq(&xas);
	page = xas_load(&xas);
	BUG_ON(page);
	xas_unlock_irq(&xas);
	return page;
}

TEST(every_execution_starts_with_its_locks_free)
{
	const struct variant *v = test_variant("locks", free_pages_bug_locked, find_get_entry_bug_locked);

	run("cpu 0: alloc 0 a; ref a; free a; free a\n", v, NULL);
	CHECK(x->verdict.kind == VERDICT_BUG, "the BUG under bug_lock: %s", verdict_names[x->verdict.kind]);
	run("cpu 0: alloc 0 a; free a\n", v, NULL);
	CHECK(x->verdict.kind == VERDICT_OK, "the next execution: %s: %s", verdict_names[x->verdict.kind],
	      x->verdict.detail);
	run("cache 0\ncpu 0: lookup 0\n", v, NULL);
	CHECK(x->verdict.kind == VERDICT_BUG, "the BUG under i_pages: %s", verdict_names[x->verdict.kind]);
	run("cache 0\ncpu 0: remove 0\n", v, NULL);
	CHECK(x->verdict.kind == VERDICT_OK && x->nsteps == 2, "a removal next: %s after %d steps: %s",
	      verdict_names[x->verdict.kind], x->nsteps, x->verdict.detail);
}

/* 2.6.26's find_get_page, before the lockless page cache (e286781d5f2e):
 * the load and the get under the mapping's lock. */
static struct page *find_get_page_locked(struct address_space *mapping, pgoff_t offset)
{
	XA_STATE(xas, &mapping->i_pages, offset);
	struct page *page;

	xa_lock_irq(&mapping->i_pages);
	page = xas_load(&xas);
	if (page)
		get_page(page);
	xa_unlock_irq(&mapping->i_pages);
	return page;
}

static void free_pages_5_9(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_the_page(page, order);
}

/* The removal waits while the lookup holds the lock, and the trace says
 * so; the lock closes the window of 2021: clean where the lockless lookup
 * with the same __free_pages (v5.9) loses pages. */
TEST(the_locked_lookup_closes_the_window)
{
	const struct variant *v = test_variant("locks", free_pages_5_9, find_get_page_locked);
	char *out = NULL;
	long bad;

	/* The removal's one point is its first: an attempt, then the
	 * removal once the lookup let go (its put does not stop it). */
	run("cache 0\ncpu 0: lookup 0\ncpu 1: remove 0\nschedule: 0 0 1 0 0 1\n", v, &out);
	CHECK(x->verdict.kind == VERDICT_OK && x->sched.preemptions == 1 && out &&
	      strstr(out, "  page_cache_delete(i_pages): held by cpu 0\n") &&
	      strstr(out, "page_cache_delete(s0): p0, waited for i_pages held by cpu 0\n"),
	      "%s, %d preemptions:\n%s", verdict_names[x->verdict.kind], x->sched.preemptions, out);
	free(out);

	run("cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n", v, NULL);
	CHECK(x->verdict.kind == VERDICT_OK, "%s", verdict_names[x->verdict.kind]);
	explored(v, 4, &bad);
	CHECK_EQ(bad, 0);
	explored(variant_by_name("v5.9", 4), 4, &bad);
	CHECK(bad > 0, "v5.9's lockless lookup: %ld violations", bad);
}

/* spin_trylock takes no wait: it fails on a held lock, the step says by
 * whom; assert_spin_locked and an unlock of a lock the cpu does not hold
 * are the verdict bug, at their line. */
static DEFINE_SPINLOCK(try_lock);
static int assert_line, unlock_line;

static void free_pages_try(struct page *page, unsigned int order)
{
	if (spin_trylock(&try_lock)) {
		assert_spin_locked(&try_lock);
		spin_unlock(&try_lock);
	}
	pr_v6_2_variant.free_pages(page, order);
}

static struct page *find_get_entry_holds_try_lock(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	spin_lock(&try_lock);
	page = pr_v6_2_variant.find_get_entry(mapping, index);
	spin_unlock(&try_lock);
	return page;
}

static void free_pages_asserts(struct page *page, unsigned int order)
{
	assert_line = __LINE__ + 1;
	lockdep_assert_held(&try_lock);
	pr_v6_2_variant.free_pages(page, order);
}

static void free_pages_unlocks(struct page *page, unsigned int order)
{
	pr_v6_2_variant.free_pages(page, order);
	unlock_line = __LINE__ + 1;
	spin_unlock(&try_lock);
}

TEST(trylock_and_the_asserts)
{
	const struct variant *v = test_variant("locks", free_pages_try, find_get_entry_holds_try_lock);
	char *out = NULL, want[160];

	run("cache 0\ncpu 0: lookup 0\ncpu 1: alloc 0 a; free a\nschedule: 0 1 1 1 1 0 0 0 0\n", v, &out);
	CHECK(x->verdict.kind == VERDICT_OK && out && strstr(out, "spin_trylock(try_lock): held by cpu 0\n"), "%s",
	      out);
	free(out);
	run("cpu 0: alloc 0 a; free a\n", v, &out);
	CHECK(x->verdict.kind == VERDICT_OK && out && strstr(out, "spin_trylock(try_lock)\n"), "%s", out);
	free(out);

	run("cpu 0: alloc 0 a; free a\n", test_variant("locks", free_pages_asserts, NULL), NULL);
	snprintf(want, sizeof(want), "lockdep_assert_held(try_lock) on a cpu that does not hold it at test_locks.c:%d",
		 assert_line);
	CHECK(x->verdict.kind == VERDICT_BUG && !strcmp(x->verdict.detail, want), "%s: '%s', want '%s'",
	      verdict_names[x->verdict.kind], x->verdict.detail, want);
	run("cpu 0: alloc 0 a; free a\n", test_variant("locks", free_pages_unlocks, NULL), NULL);
	snprintf(want, sizeof(want), "spin_unlock(try_lock) by a cpu that does not hold it at test_locks.c:%d",
		 unlock_line);
	CHECK(x->verdict.kind == VERDICT_BUG && !strcmp(x->verdict.detail, want), "%s: '%s', want '%s'",
	      verdict_names[x->verdict.kind], x->verdict.detail, want);
}
