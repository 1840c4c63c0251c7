#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates testdata/adversarial/tar/: archives that use a corner of the
# tar formats where libarchive (ocivet's reader) and Go's archive/tar
# (docker's, containerd's, skopeo's and podman's) may read different
# entries. Each holds the signed layout layouts/jws; in the first ones
# an entry is named index.json for one reader and something else for the
# other, so that the importer would read the index of layouts/unsigned.
# ocivet 0.1 printed VERIFIED for most of them. tests/adversarial.sh runs
# them from cases.tsv ("tar-" rows); gen.sh calls this script.
#
#   OVTAR=/path/to/build/tests/tools/ovtar sh testdata/adversarial/gen-tar.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
td=$(cd "$here/.." && pwd)
: "${OVTAR:?set OVTAR to the built tests/tools/ovtar}"
out=$here/tar
J=$td/layouts/jws
U=$td/layouts/unsigned
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
mkdir -p "$out" "$work/blobs/blobs/sha256"
# the blobs of both layouts, for the swaps
for f in "$J"/blobs/sha256/* "$U"/blobs/sha256/*; do
	cp "$f" "$work/blobs/blobs/sha256/"
done
mk() { "$OVTAR" "$out/$1.tar"; }
cd "$td"

# --- names: the two readers name one entry differently ---------------------
# libarchive takes GNU.sparse.name as the name of any entry, Go only of a
# sparse one: libarchive reads the signed index, Go the unsigned one.
mk gnu-sparse-name <<EOF
file oci-layout $J/oci-layout
pax GNU.sparse.name=index.json
file signed-index.json $J/index.json
pax GNU.sparse.name=unused.json
file index.json $U/index.json
layout $work/blobs
end
EOF
# a pax path and a GNU long name for one entry: libarchive takes the pax
# path, Go the long name
mk pax-path-and-long-name <<EOF
file oci-layout $J/oci-layout
pax path=index.json
long L signed-index.json
file x $J/index.json
pax path=unused.json
long L index.json
file y $U/index.json
layout $work/blobs
end
EOF
mk long-name-and-pax-path <<EOF
file oci-layout $J/oci-layout
long L signed-index.json
pax path=index.json
file x $J/index.json
layout $work/blobs
end
EOF
# two pax headers for one entry: Go keeps the last, libarchive merges
mk two-pax-headers <<EOF
file oci-layout $J/oci-layout
pax path=index.json
pax mtime=0
file signed-index.json $J/index.json
layout $work/blobs
end
EOF
# star: Go reads 131 bytes of prefix, libarchive 155
mk star-prefix <<EOF
text a x star prefix=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
layout $J
end
EOF
# GNU header whose atime is no number: Go reads "blobs/a", libarchive "a"
mk gnu-atime-prefix <<EOF
text a x gnu atime=blobs\x00\x00\x00\x00\x00\x00\x00
layout $J
end
EOF
# "ustar\0" with another version: Go applies the prefix, libarchive not
mk ustar-version <<EOF
text a x version=\x20\x20 prefix=dir
layout $J
end
EOF
mk v7-header <<EOF
text a x v7
layout $J
end
EOF
mk long-name-junk <<EOF
long L index.json\x00junk
file x $J/index.json
file oci-layout $J/oci-layout
layout $work/blobs
end
EOF
mk name-not-utf8 <<EOF
text caf\xe9 x
layout $J
end
EOF
mk regular-trailing-slash <<EOF
text a/ x
layout $J
end
EOF

# --- sizes: the two readers skip different amounts of data -----------------
# "\0\0\0\0" "00002000": Go trims the NULs (1024 bytes), libarchive stops
# at them (0 bytes) and reads the signed index Go skips
"$OVTAR" "$work/inner.tar" <<EOF
file index.json $J/index.json
EOF
"$OVTAR" "$work/head.tar" <<EOF
file oci-layout $J/oci-layout
EOF
"$OVTAR" "$work/pad.tar" <<EOF
text pad x sizefield=\x00\x00\x00\x0000002000
EOF
"$OVTAR" "$work/rest.tar" <<EOF
layout $work/blobs
end
EOF
{
	head -c 512 "$work/head.tar"
	tail -c +513 "$work/head.tar" | head -c 512
	head -c 512 "$work/pad.tar"
	head -c 1024 "$work/inner.tar"
	cat "$work/rest.tar"
} >"$out/size-leading-nul.tar"
mk pax-size-sign <<EOF
pax size=+1
text a x
layout $J
end
EOF
mk pax-size-on-dir <<EOF
pax size=512
dir blobs2/
text zz x
layout $J
end
EOF
mk pax-empty-path <<EOF
pax path=
file index.json $J/index.json
file oci-layout $J/oci-layout
layout $work/blobs
end
EOF
mk size-base256-negative <<EOF
text a x sizefield=\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff
layout $J
end
EOF

# --- records and types that readers handle differently ----------------------
mk pax-hdrcharset <<EOF
pax hdrcharset=BINARY path=a
text a x
layout $J
end
EOF
mk pax-unknown-record <<EOF
pax VENDOR.name=index.json
text a x
layout $J
end
EOF
mk global-pax <<EOF
pax comment=hi -- type=g
layout $J
end
EOF
mk contiguous-type <<EOF
text a x type=7
layout $J
end
EOF
mk volume-label <<EOF
text label x type=V
layout $J
end
EOF
mk pax-without-entry <<EOF
layout $J
pax path=index.json
end
EOF

# --- the end of the archive -------------------------------------------------
# libarchive stops at the first zero block; GNU tar goes on
mk lone-zero-block <<EOF
layout $J
zero 1
file evil.json $U/index.json
end
EOF
# a second archive after the end marker (tar -A, tar --ignore-zeros)
mk data-after-end <<EOF
layout $J
end
file index2.json $U/index.json
end
EOF
mk single-zero-end <<EOF
layout $J
zero 1
EOF
gzip -9n <"$out/data-after-end.tar" >"$out/data-after-end.tar.gz"
# xz and lzma: refused whatever the content (decoder memory unbounded)
"$OVTAR" "$work/plain.tar" <<EOF
layout $J
end
EOF
xz -6 -c "$work/plain.tar" >"$out/layout.tar.xz"
xz --format=lzma -6 -c "$work/plain.tar" >"$out/layout.tar.lzma"
echo "adversarial/gen-tar.sh: done"
