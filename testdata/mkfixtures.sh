#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates the verification fixtures: a test PKI (openssl CLI, fixed
# validity dates), OCI image layouts signed by ocivet's own JWS and COSE
# encoders (through tests/tools/ovtool), notation configuration
# directories, and the demo image with its trust bundle in bundles/demo.
# The outputs are committed, so tests never depend on the clock: every
# test verifies "--at 2026-01-01T00:00:00Z".
#
#   OVTOOL=/path/to/build/tests/tools/ovtool sh testdata/mkfixtures.sh [--all]
#
# Keys and signatures change on every run (RSA-PSS and ECDSA are
# randomised); after regenerating, refresh the CLI golden files with
# `OV_UPDATE_GOLDEN=1 make check` and review the diff.
# The module fixtures (testdata/envelope, testdata/pki, testdata/policy)
# have their own gen.sh scripts, run from here too.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
: "${OVTOOL:?set OVTOOL to the built tests/tools/ovtool}"
command -v openssl >/dev/null || { echo "mkfixtures: openssl not found" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The module fixtures change only when their gen.sh does:
# `mkfixtures.sh --all` regenerates them too.
if [ "${1:-}" = --all ]; then
	sh "$here/envelope/gen.sh"
	sh "$here/pki/gen.sh"
	sh "$here/revocation/gen.sh"
	sh "$here/tsa/gen.sh"
fi

# --------------------------------------------------------------------------
# PKI. Validity 2025-01-01 .. 2125-01-01 unless a case needs otherwise.
# --------------------------------------------------------------------------
pki=$here/keys
rm -rf "$pki"
mkdir -p "$pki"
START=20250101000000Z
END=21250101000000Z

cat >"$work/ca.cnf" <<'CNF'
[ca]
default_ca = testca
[testca]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
preserve = yes
[policy_any]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
[req]
distinguished_name = req_dn
string_mask = utf8only
utf8 = yes
[req_dn]
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_cdp]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.ocivet.test/root.crl
[leaf_cdp]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.ocivet.test/inter.crl
[tsa]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[crl_ext]
authorityKeyIdentifier = keyid
[leaf_server]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# newkey NAME rsa:BITS|ec:CURVE
newkey() {
	case $2 in
	rsa:*) openssl genpkey -quiet -algorithm RSA \
		-pkeyopt rsa_keygen_bits:${2#rsa:} -out "$pki/$1.key" ;;
	ec:*) openssl genpkey -quiet -algorithm EC \
		-pkeyopt ec_paramgen_curve:${2#ec:} -out "$pki/$1.key" ;;
	esac
}

# issue NAME ISSUER|self SUBJECT EXTENSIONS [START END]
issue() {
	name=$1 issuer=$2 subj=$3 ext=$4 s=${5:-$START} e=${6:-$END}
	d=$work/ca-$issuer
	if [ ! -d "$d" ]; then
		mkdir -p "$d/newcerts"
		: >"$d/index.txt"
		echo 1000 >"$d/serial"
	fi
	openssl req -new -config "$work/ca.cnf" -key "$pki/$name.key" \
		-subj "$subj" -out "$work/$name.csr"
	if [ "$issuer" = self ]; then
		(cd "$d" && openssl ca -batch -config "$work/ca.cnf" -selfsign \
			-keyfile "$pki/$name.key" -in "$work/$name.csr" \
			-startdate "$s" -enddate "$e" -extensions "$ext" \
			-notext -out "$pki/$name.crt" 2>/dev/null)
	else
		(cd "$d" && openssl ca -batch -config "$work/ca.cnf" \
			-cert "$pki/$issuer.crt" -keyfile "$pki/$issuer.key" \
			-in "$work/$name.csr" -startdate "$s" -enddate "$e" \
			-extensions "$ext" -notext -out "$pki/$name.crt" 2>/dev/null)
	fi
}

