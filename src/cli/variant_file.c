/* variant_file.c: a kernel variant from a user's C file, outside src/:
 * compiled with the compiler pagerace was built with, against the shim
 * headers, with src/variant/variant_defaults.c beside it (src/variant/variant.h),
 * into a shared object kept in a cache; loaded, checked to keep the
 * interface, its ops added to the language (lang/program.h), and each
 * function it defines counted as it is entered.
 * Entry points: variant_load, variant_file_functions.  Never runs a program.
 *
 * The cache: build/variant-cache/<key>.so under pagerace's root.  The key
 * is a 64-bit FNV-1a of the compiler's command line and of `cc -E -dD` of
 * both units: the file, every header it reaches, variant_defaults.c, and
 * the compiler's predefined macros (its version, the flags' effects).  So
 * any change to what the compiler would read makes a new entry, and an
 * entry is written whole (renamed into place) or not at all.  Deleting the
 * folder is always safe.  A folder that cannot be written means no cache.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <link.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/variant_file.h"
#include "lang/program.h"
#include "report/fnv.h"

#ifndef PAGERACE_CC
#define PAGERACE_CC "cc"
#endif
#ifndef PAGERACE_ROOT
#define PAGERACE_ROOT "."
#endif
#define CACHE_DIR PAGERACE_ROOT "/build/variant-cache"
#define PREFIX "pr_file_" /* the prelude's names: PR_VSYM with id "file" */
#define MAX_FUNCTIONS 64

extern char **environ;

static struct variant_function functions[MAX_FUNCTIONS];
static int nfunctions;

/* -finstrument-functions calls these at every entry to and exit from a
 * function of the user's file (never a shim header's: they are excluded).
 * Relaxed atomics: stress runs the cpus at once. */
void __cyg_profile_func_enter(void *fn, void *site) __attribute__((no_instrument_function));
void __cyg_profile_func_exit(void *fn, void *site) __attribute__((no_instrument_function));

void __cyg_profile_func_enter(void *fn, void *site)
{
	for (int i = 0; i < nfunctions; i++)
		if (functions[i].addr == fn) {
			__atomic_fetch_add(&functions[i].calls, 1, __ATOMIC_RELAXED);
			return;
		}
}

void __cyg_profile_func_exit(void *fn, void *site)
{
}

/* Run argv; with out >= 0 its stdout goes there.  True when it exits 0;
 * cc's messages go to stderr as they are: they name FILE:LINE. */
static bool run(char *const argv[], int out, const char *path)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, err;

	posix_spawn_file_actions_init(&fa);
	if (out >= 0)
		posix_spawn_file_actions_adddup2(&fa, out, 1);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		fprintf(stderr, "pagerace: %s: cannot run the compiler %s: %s\n", path, argv[0], strerror(err));
		return false;
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The key of the cache: the command line, and what the preprocessor
 * makes of both units with the same flags. */
static bool cache_key(char **argv, const char *path, uint64_t *key)
{
	char *pp[64], buf[1 << 16], tmp[] = "/tmp/pagerace-pp-XXXXXX";
	int fd = mkstemp(tmp), n = 0;
	uint64_t h = FNV1A64_INIT;
	ssize_t got;
	bool ok;

	if (fd < 0)
		return false;
	unlink(tmp);
	for (char **a = argv; *a; a++)
		h = fnv1a64(h, *a, strlen(*a) + 1);
	pp[n++] = argv[0];
	pp[n++] = "-E";
	pp[n++] = "-dD";
	for (int i = 1; strcmp(argv[i], "-shared"); i++)
		pp[n++] = argv[i];
	pp[n++] = (char *)path;
	pp[n++] = PAGERACE_ROOT "/src/variant/variant_defaults.c";
	pp[n] = NULL;
	ok = run(pp, fd, path);
	lseek(fd, 0, SEEK_SET);
	while (ok && (got = read(fd, buf, sizeof(buf))) > 0)
		h = fnv1a64(h, buf, (size_t)got);
	close(fd);
	*key = h;
	return ok;
}

