#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates the adversarial corpus (testdata/adversarial/): inputs an
# attacker who controls the SOURCE or a signature bundle could craft, each
# of which ocivet must refuse. Most are correctly signed with the fixture
# keys (testdata/keys), so that a parser or verifier that accepted them
# would print VERIFIED: algorithm confusion (HMAC keyed with the public
# key, a genuine PKCS#1 v1.5 RS256 signature, ES256 over an RSA key),
# headers and payloads the Notary Project rules forbid, subjects that point
# elsewhere, digest syntax abuse, malformed JSON (nesting, UTF-8, NUL),
# certificate encodings with trailing bytes, and archive and docker save
# structure abuse. The expected outcome of each is in cases.tsv, which
# tests/adversarial.sh runs; inputs that cannot be committed (a 33 MiB
# index.json, FIFOs, directories in place of blobs) are made by that
# script at test time.
#
#   OVTOOL=/path/to/build/tests/tools/ovtool sh testdata/adversarial/gen.sh
#
# Run after testdata/mkfixtures.sh has made the keys (mkfixtures.sh runs
# it at its end). Only POSIX tools, openssl, GNU tar, base64 and od.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
td=$(cd "$here/.." && pwd)
: "${OVTOOL:?set OVTOOL to the built tests/tools/ovtool}"
for t in openssl tar gzip base64 od sha256sum awk sed; do
	command -v $t >/dev/null || { echo "adversarial/gen.sh: $t not found" >&2; exit 1; }
done

pki=$td/keys
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lay=$here/layouts
rm -rf "$lay" "$here/archives" "$here/docker" "$here/config"
mkdir -p "$lay" "$here/archives" "$here/docker"
T=2025-06-01T00:00:00Z
TSECS=1748736000 # $T in seconds since the epoch
printf 'layer one\n' >"$work/l1"
printf 'layer two\n' >"$work/l2"

# ---------------------------------------------------------------------------
# Helpers.
# ---------------------------------------------------------------------------
desc_digest() { awk '{print $2}'; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { wc -c <"$1" | tr -d ' '; }
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
b64url_d() { # decode base64url from stdin
	awk '{ s = $0; gsub(/-/, "+", s); gsub(/_/, "/", s);
	    while (length(s) % 4) s = s "="; print s }' | base64 -d
}
hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }
# byte N...: write bytes given in decimal
byte() { for b in "$@"; do printf "\\$(printf %03o "$b")"; done; }
# be16 N, be32 N: big-endian integers
be16() { byte $(($1 >> 8 & 255)) $(($1 & 255)); }
be32() { byte $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }

# CBOR, definite lengths, enough for COSE headers.
cb_head() { # MAJOR VALUE
	if [ "$2" -lt 24 ]; then byte $(($1 * 32 + $2))
	elif [ "$2" -lt 256 ]; then byte $(($1 * 32 + 24)) "$2"
	elif [ "$2" -lt 65536 ]; then byte $(($1 * 32 + 25)); be16 "$2"
	else byte $(($1 * 32 + 26)); be32 "$2"; fi
}
cb_uint() { cb_head 0 "$1"; }
cb_tstr() { cb_head 3 ${#1}; printf %s "$1"; }
cb_time() { byte 193; cb_head 0 "$1"; } # tag 1, epoch seconds

# newimage CASE [TAG]: a layout with one image (two shared layers and one
# naming the case); prints the manifest digest
newimage() {
	"$OVTOOL" init "$lay/$1"
	printf 'adversarial %s\n' "$1" >"$work/own"
	"$OVTOOL" image "$lay/$1" --tag "${2:-v1}" --layer "$work/l1" \
		--layer "$work/l2" --layer "$work/own" | desc_digest
}

# envelope DIR TARGET FORMAT SIGNER OUT [ovtool envelope options...]
envelope() {
	e_dir=$1 e_tgt=$2 e_fmt=$3 e_who=$4 e_out=$5
	shift 5
	"$OVTOOL" envelope --layout "$e_dir" --target "$e_tgt" \
		--key "$pki/$e_who.key" --chain "$pki/$e_who.chain.pem" \
		--format "$e_fmt" --signing-time "$T" --agent "ocivet-adversarial/1" \
		"$@" -o "$e_out"
}

# attach DIR TARGET FORMAT ENVELOPE [ovtool attach options...]
attach() {
	a_dir=$1 a_tgt=$2 a_fmt=$3 a_env=$4
	shift 4
	"$OVTOOL" attach "$a_dir" --target "$a_tgt" --envelope "$a_env" \
		--format "$a_fmt" --created "$T" "$@" | desc_digest
}

# sign CASE FORMAT SIGNER [envelope options...]: a new image, signed
sign() {
	s_case=$1 s_fmt=$2 s_who=$3
	shift 3
	s_d=$(newimage "$s_case")
	envelope "$lay/$s_case" "$s_d" "$s_fmt" "$s_who" "$work/env" "$@"
	attach "$lay/$s_case" "$s_d" "$s_fmt" "$work/env" >/dev/null
}

# JWS envelope members (the encoder writes {"payload":..,"protected":..,
# "header":{..},"signature":..} on one line).
jws_get() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" "$2"; }
jws_set_sig() { # ENV NEWSIG
	sed "s/\"signature\":\"[^\"]*\"/\"signature\":\"$2\"/" "$1" >"$1.new"
	mv "$1.new" "$1"
}

# The protected header ovtool writes for the x509 scheme, as a template:
# jws_prot ALG [EXTRA-MEMBERS] [EXTRA-CRIT]
jws_prot() {
	printf '{"alg":"%s","crit":["io.cncf.notary.signingScheme"%s],"cty":"application/vnd.cncf.notary.payload.v1+json","io.cncf.notary.signingScheme":"notary.x509","io.cncf.notary.signingTime":"%s"%s}' \
		"$1" "${3:-}" "$T" "${2:-}"
}

# payload DESCRIPTOR-JSON: a Notary payload
payload() { printf '{"targetArtifact":%s}' "$1"; }
# descjson MEDIATYPE DIGEST SIZE
descjson() { printf '{"mediaType":"%s","digest":"%s","size":%s}' "$1" "$2" "$3"; }

MT_MAN=application/vnd.oci.image.manifest.v1+json
MT_CFG=application/vnd.oci.image.config.v1+json
MT_LAYER=application/vnd.oci.image.layer.v1.tar

# put DIR FILE: store FILE as a blob, print its digest
put() {
	p_h=$(sha "$2")
	mkdir -p "$1/blobs/sha256"
	cp "$2" "$1/blobs/sha256/$p_h"
	echo "sha256:$p_h"
}

# rawlayout CASE: oci-layout only; index.json is written by the caller
rawlayout() {
	mkdir -p "$lay/$1/blobs/sha256"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$lay/$1/oci-layout"
}

# rawimage DIR LAYER-DIGEST LAYER-SIZE [CONFIG-DIGEST]: store the layers and
# a config, write a manifest whose layer descriptor is the given one (which
# may be malformed), print the manifest digest and size
rawimage() {
	r_l1=$(put "$1" "$work/l1")
	printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}' \
		"$r_l1" >"$work/rcfg"
	r_c=$(put "$1" "$work/rcfg")
	printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s]}' \
		"$MT_MAN" "$(descjson $MT_CFG "${4:-$r_c}" "$(size "$work/rcfg")")" \
		"$(descjson $MT_LAYER "$2" "$3")" >"$work/rman"
	r_m=$(put "$1" "$work/rman")
	echo "$r_m $(size "$work/rman")"
}

# sigraw DIR MT DIGEST SIZE FORMAT SIGNER [envelope options]: sign the
# descriptor given (not looked up in the layout), store the envelope and a
# signature manifest whose subject is that descriptor, print the signature
# manifest's index.json entry
sigraw() {
	g_dir=$1 g_mt=$2 g_dg=$3 g_sz=$4 g_fmt=$5 g_who=$6
	shift 6
	"$OVTOOL" envelope --descriptor "$g_mt,$g_dg,$g_sz" \
		--key "$pki/$g_who.key" --chain "$pki/$g_who.chain.pem" \
		--format "$g_fmt" --signing-time "$T" "$@" -o "$work/genv"
	sigmanifest "$g_dir" "$g_fmt" "$work/genv" "$(descjson "$g_mt" "$g_dg" "$g_sz")"
}

