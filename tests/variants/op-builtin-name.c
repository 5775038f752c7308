/* op-builtin-name.c: an op named as a built-in one (lookup): the file's
 * error at its PAGERACE_OP line. */
#include <linux/mm.h>
#include <linux/pagemap.h>

static void lookup(struct address_space *mapping, pgoff_t index)
{
}
PAGERACE_OP(lookup, slot);
