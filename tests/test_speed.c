/* test_speed.c: what the cheaper execution must keep: a resize of the
 * model leaves it as a fresh one of that geometry (mm_resize zeroes only
 * the old arena), and cpu 0 runs on the caller's thread, which an
 * execution ended by another cpu gets back at once.
 */
#include <pthread.h>
#include <string.h>

#include "model/mm.h"
#include "sched/strategies.h"
#include "test.h"

static struct mm used, fresh;

/* Pages allocated, flagged, counted and cached over the whole arena. */
static void dirty(struct mm *mm)
{
	struct page *page;

	while ((page = buddy_alloc(mm, 0, false))) {
		__atomic_store_n(&page->_refcount.counter, 3, __ATOMIC_RELAXED);
		page->flags |= 1UL << PG_head;
		page->index = 7;
	}
	for (unsigned int s = 0; s < mm->nslots; s++)
		mm->mapping.i_pages.xa_slot[s] = &mm->pages[s];
	mm->clock = 9;
}

/* used, resized to npages and nslots, is fresh of that geometry. */
static void check_resize(unsigned int npages, unsigned int nslots)
{
	mm_resize(&used, npages, nslots);
	pthread_mutex_destroy(&fresh.zone.lock);
	mm_init(&fresh, npages, nslots);
	CHECK(used.npages == npages && used.max_order == fresh.max_order && used.nslots == nslots &&
		      used.mapping.i_pages.xa_size == nslots,
	      "resized to %u pages: npages %u, max_order %u (want %u), nslots %u", npages, used.npages,
	      used.max_order, fresh.max_order, used.nslots);
	CHECK(!memcmp(used.pages, fresh.pages, sizeof(used.pages)), "resized to %u pages: the arena differs", npages);
	CHECK(!memcmp(used.zone.free_area, fresh.zone.free_area, sizeof(used.zone.free_area)),
	      "resized to %u pages: the free lists differ", npages);
	CHECK(!memcmp(used.mapping.i_pages.xa_slot, fresh.mapping.i_pages.xa_slot,
		      sizeof(used.mapping.i_pages.xa_slot)),
	      "resized to %u pages: the cache differs", npages);
	CHECK(used.clock == 0 && used.bug == MM_BUG_NONE, "resized to %u pages: clock %lu, bug %d", npages,
	      used.clock, used.bug);
}

TEST(mm_resize_is_fresh)
{
	static const unsigned int geometry[][2] = { { 16, 2 }, { 64, 4 }, { 8, 1 }, { 1024, 4 }, { 32, 3 } };

	mm_init(&used, 64, 4);
	mm_init(&fresh, 64, 4);
	for (size_t i = 0; i < sizeof(geometry) / sizeof(*geometry); i++) {
		dirty(&used);
		check_resize(geometry[i][0], geometry[i][1]);
	}
}

static pthread_t thread_of[2];
static int left_early[2];

/* cpu 0: steps until told to leave; cpu 1: one step, then a violation. */
static void two_cpus(void *ctx, int cpu)
{
	__atomic_store_n(&thread_of[cpu], pthread_self(), __ATOMIC_RELAXED);
	if (cpu == 1) {
		sched_step_end(1, SCHED_STOP, true);
		return;
	}
	for (int i = 0; i < 3; i++) {
		if (!sched_step_end(0, SCHED_MORE, true)) {
			__atomic_store_n(&left_early[0], 1, __ATOMIC_RELAXED);
			return;
		}
	}
	sched_step_end(0, SCHED_DONE, true);
}

TEST(sched_cpu0_is_the_callers)
{
	static const uint8_t schedule[] = { 0, 1 };
	struct replay_strategy r;
	struct sched_plan plan = { .cpus = 3, .strategy = &r.s, .max_steps = 100, .run = two_cpus };
	struct sched_result res;

	replay_init(&r, schedule, sizeof(schedule));
	sched_run(&plan, &res);
	CHECK(pthread_equal(__atomic_load_n(&thread_of[0], __ATOMIC_RELAXED), pthread_self()),
	      "cpu 0 ran on a thread other than the caller's");
	CHECK(!pthread_equal(__atomic_load_n(&thread_of[1], __ATOMIC_RELAXED), pthread_self()),
	      "cpu 1 ran on the caller's thread");
	/* Stopped by cpu 1 while cpu 0 waited after its first step: cpu 0
	 * has left its program by the time sched_run returns. */
	CHECK(__atomic_load_n(&left_early[0], __ATOMIC_RELAXED) == 1, "cpu 0 still in its program after the end");
	CHECK(res.steps == 2, "%d steps, want 2", res.steps);
}