# sigmanifest DIR FORMAT ENVELOPE SUBJECT-JSON [EXTRA-LAYER-JSON]: a
# signature manifest (notation 1.1 shape) for the envelope, with the given
# subject; prints its index.json entry
sigmanifest() {
	case $2 in jws) m_mt=application/jose+json ;; *) m_mt=application/cose ;; esac
	m_e=$(put "$1" "$3")
	printf '{}' >"$work/empty"
	m_c=$(put "$1" "$work/empty")
	printf '{"schemaVersion":2,"mediaType":"%s","artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},"layers":[%s%s],"subject":%s,"annotations":{"io.cncf.notary.x509chain.thumbprint#S256":"[]","org.opencontainers.image.created":"%s"}}' \
		"$MT_MAN" "$m_c" "$(descjson "$m_mt" "$m_e" "$(size "$3")")" \
		"${5:-}" "$4" "$T" >"$work/sman"
	m_m=$(put "$1" "$work/sman")
	printf '{"mediaType":"%s","digest":"%s","size":%s,"artifactType":"application/vnd.cncf.notary.signature"}' \
		"$MT_MAN" "$m_m" "$(size "$work/sman")"
}

# index DIR ENTRY-JSON...: write index.json
index() {
	i_dir=$1
	shift
	i_list=
	for i_e in "$@"; do i_list="${i_list:+$i_list,}$i_e"; done
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' \
		"$i_list" >"$i_dir/index.json"
}
# tagged MT DIGEST SIZE TAG: an index.json entry with a tag
tagged() {
	printf '{"mediaType":"%s","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}' \
		"$1" "$2" "$3" "$4"
}
# attach_raw CASE DIGEST FORMAT ENVELOPE: attach an envelope that ovtool
# attach refuses to read (it lists certificate thumbprints) to the image
# DIGEST tagged v1, the layout's only image
attach_raw() {
	x_sz=$(size "$lay/$1/blobs/sha256/${2#sha256:}")
	x_s=$(sigmanifest "$lay/$1" "$3" "$4" "$(descjson $MT_MAN "$2" "$x_sz")")
	index "$lay/$1" "$(tagged $MT_MAN "$2" "$x_sz" v1)" "$x_s"
}

# ---------------------------------------------------------------------------
# Algorithm confusion.
# ---------------------------------------------------------------------------
# JWS "alg":"HS256" with an HMAC keyed with the signer's public key (PEM),
# the classic confusion attack on verifiers that take the algorithm from
# the header and the key from the certificate.
d=$(newimage jws-hs256)
envelope "$lay/jws-hs256" "$d" jws signer "$work/env" --alg-name HS256
openssl x509 -in "$pki/signer.crt" -noout -pubkey >"$work/pub.pem"
sig=$(printf '%s.%s' "$(jws_get protected "$work/env")" "$(jws_get payload "$work/env")" |
	openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(hex "$work/pub.pem")" -binary | b64url)
jws_set_sig "$work/env" "$sig"
attach "$lay/jws-hs256" "$d" jws "$work/env" >/dev/null

# JWS "alg":"RS256" with a genuine RSASSA-PKCS1-v1_5 SHA-256 signature by
# the trusted signer: a valid JOSE signature, but not a Notary algorithm.
d=$(newimage jws-rs256)
envelope "$lay/jws-rs256" "$d" jws signer "$work/env" --alg-name RS256
sig=$(printf '%s.%s' "$(jws_get protected "$work/env")" "$(jws_get payload "$work/env")" |
	openssl dgst -sha256 -sign "$pki/signer.key" -binary | b64url)
jws_set_sig "$work/env" "$sig"
attach "$lay/jws-rs256" "$d" jws "$work/env" >/dev/null

# "alg":"ES256" over an RSA key, and "PS256" over a P-256 key.
sign jws-es256-rsa-key jws signer --alg ES256
sign jws-ps256-ec-key jws ecsigner --alg PS256
# COSE: a PS384 (-38) label with an RSA-2048 key, ES256 (-7) with an RSA
# key, and the HMAC 256/256 algorithm (5), in an otherwise normal header.
sign cose-alg-mismatch cose signer --alg PS384
sign cose-es256-rsa-key cose signer --alg ES256
{
	byte 165                      # map(5)
	cb_uint 1; byte 5             # alg: HMAC 256/256
	cb_uint 2; byte 129; cb_tstr io.cncf.notary.signingScheme
	cb_uint 3; cb_tstr application/vnd.cncf.notary.payload.v1+json
	cb_tstr io.cncf.notary.signingTime; cb_time $TSECS
	cb_tstr io.cncf.notary.signingScheme; cb_tstr notary.x509
} >"$work/prot.cbor"
sign cose-hmac cose signer --protected-file "$work/prot.cbor"

# A signature made with another key than the leaf certificate's (the
# untrusted "other" key, with the trusted chain in x5c), announcing the
# attacker's key in "jwk" and "x5u" members of the protected header.
d=$(newimage jws-other-key)
"$OVTOOL" envelope --layout "$lay/jws-other-key" --target "$d" \
	--key "$pki/other.key" --chain "$pki/signer.chain.pem" --format jws \
	--signing-time "$T" -o "$work/env"
attach "$lay/jws-other-key" "$d" jws "$work/env" >/dev/null
d=$(newimage jws-jwk-x5u)
jws_prot PS256 ',"jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"},"x5u":"http://attacker.invalid/chain.pem"' >"$work/prot"
"$OVTOOL" envelope --layout "$lay/jws-jwk-x5u" --target "$d" \
	--key "$pki/other.key" --chain "$pki/signer.chain.pem" --format jws \
	--signing-time "$T" --protected-file "$work/prot" -o "$work/env"
attach "$lay/jws-jwk-x5u" "$d" jws "$work/env" >/dev/null
d=$(newimage cose-other-key)
"$OVTOOL" envelope --layout "$lay/cose-other-key" --target "$d" \
	--key "$pki/other.key" --chain "$pki/signer.chain.pem" --format cose \
	--signing-time "$T" -o "$work/env"
attach "$lay/cose-other-key" "$d" cose "$work/env" >/dev/null

# ---------------------------------------------------------------------------
# Subject and payload pointing elsewhere.
# ---------------------------------------------------------------------------
# One layout, images "a" and "b". Signature 1: payload names a, subject b.
# Signature 2: payload names b, subject a. Neither image has a signature
# for itself: a's only signature is for b, and b's only one for a.
d=$(newimage subject-swap a)
printf 'image b\n' >"$work/own"
b=$("$OVTOOL" image "$lay/subject-swap" --tag b --layer "$work/l1" --layer "$work/own" | desc_digest)
envelope "$lay/subject-swap" "$d" jws signer "$work/env"
attach "$lay/subject-swap" "$b" jws "$work/env" >/dev/null
envelope "$lay/subject-swap" "$b" cose signer "$work/env"
attach "$lay/subject-swap" "$d" cose "$work/env" >/dev/null

# Layout "subject-other": image v1 and image other; the only signature is
# for v1 (payload) but its subject is other: v1 has no signature, other's
# signature is not for it.
d=$(newimage subject-other)
printf 'other image\n' >"$work/own"
b=$("$OVTOOL" image "$lay/subject-other" --tag other --layer "$work/own" | desc_digest)
envelope "$lay/subject-other" "$d" jws signer "$work/env"
attach "$lay/subject-other" "$b" jws "$work/env" >/dev/null

# The subject names the image's digest with another size; the payload is
# right. The subject must equal the image's descriptor.
rawlayout subject-size
set -- $(rawimage "$lay/subject-size" "sha256:$(sha "$work/l1")" "$(size "$work/l1")")
"$OVTOOL" envelope --descriptor "$MT_MAN,$1,$2" --key "$pki/signer.key" \
	--chain "$pki/signer.chain.pem" --format jws --signing-time "$T" -o "$work/env"
s=$(sigmanifest "$lay/subject-size" jws "$work/env" "$(descjson $MT_MAN "$1" $(($2 + 1)))")
index "$lay/subject-size" "$(tagged $MT_MAN "$1" "$2" v1)" "$s"

# Payloads that name the image's digest with another size, or another
# media type (payload/descriptor mismatch).
d=$(newimage payload-size)
sz=$(size "$lay/payload-size/blobs/sha256/${d#sha256:}")
payload "$(descjson $MT_MAN "$d" $((sz + 1)))" >"$work/pay"
envelope "$lay/payload-size" "$d" jws signer "$work/env" --payload-file "$work/pay"
attach "$lay/payload-size" "$d" jws "$work/env" >/dev/null
d=$(newimage payload-mediatype)
sz=$(size "$lay/payload-mediatype/blobs/sha256/${d#sha256:}")
payload "$(descjson application/vnd.oci.image.index.v1+json "$d" "$sz")" >"$work/pay"
envelope "$lay/payload-mediatype" "$d" cose signer "$work/env" --payload-file "$work/pay"
attach "$lay/payload-mediatype" "$d" cose "$work/env" >/dev/null

# Duplicate keys in the payload: targetArtifact twice (this image, then
# another), and digest twice inside the descriptor.
d=$(newimage payload-dup-target)
sz=$(size "$lay/payload-dup-target/blobs/sha256/${d#sha256:}")
printf '{"targetArtifact":%s,"targetArtifact":%s}' "$(descjson $MT_MAN "$d" "$sz")" \
	"$(descjson $MT_MAN "sha256:$(sha "$work/l1")" "$sz")" >"$work/pay"
envelope "$lay/payload-dup-target" "$d" jws signer "$work/env" --payload-file "$work/pay"
attach "$lay/payload-dup-target" "$d" jws "$work/env" >/dev/null
d=$(newimage payload-dup-digest)
sz=$(size "$lay/payload-dup-digest/blobs/sha256/${d#sha256:}")
printf '{"targetArtifact":{"mediaType":"%s","digest":"sha256:%s","digest":"%s","size":%s}}' \
	"$MT_MAN" "$(sha "$work/l1")" "$d" "$sz" >"$work/pay"
envelope "$lay/payload-dup-digest" "$d" cose signer "$work/env" --payload-file "$work/pay"
attach "$lay/payload-dup-digest" "$d" cose "$work/env" >/dev/null
# A payload nested 1000 levels deep.
d=$(newimage payload-nested)
awk 'BEGIN { printf "{\"targetArtifact\":{\"annotations\":{\"x\":\"y\"},\"n\":"
	for (i = 0; i < 1000; i++) printf "["; for (i = 0; i < 1000; i++) printf "]"
	printf "}}" }' >"$work/pay"
