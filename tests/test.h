/* test.h: the unit tests' harness, in the shape of TEST() in the kernel's
 * tools/testing/vma: each test is a named function, registered by its
 * definition, run alone or with the others by build/test-unit [NAME...].
 *
 *	TEST(split_exact)
 *	{
 *		CHECK_EQ(pfn_of(&mm, page), 4);
 *	}
 *
 * CHECK(cond, fmt, ...) passes when cond holds, else prints the test's
 * name, the place, the condition and the message.  CHECK_EQ(actual,
 * expected) and CHECK_STREQ print both values.  A test fails when any of
 * its checks does; the run lists the failed tests' names at the end.
 */
#ifndef PAGERACE_TEST_H
#define PAGERACE_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The tests draw their random numbers as the strategies do: xorshift64,
 * sched_random(&state). */
#include "sched/strategies.h"
#include "lang/program.h"

/* prog's canonical text (program_print), malloc'd: the caller frees it. */
char *program_text(const struct program *prog);

/* 6.2 with the given functions in place of its __free_pages and lookup
 * (NULL: 6.2's own), named name: one variant, reused by each call. */
const struct variant *test_variant(const char *name, void (*free_pages)(struct page *, unsigned int),
				   struct page *(*find)(struct address_space *, pgoff_t));

struct test {
	const char *name, *file;
	int line;
	void (*fn)(void);
	struct test *next;
};

void test_register(struct test *t);
/* A check's outcome; a failure is printed under the running test's name. */
void test_pass(void);
void test_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define TEST(name)                                                                  \
	static void test_##name(void);                                              \
	static struct test test_rec_##name = { #name, __FILE__, __LINE__, test_##name, NULL }; \
	__attribute__((constructor)) static void test_reg_##name(void)              \
	{                                                                           \
		test_register(&test_rec_##name);                                    \
	}                                                                           \
	static void test_##name(void)

/* The message's arguments are evaluated only when cond fails. */
#define CHECK(cond, fmt, ...)                                                       \
	do {                                                                        \
		if (cond)                                                           \
			test_pass();                                                \
		else                                                                \
			test_fail(__FILE__, __LINE__, "%s: " fmt, #cond, ##__VA_ARGS__); \
	} while (0)

#define CHECK_EQ(actual, expected)                                                  \
	do {                                                                        \
		long long a_ = (long long)(actual), e_ = (long long)(expected);     \
		if (a_ == e_)                                                       \
			test_pass();                                                \
		else                                                                \
			test_fail(__FILE__, __LINE__, "%s: expected %lld, got %lld", #actual, e_, a_); \
	} while (0)

#define CHECK_STREQ(actual, expected)                                               \
	do {                                                                        \
		const char *a_ = (actual), *e_ = (expected);                        \
		if (a_ && !strcmp(a_, e_))                                          \
			test_pass();                                                \
		else                                                                \
			test_fail(__FILE__, __LINE__, "%s: expected \"%s\", got \"%s\"", #actual, e_, \
				  a_ ? a_ : "(null)");                              \
	} while (0)

#endif
