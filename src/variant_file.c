/* variant_file.c: a kernel variant from a user's C file, outside src/:
 * compiled into a shared object with the compiler pagerace was built with,
 * loaded, and checked against the interface of variant.h.
 * Entry point: variant_load.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "variant_file.h"

#ifndef PAGERACE_CC
#define PAGERACE_CC "cc"
#endif
#ifndef PAGERACE_SRC
#define PAGERACE_SRC "src"
#endif

extern char **environ;

/* cc's messages go to stderr as they are: they name FILE:LINE. */
static bool compile(const char *path, const char *so)
{
	char *argv[] = { PAGERACE_CC, "-std=gnu11", "-shared", "-fPIC", "-O1", "-g", "-Wall",
			 "-Werror=implicit-function-declaration", "-Werror=incompatible-pointer-types",
			 "-Werror=int-conversion", "-Werror=return-type", "-I" PAGERACE_SRC, "-o",
			 (char *)so, (char *)path, NULL };
	pid_t pid;
	int status;

	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ)) {
		fprintf(stderr, "pagerace: %s: cannot run the compiler %s: %s\n", path, argv[0], strerror(errno));
		return false;
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* What the interface asks of the struct the file defines. */
static const char *interface_broken(const struct variant *v)
{
	if (!v->name || !*v->name)
		return "has no .name";
	if (!v->find_get_page)
		return "has no .find_get_page (generic_find_get_page is the correct one)";
	if (!v->free_pages)
		return "has no .free_pages (free_pages_v6_2 is the correct one)";
	if (!v->put_page)
		return "has no .put_page (generic_put_page is the correct one)";
	return NULL;
}

const struct variant *variant_load(const char *path)
{
	char so[] = "/tmp/pagerace-variant-XXXXXX";
	struct stat st;
	const struct variant *v;
	const char *why;
	void *dl;
	int fd;

	if (stat(path, &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "pagerace: %s: %s\n", path, errno ? strerror(errno) : "not a regular file");
		return NULL;
	}
	if ((fd = mkstemp(so)) < 0) {
		fprintf(stderr, "pagerace: cannot make a temporary file: %s\n", strerror(errno));
		return NULL;
	}
	close(fd);
	if (!compile(path, so)) {
		fprintf(stderr, "pagerace: %s: the variant does not compile (the compiler's messages are above)\n",
			path);
		unlink(so);
		return NULL;
	}
	dl = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	unlink(so);
	if (!dl) {
		fprintf(stderr, "pagerace: %s: cannot load the variant: %s\n", path, dlerror());
		return NULL;
	}
	v = dlsym(dl, "pagerace_variant");
	if (!v) {
		fprintf(stderr, "pagerace: %s:1: defines no variant: write "
			"'const struct variant VARIANT = { ... };' (see src/variant.h)\n", path);
		return NULL;
	}
	if ((why = interface_broken(v))) {
		fprintf(stderr, "pagerace: %s: its struct variant %s\n", path, why);
		return NULL;
	}
	return v;
}