O="/C=US/ST=WA/L=Seattle/O=ocivet test"
newkey root rsa:3072;    issue root self "$O/CN=ocivet Test Root CA" root
newkey inter rsa:2048;   issue inter root "$O/CN=ocivet Test Intermediate CA" int
newkey signer rsa:2048;  issue signer inter "$O/OU=Builds/CN=ocivet Test Signer" leaf
newkey ecsigner ec:P-256; issue ecsigner inter "$O/CN=ocivet Test EC Signer" leaf
newkey sasigner ec:P-384; issue sasigner inter "$O/CN=ocivet Test Signing Authority" leaf
newkey expired rsa:2048; issue expired inter "$O/CN=ocivet Expired Signer" leaf \
	20250101000000Z 20250601000000Z
newkey server rsa:2048;  issue server inter "$O/CN=ocivet TLS Server" leaf_server
newkey other-root rsa:2048; issue other-root self "/C=US/ST=WA/O=Elsewhere/CN=Other Root CA" root
newkey other rsa:2048;   issue other other-root "/C=US/ST=WA/O=Elsewhere/CN=Other Signer" leaf

# A chain whose certificates name CRL distribution points.
newkey crl-inter rsa:2048; issue crl-inter root "$O/CN=ocivet Test CRL Intermediate CA" int_cdp
newkey crl-signer rsa:2048; issue crl-signer crl-inter "$O/OU=Builds/CN=ocivet Test CRL Signer" leaf_cdp
cat "$pki/crl-signer.crt" "$pki/crl-inter.crt" "$pki/root.crt" >"$pki/crl-signer.chain.pem"
# Timestamping authorities: a trusted one and one from another root.
newkey tsa-root rsa:2048; issue tsa-root self "/C=US/ST=WA/O=ocivet test/CN=ocivet Test TSA Root" root
newkey tsa rsa:2048;      issue tsa tsa-root "/C=US/ST=WA/O=ocivet test/CN=ocivet Test TSA" tsa
newkey tsa-other rsa:2048; issue tsa-other other-root "/C=US/ST=WA/O=Elsewhere/CN=Other TSA" tsa

# chain files: leaf, intermediate, root
for n in signer ecsigner sasigner expired server; do
	cat "$pki/$n.crt" "$pki/inter.crt" "$pki/root.crt" >"$pki/$n.chain.pem"
done
cat "$pki/other.crt" "$pki/other-root.crt" >"$pki/other.chain.pem"

# --------------------------------------------------------------------------
# notation configuration directories (testdata/config/<name>/).
# --------------------------------------------------------------------------
cfg=$here/config
rm -rf "$cfg"
SIGNER_ID='x509.subject: C=US, ST=WA, L=Seattle, O=ocivet test, OU=Builds, CN=ocivet Test Signer'

store() { # CONFIGDIR TYPE NAME CERT...
	sd=$1/truststore/x509/$2/$3
	shift 3
	mkdir -p "$sd"
	for c in "$@"; do cp "$pki/$c.crt" "$sd/"; done
}

policy() { # NAME LEVEL [OVERRIDE-JSON] [IDENTITIES-JSON] [SCOPES-JSON] [STORES-JSON]
	d=$cfg/$1
	mkdir -p "$d"
	ov=${3:-}
	ids=${4:-'["*"]'}
	scopes=${5:-'["*"]'}
	stores=${6:-'["ca:test", "signingAuthority:sa"]'}
	[ -n "$ov" ] && ov=", \"override\": $ov"
	cat >"$d/trustpolicy.oci.json" <<EOF
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "$1",
            "registryScopes": $scopes,
            "signatureVerification": { "level": "$2"$ov },
            "trustStores": $stores,
            "trustedIdentities": $ids
        }
    ]
}
EOF
	store "$d" ca test root
	store "$d" signingAuthority sa root
}

