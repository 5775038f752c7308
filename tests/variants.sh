#!/bin/sh
# variants.sh BIN: kernel variants as plug-in files.  Broken files get a
# clear message naming the file (and line) and status 2; the examples'
# bugs are found by explore on the story program, their fixes are clean.
# Ends with "variants: N passed, N failed".
bin=${1:?usage: variants.sh path/to/pagerace}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
story=corpus/regressions/wilcox-2021-two-cpus.prog

# expect STATUS PATTERN ARGS...
expect() {
	want=$1 pattern=$2
	shift 2
	timeout 60 "$bin" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" = "$want" ] && grep -qE -- "$pattern" "$tmp/out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL variants: $* exited $got (want $want), no '$pattern': $(tail -3 "$tmp/out")"
	fi
}

expect 2 'does-not-compile.c:7:.*error' check-variant tests/variants/does-not-compile.c
expect 2 'does-not-compile.c: the variant does not compile' replay --variant-file tests/variants/does-not-compile.c "$story"
expect 2 'no-variant.c:1: defines no variant' check-variant tests/variants/no-variant.c
expect 2 'no-free-pages.c: its struct variant has no .free_pages' check-variant tests/variants/no-free-pages.c
expect 2 'missing.c: No such file' check-variant tests/variants/missing.c
printf 'cpu 0: alloc 1 a comp; free a\n' >"$tmp/comp.prog"
expect 2 'falls-off: its free_pages fell off its end at line 15' replay --variant-file tests/variants/falls-off.c "$tmp/comp.prog"
expect 2 'one variant only' replay --variant v5.9 --variant-file variants/examples/codetag-fixed.c "$story"

# The examples: each bug found with the fewest preemptions it needs, each
# fix clean with more.
for f in variants/examples/*.c; do expect 0 ': ok$' check-variant "$f"; done
expect 1 'use-after-free' explore --variant-file variants/examples/codetag-51ff4d7486f0.c --preemptions 4 --out "$tmp" "$story"
expect 0 'explored: [0-9]+ schedules, violations: 0' explore --variant-file variants/examples/codetag-51ff4d7486f0.c --preemptions 3 "$story"
expect 0 'explored: [0-9]+ schedules, violations: 0' explore --variant-file variants/examples/codetag-fixed.c --preemptions 8 "$story"
expect 1 'returned by a lookup whose slot no longer holds it' explore --variant-file variants/examples/lookup-no-recheck.c --preemptions 2 --out "$tmp" "$story"
expect 1 'p0 used after it was freed' explore --variant-file variants/examples/lookup-get-page.c --preemptions 1 --out "$tmp" "$story"
expect 0 'explored: [0-9]+ schedules, violations: 0' explore --variant v6.2 --preemptions 8 "$story"
# The fixed codetag against every small program.
expect 0 'explored: [0-9]+ schedules, violations: 0' explore --all-programs --cpus 2 --ops 2 --preemptions 2 --variant-file variants/examples/codetag-fixed.c

echo "variants: $pass passed, $fail failed"
[ $fail = 0 ]
