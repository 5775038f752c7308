/* op-two-slots.c: an op that takes two slots: one argument of each kind at
 * most, the file's error at its PAGERACE_OP line. */
#include <linux/mm.h>
#include <linux/pagemap.h>

static void swap_slots(struct address_space *mapping, pgoff_t a, pgoff_t b)
{
}
PAGERACE_OP(swap_slots, slot, slot);