envelope "$lay/payload-nested" "$d" jws signer "$work/env" --payload-file "$work/pay"
attach "$lay/payload-nested" "$d" jws "$work/env" >/dev/null

# ---------------------------------------------------------------------------
# Digest syntax abuse (OCI: algorithm ":" encoded, sha256 and sha512 with
# exactly 64 and 128 lowercase hex digits).
# ---------------------------------------------------------------------------
# digest_variant KIND HEX: an abused spelling of sha256:HEX
digest_variant() {
	case $1 in
	upper) echo "sha256:$(echo "$2" | tr a-f A-F)" ;;
	alg-upper) echo "SHA256:$2" ;;
	short) echo "sha256:$(echo "$2" | cut -c2-)" ;;
	long) echo "sha256:${2}0" ;;
	blake3) echo "blake3:$2" ;;
	md5) echo "md5:$(echo "$2" | cut -c1-32)" ;;
	traversal) echo "sha256:../../x" ;;
	esac
}
# place DIR DIGEST FILE: store FILE where a naive reader would look for
# DIGEST (blobs/ALG/ENCODED), so only the syntax check can refuse it
place() {
	p_alg=${2%%:*} p_enc=${2#*:}
	mkdir -p "$1/blobs/$p_alg"
	cp "$3" "$1/blobs/$p_alg/$p_enc"
}

for k in upper alg-upper short long blake3 md5 traversal; do
	# index.json names a correctly signed image by an abused digest
	c=index-digest-$k
	rawlayout $c
	set -- $(rawimage "$lay/$c" "sha256:$(sha "$work/l1")" "$(size "$work/l1")")
	s=$(sigraw "$lay/$c" $MT_MAN "$1" "$2" jws signer)
	v=$(digest_variant $k "${1#sha256:}")
	place "$lay/$c" "$v" "$lay/$c/blobs/sha256/${1#sha256:}"
	index "$lay/$c" "$(tagged $MT_MAN "$v" "$2" v1)" "$s"
	# a signed manifest names its layer by an abused digest
	c=manifest-digest-$k
	rawlayout $c
	v=$(digest_variant $k "$(sha "$work/l1")")
	place "$lay/$c" "$v" "$work/l1"
	set -- $(rawimage "$lay/$c" "$v" "$(size "$work/l1")")
	s=$(sigraw "$lay/$c" $MT_MAN "$1" "$2" cose signer)
	index "$lay/$c" "$(tagged $MT_MAN "$1" "$2" v1)" "$s"
done
# a signed manifest whose config digest climbs out of blobs/
c=config-digest-traversal
rawlayout $c
set -- $(rawimage "$lay/$c" "sha256:$(sha "$work/l1")" "$(size "$work/l1")" "sha256:../../../x")
s=$(sigraw "$lay/$c" $MT_MAN "$1" "$2" jws signer)
index "$lay/$c" "$(tagged $MT_MAN "$1" "$2" v1)" "$s"
# a signature manifest whose envelope descriptor climbs out of blobs/,
# onto a copy of a good envelope for the image
c=sigenvelope-digest-traversal
rawlayout $c
set -- $(rawimage "$lay/$c" "sha256:$(sha "$work/l1")" "$(size "$work/l1")")
"$OVTOOL" envelope --descriptor "$MT_MAN,$1,$2" --key "$pki/signer.key" \
	--chain "$pki/signer.chain.pem" --format jws --signing-time "$T" -o "$work/env"
cp "$work/env" "$lay/$c/x"
printf '{}' >"$work/empty"
ec=$(put "$lay/$c" "$work/empty")
printf '{"schemaVersion":2,"mediaType":"%s","artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"%s","size":2},"layers":[%s],"subject":%s}' \
	"$MT_MAN" "$ec" "$(descjson application/jose+json sha256:../../x "$(size "$work/env")")" \
	"$(descjson $MT_MAN "$1" "$2")" >"$work/sman"
sm=$(put "$lay/$c" "$work/sman")
index "$lay/$c" "$(tagged $MT_MAN "$1" "$2" v1)" \
	"$(descjson $MT_MAN "$sm" "$(size "$work/sman")")"

# ---------------------------------------------------------------------------
# Malformed JSON: nesting, UTF-8, NUL.
# ---------------------------------------------------------------------------
# index.json nested 10000 levels deep (a recursive parser's stack).
newimage index-nested >/dev/null
awk 'BEGIN { printf "{\"schemaVersion\":2,\"manifests\":"
	for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]"
	printf "}" }' >"$lay/index-nested/index.json"
# Invalid UTF-8 in index.json: in the tag of a correctly signed image
# (a lone continuation byte, an overlong "/", a UTF-16 surrogate).
for k in lone overlong surrogate; do
	c=index-utf8-$k
	d=$(newimage $c)
	envelope "$lay/$c" "$d" jws signer "$work/env"
	attach "$lay/$c" "$d" jws "$work/env" >/dev/null
	case $k in lone) bad='\200' ;; overlong) bad='\300\257' ;; surrogate) bad='\355\240\200' ;; esac
	sed "s/\"v1\"/\"v1$(printf "$bad")\"/" "$lay/$c/index.json" >"$work/idx"
	cp "$work/idx" "$lay/$c/index.json"
done
# Invalid UTF-8 in a correctly signed JWS protected header, in the value of
# a non-critical attribute.
d=$(newimage jws-utf8)
jws_prot PS256 ",\"com.example.note\":\"caf$(printf '\351')\"" >"$work/prot"
envelope "$lay/jws-utf8" "$d" jws signer "$work/env" --protected-file "$work/prot"
attach "$lay/jws-utf8" "$d" jws "$work/env" >/dev/null
# A NUL in a tag, escaped ("v1\u0000evil") and raw: "DIR:v1" must not find
# it by a C string comparison.
for k in escaped raw; do
	c=tag-nul-$k
	d=$(newimage $c)
	envelope "$lay/$c" "$d" jws signer "$work/env"
	attach "$lay/$c" "$d" jws "$work/env" >/dev/null
	if [ $k = escaped ]; then
		sed 's/"v1"/"v1\\u0000evil"/' "$lay/$c/index.json" >"$work/idx"
	else
		# sed cannot write a NUL portably: split the file after "v1
		awk -v h="$work/head" -v t="$work/tail" '
		    !done && (i = index($0, "\"v1\"")) {
			printf "%s", substr($0, 1, i + 2) >h
			print substr($0, i + 3) >t; done = 1; next }
		    { if (done) print >t; else print >h }' "$lay/$c/index.json"
		{ cat "$work/head"; printf '\000evil'; cat "$work/tail"; } >"$work/idx"
	fi
	cp "$work/idx" "$lay/$c/index.json"
done

