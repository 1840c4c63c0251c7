#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates the signing material of testdata/sign (openssl CLI 3.0):
# one self-signed code-signing certificate per key type notation signs
# with (RSA 2048/3072/4096, EC P-256/384/521), keys in every encoding
# `ocivet sign --key` reads, a trust configuration that trusts them all
# (config/), and certificates `ocivet sign` must refuse. Validity is
# fixed (2025-01-01 to 2125-01-01 unless a case needs others), so tests
# never depend on the clock. Run from anywhere: sh testdata/sign/gen.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir newcerts
: >index.txt
echo 1000 >serial

cat >openssl.cnf <<'CNF'
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
commonName = optional
organizationName = optional
stateOrProvinceName = optional
countryName = optional
[req]
distinguished_name = req_dn
[req_dn]
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
[leaf_otheruse]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = 1.3.6.1.4.1.311.10.3.12
[leaf_serverauth]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning,serverAuth
[leaf_nodigsig]
basicConstraints = CA:FALSE
keyUsage = critical,nonRepudiation
extendedKeyUsage = codeSigning
CNF

# cert NAME KEY EXT START END: a self-signed certificate
cert() {
	openssl req -new -config openssl.cnf -key "$2" \
	    -subj "/C=US/ST=WA/O=Ocivet Test/CN=$1" -out "$1.csr"
	openssl ca -batch -config openssl.cnf -selfsign -keyfile "$2" \
	    -extensions "$3" -startdate "$4" -enddate "$5" -notext \
	    -in "$1.csr" -out "$here/$1.crt" 2>/dev/null
}

S=20250101000000Z
E=21250101000000Z
for b in 2048 3072 4096; do
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$b \
	    -out "$here/rsa$b.key" 2>/dev/null
	cert rsa$b "$here/rsa$b.key" leaf $S $E
done
for c in 256 384 521; do
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-$c \
	    -out "$here/ec$c.key"
	cert ec$c "$here/ec$c.key" leaf $S $E
done
# the same keys in the other encodings
openssl pkey -in "$here/ec256.key" -outform DER -out "$here/ec256.pk8.der"
openssl ec -in "$here/ec256.key" -out "$here/ec256.trad.pem" 2>/dev/null
openssl ec -in "$here/ec256.key" -outform DER -out "$here/ec256.trad.der" \
    2>/dev/null
openssl rsa -in "$here/rsa2048.key" -traditional -out "$here/rsa2048.trad.pem" \
    2>/dev/null
openssl pkcs8 -topk8 -in "$here/rsa2048.key" -v2 aes-256-cbc \
    -passout pass:correct-horse -out "$here/rsa2048.enc.pem"
openssl pkcs8 -topk8 -in "$here/ec384.key" -v2 aes-256-cbc \
    -passout pass:correct-horse -outform DER -out "$here/ec384.enc.der"
openssl ec -in "$here/ec521.key" -aes256 -passout pass:correct-horse \
    -out "$here/ec521.trad-enc.pem" 2>/dev/null
printf 'correct-horse\n' >"$here/passphrase"

# refusals
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 \
    -out "$here/rsa1024.key" 2>/dev/null
cert rsa1024 "$here/rsa1024.key" leaf $S $E
# an EKU without codeSigning (document signing), and one notation forbids
cert otheruse "$here/ec256.key" leaf_otheruse $S $E
cert serverauth "$here/ec256.key" leaf_serverauth $S $E
cert nodigsig "$here/ec256.key" leaf_nodigsig $S $E
cert expired "$here/ec256.key" leaf 20200101000000Z 20210101000000Z
cert future "$here/ec256.key" leaf 21000101000000Z 21250101000000Z
# a chain that does not chain: the leaf, then an unrelated certificate
cat "$here/ec256.crt" "$here/rsa2048.crt" >"$here/notchained.pem"

# a notation configuration trusting every certificate above, both schemes
rm -rf "$here/config"
for t in ca signingAuthority; do
	mkdir -p "$here/config/truststore/x509/$t/sign"
	for k in rsa2048 rsa3072 rsa4096 ec256 ec384 ec521; do
		cp "$here/$k.crt" "$here/config/truststore/x509/$t/sign/$k.crt"
	done
done
cat >"$here/config/trustpolicy.oci.json" <<'JSON'
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "sign",
            "registryScopes": [ "*" ],
            "signatureVerification": { "level": "strict" },
            "trustStores": [ "ca:sign", "signingAuthority:sign" ],
            "trustedIdentities": [ "*" ]
        }
    ]
}
JSON

# a time-stamping authority for the offline two-step timestamp tests
# (tests/sign.sh answers requests with `openssl ts -reply`): a root, a TSA
# certificate as RFC 3161 wants it (critical EKU timeStamping only), and
# one without the EKU that `sign --timestamp-response` must refuse
cat >>openssl.cnf <<'CNF'
[tsa_root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[tsa_leaf]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa_noeku]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$here/tsa-root.key"
cert tsa-root "$here/tsa-root.key" tsa_root $S $E
# tsaleaf NAME EXT: issued by tsa-root
tsaleaf() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$here/$1.key"
	openssl req -new -config openssl.cnf -key "$here/$1.key" \
	    -subj "/C=US/ST=WA/O=Ocivet Test/CN=$1" -out "$1.csr"
	openssl ca -batch -config openssl.cnf -cert "$here/tsa-root.crt" \
	    -keyfile "$here/tsa-root.key" -extensions "$2" -startdate $S \
	    -enddate $E -notext -in "$1.csr" -out "$here/$1.crt" 2>/dev/null
}
tsaleaf tsa tsa_leaf
tsaleaf tsa-noeku tsa_noeku
rm -f "$here/tsa-root.key"
