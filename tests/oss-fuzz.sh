#!/bin/sh
# oss-fuzz.sh: builds the OSS-Fuzz/ClusterFuzzLite target outside docker, as
# those services would (their variables; a checkout under another name),
# checks $OUT and runs the target on its seeds.  Needs `make build/.fuzzdeps`
# (clang-19, llvm-19, afl++).  Ends with "oss-fuzz: N passed, N failed".
set -u
export LC_ALL=C
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL oss-fuzz: $*"; }

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" && . scripts/engine.sh
# One target per correct kernel (scripts/variants.sh), named by its id.
targets=$(for v in $(sh scripts/variants.sh list correct); do echo "pagerace_$(sh scripts/variants.sh id "$v")"; done)
[ -n "$targets" ] || { echo "FAIL oss-fuzz: no correct variant to build"; exit 1; }
seeds=$(cd "$repo/fuzz/seeds" && ls *.bin)
lib=$(cd "$repo" && ls src/*/*.c variants/*.c | grep -vxE 'src/(cli/.*|variant/variant_defaults).c' | sort)

# build.sh compiles src/*.c but the command line's and variant_defaults.c,
# and variants/*.c: that must be the Makefile's library.
make_src=$(make -s -C "$repo" print-src | tr -s ' \t' '\n\n' | grep . | sort)
[ "$make_src" = "$lib" ] && ok || bad "src/*.c but main.c, variant_file.c and variant_defaults.c, and variants/*.c, are not the Makefile's library"

# What Docker's COPY makes: the repository in $SRC under another name.
export SRC="$tmp/src" CC=clang-19 CXX=clang++-19
copy=$SRC/not-named-pagerace
mkdir -p "$copy"
(cd "$repo" && tar cf - --exclude=./build --exclude=./.git .) | (cd "$copy" && tar xf -)
(cd "$copy" && find . | sort) >"$tmp/tree.before"
touch "$tmp/stamp"

# OSS-Fuzz's flags: coverage, plus each sanitizer's own.
cov="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
asan="-fsanitize=address -fsanitize-address-use-after-scope"
ubsan_checks=array-bounds,bool,builtin,enum,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr
ubsan="-fsanitize=$ubsan_checks,unsigned-integer-overflow -fno-sanitize-recover=$ubsan_checks"
export UBSAN_OPTIONS=silence_unsigned_overflow=1:print_stacktrace=1

# build NAME HOW FLAGS: build.sh with CFLAGS=CXXFLAGS=FLAGS into $tmp/NAME,
# run as HOW says: oss-fuzz (its copy $SRC/build.sh, from the checkout, the
# Dockerfile's WORKDIR), cflite (the same with .clusterfuzzlite/build.sh),
# direct (oss-fuzz/build.sh by its path, from another folder).
build() {
	export OUT="$tmp/$1" WORK="$tmp/work-$1" CFLAGS="$3" CXXFLAGS="$3"
	mkdir -p "$OUT" "$WORK"
	case $2 in
	oss-fuzz) cp "$copy/oss-fuzz/build.sh" "$SRC/build.sh" && (cd "$copy" && bash -eu "$SRC/build.sh") ;;
	cflite) cp "$copy/.clusterfuzzlite/build.sh" "$SRC/build.sh" && (cd "$copy" && bash -eu "$SRC/build.sh") ;;
	direct) (cd "$tmp" && sh "$copy/oss-fuzz/build.sh") ;;
	esac >"$tmp/$1.log" 2>&1
	st=$?
	[ $st = 0 ] && ok || bad "$1: build.sh ($2) failed with status $st: $(tail -3 "$tmp/$1.log")"
	return $st
}

# outputs NAME: $OUT holds each correct kernel's target, its seeds,
# dictionary and options (the launcher's flags, scripts/engine.sh), and
# nothing else (no target of a buggy variant).
outputs() {
	out=$tmp/$1
	want=$(for t in $targets; do printf '%s\n' "$t" "$t.dict" "$t.options" "${t}_seed_corpus.zip"; done | sort)
	got=$(ls "$out")
	[ "$got" = "$want" ] && ok || bad "$1: \$OUT holds '$(echo $got)', not '$(echo $want)'"
	for target in $targets; do
	zipped=$(unzip -Z1 "$out/${target}_seed_corpus.zip" | sort)
	[ "$zipped" = "$seeds" ] && ok || bad "$1: the seed corpus holds '$zipped'"
	cmp -s "$out/$target.dict" "$repo/fuzz/pagerace.dict" && ok ||
		bad "$1: $target.dict is not fuzz/pagerace.dict"
	options=$(printf '[libfuzzer]\nmax_len = %s\nlen_control = %s\ndict = %s.dict' "$FUZZ_MAX_LEN" "$FUZZ_LEN_CONTROL" "$target")
	[ "$(cat "$out/$target.options")" = "$options" ] && ok ||
		bad "$1: $target.options: $(cat "$out/$target.options")"
	done
}

# An input `make fuzz` found, the race that crashes v5.9 (lost-pages 3):
# a correct kernel's target runs it clean, a v5.9 one would not.
printf '\054\000\000\021\000\041\052\000\001\041\001\000\001\006' >"$tmp/race-v5.9"

# clean LOG: no crash, no sanitizer report, no verdict in LOG.
clean() {
	! grep -qE '(ERROR|WARNING): [A-Za-z]+Sanitizer|runtime error:|deadly signal|^verdict: ' "$1"
}

# fuzz NAME: the libFuzzer target runs each seed once, with every source
# instrumented, then 2,000 inputs mutated from them, and v5.9's race; no crash.
fuzz() {
	for target in $targets; do
	out=$tmp/$1 dir=$tmp/$1-corpus-$target log=$tmp/$1-run.log
	mkdir "$dir" && unzip -q "$out/${target}_seed_corpus.zip" -d "$dir"
	"$out/$target" -runs=0 -print_coverage=1 "$dir" >"$log" 2>&1
	st=$?
	[ $st = 0 ] && grep -q INITED "$log" && clean "$log" && ok ||
		bad "$1: the seeds, status $st: $(grep -m1 -E 'ERROR|runtime error|^verdict' "$log")"
	missing=
	for f in $lib fuzz/target.c fuzz/feedback.c; do
		# Its object, as build.sh names it (a variant file is built as
		# gen/variant-NAME.c).  A file of data alone (a variant that
		# reuses another's functions) has no function to instrument.
		o=$(echo "${f%.c}" | sed 's|^variants/|gen/variant-|' | tr / _).o
		[ -f "$tmp/work-$1/pagerace/$o" ] || { missing="$missing $f(no $o)"; continue; }
		nm "$tmp/work-$1/pagerace/$o" | grep -E ' [Tt] ' | grep -qvE 'module_ctor|module_dtor' || continue
		grep -qE "COVERED_FUNC: .* /.*/$f:" "$log" || missing="$missing $f"
	done
	[ -z "$missing" ] && ok || bad "$1: no coverage instrumentation in$missing"
	"$out/$target" -runs=2000 -max_len="$FUZZ_MAX_LEN" -dict="$out/$target.dict" "$dir" >"$log" 2>&1
	st=$?
	[ $st = 0 ] && grep -q 'Done 2000 runs' "$log" && clean "$log" && ok ||
		bad "$1: 2,000 runs, status $st: $(grep -m1 -E 'ERROR|runtime error|^verdict' "$log")"
	"$out/$target" "$tmp/race-v5.9" >"$log" 2>&1
	st=$?
	[ $st = 0 ] && clean "$log" && ok || bad "$1: v5.9's race crashes $target: $(grep -m1 '^verdict' "$log")"
	done
}

