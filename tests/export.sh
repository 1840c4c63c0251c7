#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# ocivet export (issue 15): OUT verifies again with the same verdicts;
# the same verified content gives the same bytes (twice, from a directory
# or an archive of it, and re-exporting OUT); a failed verification
# leaves no OUT and no temporary; only verified images are carried over;
# a docker save with --signatures exports OUT plus OUT.sigs.tar, which
# verify again together (a classic save too, as Docker 25+ would have
# saved it); SOURCE_DATE_EPOCH
# sets every mtime, reproducibly; and the real importers accept OUT
# (docker save exports included) and load the verified digests
# (skopeo copy oci-archive:, podman load into a private vfs store,
# ctr images import into a private containerd, each skipped with a note
# where it cannot run here).
#
#   OCIVET=src/ocivet OV_TESTDATA=testdata tests/export.sh
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
case $OCIVET in /*) ;; *) OCIVET=$PWD/$OCIVET ;; esac
case $OV_TESTDATA in /*) ;; *) OV_TESTDATA=$PWD/$OV_TESTDATA ;; esac
AT=2026-01-01T00:00:00Z
T=$OV_TESTDATA
s=$(mktemp -d)
. "$(dirname "$0")/testlib.sh"
cleanup() {
	ov_containerd_stop
	rm -rf "$s"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0 fail=0 skipped=0
have() { command -v "$1" >/dev/null 2>&1; }
ok() { n=$((n + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
skip() { echo "SKIP $1"; skipped=$((skipped + 1)); }
ov() {
	HOME=$s NOTATION_CONFIG='' XDG_CONFIG_HOME='' "$OCIVET" "$@"
}
exp() { ov export --at $AT --config "$T/config/strict" "$@"; }
ver() { ov verify --at $AT --config "$T/config/strict" "$@"; }
# the verdict lines of a report, without the SOURCE path
verdicts() { sed 's/^\([A-Z]*\) [^ ]*:\([^ :]*\) /\1 \2 /' | sort; }

# 1. re-verification, determinism, sources alike
if exp -o "$s/a.tar" "$T/layouts/jws" 2>"$s/a.err" &&
    ver "$s/a.tar" >"$s/a2.out" 2>&1; then
	ok "export, then verify the export"
else
	bad "export jws: $(cat "$s/a.err" "$s/a2.out" 2>/dev/null | head -5)"
fi
ver "$T/layouts/jws" 2>&1 | verdicts >"$s/v1"
verdicts <"$s/a2.out" >"$s/v2"
cmp -s "$s/v1" "$s/v2" && ok "same verdicts" || bad "verdicts differ: $(cat "$s/v1" "$s/v2")"
exp -o "$s/b.tar" "$T/layouts/jws" 2>/dev/null &&
    cmp -s "$s/a.tar" "$s/b.tar" && ok "two exports are byte-identical" ||
    bad "two exports differ"
exp -o "$s/c.tar" "$T/archives/jws.tar.zst" 2>/dev/null &&
    cmp -s "$s/a.tar" "$s/c.tar" && ok "a directory and its archive export alike" ||
    bad "directory and archive exports differ"
exp -o "$s/d.tar" "$s/a.tar" 2>/dev/null &&
    cmp -s "$s/a.tar" "$s/d.tar" && ok "re-exporting the export gives it back" ||
    bad "re-export differs"
exp -o "$s/e.tar.gz" "$T/layouts/jws" 2>/dev/null &&
    exp -o "$s/f.tar.gz" "$T/layouts/jws" 2>/dev/null &&
    cmp -s "$s/e.tar.gz" "$s/f.tar.gz" && ver "$s/e.tar.gz" >/dev/null 2>&1 &&
    ok "tar.gz: verifies, reproducible" || bad "tar.gz export"
# plain ustar, regular files and directories, mtime 0, owner 0
if tar tvf "$s/a.tar" | grep -qv '^[-d]rw[-x]r-[-x]r-[-x] 0/0 .* 1970-01-01 00:00 '; then
	bad "non-canonical entries: $(tar tvf "$s/a.tar" | head -3)"
elif tar tf "$s/a.tar" | LC_ALL=C sort -c 2>/dev/null; then
	ok "canonical entries, in name order"
else
	bad "entries out of order"
fi

# a multi-platform index with its child manifests; signatures from a
# --signatures bundle travel with the image, so OUT verifies alone
exp -o "$s/idx.tar" "$T/layouts/index" 2>/dev/null && ver "$s/idx.tar" >/dev/null 2>&1 &&
    ok "an index exports and verifies again" || bad "index export"
exp -o "$s/det.tar" --signatures "$T/layouts/detached-bundle" "$T/layouts/detached" 2>/dev/null &&
    ver "$s/det.tar" >/dev/null 2>&1 &&
    ok "--signatures: the bundle's signature is carried over" || bad "detached export"

# a docker save (Docker 25+) bound by its config to a signed registry
# manifest in a --signatures bundle: OUT holds the image as saved (the
# verified config, layers under their diff_ids) and OUT.sigs.tar the
# signed manifest and its signatures; together they verify again, and
# re-exporting them gives both files back
D=$T/docker
if exp -q -o "$s/ds.tar" --signatures "$D/registry" "$D/save-oci.tar" 2>"$s/err" &&
    [ -f "$s/ds.tar.sigs.tar" ] &&
    ver --signatures "$s/ds.tar.sigs.tar" "$s/ds.tar" >"$s/ds.out" 2>&1 &&
    grep -q '^VERIFIED .*:v1 (sha256:ec132849e25a' "$s/ds.out"; then
	ok "docker save + bundle: OUT and OUT.sigs.tar verify again"
else
	bad "docker save + bundle: $(cat "$s/err" "$s/ds.out" 2>/dev/null | head -5)"
fi
ver "$s/ds.tar" >/dev/null 2>&1 && bad "docker save export verifies without its signatures" ||
    ok "docker save export: OUT alone has no signature"
mkdir "$s/dsx" && tar -C "$s/dsx" -xf "$s/ds.tar" 2>/dev/null &&
    [ "$(ls "$s/dsx/blobs/sha256" | sort | tr '\n' ' ')" = "2871a0d906db47d26a413aeba15b10fe845dc510ade3fe46103cdb0690f6dd58 5032ba0849b7c96010220d90e2face110cc080edb03552355c365c3bc2df0c5a bd9a631c3133acba2f6fa67a654031e2dc5f0fd769815bbf66a6c60ba2c610e7 ec132849e25a2aafaaf465e8eb5d6294f040f803cc1c8e37c7ca54e4cf2e143c " ] &&
    ok "docker save export: the image's manifest, config and layers only" ||
    bad "docker save export holds: $(ls "$s/dsx/blobs/sha256" 2>/dev/null)"
exp -q -o "$s/ds2.tar" --signatures "$s/ds.tar.sigs.tar" "$s/ds.tar" 2>/dev/null &&
    cmp -s "$s/ds.tar" "$s/ds2.tar" && cmp -s "$s/ds.tar.sigs.tar" "$s/ds2.tar.sigs.tar" &&
    ok "docker save export: re-exported, both files identical" ||
    bad "docker save re-export differs"
exp -q --format docker -o "$s/dsd.tar" --signatures "$D/registry.tar" "$D/save-oci.tar" 2>/dev/null &&
    ver --signatures "$s/dsd.tar.sigs.tar" "$s/dsd.tar" >/dev/null 2>&1 &&
    ok "docker save export, docker format: verifies again" || bad "docker save export, docker format"
# a classic docker save (before Docker 25: <config>.json, <id>/layer.tar,
# no manifest): the config and layer tars captured by their SHA-256 as
# they were hashed, and a manifest generated as Docker 25 writes it, so
# the export is byte for byte the export of the same image saved by
# Docker 25+, OUT.sigs.tar included; it verifies again through the same
# config binding, twice gives the same bytes, and a tampered classic
# save exports nothing
if exp -q -o "$s/dc.tar" --signatures "$D/registry" "$D/save-classic.tar" 2>"$s/err" &&
    ver --signatures "$s/dc.tar.sigs.tar" "$s/dc.tar" >"$s/dc.out" 2>&1 &&
    grep -q '^VERIFIED .*:v1 (sha256:ec132849e25a' "$s/dc.out"; then
	ok "classic docker save + bundle: OUT and OUT.sigs.tar verify again"
else
	bad "classic docker save + bundle: $(cat "$s/err" "$s/dc.out" 2>/dev/null | head -5)"
fi
cmp -s "$s/dc.tar" "$s/ds.tar" && cmp -s "$s/dc.tar.sigs.tar" "$s/ds.tar.sigs.tar" &&
    ok "classic docker save: exported as Docker 25+ saves it, byte for byte" ||
    bad "classic docker save export differs from the Docker 25+ one"
exp -q -o "$s/dc2.tar" --signatures "$D/registry.tar" "$D/save-classic.tar" 2>/dev/null &&
    cmp -s "$s/dc.tar" "$s/dc2.tar" && cmp -s "$s/dc.tar.sigs.tar" "$s/dc2.tar.sigs.tar" &&
    ok "classic docker save: two exports are byte-identical" ||
    bad "classic docker save: two exports differ"
exp -q --format docker -o "$s/dcd.tar" --signatures "$D/registry" "$D/save-classic.tar" 2>/dev/null &&
    ver --signatures "$s/dcd.tar.sigs.tar" "$s/dcd.tar" >/dev/null 2>&1 &&
    cmp -s "$s/dcd.tar" "$s/dsd.tar" &&
    ok "classic docker save, docker format: verifies again, as Docker 25+'s" ||
    bad "classic docker save, docker format"
mkdir "$s/dct"
exp -q -o "$s/dct/out.tar" --signatures "$D/registry" "$D/save-tampered.tar" >/dev/null 2>"$s/err"
st=$?
[ $st = 1 ] && [ -z "$(ls -A "$s/dct")" ] && grep -q "hashes to" "$s/err" &&
    ok "tampered classic docker save: exit 1, nothing written" ||
    bad "tampered classic docker save: exit $st, left $(ls -A "$s/dct"): $(head -3 "$s/err")"

# a classic save whose layer tar is gzip-compressed verifies with --deep
# (docker load takes it), but no blob hashes to that diff_id: export
# refuses it rather than write what it did not capture
mkdir "$s/cgz" "$s/cgzo" && tar -C "$s/cgz" -xf "$D/save-classic.tar" &&
    l=$s/cgz/5032ba0849b7c96010220d90e2face110cc080edb03552355c365c3bc2df0c5a/layer.tar &&
    gzip -n -c "$l" >"$s/cgz.gz" && mv "$s/cgz.gz" "$l" &&
    tar --format=pax -C "$s/cgz" -cf "$s/cgz.tar" . 2>/dev/null
exp -q --deep -o "$s/cgzo/out.tar" --signatures "$D/registry" "$s/cgz.tar" >/dev/null 2>"$s/err"
st=$?
[ $st = 1 ] && [ -z "$(ls -A "$s/cgzo")" ] && grep -q "a compressed layer tar is not exported" "$s/err" &&
    ok "classic docker save, compressed layer tar: refused, nothing written" ||
    bad "classic docker save, compressed layer tar: exit $st, left $(ls -A "$s/cgzo"): $(head -3 "$s/err")"

# SOURCE_DATE_EPOCH: every entry's mtime, reproducibly; a bad value is a
# usage error before anything is read
SOURCE_DATE_EPOCH=1700000000 exp -o "$s/sde1.tar" "$T/layouts/jws" 2>/dev/null &&
    SOURCE_DATE_EPOCH=1700000000 exp -o "$s/sde2.tar" "$T/layouts/jws" 2>/dev/null &&
    cmp -s "$s/sde1.tar" "$s/sde2.tar" && ! cmp -s "$s/a.tar" "$s/sde1.tar" &&
    [ -z "$(TZ=UTC tar tvf "$s/sde1.tar" | grep -v ' 2023-11-14 22:13 ')" ] &&
    ver "$s/sde1.tar" >/dev/null 2>&1 &&
    ok "SOURCE_DATE_EPOCH: the entries' mtime, reproducible" || bad "SOURCE_DATE_EPOCH"
SOURCE_DATE_EPOCH=soon exp -o "$s/sde3.tar" "$T/layouts/jws" >/dev/null 2>"$s/err"
[ $? = 2 ] && [ ! -e "$s/sde3.tar" ] && grep -q SOURCE_DATE_EPOCH "$s/err" &&
    ok "SOURCE_DATE_EPOCH=soon: usage error" || bad "bad SOURCE_DATE_EPOCH: $(cat "$s/err")"

# 2. a failed verification leaves nothing
mkdir "$s/fail"
for src in layouts/tampered-layer layouts/unsigned layouts/untrusted \
    archives/layout-tampered.tar.gz layouts/missing-layer; do
	exp -o "$s/fail/out.tar" "$T/$src" >/dev/null 2>&1
	st=$?
	if [ $st = 0 ] || [ -n "$(ls -A "$s/fail")" ]; then
		bad "$src: exit $st, left $(ls -A "$s/fail")"
		rm -f "$s/fail/"* "$s/fail/".??* 2>/dev/null
	else
		ok "$src: exit $st, no output"
	fi
done

# every must-fail case of the adversarial corpus, run as export: the
# same exit status and message, and nothing written
if OV_ADVERSARIAL_EXPORT=1 OCIVET=$OCIVET OV_TESTDATA=$T \
    sh "$(dirname "$0")/adversarial.sh" >"$s/adv" 2>&1; then
	ok "adversarial corpus as export: $(tail -n 1 "$s/adv")"
else
	bad "adversarial corpus as export:"
	grep -A3 '^FAIL' "$s/adv" | head -30
fi

# a source changed while export runs (a layer flipped between its
# verified bytes and others, in a loop): each run either fails and
# writes nothing, or writes exactly the export of the unchanged source
cp -R "$T/exporters/app" "$s/race" && chmod -R u+w "$s/race"
exp -o "$s/race-ref.tar" "$s/race" 2>/dev/null || bad "race: reference export"
big=$(ls -S "$s/race/blobs/sha256" | head -n 1)
cp "$s/race/blobs/sha256/$big" "$s/good" && cp "$s/good" "$s/evil" &&
    printf 'X' | dd of="$s/evil" bs=1 seek=100 conv=notrunc 2>/dev/null
: >"$s/race-on"
( while [ -f "$s/race-on" ]; do
	dd if="$s/evil" of="$s/race/blobs/sha256/$big" conv=notrunc 2>/dev/null
	dd if="$s/good" of="$s/race/blobs/sha256/$big" conv=notrunc 2>/dev/null
done ) &
flipper=$!
i=0 nfail=0 nsame=0
while [ $i -lt 8 ]; do
	rm -f "$s/race-out.tar"
	if exp -q -o "$s/race-out.tar" "$s/race" >/dev/null 2>&1; then
		cmp -s "$s/race-out.tar" "$s/race-ref.tar" && nsame=$((nsame + 1)) ||
		    bad "race: an export differs from the verified content"
	elif [ -e "$s/race-out.tar" ]; then
		bad "race: a failed export left its output"
	else
		nfail=$((nfail + 1))
	fi
	i=$((i + 1))
done
rm -f "$s/race-on"
wait $flipper
ok "source changed during export: $nfail failed, $nsame equal to the verified content"

# 3. only verified images: multi holds a (signed), b (signed) and c
# (unsigned); the whole source fails, a:... exports alone
exp -o "$s/multi.tar" "$T/layouts/multi" >/dev/null 2>&1 &&
    bad "multi with an unsigned image exported" || ok "multi: unsigned image, no export"
if exp -o "$s/ma.tar" "$T/layouts/multi:a" 2>/dev/null; then
	da=$(python3 -c 'import json,sys; print([m["digest"] for m in json.load(open(sys.argv[1]))["manifests"] if m.get("annotations",{}).get("org.opencontainers.image.ref.name")=="a"][0])' "$T/layouts/multi/index.json")
	mkdir "$s/ma" && tar -C "$s/ma" -xf "$s/ma.tar"
	n_img=$(python3 -c 'import json,sys; print(len([m for m in json.load(open(sys.argv[1]))["manifests"] if "artifactType" not in m]))' "$s/ma/index.json")
	grep -q "$da" "$s/ma/index.json" && [ "$n_img" = 1 ] &&
	    ! ls "$s/ma/blobs/sha256" | grep -q "${da#sha256:}x" &&
	    [ "$(ls "$s/ma/blobs/sha256" | wc -l)" -lt "$(ls "$T/layouts/multi/blobs/sha256" | wc -l)" ] &&
	    ok "multi:a exports image a only" || bad "multi:a export holds more"
else
	bad "multi:a did not export"
fi

# 4. importers, on the exporters fixture (a runnable image)
app=$T/exporters/app
want=$(cat "$T/exporters/app.digest" 2>/dev/null || echo sha256:a8cd29779b61cab80f49069e5fd850733857195c6449f8a3b6bced2f089e5997)
exp -o "$s/app.tar" "$app" 2>"$s/err" || bad "export app: $(cat "$s/err")"
exp --format docker -o "$s/app-docker.tar" "$app" 2>"$s/err" || bad "export app docker: $(cat "$s/err")"
ver "$s/app-docker.tar" >/dev/null 2>&1 && ok "docker format verifies again" || bad "docker format does not verify"
policy=$s/policy.json
echo '{"default":[{"type":"insecureAcceptAnything"}]}' >"$policy"
if have skopeo; then
	if skopeo --policy "$policy" copy -q "oci-archive:$s/app.tar:v1" "oci:$s/sk:v1" 2>"$s/err"; then
		grep -q "$want" "$s/sk/index.json" && ok "skopeo copy oci-archive: loads $want" ||
		    bad "skopeo: another digest: $(cat "$s/sk/index.json")"
	else
		skip "skopeo: $(head -c 300 "$s/err")"
	fi
else
	skip "skopeo: not installed"
fi
# podman load reads an OCI archive only when it holds one manifest (the
# export also holds the signatures), so it is given the docker format,
# which it reads through manifest.json: it rebuilds the manifest, so the
# image ID (the verified config) is what is compared
cfg=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["digest"])' "$app/blobs/sha256/${want#sha256:}")
if have podman; then
	P="podman --root $s/pr --runroot $s/prr --storage-driver vfs --events-backend none"
	if $P load -q -i "$s/app-docker.tar" >"$s/pl" 2>"$s/err"; then
		got=$($P image inspect --format '{{.Id}}' registry.example/exporters/app:v1 2>/dev/null)
		[ "sha256:$got" = "$cfg" ] && ok "podman load (docker format): image $got" ||
		    bad "podman load: image $got, want $cfg"
	else
		skip "podman: $(head -c 300 "$s/err")"
	fi
	# the docker save exports (Docker 25+ and classic) load the
	# verified config
	for f in dsd dcd; do
		if $P load -q -i "$s/$f.tar" >"$s/pl" 2>"$s/err"; then
			got=$($P image inspect --format '{{.Id}}' registry.example/docker/app:v1 2>/dev/null)
			[ "$got" = 2871a0d906db47d26a413aeba15b10fe845dc510ade3fe46103cdb0690f6dd58 ] &&
			    ok "podman load ($f, docker save export): image $got" ||
			    bad "podman load $f docker save export: image $got"
			$P rmi -f registry.example/docker/app:v1 >/dev/null 2>&1
		else
			skip "podman ($f, docker save export): $(head -c 300 "$s/err")"
		fi
	done
else
	skip "podman: not installed"
fi
if have containerd && have ctr; then
	c=$s/ctd
	ov_containerd_start "$c"
	C=$OV_CTR
	for f in app app-docker; do
		if $C version >/dev/null 2>&1 &&
		    $C images import "$s/$f.tar" >/dev/null 2>"$s/err"; then
			$C images ls 2>/dev/null | grep "registry.example/exporters/app:v1" | grep -q "$want" &&
			    ok "ctr images import ($f): $want" ||
			    bad "ctr import $f: $($C images ls 2>&1 | head -3)"
			$C images rm registry.example/exporters/app:v1 >/dev/null 2>&1
		else
			skip "ctr ($f): $(head -c 300 "$s/err" 2>/dev/null) $(tail -n 3 "$c/log")"
		fi
	done
	# the docker save exports: the save-time manifest, by its digest
	# (for the classic save, the one ocivet generated: the same)
	for f in ds dsd dc dcd; do
		if $C version >/dev/null 2>&1 &&
		    $C images import "$s/$f.tar" >/dev/null 2>"$s/err"; then
			$C images ls 2>/dev/null | grep "registry.example/docker/app:v1" |
			    grep -q sha256:ec132849e25a2aafaaf465e8eb5d6294f040f803cc1c8e37c7ca54e4cf2e143c &&
			    ok "ctr images import ($f, docker save export)" ||
			    bad "ctr import $f: $($C images ls 2>&1 | head -3)"
			$C images rm registry.example/docker/app:v1 >/dev/null 2>&1
		else
			skip "ctr ($f): $(head -c 300 "$s/err" 2>/dev/null)"
		fi
	done
	ov_containerd_stop
else
	skip "containerd: not installed"
fi

echo "export: $n checks passed, $fail failed, $skipped skipped"
[ $fail = 0 ] || exit 1
exit 0
