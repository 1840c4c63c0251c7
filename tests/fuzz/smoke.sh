#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# make fuzz-smoke: run each libFuzzer target named on the command line for
# FUZZ_SECONDS, one after the other, from the current (build) directory.
# Each run starts from a scratch copy of testdata/fuzz/<target>/ (the
# committed corpus is never written) with the target's dictionary, and
# prints the executions and crashes libFuzzer reports. Crashing inputs are
# kept in tests/fuzz/artifacts/<target>/. Exit 1 when any target crashed,
# leaked, timed out or ran out of memory.
#
# Environment: FUZZ_SECONDS (default 30), FUZZ_CORPORA (testdata/fuzz),
# FUZZ_DICTS (the directory of the .dict files), FUZZ_ARGS (extra
# libFuzzer options).
set -u

seconds=${FUZZ_SECONDS:-30}
corpora=${FUZZ_CORPORA:?FUZZ_CORPORA is not set}
dicts=${FUZZ_DICTS:?FUZZ_DICTS is not set}

# Largest input per target: a little above the largest seed, so that runs
# stay fast while the mutations can still grow an input.
max_len() {
	case $1 in
	digest|dn|source_spec) echo 1024 ;;
	descriptor|payload) echo 4096 ;;
	layout|archive) echo 65536 ;;
	bolt) echo 81920 ;;
	*) echo 16384 ;;
	esac
}

# Dictionaries per target (concatenated when more than one).
dict_files() {
	case $1 in
	json|manifest|descriptor|payload|layout|digest|source_spec|tbundle)
		echo oci.dict ;;
	jws) echo oci.dict jws.dict ;;
	cose) echo cose.dict ;;
	verify) echo jws.dict cose.dict ;;
	policy) echo policy.dict dn.dict ;;
	dn) echo dn.dict ;;
	x509) echo x509.dict dn.dict ;;
	tsa|crl) echo x509.dict ;;
	archive) echo tar.dict oci.dict ;;
	bolt) echo bolt.dict ;;
	*) ;;
	esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/ocivet-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
rm -rf tests/fuzz/artifacts

failed=
total=0
for t in "$@"; do
	bin=tests/fuzz/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "fuzz-smoke: $bin is not built" >&2
		failed="$failed $t"
		continue
	fi
	mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
	if [ -d "$corpora/$t" ]; then
		cp "$corpora/$t"/* "$work/$t/corpus/" 2>/dev/null
	fi
	: >"$work/$t/dict"
	for d in $(dict_files "$t"); do
		cat "$dicts/$d" >>"$work/$t/dict"
	done
	dictopt=
	[ -s "$work/$t/dict" ] && dictopt="-dict=$work/$t/dict"
	# shellcheck disable=SC2086 # FUZZ_ARGS and dictopt are word lists
	"$bin" -max_total_time="$seconds" -max_len="$(max_len "$t")" \
	    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$work/$t/artifacts/" $dictopt ${FUZZ_ARGS:-} \
	    "$work/$t/corpus" >"$work/$t/log" 2>&1
	status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" |
	    tail -n 1)
	crashes=$(find "$work/$t/artifacts" -type f | wc -l | tr -d ' ')
	if [ "$status" != 0 ] && [ "$crashes" = 0 ]; then
		crashes=1 # died without leaving an input (e.g. in setup)
	fi
	printf 'fuzz-smoke: %-12s %10s executions, %s crashes\n' "$t" \
	    "${execs:-?}" "$crashes"
	total=$((total + ${execs:-0}))
	if [ "$crashes" != 0 ]; then
		failed="$failed $t"
		mkdir -p "tests/fuzz/artifacts/$t"
		cp "$work/$t/artifacts"/* "tests/fuzz/artifacts/$t/" 2>/dev/null
		cp "$work/$t/log" "tests/fuzz/artifacts/$t/fuzz.log"
		echo "fuzz-smoke: $t: libFuzzer output (end):" >&2
		tail -n 60 "$work/$t/log" >&2
		echo "fuzz-smoke: $t: inputs and log kept in tests/fuzz/artifacts/$t/" >&2
	fi
done

echo "fuzz-smoke: $total executions in total"
if [ -n "$failed" ]; then
	echo "fuzz-smoke: FAILED:$failed" >&2
	exit 1
fi
exit 0
