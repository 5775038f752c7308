/* variant_file.c: a kernel variant from a user's C file, outside src/:
 * compiled with the compiler pagerace was built with, against the shim
 * headers, with src/variant/variant_defaults.c beside it (src/variant/variant.h), into a
 * shared object; loaded, and checked to define one of the functions.
 * Entry point: variant_load.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/variant_file.h"

#ifndef PAGERACE_CC
#define PAGERACE_CC "cc"
#endif
#ifndef PAGERACE_ROOT
#define PAGERACE_ROOT "."
#endif

extern char **environ;

/* cc's messages go to stderr as they are: they name FILE:LINE. */
static bool compile(const char *path, const char *so)
{
	char name[256], define_name[300], define_path[4200];
	char *argv[] = { PAGERACE_CC, "-std=gnu11", "-shared", "-fPIC", "-O1", "-g", "-Wall",
			 "-Werror=implicit-function-declaration", "-Werror=incompatible-pointer-types",
			 "-Werror=int-conversion", "-Werror=return-type", "-I" PAGERACE_ROOT "/shim",
			 "-I" PAGERACE_ROOT "/src", "-I" PAGERACE_ROOT "/build", "-DPR_VARIANT_ID=file",
			 define_name, define_path, "-include", "pagerace/prelude.h", "-o", (char *)so, (char *)path,
			 PAGERACE_ROOT "/src/variant/variant_defaults.c", NULL };
	char *base, *copy = strdup(path);
	size_t len;
	pid_t pid;
	int status;

	if (!copy)
		return false;
	/* The variant's name is the file's, less ".c" (as variant-wrap.sh). */
	base = basename(copy);
	len = strlen(base);
	if (len > 2 && !strcmp(base + len - 2, ".c"))
		len -= 2;
	snprintf(name, sizeof(name), "%.*s", (int)len, base);
	free(copy);
	snprintf(define_name, sizeof(define_name), "-DPR_VARIANT_NAME=\"%s\"", name);
	snprintf(define_path, sizeof(define_path), "-DPR_VARIANT_PATH=\"%s\"", path);
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ)) {
		fprintf(stderr, "pagerace: %s: cannot run the compiler %s: %s\n", path, argv[0], strerror(errno));
		return false;
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* What the interface asks of a file: one function at least, one lookup at
 * most. */
static const char *interface_broken(const struct variant *v)
{
	int n = 0;

	for (int fn = 0; fn < NR_VF; fn++)
		n += variant_defines(v, fn);
	if (!n)
		return "defines none of __free_pages, put_page, find_get_entry, filemap_get_entry "
		       "(as the kernel declares them: see src/variant/variant.h)";
	if (variant_defines(v, VF_FIND_GET_ENTRY) && variant_defines(v, VF_FILEMAP_GET_ENTRY))
		return "defines both lookups, find_get_entry (5.x) and filemap_get_entry (6.x): one only";
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
	v = dlsym(dl, "pr_file_variant");
	if (!v) {
		fprintf(stderr, "pagerace: %s: cannot load the variant: %s\n", path, dlerror());
		return NULL;
	}
	if ((why = interface_broken(v))) {
		fprintf(stderr, "pagerace: %s:1: %s\n", path, why);
		return NULL;
	}
	return v;
}
