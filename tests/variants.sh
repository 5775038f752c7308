#!/bin/sh
# variants.sh BIN [deep]: kernel variants as plug-in files (kernel-shaped C
# against shim/).  Broken files get a clear message (the file and line, or
# the cpu, op and step their code failed in) and status 2; the examples'
# bugs are found by explore on the story programs with the fewest
# preemptions they need (and not with one fewer).  With deep (make check's
# variants-deep part, a minute of explore), only this: the correct ones are
# clean at 8 preemptions and on every small program.
# Ends with "variants: N passed, N failed" ("variants-deep: ..." for deep).
bin=${1:?usage: variants.sh path/to/pagerace [deep]}
part=variants${2:+-$2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
limit=60
story=corpus/regressions/wilcox-2021-two-cpus.prog
cve=corpus/regressions/cve-2023-52739-compound.prog
ex=variants/examples
bad=tests/variants
clean='explored: [0-9]+ schedules, violations: 0$'

# expect STATUS PATTERN ARGS...  (runs under timeout $limit): the cases are
# independent, so they run as background jobs, as many at once as there
# are cpus (JOBS overrides); each writes its outcome to $tmp/case.N.
jobs=${JOBS:-$(nproc)}
n=0 running=0
expect() {
	n=$((n + 1))
	(
		want=$1 pattern=$2
		shift 2
		timeout "$limit" "$bin" "$@" >"$tmp/out.$n" 2>&1
		got=$?
		if [ "$got" = "$want" ] && grep -qE -- "$pattern" "$tmp/out.$n"; then
			echo pass >"$tmp/case.$n"
		else
			echo "FAIL $part: $* exited $got (want $want), no '$pattern': $(tail -3 "$tmp/out.$n")" \
				>"$tmp/case.$n"
		fi
	) &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait
		running=0
	fi
}

if [ -z "$2" ]; then
# Bad input: each is status 2 with a message that says what is wrong.
expect 2 'does-not-compile.c:8:[0-9]+: error' check-variant $bad/does-not-compile.c
expect 2 'does-not-compile.c: the variant does not compile' check-variant $bad/does-not-compile.c
expect 2 'does-not-compile.c: the variant does not compile' replay --variant-file $bad/does-not-compile.c "$story"
expect 2 'defines-none.c:1: defines none of __free_pages, put_page, find_get_entry, filemap_get_entry' check-variant $bad/defines-none.c
expect 2 'defines-none.c:1: defines none of' replay --variant-file $bad/defines-none.c "$story"
expect 2 'both-lookups.c:1: defines both lookups' check-variant $bad/both-lookups.c
expect 2 'both-lookups.c:1: defines both lookups' explore --variant-file $bad/both-lookups.c --out "$tmp" "$story"
expect 2 'missing.c: No such file' check-variant $bad/missing.c
expect 2 'missing.c: No such file' replay --variant-file $bad/missing.c "$story"
expect 2 'one variant only' replay --variant v5.9 --variant-file $ex/codetag-0ae0227fa31d.c "$story"
# Ops a file adds (PAGERACE_OP): a bad declaration is the file's error at
# its line; a program naming an op its variant lacks is the program's.
expect 2 'op-builtin-name.c:9: op .lookup. is a built-in op.s name' check-variant $bad/op-builtin-name.c
expect 2 'op-two-slots.c:9: op .swap_slots. takes two arguments of one kind' \
	replay --variant-file $bad/op-two-slots.c "$story"
expect 2 'op-wrong-type.c:8:[0-9]+: note: in expansion of macro .PAGERACE_OP.' check-variant $bad/op-wrong-type.c
expect 2 'added-ops.c:34: refcount-underflow on the op unpin alone \(above\), which a correct op passes' \
	check-variant $bad/added-ops.c
printf 'cache 0\n\ncpu 0: lookup 0; split 0\n' >"$tmp/split.prog"
expect 2 "split.prog:3: unknown op 'split'$" replay --variant-file $ex/migrate-page-move-mapping-5.x.c "$tmp/split.prog"
expect 2 "migration-racing-removal.prog:[0-9]+: unknown op 'migrate' \\(an op of a variant file.s own needs that file: --variant-file\\)" \
	replay corpus/regressions/migration-racing-removal.prog
# Code that compiles, and crashes, spins or BUGs when it runs: check-variant
# runs its smoke program, which a correct kernel passes; running it names
# the cpu, the op and the step.
printf 'cpu 0: alloc 1 a; free a\n' >"$tmp/free.prog"
expect 2 'variant crashes: cpu 0, op 8 \(free\), step [0-9]+: Segmentation fault' check-variant $bad/crashes.c
expect 2 'never-frees.c: lost-pages 6 on the smoke program \(above\), which a correct kernel passes' \
	check-variant $bad/never-frees.c
expect 2 'bug-on-order.c: bug on the smoke program \(above\)' check-variant $bad/bug-on-order.c
expect 2 'at step [0-9]+: BUG_ON\(order > 1\) at bug-on-order.c:10' check-variant $bad/bug-on-order.c
# A function the ops never reach: the prelude renames only the interface's
# names, so a misspelled one is dead code.
expect 2 'misspelled.c:8: __free_page is defined but never called by the smoke program or the regression programs' \
	check-variant $bad/misspelled.c
expect 2 'variant crashes: cpu 0, op 2 \(free\), step 3: Segmentation fault in kernel code after its point at tests/variants/crashes.c:12 put_page_testzero' \
	replay --variant-file $bad/crashes.c "$tmp/free.prog"
expect 2 'variant crashes: cpu 1, op 3 \(free\), step [0-9]+: Segmentation fault' \
	explore --variant-file $bad/crashes.c --preemptions 2 --out "$tmp" "$story"
limit=20
expect 2 'variant spins: cpu 0, op 8 \(free\), step [0-9]+: ran 1 s without reaching a scheduling point' \
	check-variant $bad/spins.c
expect 2 'variant spins: cpu 0, op 2 \(free\), step 3: ran 1 s without reaching a scheduling point.*its last point: tests/variants/spins.c:13' \
	replay --variant-file $bad/spins.c "$tmp/free.prog"
expect 2 'variant spins: cpu 1, op 3 \(free\), step [0-9]+: ran 1 s without reaching a scheduling point' \
	hunt --seconds 1 --variant-file $bad/spins.c --out "$tmp" "$story"
expect 2 'variant spins: cpu 1, op 3 \(free\), step [0-9]+: ran 1 s without reaching a scheduling point' \
	stress --seconds 1 --variant-file $bad/spins.c "$story"
# VM_BUG_ON_PAGE in kernel code: the verdict bug, with its file and line.
printf 'cpu 0: alloc 0 a; free a; free a\n' >"$tmp/twice.prog"
expect 1 'at step 6: VM_BUG_ON_PAGE\(page_ref_count\(page\) == 0\) at bug-on.c:11, page p0' \
	replay --variant-file $bad/bug-on.c "$tmp/twice.prog"
expect 1 '^verdict: bug$' replay --variant-file $bad/bug-on.c "$tmp/twice.prog"
# Locks (shim/pagerace/hooks.h rule 7): a wait that cannot end is the
# verdict deadlock, in words; free-running too, not the hang watchdog.
printf 'cpu 0: alloc 0 a; ref a; free a; put a\ncpu 1: alloc 0 b; free b\n' >"$tmp/holds.prog"
expect 1 '^at the end: cpu 1 waits at deadlock-holds.c:14 for free_lock held by cpu 0, which ended its program holding it$' \
	replay --variant-file $bad/deadlock-holds.c "$tmp/holds.prog"
expect 1 '^verdict: deadlock$' replay --variant-file $bad/deadlock-holds.c "$tmp/holds.prog"
expect 1 '^stress: deadlock in round [0-9]+' stress --seconds 5 --variant-file $bad/deadlock-holds.c "$tmp/holds.prog"
expect 1 'deadlock-recursive.c:10  spin_lock\(ref_lock\): held by cpu 0 !! deadlock$' \
	replay --variant-file $bad/deadlock-recursive.c "$tmp/holds.prog"
expect 1 '^at step 5: cpu 0 takes ref_lock at deadlock-recursive.c:10, which it holds already$' \
	replay --variant-file $bad/deadlock-recursive.c "$tmp/holds.prog"
expect 1 'which it holds already' stress --seconds 5 --chaos --variant-file $bad/deadlock-recursive.c "$tmp/holds.prog"
printf 'cpu 0: alloc 0 a; free a\ncpu 1: alloc 0 b; free b\nschedule: 0 0 1 0 1 1\n' >"$tmp/two.prog"
expect 0 '^explored: 6 schedules, violations: 0$' explore --no-reduction --preemptions 1 \
	--variant-file $bad/free-pages-locked.c --out "$tmp" "$tmp/two.prog"
expect 0 '^explored: 8 schedules, violations: 0$' explore --no-reduction --preemptions 2 \
	--variant-file $bad/free-pages-locked.c --out "$tmp" "$tmp/two.prog"
expect 0 'free_lock\), waited for cpu 0$' replay --variant-file $bad/free-pages-locked.c "$tmp/two.prog"
expect 0 '^\(6 steps, 1 preemptions\)$' replay --variant-file $bad/free-pages-locked.c "$tmp/two.prog"
limit=60

# The examples: each keeps the interface, passes the smoke program, and
# has every function it defines reached; the facts of each function and the
# verdicts of the stories are printed.
for f in $ex/*.c; do expect 0 "^$f: variant $(basename "$f" .c): ok$" check-variant "$f"; done
expect 0 'variant free-pages-4.15 defines __free_pages$' check-variant $ex/free-pages-4.15.c
expect 0 '^  __free_pages: exported, free, entered [1-9][0-9]* times$' check-variant $ex/free-pages-4.15.c
expect 0 '^  wilcox-2021-two-cpus.prog: lost-pages 3$' check-variant $ex/free-pages-4.15.c
expect 0 '^  ___free_pages: exported, a helper, entered [1-9][0-9]* times$' check-variant $ex/codetag-0ae0227fa31d.c
expect 0 '^  free_the_page: exported, the free path.s helper, entered [1-9][0-9]* times$' check-variant $ex/free-pages-5.9.c
expect 0 '^  cve-2023-52739-compound.prog: double-free$' check-variant $ex/free-pages-5.10.c
expect 0 '^  smoke program: ok$' check-variant $ex/lookup-get-page.c
expect 0 'variant find-get-entry-5.x defines find_get_entry$' check-variant $ex/find-get-entry-5.x.c
expect 0 '^  find_get_entry: exported, lookup, get, entered [1-9][0-9]* times$' check-variant $ex/find-get-entry-5.x.c
expect 0 'variant filemap-get-entry-6.x defines filemap_get_entry$' check-variant $ex/filemap-get-entry-6.x.c

# Replayed on the story, each gives the verdict of the kernel it codes.
for f in free-pages-4.15 free-pages-5.9; do
	expect 1 'verdict: lost-pages 3$' replay --variant-file $ex/$f.c "$story"
done
for f in free-pages-5.10 free-pages-6.2 codetag-0ae0227fa31d find-get-entry-5.x filemap-get-entry-6.x \
	find-get-page-locked; do
	expect 0 'verdict: ok$' replay --variant-file $ex/$f.c "$story"
done
expect 1 'verdict: double-free$' replay --variant-file $ex/free-pages-5.10.c "$cve"

# The stories of variant files (their programs name an op a file adds):
# each expect line replayed under its file; check-variant of another file
# leaves them out, and runs each op a file adds alone.
for s in corpus/regressions/*.prog; do
	sed -n 's/^# expect: \([^ ]*\.c\) \(.*\)$/\1 \2/p' "$s" | while read -r f want; do
		[ "$want" = ok ] && code=0 || code=1
		echo "$code|verdict: $want\$|$f|$s"
	done
done >"$tmp/file-stories"
[ -s "$tmp/file-stories" ] || { echo "FAIL $part: no story names a variant file"; fail=$((fail + 1)); }
while IFS='|' read -r code pattern f s; do
	expect "$code" "$pattern" replay --variant-file "$f" "$s"
done <"$tmp/file-stories"
expect 0 '^  op migrate alone: ok$' check-variant $ex/migrate-check-then-set.c
expect 0 '^  piggin-2008-lookup-racing-migration.prog: refcount-underflow$' check-variant $ex/migrate-check-then-set.c
expect 0 '^  migrate: static, an op of its own, entered [1-9][0-9]* times$' check-variant $ex/migrate-check-then-set.c
expect 0 '^  wilcox-2021-two-cpus.prog: ok$' check-variant $ex/free-pages-6.2.c
expect 0 '^  wilcox-2021-two-cpus.prog: ok$' check-variant $ex/migrate-page-move-mapping-5.x.c
# Page migration's freeze: its broken twin loses a lookup's reference with
# two preemptions (not one), under explore and in the smallest programs;
# the freeze itself is clean.  The minimizer keeps the migration and drops
# the rest.
# Spinners take turns: two lookups spinning on a frozen count leave the
# freezer its turn (a campaign's find: stuck, when the tail rule went to
# the lowest other cpu, the other spinner, for ever).
printf 'pages 8\nslots 2\ncache 0 1\ncpu 0: lookup 0; lookup 0\ncpu 1: migrate 0\ncpu 2: lookup 0; lookup 0\ncpu 3: migrate 0\nschedule: 3 3 3 3 3 3 3\n' \
	>"$tmp/spinners.prog"
expect 0 'verdict: ok$' replay --variant-file $ex/migrate-page-move-mapping-5.x.c "$tmp/spinners.prog"
# A page migration stored in a slot migrates again: xas_store gave it the
# slot's index (page_index), where the second migration finds it.
printf 'pages 8\nslots 2\ncache 0 1\ncpu 0: migrate 1; migrate 1\n' >"$tmp/twice.prog"
expect 0 'xas_store\(s1, p1\)' replay --variant-file $ex/migrate-page-move-mapping-5.x.c "$tmp/twice.prog"
mig=corpus/regressions/piggin-2008-lookup-racing-migration.prog
expect 1 'refcount-underflow' explore --variant-file $ex/migrate-check-then-set.c --preemptions 2 --out "$tmp" "$mig"
expect 0 "$clean" explore --variant-file $ex/migrate-check-then-set.c --preemptions 1 --out "$tmp" "$mig"
expect 0 "$clean" explore --variant-file $ex/migrate-page-move-mapping-5.x.c --preemptions 64 --out "$tmp" "$mig"
expect 0 "$clean" explore --variant-file $ex/migrate-page-move-mapping-5.x.c --preemptions 64 --out "$tmp" \
	corpus/regressions/migration-racing-removal.prog
expect 1 'cpu 0: lookup 0; migrate 0' explore --all-programs --cpus 2 --ops 2 --preemptions 2 \
	--variant-file $ex/migrate-check-then-set.c --out "$tmp"
printf 'pages 16\nslots 2\ncache 0 1\ncpu 0: lookup 1; alloc 0 a; lookup 0; free a\ncpu 1: migrate 1; migrate 0; lookup 1\n' \
	>"$tmp/noisy-migration.prog"
expect 1 'ops_before=7 ops_after=2 ' hunt --seconds 10 --seed 1 --variant-file $ex/migrate-check-then-set.c \
	--out "$tmp" "$tmp/noisy-migration.prog"
expect 1 '^cpu 0: migrate 0$' hunt --seconds 10 --seed 1 --variant-file $ex/migrate-check-then-set.c \
	--out "$tmp" "$tmp/noisy-migration.prog"

# The bugs, each found with the fewest preemptions it needs, not with one
# fewer.
expect 1 'lost-pages 3' explore --variant-file $ex/free-pages-4.15.c --preemptions 3 --out "$tmp" "$story"
expect 0 "$clean" explore --variant-file $ex/free-pages-4.15.c --preemptions 2 --out "$tmp" "$story"
expect 1 'lost-pages 3' explore --variant-file $ex/free-pages-5.9.c --preemptions 3 --out "$tmp" "$story"
expect 0 "$clean" explore --variant-file $ex/free-pages-5.9.c --preemptions 2 --out "$tmp" "$story"
expect 1 'double-free' explore --variant-file $ex/free-pages-5.10.c --preemptions 4 --out "$tmp" "$cve"
expect 0 "$clean" explore --variant-file $ex/free-pages-5.10.c --preemptions 3 --out "$tmp" "$cve"
expect 1 'codetag-51ff4d7486f0.c:[0-9]+  pgalloc_tag_sub_pages\(p0\).*!! use-after-free' \
	explore --variant-file $ex/codetag-51ff4d7486f0.c --preemptions 4 --out "$tmp" "$story"
expect 0 "$clean" explore --variant-file $ex/codetag-51ff4d7486f0.c --preemptions 3 --out "$tmp" "$story"
expect 1 'p0 returned by a lookup whose slot no longer holds it' \
	explore --variant-file $ex/lookup-no-recheck.c --preemptions 2 --out "$tmp" "$story"
expect 0 "$clean" explore --variant-file $ex/lookup-no-recheck.c --preemptions 1 --out "$tmp" "$story"
expect 1 'lookup-get-page.c:[0-9]+  get_page\(p0\) 0->1 !! use-after-free' \
	explore --variant-file $ex/lookup-get-page.c --preemptions 1 --out "$tmp" "$story"
expect 0 "$clean" explore --variant-file $ex/lookup-get-page.c --preemptions 0 --out "$tmp" "$story"
# The lookup under the mapping's lock closes 2021's window that the
# lockless one (v5.9's, the same __free_pages) leaves open.
expect 0 "$clean" explore --variant-file $ex/find-get-page-locked.c --preemptions 4 --out "$tmp" "$story"
expect 1 'lost-pages 3' explore --variant v5.9 --preemptions 4 --out "$tmp" "$story"
else
# The correct ones: clean on both story programs at 8 preemptions, and on
# every program of 2 cpus and 2 ops at 2.
for f in free-pages-6.2 codetag-0ae0227fa31d find-get-entry-5.x filemap-get-entry-6.x find-get-page-locked; do
	for p in "$story" "$cve"; do
		expect 0 "$clean" explore --variant-file $ex/$f.c --preemptions 8 --out "$tmp" "$p"
	done
	expect 0 "$clean" explore --all-programs --cpus 2 --ops 2 --preemptions 2 --out "$tmp" --variant-file $ex/$f.c
done
expect 0 "$clean" explore --variant v6.2 --preemptions 8 --out "$tmp" "$story"
fi

wait
i=1
while [ $i -le $n ]; do
	if [ "$(cat "$tmp/case.$i" 2>/dev/null)" = pass ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		cat "$tmp/case.$i" 2>/dev/null || echo "FAIL $part: case $i left no outcome"
	fi
	i=$((i + 1))
done
echo "$part: $pass passed, $fail failed"
[ $fail = 0 ]
