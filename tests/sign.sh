#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# ocivet sign (issue 13), end to end with the built binary and the
# committed material of testdata/sign (gen.sh there; fixed validity):
#   - round trips: every key type and size, JWS and COSE, both signing
#     schemes, both manifest forms; every key encoding and passphrase
#     source; --platforms all; concurrent signers on one layout
#   - what notation writes: payload bytes, protected header members and
#     order, the signature manifest byte for byte and the index.json entry
#     (the real notation signature of ../shared/vectors)
#   - refusals, each with its reason
#   - an interrupted write leaves the layout as it was; an archive is
#     byte-identical after signing into a detached bundle
#
#   OCIVET=src/ocivet OVTOOL=tests/tools/ovtool OV_TESTDATA=testdata \
#       sh tests/sign.sh
set -u

: "${OCIVET:?}" "${OVTOOL:?}" "${OV_TESTDATA:?}"
case $OCIVET in /*) ;; *) OCIVET=$PWD/$OCIVET ;; esac
case $OVTOOL in /*) ;; *) OVTOOL=$PWD/$OVTOOL ;; esac
case $OV_TESTDATA in /*) ;; *) OV_TESTDATA=$PWD/$OV_TESTDATA ;; esac
VECTORS=${OV_VECTORS:-${OV_SRCDIR:-$OV_TESTDATA/..}/../shared/vectors}
AT=2026-01-01T00:00:00Z
K=$OV_TESTDATA/sign
CONF=$K/config
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# A fresh layout DIR with one image tagged v1.
mklayout() {
	echo "layer of $1" >"$work/layer"
	"$OVTOOL" init "$1" >/dev/null &&
	    "$OVTOOL" image "$1" --tag v1 --layer "$work/layer" | cut -d' ' -f2
}

verify() {
	"$OCIVET" verify --at "$AT" --config "$CONF" "$@" >"$work/out" 2>&1
}

# --- round trips ----------------------------------------------------------
n=0
for key in rsa2048 rsa3072 rsa4096 ec256 ec384 ec521; do
	for fmt in jws cose; do
		for scheme in notary.x509 notary.x509.signingAuthority; do
			for form in config artifact-type; do
				n=$((n + 1))
				l=$work/rt$n
				mklayout "$l" >/dev/null
				if ! "$OCIVET" sign --key "$K/$key.key" \
				    --cert "$K/$key.crt" --at "$AT" \
				    --signature-format $fmt --signing-scheme $scheme \
				    --manifest-form $form --expiry 30d \
				    --user-metadata team=edge "$l:v1" \
				    >"$work/out" 2>&1; then
					fail "sign $key $fmt $scheme $form: $(cat "$work/out")"
					continue
				fi
				verify "$l:v1" ||
				    fail "verify $key $fmt $scheme $form: $(cat "$work/out")"
			done
		done
	done
done
# the expiry is signed: a day past it, verification fails
verify --at 2026-02-01T00:00:00Z "$work/rt1:v1" 2>/dev/null &&
    fail "an expired signature verified"
"$OCIVET" verify --at 2026-02-01T00:00:00Z --config "$CONF" "$work/rt1:v1" \
    >/dev/null 2>&1 && fail "a signature past --expiry verified"

# key encodings and passphrase sources
l=$work/enc
mklayout "$l" >/dev/null
for k in "ec256.pk8.der ec256" "ec256.trad.pem ec256" "ec256.trad.der ec256" \
    "rsa2048.trad.pem rsa2048"; do
	set -- $k
	"$OCIVET" sign --key "$K/$1" --cert "$K/$2.crt" --at "$AT" "$l:v1" \
	    >"$work/out" 2>&1 || fail "key $1: $(cat "$work/out")"
done
"$OCIVET" sign --key "$K/rsa2048.enc.pem" --cert "$K/rsa2048.crt" --at "$AT" \
    --passphrase-file "$K/passphrase" "$l:v1" >"$work/out" 2>&1 ||
    fail "--passphrase-file: $(cat "$work/out")"
"$OCIVET" sign --key "$K/ec384.enc.der" --cert "$K/ec384.crt" --at "$AT" \
    --passphrase-fd 3 "$l:v1" 3<"$K/passphrase" >"$work/out" 2>&1 ||
    fail "--passphrase-fd: $(cat "$work/out")"
OV_PASS=correct-horse "$OCIVET" sign --key "$K/ec521.trad-enc.pem" \
    --cert "$K/ec521.crt" --at "$AT" --passphrase-env OV_PASS "$l:v1" \
    >"$work/out" 2>&1 || fail "--passphrase-env: $(cat "$work/out")"
verify "$l:v1" || fail "verify after key encodings: $(cat "$work/out")"
[ "$(grep -c '"io.cncf.notary.x509chain.thumbprint#S256"' "$l/index.json")" = 7 ] ||
    fail "expected 7 signatures in $l"

# --platforms all: the index and each of its manifests
l=$work/multi
"$OVTOOL" init "$l" >/dev/null
echo a >"$work/la"
echo b >"$work/lb"
d1=$("$OVTOOL" image "$l" --no-entry --platform linux/amd64 --layer "$work/la")
d2=$("$OVTOOL" image "$l" --no-entry --platform linux/arm64 --layer "$work/lb")
m1=$(echo "$d1" | cut -d' ' -f2)
m2=$(echo "$d2" | cut -d' ' -f2)
"$OVTOOL" index "$l" --tag v1 "$(echo "$d1" | tr ' ' ,),linux/amd64" \
    "$(echo "$d2" | tr ' ' ,),linux/arm64" >/dev/null
"$OCIVET" sign --key "$K/ec256.key" --cert "$K/ec256.crt" --at "$AT" \
    --platforms all "$l:v1" >"$work/out" 2>&1 || fail "--platforms all: $(cat "$work/out")"
[ "$(wc -l <"$work/out")" = 3 ] || fail "--platforms all: want 3 signatures: $(cat "$work/out")"
for d in "$m1" "$m2"; do
	verify "$l@$d" || fail "--platforms all: $d: $(cat "$work/out")"
done
verify "$l:v1" || fail "--platforms all: index: $(cat "$work/out")"

# concurrent signers: each waits for the other's index.json
l=$work/conc
mklayout "$l" >/dev/null
for i in 1 2 3 4; do
	"$OCIVET" sign --key "$K/ec256.key" --cert "$K/ec256.crt" --at "$AT" \
	    "$l:v1" >/dev/null 2>&1 &
done
wait
[ "$(grep -c '"io.cncf.notary.x509chain.thumbprint#S256"' "$l/index.json")" = 4 ] ||
    fail "concurrent signers: want 4 signatures in index.json"

# --- what notation writes ---------------------------------------------------
b64d() {
	tr -d '\n' | tr '_-' '/+' | awk '{ while (length($0) % 4) $0 = $0 "="; print }' |
	    base64 -d 2>/dev/null
}
field() { # JSON string member $1 of file $2 (flat, as the JWS is)
	sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" "$2"
}
if [ -d "$VECTORS/notation-go/local-layout" ]; then
	v=$VECTORS/notation-go/local-layout
	subj=sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0
	for form in config artifact-type; do
		l=$work/vec-$form
		cp -R "$v/oci-layout" "$l"
		chmod -R u+w "$l"
		"$OCIVET" sign --key "$K/rsa2048.key" --cert "$K/rsa2048.crt" \
		    --at "$AT" --manifest-form $form "$l@$subj" \
		    >"$work/out" 2>&1 || { fail "vector layout: $(cat "$work/out")"; continue; }
		sm=$(sed -n 's/.*signature manifest sha256:\([0-9a-f]*\)$/\1/p' "$work/out")
		man=$l/blobs/sha256/$sm
		env=$(sed -n 's/.*"layers":\[{"mediaType":"application\/jose+json","digest":"sha256:\([0-9a-f]*\)".*/\1/p' "$man")
		envf=$l/blobs/sha256/$env
		# the same payload bytes
		field payload "$envf" | b64d >"$work/p.ours"
		field payload "$v/jws_signature.sig" | b64d >"$work/p.notation"
		cmp -s "$work/p.ours" "$work/p.notation" || fail "payload differs from notation's"
		# the same protected header members, in the same order
		field protected "$envf" | b64d | grep -o '"[^"]*":' >"$work/h.ours"
		field protected "$v/jws_signature.sig" | b64d | grep -o '"[^"]*":' >"$work/h.notation"
		cmp -s "$work/h.ours" "$work/h.notation" || fail "protected header differs from notation's: $(tr '\n' ' ' <"$work/h.ours")"
		# the signature manifest, byte for byte as notation writes it
		# (the artifact-type form gives sha256:64300ad0... for notation's
		# own envelope, asserted by notation-go; see t_layout)
		size=$(wc -c <"$envf" | tr -d ' ')
		tp=$(openssl x509 -in "$K/rsa2048.crt" -outform DER | sha256sum | cut -d' ' -f1)
		if [ $form = config ]; then
			head='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.cncf.notary.signature","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}'
		else
			head='{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e30="}'
		fi
		printf '%s,"layers":[{"mediaType":"application/jose+json","digest":"sha256:%s","size":%s}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":481},"annotations":{"io.cncf.notary.x509chain.thumbprint#S256":"[\\"%s\\"]","org.opencontainers.image.created":"%s"}}' \
		    "$head" "$env" "$size" "$subj" "$tp" "$AT" >"$work/m.want"
		cmp -s "$man" "$work/m.want" || fail "$form: signature manifest differs from notation's: $(cat "$man")"
		# the index.json entry carries the annotations (and the
		# artifactType of the newer form), as oras-go's oci.Store
		grep -q "\"digest\":	\"sha256:$sm\"" "$l/index.json" ||
		    fail "$form: no index.json entry"
		at=$(grep -c '"artifactType":	"application/vnd.cncf.notary.signature"' "$l/index.json")
		[ $form = config ] && [ "$at" != 0 ] && fail "config form: artifactType in index.json"
		[ $form = artifact-type ] && [ "$at" != 1 ] && fail "artifact-type form: no artifactType in index.json"
	done