# ---------------------------------------------------------------------------
# Headers the Notary Project rules forbid, correctly signed.
# ---------------------------------------------------------------------------
# An unknown critical attribute in a JWS (the COSE one is
# testdata/layouts/unknown-crit), a crit entry naming an absent header,
# RFC 7797 "b64": false, and in COSE an unknown critical integer label.
sign jws-unknown-crit jws signer --attr com.example.policy=strict,crit
jws_prot PS256 '' ',"com.example.absent"' >"$work/prot"
sign jws-crit-absent jws signer --protected-file "$work/prot"
jws_prot PS256 ',"b64":false' ',"b64"' >"$work/prot"
sign jws-b64-false jws signer --protected-file "$work/prot"
{
	byte 166
	cb_uint 1; byte 56 36         # alg: -37 (PS256)
	cb_uint 2; byte 130; cb_tstr io.cncf.notary.signingScheme; cb_uint 99
	cb_uint 3; cb_tstr application/vnd.cncf.notary.payload.v1+json
	cb_uint 99; cb_tstr must-understand
	cb_tstr io.cncf.notary.signingTime; cb_time $TSECS
	cb_tstr io.cncf.notary.signingScheme; cb_tstr notary.x509
} >"$work/prot.cbor"
sign cose-unknown-crit-label cose signer --protected-file "$work/prot.cbor"
# The signing time is after the expiry (both after the verification time
# 2026-01-01, so only the order is wrong), in JWS and COSE.
jws_prot PS256 ',"io.cncf.notary.expiry":"2026-06-01T00:00:00Z"' ',"io.cncf.notary.expiry"' |
	sed 's/"io.cncf.notary.signingTime":"[^"]*"/"io.cncf.notary.signingTime":"2026-12-01T00:00:00Z"/' >"$work/prot"
sign jws-signed-after-expiry jws signer --protected-file "$work/prot"
{
	byte 166
	cb_uint 1; byte 56 36
	cb_uint 2; byte 130; cb_tstr io.cncf.notary.signingScheme; cb_tstr io.cncf.notary.expiry
	cb_uint 3; cb_tstr application/vnd.cncf.notary.payload.v1+json
	cb_tstr io.cncf.notary.expiry; cb_time 1780272000        # 2026-06-01
	cb_tstr io.cncf.notary.signingTime; cb_time 1796083200   # 2026-12-01
	cb_tstr io.cncf.notary.signingScheme; cb_tstr notary.x509
} >"$work/prot.cbor"
sign cose-signed-after-expiry cose signer --protected-file "$work/prot.cbor"
# Duplicate "alg" in a JWS header, one of each algorithm (the PS256 one
# matches the key; a parser keeping the first or the last differs).
jws_prot PS256 | sed 's/{"alg":"PS256"/{"alg":"none","alg":"PS256"/' >"$work/prot"
sign jws-dup-alg jws signer --protected-file "$work/prot"

# ---------------------------------------------------------------------------
# Signature values and certificates.
# ---------------------------------------------------------------------------
# An empty signature value, JWS and COSE.
d=$(newimage jws-empty-sig)
envelope "$lay/jws-empty-sig" "$d" jws signer "$work/env"
jws_set_sig "$work/env" ""
attach "$lay/jws-empty-sig" "$d" jws "$work/env" >/dev/null
d=$(newimage cose-empty-sig)
envelope "$lay/cose-empty-sig" "$d" cose ecsigner "$work/env"
# the signature is the last item: a 64-byte bstr (0x58 0x40 + r || s)
n=$(size "$work/env")
{ head -c $((n - 66)) "$work/env"; byte 64; } >"$work/env.cut"
attach "$lay/cose-empty-sig" "$d" cose "$work/env.cut" >/dev/null

# The leaf certificate with bytes after its DER encoding, in the JWS x5c
# (unprotected, so the signature still verifies) and the COSE x5chain.
openssl x509 -in "$pki/signer.crt" -outform DER -out "$work/leaf.der"
{ cat "$work/leaf.der"; printf 'trailing garbage'; } >"$work/leaf.bad"
d=$(newimage jws-x5c-trailing)
envelope "$lay/jws-x5c-trailing" "$d" jws signer "$work/env"
good=$(base64 -w0 "$work/leaf.der")
bad=$(base64 -w0 "$work/leaf.bad")
sed "s|\"x5c\":\\[\"$good\"|\"x5c\":[\"$bad\"|" "$work/env" >"$work/env.bad"
cmp -s "$work/env" "$work/env.bad" && { echo "gen.sh: x5c not patched" >&2; exit 1; }
attach_raw jws-x5c-trailing "$d" jws "$work/env.bad"
d=$(newimage cose-x5c-trailing)
envelope "$lay/cose-x5c-trailing" "$d" cose signer "$work/env"
# find the DER in the envelope (hex offset / 2), rewrite its bstr head
off=$(awk -v h="$(hex "$work/env")" -v n="$(hex "$work/leaf.der")" \
	'BEGIN { i = index(h, n); print (i - 1) / 2 }')
n=$(size "$work/leaf.der")
{
	head -c $((off - 3)) "$work/env"
	cb_head 2 $((n + 16))
	cat "$work/leaf.bad"
	tail -c +$((off + n + 1)) "$work/env"
} >"$work/env.bad"
attach_raw cose-x5c-trailing "$d" cose "$work/env.bad"

# Chains that reach a trusted certificate without being issued by it: an
# untrusted chain with the trusted root appended, an untrusted leaf with
# the trusted root after it, and the trusted root and intermediate CAs
# signing themselves, as leaves.
# chainsign CASE KEY CERT...: sign a new image with KEY and the chain CERT...
chainsign() {
	k_case=$1 k_key=$2
	shift 2
	for k_c in "$@"; do cat "$pki/$k_c.crt"; done >"$work/chain.pem"
	k_d=$(newimage "$k_case")
	"$OVTOOL" envelope --layout "$lay/$k_case" --target "$k_d" --key "$pki/$k_key.key" \
		--chain "$work/chain.pem" --format jws --signing-time "$T" -o "$work/env"
	attach "$lay/$k_case" "$k_d" jws "$work/env" >/dev/null
}
chainsign chain-root-appended other other other-root root
chainsign chain-root-after-leaf other other root
chainsign chain-root-as-leaf root root
chainsign chain-ca-as-leaf inter inter root

# ---------------------------------------------------------------------------
# Signature manifests and descriptors.
# ---------------------------------------------------------------------------
# A signature manifest with a second envelope layer (a good signature
# must be the only blob), and one whose JWS envelope is declared COSE.
c=sigmanifest-two-layers
d=$(newimage $c)
envelope "$lay/$c" "$d" jws signer "$work/env"
e=$(put "$lay/$c" "$work/env")
attach_raw $c "$d" jws "$work/env"
sz=$(size "$lay/$c/blobs/sha256/${d#sha256:}")
s=$(sigmanifest "$lay/$c" jws "$work/env" "$(descjson $MT_MAN "$d" "$sz")" \
	",$(descjson application/jose+json "$e" "$(size "$work/env")")")
index "$lay/$c" "$(tagged $MT_MAN "$d" "$sz" v1)" "$s"
c=sigmanifest-type-swap
d=$(newimage $c)
envelope "$lay/$c" "$d" jws signer "$work/env"
attach_raw $c "$d" cose "$work/env"
# Layer sizes that are negative, beyond int64 and fractional, in a
# correctly signed manifest.
for k in negative huge fraction; do
	c=manifest-size-$k
	rawlayout $c
	case $k in negative) s=-1 ;; huge) s=18446744073709551626 ;; fraction) s=10.5 ;; esac
	set -- $(rawimage "$lay/$c" "sha256:$(sha "$work/l1")" "$s")
	s=$(sigraw "$lay/$c" $MT_MAN "$1" "$2" jws signer)
	index "$lay/$c" "$(tagged $MT_MAN "$1" "$2" v1)" "$s"
done
# Image indexes nested 9 deep (the limit is 8), the outer one signed.
c=index-nesting
rawlayout $c
set -- $(rawimage "$lay/$c" "sha256:$(sha "$work/l1")" "$(size "$work/l1")")
mt=$MT_MAN
for i in 1 2 3 4 5 6 7 8 9; do
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"%s","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"linux"}}]}' \
		"$mt" "$1" "$2" >"$work/idx"
	set -- "$(put "$lay/$c" "$work/idx")" "$(size "$work/idx")"
	mt=application/vnd.oci.image.index.v1+json
done
s=$(sigraw "$lay/$c" "$mt" "$1" "$2" jws signer)
index "$lay/$c" "$(tagged "$mt" "$1" "$2" v1)" "$s"

