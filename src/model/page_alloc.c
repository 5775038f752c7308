/* page_alloc.c: the buddy allocator of the zone: buddy_alloc splits,
 * buddy_free merges, buddy_is_valid recounts the free lists.  The shim's
 * alloc_pages and free paths (primitives.c) are built on them.
 * Entry points: buddy_alloc, buddy_free, page_ref_release, page_is_free,
 * buddy_is_valid.
 * Never includes anything of pagerace above the model.
 *
 * All of it runs under zone->lock, as the kernel's rmqueue and
 * __free_one_page do; the refcount and PG_head of an allocated page are set
 * before the lock is dropped, so an allocation is one atomic step.
 */
#include <stdio.h>
#include <string.h>

#include "model/mm.h"

static bool area_test(const struct free_area *area, unsigned int idx)
{
	return area->map[idx / 64] >> (idx % 64) & 1;
}

/* Under the zone's lock; atomic for explore's state hash, which reads the
 * map without it. */
static void area_set(struct free_area *area, unsigned int idx)
{
	__atomic_fetch_or(&area->map[idx / 64], 1ULL << (idx % 64), __ATOMIC_RELAXED);
}

static void area_clear(struct free_area *area, unsigned int idx)
{
	__atomic_fetch_and(&area->map[idx / 64], ~(1ULL << (idx % 64)), __ATOMIC_RELAXED);
}

/* The lowest-addressed free block of this order, or -1. */
static int area_first(const struct free_area *area, unsigned int nbits)
{
	for (unsigned int w = 0; w * 64 < nbits; w++)
		if (area->map[w])
			return (int)(w * 64 + __builtin_ctzll(area->map[w]));
	return -1;
}

static void set_page_flag(struct page *page, int bit)
{
	__atomic_fetch_or(&page->flags, 1UL << bit, __ATOMIC_RELAXED);
}

static void clear_page_flag(struct page *page, int bit)
{
	__atomic_fetch_and(&page->flags, ~(1UL << bit), __ATOMIC_RELAXED);
}

static void set_page_order(struct page *page, unsigned int order)
{
	__atomic_store_n(&page->order, order, __ATOMIC_RELAXED);
}

static void add_to_free_list(struct mm *mm, unsigned int pfn, unsigned int order)
{
	area_set(&mm->zone.free_area[order], pfn >> order);
	set_page_order(&mm->pages[pfn], order);
	set_page_flag(&mm->pages[pfn], PG_buddy);
}

static void del_from_free_list(struct mm *mm, unsigned int pfn, unsigned int order)
{
	area_clear(&mm->zone.free_area[order], pfn >> order);
	clear_page_flag(&mm->pages[pfn], PG_buddy);
}

/* Is pfn inside a free block?  Caller holds zone->lock. */
static bool pfn_is_free(struct mm *mm, unsigned int pfn)
{
	for (unsigned int o = 0; o <= mm->max_order; o++)
		if (area_test(&mm->zone.free_area[o], pfn >> o))
			return true;
	return false;
}

/* The lowest-addressed free block of the smallest sufficient
 * order, split down with the lower half kept.  NULL when none is free. */
struct page *buddy_alloc(struct mm *mm, unsigned int order, bool comp)
{
	struct page *page = NULL;

	pthread_mutex_lock(&mm->zone.lock);
	for (unsigned int o = order; o <= mm->max_order; o++) {
		int idx = area_first(&mm->zone.free_area[o], mm->npages >> o);

		if (idx < 0)
			continue;
		unsigned int pfn = (unsigned int)idx << o;

		del_from_free_list(mm, pfn, o);
		while (o > order) {
			o--;
			add_to_free_list(mm, pfn + (1u << o), o);
		}
		page = &mm->pages[pfn];
		__atomic_store_n(&page->_refcount.counter, 1, __ATOMIC_RELAXED);
		/* As prep_compound_page: only a block of more than one page
		 * becomes compound, its tails pointing at the head. */
		set_page_order(page, comp ? order : 0);
		if (comp && order) {
			set_page_flag(page, PG_head);
			for (unsigned int i = 1; i < 1u << order; i++)
				__atomic_store_n(&page[i].compound_head, (unsigned long)page | 1, __ATOMIC_RELAXED);
		}
		break;
	}
	pthread_mutex_unlock(&mm->zone.lock);
	return page;
}

/* Give a block back and merge it with its free buddy, order
 * after order (__free_one_page).  Freeing a page that is already free is the
 * double free the checker hunts: the kernel would corrupt its lists here, the
 * model reports and leaves the lists alone. */