# afl NAME: the AFL++ target (its driver runs the files it is given) runs
# each seed once, and v5.9's race; no crash.
afl() {
	for target in $targets; do
	out=$tmp/$1 dir=$tmp/$1-corpus-$target log=$tmp/$1-run.log
	mkdir "$dir" && unzip -q "$out/${target}_seed_corpus.zip" -d "$dir"
	"$out/$target" "$dir"/* "$tmp/race-v5.9" >"$log" 2>&1
	st=$?
	n=$(grep -c 'Execution successful' "$log")
	[ $st = 0 ] && [ "$n" = $(($(echo "$seeds" | wc -l) + 1)) ] && clean "$log" && ok ||
		bad "$1: the seeds, status $st, $n ran: $(grep -m1 -E 'ERROR|runtime error|^verdict' "$log")"
	done
}

export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
build address oss-fuzz "$cov $asan -fsanitize=fuzzer-no-link" && outputs address && fuzz address
build undefined cflite "$cov $ubsan -fsanitize=fuzzer-no-link" && outputs undefined && fuzz undefined
export CC=afl-clang-fast CXX=afl-clang-fast++ LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a AFL_QUIET=1
build afl-address direct "$cov $asan" && outputs afl-address && afl afl-address

# The builds left the checkout as it was: objects went to $WORK.
(cd "$copy" && find . | sort) >"$tmp/tree.after"
changed=$( (cd "$copy" && find . -newer "$tmp/stamp"); comm -3 "$tmp/tree.before" "$tmp/tree.after")
[ -z "$changed" ] && ok || bad "the builds changed the checkout: $(echo $changed)"

echo "oss-fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