# ---------------------------------------------------------------------------
# Archives and docker save archives.
# ---------------------------------------------------------------------------
ptar() {
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
		--mode=a=rX,u+w --format=pax -b1 \
		--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime "$@"
}
ar=$here/archives
# A ".." component in a long name, which tar stores in a pax "path"
# record (the ustar name field holds a harmless truncation).
mkdir -p "$work/pax/blobs/sha256"
cp "$lay/jws-unknown-crit/oci-layout" "$lay/jws-unknown-crit/index.json" "$work/pax/"
long=blobs/sha256/$(printf '%0100d' 0)
mkdir -p "$work/pax/$long"
cp "$work/pax/index.json" "$work/pax/$long/x"
ptar -C "$work/pax" -P --transform "s,^$long/x,$long/../../../../index.json," \
	-cf "$ar/pax-dotdot.tar" oci-layout "$long/x"
# index.json that is a directory
mkdir -p "$work/idxdir/index.json"
cp "$work/pax/oci-layout" "$work/idxdir/"
printf '{}' >"$work/idxdir/index.json/x"
ptar -C "$work/idxdir" -cf "$ar/index-is-dir.tar" oci-layout index.json

dk=$here/docker
mkdir -p "$work/save"
tar -C "$work/save" -xf "$td/docker/save-classic.tar"
sed -n 's/.*"Config":"\([^"]*\)".*/\1/p' "$work/save/manifest.json" >"$work/cfgname"
cfgname=$(cat "$work/cfgname")
set -- $(sed -n 's/.*"Layers":\["\([^"]*\)","\([^"]*\)"\].*/\1 \2/p' "$work/save/manifest.json")
la=$1 lb=$2
tags='"RepoTags":["registry.example/docker/app:v1"]'
# savewith NAME MANIFEST-JSON: the classic save with another manifest.json
# (gzip-compressed to keep the fixtures small; docker load reads that too)
savewith() {
	rm -rf "$work/s2" && cp -r "$work/save" "$work/s2"
	printf '%s' "$2" >"$work/s2/manifest.json"
	ptar -C "$work/s2" -cf - . | gzip -n -9 >"$dk/$1.tar.gz"
}
savewith layer-dotdot "[{\"Config\":\"$cfgname\",$tags,\"Layers\":[\"$la\",\"../$lb\"]}]"
savewith layer-inner-dotdot "[{\"Config\":\"$cfgname\",$tags,\"Layers\":[\"$la\",\"${la%/*}/../$lb\"]}]"
savewith config-absolute "[{\"Config\":\"/$cfgname\",$tags,\"Layers\":[\"$la\",\"$lb\"]}]"
savewith layers-swapped "[{\"Config\":\"$cfgname\",$tags,\"Layers\":[\"$lb\",\"$la\"]}]"
savewith layers-repeated "[{\"Config\":\"$cfgname\",$tags,\"Layers\":[\"$la\",\"$la\"]}]"
savewith dup-config "[{\"Config\":\"$cfgname\",\"Config\":\"manifest.json\",$tags,\"Layers\":[\"$la\",\"$lb\"]}]"
savewith case-config "[{\"Config\":\"$cfgname\",\"config\":\"manifest.json\",$tags,\"Layers\":[\"$la\",\"$lb\"]}]"
# the config rewritten in place (file name kept, so the name still says
# the signed image ID) to list the diff_id of a replaced layer
rm -rf "$work/s3" && cp -r "$work/save" "$work/s3"
mkdir -p "$work/evildir" && printf 'echo pwned\n' >"$work/evildir/run.sh"
ptar -C "$work/evildir" -cf "$work/s3/$lb" run.sh
old=${lb%/layer.tar}
sed "s/sha256:$old/sha256:$(sha "$work/s3/$lb")/" "$work/save/$cfgname" >"$work/s3/$cfgname"
cmp -s "$work/save/$cfgname" "$work/s3/$cfgname" && { echo "gen.sh: config not rewritten" >&2; exit 1; }
ptar -C "$work/s3" -cf - . | gzip -n -9 >"$dk/config-rewritten.tar.gz"
# two entries with the same config: the one tagged v1 has its layers
# swapped
savewith second-entry "[{\"Config\":\"$cfgname\",\"RepoTags\":[\"registry.example/docker/app:good\"],\"Layers\":[\"$la\",\"$lb\"]},{\"Config\":\"$cfgname\",$tags,\"Layers\":[\"$lb\",\"$la\"]}]"

# ---------------------------------------------------------------------------
# Unsigned, tagged, runnable images hidden from whole-source verification
# (ocivet decides what is an image by content: each is verified, and fails).
# Each layout holds the signed image "v1" and an unsigned image whose
# index.json entry is tagged and named for containerd and docker 25+
# (which import every such entry):
#   hidden-subject      the unsigned manifest has a subject (the signed
#                       image), so it counts as an artifact, not an image;
#   hidden-artifacttype its index.json descriptor says artifactType
#                       application/vnd.cncf.notary.signature;
#   hidden-reftag       it is wrapped in an image index tagged sha256-<hex>,
#                       the referrers tag schema.
# ---------------------------------------------------------------------------
printf 'echo pwned\n' >"$work/evilsh"
for c in hidden-subject hidden-artifacttype hidden-reftag; do
	d=$(newimage $c)
	envelope "$lay/$c" "$d" jws signer "$work/env"
	attach "$lay/$c" "$d" jws "$work/env" >/dev/null
	sz=$(size "$lay/$c/blobs/sha256/${d#sha256:}")
	el=$(put "$lay/$c" "$work/evilsh")
	printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}' "$el" >"$work/ecfg"
	ec=$(put "$lay/$c" "$work/ecfg")
	subj=
	[ $c = hidden-subject ] && subj=",\"subject\":$(descjson $MT_MAN "$d" "$sz")"
	printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s]%s}' "$MT_MAN" \
		"$(descjson $MT_CFG "$ec" "$(size "$work/ecfg")")" \
		"$(descjson $MT_LAYER "$el" "$(size "$work/evilsh")")" "$subj" >"$work/eman"
	em=$(put "$lay/$c" "$work/eman")
	emt=$MT_MAN esz=$(size "$work/eman") extra=
	case $c in
	hidden-artifacttype) extra=',"artifactType":"application/vnd.cncf.notary.signature"' ;;
	hidden-reftag)
		printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"%s","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"linux"}}]}' \
			"$MT_MAN" "$em" "$esz" >"$work/eidx"
		em=$(put "$lay/$c" "$work/eidx")
		emt=application/vnd.oci.image.index.v1+json esz=$(size "$work/eidx")
		;;
	esac
	tag=evil
	[ $c = hidden-reftag ] && tag=sha256-$(printf '%064d' 0)
	# add the entry to the index.json ovtool wrote (its last line is "}")
	sed '$d' "$lay/$c/index.json" | sed '$s/}]$/},/' >"$work/idx"
	printf '{"mediaType":"%s","digest":"%s","size":%s%s,"annotations":{"io.containerd.image.name":"docker.io/library/alpine:3.20","org.opencontainers.image.ref.name":"%s"}}]\n}\n' \
		"$emt" "$em" "$esz" "$extra" "$tag" >>"$work/idx"
	cp "$work/idx" "$lay/$c/index.json"
done
# A docker 25+ save whose index.json is the signed image but whose
# manifest.json, which the classic docker load reads instead, names an
# unsigned image under the same tag (ocivet checks manifest.json against
# the images of index.json).
rm -rf "$work/so" && mkdir -p "$work/so"
tar -C "$work/so" -xf "$td/docker/save-oci.tar"
rm -rf "$work/evilfs" && mkdir -p "$work/evilfs" && cp "$work/evilsh" "$work/evilfs/run.sh"
ptar -C "$work/evilfs" -cf "$work/evil.tar" run.sh
el=$(put "$work/so" "$work/evil.tar")
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}' "$el" >"$work/ecfg"
ec=$(put "$work/so" "$work/ecfg")
printf '[{"Config":"blobs/sha256/%s","RepoTags":["registry.example/docker/app:v1"],"Layers":["blobs/sha256/%s"]}]' \
	"${ec#sha256:}" "${el#sha256:}" >"$work/so/manifest.json"
ptar -C "$work/so" -cf - . | gzip -n -9 >"$dk/oci-manifest-json-swap.tar.gz"