else
	echo "sign.sh: $VECTORS absent, notation comparison skipped"
fi

# --- refusals ---------------------------------------------------------------
l=$work/refuse
mklayout "$l" >/dev/null
cp "$l/index.json" "$work/index.before"
refuse() { # KEY CERT SUBSTRING [options]
	key=$1 cert=$2 want=$3
	shift 3
	if "$OCIVET" sign --key "$K/$key" --cert "$K/$cert" --at "$AT" "$@" \
	    "$l:v1" >"$work/out" 2>&1; then
		fail "signed with $key/$cert"
	elif ! grep -qF "$want" "$work/out"; then
		fail "$key/$cert: want \"$want\", got: $(cat "$work/out")"
	fi
}
refuse rsa1024.key rsa1024.crt "RSA 1024 bits (want 2048, 3072 or 4096)"
refuse ec256.key rsa2048.crt "the private key does not match the leaf certificate"
refuse ec256.key otheruse.crt "extendedKeyUsage does not include codeSigning"
refuse ec256.key serverauth.crt "extendedKeyUsage must not include serverAuth"
refuse ec256.key nodigsig.crt "keyUsage must include digitalSignature"
refuse ec256.key expired.crt "signing time"
refuse ec256.key future.crt "signing time"
refuse ec256.key notchained.pem "refusing to sign"
refuse rsa2048.enc.pem rsa2048.crt "the key is encrypted; give its passphrase"
OV_PASS=wrong refuse rsa2048.enc.pem rsa2048.crt "wrong passphrase" \
    --passphrase-env OV_PASS
