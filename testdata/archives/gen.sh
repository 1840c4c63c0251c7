#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates the archive fixtures (testdata/archives/*): OCI layouts as
# .tar, .tar.gz and .tar.zst, docker save archives in the classic and the
# Docker 25+ format, and archives that break one safety rule each (see
# README.md). Only POSIX tools plus GNU tar, gzip, zstd and zip; headers
# that no tool writes are patched with dd (ustar checksums recomputed).
#
#   OVTOOL=/path/to/build/tests/tools/ovtool sh testdata/archives/gen.sh
#
# The "layout" image is signed with testdata/keys/signer (jws, at
# 2025-06-01T00:00:00Z), so run this after testdata/mkfixtures.sh has
# made the keys; everything else is byte-for-byte reproducible.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${OVTOOL:?set OVTOOL to the built tests/tools/ovtool}"
for t in tar gzip zstd zip sha256sum od dd awk; do
	command -v $t >/dev/null || { echo "gen.sh: $t not found" >&2; exit 1; }
done
tar --version | grep -q 'GNU tar' || { echo "gen.sh: GNU tar needed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$here
rm -f "$out"/*.tar "$out"/*.tar.gz "$out"/*.tar.zst "$out"/*.gz "$out"/*.zip \
	"$out"/*.bin "$out"/*.gz.gz
T=2025-06-01T00:00:00Z
pki=$top/testdata/keys

# Reproducible tar: sorted names, no times, owners or PIDs, 512-byte records.
ptar() {
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
		--mode=a=rX,u+w --format=pax -b1 \
		--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
		"$@"
}
utar() {
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
		--mode=a=rX,u+w --format=ustar -b1 "$@"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { wc -c <"$1" | tr -d ' '; }

# hdr_set FILE HEADER_OFFSET FIELD_OFFSET TEXT: overwrite bytes of the
# ustar header at HEADER_OFFSET, then recompute its checksum.
hdr_set() {
	printf '%s' "$4" | dd of="$1" bs=1 seek=$(($2 + $3)) conv=notrunc 2>/dev/null
	printf '        ' | dd of="$1" bs=1 seek=$(($2 + 148)) conv=notrunc 2>/dev/null
	sum=$(od -An -tu1 -v -j "$2" -N 512 "$1" |
		awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')
	printf '%06o\000 ' "$sum" | dd of="$1" bs=1 seek=$(($2 + 148)) conv=notrunc 2>/dev/null
}

# put DIR FILE: store FILE as a blob of layout DIR, print its hex digest
put() {
	h=$(sha "$2")
	mkdir -p "$1/blobs/sha256"
	cp "$2" "$1/blobs/sha256/$h"
	echo "$h"
}

# --------------------------------------------------------------------------
# Three small layer tars, stored plain, gzip and zstd.
# --------------------------------------------------------------------------
mkdir -p "$work/fs1/etc" "$work/fs2/usr/bin" "$work/fs3/var/lib"
printf 'hello from layer one\n' >"$work/fs1/etc/motd"
printf '#!/bin/sh\necho tool\n' >"$work/fs2/usr/bin/tool"
i=0
while [ $i -lt 200 ]; do echo "state line $i"; i=$((i + 1)); done >"$work/fs3/var/lib/state"
ptar -C "$work/fs1" -cf "$work/l1.tar" etc
ptar -C "$work/fs2" -cf "$work/l2.tar" usr
ptar -C "$work/fs3" -cf "$work/l3.tar" var
gzip -n -9 -c "$work/l2.tar" >"$work/l2.tar.gz"
zstd -q -19 -c "$work/l3.tar" >"$work/l3.tar.zst"

# --------------------------------------------------------------------------
# The "layout" image: an OCI layout whose layers are plain, gzip and zstd,
# with the diff_ids of the uncompressed tars, signed (jws).
# --------------------------------------------------------------------------
L=$work/layout
mkdir -p "$L"
printf '{"imageLayoutVersion":"1.0.0"}' >"$L/oci-layout"
d1=$(sha "$work/l1.tar")
d2=$(sha "$work/l2.tar")
d3=$(sha "$work/l3.tar")
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s","sha256:%s"]}}' \
	"$d1" "$d2" "$d3" >"$work/config.json"
c=$(put "$L" "$work/config.json")
b1=$(put "$L" "$work/l1.tar")
b2=$(put "$L" "$work/l2.tar.gz")
b3=$(put "$L" "$work/l3.tar.zst")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s},{"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","digest":"sha256:%s","size":%s}]}' \
	"$c" "$(size "$work/config.json")" "$b1" "$(size "$work/l1.tar")" \
	"$b2" "$(size "$work/l2.tar.gz")" "$b3" "$(size "$work/l3.tar.zst")" \
	>"$work/manifest.json"
m=$(put "$L" "$work/manifest.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"registry.example/archive/app:v1","org.opencontainers.image.ref.name":"v1"}}]}' \
	"$m" "$(size "$work/manifest.json")" >"$L/index.json"
"$OVTOOL" envelope --layout "$L" --target "sha256:$m" --key "$pki/signer.key" \
	--chain "$pki/signer.chain.pem" --format jws --signing-time "$T" \
	--agent "ocivet-fixtures/1" -o "$work/env"
"$OVTOOL" attach "$L" --target "sha256:$m" --envelope "$work/env" \
	--format jws --created "$T" >/dev/null
echo "sha256:$m" >"$out/layout.digest"

# "./"-prefixed names, as `tar -C dir .` writes them
ptar -C "$L" -cf "$out/layout.tar" .
gzip -n -9 -c "$out/layout.tar" >"$out/layout.tar.gz"
zstd -q -19 -c "$out/layout.tar" >"$out/layout.tar.zst"

# The signed jws layout of mkfixtures.sh, names without "./" (skopeo style).
if [ -d "$top/testdata/layouts/jws" ]; then
	ptar -C "$top/testdata/layouts/jws" -cf "$out/jws.tar" oci-layout index.json blobs
	gzip -n -9 -c "$out/jws.tar" >"$out/jws.tar.gz"
	zstd -q -19 -c "$out/jws.tar" >"$out/jws.tar.zst"
fi

# A layer changed after signing (same name, other content).
cp -r "$L" "$work/tampered"
printf 'hello from layer 0ne\n' >"$work/fs1/etc/motd"
ptar -C "$work/fs1" -cf "$work/tampered/blobs/sha256/$b1" etc
ptar -C "$work/tampered" -cf - . | gzip -n -9 >"$out/layout-tampered.tar.gz"

# --------------------------------------------------------------------------
# docker save, classic (Docker <= 24): <id>/layer.tar, <config>.json; the
# first layer again on top of the second, written as a symlink.
# --------------------------------------------------------------------------
D=$work/docker
mkdir -p "$D"
id1=$(printf 'v1 id 1' | sha256sum | cut -d' ' -f1)
id2=$(printf 'v1 id 2' | sha256sum | cut -d' ' -f1)
id3=$(printf 'v1 id 3' | sha256sum | cut -d' ' -f1)
for id in $id1 $id2 $id3; do
	mkdir -p "$D/$id"
	printf '1.0' >"$D/$id/VERSION"
	printf '{"id":"%s"}' "$id" >"$D/$id/json"
done
cp "$work/l1.tar" "$D/$id1/layer.tar"
cp "$work/l2.tar" "$D/$id2/layer.tar"
ln -s "../$id1/layer.tar" "$D/$id3/layer.tar"
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s","sha256:%s"]}}' \
	"$d1" "$d2" "$d1" >"$work/dcfg.json"
dc=$(sha "$work/dcfg.json")
cp "$work/dcfg.json" "$D/$dc.json"
printf '{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	"$d1" >"$work/dcfg2.json"
dc2=$(sha "$work/dcfg2.json")
cp "$work/dcfg2.json" "$D/$dc2.json"
printf '[{"Config":"%s.json","RepoTags":["alpine:3.20","registry.example/team/app:v1"],"Layers":["%s/layer.tar","%s/layer.tar","%s/layer.tar"]},{"Config":"%s.json","RepoTags":null,"Layers":["%s/layer.tar"]}]\n' \
	"$dc" "$id1" "$id2" "$id3" "$dc2" "$id1" >"$D/manifest.json"
printf '{"alpine":{"3.20":"%s"},"registry.example/team/app":{"v1":"%s"}}\n' \
	"$id3" "$id3" >"$D/repositories"
ptar -C "$D" -cf "$out/docker-classic.tar" .

# a layer tar changed after save: its diff_id no longer matches
cp -r "$D" "$work/docker-bad"
rm "$work/docker-bad/$id2/layer.tar"
printf '#!/bin/sh\necho evil\n' >"$work/fs2/usr/bin/tool"
ptar -C "$work/fs2" -cf "$work/docker-bad/$id2/layer.tar" usr
ptar -C "$work/docker-bad" -cf "$out/docker-diffid.tar" .

# diff_ids and Layers disagree in number
cp -r "$D" "$work/docker-count"
printf '[{"Config":"%s.json","RepoTags":["alpine:3.20"],"Layers":["%s/layer.tar","%s/layer.tar"]}]\n' \
	"$dc" "$id1" "$id2" >"$work/docker-count/manifest.json"
ptar -C "$work/docker-count" -cf "$out/docker-count.tar" .

# a layer symlink that leaves docker's form, and one to nothing
cp -r "$D" "$work/docker-link"
rm "$work/docker-link/$id3/layer.tar"
ln -s "../../$id1/layer.tar" "$work/docker-link/$id3/layer.tar"
ptar -C "$work/docker-link" -cf "$out/bad-docker-link.tar" .
rm "$work/docker-link/$id3/layer.tar"
ln -s "../0000/layer.tar" "$work/docker-link/$id3/layer.tar"
ptar -C "$work/docker-link" -cf "$out/bad-docker-dangling.tar" .

# --------------------------------------------------------------------------
# docker save, Docker 25+: an OCI layout (uncompressed layers stored under
# their diff_id, a synthesised manifest) plus manifest.json.
# --------------------------------------------------------------------------
N=$work/docker25
mkdir -p "$N"
printf '{"imageLayoutVersion": "1.0.0"}' >"$N/oci-layout"
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s","sha256:%s"]}}' \
	"$d1" "$d2" >"$work/ncfg.json"
nc=$(put "$N" "$work/ncfg.json")
put "$N" "$work/l1.tar" >/dev/null
put "$N" "$work/l2.tar" >/dev/null
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s},{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
	"$nc" "$(size "$work/ncfg.json")" "$d1" "$(size "$work/l1.tar")" \
	"$d2" "$(size "$work/l2.tar")" >"$work/nman.json"
nm=$(put "$N" "$work/nman.json")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"docker.io/library/alpine:3.20","org.opencontainers.image.ref.name":"3.20"}}]}' \
	"$nm" "$(size "$work/nman.json")" >"$N/index.json"
printf '[{"Config":"blobs/sha256/%s","RepoTags":["alpine:3.20"],"Layers":["blobs/sha256/%s","blobs/sha256/%s"]}]\n' \
	"$nc" "$d1" "$d2" >"$N/manifest.json"
printf '{"alpine":{"3.20":"%s"}}\n' "$d2" >"$N/repositories"
ptar -C "$N" -cf "$out/docker-oci.tar" blobs index.json manifest.json oci-layout repositories

# --------------------------------------------------------------------------
# One broken rule each.
# --------------------------------------------------------------------------
S=$work/small
mkdir -p "$S"
printf '{"imageLayoutVersion":"1.0.0"}' >"$S/oci-layout"
printf '{"schemaVersion":2,"manifests":[]}' >"$S/index.json"
ptar -C "$S" -P --transform 's,^index,/index,' -cf "$out/bad-absolute.tar" oci-layout index.json
ptar -C "$S" -P --transform 's,^index,blobs/../index,' -cf "$out/bad-dotdot.tar" oci-layout index.json
# a second index.json appended: it must not replace the first
mkdir -p "$work/evil"
printf '{"schemaVersion":2,"manifests":[{"evil":true}]}' >"$work/evil/index.json"
ptar -C "$S" -cf "$out/bad-duplicate.tar" oci-layout index.json
ptar -C "$work/evil" -rf "$out/bad-duplicate.tar" index.json
ptar -C "$S" -cf "$out/bad-duplicate-dot.tar" oci-layout index.json
ptar -C "$work/evil" -rf "$out/bad-duplicate-dot.tar" ./index.json
# hard link
mkdir -p "$work/hl"
cp "$S/oci-layout" "$S/index.json" "$work/hl/"
ln "$work/hl/index.json" "$work/hl/index2.json"
ptar -C "$work/hl" -cf "$out/bad-hardlink.tar" index.json index2.json oci-layout
# FIFO
mkdir -p "$work/fifo"
cp "$S/oci-layout" "$work/fifo/"
mkfifo "$work/fifo/index.json"
ptar -C "$work/fifo" -cf "$out/bad-fifo.tar" index.json oci-layout
# character device: an empty file's header with type '3' (no root needed)
mkdir -p "$work/dev"
: >"$work/dev/null"
utar -C "$work/dev" -cf "$out/bad-device.tar" null
hdr_set "$out/bad-device.tar" 0 156 3
# symlink among the blobs
cp -r "$L" "$work/symblob"
rm "$work/symblob/blobs/sha256/$c"
ln -s "$b1" "$work/symblob/blobs/sha256/$c"
ptar -C "$work/symblob" -cf "$out/bad-symlink.tar" .
# sizes: a header announcing more data than there is, and less
mkdir -p "$work/sz"
head -c 600 /dev/zero | tr '\0' x >"$work/sz/a"
printf 'b\n' >"$work/sz/b"
utar -C "$work/sz" -cf "$work/sz.tar" a b
cp "$work/sz.tar" "$out/bad-size-more.tar"
hdr_set "$out/bad-size-more.tar" 0 124 "$(printf '%011o' 4000)"
cp "$work/sz.tar" "$out/bad-size-less.tar"
hdr_set "$out/bad-size-less.tar" 0 124 "$(printf '%011o' 10)"
# truncated: inside an entry's data, at an entry boundary (no end blocks),
# and a truncated gzip stream
head -c 1000 "$work/sz.tar" >"$out/bad-truncated.tar"
head -c $(($(size "$work/sz.tar") - 1024)) "$work/sz.tar" >"$out/bad-no-end.tar"
n=$(size "$out/layout.tar.gz")
head -c $((n / 2)) "$out/layout.tar.gz" >"$out/bad-truncated.tar.gz"
# sparse file (GNU format: pax sparse headers carry the PID)
mkdir -p "$work/sparse"
dd if=/dev/zero of="$work/sparse/blob" bs=1 count=1 seek=1048575 2>/dev/null
tar --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=a=rX,u+w \
	--format=gnu -b1 --sparse -C "$work/sparse" -cf "$out/bad-sparse.tar" blob
# not tar: zip, gzip'd text, plain bytes; tar in gzip in gzip
touch -t 202001010000 "$S/oci-layout" "$S/index.json"
(cd "$S" && TZ=UTC zip -X -q "$out/bad.zip" oci-layout index.json)
printf 'not a tar archive\n' | gzip -n -9 >"$out/bad-notar.gz"
printf 'not an archive at all\n' >"$out/bad-raw.bin"
gzip -n -9 -c "$out/layout.tar.gz" >"$out/bad-nested.tar.gz.gz"
# compression bombs: 64 MiB of zeros in a tar.gz and a tar.zst, and a
# gzip bomb stored as a blob (found only by --deep)
mkdir -p "$work/bomb"
head -c 67108864 /dev/zero >"$work/bomb/zeros"
ptar -C "$work/bomb" -cf - zeros | gzip -n -9 >"$out/bomb.tar.gz"
ptar -C "$work/bomb" -cf - zeros | zstd -q -19 >"$out/bomb.tar.zst"
gzip -n -9 -c "$work/bomb/zeros" >"$work/zeros.gz"
mkdir -p "$work/deepbomb"
cp "$S/oci-layout" "$S/index.json" "$work/deepbomb/"
put "$work/deepbomb" "$work/zeros.gz" >/dev/null
ptar -C "$work/deepbomb" -cf "$out/deep-bomb.tar" blobs index.json oci-layout
