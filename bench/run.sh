#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The `make bench` table (issue 9, item 5). Not a test: run it by hand,
# see bench/README.md. Every row is ocivet's figure and a reference's,
# measured in the same run, interleaved, on the same bytes, generated in
# a scratch directory that is deleted on exit:
#
#   cold verify of a small signed layout   /bin/true, $NOTATION verify,
#                                          callgrind instructions, and
#                                          the OpenSSL floor (floor.c)
#   layout directory, --jobs 1 / 2         openssl dgst -sha256 BLOBS
#   .tar / .tar.gz / .tar.zst              openssl dgst -sha256 <x.tar,
#                                          zcat|, igzip -dc|, zstdcat|openssl
#   --deep on each                         ocivet's plain verify (+ zcat)
#   N small images in one call             N `ocivet verify` processes
#
# and the peak RSS of each side (GNU time). Output: one Markdown table on
# stdout (and in $BENCH_OUT when set); progress on stderr. The ratio is
# ocivet's figure over the reference's: below 1, ocivet is faster
# (smaller). Exit 0 (1 with BENCH_STRICT=1 when a target is missed);
# 2: a set-up error or a failed verification.
#
#   bench/run.sh [--build DIR]
#
# Environment (defaults in brackets):
#   BENCH_MIB        MiB of layer data per input [256]; 1024 and 4096 are
#                    the issue's 1 GiB / 4 GiB settings
#   BENCH_LAYERS     layers per image [4]
#   BENCH_IMAGES     small signed images for the bulk rows [1000]
#   BENCH_RUNS       timed runs of each long command; median [3]
#   BENCH_COLD_RUNS  runs of each cold-start command; median [30]
#   BENCH_JOBS       --jobs of the archive and --deep rows [CPUs]
#   BENCH_OUT        also write the table to this file
#   BENCH_TMPDIR     where the scratch directory goes [$TMPDIR or /tmp]
#   BENCH_STRICT     1: exit 1 when a target is missed
#   NOTATION         a notation binary: adds the notation cold row
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

build=
AT=2026-01-01T00:00:00Z
T=2025-06-01T00:00:00Z
MAX_RSS_KIB=$((32 * 1024))

usage() {
	echo "usage: bench/run.sh [--build DIR]  (sizes: BENCH_* variables, see bench/README.md)" >&2
	exit 2
}

die() {
	echo "bench: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
	--build=*) build=${1#*=}; shift ;;
	*) usage ;;
	esac
done

ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
mib=${BENCH_MIB:-256}
nlayers=${BENCH_LAYERS:-4}
nimages=${BENCH_IMAGES:-1000}
runs=${BENCH_RUNS:-3}
cold_runs=${BENCH_COLD_RUNS:-30}
jobs=${BENCH_JOBS:-$ncpu}
# count NAME VALUE: VALUE must be a positive count
count() {
	case $2 in '' | *[!0-9]* | 0) die "$1: a positive count, not '$2'" ;; esac
}
count BENCH_MIB "$mib"
count BENCH_LAYERS "$nlayers"
count BENCH_IMAGES "$nimages"
count BENCH_RUNS "$runs"
count BENCH_COLD_RUNS "$cold_runs"
count BENCH_JOBS "$jobs"
LAYER=$((mib * 1024 * 1024 / nlayers))
[ "$LAYER" -ge $((1024 * 1024)) ] || die "BENCH_MIB / BENCH_LAYERS: layers of at least 1 MiB"

# ---------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------
for t in openssl gzip zcat tar awk sort; do
	command -v "$t" >/dev/null || die "$t not found"
done
date +%N | grep -q '^[0-9]' || die "date +%N (GNU coreutils) is needed"
gnutime=
if [ -x /usr/bin/time ] && /usr/bin/time --version 2>&1 | grep -q GNU; then
	gnutime=/usr/bin/time
else
	echo "bench: GNU time not found (apt-get install time): no peak RSS" >&2
