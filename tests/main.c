/* main.c: runs every unit test group and ends with "N passed, N failed".
 * Exit status 1 when anything failed.
 */
#include "test.h"

int test_passed, test_failed;

int main(void)
{
	test_model();
	test_program();
	test_exec();
	test_fuzz();
	test_explore();
	printf("unit: %d passed, %d failed\n", test_passed, test_failed);
	return test_failed != 0;
}
