/* A variant file that defines its functions but no struct variant. */
#include "variant.h"

FREE_PAGES(my_free_pages)
{
	return free_pages_v6_2(mm, call, done);
}