/* The shared object of the file at path, from the cache or compiled into
 * so (its size: 4096); false with the compiler's messages printed. */
static bool compile(const char *path, char *so)
{
	char name[256], define_name[300], define_path[4200];
	/* The flags before -shared are the preprocessor's too (cache_key). */
	char *argv[] = { PAGERACE_CC, "-std=gnu11", "-fPIC", "-O1", "-g", "-Wall",
			 "-Werror=implicit-function-declaration", "-Werror=incompatible-pointer-types",
			 "-Werror=int-conversion", "-Werror=return-type", "-I" PAGERACE_ROOT "/shim",
			 "-I" PAGERACE_ROOT "/src", "-I" PAGERACE_ROOT "/build", "-DPR_VARIANT_ID=file",
			 define_name, define_path,
			 "-include", "pagerace/prelude.h",
			 /* Count the file's own functions, not the shim's inlines. */
			 "-finstrument-functions",
			 "-finstrument-functions-exclude-file-list=" PAGERACE_ROOT "/shim/," PAGERACE_ROOT "/src/",
			 "-shared", "-o", so, (char *)path, PAGERACE_ROOT "/src/variant/variant_defaults.c", NULL };
	char *base, *copy = strdup(path), tmp[4096];
	uint64_t key;
	size_t len;
	int fd;

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
	if (!cache_key(argv, path, &key))
		return false; /* the preprocessor's messages are out */
	snprintf(so, 4096, "%s/%016llx.so", CACHE_DIR, (unsigned long long)key);
	if (!access(so, R_OK))
		return true;
	mkdir(PAGERACE_ROOT "/build", 0777);
	mkdir(CACHE_DIR, 0777);
	snprintf(tmp, sizeof(tmp), "%s/tmp-XXXXXX", CACHE_DIR);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(tmp, sizeof(tmp), "/tmp/pagerace-variant-XXXXXX");
		fd = mkstemp(tmp);
	}
	if (fd < 0) {
		fprintf(stderr, "pagerace: cannot make a temporary file: %s\n", strerror(errno));
		return false;
	}
	close(fd);
	argv[sizeof(argv) / sizeof(*argv) - 4] = tmp;
	if (!run(argv, -1, path)) {
		unlink(tmp);
		return false;
	}
	if (strncmp(tmp, CACHE_DIR, strlen(CACHE_DIR)) || rename(tmp, so))
		snprintf(so, 4096, "%s", tmp); /* no cache: load it from where it is */
	return true;
}

/* The functions the user's file defines, from the object's symbol table:
 * its exported functions, and its static ones (listed after the STT_FILE
 * symbol of its own name).  The defaults it leaves are weak, theirs local
 * to variant_defaults.c. */