fi
have() { command -v "$1" >/dev/null 2>&1; }
hyperfine=$(command -v hyperfine || true)
pigz=$(command -v pigz || true)
notation=
if [ -n "${NOTATION:-}" ]; then
	notation=$(command -v "$NOTATION" || true)
	[ -n "$notation" ] || die "NOTATION=$NOTATION: not found"
fi

start=$(date +%s%N)
base=${BENCH_TMPDIR:-${TMPDIR:-/tmp}}
work=$(mktemp -d "$base/ocivet-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
case $work$top in *[[:space:]]*) die "paths with white space are not supported: $work $top" ;; esac
# at most: the compressible layout and its .tar, or the .tar and its
# .tar.gz, plus one corpus layer and slack
need_kib=$(((mib * 5 / 2 + 256) * 1024))
free_kib=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
[ "$free_kib" -ge "$need_kib" ] ||
	die "$work: $((free_kib / 1024)) MiB free, about $((need_kib / 1024)) MiB needed (set BENCH_TMPDIR)"

if [ -z "$build" ]; then
	if [ -x "$top/src/ocivet" ] && [ -x "$top/tests/tools/ovtool" ]; then
		build=$top
	else
		build=$work/build
		mkdir "$build"
		echo "bench: building ocivet in $build" >&2
		(cd "$build" && "$top/configure" -q && make -j"$ncpu" >make.log 2>&1) ||
			die "build failed (see the output above)"
	fi
fi
build=$(cd "$build" && pwd)
ocivet=$build/src/ocivet
ovtool=$build/tests/tools/ovtool
[ -x "$ocivet" ] || die "$ocivet: not built"
[ -x "$ovtool" ] || die "$ovtool: not built"
keys=$top/testdata/keys
config=$top/testdata/config/strict
ov="$ocivet verify --quiet --at $AT --config $config"

now() { date +%s%N; }
note() { echo "bench: [$((($(now) - start) / 1000000000))s] $*" >&2; }

# ---------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------

# corpus FILE: LAYER bytes of realistic, compressible layer content: a
# tar stream of this machine's /usr (ELF binaries, libraries, text),
# repeated if /usr is smaller.
corpus() {
	(cd / && { tar -cf - --sort=name usr/lib usr/share usr/bin \
		2>/dev/null || true; }) | head -c "$LAYER" >"$1"
	sz=$(wc -c <"$1")
	[ "$sz" -ge $((1024 * 1024)) ] || die "too little data under /usr for the corpus"
	while [ "$sz" -lt "$LAYER" ]; do
		head -c $((LAYER - sz)) "$1" >"$1.more"
		cat "$1.more" >>"$1"
		rm -f "$1.more"
		sz=$(wc -c <"$1")
	done
}

