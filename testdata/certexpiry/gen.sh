#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates testdata/certexpiry: a notation configuration whose trust
# stores hold root certificates with fixed validity dates around the CLI
# tests' fixed time (AT = 2026-01-01T00:00:00Z), for ocivet cert ls and
# ocivet policy check (expired and soon-expiring certificates). openssl
# CLI (3.0). The keys in keys/ are kept between runs (made when absent),
# so the certificates only change when the dates or names here change.
#	sh testdata/certexpiry/gen.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
[req]
distinguished_name = dn
[dn]
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
CNF

mkdir -p "$here/keys"
cd "$work"
mkdir newcerts
: >index.txt
echo 2000 >serial

# root NAME CN START END: a self-signed root CA valid from START to END
root() {
	key=$here/keys/$1.key
	[ -f "$key" ] || openssl genpkey -quiet -algorithm EC \
	    -pkeyopt ec_paramgen_curve:P-256 -out "$key"
	openssl req -config openssl.cnf -new -key "$key" -subj "$SUBJ/CN=$2" \
	    -out "$1.csr"
	openssl ca -config openssl.cnf -batch -notext -utf8 -preserveDN \
	    -selfsign -keyfile "$key" -startdate "$3" -enddate "$4" \
	    -extensions root -in "$1.csr" -out "$1.pem" 2>ca.log ||
	    { cat ca.log >&2; exit 1; }
}

root valid "Ocivet Valid Root" 20250101000000Z 21250101000000Z
root expired "Ocivet Expired Root" 20240101000000Z 20250601000000Z
root soon "Ocivet Soon Root" 20250101000000Z 20260120000000Z
root later "Ocivet Later Root" 20250101000000Z 20260301000000Z
root tsa-soon "Ocivet Soon TSA Root" 20250101000000Z 20260110000000Z

ts=$here/config/truststore/x509
rm -rf "$here/config"
mkdir -p "$ts/ca/ops" "$ts/ca/old" "$ts/tsa/stamps"
cp valid.pem "$ts/ca/ops/valid.pem"
cp soon.pem "$ts/ca/ops/soon.pem"
cp later.pem "$ts/ca/ops/later.pem"
cp expired.pem "$ts/ca/old/expired.pem"
cp tsa-soon.pem "$ts/tsa/stamps/tsa-soon.pem"
cat >"$here/config/trustpolicy.oci.json" <<'JSON'
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "ops",
            "registryScopes": [ "*" ],
            "signatureVerification": { "level": "strict" },
            "trustStores": [ "ca:ops", "ca:old", "tsa:stamps" ],
            "trustedIdentities": [ "*" ]
        },
        {
            "name": "team",
            "registryScopes": [ "registry.example/team/app" ],
            "signatureVerification": { "level": "audit" },
            "trustStores": [ "ca:ops" ],
            "trustedIdentities": [ "*" ]
        }
    ]
}
JSON
