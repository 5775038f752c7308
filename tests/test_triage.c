/* test_triage.c: a campaign's list of crashes is a list of bugs.  The
 * race of the 2021 mail shows in many programs: two cpus or three, a
 * lookup or a get, an order-1 or an order-2 block, a neighbour that
 * removes another page so that the block fits, a page added rather than
 * cached.  Each, found by any schedule, must minimize to one program and
 * give one signature; so must the shapes of CVE-2023-52739; and the other
 * bugs pagerace knows must each keep a signature of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "engines/hunt.h"
#include "engines/minimize.h"
#include "report/signature.h"
#include "test.h"

static struct exec *x;

__attribute__((constructor)) static void make_triage_exec(void)
{
	x = exec_new();
}

static const struct variant *named(const char *name)
{
	return variant_by_name(name, (int)strlen(name));
}

/* A crash of text on v as a campaign triages it: a schedule found by hunt
 * (seed), then minimized.  Its signature into sig, its program's text
 * returned (to free); NULL, with a failed check, when there is no crash. */
static char *triaged(const char *text, const struct variant *v, uint64_t seed, bool refs, struct signature *sig)
{
	static struct program prog;
	struct hunt_options o = { .variant = v, .seconds = 2, .seed = seed };
	struct hunt_result r;
	struct minimize_stats st;
	struct parse_error err;
	char *out = NULL;

	if (!program_parse(&prog, text, strlen(text), &err)) {
		CHECK(false, "does not parse: %d: %s:\n%s", err.line, err.msg, text);
		return NULL;
	}
	x->refs = refs;
	hunt(x, &prog, &o, &r);
	if (!r.found)
		CHECK(false, "hunt found no crash on %s (seed %llu):\n%s", v->name, (unsigned long long)seed, text);
	else if (!minimize(x, &prog, v, &st))
		CHECK(false, "minimize lost the crash on %s:\n%s", v->name, text);
	else
		out = program_text(&prog);
	if (out)
		regression_signature(x, sig);
	x->refs = false;
	return out;
}

/* Every shape, from three schedules each, gives the first shape's
 * signature and minimized program. */
static void one_bug(const char *variant, const char *verdict, const char *const *shapes, int nshapes)
{
	struct signature first, sig;
	char *want = triaged(shapes[0], named(variant), 1, false, &first);

	if (!want)
		return;
	CHECK(!strncmp(first.id, verdict, strlen(verdict)), "%s: signature %s is not a %s", variant, first.id,
	      verdict);
	for (int i = 0; i < nshapes; i++) {
		for (uint64_t seed = 1; seed <= 3; seed++) {
			char *got = triaged(shapes[i], named(variant), seed, false, &sig);

			if (!got)
				continue;
			CHECK(!strcmp(sig.id, first.id), "%s, seed %llu: signature %s (%s), not %s (%s), for\n%s",
			      variant, (unsigned long long)seed, sig.id, sig.cause, first.id, first.cause, shapes[i]);
			CHECK(!strcmp(got, want), "%s, seed %llu: minimized to\n%snot\n%sfrom\n%s", variant,
			      (unsigned long long)seed, got, want, shapes[i]);
			free(got);
		}
	}
	free(want);
}

TEST(the_2021_race_in_every_shape_is_one_bug)
{
	static const char *const shapes[] = {
		"cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n",
		"cache 0\ncpu 0: lookup 0\ncpu 1: remove 0\ncpu 2: alloc 2 a; free a\n",
		"cache 0\ncpu 0: get 0 h; put h\ncpu 1: remove 0\ncpu 2: alloc 2 a; free a\n",
		"cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 1 a; free a\n",
		"pages 4\ncache 0 1\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\ncpu 2: remove 1\n",
		"cpu 0: add 0; lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n",
		"cache 0\ncpu 0: lookup 0\ncpu 1: lookup 0; remove 0; alloc 2 a; free a\ncpu 2: lookup 0\n",
	};

	one_bug("v5.9", "lost-pages-", shapes, (int)(sizeof(shapes) / sizeof(*shapes)));
}

TEST(cve_2023_52739_in_every_shape_is_one_bug)
{
	static const char *const shapes[] = {
		"cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 1 a comp; free a\n",
		"cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a comp; ref a; put a; free a\n",
		"cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 1 a comp; alloc 0 b; free a; free b\n",
		"cache 0\ncpu 0: get 0 h; put h\ncpu 1: remove 0\ncpu 2: alloc 1 a comp; free a\n",
	};

	one_bug("v5.10", "double-free-", shapes, (int)(sizeof(shapes) / sizeof(*shapes)));
}