policy strict strict
policy permissive permissive
policy audit audit
policy custom strict '{"expiry": "log"}'
policy identity strict '' "[\"$SIGNER_ID\"]"
policy identity-other strict '' '["x509.subject: C=US, ST=WA, O=ocivet test, CN=Somebody Else"]'
policy scoped strict '' '["*"]' '["registry.example/app", "registry.example/other"]'
policy no-sa strict '' '["*"]' '["*"]' '["ca:test"]'
policy missing-store strict '' '["*"]' '["*"]' '["ca:nonexistent"]'
tsapolicy() { # NAME VERIFYTIMESTAMP [OVERRIDE-JSON]
	d=$cfg/$1
	mkdir -p "$d"
	ov=
	[ -n "${3:-}" ] && ov=", \"override\": $3"
	cat >"$d/trustpolicy.oci.json" <<EOF
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "$1",
            "registryScopes": ["*"],
            "signatureVerification": { "level": "strict", "verifyTimestamp": "$2"$ov },
            "trustStores": ["ca:test", "tsa:test-tsa"],
            "trustedIdentities": ["*"]
        }
    ]
}
EOF
	store "$d" ca test root
	store "$d" tsa test-tsa tsa-root
}
tsapolicy tsa always
tsapolicy tsa-after afterCertExpiry
policy revocation-log strict '{"revocation": "log"}'
policy revocation-skip strict '{"revocation": "skip"}'
# the shape of bundles/microsoft: strict, timestamps always, and only what
# an offline site cannot know logged (SECURITY.md "Revocation evidence")
tsapolicy microsoft-shape always '{"authenticTimestamp": "log", "revocation": "log"}'
policy microsoft-shape-no-tsa strict '{"authenticTimestamp": "log", "revocation": "log"}' '["*"]' '["*"]' '["ca:test"]'
mkdir -p "$cfg/skip"
cat >"$cfg/skip/trustpolicy.oci.json" <<'EOF'
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "skip-everything",
            "registryScopes": ["*"],
            "signatureVerification": { "level": "skip" }
        }
    ]
}
EOF
# legacy file name only (notation 1.x)
mkdir -p "$cfg/legacy"
cp "$cfg/strict/trustpolicy.oci.json" "$cfg/legacy/trustpolicy.json"
cp -r "$cfg/strict/truststore" "$cfg/legacy/"
# an invalid policy
mkdir -p "$cfg/invalid"
sed 's/"level": "strict"/"level": "paranoid"/' "$cfg/strict/trustpolicy.oci.json" \
	>"$cfg/invalid/trustpolicy.oci.json"
cp -r "$cfg/strict/truststore" "$cfg/invalid/"

# --------------------------------------------------------------------------
# Layouts (testdata/layouts/<case>/), all signed at 2025-06-01T00:00:00Z.
# --------------------------------------------------------------------------
lay=$here/layouts
rm -rf "$lay"
mkdir -p "$lay"
T=2025-06-01T00:00:00Z
printf 'layer one\n' >"$work/l1"
printf 'layer two\n' >"$work/l2"
printf 'another image\n' >"$work/l3"

desc_digest() { awk '{print $2}'; }

