/* spinlock.c: the shim's spinlocks as pagerace runs them (hooks.h rule
 * 7): taking one is a point at which the cpu is blocked while another
 * holds it; the locks an execution took, for its successor's setup and
 * explore's hash; the deadlock in words.
 * Entry points: exec_lock, exec_unlock, exec_blocked, exec_deadlock_words,
 * pr_spin_lock, pr_spin_trylock, pr_spin_unlock, pr_spin_assert_held.
 *
 * The lock word is the holder's cpu + 1, taken with acquire and released
 * with release, as the kernel's: the edge a lock gives TSan is the real
 * one.  What the scheduler reads to know a cpu is blocked (cs->waits_for,
 * the word) it reads relaxed: the baton itself gives no edge.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "exec/exec.h"

#define RELAXED __ATOMIC_RELAXED

static int holder_of(const spinlock_t *lock)
{
	return __atomic_load_n(&lock->owner, RELAXED) - 1;
}

/* The next execution's setup frees it (exec.c, prepare). */
static void record_lock(struct exec *x, spinlock_t *lock)
{
	int n = __atomic_load_n(&x->nlocks, RELAXED);

	for (int i = 0; i < n; i++)
		if (__atomic_load_n(&x->locks[i], RELAXED) == lock)
			return;
	n = __atomic_fetch_add(&x->nlocks, 1, RELAXED);
	if (n >= EXEC_MAX_LOCKS) {
		fprintf(stderr, "pagerace: variant %s: more than %d locks taken in one execution\n",
			x->variant->name, EXEC_MAX_LOCKS);
#ifdef PAGERACE_FUZZ
		abort();
#else
		_exit(2);
#endif
	}
	__atomic_store_n(&x->locks[n], lock, RELAXED);
}

uint32_t exec_blocked(void *ctx)
{
	struct exec *x = ctx;
	uint32_t blocked = 0;

	for (int c = 0; c < PR_MAX_CPUS; c++) {
		struct cpu_state *cs = &x->cpu[c];
		const spinlock_t *lock = __atomic_load_n(&cs->waits_for, RELAXED);
		int h;

		if (!lock || (h = holder_of(lock)) < 0 || h == c)
			continue;
		blocked |= 1u << c;
		__atomic_store_n(&cs->waited_for, h, RELAXED);
	}
	return blocked;
}

void exec_deadlock_words(const struct exec *x, int cpu, char *buf, size_t len)
{
	const struct cpu_state *cs = &x->cpu[cpu], *hs;
	const spinlock_t *lock = __atomic_load_n(&cs->waits_for, RELAXED), *next;
	const struct pr_site *at = __atomic_load_n(&cs->wait_site, RELAXED);
	int h = lock ? holder_of(lock) : -1;
	size_t n;

	if (h < 0 || h >= PR_MAX_CPUS) {
		snprintf(buf, len, "cpu %d waits for nothing", cpu);
		return;
	}
	n = (size_t)snprintf(buf, len, "cpu %d waits at %s:%d for %s held by cpu %d", cpu, site_file_name(at->file),
			     at->line, lock->name, h);
	if (n >= len)
		return;
	hs = &x->cpu[h];
	next = __atomic_load_n(&hs->waits_for, RELAXED);
	at = __atomic_load_n(&hs->wait_site, RELAXED);
	if (__atomic_load_n(&hs->done, RELAXED))
		snprintf(buf + n, len - n, ", which ended its program holding it");
	else if (next && at)
		snprintf(buf + n, len - n, ", which waits at %s:%d for %s held by cpu %d", site_file_name(at->file),
			 at->line, next->name, holder_of(next));
}

/* The execution ends here with the verdict deadlock, in words. */
static void deadlock(struct cpu_state *cs, const char *words) __attribute__((noreturn));
static void deadlock(struct cpu_state *cs, const char *words)
{
	if (mm_bug(pr_mm, MM_BUG_DEADLOCK, NULL))
		snprintf(pr_mm->bug_what, sizeof(pr_mm->bug_what), "%s", words);
	exec_stop_cpu();
}

/* Free-running: does the chain of holders from lock end at a holder that
 * ended its program (still holding it: it may have let go just before it
 * ended), or come back to cs?  Then cs waits forever. */
static bool wait_cannot_end(const struct cpu_state *cs, const spinlock_t *lock)
{
	for (int hops = 0; lock && hops < PR_MAX_CPUS; hops++) {
		int h = holder_of(lock);

		if (h < 0)
			return false;
		if (h == cs->cpu)
			return true;
		if (__atomic_load_n(&cs->x->cpu[h].done, RELAXED))
			return holder_of(lock) == h;
		lock = __atomic_load_n(&cs->x->cpu[h].waits_for, RELAXED);
	}
	return false;
}

/* Rounds the wait must be seen unable to end, each after a yield, before
 * it is a deadlock: the cpus' relaxed stores reach cs in no order the
 * model may rely on (an acquire would be an edge TSan must not see), so
 * a holder's release and its end are read again until they agree. */
