#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# ocivet reads archives with libarchive; docker, containerd, skopeo and
# podman read them with Go's archive/tar. Whenever ocivet accepts an
# archive, both must see the same regular files and symbolic links with
# the same names and sizes (issue 8 item 1). This test lists archives as
# ocivet's reader sees them (`ovtar --list`) and as Go's archive/tar does
# (tests/tools/tarlist.go, built here with Debian's golang-go), and, as a
# third reader, GNU tar, and requires the lists to be equal:
#
#  - archives written by the real tools operators have, from the signed
#    layout layouts/jws plus a long nested name (GNU tar in its gnu,
#    oldgnu, posix, ustar and pax formats, gzip and zstd; bsdtar in pax,
#    ustar and gnutar formats; skopeo's oci-archive), each of which ocivet
#    must also accept;
#  - every committed archive fixture under testdata/ that ocivet accepts.
#
# The archives ocivet refuses because the readers could disagree are
# the "tar-" rows of testdata/adversarial/cases.tsv.
#
#   OVTAR=tests/tools/ovtar OV_TESTDATA=testdata OV_SRCDIR=. tests/tar-agreement.sh
#
# Exit 77 (skip) without go; tools other than go and GNU tar are used when
# present.
set -u

: "${OVTAR:?}" "${OV_TESTDATA:?}" "${OV_SRCDIR:?}"
OV_SRCDIR=$(cd "$OV_SRCDIR" && pwd)
command -v go >/dev/null 2>&1 || { echo "tar-agreement: no go (golang-go): skipped"; exit 77; }
scratch=$(mktemp -d)
trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT

# Go's reader, built offline into the scratch directory
(cd "$scratch" && GOCACHE=$scratch/gocache GOPATH=$scratch/gopath GOFLAGS= \
    GO111MODULE=off go build -o tarlist "$OV_SRCDIR/tests/tools/tarlist.go") ||
	{ echo "tar-agreement: cannot build tests/tools/tarlist.go" >&2; exit 1; }
TARLIST=$scratch/tarlist

n=0 same=0 fail=0
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# GNU tar's listing in the same form: "SIZE NAME", "-> TARGET NAME"
gnu_list() {
	LC_ALL=C tar --quoting-style=literal -tvf "$1" | awk '
		{ name = $0; for (i = 1; i <= 5; i++) sub(/^[^ ]+ +/, "", name) }
		/^-/ { sub(/^\.\//, "", name); print $3, name }
		/^l/ { split(name, p, / -> /); sub(/^\.\//, "", p[1]); print "->", p[2], p[1] }'
}

# compare ARCHIVE REQUIRE: REQUIRE=1 when ocivet must accept it
compare() {
	n=$((n + 1))
	plain=$1
	if ! "$OVTAR" --list "$1" >"$scratch/ov.raw" 2>"$scratch/err"; then
		if [ "$2" = 1 ]; then
			bad "$1: ocivet refuses an archive written by a real tool: $(cat "$scratch/err")"
		fi
		return 0
	fi
	sort "$scratch/ov.raw" >"$scratch/ov"
	case $1 in
	*.zst)
		command -v zstd >/dev/null 2>&1 || return 0
		zstd -qdc "$1" >"$scratch/plain.tar" || { bad "$1: zstd -d"; return 0; }
		plain=$scratch/plain.tar ;;
	esac
	if ! "$TARLIST" "$plain" >"$scratch/go.raw" 2>"$scratch/err"; then
		bad "$1: ocivet accepts it, Go's archive/tar refuses it: $(cat "$scratch/err")"
		return 0
	fi
	sort "$scratch/go.raw" >"$scratch/go"
	if ! cmp -s "$scratch/ov" "$scratch/go"; then
		bad "$1: ocivet and Go's archive/tar see different entries:"
		diff "$scratch/ov" "$scratch/go" | sed 's/^/    /'
		return 0
	fi
	# links: GNU tar prints targets as written, Go's as resolved
	gnu_list "$plain" 2>/dev/null | grep -v '^-> ' | sort >"$scratch/gnu"
	grep -v '^-> ' "$scratch/ov" >"$scratch/ov.nolinks"
	if ! cmp -s "$scratch/ov.nolinks" "$scratch/gnu"; then
		bad "$1: ocivet and GNU tar see different entries:"
		diff "$scratch/ov.nolinks" "$scratch/gnu" | sed 's/^/    /'
		return 0
	fi
	[ -s "$scratch/ov" ] || [ "$2" = 0 ] || bad "$1: no entries listed"
	same=$((same + 1))
}

# --- archives written by the real tools -------------------------------------
src=$scratch/layout
cp -R "$OV_TESTDATA/layouts/jws" "$src"
chmod -R u+w "$src"
long=$src/notes/a-directory-name-long-enough-to-need-a-prefix-or-an-extension-header
mkdir -p "$long"
echo "a file name over a hundred bytes" >"$long/and-a-file-name-that-takes-the-whole-path-past-one-hundred-and-fifty-bytes.txt"
out=$scratch/out
mkdir -p "$out"
for fmt in gnu oldgnu posix ustar pax; do
	tar --format=$fmt -C "$src" -cf "$out/gnutar-$fmt.tar" . 2>/dev/null ||
		{ [ $fmt = ustar ] || bad "GNU tar --format=$fmt failed"; }
done
tar -C "$src" -czf "$out/gnutar.tar.gz" .
if command -v zstd >/dev/null 2>&1; then
	tar -C "$src" --zstd -cf "$out/gnutar.tar.zst" .
fi
if command -v bsdtar >/dev/null 2>&1; then
	for fmt in pax ustar gnutar; do
		bsdtar --format $fmt -C "$src" -cf "$out/bsdtar-$fmt.tar" . 2>/dev/null ||
			{ [ $fmt = ustar ] || bad "bsdtar --format $fmt failed"; }
	done
fi
if command -v skopeo >/dev/null 2>&1; then
	skopeo copy -q "oci:$src:v1" "oci-archive:$out/skopeo-oci.tar:v1" 2>"$scratch/err" ||
		bad "skopeo copy to oci-archive failed: $(cat "$scratch/err")"
fi
for f in "$out"/*; do
	[ -f "$f" ] && compare "$f" 1
done

# --- every archive fixture ocivet accepts ------------------------------------
for f in $(find "$OV_TESTDATA" -type f \( -name '*.tar' -o -name '*.tar.gz' \
    -o -name '*.tgz' -o -name '*.tar.zst' \) | LC_ALL=C sort); do
	compare "$f" 0
done

echo "tar-agreement: $n archives, $same accepted and seen alike by ocivet, Go and GNU tar, $fail failed"
[ $fail = 0 ]
