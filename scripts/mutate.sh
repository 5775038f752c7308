#!/bin/sh
# mutate.sh: `make mutate`, the mutation check (not part of make check):
# plants each mutant of tests/mutants.txt, one at a time, in a copy of the
# tree and runs make test's parts against it.  Never edits the tree itself.
#
# A mutant is killed when a part fails or runs out of time (a hang), and
# survives when every part passes; one that does not build is reported and
# not counted.  A snippet that does not occur exactly once in its file is an
# error naming the mutant (the code moved: refresh the list).  The score is
# killed / (killed + survived); a mutant the list marks equivalent (with its
# reason) is left out of the score.  Ends with the surviving mutants'
# names and the wall time; exit status 1 when any survived or erred.
#
# sh scripts/mutate.sh [NAME...]: only those mutants; --check: only
# whether every snippet occurs once in the work tree.  Environment:
# MUTANTS (tests/mutants.txt), MUTATE_DIR (build/mutate: the copy, outside
# /tmp, wiped at each run), MUTATE_TIMEOUT (180: seconds for one part).
# The copy is of the files git knows (tracked and untracked, not ignored),
# as they are in the work tree.
set -u
list=${MUTANTS:-tests/mutants.txt}
scratch=${MUTATE_DIR:-build/mutate}
limit=${MUTATE_TIMEOUT:-180}
tree=$scratch/tree
start=$(date +%s)