# sign LAYOUT TARGET FORMAT SIGNER [envelope options...] -- [attach options...]
sign() {
	dir=$1 target=$2 fmt=$3 who=$4
	shift 4
	eopts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do eopts="$eopts $1"; shift; done
	[ $# -gt 0 ] && shift
	"$OVTOOL" envelope --layout "$dir" --target "$target" \
		--key "$pki/$who.key" --chain "$pki/$who.chain.pem" \
		--format "$fmt" --signing-time "$T" --agent "ocivet-fixtures/1" \
		$eopts -o "$work/env"
	"$OVTOOL" attach "$dir" --target "$target" --envelope "$work/env" \
		--format "$fmt" --created "$T" "$@" | desc_digest
}

# newimage CASE [TAG] [NAME]: a layout with one image of two shared
# layers and one layer naming the case (so every image is distinct)
newimage() {
	"$OVTOOL" init "$lay/$1"
	printf 'image %s\n' "$1" >"$work/own"
	set -- "$lay/$1" "${2:-v1}" "${3:-}"
	if [ -n "$3" ]; then
		"$OVTOOL" image "$1" --tag "$2" --name "$3" --layer "$work/l1" \
			--layer "$work/l2" --layer "$work/own" | desc_digest
	else
		"$OVTOOL" image "$1" --tag "$2" --layer "$work/l1" \
			--layer "$work/l2" --layer "$work/own" | desc_digest
	fi
}

# The good cases: both envelope formats and manifest shapes, EC keys,
# the referrers tag schema, the signing-authority scheme.
d=$(newimage jws);        sign "$lay/jws" "$d" jws signer >/dev/null
echo "$d" >"$lay/jws.digest"
d=$(newimage cose);       sign "$lay/cose" "$d" cose signer -- --shape v1 >/dev/null
d=$(newimage ec);         sign "$lay/ec" "$d" jws ecsigner >/dev/null
d=$(newimage ec-cose);    sign "$lay/ec-cose" "$d" cose ecsigner >/dev/null
d=$(newimage reftag);     sign "$lay/reftag" "$d" jws signer -- --referrers-tag >/dev/null
d=$(newimage artifact);   sign "$lay/artifact" "$d" cose signer -- --shape artifact >/dev/null
d=$(newimage sa);         sign "$lay/sa" "$d" jws sasigner --scheme sa >/dev/null
d=$(newimage sa-cose);    sign "$lay/sa-cose" "$d" cose sasigner --scheme sa >/dev/null
d=$(newimage named v1 registry.example/app:v1)
sign "$lay/named" "$d" jws signer >/dev/null

# Several images in one layout: two signed, one not.
"$OVTOOL" init "$lay/multi"
d=$("$OVTOOL" image "$lay/multi" --tag a --layer "$work/l1" | desc_digest)
sign "$lay/multi" "$d" jws signer >/dev/null
d=$("$OVTOOL" image "$lay/multi" --tag b --layer "$work/l2" | desc_digest)
sign "$lay/multi" "$d" cose ecsigner >/dev/null
"$OVTOOL" image "$lay/multi" --tag c --layer "$work/l3" >/dev/null

# A multi-platform index, signed as a whole; one platform signed alone too.
"$OVTOOL" init "$lay/index"
md1=$("$OVTOOL" image "$lay/index" --no-entry --platform linux/amd64 --layer "$work/l1" | tr ' ' ,)
md2=$("$OVTOOL" image "$lay/index" --no-entry --platform linux/arm64 --layer "$work/l2" | tr ' ' ,)
m1=$(echo "$md1" | cut -d, -f2)
m2=$(echo "$md2" | cut -d, -f2)
d=$("$OVTOOL" index "$lay/index" --tag v1 "$md1,linux/amd64" "$md2,linux/arm64" | desc_digest)
sign "$lay/index" "$d" jws signer >/dev/null
sign "$lay/index" "$m2" cose signer >/dev/null
echo "$m1" >"$lay/index.amd64"
echo "$m2" >"$lay/index.arm64"

# Unsigned.
unsigned=$(newimage unsigned)

# Content tampering after signing.
for c in tampered-layer missing-layer truncated-layer tampered-config; do
	d=$(newimage $c)
	sign "$lay/$c" "$d" jws signer >/dev/null
done
l1=$(sha256sum "$work/l1" | cut -d' ' -f1)
printf 'layer 0ne\n' >"$lay/tampered-layer/blobs/sha256/$l1"
rm "$lay/missing-layer/blobs/sha256/$l1"
printf 'layer' >"$lay/truncated-layer/blobs/sha256/$l1"
cfgd=$("$OVTOOL" children "$lay/tampered-config" "$d" | sed -n 's/^config sha256://p')
sed 's/amd64/arm64/' "$lay/tampered-config/blobs/sha256/$cfgd" >"$work/cfg"
cp "$work/cfg" "$lay/tampered-config/blobs/sha256/$cfgd"

# Verdict failures.
d=$(newimage expired-sig)
sign "$lay/expired-sig" "$d" jws signer --expiry 2025-09-01T00:00:00Z >/dev/null
d=$(newimage expired-cert);  sign "$lay/expired-cert" "$d" jws expired >/dev/null
d=$(newimage untrusted);     sign "$lay/untrusted" "$d" cose other >/dev/null
d=$(newimage wrong-eku);     sign "$lay/wrong-eku" "$d" jws server >/dev/null
d=$(newimage alg-mismatch);  sign "$lay/alg-mismatch" "$d" jws signer --alg PS384 >/dev/null
d=$(newimage alg-none);      sign "$lay/alg-none" "$d" jws signer --alg-name none >/dev/null
d=$(newimage unknown-crit);  sign "$lay/unknown-crit" "$d" cose signer --attr com.example.policy=strict,crit >/dev/null
d=$(newimage noncrit-attr);  sign "$lay/noncrit-attr" "$d" jws signer --attr com.example.note=hello >/dev/null
d=$(newimage plugin)
sign "$lay/plugin" "$d" jws signer --attr io.cncf.notary.verificationPlugin=com.example.plugin,crit >/dev/null

# Duplicate keys in a correctly signed JWS protected header.
d=$(newimage dup-keys)
printf '{"alg":"PS256","alg":"PS256","crit":["io.cncf.notary.signingScheme"],"cty":"application/vnd.cncf.notary.payload.v1+json","io.cncf.notary.signingScheme":"notary.x509","io.cncf.notary.signingTime":"%s"}' "$T" >"$work/prot"
sign "$lay/dup-keys" "$d" jws signer --protected-file "$work/prot" >/dev/null

# A signature replayed from another image (its payload names image "unsigned").
d=$(newimage replayed)
osize=$(wc -c <"$lay/unsigned/blobs/sha256/${unsigned#sha256:}")
sign "$lay/replayed" "$d" jws signer \
	--descriptor "application/vnd.oci.image.manifest.v1+json,$unsigned,$osize" >/dev/null

# An envelope blob that is not an envelope (its digest is right).
d=$(newimage corrupt-envelope)
printf '{"payload":"not base64!"' >"$work/env"
"$OVTOOL" attach "$lay/corrupt-envelope" --target "$d" --envelope "$work/env" \
	--format jws >/dev/null 2>&1 || true

# A COSE envelope cut short, and a JWS whose signature is not base64url.
d=$(newimage truncated-cose)
"$OVTOOL" envelope --layout "$lay/truncated-cose" --target "$d" --key "$pki/signer.key" \
	--chain "$pki/signer.chain.pem" --format cose --signing-time "$T" -o "$work/env"
head -c 300 "$work/env" >"$work/env.cut"
"$OVTOOL" attach "$lay/truncated-cose" --target "$d" --envelope "$work/env.cut" \
	--format cose >/dev/null
d=$(newimage bad-base64)
"$OVTOOL" envelope --layout "$lay/bad-base64" --target "$d" --key "$pki/signer.key" \
	--chain "$pki/signer.chain.pem" --format jws --signing-time "$T" -o "$work/env"
sed 's/"signature":"\(.\)/"signature":"*\1/' "$work/env" >"$work/env.bad"
"$OVTOOL" attach "$lay/bad-base64" --target "$d" --envelope "$work/env.bad" \
	--format jws >/dev/null

# Layout-level damage.
newimage bad-index >/dev/null
printf '{"schemaVersion": 2, "manifests": [' >"$lay/bad-index/index.json"
newimage bad-version >/dev/null
printf '{"imageLayoutVersion": "2.0.0"}' >"$lay/bad-version/oci-layout"

# --------------------------------------------------------------------------
# RFC 3161 timestamps, made by `openssl ts` at a fixed time (faketime).
# --------------------------------------------------------------------------
command -v faketime >/dev/null ||
	{ echo "mkfixtures: faketime is needed (apt-get install faketime)" >&2; exit 1; }
cat >"$work/ts.cnf" <<'CNF'
[tsa_config]
serial = ./tsaserial
crypto_device = builtin
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
signer_digest = sha256
CNF
echo 01 >"$work/tsaserial"

# token MESSAGEFILE TSA WHEN OUT
token() {
	openssl ts -query -data "$1" -sha256 -cert -no_nonce -out "$work/req.tsq" 2>/dev/null
	(cd "$work" && faketime "$3" openssl ts -reply -config ts.cnf -section tsa_config \
		-queryfile req.tsq -signer "$pki/$2.crt" -inkey "$pki/$2.key" \
		-chain "$pki/$2.crt" -token_out -out "$4" 2>/dev/null)
}

# tssign CASE SIGNER FORMAT TSA WHEN [other]: a layout whose signature
# carries a timestamp token (over another message with "other")
tssign() {
	c=$1 who=$2 fmt=$3 tsa=$4 when=$5
	d=$(newimage "$c")
	"$OVTOOL" envelope --layout "$lay/$c" --target "$d" --key "$pki/$who.key" \
		--chain "$pki/$who.chain.pem" --format "$fmt" --signing-time "$T" \
		--agent "ocivet-fixtures/1" -o "$work/env"
	"$OVTOOL" sigvalue -f "$fmt" "$work/env" -o "$work/sig"
	[ "${6:-}" = other ] && printf 'some other signature' >"$work/sig"
	token "$work/sig" "$tsa" "$when" "$work/tok"
	"$OVTOOL" add-timestamp -f "$fmt" "$work/env" "$work/tok" -o "$work/env.ts"
	"$OVTOOL" attach "$lay/$c" --target "$d" --envelope "$work/env.ts" \
		--format "$fmt" --created "$T" >/dev/null
}

tssign ts-jws signer jws tsa '2025-06-01 00:00:00'
tssign ts-cose ecsigner cose tsa '2025-06-01 00:00:00'
# the signing certificate expired 2025-06-01; stamped while it was valid
tssign ts-expired-cert expired jws tsa '2025-05-01 00:00:00'
# stamped after it had expired
tssign ts-too-late expired jws tsa '2025-07-01 00:00:00'
tssign ts-other-message signer jws tsa '2025-06-01 00:00:00' other
tssign ts-untrusted-tsa signer cose tsa-other '2025-06-01 00:00:00'

# --------------------------------------------------------------------------
# CRLs for the crl-signer chain (testdata/crl/) and layouts it signed.
# Revocation dates are fixed by editing the CA databases.
# --------------------------------------------------------------------------
crl=$here/crl
rm -rf "$crl"
mkdir -p "$crl/good" "$crl/cache"
d=$(newimage crl)
sign "$lay/crl" "$d" jws crl-signer >/dev/null
d=$(newimage crl-sa)
sign "$lay/crl-sa" "$d" cose crl-signer --scheme sa >/dev/null

# gencrl ISSUER OUT [LASTUPDATE NEXTUPDATE]
gencrl() {
	(cd "$work/ca-$1" && openssl ca -batch -config "$work/ca.cnf" -gencrl \
		-cert "$pki/$1.crt" -keyfile "$pki/$1.key" -crlexts crl_ext \
		-crl_lastupdate "${3:-20250701000000Z}" \
		-crl_nextupdate "${4:-21250101000000Z}" -out "$2" 2>/dev/null)
}
# revoke ISSUER CERT REASON YYMMDDHHMMSSZ
revoke() {
	(cd "$work/ca-$1" && openssl ca -batch -config "$work/ca.cnf" \
		-cert "$pki/$1.crt" -keyfile "$pki/$1.key" -revoke "$pki/$2.crt" \
		-crl_reason "$3" 2>/dev/null)
	awk -v t="$4,$3" 'BEGIN{FS=OFS="\t"} $1=="R"{$3=t} {print}' \
		"$work/ca-$1/index.txt" >"$work/idx" && cp "$work/idx" "$work/ca-$1/index.txt"
}
unrevoke() { # ISSUER: drop every revocation from the CA database
	awk 'BEGIN{FS=OFS="\t"} $1=="R"{$1="V";$3=""} {print}' \
		"$work/ca-$1/index.txt" >"$work/idx" && cp "$work/idx" "$work/ca-$1/index.txt"
}
gencrl root "$crl/good/root.crl"
gencrl crl-inter "$crl/good/inter.crl"
gencrl crl-inter "$crl/inter-stale.crl" 20250101000000Z 20250901000000Z
revoke crl-inter crl-signer keyCompromise 250801000000Z
gencrl crl-inter "$crl/inter-revokes-leaf.crl"
unrevoke crl-inter
revoke root crl-inter cACompromise 250801000000Z
gencrl root "$crl/root-revokes-inter.crl"
unrevoke root
# a CRL signed by another CA
gencrl other-root "$crl/wrong-ca.crl"
# a notation CRL cache: files named by the SHA-256 of the URL
for u in root inter; do
	url=http://crl.ocivet.test/$u.crl
	key=$(printf %s "$url" | sha256sum | cut -d' ' -f1)
	der=$(openssl crl -in "$crl/good/$u.crl" -outform DER | base64 -w0)
	printf '{"baseCRL":"%s"}' "$der" >"$crl/cache/$key"
done

# --------------------------------------------------------------------------
# docker save archives (testdata/docker/): a "registry" layout with a
# signed image of gzip and zstd layers (used as the --signatures bundle),
# and the same image as `docker save` writes it, classic (Docker <= 24)
# and OCI (Docker 25+), plus broken variants.
# --------------------------------------------------------------------------
dk=$here/docker
rm -rf "$dk"
mkdir -p "$dk"
mkd() { mkdir -p "$1"; }
# two small real tar layers
mkd "$work/rootfs1/etc" && printf 'NAME=ocivet\n' >"$work/rootfs1/etc/os-release"
mkd "$work/rootfs2/app" && printf 'echo hello\n' >"$work/rootfs2/app/run.sh"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=pax \
	-C "$work/rootfs1" -cf "$work/layer1.tar" etc
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=pax \
	-C "$work/rootfs2" -cf "$work/layer2.tar" app
gzip -n -c "$work/layer1.tar" >"$work/layer1.tar.gz"
zstd -q -c "$work/layer2.tar" >"$work/layer2.tar.zst"
"$OVTOOL" init "$dk/registry"
d=$("$OVTOOL" image "$dk/registry" --tag v1 --name registry.example/docker/app:v1 \
	--compressed-layer "$work/layer1.tar.gz:$work/layer1.tar" \
	--compressed-layer "$work/layer2.tar.zst:$work/layer2.tar" | desc_digest)
sign "$dk/registry" "$d" jws signer >/dev/null
echo "$d" >"$dk/registry.digest"
cfg=$("$OVTOOL" children "$dk/registry" "$d" | sed -n 's/^config sha256://p')
echo "sha256:$cfg" >"$dk/image-id"
l1=$(sha256sum "$work/layer1.tar" | cut -d' ' -f1)
l2=$(sha256sum "$work/layer2.tar" | cut -d' ' -f1)

# classic: <config>.json, <id>/layer.tar, manifest.json, repositories
save=$work/save-classic
mkd "$save/$l1" && mkd "$save/$l2"
cp "$dk/registry/blobs/sha256/$cfg" "$save/$cfg.json"
cp "$work/layer1.tar" "$save/$l1/layer.tar"
cp "$work/layer2.tar" "$save/$l2/layer.tar"
for id in $l1 $l2; do printf '1.0' >"$save/$id/VERSION"; printf '{"id":"%s"}' "$id" >"$save/$id/json"; done
printf '[{"Config":"%s.json","RepoTags":["registry.example/docker/app:v1"],"Layers":["%s/layer.tar","%s/layer.tar"]}]' \
	"$cfg" "$l1" "$l2" >"$save/manifest.json"
printf '{"registry.example/docker/app":{"v1":"%s"}}' "$l2" >"$save/repositories"
tarit() { tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
	--format=pax -C "$1" -cf "$2" .; }
tarit "$save" "$dk/save-classic.tar"
# the same with a layer changed after the fact
cp -r "$save" "$work/save-tampered"
printf 'echo pwned\n' >"$work/evil" && tar --mtime=@0 --owner=0 --group=0 \
	--numeric-owner --format=pax -C "$work" -cf "$work/save-tampered/$l2/layer.tar" evil
tarit "$work/save-tampered" "$dk/save-tampered.tar"
# an image whose config no signed manifest has
cp -r "$save" "$work/save-other"
sed 's/"os":"linux"/"os":"linux","variant":"x"/' "$save/$cfg.json" >"$work/cfg2"
cfg2=$(sha256sum "$work/cfg2" | cut -d' ' -f1)
rm "$work/save-other/$cfg.json" && cp "$work/cfg2" "$work/save-other/$cfg2.json"
sed "s/$cfg/$cfg2/" "$save/manifest.json" >"$work/save-other/manifest.json"
tarit "$work/save-other" "$dk/save-unsigned.tar"

# Docker 25+: an OCI layout with a manifest made at save time
# (uncompressed layers under their diff_ids) and manifest.json
oci=$work/save-oci
"$OVTOOL" init "$oci"
cp "$dk/registry/blobs/sha256/$cfg" "$oci/blobs/sha256/$cfg"
cp "$work/layer1.tar" "$oci/blobs/sha256/$l1"
cp "$work/layer2.tar" "$oci/blobs/sha256/$l2"
csize=$(wc -c <"$oci/blobs/sha256/$cfg")
s1=$(wc -c <"$work/layer1.tar")
s2=$(wc -c <"$work/layer2.tar")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s},{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
	"$cfg" "$csize" "$l1" "$s1" "$l2" "$s2" >"$work/synth"
m=$(sha256sum "$work/synth" | cut -d' ' -f1)
cp "$work/synth" "$oci/blobs/sha256/$m"
msize=$(wc -c <"$work/synth")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"registry.example/docker/app:v1","org.opencontainers.image.ref.name":"v1"}}]}' \
	"$m" "$msize" >"$oci/index.json"