static bool read_functions(const char *so, const char *path, uintptr_t base)
{
	char *copy = strdup(path);
	const char *file = copy ? basename(copy) : "";
	struct stat st;
	bool ok = false, in_file = false;
	int fd = open(so, O_RDONLY);
	const uint8_t *m = MAP_FAILED;

	if (fd >= 0 && !fstat(fd, &st) && st.st_size >= (off_t)sizeof(Elf64_Ehdr))
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m != MAP_FAILED) {
		const Elf64_Ehdr *eh = (const void *)m;
		const Elf64_Shdr *sh = (const void *)(m + eh->e_shoff);

		nfunctions = 0;
		for (int s = 0; s < eh->e_shnum; s++) {
			const Elf64_Sym *sym = (const void *)(m + sh[s].sh_offset);
			const char *names = (const char *)(m + sh[sh[s].sh_link].sh_offset);

			if (sh[s].sh_type != SHT_SYMTAB)
				continue;
			ok = true;
			for (size_t i = 0; i < sh[s].sh_size / sizeof(*sym); i++) {
				int type = ELF64_ST_TYPE(sym[i].st_info), bind = ELF64_ST_BIND(sym[i].st_info);
				struct variant_function *f = &functions[nfunctions];

				if (type == STT_FILE)
					in_file = !strcmp(names + sym[i].st_name, file);
				/* PAGERACE_OP's thunks are pagerace's, not the file's. */
				if (type != STT_FUNC || sym[i].st_shndx == SHN_UNDEF || !sym[i].st_size ||
				    !strncmp(names + sym[i].st_name, "pr_op_call_", 11) ||
				    !(bind == STB_GLOBAL || (bind == STB_LOCAL && in_file)) ||
				    nfunctions == MAX_FUNCTIONS)
					continue;
				f->name = strdup(names + sym[i].st_name);
				f->addr = (void *)(base + sym[i].st_value);
				f->exported = bind == STB_GLOBAL;
				/* The symbol table lists an exported one twice. */
				for (int k = 0; k < nfunctions; k++)
					if (functions[k].addr == f->addr)
						f = NULL;
				if (f && f->name)
					nfunctions++;
			}
		}
		munmap((void *)m, (size_t)st.st_size);
	}
	if (fd >= 0)
		close(fd);
	free(copy);
	if (!ok)
		fprintf(stderr, "pagerace: %s: cannot read the symbols of the compiled variant\n", path);
	return ok;
}

/* What the interface asks of a file: one function or op at least, one
 * lookup at most.  (A static one does not compile: the shim declares them
 * all.) */
static const char *interface_broken(const struct variant *v)
{
	int n = (int)(v->ops_end - v->ops);

	for (int fn = 0; fn < NR_VF; fn++)
		n += variant_defines(v, fn);
	if (!n)
		return "defines none of __free_pages, put_page, find_get_entry, filemap_get_entry "
		       "(as the kernel declares them: see src/variant/variant.h) and adds no op (PAGERACE_OP)";
	if (variant_defines(v, VF_FIND_GET_ENTRY) && variant_defines(v, VF_FILEMAP_GET_ENTRY))
		return "defines both lookups, find_get_entry (5.x) and filemap_get_entry (6.x): one only";
	return NULL;
}

const struct variant *variant_load(const char *path)
{
	char so[4096];
	struct stat st;
	struct link_map *lm;
	const struct variant *v;
	const char *why;
	struct parse_error err;
	void *dl;

	if (stat(path, &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "pagerace: %s: %s\n", path, errno ? strerror(errno) : "not a regular file");
		return NULL;
	}
	if (!compile(path, so)) {
		fprintf(stderr, "pagerace: %s: the variant does not compile (the compiler's messages are above)\n",
			path);
		return NULL;
	}
	dl = dlopen(so, RTLD_NOW | RTLD_LOCAL);
	v = dl && !dlinfo(dl, RTLD_DI_LINKMAP, &lm) ? dlsym(dl, "pr_file_variant") : NULL;
	if (!v)
		fprintf(stderr, "pagerace: %s: cannot load the variant: %s\n", path, dlerror());
	else if (!read_functions(so, path, lm->l_addr))
		v = NULL;
	if (strncmp(so, CACHE_DIR, strlen(CACHE_DIR)))
		unlink(so);
	if (!v)
		return NULL;
	if ((why = interface_broken(v))) {
		fprintf(stderr, "pagerace: %s:1: %s\n", path, why);
		return NULL;
	}
	if (!program_add_ops(v, &err)) {
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.msg);
		return NULL;
	}
	return v;
}

int variant_file_functions(const struct variant_function **fns)
{
	*fns = functions;
	return nfunctions;
}

const char *variant_file_name(const struct variant_function *f)
{
	return strncmp(f->name, PREFIX, strlen(PREFIX)) ? f->name : f->name + strlen(PREFIX);
}