/* The bugs pagerace knows, each its own signature: the two races above,
 * a double free and lost pages written into the program (no race: no
 * preemption in the signature), the sanitizer's report of v5.10's
 * cause, and one use after free at two places (the example files' bugs:
 * tests/cli.sh). */
TEST(different_bugs_different_signatures)
{
	static const struct {
		const char *variant, *text;
		bool refs;
	} bugs[] = {
		{ "v5.9", "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n", false },
		{ "v5.10", "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 1 a comp; free a\n", false },
		{ "v5.10", "cpu 0: alloc 1 a; ref a; free a; free a\n", false },
		{ "v5.9", "cpu 0: alloc 1 a; ref a; free a\n", false },
		{ "v5.10", "cache 0\ncpu 0: get 0 h; free h\n", true },
		/* one verdict, no race, two places: the put and the get */
		{ "v5.10", "cpu 0: alloc 0 a; ref a; put a; put a; put a\n", false },
		{ "v5.10", "cpu 0: alloc 0 a; ref a; free a; free a; ref a\n", false },
	};
	enum { N = sizeof(bugs) / sizeof(*bugs) };
	struct signature sig[N];
	bool got[N] = { false };

	for (int i = 0; i < N; i++) {
		char *text = triaged(bugs[i].text, named(bugs[i].variant), 1, bugs[i].refs, &sig[i]);

		got[i] = text != NULL;
		free(text);
	}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < i; j++)
			CHECK(!got[i] || !got[j] || strcmp(sig[i].id, sig[j].id),
			      "bugs %d and %d share the signature %s (%s)", j, i, sig[i].id, sig[i].cause);
}

/* The signature names the race's accesses: the 2021 race waits at the
 * owner's put_page_testzero, the lookup's speculative get and its put. */
TEST(signature_names_the_waiting_accesses)
{
	struct signature sig;
	char *text = triaged("cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 2 a; free a\n", named("v5.9"), 1,
			     false, &sig);

	if (!text)
		return;
	CHECK(strstr(sig.cause, "preempted before v5.9.c:") && strstr(sig.cause, "put_page_testzero") &&
		      strstr(sig.cause, "folio_try_get_rcu") && strstr(sig.cause, "folio_put"),
	      "the cause '%s' does not name the race's three accesses", sig.cause);
	free(text);
}

/* Table: a noisy race, minimized to its exact text, the one program of
 * its bug: the lowest order that keeps it, each preemption as late as it
 * can come, the cpus named in the order they first step. */
TEST(minimizer_table)
{
	static const struct {
		const char *intent, *variant, *in, *out;
	} rows[] = {
		{ "noise around Wilcox's order shrinks to it", "v5.9",
		  "cache 0\ncpu 0: lookup 0\ncpu 1: lookup 0; remove 0; alloc 2 a; free a\ncpu 2: lookup 0\n"
		  "schedule: 2 2 2 2 0 1 1 1 1 1 1 1 0 0 1 0\n",
		  "pages 4\nslots 1\ncache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 1 a; free a\n"
		  "schedule: 0 1 1 1 0 0 1\n" },
		{ "the CVE keeps its compound block", "v5.10",
		  "cache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 1 a comp; alloc 0 b; free a; free b\n"
		  "schedule: 0 1 1 1 0 1 1 0 0 0 1\n",
		  "pages 4\nslots 1\ncache 0\ncpu 0: lookup 0\ncpu 1: remove 0; alloc 1 a comp; free a\n"
		  "schedule: 0 1 1 1 0 0 1\n" },
	};
	static struct program prog;
	struct minimize_stats st;
	struct parse_error err;

	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++) {
		char *text;

		if (!program_parse(&prog, rows[i].in, strlen(rows[i].in), &err)) {
			CHECK(false, "%s: %d: %s", rows[i].intent, err.line, err.msg);
			continue;
		}
		CHECK(minimize(x, &prog, named(rows[i].variant), &st), "%s: no violation", rows[i].intent);
		text = program_text(&prog);
		CHECK(!strcmp(text, rows[i].out), "%s: got\n%s", rows[i].intent, text);
		free(text);
	}
}
