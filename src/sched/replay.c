/* replay.c: the replay strategy: a program's schedule, then the tail rule.
 * Entry points: replay_init, replay_follow.
 * Knows nothing of pages; includes only the scheduler.
 */
#include "sched/strategies.h"

int replay_follow(struct replay_strategy *r, uint32_t runnable)
{
	int cursor = SCHED_GET(r->cursor), next = -1;

	while (cursor < r->len && next < 0) {
		int c = r->schedule[cursor++];

		if (runnable >> c & 1)
			next = c;
	}
	SCHED_SET(r->cursor, cursor);
	return next;
}

static int replay_next(struct sched_strategy *s, uint32_t runnable, int cur, int step)
{
	int next = replay_follow((struct replay_strategy *)s, runnable);

	if (next < 0)
		next = sched_after_spin(s, runnable, cur);
	return next >= 0 ? next : __builtin_ctz(runnable);
}

void replay_init(struct replay_strategy *r, const uint8_t *schedule, int len)
{
	*r = (struct replay_strategy){ .s.next_cpu = replay_next, .schedule = schedule, .len = len };
}