printf '[{"Config":"blobs/sha256/%s","RepoTags":["registry.example/docker/app:v1"],"Layers":["blobs/sha256/%s","blobs/sha256/%s"]}]' \
	"$cfg" "$l1" "$l2" >"$oci/manifest.json"
tarit "$oci" "$dk/save-oci.tar"
# the registry layout as an archive, to use as a --signatures bundle
tarit "$dk/registry" "$dk/registry.tar"

# An image whose signature travels apart: "detached" holds the image
# only, "detached-bundle" the same image and its signature.
d=$(newimage detached)
cp -r "$lay/detached" "$lay/detached-bundle"
sign "$lay/detached-bundle" "$d" jws signer >/dev/null

# --deep cases: a gzip layer whose diff_id names other content, and a
# layer whose media type says gzip but whose content is not compressed
printf 'something else\n' >"$work/other"
"$OVTOOL" init "$lay/diffid-mismatch"
d=$("$OVTOOL" image "$lay/diffid-mismatch" --tag v1 \
	--compressed-layer "$work/layer1.tar.gz:$work/other" | desc_digest)
sign "$lay/diffid-mismatch" "$d" jws signer >/dev/null
cp "$work/layer1.tar" "$work/plain.tar.gz"
"$OVTOOL" init "$lay/not-gzip"
d=$("$OVTOOL" image "$lay/not-gzip" --tag v1 \
	--compressed-layer "$work/plain.tar.gz:$work/layer1.tar" | desc_digest)
