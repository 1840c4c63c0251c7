#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Throughput and peak-memory benchmark of `ocivet verify` on OCI layout
# tarballs (issue 4). Not a test: run it by hand, see bench/README.md.
#
#   bench/run.sh [--sizes 1,4] [--build DIR] [--runs N]
#
# For each size N (GiB) it builds a signed OCI layout of 4*N layers of
# 256 MiB, packs it as .tar (random layers) and as .tar.gz (compressible
# layers), then times, interleaved and from the page cache:
#   .tar     openssl dgst -sha256 FILE        vs  ocivet verify --quiet FILE
#   .tar.gz  zcat FILE | openssl dgst -sha256 vs  ocivet verify --quiet FILE
# and prints the median throughput of each, their ratio and the peak RSS
# of ocivet. Exit 0: every target met; 1: a target missed; 2: a setup
# error or a failed verification.
#
# Targets: ocivet >= 90% of the openssl baseline; peak RSS < 32 MiB.
#
# --build DIR   a build directory holding src/ocivet and tests/tools/ovtool
#               (default: configure and build into the scratch directory)
# --runs N      timed runs of each command (default 3; the median counts)
# BENCH_TMPDIR  where the scratch directory goes (default $TMPDIR or /tmp);
#               it needs about 2.5 GiB per GiB of the largest size
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

sizes=1,4
build=
runs=3
TARGET_PCT=90
TARGET_RSS_KIB=$((32 * 1024))
LAYER=$((256 * 1024 * 1024)) # bytes per layer (ovtool's limit for a file)
AT=2026-01-01T00:00:00Z
T=2025-06-01T00:00:00Z

usage() {
	echo "usage: bench/run.sh [--sizes 1,4] [--build DIR] [--runs N]" >&2
	exit 2
}

die() {
	echo "bench: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--sizes) [ $# -ge 2 ] || usage; sizes=$2; shift 2 ;;
	--sizes=*) sizes=${1#*=}; shift ;;
	--build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
	--build=*) build=${1#*=}; shift ;;
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
	--runs=*) runs=${1#*=}; shift ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
sizes=$(echo "$sizes" | tr ',' ' ')
for n in $sizes; do
	case $n in '' | *[!0-9]* | 0) die "--sizes: whole GiB counts, like 1,4" ;; esac
done
case $runs in '' | *[!0-9]* | 0) die "--runs: a positive count" ;; esac

# ---------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------
for t in openssl gzip zcat tar awk; do
	command -v "$t" >/dev/null || die "$t not found"
done
date +%N | grep -q '^[0-9]' || die "date +%N (GNU coreutils) is needed"
gnutime=
if [ -x /usr/bin/time ] && /usr/bin/time --version 2>&1 | grep -q GNU; then
	gnutime=/usr/bin/time
else
	echo "bench: GNU time not found (Debian/Ubuntu: apt-get install time);" \
	    "peak RSS is polled from /proc/PID/status (VmHWM) instead" >&2
	[ -r /proc/self/status ] || die "neither GNU time nor /proc"
fi
pigz=$(command -v pigz || true)
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

start=$(date +%s%N)
maxsize=0
for n in $sizes; do [ "$n" -gt "$maxsize" ] && maxsize=$n; done

