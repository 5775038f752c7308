/* pagerace/op.h: how a variant file adds an op of its own to the program
 * language (forced in by pagerace/prelude.h; kernel code never needs it).
 *
 * A function of the file, then at file scope one line naming it and the
 * arguments a program gives it, each at most once, in the order the
 * function takes them after the mapping:
 *	static int migrate(struct address_space *mapping, pgoff_t index) { ... }
 *	PAGERACE_OP(migrate, slot);
 * Programs then write "cpu 1: migrate 0" as they write the built-in ops.
 * What each argument is in the text form and in the call:
 *	slot     a slot number S           pgoff_t, the index in mapping
 *	handle   a handle h (a..z)         struct page *, the page h holds: the
 *	                                   op borrows the caller's reference and
 *	                                   is skipped while h holds nothing
 *	order    an order O                unsigned int
 * The op's steps are the points its code reaches (pagerace/hooks.h), named
 * by the file's lines in the trace, as the built-in functions' are.
 *
 * Each declaration is kept in a section of the variant's own
 * (pr_ops_<id>), so that the variants linked into one binary keep theirs
 * apart; variant_defaults.c finds them by the linker's __start_ and
 * __stop_ symbols.
 */
#ifndef PAGERACE_OP_H
#define PAGERACE_OP_H

struct address_space;

enum pr_op_arg { PR_OP_NONE, PR_OP_SLOT, PR_OP_HANDLE, PR_OP_ORDER };

#define PR_OP_MAX_ARGS 3

struct pr_op {
	const char *name;                    /* the function's, as programs name the op */
	unsigned char args[PR_OP_MAX_ARGS];  /* enum pr_op_arg, PR_OP_NONE past the last */
	/* The function called with the mapping and the arguments' values,
	 * each cast to its type (a thunk PAGERACE_OP writes). */
	void (*call)(struct address_space *mapping, const unsigned long *argv);
	const char *file; /* where PAGERACE_OP is, for its errors */
	int line;
};

#define PR_OP_ARG_slot PR_OP_SLOT
#define PR_OP_ARG_handle PR_OP_HANDLE
#define PR_OP_ARG_order PR_OP_ORDER
#define PR_OP_TYPE_slot pgoff_t
#define PR_OP_TYPE_handle struct page *
#define PR_OP_TYPE_order unsigned int

#define PR_OP_STR_(x) #x
#define PR_OP_STR(x) PR_OP_STR_(x)
#define PR_OP_CAT_(a, b) a##b
#define PR_OP_CAT(a, b) PR_OP_CAT_(a, b)
#define PR_OPS_SECTION PR_OP_STR(PR_OP_CAT(pr_ops_, PR_VARIANT_ID))

#define PR_OP_DECL(fn, call_args, ...)                                          \
	static void __attribute__((no_instrument_function))                    \
	pr_op_call_##fn(struct address_space *m, const unsigned long *v)       \
	{                                                                      \
		(void)v;                                                       \
		(void)fn call_args;                                            \
	}                                                                      \
	static const struct pr_op pr_op_##fn                                   \
		__attribute__((used, section(PR_OPS_SECTION), aligned(sizeof(void *)))) = { \
			#fn, { __VA_ARGS__ }, pr_op_call_##fn, __FILE__, __LINE__ \
		}
#define PR_OP_0(fn, ...) PR_OP_DECL(fn, (m), PR_OP_NONE)
#define PR_OP_1(fn, a) PR_OP_DECL(fn, (m, (PR_OP_TYPE_##a)v[0]), PR_OP_ARG_##a)
#define PR_OP_2(fn, a, b)                                                      \
	PR_OP_DECL(fn, (m, (PR_OP_TYPE_##a)v[0], (PR_OP_TYPE_##b)v[1]), PR_OP_ARG_##a, PR_OP_ARG_##b)
#define PR_OP_3(fn, a, b, c)                                                   \
	PR_OP_DECL(fn, (m, (PR_OP_TYPE_##a)v[0], (PR_OP_TYPE_##b)v[1], (PR_OP_TYPE_##c)v[2]), \
		   PR_OP_ARG_##a, PR_OP_ARG_##b, PR_OP_ARG_##c)
#define PR_OP_COUNT_(_, a, b, c, d, n, ...) n
#define PR_OP_COUNT(...) PR_OP_COUNT_(_, ##__VA_ARGS__, 4, 3, 2, 1, 0)
#define PR_OP_4(fn, ...) _Static_assert(0, "PAGERACE_OP(" #fn ", ...): at most 3 arguments")

#define PAGERACE_OP(fn, ...) PR_OP_CAT(PR_OP_, PR_OP_COUNT(__VA_ARGS__))(fn, ##__VA_ARGS__)

#endif