sign "$lay/not-gzip" "$d" jws signer >/dev/null
"$OVTOOL" init "$lay/compressed"
d=$("$OVTOOL" image "$lay/compressed" --tag v1 \
	--compressed-layer "$work/layer1.tar.gz:$work/layer1.tar" \
	--compressed-layer "$work/layer2.tar.zst:$work/layer2.tar" | desc_digest)
sign "$lay/compressed" "$d" cose signer >/dev/null

# --------------------------------------------------------------------------
# The demo: bundles/demo (a notation configuration directory) and
# testdata/demo/hello, signed for the scope registry.example/demo/hello.
# --------------------------------------------------------------------------
demo=$here/demo
bundle=$top/bundles/demo
rm -rf "$demo" "$bundle"
mkdir -p "$bundle/truststore/x509/ca/demo"
cp "$pki/root.crt" "$bundle/truststore/x509/ca/demo/ocivet-demo-root.crt"
cat >"$bundle/trustpolicy.oci.json" <<EOF
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "demo-images",
            "registryScopes": ["registry.example/demo/hello"],
            "signatureVerification": { "level": "strict" },
            "trustStores": ["ca:demo"],
            "trustedIdentities": ["$SIGNER_ID"]
        }
    ]
}
EOF
"$OVTOOL" init "$demo/hello"
printf 'hello from ocivet\n' >"$work/hello"
d=$("$OVTOOL" image "$demo/hello" --tag v1 --name registry.example/demo/hello:v1 \
	--layer "$work/hello" | desc_digest)
sign "$demo/hello" "$d" jws signer >/dev/null

# Archives of the layouts above (and the archive safety cases).
sh "$here/archives/gen.sh"
sh "$here/adversarial/gen.sh"  # the adversarial corpus (adversarial/cases.tsv)

echo "mkfixtures: done"