base=${BENCH_TMPDIR:-${TMPDIR:-/tmp}}
work=$(mktemp -d "$base/ocivet-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
# layout + tarball of one format at a time, plus the build and slack
need_kib=$(((maxsize * 5 / 2 + 1) * 1024 * 1024))
free_kib=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
[ "$free_kib" -ge "$need_kib" ] ||
	die "$work: $((free_kib / 1024)) MiB free, about $((need_kib / 1024)) MiB needed (set BENCH_TMPDIR)"

if [ -z "$build" ]; then
	build=$work/build
	mkdir "$build"
	echo "bench: building ocivet in $build" >&2
	(cd "$build" && "$top/configure" -q && make -j"$ncpu" >make.log 2>&1) ||
		die "build failed (see the output above)"
fi
build=$(cd "$build" && pwd)
ocivet=$build/src/ocivet
ovtool=$build/tests/tools/ovtool
[ -x "$ocivet" ] || die "$ocivet: not built"
[ -x "$ovtool" ] || die "$ovtool: not built"
keys=$top/testdata/keys
config=$top/testdata/config/strict

# ---------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------

# corpus FILE: LAYER bytes of realistic, compressible layer content: a
# tar stream of this machine's /usr (what image layers mostly are:
# ELF binaries, libraries, text), repeated if /usr is smaller.
corpus() {
	# tar's status is ignored: head closes the pipe early, and
	# unreadable files under /usr are skipped
	(cd / && { tar -cf - --sort=name usr/lib usr/share usr/bin \
		2>/dev/null || true; }) | head -c "$LAYER" >"$1"
	have=$(wc -c <"$1")
	[ "$have" -gt $((1024 * 1024)) ] || die "too little data under /usr for the corpus"
	while [ "$have" -lt "$LAYER" ]; do
		head -c $((LAYER - have)) "$1" >>"$1.more"
		cat "$1.more" >>"$1"
		rm -f "$1.more"
		have=$(wc -c <"$1")
	done
}

# put FILE DIR: move FILE into the layout DIR as a blob; prints its
# digest and size
put() {
	hex=$(openssl dgst -sha256 -r "$1" | cut -c1-64)
	case $hex in
	*[!0-9a-f]* | '') hex= ;;
	esac
	[ ${#hex} -eq 64 ] || { echo "bench: openssl dgst -r: unexpected output" >&2; return 1; }
	size=$(wc -c <"$1")
	mv "$1" "$2/blobs/sha256/$hex"
	echo "sha256:$hex $size"
}

# json DIR TEXT: TEXT as a blob of the layout DIR; prints digest, size
json() {
	printf '%s' "$2" >"$1/blobs/sha256/.new"
	put "$1/blobs/sha256/.new" "$1"
}

# layout DIR N KIND: a layout with one image, tagged v1, of 4*N layers
# of LAYER bytes, signed like the fixtures (testdata/mkfixtures.sh,
# sign). KIND random: incompressible layers; corpus: the corpus, each
# layer made distinct by its first line.
#
# The layer blobs are written in place and the config, manifest and
# index.json are written here, the same JSON as `ovtool image` writes:
# ovtool reads each layer into memory and copies it twice, which costs
# more than the whole measurement. ovtool signs and attaches.
layout() {
	dir=$1 n=$2 kind=$3
	"$ovtool" init "$dir"
	new=$dir/blobs/sha256/.new
	layers=
	diffs=
	i=1
	while [ "$i" -le $((4 * n)) ]; do
		if [ "$kind" = random ]; then
			openssl rand -out "$new" "$LAYER"
		else
			hdr=$(printf 'ocivet bench layer %06d\n' "$i")
			{
				printf '%s\n' "$hdr"
				head -c $((LAYER - ${#hdr} - 1)) "$work/corpus"
			} >"$new"
		fi
		# shellcheck disable=SC2046 # "DIGEST SIZE" split on purpose
		set -- $(put "$new" "$dir")
		[ $# -eq 2 ] || die "cannot add a layer to $dir"
		layers="$layers${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"$1\",\"size\":$2}"
		diffs="$diffs${diffs:+,}\"$1\""
		i=$((i + 1))
	done
	# shellcheck disable=SC2046
	set -- $(json "$dir" "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[$diffs]}}")
	# shellcheck disable=SC2046
	set -- $(json "$dir" "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$1\",\"size\":$2},\"layers\":[$layers]}")
	[ $# -eq 2 ] || die "cannot write the manifest of $dir"
	digest=$1
	printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$1\",\"size\":$2,\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}" >"$dir/index.json"
	"$ovtool" envelope --layout "$dir" --target "$digest" \
		--key "$keys/signer.key" --chain "$keys/signer.chain.pem" \
		--format jws --signing-time "$T" --agent "ocivet-bench/1" \
		-o "$work/env"
	"$ovtool" attach "$dir" --target "$digest" --envelope "$work/env" \
		--format jws --created "$T" >/dev/null
}

# gz TAR OUT: gzip -1 of TAR. pigz if installed; otherwise one gzip
# process per core on consecutive slices, concatenated: a multi-member
# gzip file (RFC 1952, 2.2) that zcat and libarchive read as one stream.
gz() {
	if [ -n "$pigz" ]; then
		"$pigz" -1 -c "$1" >"$2"
		return
	fi
	total=$(wc -c <"$1")
	slice=$(((total + ncpu - 1) / ncpu))
	j=0
	pids=
	while [ $((j * slice)) -lt "$total" ]; do
		if [ "$j" -eq 0 ]; then
			head -c "$slice" "$1" | gzip -1 >"$2.part$j" &
		elif [ $(((j + 1) * slice)) -ge "$total" ]; then
			tail -c +$((j * slice + 1)) "$1" | gzip -1 >"$2.part$j" &
		else
			tail -c +$((j * slice + 1)) "$1" | head -c "$slice" |
				gzip -1 >"$2.part$j" &
		fi
		pids="$pids $!"
		j=$((j + 1))
	done
	for p in $pids; do wait "$p" || die "gzip failed"; done
	k=0
	: >"$2"
	while [ "$k" -lt "$j" ]; do
		cat "$2.part$k" >>"$2"
		rm -f "$2.part$k"
		k=$((k + 1))
	done
}

# ---------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------

now() { date +%s%N; }

# note MSG: progress on stderr, with the seconds since the start
note() { echo "bench: [$((($(now) - start) / 1000000000))s] $*" >&2; }

# measure OUTFILE CMD...: run CMD (stdout discarded, stderr kept in
# $work/err); appends "wall_ns rss_kib" to OUTFILE; returns its status
measure() {
	out=$1
	shift
	if [ -n "$gnutime" ]; then
		t0=$(now)
		st=0
		"$gnutime" -f %M -o "$work/rss" "$@" >/dev/null 2>"$work/err" || st=$?
		t1=$(now)
		rss=$(tail -n 1 "$work/rss")
	else
		t0=$(now)
		st=0
		"$@" >/dev/null 2>"$work/err" || st=$?
		t1=$(now)
		rss=0
	fi
	echo "$((t1 - t0)) $rss" >>"$out"
	return "$st"
}

# poll_rss CMD...: peak RSS (KiB) from VmHWM, polled; without GNU time
poll_rss() {
	"$@" >/dev/null 2>"$work/err" &
	pid=$!
	peak=0
	while kill -0 "$pid" 2>/dev/null; do
		v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
		[ -n "$v" ] && [ "$v" -gt "$peak" ] && peak=$v
		sleep 0.01
	done
	wait "$pid" || return 1
	echo "$peak"
}

median_ns() { awk '{ print $1 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
max_rss() { awk '$2 > m { m = $2 } END { print m + 0 }' "$1"; }

failed=0
results=$work/results
: >"$results"

# bench_file N FORMAT FILE DATABYTES: time the baseline and ocivet
bench_file() {
	n=$1 fmt=$2 f=$3 bytes=$4
	note "${n} GiB $fmt: $(wc -c <"$f") bytes; warming the cache, then timing"
	cat "$f" >/dev/null
	rm -f "$work/t.base" "$work/t.ov"
	r=1
	while [ "$r" -le "$runs" ]; do
		if [ "$fmt" = tar ]; then
			measure "$work/t.base" openssl dgst -sha256 "$f" ||
				die "openssl dgst failed: $(cat "$work/err")"
		else
			# shellcheck disable=SC2016 # $1 is the inner shell's
			measure "$work/t.base" sh -c 'zcat "$1" | openssl dgst -sha256' sh "$f" ||
				die "zcat | openssl dgst failed: $(cat "$work/err")"
		fi
		if ! measure "$work/t.ov" "$ocivet" verify --quiet --at "$AT" \
			--config "$config" "$f"; then
			echo "bench: ocivet verify $f failed:" >&2
			cat "$work/err" >&2
			exit 2
		fi
		r=$((r + 1))
	done
	if [ -n "$gnutime" ]; then
		rss=$(max_rss "$work/t.ov")
	else
		rss=$(poll_rss "$ocivet" verify --quiet --at "$AT" --config "$config" "$f") ||
			die "ocivet verify $f failed: $(cat "$work/err")"
	fi
	echo "$n $fmt $bytes $(median_ns "$work/t.base") $(median_ns "$work/t.ov") $rss" >>"$results"
}

# ---------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "ocivet bench $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: ${cpu:-unknown CPU}, $ncpu cores, $(uname -sr)"
echo "openssl: $(openssl version)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "runs: $runs per command, interleaved, median; MB = 10^6 bytes"

for n in $sizes; do
	note "${n} GiB: building the .tar inputs"
	layout "$work/lay" "$n" random
	tar -cf "$work/img.tar" -C "$work/lay" .
	rm -rf "$work/lay"
	bench_file "$n" tar "$work/img.tar" "$(wc -c <"$work/img.tar")"
	rm -f "$work/img.tar"

	note "${n} GiB: building the .tar.gz inputs"
	[ -f "$work/corpus" ] || corpus "$work/corpus"
	layout "$work/lay" "$n" corpus
	tar -cf "$work/img.tar" -C "$work/lay" .
	rm -rf "$work/lay"
	raw=$(wc -c <"$work/img.tar")
	gz "$work/img.tar" "$work/img.tar.gz"
	rm -f "$work/img.tar"
	bench_file "$n" tar.gz "$work/img.tar.gz" "$raw"
	echo "$n $(wc -c <"$work/img.tar.gz")" >>"$work/gzsizes"
	rm -f "$work/img.tar.gz"
done

echo
printf '%-6s %-7s %13s %13s %8s %9s  %s\n' size format "openssl MB/s" "ocivet MB/s" ratio "RSS MiB" result
while read -r n fmt bytes tb to rss; do
	line=$(awk -v b="$bytes" -v tb="$tb" -v to="$to" -v rss="$rss" \
		-v pct="$TARGET_PCT" -v maxrss="$TARGET_RSS_KIB" 'BEGIN {
		mb = b * 1000 / tb; mo = b * 1000 / to; ratio = 100 * tb / to
		ok = ratio >= pct && rss < maxrss
		printf "%13.0f %13.0f %7.1f%% %9.1f  %s\n", mb, mo, ratio, rss / 1024, ok ? "ok" : "MISSED"
	}')
	printf '%-6s %-7s %s\n' "${n}GiB" "$fmt" "$line"
	case $line in *MISSED) failed=1 ;; esac
done <"$results"
echo
echo "baseline: .tar openssl dgst -sha256 FILE; .tar.gz zcat FILE | openssl dgst -sha256"
echo "MB/s over the uncompressed tar bytes; ratio = ocivet / baseline throughput"
echo "targets: ratio >= ${TARGET_PCT}%, peak RSS < $((TARGET_RSS_KIB / 1024)) MiB"
if [ -f "$work/gzsizes" ]; then
	while read -r n gzb; do
		awk -v n="$n" -v g="$gzb" -v raw="$(awk -v n="$n" '$1 == n && $2 == "tar.gz" { print $3 }' "$results")" \
			'BEGIN { printf "%s GiB .tar.gz: %d bytes, %.2fx smaller than its tar\n", n, g, raw / g }'
	done <"$work/gzsizes"
fi
echo "gzip: $([ -n "$pigz" ] && echo "pigz -1" || echo "gzip -1, $ncpu members in parallel")"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "total time: $((($(now) - start) / 1000000000)) s"
if [ "$failed" -ne 0 ]; then
	echo "bench: a target was missed" >&2
	exit 1
fi
exit 0
