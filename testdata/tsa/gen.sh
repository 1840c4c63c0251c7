#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates the RFC 3161 fixtures of testdata/tsa (spec digest D.3, C.3)
# with the openssl CLI (OpenSSL 3.0): a test TSA PKI with fixed validity
# dates and timestamp tokens over msg.txt, made by `openssl ts -reply`
# (and `openssl cms -sign -cades` for signers `openssl ts` refuses) at a
# frozen clock, so genTime is fixed.
#
# Generator-only dependency: faketime (Debian/Ubuntu package "faketime",
# `apt-get install -y faketime`). The outputs are committed, so the tests
# never need it. Keys and signatures change between runs; the tests only
# assert what does not (subjects, times, accuracy, verdicts).
#	sh testdata/tsa/gen.sh
# See README in this directory for what each file is for.
set -eu

command -v openssl >/dev/null || { echo "gen.sh: openssl not found" >&2; exit 1; }
command -v faketime >/dev/null ||
    { echo "gen.sh: faketime not found (apt-get install -y faketime)" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export TZ=UTC
NOW='2025-06-01 00:00:00'
SUBJ="/C=US/ST=WA/L=Seattle/O=Ocivet Test"

cat >"$work/openssl.cnf" <<'CNF'
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

[policy_any]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
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

[tsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[tsa_noeku]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[tsa_eku_noncritical]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[tsa_eku_two]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping,codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# openssl ts -reply settings, one section per token flavour. The policy
# 1.3.6.1.4.1.32473.1 is under IANA's documentation enterprise number
# (RFC 5612).
cat >"$work/ts.cnf" <<'CNF'
[tsa]
default_tsa = plain

[plain]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.32473.1
digests = sha256, sha384, sha512
clock_precision_digits = 0
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256

[accuracy]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.32473.1
digests = sha256
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256

[baseline]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 0.4.0.2023.1.1
digests = sha256
clock_precision_digits = 0
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256

[sha512]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha512
default_policy = 1.3.6.1.4.1.32473.1
digests = sha512
clock_precision_digits = 0
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha512

[ess_sha384]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.32473.1
digests = sha256
clock_precision_digits = 0
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha384

# ESS signing-certificate (v1, SHA-1) instead of v2
[ess_v1]
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.32473.1
digests = sha256
clock_precision_digits = 0
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha1
CNF

cd "$work"
mkdir newcerts
: >index.txt
echo 'unique_subject = no' >index.txt.attr
echo 1000 >serial
echo 01 >tsaserial
printf 'testdata/tsa message\n' >msg.txt

rsakey() { openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key"; }
eckey() { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }

# sign NAME SUBJECT EXTENSIONS ISSUER|self START END: NAME.pem for NAME.key
sign() {
	openssl req -config openssl.cnf -new -key "$1.key" -subj "$2" -out "$1.csr"
	if [ "$4" = self ]; then
		set -- "$@" -selfsign -keyfile "$1.key"
	else
		set -- "$@" -cert "$4.pem" -keyfile "$4.key"
	fi
	name=$1 ext=$3 start=$5 end=$6
	shift 6
	openssl ca -config openssl.cnf -batch -notext -utf8 -preserveDN \
	    -startdate "$start" -enddate "$end" -extensions "$ext" \
	    -in "$name.csr" -out "$name.pem" "$@" 2>ca.log ||
	    { cat ca.log >&2; exit 1; }
	rm -f "$name.csr"
}

Y0=20250101000000Z
Y10=20350101000000Z
Y100=21250101000000Z

for k in root int tsa tsa-noeku tsa-eku-noncritical tsa-eku-two tsa-expired \
    tsa-edge other-root other-tsa; do
	rsakey "$k"
done
eckey tsa-ecdsa

sign root "$SUBJ/CN=Ocivet Test TSA Root" root self $Y0 $Y100
sign int "$SUBJ/CN=Ocivet Test TSA CA" int root $Y0 $Y100
sign tsa "$SUBJ/CN=Ocivet Test TSA" tsa int $Y0 $Y10
sign tsa-ecdsa "$SUBJ/CN=Ocivet Test TSA ECDSA" tsa int $Y0 $Y10
sign tsa-noeku "$SUBJ/CN=Ocivet Test TSA No EKU" tsa_noeku int $Y0 $Y10
sign tsa-eku-noncritical "$SUBJ/CN=Ocivet Test TSA EKU Not Critical" \
    tsa_eku_noncritical int $Y0 $Y10
sign tsa-eku-two "$SUBJ/CN=Ocivet Test TSA Two EKUs" tsa_eku_two int $Y0 $Y10
sign tsa-expired "$SUBJ/CN=Ocivet Test TSA Expired" tsa int \
    20240101000000Z 20250501000000Z
# expires at the second of genTime: fine at 00:00:00, not at 00:00:00.5
sign tsa-edge "$SUBJ/CN=Ocivet Test TSA Edge" tsa int $Y0 20250601000000Z
sign other-root "$SUBJ/CN=Ocivet Other TSA Root" root self $Y0 $Y100
sign other-tsa "$SUBJ/CN=Ocivet Other TSA" tsa other-root $Y0 $Y10

for h in sha256 sha512; do
	openssl ts -query -config ts.cnf -data msg.txt -$h -cert -no_nonce \
	    -out "q$h.tsq" 2>ts.log || { cat ts.log >&2; exit 1; }
done

# reply OUT SECTION QUERY SIGNER [CHAIN] [TIME]
reply() {
	out=$1 section=$2 query=$3 signer=$4 chain=${5:-} at=${6:-$NOW}
	set -- -reply -config ts.cnf -section "$section" -queryfile "$query" \
	    -signer "$signer.pem" -inkey "$signer.key" -token_out -out "$out"
	[ -z "$chain" ] || set -- "$@" -chain "$chain.pem"
	faketime -f "$at" openssl ts "$@" 2>ts.log || { cat ts.log >&2; exit 1; }
}

reply good.tst plain qsha256.tsq tsa int
reply sha512.tst sha512 qsha512.tsq tsa int
reply ecdsa.tst plain qsha256.tsq tsa-ecdsa int
reply accuracy.tst accuracy qsha256.tsq tsa int '2025-06-01 00:00:00.250'
reply baseline.tst baseline qsha256.tsq tsa int
reply ess-sha384.tst ess_sha384 qsha256.tsq tsa int
reply ess-v1.tst ess_v1 qsha256.tsq tsa int
reply untrusted.tst plain qsha256.tsq other-tsa
reply expired-tsa.tst plain qsha256.tsq tsa-expired int

# `openssl ts` refuses signers without the timestamping purpose, and
# writes only valid TSTInfos; sign a TSTInfo (that of good.tst unless IN
# names another) as CMS SignedData with ESS signing-certificate-v2
# (-cades) instead. cmssign OUT SIGNER [TIME] [extra cms options...]
openssl cms -verify -noverify -inform DER -in good.tst -out tstinfo.der 2>/dev/null
cmssign() {
	out=$1 signer=$2 at=${3:-$NOW}
	shift 2
	[ $# -eq 0 ] || shift
	faketime -f "$at" openssl cms -sign -binary -nodetach -cades -nosmimecap \
	    -md sha256 -econtent_type 1.2.840.113549.1.9.16.1.4 \
	    -in "${IN:-tstinfo.der}" -signer "$signer.pem" -inkey "$signer.key" \
	    -certfile int.pem -outform DER -out "$out" "$@"
}

# tstinfo OUT GENTIME [ACCURACY-FIELD...]: a TSTInfo over msg.txt with
# genTime GENTIME (taken verbatim) and the given Accuracy fields
# (asn1parse -genconf lines such as "millis = IMPLICIT:0,INTEGER:600").
tstinfo() {
	out=$1 gt=$2
	shift 2
	{
		echo 'asn1 = SEQUENCE:tst'
		echo '[tst]'
		echo 'version = INTEGER:1'
		echo 'policy = OID:1.3.6.1.4.1.32473.1'
		echo 'imprint = SEQUENCE:imprint'
		echo 'serial = INTEGER:0x1234'
		echo "gentime = GENERALIZEDTIME:$gt"
		[ $# -eq 0 ] || echo 'accuracy = SEQUENCE:accuracy'
		echo '[imprint]'
		echo 'alg = SEQUENCE:alg'
		echo "hash = FORMAT:HEX,OCTETSTRING:$(openssl dgst -sha256 -r msg.txt | cut -d' ' -f1)"
		echo '[alg]'
		echo 'oid = OID:sha256'
		echo 'params = NULL'
		echo '[accuracy]'
		for f in "$@"; do
			echo "$f"
		done
	} >"$out.cnf"
	openssl asn1parse -genconf "$out.cnf" -noout -out "$out"
}

cmssign noeku.tst tsa-noeku
cmssign noncritical-eku.tst tsa-eku-noncritical
cmssign extra-eku.tst tsa-eku-two
cmssign pss.tst tsa "$NOW" -keyopt rsa_padding_mode:pss \
    -keyopt rsa_pss_saltlen:digest
# the same TSTInfo, but a signing-time after the TSA certificate expired
cmssign signing-time.tst tsa '2036-01-01 00:00:00'
# a SignerInfo naming its signer by subjectKeyIdentifier (version 3)
cmssign keyid.tst tsa "$NOW" -keyid
# the good SignerInfo layout, re-signed the cms way: a control for the above
cmssign cms.tst tsa

# genTime with a fraction, accuracy 600 ms: [23:59:59.9, 00:00:01.1]
tstinfo frac.der 20250601000000.5Z 'millis = IMPLICIT:0,INTEGER:600'
IN=frac.der cmssign frac.tst tsa
# genTime 00:00:00 and 00:00:00.5, TSA certificate notAfter 00:00:00
tstinfo edge0.der 20250601000000Z
IN=edge0.der cmssign edge-whole.tst tsa-edge '2025-05-31 00:00:00'
IN=frac.der cmssign edge-frac.tst tsa-edge '2025-05-31 00:00:00'
# genTime that DER (and Go) reject: a trailing zero, a zone offset
tstinfo bad.der 20250601000000.50Z
IN=bad.der cmssign gentime-zero.tst tsa
tstinfo bad.der 20250601010000+0100
IN=bad.der cmssign gentime-offset.tst tsa
# accuracy millis out of 1..999, and seconds beyond OV_TSA_MAX_ACCURACY
tstinfo bad.der 20250601000000Z 'millis = IMPLICIT:0,INTEGER:1000'
IN=bad.der cmssign accuracy-millis.tst tsa
tstinfo bad.der 20250601000000Z 'seconds = INTEGER:100000'
IN=bad.der cmssign accuracy-huge.tst tsa

out=$here
rm -f "$out"/*.tst "$out"/*.pem "$out"/msg.txt
cp ./*.tst msg.txt "$out/"
cp root.pem other-root.pem "$out/"
cp int.pem "$out/"
n=0
for f in ./*.tst; do
	n=$((n + 1))
done
echo "gen.sh: wrote $n tokens to $out"