cmp -s "$l/index.json" "$work/index.before" || fail "a refusal changed index.json"

# --- an interrupted write leaves the layout as it was ----------------------
l=$work/crash
mklayout "$l" >/dev/null
"$OCIVET" sign --key "$K/ec256.key" --cert "$K/ec256.crt" --at "$AT" "$l:v1" >/dev/null
cp "$l/index.json" "$work/index.before"
verify "$l"
cp "$work/out" "$work/verify.before"
OCIVET_TEST_SIGN_FAULT=after-blobs "$OCIVET" sign --key "$K/rsa2048.key" \
    --cert "$K/rsa2048.crt" --at "$AT" "$l:v1" >"$work/out" 2>&1 &&
    fail "the fault hook did not stop the signer"
grep -q "stopped after writing the blobs" "$work/out" || fail "fault hook: $(cat "$work/out")"
cmp -s "$l/index.json" "$work/index.before" || fail "an interrupted signer changed index.json"
verify "$l"
cmp -s "$work/out" "$work/verify.before" || fail "an interrupted signer changed what verifies"
ls "$l" | grep -q tmp && fail "a temporary file was left in $l"

# --- archives are never rewritten ------------------------------------------
l=$work/arch
mklayout "$l" >/dev/null
for a in arch.tar arch.tar.gz; do
	"$OVTOOL" pack "$l" "$work/$a"
	sum=$(sha256sum <"$work/$a")
	"$OCIVET" sign --key "$K/ec256.key" --cert "$K/ec256.crt" --at "$AT" \
	    "$work/$a:v1" >"$work/out" 2>&1 && fail "$a: signed without --signatures-out"
	grep -q "archives are never rewritten" "$work/out" || fail "$a: $(cat "$work/out")"
	"$OCIVET" sign --key "$K/ec256.key" --cert "$K/ec256.crt" --at "$AT" \
	    --signatures-out "$work/$a.sigs.tar" "$work/$a:v1" >"$work/out" 2>&1 ||
	    fail "$a: $(cat "$work/out")"
	[ "$(sha256sum <"$work/$a")" = "$sum" ] || fail "$a was rewritten"
	verify --signatures "$work/$a.sigs.tar" "$work/$a:v1" ||
	    fail "$a with its bundle: $(cat "$work/out")"
	verify "$work/$a:v1" && fail "$a verified without its bundle"
	ls -a "$work" | grep -q '\.sign\.' && fail "$a: the temporary layout was left behind"
done
# a layout directory can be signed into a bundle too, unchanged
cp "$l/index.json" "$work/index.before"
"$OCIVET" sign --key "$K/ec256.key" --cert "$K/ec256.crt" --at "$AT" \
    --signatures-out "$work/dir-sigs" "$l" >"$work/out" 2>&1 || fail "dir bundle: $(cat "$work/out")"
cmp -s "$l/index.json" "$work/index.before" || fail "--signatures-out changed the layout"
verify --signatures "$work/dir-sigs" "$l:v1" || fail "dir bundle: $(cat "$work/out")"

[ $fails = 0 ] || exit 1
echo "sign.sh: ok"
