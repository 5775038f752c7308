#!/bin/sh
# fuzz-targets.sh: every variant's libFuzzer target, built with ASan+UBSan,
# runs 1,000 inputs from nothing: the correct kernels never crash, the
# buggy ones crash only with a checker verdict (never a sanitizer error);
# the TSan build of racy-refcount reports its planted data race.  Ends
# with "fuzz-targets: N passed, N failed".
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL fuzz-targets: $*"; }

for v in v5.9 v5.10 v6.2 racy-refcount; do
	bin=build/fuzz/libfuzzer-address/fuzz-$v
	mkdir -p "$tmp/$v"
	(cd "$tmp" && ASAN_OPTIONS=detect_leaks=0 "$OLDPWD/$bin" -runs=1000 -seed=1 -max_len=64 \
		-dict="$OLDPWD/fuzz/pagerace.dict" "$v" >"$v.log" 2>&1)
	st=$?
	if grep -qE 'ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer' "$tmp/$v.log"; then
		bad "$v: sanitizer error: $(grep -m1 -E 'ERROR|runtime error' "$tmp/$v.log")"
	elif [ $st = 0 ]; then
		grep -q 'Done 1000 runs' "$tmp/$v.log" && ok || bad "$v: did not run 1000 inputs"
	elif [ "$v" = v5.9 ] || [ "$v" = v5.10 ]; then
		grep -q '^verdict: ' "$tmp/$v.log" && ok || bad "$v: crashed without a verdict (status $st)"
	else
		bad "$v: the correct kernel crashed: $(grep -m1 '^verdict: ' "$tmp/$v.log")"
	fi
done

# The baton must not hide races: the plain-int refcount is a data race.
(cd "$tmp" && TSAN_OPTIONS=halt_on_error=1 "$OLDPWD/build/fuzz/libfuzzer-thread/fuzz-racy-refcount" \
	"$OLDPWD/fuzz/seeds/story-ops.bin" >tsan.log 2>&1)
grep -q 'WARNING: ThreadSanitizer: data race' "$tmp/tsan.log" && ok ||
	bad "racy-refcount under TSan: no data race reported"
mkdir "$tmp/seeds" && cp fuzz/seeds/* "$tmp/seeds/" # libFuzzer writes into its corpus
(cd "$tmp" && TSAN_OPTIONS=halt_on_error=1 "$OLDPWD/build/fuzz/libfuzzer-thread/fuzz-v6.2" \
	-runs=300 -seed=1 -max_len=64 seeds >tsan62.log 2>&1)
grep -q 'ThreadSanitizer' "$tmp/tsan62.log" && bad "v6.2 under TSan: $(grep -m1 -A3 ThreadSanitizer "$tmp/tsan62.log")" || ok

echo "fuzz-targets: $pass passed, $fail failed"
[ $fail = 0 ]