sha() {
	hex=$(openssl dgst -sha256 -r "$1" | cut -c1-64)
	case $hex in *[!0-9a-f]* | '') hex= ;; esac
	[ ${#hex} -eq 64 ] || die "openssl dgst -r: unexpected output"
	echo "$hex"
}

# put FILE DIR: move FILE into the layout DIR as a blob; prints
# "sha256:HEX SIZE"
put() {
	hex=$(sha "$1")
	size=$(wc -c <"$1")
	mv "$1" "$2/blobs/sha256/$hex"
	echo "sha256:$hex $size"
}

# json DIR TEXT: TEXT as a blob of the layout DIR; prints digest, size
json() {
	printf '%s' "$2" >"$1/blobs/sha256/.new"
	put "$1/blobs/sha256/.new" "$1"
}

# layout DIR KIND: a layout with one image, tagged v1, of nlayers
# layers of LAYER bytes, signed like the fixtures (testdata/mkfixtures.sh,
# sign). KIND random: incompressible layers; corpus: the corpus, each
# layer made distinct by its first line; corpus-gz: the same, each
# layer gzip -1 compressed (tar+gzip). The blobs, config, manifest and
# index.json are written here (the JSON `ovtool image` writes; ovtool
# would read each layer into memory); ovtool signs and attaches.
layout() {
	dir=$1 kind=$2
	"$ovtool" init "$dir"
	new=$dir/blobs/sha256/.new
	layers=
	diffs=
	mt=application/vnd.oci.image.layer.v1.tar
	i=1
	while [ "$i" -le "$nlayers" ]; do
		if [ "$kind" = random ]; then
			openssl rand -out "$new" "$LAYER"
		else
			hdr=$(printf 'ocivet bench layer %06d\n' "$i")
			{
				printf '%s\n' "$hdr"
				head -c $((LAYER - ${#hdr} - 1)) "$work/corpus"
			} >"$new"
		fi
		diff=sha256:$(sha "$new")
		if [ "$kind" = corpus-gz ]; then
			gzip -1 -n <"$new" >"$new.gz"
			mv "$new.gz" "$new"
			mt=application/vnd.oci.image.layer.v1.tar+gzip
		fi
		# shellcheck disable=SC2046 # "DIGEST SIZE" split on purpose
		set -- $(put "$new" "$dir")
		[ $# -eq 2 ] || die "cannot add a layer to $dir"
		layers="$layers${layers:+,}{\"mediaType\":\"$mt\",\"digest\":\"$1\",\"size\":$2}"
		diffs="$diffs${diffs:+,}\"$diff\""
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

# layer_blobs DIR: the layer blob paths of DIR's image (the largest
# blobs: the config, manifest and signature are a few hundred bytes)
layer_blobs() {
	find "$1/blobs/sha256" -type f -size +64k | sort | tr '\n' ' '
}

# gz TAR OUT: gzip -1 of TAR; pigz if installed, otherwise one gzip per
# core on consecutive slices, concatenated: a multi-member gzip file
# (RFC 1952, 2.2) that zcat, igzip and libarchive read as one stream
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
		tail -c +$((j * slice + 1)) "$1" | head -c "$slice" |
			gzip -1 >"$2.part$j" &
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

# bulk DIR N: N small signed images, ten per layout (as a mirror holds
# them); writes the list of LAYOUT:TAG sources to DIR.list
bulk() {
	printf 'shared layer\n' >"$work/shared"
	: >"$1.list"
	made=0
	l=0
	while [ "$made" -lt "$2" ]; do
		d=$1/repo$l
		"$ovtool" init "$d"
		i=0
		while [ "$i" -lt 10 ] && [ "$made" -lt "$2" ]; do
			printf 'image %d of %d\n' "$i" "$l" >"$work/own"
			dg=$("$ovtool" image "$d" --tag "v$i" \
				--name "registry.example/repo$l:v$i" \
				--layer "$work/shared" --layer "$work/own" | awk '{ print $2 }')
			"$ovtool" envelope --layout "$d" --target "$dg" \
				--key "$keys/signer.key" --chain "$keys/signer.chain.pem" \
				--format jws --signing-time "$T" -o "$work/env"
			"$ovtool" attach "$d" --target "$dg" --envelope "$work/env" \
				--format jws --created "$T" >/dev/null
			echo "$d:v$i" >>"$1.list"
			i=$((i + 1))
			made=$((made + 1))
		done
		l=$((l + 1))
	done
}

# ---------------------------------------------------------------------
# Measurement. A command is a `sh -c` string stored under a KEY
# (defcmd); group times several KEYs interleaved (one untimed round to
# warm the page cache and check every command exits 0, then BENCH_RUNS
# rounds) and leaves the median wall time in ns in med.KEY and the
# largest peak RSS in KiB in rss.KEY.
# ---------------------------------------------------------------------
defcmd() { printf '%s\n' "$2" >"$work/c.$1"; }

# run1 KEY: one run of KEY's command; appends "ns rss" to t.KEY
run1() {
	k1=$1
	c1=$(cat "$work/c.$k1")
	st=0
	t0=$(now)
	if [ -n "$gnutime" ]; then
		"$gnutime" -f %M -o "$work/rss" sh -c "$c1" >/dev/null 2>"$work/err" || st=$?
	else
		sh -c "$c1" >/dev/null 2>"$work/err" || st=$?
	fi
	t1=$(now)
	[ "$st" -eq 0 ] || {
		echo "bench: $k1: exit status $st from: $c1" >&2
		head -c 4000 "$work/err" >&2
		exit 2
	}
	r1=
	[ -n "$gnutime" ] && r1=$(tail -n 1 "$work/rss")
	echo "$((t1 - t0)) $r1" >>"$work/t.$k1"
}

median_ns() { awk '{ print $1 }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
max_rss() { awk 'NF > 1 && $2 > m { m = $2 } END { if (m > 0) print m }' "$1"; }

group() {
	note "timing: $*"
	for g in "$@"; do run1 "$g"; rm -f "$work/t.$g"; done
	gr=1
	while [ "$gr" -le "$runs" ]; do
		for g in "$@"; do run1 "$g"; done
		gr=$((gr + 1))
	done
	for g in "$@"; do
		median_ns "$work/t.$g" >"$work/med.$g"
		max_rss "$work/t.$g" >"$work/rss.$g"
	done
}

# cold KEY...: the short commands, with hyperfine (-N: no shell, so a
# 1 ms process is not drowned by sh's start) when installed, else the
# interleaved loop with BENCH_COLD_RUNS rounds; peak RSS from one run
# under GNU time
cold() {
	note "timing (cold): $*"
	if [ -n "$hyperfine" ]; then
		set -- "$@"
		hargs=
		for g in "$@"; do
			hargs="$hargs -n $g $(sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/" "$work/c.$g")"
		done
		eval "\"\$hyperfine\" -N --style none --warmup 3 --runs \"\$cold_runs\" \
			--export-csv \"\$work/hf.csv\" $hargs" >"$work/hf.log" 2>&1 || {
			cat "$work/hf.log" >&2
			die "hyperfine failed"
		}
		for g in "$@"; do
			awk -F, -v k="$g" '$1 == k { printf "%.0f\n", $4 * 1e9 }' "$work/hf.csv" >"$work/med.$g"
			rm -f "$work/t.$g"
			run1 "$g"
			max_rss "$work/t.$g" >"$work/rss.$g"
		done
	else
		saved=$runs
		runs=$cold_runs
		group "$@"
		runs=$saved
	fi
}

table=$work/table
: >"$table"
missed=0

fmt_time() { awk -v n="$1" 'BEGIN { if (n < 1e9) printf "%.1f ms", n / 1e6; else printf "%.2f s", n / 1e9 }'; }
fmt_rss() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }' || echo "n/a (no time)"; }

# row WHAT REFERENCE OVKEY REFKEY [TARGET]: a table row from the medians;
# TARGET is the highest ratio that meets the issue's target
row() {
	ovm=$(cat "$work/med.$3") refm=$(cat "$work/med.$4")
	ovr=$(cat "$work/rss.$3") refr=$(cat "$work/rss.$4")
	ratio=$(awk -v a="$ovm" -v b="$refm" 'BEGIN { printf "%.2f", a / b }')
	tcell=
	if [ -n "${5:-}" ]; then
		if awk -v r="$ratio" -v t="$5" -v m="${ovr:-0}" -v x="$MAX_RSS_KIB" \
			'BEGIN { exit !(r <= t && m <= x) }'; then
			tcell="<= $5: ok"
		else
			tcell="<= $5: **missed**"
			missed=1
		fi
	elif [ -n "$ovr" ] && [ "$ovr" -gt "$MAX_RSS_KIB" ]; then
		tcell="RSS: **missed**"
		missed=1
	fi
	printf '%s\n' "| $1 | $2 | $(fmt_time "$ovm") | $(fmt_time "$refm") | $ratio | $(fmt_rss "$ovr") | $(fmt_rss "$refr") | $tcell |" >>"$table"
}

skip() { printf '%s\n' "| $1 | $2 | skipped ($3) | | | | | |" >>"$table"; }

# ---------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# 1. Cold verify of a small signed layout (testdata/layouts/jws: one
# image, one JWS signature, strict policy)
small=$top/testdata/layouts/jws
defcmd cold.ov "$ov $small"
defcmd cold.true /bin/true
keys_cold="cold.ov cold.true"
# the OpenSSL floor: only the OpenSSL calls this verification needs
# shellcheck disable=SC2046
if ${CC:-cc} -O2 -o "$work/floor" "$here/floor.c" \
	$(pkg-config --cflags --libs libcrypto 2>/dev/null || echo -lcrypto) 2>"$work/floor.err"; then
	defcmd cold.floor "$work/floor $keys/signer.chain.pem"
	keys_cold="$keys_cold cold.floor"
else
	floor_err=$(head -n 1 "$work/floor.err")
fi
if [ -n "$notation" ]; then
	# notation reads its trust policy and store from
	# $XDG_CONFIG_HOME/notation: the same directory as ocivet's --config
	mkdir -p "$work/xdg"
	ln -s "$config" "$work/xdg/notation"
	defcmd cold.notation "env XDG_CONFIG_HOME=$work/xdg NOTATION_EXPERIMENTAL=1 $notation verify --oci-layout $small:v1"
	if sh -c "$(cat "$work/c.cold.notation")" >"$work/nout" 2>&1; then
		keys_cold="$keys_cold cold.notation"
	else
		notation_err=$(head -n 1 "$work/nout")
		echo "bench: notation verify failed: $(cat "$work/nout")" >&2
	fi
fi
# shellcheck disable=SC2086
cold $keys_cold
row "cold verify, small signed layout" "\`/bin/true\`" cold.ov cold.true
if [ -n "${floor_err+set}" ]; then
	skip "cold verify, small signed layout" "OpenSSL floor (\`bench/floor.c\`)" "cannot compile: $floor_err"
else
	row "cold verify, small signed layout" "OpenSSL floor (\`bench/floor.c\`)" cold.ov cold.floor
fi
if [ -z "$notation" ]; then
	skip "cold verify, small signed layout" "\`notation verify --oci-layout\`" "no NOTATION"
elif [ -n "${notation_err:-}" ]; then
	skip "cold verify, small signed layout" "\`notation verify --oci-layout\`" "notation failed: $notation_err"
else
	row "cold verify, small signed layout" "\`notation verify --oci-layout\`" cold.ov cold.notation 0.25
fi
if have valgrind; then
	note "callgrind"
	ins() {
		valgrind --tool=callgrind --callgrind-out-file="$work/cg" "$@" >/dev/null 2>"$work/err" ||
			die "valgrind $*: $(cat "$work/err")"
		awk '/^summary:/ { print $2 }' "$work/cg"
	}
	# shellcheck disable=SC2086
	i_ov=$(ins $ov "$small")
	i_true=$(ins /bin/true)
	if awk -v n="$i_ov" 'BEGIN { exit !(n <= 5000000) }'; then t="<= 5 M: ok"; else
		t="<= 5 M: **missed**"
		missed=1
	fi
	echo "| cold verify, instructions (callgrind) | \`/bin/true\` | $(awk -v n="$i_ov" 'BEGIN { printf "%.1f M", n / 1e6 }') | $(awk -v n="$i_true" 'BEGIN { printf "%.2f M", n / 1e6 }') | $(awk -v a="$i_ov" -v b="$i_true" 'BEGIN { printf "%.0f", a / b }') | | | $t |" >>"$table"
	if [ -z "${floor_err+set}" ]; then
		i_floor=$(ins "$work/floor" "$keys/signer.chain.pem")
		echo "| cold verify, instructions (callgrind) | OpenSSL floor (\`bench/floor.c\`) | $(awk -v n="$i_ov" 'BEGIN { printf "%.1f M", n / 1e6 }') | $(awk -v n="$i_floor" 'BEGIN { printf "%.1f M", n / 1e6 }') | $(awk -v a="$i_ov" -v b="$i_floor" 'BEGIN { printf "%.2f", a / b }') | | | |" >>"$table"
	else
		skip "cold verify, instructions (callgrind)" "OpenSSL floor (\`bench/floor.c\`)" "cannot compile: $floor_err"
	fi
else
	skip "cold verify, instructions (callgrind)" "\`/bin/true\`" "no valgrind"
fi

# 2. Layout directory of random layers
note "building a ${mib} MiB layout of $nlayers random layers"
layout "$work/rand" random
blobs=$(layer_blobs "$work/rand")
defcmd dir.ref "openssl dgst -sha256 $blobs"
defcmd dir.j1 "$ov --jobs 1 $work/rand"
defcmd dir.j2 "$ov --jobs 2 $work/rand"
defcmd dir.deep "$ov --jobs 2 --deep $work/rand"
group dir.ref dir.j1 dir.j2 dir.deep
row "directory, \`--jobs 1\`" "\`openssl dgst -sha256\` blobs" dir.j1 dir.ref 1.11
row "directory, \`--jobs 2\`" "\`openssl dgst -sha256\` blobs" dir.j2 dir.ref 0.59
row "directory, \`--jobs 2 --deep\`" "ocivet \`--jobs 2\`" dir.deep dir.j2 1.10
rm -rf "$work/rand"

# 3. Directory of gzip layers, --deep: plain verify plus one decompression
note "building the corpus and a ${mib} MiB layout of gzip layers"
corpus "$work/corpus"
layout "$work/gzdir" corpus-gz
blobs=$(layer_blobs "$work/gzdir")
defcmd gzdir.deep "$ov --jobs $jobs --deep $work/gzdir"
defcmd gzdir.ref "$ov --jobs $jobs $work/gzdir && zcat $blobs >/dev/null"
group gzdir.deep gzdir.ref
row "directory, gzip layers, \`--jobs $jobs --deep\`" "ocivet plain + \`zcat\` layers" gzdir.deep gzdir.ref 1.10
rm -rf "$work/gzdir"

# 4. Archives of one layout of compressible (uncompressed tar) layers
note "building the ${mib} MiB .tar, .tar.gz and .tar.zst"
layout "$work/corp" corpus
rm -f "$work/corpus"
tar -cf "$work/x.tar" -C "$work/corp" .
rm -rf "$work/corp"
defcmd tar.ref "openssl dgst -sha256 <$work/x.tar"
defcmd tar.ov "$ov --jobs $jobs $work/x.tar"
defcmd tar.deep "$ov --jobs $jobs --deep $work/x.tar"
group tar.ref tar.ov tar.deep
row "\`.tar\`" "\`openssl dgst -sha256 <x.tar\`" tar.ov tar.ref 1.11
row "\`.tar\`, \`--deep\`" "ocivet plain" tar.deep tar.ov 1.10

gz "$work/x.tar" "$work/x.tar.gz"
gzratio=$(awk -v a="$(wc -c <"$work/x.tar")" -v b="$(wc -c <"$work/x.tar.gz")" 'BEGIN { printf "%.2f", a / b }')
keys_gz="tgz.zcat tgz.ov tgz.deep"
defcmd tgz.zcat "zcat $work/x.tar.gz | openssl dgst -sha256"
defcmd tgz.ov "$ov --jobs $jobs $work/x.tar.gz"
defcmd tgz.deep "$ov --jobs $jobs --deep $work/x.tar.gz"
if have igzip; then
	defcmd tgz.igzip "igzip -dc $work/x.tar.gz | openssl dgst -sha256"
	keys_gz="$keys_gz tgz.igzip"
fi
# shellcheck disable=SC2086
group $keys_gz
row "\`.tar.gz\`" "\`zcat x.tar.gz \\| openssl dgst -sha256\`" tgz.ov tgz.zcat
if have igzip; then
	row "\`.tar.gz\`" "\`igzip -dc x.tar.gz \\| openssl dgst -sha256\`" tgz.ov tgz.igzip 1.00
else
	skip "\`.tar.gz\`" "\`igzip -dc x.tar.gz \\| openssl dgst -sha256\`" "no igzip"
fi
row "\`.tar.gz\`, \`--deep\`" "ocivet plain" tgz.deep tgz.ov 1.10
rm -f "$work/x.tar.gz"

if have zstd && have zstdcat; then
	zstd -q -3 -T0 "$work/x.tar" -o "$work/x.tar.zst"
	zstratio=$(awk -v a="$(wc -c <"$work/x.tar")" -v b="$(wc -c <"$work/x.tar.zst")" 'BEGIN { printf "%.2f", a / b }')
	defcmd tzst.ref "zstdcat $work/x.tar.zst | openssl dgst -sha256"
	defcmd tzst.ov "$ov --jobs $jobs $work/x.tar.zst"
	defcmd tzst.deep "$ov --jobs $jobs --deep $work/x.tar.zst"
	group tzst.ref tzst.ov tzst.deep
	row "\`.tar.zst\`" "\`zstdcat x.tar.zst \\| openssl dgst -sha256\`" tzst.ov tzst.ref 1.00
	row "\`.tar.zst\`, \`--deep\`" "ocivet plain" tzst.deep tzst.ov 1.10
	rm -f "$work/x.tar.zst"
else
	skip "\`.tar.zst\`" "\`zstdcat x.tar.zst \\| openssl dgst -sha256\`" "no zstd"
	skip "\`.tar.zst\`, \`--deep\`" "ocivet plain" "no zstd"
fi
rm -f "$work/x.tar"

# 5. Small images: one call against one process per image
note "building $nimages small signed images"
bulk "$work/mirror" "$nimages"
defcmd bulk.j1 "$ov --jobs 1 --recursive $work/mirror"
defcmd bulk.j2 "$ov --jobs 2 --recursive $work/mirror"
defcmd bulk.ref "while read -r s; do $ov \"\$s\" || exit 1; done <$work/mirror.list"
group bulk.j1 bulk.j2 bulk.ref
row "$nimages small images, one call, \`--jobs 1\`" "one \`ocivet verify\` per image" bulk.j1 bulk.ref 0.20
row "$nimages small images, one call, \`--jobs 2\`" "one \`ocivet verify\` per image" bulk.j2 bulk.ref 0.20

# ---------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------
{
	echo "ocivet bench, $(date -u +%Y-%m-%dT%H:%M:%SZ): ${cpu:-unknown CPU}, $ncpu CPUs, $(uname -sr)," \
		"$(openssl version | cut -d' ' -f1-2), $("$ocivet" --version 2>/dev/null | head -n 1)"
	echo
	echo "BENCH_MIB=$mib ($nlayers layers of $((LAYER / 1048576)) MiB), BENCH_IMAGES=$nimages," \
		"BENCH_RUNS=$runs, BENCH_COLD_RUNS=$cold_runs$([ -n "$hyperfine" ] && echo " (hyperfine)"), BENCH_JOBS=$jobs;" \
		".tar.gz $gzratio× smaller than the .tar$([ -n "${zstratio:-}" ] && echo ", .tar.zst $zstratio×");" \
		"load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') at the end"
	echo
	echo "| what ocivet does | reference | ocivet | reference | ocivet / reference | ocivet RSS | reference RSS | target |"
	echo "|---|---|--:|--:|--:|--:|--:|---|"
	cat "$table"
	echo
	echo "Median wall time (instructions for callgrind); ratio = ocivet / reference, below 1 is faster;" \
		"peak RSS is the largest of any run (for a pipeline or loop, its largest process);" \
		"every target also needs ocivet's RSS <= 32 MiB."
} >"$work/out.md"
cat "$work/out.md"
[ -z "${BENCH_OUT:-}" ] || cp "$work/out.md" "$BENCH_OUT"
note "done"
if [ "$missed" -ne 0 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	echo "bench: a target was missed" >&2
	exit 1
fi
exit 0
