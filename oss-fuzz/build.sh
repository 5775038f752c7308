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
mkdir -p "$obj/src" "$obj/variants" "$obj/fuzz"

# The library is every src/*.c but the command line's (main.c and
# variant_file.c), and the built-in kernel variants in variants/*.c.
objs=
for f in src/*.c variants/*.c fuzz/target.c fuzz/feedback.c; do
	case "$f" in src/main.c | src/variant_file.c) continue ;; esac
	$CC $CFLAGS -std=gnu11 -Isrc -DPAGERACE_VARIANT='"v6.2"' -c "$f" -o "$obj/${f%.c}.o"
	objs="$objs $obj/${f%.c}.o"
done
# OSS-Fuzz links with $CXX even for C: an engine may need the C++ runtime.
$CXX $CXXFLAGS -o "$OUT/$target" $objs $LIB_FUZZING_ENGINE -lpthread -ldl

rm -f "$OUT/${target}_seed_corpus.zip"
zip -q -j "$OUT/${target}_seed_corpus.zip" fuzz/seeds/*.bin
cp fuzz/pagerace.dict "$OUT/$target.dict"
printf '[libfuzzer]\nmax_len = 64\ndict = %s.dict\n' "$target" >"$OUT/$target.options"