#define DEADLOCK_ROUNDS 64

/* Free-running: the cpu really spins, its processor given away, until the
 * lock is free or the wait cannot end. */
static void spin_while_held(struct cpu_state *cs, spinlock_t *lock)
{
	int stuck = 0;

	while (holder_of(lock) >= 0) {
		if (__atomic_load_n(&pr_mm->bug, RELAXED) != MM_BUG_NONE)
			exec_stop_cpu();
		stuck = wait_cannot_end(cs, lock) ? stuck + 1 : 0;
		if (stuck == DEADLOCK_ROUNDS) {
			char words[sizeof(pr_mm->bug_what)];

			exec_deadlock_words(cs->x, cs->cpu, words, sizeof(words));
			deadlock(cs, words);
		}
		sched_yield();
	}
}

static bool try_take(spinlock_t *lock, int me, int *owner)
{
	*owner = 0;
	return __atomic_compare_exchange_n(&lock->owner, owner, me, false, __ATOMIC_ACQUIRE, RELAXED);
}

void exec_lock(spinlock_t *lock, const struct pr_site *site, int kind)
{
	struct cpu_state *cs = pr_self;
	struct trace_step *t;
	int me, owner;

	if (!cs) { /* outside any cpu (the model's own tests): nobody to wait for */
		if (!try_take(lock, PR_MAX_CPUS + 1, &owner)) {
			fprintf(stderr, "pagerace: %s taken outside any cpu while cpu %d holds it\n", lock->name,
				owner - 1);
			abort();
		}
		return;
	}
	me = cs->cpu + 1;
	exec_lock_point(site, kind, lock);
	t = cs->step;
	while (!try_take(lock, me, &owner)) {
		pr_observe(&owner, sizeof(owner));
		t->waited = (int8_t)(owner - 1);
		t->lock = lock->name;
		if (owner == me) { /* it would spin forever */
			char words[sizeof(pr_mm->bug_what)];

			snprintf(words, sizeof(words), "cpu %d takes %s at %s:%d, which it holds already", cs->cpu,
				 lock->name, site_file_name(site->file), site->line);
			t->kind = STEP_LOCK;
			t->yes = false;
			deadlock(cs, words);
		}
		if (cs->x->free_running) {
			spin_while_held(cs, lock);
			continue;
		}
		/* Held at the cpu's first point, which no wait came before: an
		 * attempt that waits, then the point that retries, blocked. */
		t->kind = STEP_LOCK;
		t->yes = false;
		exec_lock_point(site, kind, lock);
		t = cs->step;
	}
	pr_observe(&owner, sizeof(owner));
	__atomic_store_n(&cs->waits_for, NULL, RELAXED);
	if (__atomic_load_n(&cs->waited_for, RELAXED) >= 0)
		t->waited = (int8_t)__atomic_load_n(&cs->waited_for, RELAXED);
	__atomic_store_n(&cs->waited_for, -1, RELAXED);
	t->lock = lock->name;
	if (kind == STEP_LOCK)
		t->yes = true;
	record_lock(cs->x, lock);
}

void exec_unlock(spinlock_t *lock, const char *file, int line)
{
	struct cpu_state *cs = pr_self;

	if (cs && holder_of(lock) != cs->cpu) {
		char what[96];

		snprintf(what, sizeof(what), "spin_unlock(%s) by a cpu that does not hold it", lock->name);
		pr_bug(what, NULL, file, line);
	}
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELEASE);
}

void pr_spin_lock(spinlock_t *lock, const struct pr_site *site)
{
	exec_lock(lock, site, STEP_LOCK);
}

void pr_spin_unlock(spinlock_t *lock, const char *file, int line)
{
	exec_unlock(lock, file, line);
}

/* One point that waits for nothing: taken, or it fails (on a lock the
 * cpu holds too, as the kernel's). */
bool pr_spin_trylock(spinlock_t *lock, const struct pr_site *site)
{
	struct cpu_state *cs = pr_self;
	struct trace_step *t;
	int owner;
	bool taken;

	if (!cs)
		return try_take(lock, PR_MAX_CPUS + 1, &owner);
	exec_lock_point(site, STEP_LOCK, NULL);
	taken = try_take(lock, cs->cpu + 1, &owner);
	t = cs->step;
	t->lock = lock->name;
	t->yes = taken;
	if (!taken)
		t->waited = (int8_t)(owner - 1);
	else
		record_lock(cs->x, lock);
	pr_observe(&owner, sizeof(owner));
	return taken;
}

void pr_spin_assert_held(const spinlock_t *lock, const char *fn, const char *file, int line)
{
	if (!pr_self || holder_of(lock) != pr_self->cpu) {
		char what[96];

		snprintf(what, sizeof(what), "%s(%s) on a cpu that does not hold it", fn, lock->name);
		pr_bug(what, NULL, file, line);
	}
}
