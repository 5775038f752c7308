/* test.h: the unit tests' few helpers: CHECK counts a pass or prints the
 * failure with its place, and each file registers its tests in main.c.
 */
#ifndef PAGERACE_TEST_H
#define PAGERACE_TEST_H

#include <stdio.h>

extern int test_passed, test_failed;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (cond) {                                                     \
			test_passed++;                                          \
		} else {                                                        \
			test_failed++;                                          \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

/* Each test file's entry point, run by main.c in this order. */
void test_model(void);
void test_program(void);
void test_exec(void);
void test_fuzz(void);
void test_explore(void);

#endif
