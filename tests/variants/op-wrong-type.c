/* op-wrong-type.c: an op declared to take a slot whose function takes a
 * page: the compiler's error at the PAGERACE_OP line. */
#include <linux/mm.h>

static void pin(struct address_space *mapping, struct page *page)
{
}
PAGERACE_OP(pin, slot);
