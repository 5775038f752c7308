#!/bin/sh
# build.sh: builds pagerace's fuzz target for OSS-Fuzz and ClusterFuzzLite,
# with the compilers, flags and engine they export ($CC $CFLAGS $CXX
# $CXXFLAGS $LIB_FUZZING_ENGINE; objects in $WORK, all output in $OUT).
# Only the correct kernels (scripts/variants.sh list correct: v6.2): the
# others crash by design.  One target each, pagerace_<id>, with its seed
# corpus, dictionary and options.
set -eu

# The repository: this script's parent folder when run from there
# (oss-fuzz/build.sh), else the working folder, the Dockerfile's WORKDIR,
# when OSS-Fuzz runs its copy $SRC/build.sh.
root=$(dirname "$0")/..
[ -f "$root/fuzz/target.c" ] || root=.
cd "$root"
. scripts/engine.sh

obj=$WORK/pagerace
mkdir -p "$obj/gen"

# The library is every src/*/*.c but the command line's (src/cli: main.c and
# variant_file.c) and variant_defaults.c, and the built-in kernel variants
# in variants/, each as the two units scripts/variant-wrap.sh makes, with
# their table (gen/variants.c, gen/variants.h: hence -I$obj).
for f in variants/*.c; do
	sh scripts/variant-wrap.sh "$f" "$(sh scripts/variants.sh id "$f")" "$obj/gen"
done
sh scripts/variants.sh table "$obj/gen"
compile() { # SOURCE EXTRA-FLAG...: its object, printed: src/model/mm.c's
	# is src_model_mm.o, $obj/gen/variant-v6.2.c's gen_variant-v6.2.o.
	o=${1#"$obj"/}
	o="$obj/$(echo "${o%.c}" | tr / _).o"
	$CC $CFLAGS -std=gnu11 -Ishim -Isrc -I"$obj" -DPAGERACE_FUZZ "$@" -c -o "$o"
	echo "$o"
}
objs=
for f in src/*/*.c "$obj"/gen/*.c fuzz/feedback.c; do
	case "$f" in src/cli/*.c | src/variant/variant_defaults.c) continue ;; esac
	objs="$objs $(compile "$f")"
done
for v in $(sh scripts/variants.sh list correct); do
	target=pagerace_$(sh scripts/variants.sh id "$v")
	main=$(compile fuzz/target.c -DPAGERACE_VARIANT="\"$v\"")
	# OSS-Fuzz links with $CXX even for C: an engine may need the C++ runtime.
	$CXX $CXXFLAGS -o "$OUT/$target" $objs "$main" $LIB_FUZZING_ENGINE -lpthread -ldl
	rm -f "$OUT/${target}_seed_corpus.zip"
	zip -q -j "$OUT/${target}_seed_corpus.zip" "$FUZZ_SEEDS"/*.bin
	cp "$FUZZ_DICT" "$OUT/$target.dict"
	libfuzzer_options "$target" >"$OUT/$target.options"
done
