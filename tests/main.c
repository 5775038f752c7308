/* main.c: the unit tests' runner.  build/test-unit runs every TEST() in
 * the order of its file and line; build/test-unit NAME... only the tests
 * whose names match one of the shell patterns NAME (fnmatch); --list
 * prints the names.  Ends with "unit: N passed, N failed" (checks), after
 * the failed tests' names; exit status 1 when any check failed, 2 when a
 * pattern matches no test.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "test.h"

char *program_text(const struct program *prog)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	program_print(f, prog);
	fclose(f);
	return text;
}

const struct variant *test_variant(const char *name, void (*free_pages)(struct page *, unsigned int),
				   struct page *(*find)(struct address_space *, pgoff_t))
{
	static struct variant made;

	made = pr_v6_2_variant;
	made.name = name;
	made.path = "tests/";
	if (free_pages)
		made.free_pages = free_pages;
	if (find)
		made.find_get_entry = find;
	return &made;
}

static struct test *tests;
static const struct test *running;
static int passed, failed, running_failed;

void test_register(struct test *t)
{
	struct test **p = &tests;

	/* Keep the list in file and line order, whatever order the
	 * constructors ran in. */
	while (*p && (strcmp((*p)->file, t->file) < 0 ||
		      (!strcmp((*p)->file, t->file) && (*p)->line < t->line)))
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

void test_pass(void)
{
	passed++;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	failed++;
	running_failed++;
	fprintf(stderr, "FAIL %s: %s:%d: ", running ? running->name : "?", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool selected(const struct test *t, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (!fnmatch(argv[i], t->name, 0))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	const char *failed_names[512];
	int nfailed = 0, ran = 0;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (const struct test *t = tests; t; t = t->next)
			printf("%s\n", t->name);
		return 0;
	}
	for (const struct test *t = tests; t; t = t->next) {
		if (!selected(t, argc, argv))
			continue;
		running = t;
		running_failed = 0;
		t->fn();
		ran++;
		if (running_failed && nfailed < 512)
			failed_names[nfailed++] = t->name;
	}
	running = NULL;
	if (!ran) {
		fprintf(stderr, "test-unit: no test matches %s (--list names them)\n", argv[1]);
		return 2;
	}
	if (nfailed) {
		printf("failed tests:");
		for (int i = 0; i < nfailed; i++)
			printf(" %s", failed_names[i]);
		printf("\n");
	}
	printf("%d tests run\n", ran);
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
