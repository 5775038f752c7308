/* A variant file whose struct variant leaves out __free_pages. */
#include "variant.h"

const struct variant VARIANT = {
	.name = "no-free-pages",
	.find_get_page = generic_find_get_page,
	.put_page = generic_put_page,
};
