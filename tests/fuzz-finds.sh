#!/bin/sh
# fuzz-finds.sh: `make fuzz FRESH=1`, 60 s from an empty corpus, finds
# each buggy built-in variant's bug (scripts/variants.sh list buggy: 5.9's
# leak, 5.10's double free) and 51ff4d7486f0's use-after-free (a variant
# file, pasted from the kernel), each minimized into a story with the
# verdict its file expects, and the broken freeze of page migration (an op
# the file adds); and finds nothing in the correct kernels (6.2), in
# 0ae0227fa31d, the codetag fix, or in migration's real freeze.  Time to a crash from nothing has a long tail (5.10's ran from 1.6 s
# to 42 s over five seeds), so a bug may take a second fresh run of 60 s;
# the fuzzing's clock and the minimization's are printed apart, and the
# engine's own minimizer is not run (scripts/fuzz.sh);
# the clean kernels get one run each.  Stories and crashes go to a temporary folder.  Ends with
# "fuzz-finds: N passed, N failed".
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fuzz HOW: one fresh make fuzz of 60 s; sets st and story.
fuzz() {
	rm -rf "$tmp/out" && mkdir -p "$tmp/out"
	make --no-print-directory fuzz FRESH=1 FUZZ_SECONDS=60 "$1" CRASHES="$tmp/out" REGRESSIONS="$tmp/out" \
		>"$tmp/log" 2>&1
	st=$?
	story=$(ls "$tmp/out"/*.prog 2>/dev/null | head -1)
}

# finds HOW VERDICT|none: HOW is VARIANT=v or VARIANT_FILE=f.
finds() {
	how=$1 want=$2
	fuzz "$how"
	if [ "$want" != none ] && [ -z "$story" ]; then
		echo "fuzz-finds: $how: nothing in the first 60 s, a second fresh run"
		fuzz "$how"
	fi
	if [ "$want" = none ]; then
		if [ $st = 0 ] && grep -q '^fuzz: no crash in' "$tmp/log" && [ -z "$story" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL fuzz-finds: $how: want no crash, got status $st: $(grep -m3 -E '^fuzz:|^verdict:' "$tmp/log")"
		fi
	elif [ $st = 0 ] && [ -n "$story" ] && grep -q "^verdict: $want" "$tmp/log" &&
		grep -qE '^fuzz: crash after [0-9.]+ s of fuzzing \(no minimization in it\)' "$tmp/log" &&
		grep -qE '^fuzz: minimized in [0-9.]+ s' "$tmp/log"; then
		pass=$((pass + 1))
		echo "fuzz-finds: $how: $(grep -m1 '^fuzz: crash after' "$tmp/log" | cut -d';' -f1);" \
			"$(grep -m1 '^fuzz: minimized in' "$tmp/log" | cut -d'(' -f1)"
	else
		fail=$((fail + 1))
		echo "FAIL fuzz-finds: $how: want $want, got status $st: $(grep -m3 -E '^fuzz:|^verdict:' "$tmp/log")"
	fi
}

for v in $(sh scripts/variants.sh list buggy); do finds VARIANT=$v "$(sh scripts/variants.sh expect "$v")"; done
finds VARIANT_FILE=variants/examples/codetag-51ff4d7486f0.c use-after-free
finds VARIANT_FILE=variants/examples/migrate-check-then-set.c refcount-underflow
for v in $(sh scripts/variants.sh list correct); do finds VARIANT=$v none; done
finds VARIANT_FILE=variants/examples/codetag-0ae0227fa31d.c none
finds VARIANT_FILE=variants/examples/migrate-page-move-mapping-5.x.c none

echo "fuzz-finds: $pass passed, $fail failed"
[ $fail = 0 ]
