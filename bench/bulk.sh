#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Bulk verification benchmark (issue 11): L layouts of I small signed
# images each (default 100 x 10 = 1,000 images), verified
#   - in one call: ocivet verify --recursive DIR --jobs 1, then --jobs 2
#   - one process per image: ocivet verify LAYOUT:TAG, 1,000 times
# and the images per second of each (median of --runs, default 3). Not a
# test: run it by hand (see bench/README.md). Needs a built tree.
#
#   bench/bulk.sh [--layouts L] [--images I] [--runs N] [--build DIR]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
layouts=100
images=10
runs=3
build=$top
AT=2026-01-01T00:00:00Z
T=2025-06-01T00:00:00Z

while [ $# -gt 0 ]; do
	case $1 in
	--layouts) layouts=$2; shift 2 ;;
	--images) images=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	*) echo "usage: bench/bulk.sh [--layouts L] [--images I] [--runs N] [--build DIR]" >&2; exit 2 ;;
	esac
done
ocivet=$build/src/ocivet
ovtool=$build/tests/tools/ovtool
[ -x "$ocivet" ] && [ -x "$ovtool" ] || { echo "bench: build first" >&2; exit 2; }
td=$top/testdata
work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/ocivet-bulk.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "bench: building $layouts layouts of $images signed images" >&2
printf 'shared layer\n' >"$work/shared"
l=0
while [ $l -lt $layouts ]; do
	dir=$work/mirror/repo$l
	"$ovtool" init "$dir"
	i=0
	while [ $i -lt $images ]; do
		printf 'image %d of %d\n' $i $l >"$work/own"
		d=$("$ovtool" image "$dir" --tag "v$i" \
			--name "registry.example/repo$l:v$i" \
			--layer "$work/shared" --layer "$work/own" | awk '{print $2}')
		"$ovtool" envelope --layout "$dir" --target "$d" \
			--key "$td/keys/signer.key" --chain "$td/keys/signer.chain.pem" \
			--format jws --signing-time "$T" -o "$work/env"
		"$ovtool" attach "$dir" --target "$d" --envelope "$work/env" \
			--format jws --created "$T" >/dev/null
		i=$((i + 1))
	done
	l=$((l + 1))
done
n=$((layouts * images))
cfg="--at $AT --config $td/config/strict --quiet"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one_call() {
	t0=$(now)
	# shellcheck disable=SC2086
	"$ocivet" verify $cfg --jobs "$1" --recursive "$work/mirror" \
		--format jsonl -o "$work/report.jsonl"
	t1=$(now)
	tail -n 1 "$work/report.jsonl" | grep -q "\"verified\":$n," ||
		{ echo "bench: not every image verified" >&2; exit 2; }
	echo "$t1 - $t0" | bc -l
}

per_image() {
	t0=$(now)
	l=0
	while [ $l -lt $layouts ]; do
		i=0
		while [ $i -lt $images ]; do
			# shellcheck disable=SC2086
			"$ocivet" verify $cfg "$work/mirror/repo$l:v$i" >/dev/null
			i=$((i + 1))
		done
		l=$((l + 1))
	done
	t1=$(now)
	echo "$t1 - $t0" | bc -l
}

printf '%-34s %10s %12s\n' "$n images, $layouts layouts" "seconds" "images/s"
for what in "one call, --jobs 1" "one call, --jobs 2" "one process per image"; do
	r=0
	: >"$work/times"
	while [ $r -lt "$runs" ]; do
		case $what in
		*"--jobs 1") one_call 1 ;;
		*"--jobs 2") one_call 2 ;;
		*) per_image ;;
		esac >>"$work/times"
		r=$((r + 1))
	done
	s=$(median <"$work/times")
	printf '%-34s %10.2f %12.0f\n' "$what" "$s" "$(echo "$n / $s" | bc -l)"
done