# ---------------------------------------------------------------------------
# Repository scope chosen by the attacker. The scope of an image comes
# from its own metadata unless the operator gives --scope or a full
# reference: an unsigned image that names itself into the scope of a
# "skip" statement must fail (a scope the image names may only select a
# statement as strict as "*", or with no "*" one that enforces every
# check); pinned to a strict scope, it fails too.
# ---------------------------------------------------------------------------
cfg=$here/config
rm -rf "$cfg"
mkdir -p "$cfg/scopes/truststore/x509/ca/test"
cp "$pki/root.crt" "$cfg/scopes/truststore/x509/ca/test/"
cat >"$cfg/scopes/trustpolicy.oci.json" <<'POLICY'
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "prod",
            "registryScopes": ["registry.example/prod/app"],
            "signatureVerification": { "level": "strict" },
            "trustStores": ["ca:test"],
            "trustedIdentities": ["*"]
        },
        {
            "name": "sandbox",
            "registryScopes": ["registry.example/sandbox/scratch"],
            "signatureVerification": { "level": "skip" }
        }
    ]
}
POLICY
"$OVTOOL" init "$lay/scope-spoof"
printf 'unsigned image in a sandbox name\n' >"$work/own"
"$OVTOOL" image "$lay/scope-spoof" --tag v1 --name registry.example/sandbox/scratch:v1 \
	--layer "$work/own" >/dev/null

# A "*" statement beside statements of every strength (issue 8, item 4):
# "prod" is as strict as "*" (same store, a narrower identity), the
# others are weaker in one way each. Images that name themselves into
# them are made by tests/adversarial.sh from the signed fixtures; the one
# here names itself only by a full org.opencontainers.image.ref.name.
mkdir -p "$cfg/scope-star/truststore/x509/ca/test" \
	"$cfg/scope-star/truststore/x509/ca/other"
cp "$pki/root.crt" "$cfg/scope-star/truststore/x509/ca/test/"
cp "$pki/other-root.crt" "$cfg/scope-star/truststore/x509/ca/other/"
cat >"$cfg/scope-star/trustpolicy.oci.json" <<'POLICY'
# ---------------------------------------------------------------------------
# COSE header buckets (RFC 9052 section 3), correctly signed: the
# unprotected header is not signed, so entries added to it keep the
# signature valid. A label in both buckets (alg, a Notary attribute), and
# IV with Partial IV in the other bucket.
# ---------------------------------------------------------------------------
# cose_add_unprot IN OUT ENTRY: OUT is the COSE_Sign1 envelope IN with the
# CBOR map entry in file ENTRY (a label and its value) added to its
# unprotected header
cose_add_unprot() {
	u_off=$(od -An -tu1 -v -j2 -N3 "$1" | awk '{
		if ($1 == 88) print 4 + $2;
		else if ($1 == 89) print 5 + $2 * 256 + $3;
		else print -1 }')
	[ "$u_off" -gt 0 ] || { echo "gen.sh: cose_add_unprot: protected header head" >&2; exit 1; }
	u_m=$(od -An -tu1 -v -j"$u_off" -N1 "$1" | tr -d ' ')
	[ "$u_m" -ge 160 ] && [ "$u_m" -lt 183 ] ||
		{ echo "gen.sh: cose_add_unprot: unprotected map head $u_m" >&2; exit 1; }
	{
		head -c "$u_off" "$1"
		byte $((u_m + 1))
		cat "$3"
		tail -c +$((u_off + 2)) "$1"
	} >"$2"
}
# cose_bucket CASE ENTRY-FILE: a signed image whose envelope has ENTRY
# added to its unprotected header
cose_bucket() {
	d=$(newimage "$1")
	envelope "$lay/$1" "$d" cose signer "$work/env"
	cose_add_unprot "$work/env" "$work/env.bad" "$2"
	attach "$lay/$1" "$d" cose "$work/env.bad" >/dev/null
}
{ cb_uint 1; byte 56 36; } >"$work/entry"           # alg: -37 (PS256)
cose_bucket cose-alg-both-buckets "$work/entry"
{ cb_tstr io.cncf.notary.signingScheme; cb_tstr notary.x509.signingAuthority; } >"$work/entry"
cose_bucket cose-scheme-both-buckets "$work/entry"
{
	byte 167                      # map(7): the usual header and an IV
	cb_uint 1; byte 56 36
	cb_uint 2; byte 129; cb_tstr io.cncf.notary.signingScheme
	cb_uint 3; cb_tstr application/vnd.cncf.notary.payload.v1+json
	cb_uint 4; cb_head 2 5; printf 'key-1'
	cb_uint 5; cb_head 2 12; printf '0123456789ab'
	cb_tstr io.cncf.notary.signingTime; cb_time $TSECS
	cb_tstr io.cncf.notary.signingScheme; cb_tstr notary.x509
} >"$work/prot.cbor"
d=$(newimage cose-iv-partial-iv)
envelope "$lay/cose-iv-partial-iv" "$d" cose signer "$work/env" --protected-file "$work/prot.cbor"
{ cb_uint 6; cb_head 2 2; printf '01'; } >"$work/entry"
cose_add_unprot "$work/env" "$work/env.bad" "$work/entry"
attach "$lay/cose-iv-partial-iv" "$d" cose "$work/env.bad" >/dev/null

# ---------------------------------------------------------------------------
# A leaf whose subject has a multi-valued RDN, "O=ocivet test+CN=ocivet
# MV Signer", issued by the test CA: Go flattens it and matches the
# identity "... O=ocivet test, CN=ocivet MV Signer"; ocivet refuses it.
# openssl ca would flatten the subject, so the CSR is signed with openssl
# x509 -req, valid from now for 98 years (the case passes its own --at).
# ---------------------------------------------------------------------------
cat >"$work/mv.cnf" <<'CNF'
[req]
distinguished_name = req_dn
string_mask = utf8only
utf8 = yes
[req_dn]
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/mv.key"
openssl req -new -config "$work/mv.cnf" -key "$work/mv.key" \
	-subj "/C=US/ST=WA/L=Seattle/O=ocivet test+CN=ocivet MV Signer" -out "$work/mv.csr"
openssl x509 -req -in "$work/mv.csr" -CA "$pki/inter.crt" -CAkey "$pki/inter.key" \
	-set_serial 0x6d76726470 -days 35800 -extfile "$work/mv.cnf" -extensions leaf \
	-out "$work/mv.crt" 2>/dev/null
openssl x509 -in "$work/mv.crt" -noout -subject -nameopt RFC2253 | grep -q '+' ||
	{ echo "gen.sh: the multi-valued RDN was flattened" >&2; exit 1; }
cat "$work/mv.crt" "$pki/inter.crt" "$pki/root.crt" >"$work/mv.chain.pem"
d=$(newimage subject-multivalued-rdn)
"$OVTOOL" envelope --layout "$lay/subject-multivalued-rdn" --target "$d" \
	--key "$work/mv.key" --chain "$work/mv.chain.pem" --format jws \
	--signing-time 2100-01-01T00:00:00Z -o "$work/env"
attach "$lay/subject-multivalued-rdn" "$d" jws "$work/env" >/dev/null
mkdir -p "$cfg/identity-mvrdn/truststore/x509/ca/test"
cp "$pki/root.crt" "$cfg/identity-mvrdn/truststore/x509/ca/test/"
cat >"$cfg/identity-mvrdn/trustpolicy.oci.json" <<'POLICY'
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "global",
            "registryScopes": ["*"],
            "signatureVerification": { "level": "strict" },
            "trustStores": ["ca:test"],
            "trustedIdentities": ["*"]
        },
        {
            "name": "prod",
            "registryScopes": ["registry.example/prod/app", "registry.example/app"],
            "signatureVerification": { "level": "strict" },
            "trustStores": ["ca:test"],
            "trustedIdentities": ["x509.subject: C=US, ST=WA, O=ocivet test"]
        },
        {
            "name": "sandbox",
            "registryScopes": ["registry.example/sandbox/scratch", "registry.example/docker/app"],
            "signatureVerification": { "level": "skip" }
        },
        {
            "name": "lax",
            "registryScopes": ["registry.example/lax/app"],
            "signatureVerification": { "level": "permissive" },
            "trustStores": ["ca:test"],
            "trustedIdentities": ["*"]
        },
        {
            "name": "audit",
            "registryScopes": ["registry.example/audit/app"],
            "signatureVerification": { "level": "audit" },
            "trustStores": ["ca:test"],
            "trustedIdentities": ["*"]
        },
        {
            "name": "no-revocation",
            "registryScopes": ["registry.example/norev/app"],
            "signatureVerification": { "level": "strict", "override": { "revocation": "skip" } },
            "trustStores": ["ca:test"],
            "trustedIdentities": ["*"]
        },
        {
            "name": "partner",
            "registryScopes": ["registry.example/partner/app"],
            "signatureVerification": { "level": "strict" },
            "trustStores": ["ca:other"],
            "trustedIdentities": ["*"]
            "name": "identity-mvrdn",
            "registryScopes": ["*"],
            "signatureVerification": { "level": "strict" },
            "trustStores": ["ca:test"],
            "trustedIdentities": ["x509.subject: C=US, ST=WA, L=Seattle, O=ocivet test, CN=ocivet MV Signer"]
        }
    ]
}
POLICY
"$OVTOOL" init "$lay/scope-spoof-refname"
"$OVTOOL" image "$lay/scope-spoof-refname" --tag registry.example/sandbox/scratch:v1 \
	--layer "$work/own" >/dev/null
