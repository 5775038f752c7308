#!/bin/sh
# build.sh: builds pagerace's fuzz target for OSS-Fuzz and ClusterFuzzLite,
# with the compilers, flags and engine they export ($CC $CFLAGS $CXX
# $CXXFLAGS $LIB_FUZZING_ENGINE; objects in $WORK, all output in $OUT).
# Only the correct kernel, v6.2: the other variants crash by design.
set -eu

# The repository: this script's parent folder when run from there
# (oss-fuzz/build.sh), else the working folder, the Dockerfile's WORKDIR,
# when OSS-Fuzz runs its copy $SRC/build.sh.
root=$(dirname "$0")/..
[ -f "$root/fuzz/target.c" ] || root=.
cd "$root"

target=pagerace_v6_2
obj=$WORK/pagerace
mkdir -p "$obj/gen"

# The library is every src/*/*.c but the command line's (src/cli: main.c and
# variant_file.c) and variant_defaults.c, and the built-in kernel variants
# in variants/*.c, each as the two units scripts/variant-wrap.sh makes.
objs=
for f in variants/*.c; do
	id=$(basename "$f" .c | tr .- __)
	sh scripts/variant-wrap.sh "$f" "$id" "$obj/gen"
done
for f in src/*/*.c "$obj"/gen/*.c fuzz/target.c fuzz/feedback.c; do
	case "$f" in src/cli/*.c | src/variant/variant_defaults.c) continue ;; esac
	o="$obj/$(echo "${f%.c}" | tr / _).o"
	$CC $CFLAGS -std=gnu11 -Ishim -Isrc -DPAGERACE_FUZZ -DPAGERACE_VARIANT='"v6.2"' -c "$f" -o "$o"
	objs="$objs $o"
done
# OSS-Fuzz links with $CXX even for C: an engine may need the C++ runtime.
$CXX $CXXFLAGS -o "$OUT/$target" $objs $LIB_FUZZING_ENGINE -lpthread -ldl

rm -f "$OUT/${target}_seed_corpus.zip"
zip -q -j "$OUT/${target}_seed_corpus.zip" fuzz/seeds/*.bin
cp fuzz/pagerace.dict "$OUT/$target.dict"
printf '[libfuzzer]\nmax_len = 64\ndict = %s.dict\n' "$target" >"$OUT/$target.options"