void buddy_free(struct mm *mm, struct page *page, unsigned int order, int *lo, int *hi)
{
	unsigned int pfn = (unsigned int)pfn_of(mm, page);
	unsigned long now;

	*lo = *hi = -1;
	pthread_mutex_lock(&mm->zone.lock);
	if (pfn & ((1u << order) - 1) || pfn + (1u << order) > mm->npages) {
		mm_bug(mm, MM_BUG_BUDDY_CORRUPT, page);
		goto out;
	}
	for (unsigned int i = 0; i < 1u << order; i++) {
		if (pfn_is_free(mm, pfn + i)) {
			mm_bug(mm, MM_BUG_DOUBLE_FREE, &mm->pages[pfn + i]);
			goto out;
		}
	}
	*lo = (int)pfn;
	*hi = (int)(pfn + (1u << order) - 1);
	now = __atomic_add_fetch(&mm->clock, 1, __ATOMIC_RELAXED);
	/* free_pages_prepare: a freed page is no compound head or tail any
	 * more. */
	for (unsigned int i = 0; i < 1u << order; i++) {
		__atomic_store_n(&page[i].freed_at, now, __ATOMIC_RELAXED);
		__atomic_store_n(&page[i].compound_head, 0, __ATOMIC_RELAXED);
	}
	clear_page_flag(page, PG_head);
	while (order < mm->max_order) {
		unsigned int buddy = pfn ^ (1u << order);

		if (!area_test(&mm->zone.free_area[order], buddy >> order))
			break;
		del_from_free_list(mm, buddy, order);
		pfn &= buddy;
		order++;
	}
	add_to_free_list(mm, pfn, order);
out:
	pthread_mutex_unlock(&mm->zone.lock);
}

void page_ref_release(struct mm *mm, struct page *page, unsigned int order)
{
	int old = __atomic_fetch_add(&page->_refcount.counter, -1, __ATOMIC_SEQ_CST), lo, hi;

	if (old <= 0)
		mm_bug(mm, MM_BUG_REFCOUNT_UNDERFLOW, page);
	else if (old == 1)
		buddy_free(mm, page, order, &lo, &hi);
}

/* From the free lists, each block once, rather than each page asked of
 * every order (pfn_is_free): the checker's end of every execution. */
void pages_free_map(struct mm *mm, bool *free)
{
	memset(free, 0, mm->npages * sizeof(*free));
	pthread_mutex_lock(&mm->zone.lock);
	for (unsigned int o = 0; o <= mm->max_order; o++) {
		const struct free_area *area = &mm->zone.free_area[o];

		for (unsigned int w = 0; w * 64 < mm->npages >> o; w++)
			for (uint64_t bits = area->map[w]; bits; bits &= bits - 1) {
				unsigned int pfn = (w * 64 + (unsigned int)__builtin_ctzll(bits)) << o;

				if (pfn < mm->npages) /* else beyond the arena: buddy_is_valid's to tell */
					memset(free + pfn, 1, (size_t)1 << o);
			}
	}
	pthread_mutex_unlock(&mm->zone.lock);
}

bool page_is_free(struct mm *mm, const struct page *page)
{
	pthread_mutex_lock(&mm->zone.lock);
	bool ret = pfn_is_free(mm, (unsigned int)pfn_of(mm, page));
	pthread_mutex_unlock(&mm->zone.lock);
	return ret;
}

int nr_free_pages(struct mm *mm)
{
	int n = 0;

	pthread_mutex_lock(&mm->zone.lock);
	for (unsigned int pfn = 0; pfn < mm->npages; pfn++)
		n += pfn_is_free(mm, pfn);
	pthread_mutex_unlock(&mm->zone.lock);
	return n;
}

/* The invariants of mm.h, recounted: each page in at most one free block,
 * PageBuddy and order agreeing with the lists, no two free buddies left
 * unmerged, free pages at count 0.  On failure, why says which.  Its loops
 * are no coverage worth chasing: fuzz/coverage-ignore.txt keeps fuzz builds
 * off them. */
bool buddy_is_valid(struct mm *mm, char *why, int whylen)
{
	bool ok = true;
	unsigned char cover[MM_MAX_PAGES];

	memset(cover, 0, mm->npages);
	pthread_mutex_lock(&mm->zone.lock);
	for (unsigned int o = 0; o <= mm->max_order && ok; o++) {
		const struct free_area *area = &mm->zone.free_area[o];

		for (unsigned int idx = 0; idx < (unsigned int)MM_MAX_PAGES >> o && ok; idx++) {
			unsigned int pfn = idx << o;
			bool listed = area_test(area, idx);
			struct page *page = pfn < mm->npages ? &mm->pages[pfn] : NULL;
			unsigned long flags = page ? __atomic_load_n(&page->flags, __ATOMIC_RELAXED) : 0;
			bool buddy = flags >> PG_buddy & 1;

			if (listed && !page) {
				snprintf(why, whylen, "order-%u block at p%u beyond the arena", o, pfn);
				ok = false;
			} else if (!page) {
				break;
			} else if (buddy && page->order == o && !listed) {
				snprintf(why, whylen, "p%u PageBuddy order %u but not on the list", pfn, o);
				ok = false;
			} else if (listed && (!buddy || page->order != o)) {
				snprintf(why, whylen, "p%u on the order-%u list without PageBuddy", pfn, o);
				ok = false;
			} else if (listed && o < mm->max_order &&
				   area_test(area, (pfn ^ (1u << o)) >> o)) {
				snprintf(why, whylen, "free buddies p%u and p%u of order %u unmerged", pfn,
					 pfn ^ (1u << o), o);
				ok = false;
			}
			for (unsigned int i = 0; listed && ok && i < 1u << o; i++) {
				if (cover[pfn + i]++) {
					snprintf(why, whylen, "p%u on two free lists", pfn + i);
					ok = false;
				} else if (page_count_raw(&mm->pages[pfn + i]) != 0) {
					snprintf(why, whylen, "free p%u has refcount %d", pfn + i,
						 page_count_raw(&mm->pages[pfn + i]));
					ok = false;
				}
			}
		}
	}
	pthread_mutex_unlock(&mm->zone.lock);
	return ok;
}