# ---------------------------------------------------------------------------
# Symbolic links in docker-archive (issue 8 item 8). skopeo and podman
# store each layer once as <diffid>.tar at the root, named in Layers, and
# link <id>/layer.tar -> ../<diffid>.tar; ocivet accepts exactly that
# shape (tests/exporters.sh runs the real tools). Each variant below
# breaks one rule of the link and must be refused.
# ---------------------------------------------------------------------------
rm -rf "$work/sk" && mkdir -p "$work/sk"
tar -C "$work/sk" -xf "$td/docker/save-classic.tar"
for l in "$la" "$lb"; do
	mv "$work/sk/$l" "$work/sk/${l%/layer.tar}.tar"
	ln -s "../${l%/layer.tar}.tar" "$work/sk/$l"
done
printf '[{"Config":"%s",%s,"Layers":["%s","%s"]}]' "$cfgname" "$tags" \
	"${la%/layer.tar}.tar" "${lb%/layer.tar}.tar" >"$work/sk/manifest.json"
# withlink NAME LINK TARGET: the skopeo-shaped save with LINK -> TARGET
# added or replacing a link
withlink() {
	rm -rf "$work/s4" && cp -a "$work/sk" "$work/s4"
	mkdir -p "$work/s4/$(dirname "$2")"
	rm -f "$work/s4/$2"
	ln -s "$3" "$work/s4/$2"
	ptar -C "$work/s4" -cf - . | gzip -n -9 >"$dk/$1.tar.gz"
}
la_id=${la%/layer.tar}
withlink link-absolute "$la" "/$la_id.tar"
withlink link-escape "$la" "../../$la_id.tar"
withlink link-to-link "$la" "../${lb}"
withlink link-absent "$la" "../0000.tar"
withlink link-to-dir "$la" "../${lb%/layer.tar}"
withlink link-not-layer-path "$la_id/json" "../$la_id.tar"
withlink link-at-root "evil.tar" "$la_id.tar"
withlink link-not-in-layers "0000/layer.tar" "../$cfgname"
# a layout archive (the jws layout) with a docker-shaped link
rm -rf "$work/ll" && cp -a "$td/layouts/jws" "$work/ll" && mkdir "$work/ll/x"
ln -s ../index.json "$work/ll/x/layer.tar"
ptar -C "$work/ll" -cf - . | gzip -n -9 >"$ar/layout-link.tar.gz"

# A docker 25+ save whose manifest.json names the layer blobs of the
# signed manifest, but in another order: not the signed blobs as signed,
# so the diff_id check applies, and fails (item 9).
rm -rf "$work/so" && mkdir -p "$work/so"
tar -C "$work/so" -xf "$td/docker/save-oci.tar"
sed 's/"Layers":\["\([^"]*\)","\([^"]*\)"\]/"Layers":["\2","\1"]/' \
	"$work/so/manifest.json" >"$work/mj"
cmp -s "$work/mj" "$work/so/manifest.json" && { echo "gen.sh: Layers not swapped" >&2; exit 1; }
cp "$work/mj" "$work/so/manifest.json"
ptar -C "$work/so" -cf - . | gzip -n -9 >"$dk/oci-layers-swapped.tar.gz"

# Layouts archived with their top directory (item 10): accepted only when
# that directory holds every file; a docker save there is refused (docker
# load reads manifest.json at the root only).
rm -rf "$work/top" && mkdir -p "$work/top"
cp -a "$td/layouts/jws" "$work/top/images"
printf 'x\n' >"$work/top/README"
ptar -C "$work/top" -cf - images README | gzip -n -9 >"$ar/topdir-and-file.tar.gz"
rm -rf "$work/top" && mkdir -p "$work/top/images"
tar -C "$work/top/images" -xf "$td/docker/save-oci.tar"
ptar -C "$work/top" -cf - images | gzip -n -9 >"$dk/topdir-docker-save.tar.gz"

# ---------------------------------------------------------------------------
# Member names that differ only in letter case. Go's encoding/json, which
# notation, docker, containerd and skopeo use, reads "Digest", "DIGEST" and
# "dige\u017ft" (U+017F, long s, folds to s) as "digest", keeps the last of
# them, and reads a lone variant as the member itself; ocivet reads the
# exact name. Each layout holds a signed image and an unsigned one that a
# Go reader takes instead ("evil", whose layer is a shell script); both
# manifests are padded to 1024 bytes so that one "size" fits either.
# ---------------------------------------------------------------------------
MT_IDX=application/vnd.oci.image.index.v1+json
# pad1k FILE: pad a JSON document with spaces to 1024 bytes
pad1k() {
	k_n=$(size "$1")
	[ "$k_n" -le 1024 ] || { echo "gen.sh: $1 is over 1024 bytes" >&2; exit 1; }
	awk -v n=$((1024 - k_n)) 'BEGIN { while (n-- > 0) printf " " }' >>"$1"
}
# fimage DIR LAYER-FILE [LAYER-MEMBERS] [MANIFEST-MEMBERS]: a config and a
# 1024-byte manifest for one layer (extra members appended to the layer
# descriptor and to the manifest); prints the manifest digest
fimage() {
	f_l=$(put "$1" "$2")
	printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}' "$f_l" >"$work/fcfg"
	f_c=$(put "$1" "$work/fcfg")
	printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[{"mediaType":"%s","digest":"%s","size":%s%s}]%s}' \
		"$MT_MAN" "$(descjson $MT_CFG "$f_c" "$(size "$work/fcfg")")" \
		"$MT_LAYER" "$f_l" "$(size "$2")" "${3:-}" "${4:-}" >"$work/fman"
	pad1k "$work/fman"
	put "$1" "$work/fman"
}
# fpair CASE: a layout with the signed image (good, its signature's
# index.json entry in sig) and the unsigned one (evil); index.json is the
# caller's
fpair() {
	rawlayout "$1"
	good=$(fimage "$lay/$1" "$work/l1")
	sig=$(sigraw "$lay/$1" $MT_MAN "$good" 1024 jws signer)
	evil=$(fimage "$lay/$1" "$work/evilsh")
}
# findex CASE MANIFESTS-MEMBERS: write index.json
findex() {
	printf '{"schemaVersion":2,"mediaType":"%s",%s}' "$MT_IDX" "$2" >"$lay/$1/index.json"
}
v1ann='"annotations":{"org.opencontainers.image.ref.name":"v1"}'
# index.json: the entry of the signed image also has "Digest" (and, in
# the long-s case, "dige\u017ft", escaped) naming the unsigned image.
fpair fold-index-digest
findex fold-index-digest "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann,\"Digest\":\"$evil\"},$sig]"
fpair fold-index-digest-long-s
findex fold-index-digest-long-s "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann,\"dige\\u017ft\":\"$evil\"},$sig]"
# index.json lists the signed image in "manifests" and the unsigned one,
# tagged alike, in "Manifests" (and in "manife\u017fts", raw UTF-8).
fpair fold-index-manifests
findex fold-index-manifests "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann},$sig],\"Manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$evil\",\"size\":1024,$v1ann}]"
fpair fold-index-manifests-long-s
findex fold-index-manifests-long-s "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann},$sig],\"manife$(printf '\305\277')ts\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$evil\",\"size\":1024,$v1ann}]"
# An optional member spelled otherwise: the unsigned image, listed first,
# is tagged v1 by "Annotations", which ocivet used to ignore, and a Go
# reader (skopeo's oci: transport takes the first entry tagged v1) reads.
fpair fold-index-annotations
findex fold-index-annotations "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$evil\",\"size\":1024,\"Annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}},{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann},$sig]"
# Signed manifests with "layers" and "Layers", "config" and "Config": the
# blob check used to look only at the first, an importer at the second.
for k in layers config; do
	c=fold-manifest-$k
	rawlayout $c
	el=$(put "$lay/$c" "$work/evilsh")
	printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}' "$el" >"$work/ecfg"
	ec=$(put "$lay/$c" "$work/ecfg")
	case $k in
	layers) extra=",\"Layers\":[$(descjson $MT_LAYER "$el" "$(size "$work/evilsh")")]" ;;
	config) extra=",\"Config\":$(descjson $MT_CFG "$ec" "$(size "$work/ecfg")")" ;;
	esac
	good=$(fimage "$lay/$c" "$work/l1" "" "$extra")
	sig=$(sigraw "$lay/$c" $MT_MAN "$good" 1024 jws signer)
	findex $c "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann},$sig]"
