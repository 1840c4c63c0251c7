#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates the revocation fixtures of testdata/revocation (spec digest
# F.5) with the openssl CLI (OpenSSL 3.0): a root -> intermediate -> leaf
# chain whose certificates carry CRL distribution points and OCSP URLs
# under http://crl.ocivet.test/ and http://ocsp.ocivet.test/, CRLs and
# delta CRLs with fixed thisUpdate/nextUpdate and revocation dates, a
# notation CRL cache directory, and OCSP responses. See README.
#
# OCSP responses take their thisUpdate from the clock, so the script runs
# `openssl ocsp` under faketime (apt-get install faketime) frozen at
# 2025-01-01T00:00:00Z. Certificates are valid 2025-01-01 .. 2125-01-01,
# CRLs are issued 2025-01-01 and expire 2125-01-01 unless a case needs
# otherwise, revocations happen 2025-03-01. Keys (and so signatures)
# change on every run; the tests only depend on names, serials and dates.
#	sh testdata/revocation/gen.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
command -v faketime >/dev/null ||
    { echo "gen.sh: faketime is needed for OCSP responses" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

START=20250101000000Z
END=21250101000000Z
ISSUED=20250101000000Z
EXPIRES=21250101000000Z
REVOKED=250301000000Z
SUBJ="/C=US/ST=WA/L=Seattle/O=Ocivet Test"
CRLURL=http://crl.ocivet.test
OCSPURL=http://ocsp.ocivet.test

cat >"$work/openssl.cnf" <<CNF
[ca]
default_ca = testca

[testca]
dir = .
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
crlnumber = \$dir/crlnumber
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
crlDistributionPoints = URI:$CRLURL/root.crl

[int_noep]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[int_nocrlsign]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:$CRLURL/int.crl
authorityInfoAccess = OCSP;URI:$OCSPURL/int

[leaf_ocsp]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:$OCSPURL/int

[leaf_delta]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:$CRLURL/int.crl
freshestCRL = URI:$CRLURL/int-delta.crl

[leaf_noep]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[responder]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[responder_noeku]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# --- CRL extensions ----------------------------------------------------
[crl]
authorityKeyIdentifier = keyid:always

[crl_noaki]

[crl_critical]
authorityKeyIdentifier = keyid:always
1.3.6.1.4.1.55555.1 = critical,ASN1:NULL

[crl_delta10]
authorityKeyIdentifier = keyid:always
deltaCRL = critical,ASN1:INTEGER:10

[crl_delta9]
authorityKeyIdentifier = keyid:always
deltaCRL = critical,ASN1:INTEGER:9

[crl_delta11]
authorityKeyIdentifier = keyid:always
deltaCRL = critical,ASN1:INTEGER:11

[crl_delta20]
authorityKeyIdentifier = keyid:always
deltaCRL = critical,ASN1:INTEGER:20
CNF

cd "$work"
mkdir newcerts
: >index.txt
echo 'unique_subject = no' >index.txt.attr
echo 1000 >serial

rsakey() { openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key"; }

# sign NAME KEY SUBJECT EXTENSIONS ISSUER|self
sign() {
	name=$1 key=$2 subj=$3 ext=$4 issuer=$5
	openssl req -config openssl.cnf -new -key "$key.key" -subj "$subj" \
	    -out "$name.csr"
	if [ "$issuer" = self ]; then
		set -- -selfsign -keyfile "$key.key"
	else
		set -- -cert "$issuer.pem" -keyfile "$(cat "$issuer.kn").key"
	fi
	openssl ca -config openssl.cnf -batch -notext -utf8 -preserveDN \
	    -startdate "$START" -enddate "$END" -extensions "$ext" \
	    -in "$name.csr" -out "$name.pem" "$@" 2>ca.log ||
	    { cat ca.log >&2; exit 1; }
	rm -f "$name.csr"
	echo "$key" >"$name.kn"
}

serial() { openssl x509 -in "$1.pem" -noout -serial | sed 's/serial=//'; }
subject() { openssl x509 -in "$1.pem" -noout -subject -nameopt compat | sed 's/subject=//'; }

rsakey root
rsakey int
rsakey leaf
rsakey responder
rsakey rogue
sign root root "$SUBJ/CN=Ocivet Rev Root" root self
sign int int "$SUBJ/CN=Ocivet Rev Intermediate" int root
sign leaf leaf "$SUBJ/CN=Ocivet Rev Leaf" leaf int
sign leaf-ocsp leaf "$SUBJ/CN=Ocivet Rev Leaf OCSP" leaf_ocsp int
sign leaf-delta leaf "$SUBJ/CN=Ocivet Rev Leaf Delta" leaf_delta int
sign responder responder "$SUBJ/CN=Ocivet Rev OCSP Responder" responder int
sign responder-noeku responder "$SUBJ/CN=Ocivet Rev OCSP No EKU" responder_noeku int
sign int-noep int "$SUBJ/CN=Ocivet Rev Intermediate No Endpoints" int_noep root
sign leaf-noep leaf "$SUBJ/CN=Ocivet Rev Leaf No Endpoints" leaf_noep int-noep
sign int-nocrlsign int "$SUBJ/CN=Ocivet Rev Intermediate No cRLSign" int_nocrlsign root
sign leaf-nocrlsign leaf "$SUBJ/CN=Ocivet Rev Leaf No cRLSign" leaf int-nocrlsign
# same name as the intermediate, another key: a rogue CA
sign rogue rogue "$SUBJ/CN=Ocivet Rev Intermediate" root self
sign rogue-responder responder "$SUBJ/CN=Ocivet Rev Rogue Responder" responder rogue

# revoked SERIAL-OF REASON-FIELD: one index.txt line. This is what
# `openssl ca -revoke` writes, with the revocation date fixed to $REVOKED.
revoked() {
	printf 'R\t%s\t%s\t%s\tunknown\t%s\n' "$END" "$REVOKED$2" \
	    "$(serial "$1")" "$(subject "$1")"
}

# crl OUT CA NUMBER EXTSECTION [NEXTUPDATE]: a CRL of the entries in
# index.txt (hex CRL number NUMBER).
crl() {
	out=$1 ca=$2 num=$3 ext=$4 next=${5:-$EXPIRES}
	echo "$num" >crlnumber
	openssl ca -config openssl.cnf -batch -gencrl -cert "$ca.pem" \
	    -keyfile "$(cat "$ca.kn").key" -crlexts "$ext" \
	    -crl_lastupdate "$ISSUED" -crl_nextupdate "$next" \
	    -out "$out.pem" 2>ca.log || { cat ca.log >&2; exit 1; }
	openssl crl -in "$out.pem" -outform DER -out "$out.crl"
}

: >index.txt
crl int-empty int 01 crl
crl root-empty root 01 crl
crl int-stale int 03 crl 20250201000000Z
crl int-critical int 05 crl_critical
crl rogue-empty rogue 01 crl
crl nocrlsign-empty int-nocrlsign 01 crl
crl int-base20 int 14 crl
crl int-delta21 int 15 crl_delta20

revoked leaf ,keyCompromise >index.txt
crl int-revoked-leaf int 02 crl
crl rogue-revoked-leaf rogue 02 crl_noaki
revoked leaf ,keyTime,20250201000000Z >index.txt
crl int-invalidity int 04 crl
revoked int ,CACompromise >index.txt
crl root-revoked-int root 02 crl
revoked leaf ,certificateHold,holdInstructionNone >index.txt
crl int-hold int 0A crl
REVOKED=250401000000Z
revoked leaf ,removeFromCRL >index.txt
crl int-delta-remove int 0B crl_delta10
crl int-delta-remove-lownum int 0A crl_delta9
crl int-delta-remove-highbase int 0C crl_delta11
REVOKED=250301000000Z

# --- OCSP --------------------------------------------------------------
# ocsp OUT CERT SIGNER DIGEST [options]: a response for CERT from the
# index.txt of the moment, signed by SIGNER, produced (thisUpdate) at
# 2025-01-01T00:00:00Z; DIGEST (sha1, sha256) hashes its CertID.
ocsp() {
	out=$1 cert=$2 signer=$3 dgst=$4
	shift 4
	openssl ocsp -issuer int.pem "-$dgst" -cert "$cert.pem" -no_nonce \
	    -reqout "$out.req" 2>ca.log || { cat ca.log >&2; exit 1; }
	TZ=UTC faketime -f "2025-01-01 00:00:00" \
	    openssl ocsp -index index.txt -CA int.pem -rsigner "$signer.pem" \
	    -rkey "$(cat "$signer.kn").key" -reqin "$out.req" \
	    -respout "$out.der" "$@" 2>ca.log || { cat ca.log >&2; exit 1; }
	rm -f "$out.req"
}

{
	printf 'V\t%s\t\t%s\tunknown\t%s\n' "$END" "$(serial leaf)" "$(subject leaf)"
	printf 'V\t%s\t\t%s\tunknown\t%s\n' "$END" "$(serial leaf-ocsp)" "$(subject leaf-ocsp)"
} >index.txt
ocsp ocsp-leaf-good leaf int sha1 -ndays 36524
ocsp ocsp-leaf-good-sha256 leaf int sha256 -ndays 36524
ocsp ocsp-leaf-ocsp-good leaf-ocsp int sha1 -ndays 36524
ocsp ocsp-leaf-expired leaf int sha1 -ndays 1
ocsp ocsp-leaf-nonext leaf int sha1
ocsp ocsp-leaf-delegated leaf responder sha1 -ndays 36524
ocsp ocsp-leaf-delegated-nocerts leaf responder sha1 -ndays 36524 -resp_no_certs
ocsp ocsp-leaf-noeku leaf responder-noeku sha1 -ndays 36524
ocsp ocsp-leaf-rogue leaf rogue-responder sha1 -ndays 36524
ocsp ocsp-leaf-wrong-key leaf rogue sha1 -ndays 36524
revoked leaf ,keyCompromise >index.txt
ocsp ocsp-leaf-revoked leaf int sha1 -ndays 36524
: >index.txt
ocsp ocsp-leaf-unknown leaf int sha1 -ndays 36524

# --- notation CRL cache -------------------------------------------------
key() { printf '%s' "$1" | openssl dgst -sha256 -r | cut -d' ' -f1; }
b64() { openssl base64 -A -in "$1"; }
mkdir cache cache-revoked cache-delta
printf '{"baseCRL":"%s"}' "$(b64 int-empty.crl)" >"cache/$(key "$CRLURL/int.crl")"
printf '{"baseCRL":"%s"}' "$(b64 root-empty.crl)" >"cache/$(key "$CRLURL/root.crl")"
printf '{"baseCRL":"%s"}' "$(b64 int-revoked-leaf.crl)" \
    >"cache-revoked/$(key "$CRLURL/int.crl")"
printf '{"baseCRL":"%s","deltaCRL":"%s"}' "$(b64 int-hold.crl)" \
    "$(b64 int-delta-remove.crl)" >"cache-delta/$(key "$CRLURL/int.crl")"

# --- outputs ----------------------------------------------------------
out=$here
rm -rf "$out/certs" "$out/chains" "$out/crl" "$out/ocsp" "$out/cache" \
    "$out/cache-revoked" "$out/cache-delta" "$out/keys"
mkdir -p "$out/certs" "$out/chains" "$out/crl" "$out/ocsp" "$out/keys"
for c in root int leaf leaf-ocsp leaf-delta responder responder-noeku \
    int-noep leaf-noep int-nocrlsign leaf-nocrlsign rogue rogue-responder; do
	cp "$c.pem" "$out/certs/$c.pem"
done
cat leaf.pem int.pem root.pem >"$out/chains/chain.pem"
cat leaf-ocsp.pem int.pem root.pem >"$out/chains/chain-ocsp.pem"
cat leaf-delta.pem int.pem root.pem >"$out/chains/chain-delta.pem"
cat leaf-noep.pem int-noep.pem root.pem >"$out/chains/chain-noep.pem"
cat leaf-nocrlsign.pem int-nocrlsign.pem root.pem >"$out/chains/chain-nocrlsign.pem"
for f in *.crl; do
	cp "$f" "$out/crl/$f"
done
# several CRLs in one PEM file
cat int-empty.pem root-empty.pem >"$out/crl/both-empty.pem"
for f in ocsp-*.der; do
	cp "$f" "$out/ocsp/${f#ocsp-}"
done
cp -R cache cache-revoked cache-delta "$out/"
# test-only key: t_revocation signs CRLs openssl ca cannot make
cp int.key "$out/keys/int.key"