# The list's entries, each:
#   mutant NAME FILE
#   intent: what the mutant breaks, one line
#   equivalent: why no test can tell it apart (only for those)
#   -snippet line, exactly as in FILE (one or more)
#   +replacement line (none: the snippet is dropped)
# Blank lines and lines starting with '#' between entries are ignored.
# mutants OP [NAME]: "names" prints NAME FILE per entry; "check DIR"
# fails naming each entry whose snippet is not in DIR/FILE exactly once;
# "apply DIR NAME" plants NAME in DIR/FILE; "intent NAME" and
# "equivalent NAME" print those lines.
mutants() {
	perl -e '
	use strict;
	my ($list, $op, @args) = @ARGV;
	open my $fh, "<", $list or die "mutate: cannot read $list\n";
	my (@m, $cur);
	while (my $l = <$fh>) {
		chomp $l;
		if ($l =~ /^mutant (\S+) (\S+)$/) {
			$cur = { name => $1, file => $2, find => [], repl => [], line => $. };
			push @m, $cur;
		} elsif ($l =~ /^(intent|equivalent): (.*)$/ && $cur && !@{$cur->{find}}) {
			$cur->{$1} = $2;
		} elsif ($l =~ /^-(.*)$/s && $cur && !@{$cur->{repl}}) {
			push @{$cur->{find}}, $1;
		} elsif ($l =~ /^\+(.*)$/s && $cur && @{$cur->{find}}) {
			push @{$cur->{repl}}, $1;
		} elsif ($l =~ /^(#.*)?$/) {
			$cur = undef if $cur && @{$cur->{find}};
		} else {
			die "$list:$.: not part of a mutant: $l\n";
		}
	}
	my %seen;
	for my $e (@m) {
		die "$list:$e->{line}: mutant $e->{name} has no snippet\n" unless @{$e->{find}};
		die "$list:$e->{line}: mutant $e->{name} has no intent\n" unless $e->{intent};
		die "$list:$e->{line}: mutant $e->{name} named twice\n" if $seen{$e->{name}}++;
	}
	sub text { my ($lines) = @_; return @$lines ? join("\n", @$lines) . "\n" : "" }
	sub count { my ($hay, $needle) = @_; my $n = 0; my $at = 0;
		while (($at = index($hay, $needle, $at)) >= 0) { $n++; $at++ } return $n }
	sub slurp { my ($f) = @_; open my $h, "<", $f or return undef; local $/; return <$h> }
	if ($op eq "names") {
		print "$_->{name} $_->{file}\n" for @m;
		exit 0;
	}
	if ($op eq "check") {
		my $bad = 0;
		for my $e (@m) {
			my $src = slurp("$args[0]/$e->{file}");
			my $n = defined $src ? count($src, text($e->{find})) : -1;
			next if $n == 1;
			print "error $e->{name}: " . ($n < 0 ? "no file $e->{file}" :
				"its snippet occurs $n times in $e->{file}, not once") . " ($list:$e->{line})\n";
			$bad++;
		}
		exit($bad ? 1 : 0);
	}
	my ($e) = grep { $_->{name} eq $args[-1] } @m;
	die "mutate: no mutant $args[-1] in $list\n" unless $e;
	if ($op eq "intent" || $op eq "equivalent") {
		print $e->{$op} // "";
		exit 0;
	}
	if ($op eq "apply") {
		my $path = "$args[0]/$e->{file}";
		my $src = slurp($path);
		my $find = text($e->{find});
		die "mutate: $e->{name}: its snippet is not in $e->{file} once\n"
			unless defined $src && count($src, $find) == 1;
		my $at = index($src, $find);
		substr($src, $at, length($find)) = text($e->{repl});
		open my $out, ">", $path or die "mutate: cannot write $path\n";
		print $out $src;
		exit 0;
	}
	die "mutate: unknown operation $op\n";
	' "$list" "$@"
}

names=$(mutants names) || exit 2
if [ "${1:-}" = --check ]; then
	mutants check . && echo "mutate: $(echo "$names" | wc -l) mutants, each snippet found once"
	exit
fi
if [ $# -gt 0 ]; then
	for n in "$@"; do
		echo "$names" | grep -q "^$n " || { echo "mutate: no mutant $n in $list" >&2; exit 2; }
	done
fi
parts=$(make -s --no-print-directory --eval 'mutate-parts: ; @echo $(FAST_PARTS)' mutate-parts)
[ -n "$parts" ] || { echo "mutate: no FAST_PARTS in the Makefile" >&2; exit 2; }

rm -rf "$scratch"
mkdir -p "$tree"
git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$tree" || exit 2
errors=$(mutants check "$tree")
[ -z "$errors" ] || echo "$errors"

# run_parts LOG: make test's parts in order (cheapest first), up to the
# first that fails: its name on stdout, nothing when all pass.
run_parts() {
	for p in $parts; do
		(cd "$tree" && timeout -k 10 "$limit" make --no-print-directory test FAST_PARTS="$p") </dev/null >"$1" 2>&1
		rc=$?
		if [ $rc = 124 ] || [ $rc = 137 ]; then
			echo "$p (timed out)"
			return
		elif [ $rc != 0 ]; then
			echo "$p"
			return
		fi
	done
}

build() {
	(cd "$tree" && timeout -k 10 "$limit" make --no-print-directory build/pagerace build/test-unit) </dev/null >"$1" 2>&1
}

echo "mutate: parts $parts; baseline first"
if ! build "$scratch/log" || [ -n "$(run_parts "$scratch/log")" ]; then
	tail -20 "$scratch/log"
	echo "mutate: make test fails on the unmutated tree; nothing to measure"
	exit 2
fi

killed=0 survived=0 equivalent=0 uncompiled=0 nerrors=0 survivors=
[ -z "$errors" ] || nerrors=$(echo "$errors" | wc -l)
echo "$names" >"$scratch/names"
while read -r name file; do
	if [ $# -gt 0 ] && ! echo " $* " | grep -q " $name "; then
		continue
	fi
	if echo "$errors" | grep -q "^error $name:"; then
		continue
	fi
	cp -p "$tree/$file" "$scratch/orig"
	mutants apply "$tree" "$name" </dev/null || { nerrors=$((nerrors + 1)); continue; }
	equiv=$(mutants equivalent "$name")
	if ! build "$scratch/log"; then
		echo "does not compile $name: $(grep -m1 'error' "$scratch/log")"
		uncompiled=$((uncompiled + 1))
	else
		by=$(run_parts "$scratch/log")
		if [ -n "$by" ]; then
			echo "killed $name (by $by)"
			killed=$((killed + 1))
			[ -z "$equiv" ] || echo "  marked equivalent, yet killed: its reason is wrong"
		elif [ -n "$equiv" ]; then
			echo "equivalent $name: $equiv"
			equivalent=$((equivalent + 1))
		else
			echo "SURVIVED $name: $(mutants intent "$name")"
			survived=$((survived + 1))
			survivors="$survivors $name"
		fi
	fi
	cp "$scratch/orig" "$tree/$file" # a new mtime: the next build sees it
done <"$scratch/names"

scored=$((killed + survived))
echo "mutate: $killed killed, $survived survived, $equivalent equivalent, $uncompiled do not compile," \
	"$nerrors errors"
[ $scored = 0 ] || echo "mutate: score $killed/$scored = $((100 * killed / scored))%"
[ -z "$survivors" ] || echo "surviving:$survivors"
echo "mutate: $(($(date +%s) - start)) s"
[ $survived = 0 ] && [ $nerrors = 0 ]