done
# A Notary payload with "targetArtifact" (this image) and "TargetArtifact"
# (the unsigned one): notation would take the signature for the other.
fpair fold-payload-target
payload "$(descjson $MT_MAN "$good" 1024),\"TargetArtifact\":$(descjson $MT_MAN "$evil" 1024)" >"$work/pay"
"$OVTOOL" envelope --descriptor "$MT_MAN,$good,1024" --key "$pki/signer.key" \
	--chain "$pki/signer.chain.pem" --format jws --signing-time "$T" \
	--payload-file "$work/pay" -o "$work/env"
sig=$(sigmanifest "$lay/fold-payload-target" jws "$work/env" "$(descjson $MT_MAN "$good" 1024)")
findex fold-payload-target "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann},$sig]"
# docker save manifest.json: "RepoTag\u017f" beside "RepoTags" names the
# image otherwise for docker load; "repoTags" alone (refused before, by a
# plain case-insensitive comparison).
savewith case-repotags-long-s "[{\"Config\":\"$cfgname\",$tags,\"RepoTag\\u017f\":[\"registry.example/other/app:v1\"],\"Layers\":[\"$la\",\"$lb\"]}]"
savewith case-repotags-lower "[{\"Config\":\"$cfgname\",\"repoTags\":[\"registry.example/docker/app:v1\"],\"Layers\":[\"$la\",\"$lb\"]}]"

# ---------------------------------------------------------------------------
# Descriptor "data" (image-spec descriptor.md: the embedded content, which
# must match digest and size; tools that read it do not fetch the blob).
# The index.json entry of the signed image embeds the unsigned manifest
# (same size), a shorter copy of it, or the signed manifest itself in
# unpadded base64url, which is not the base64 the spec asks for; a signed
# manifest's layer descriptor embeds other bytes of the layer's size.
# ---------------------------------------------------------------------------
for k in digest length base64; do
	c=data-$k
	fpair $c
	case $k in
	digest) data=$(base64 -w0 "$lay/$c/blobs/sha256/${evil#sha256:}") ;;
	length) data=$(head -c 1000 "$lay/$c/blobs/sha256/${evil#sha256:}" | base64 -w0) ;;
	base64) data=$(b64url <"$lay/$c/blobs/sha256/${good#sha256:}") ;;
	esac
	findex $c "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann,\"data\":\"$data\"},$sig]"
done
c=data-layer-digest
rawlayout $c
good=$(fimage "$lay/$c" "$work/l1" ",\"data\":\"$(printf 'LAYER ONE\n' | base64 -w0)\"")
sig=$(sigraw "$lay/$c" $MT_MAN "$good" 1024 jws signer)
findex $c "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann},$sig]"

# ---------------------------------------------------------------------------
# Decoder memory (issue 9): zstd frames that ask for a 128 MiB window
# (zstd --long=27 on a stream, whose header then gives no content size).
# libarchive's zstd filter sets no window limit: the decoder allocates the
# window and, as data flows, touches all of it, more than the 32 MiB a
# verification may use. ocivet decodes zstd itself and refuses windows
# over 8 MiB (OV_ARCHIVE_ZSTD_WINDOW_LOG): the archive itself, and a
# correctly signed layer checked with --deep.
# ---------------------------------------------------------------------------
if command -v zstd >/dev/null; then
	zstd -dc "$td/archives/jws.tar.zst" | zstd -q --long=27 -c \
		>"$here/archives/zstd-window.tar.zst"
	c=zstd-window-layer
	rawlayout $c
	printf 'layer one\n' | zstd -q --long=27 -c >"$work/zl"
	z_l=$(put "$lay/$c" "$work/zl")
	printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$(sha "$work/l1")" >"$work/zcfg"
	z_c=$(put "$lay/$c" "$work/zcfg")
	printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s]}' \
		"$MT_MAN" "$(descjson $MT_CFG "$z_c" "$(size "$work/zcfg")")" \
		"$(descjson $MT_LAYER+zstd "$z_l" "$(size "$work/zl")")" >"$work/zman"
	pad1k "$work/zman"
	good=$(put "$lay/$c" "$work/zman")
	sig=$(sigraw "$lay/$c" $MT_MAN "$good" 1024 jws signer)
	findex $c "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann},$sig]"
else
	echo "adversarial/gen.sh: zstd not found: zstd-window cases not made" >&2
fi

# ---------------------------------------------------------------------------
# gzip framing (issue 9): libarchive 3.6's gzip filter checks no trailer
# and stops at the first bytes after a member that are not a gzip header,
# so each of these verified before ocivet read gzip itself (gzip.c); Go's
# compress/gzip (docker, containerd, skopeo, podman) refuses each. From
# archives/layout.tar.gz (one member, signed image): its trailer's CRC-32
# or ISIZE changed, text appended, a second member with reserved flag
# bits appended, and zero padding followed by text.
# ---------------------------------------------------------------------------
gz=$td/archives/layout.tar.gz
gzn=$(size "$gz")
# 4 bytes other than the 4 at $1 bytes from the end of layout.tar.gz
gz_other() {
	if [ "$(tail -c "$1" "$gz" | head -c 4 | od -An -tx1 | tr -d ' \n')" = 00000000 ]
	then printf '\001\000\000\000'; else printf '\000\000\000\000'; fi
}
{ head -c $((gzn - 8)) "$gz"; gz_other 8; tail -c 4 "$gz"; } \
	>"$here/archives/gzip-crc.tar.gz"
{ head -c $((gzn - 4)) "$gz"; gz_other 4; } >"$here/archives/gzip-isize.tar.gz"
{ cat "$gz"; printf 'appended after the gzip stream\n'; } \
	>"$here/archives/gzip-trailing-garbage.tar.gz"
{ cat "$gz"; byte 31 139 8 224 0 0 0 0 0 3; printf 'x'; } \
	>"$here/archives/gzip-reserved-flags.tar.gz"
{ cat "$gz"; head -c 512 /dev/zero; printf 'x'; } \
	>"$here/archives/gzip-zeros-then-garbage.tar.gz"

# A signed image whose gzip layer's trailer has the wrong CRC-32 (the
# blob's digest is of these bytes, so only decompressing sees it):
# verify --deep decompressed it with libarchive's filter, which never
# checks, and verified; containerd's apply (Go) refuses it.
c=gzip-crc-layer
rawlayout $c
printf 'layer one\n' | gzip -n >"$work/gl"
gln=$(size "$work/gl")
{ head -c $((gln - 8)) "$work/gl"; printf '\000\000\000\000'; tail -c 4 "$work/gl"; } \
	>"$work/glbad"
g_l=$(put "$lay/$c" "$work/glbad")
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	"$(sha "$work/l1")" >"$work/gcfg"
g_c=$(put "$lay/$c" "$work/gcfg")
printf '{"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s]}' \
	"$MT_MAN" "$(descjson $MT_CFG "$g_c" "$(size "$work/gcfg")")" \
	"$(descjson $MT_LAYER+gzip "$g_l" "$(size "$work/glbad")")" >"$work/gman"
pad1k "$work/gman"
good=$(put "$lay/$c" "$work/gman")
sig=$(sigraw "$lay/$c" $MT_MAN "$good" 1024 jws signer)
findex $c "\"manifests\":[{\"mediaType\":\"$MT_MAN\",\"digest\":\"$good\",\"size\":1024,$v1ann},$sig]"
# the same in an archive (archive.c decompresses the layer entry)
ptar -C "$lay/$c" -cf "$here/archives/gzip-crc-layer.tar" .

# The tar dialect cases, written header by header by tests/tools/ovtar.
OVTAR=${OVTAR:-$(dirname "$OVTOOL")/ovtar} sh "$here/gen-tar.sh"

echo "adversarial/gen.sh: done"
