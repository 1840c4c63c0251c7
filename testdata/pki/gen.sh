#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Regenerates the X.509 fixtures of testdata/pki with the openssl CLI
# (OpenSSL 3.0): small chains for the code-signing and timestamping chain
# rules (spec digest C.1, C.3) and trust-store trees (C.4, E.1). Every
# certificate has fixed validity dates (2025-01-01 to 2125-01-01 unless a
# case needs others) and serial numbers count up from 0x1000, so only the
# keys and signatures change between runs. Run from anywhere:
#	sh testdata/pki/gen.sh
# See README in this directory for what each file is for.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

START0=20250101000000Z
END0=21250101000000Z
START=$START0
END=$END0
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
email_in_dn = yes

[policy_any]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
emailAddress = optional

[req]
distinguished_name = req_dn
string_mask = utf8only
utf8 = yes

[req_dn]

# --- CA certificates ---------------------------------------------------
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[int]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[int_nopathlen]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[int_pathlen1]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[int_not_ca]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[int_ku_no_certsign]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[int_ku_noncritical]
basicConstraints = critical,CA:TRUE
keyUsage = keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# --- code-signing leaves ------------------------------------------------
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

# No basicConstraints, nonRepudiation, an unknown EKU next to codeSigning:
# all allowed.
[leaf_minimal]
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = codeSigning,1.3.6.1.4.1.311.76.59.1.1

[leaf_selfsigned]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash

[leaf_ku_noncritical]
basicConstraints = critical,CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = codeSigning

[leaf_ku_no_digitalsig]
basicConstraints = critical,CA:FALSE
keyUsage = critical,nonRepudiation
extendedKeyUsage = codeSigning

[leaf_ku_certsign]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyCertSign
extendedKeyUsage = codeSigning

[leaf_ku_missing]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = codeSigning

[leaf_eku_serverauth]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning,serverAuth

[leaf_eku_any]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = anyExtendedKeyUsage

[leaf_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature
extendedKeyUsage = codeSigning

# --- timestamping leaves ------------------------------------------------
[tsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping

[tsa_ku_noncritical]
basicConstraints = critical,CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = critical,timeStamping

[tsa_ku_missing]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = critical,timeStamping

[tsa_eku_noncritical]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = timeStamping

[tsa_eku_two]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping,codeSigning

[none]
CNF

cd "$work"
mkdir newcerts
: >index.txt
echo 'unique_subject = no' >index.txt.attr
echo 1000 >serial

rsakey() { openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1.key"; }
eckey() { openssl genpkey -quiet -algorithm EC -pkeyopt "ec_paramgen_curve:${2:-P-256}" -out "$1.key"; }

# sign NAME KEY SUBJECT EXTENSIONS ISSUER|self [extra ca options...]
# writes NAME.pem, issued by ISSUER.pem (with the key that certificate was
# made for, recorded in ISSUER.kn) or self-signed with KEY.key.
sign() {
	name=$1 key=$2 subj=$3 ext=$4 issuer=$5
	shift 5
	# REQOPTS is unquoted on purpose: empty or one option
	# shellcheck disable=SC2086
	openssl req -config openssl.cnf -new -key "$key.key" -subj "$subj" \
	    ${REQOPTS:-} -out "$name.csr"
	if [ "$issuer" = self ]; then
		set -- -selfsign -keyfile "$key.key" "$@"
	else
		set -- -cert "$issuer.pem" -keyfile "$(cat "$issuer.kn").key" "$@"
	fi
	openssl ca -config openssl.cnf -batch -notext -utf8 -preserveDN \
	    -startdate "$START" -enddate "$END" -extensions "$ext" \
	    -in "$name.csr" -out "$name.pem" "$@" 2>ca.log ||
	    { cat ca.log >&2; exit 1; }
	rm -f "$name.csr"
	echo "$key" >"$name.kn"
}

# --- RSA-2048 chain: leaf -> int -> root --------------------------------
rsakey root 2048
rsakey int 2048
rsakey leaf 2048
sign root root "$SUBJ/CN=Ocivet Test RSA Root" root self
sign int int "$SUBJ/CN=Ocivet Test RSA Intermediate" int root
sign leaf leaf "$SUBJ/CN=Ocivet Test RSA Leaf" leaf int

# --- EC P-256 chain ------------------------------------------------------
eckey ec-root
eckey ec-int
eckey ec-leaf
sign ec-root ec-root "$SUBJ/CN=Ocivet Test EC Root" root self
sign ec-int ec-int "$SUBJ/CN=Ocivet Test EC Intermediate" int ec-root
sign ec-leaf ec-leaf "$SUBJ/CN=Ocivet Test EC Leaf" leaf ec-int
eckey ec-leaf-p224 P-224
sign ec-leaf-p224 ec-leaf-p224 "$SUBJ/CN=Ocivet Test EC Leaf P-224" leaf ec-int

# --- single self-signed signing certificates ----------------------------
rsakey selfsigned 2048
sign selfsigned selfsigned "$SUBJ/CN=Ocivet Test Self-Signed" leaf_selfsigned self
sign selfsigned-sha1 selfsigned "$SUBJ/CN=Ocivet Test Self-Signed SHA-1" leaf_selfsigned self -md sha1
sign selfsigned-md5 selfsigned "$SUBJ/CN=Ocivet Test Self-Signed MD5" leaf_selfsigned self -md md5
sign selfsigned-ca selfsigned "$SUBJ/CN=Ocivet Test Self-Signed CA" root self

# --- leaf variants under the RSA intermediate ----------------------------
for v in minimal ku_noncritical ku_no_digitalsig ku_certsign ku_missing \
    eku_serverauth eku_any ca; do
	n=$(echo "$v" | tr _ -)
	sign "leaf-$n" leaf "$SUBJ/CN=Ocivet Test Leaf $n" "leaf_$v" int
done
rsakey leaf1024 1024
sign leaf-rsa1024 leaf1024 "$SUBJ/CN=Ocivet Test Leaf rsa1024" leaf int

# --- intermediate variants, each with a valid leaf under it -------------
for v in not_ca ku_no_certsign ku_noncritical; do
	n=$(echo "$v" | tr _ -)
	sign "int-$n" int "$SUBJ/CN=Ocivet Test Intermediate $n" "int_$v" root
	sign "leaf-under-int-$n" leaf "$SUBJ/CN=Ocivet Test Leaf under $n" leaf "int-$n"
done
sign int-sha1 int "$SUBJ/CN=Ocivet Test Intermediate sha1" int root -md sha1
sign leaf-under-int-sha1 leaf "$SUBJ/CN=Ocivet Test Leaf under sha1" leaf int-sha1

# Path length: root -> ca1 (pathlen 0 or 1) -> ca2 (pathlen 0) -> leaf.
rsakey ca2 2048
sign ca1-pathlen0 int "$SUBJ/CN=Ocivet Test CA1 pathlen 0" int root
sign ca2-under-pathlen0 ca2 "$SUBJ/CN=Ocivet Test CA2" int ca1-pathlen0
sign leaf-under-pathlen0 leaf "$SUBJ/CN=Ocivet Test Leaf under CA2" leaf ca2-under-pathlen0
sign ca1-pathlen1 int "$SUBJ/CN=Ocivet Test CA1 pathlen 1" int_pathlen1 root
sign ca2-under-pathlen1 ca2 "$SUBJ/CN=Ocivet Test CA2" int ca1-pathlen1
sign leaf-under-pathlen1 leaf "$SUBJ/CN=Ocivet Test Leaf under CA2" leaf ca2-under-pathlen1

# The root key under another name: the intermediate's signature verifies
# with it, but its issuer name does not match.
sign root-renamed root "$SUBJ/CN=Ocivet Test Renamed Root" root self

# A different root (unrelated key) for "wrong root" chains, and one with
# the RSA root's name but that other key.
rsakey other-root 2048
sign other-root other-root "$SUBJ/CN=Ocivet Test Other Root" root self
sign root-rekeyed other-root "$SUBJ/CN=Ocivet Test RSA Root" root self

# --- timestamping leaves under the RSA intermediate ---------------------
rsakey tsa 2048
for v in tsa tsa_ku_noncritical tsa_ku_missing tsa_eku_noncritical tsa_eku_two; do
	n=$(echo "$v" | tr _ -)
	sign "$n" tsa "$SUBJ/CN=Ocivet Test TSA $n" "$v" int
done
sign tsa-under-int-ku-noncritical tsa "$SUBJ/CN=Ocivet Test TSA under ku-noncritical" tsa int-ku-noncritical

# --- validity periods ------------------------------------------------------
START=20200101000000Z END=20210101000000Z
sign leaf-expired leaf "$SUBJ/CN=Ocivet Test Leaf expired" leaf int
START=21000101000000Z END=21250101000000Z
sign leaf-future leaf "$SUBJ/CN=Ocivet Test Leaf future" leaf int
START=$START0 END=$END0

# --- printable names -------------------------------------------------------
# Unusual order, two OUs, a multi-valued RDN, characters that need escaping
# and a UTF-8 value; t_x509.c has the expected printable form.
REQOPTS=-multivalue-rdn
sign names selfsigned "/CN=Odd, \"Name\" <x>;\\+1\\\\/OU=Unit B/OU=Unit A/O=#Org /C=US/emailAddress=a@example.com/L= Zürich/serialNumber=42+ST=WA" none self
REQOPTS=

# A root CA that signs itself with SHA-1 (not a valid tsa store root).
sign root-sha1 root "$SUBJ/CN=Ocivet Test SHA-1 Root" root self -md sha1

# ---------------------------------------------------------------------------
# Outputs.
# ---------------------------------------------------------------------------
out=$here
rm -rf "$out/certs" "$out/chains" "$out/keys" "$out/truststore"
mkdir -p "$out/certs" "$out/chains" "$out/keys"
for f in *.pem; do
	cp "$f" "$out/certs/$f"
done
cp leaf.key "$out/keys/rsa-leaf.key"
cp ec-leaf.key "$out/keys/ec-leaf.key"
cp selfsigned.key "$out/keys/selfsigned.key"

# chain NAME CERT... : leaf-first PEM chain
chain() {
	name=$1
	shift
	: >"$out/chains/$name.pem"
	for c in "$@"; do
		cat "$c.pem" >>"$out/chains/$name.pem"
	done
}

# Valid code-signing chains.
chain rsa leaf int root
chain ec ec-leaf ec-int ec-root
chain selfsigned selfsigned
chain selfsigned-sha1 selfsigned-sha1
chain leaf-minimal leaf-minimal int root
chain pathlen1 leaf-under-pathlen1 ca2-under-pathlen1 ca1-pathlen1 root
# Code-signing chains that break one rule each.
chain selfsigned-md5 selfsigned-md5
chain selfsigned-ca selfsigned-ca
chain ec-p224 ec-leaf-p224 ec-int ec-root
for v in ku-noncritical ku-no-digitalsig ku-certsign ku-missing eku-serverauth \
    eku-any ca rsa1024; do
	chain "leaf-$v" "leaf-$v" int root
done
for v in not-ca ku-no-certsign ku-noncritical sha1; do
	chain "int-$v" "leaf-under-int-$v" "int-$v" root
done
chain pathlen0 leaf-under-pathlen0 ca2-under-pathlen0 ca1-pathlen0 root
chain wrong-order int leaf root
chain missing-root leaf int
chain extra-root leaf int root root
chain selfsigned-in-middle leaf int root other-root
chain selfsigned-with-root selfsigned root
chain wrong-root leaf int other-root
chain issuer-name-mismatch leaf int root-renamed
chain issuer-key-mismatch leaf int root-rekeyed
# Timestamping chains.
chain tsa tsa int root
chain tsa-ku-noncritical tsa-ku-noncritical int root
chain tsa-under-int-ku-noncritical tsa-under-int-ku-noncritical int-ku-noncritical root
chain tsa-ku-missing tsa-ku-missing int root
chain tsa-eku-noncritical tsa-eku-noncritical int root
chain tsa-eku-two tsa-eku-two int root
chain tsa-missing-root tsa int
chain tsa-extra-root tsa int root root
# Validity.
chain leaf-expired leaf-expired int root
chain leaf-future leaf-future int root

# --- trust stores ------------------------------------------------------------
ts=$out/truststore/x509
mkdir -p "$ts/ca/valid" "$ts/ca/leaf" "$ts/ca/notcert" "$ts/ca/emptyfile" \
    "$ts/ca/subdir/sub" "$ts/ca/keyfile" "$ts/signingAuthority/valid" \
    "$ts/tsa/valid" "$ts/tsa/nonroot" "$ts/tsa/selfsigned-leaf" \
    "$ts/tsa/sha1-root"
# ca/valid: a PEM root, a DER root, a self-signed leaf, a two-cert PEM file.
cp root.pem "$ts/ca/valid/root.pem"
openssl x509 -in ec-root.pem -outform DER -out "$ts/ca/valid/ec-root.der"
cp selfsigned.pem "$ts/ca/valid/selfsigned.crt"
cat int.pem other-root.pem >"$ts/ca/valid/int-and-other-root.pem"
# ca/leaf: a CA-issued leaf next to a valid root.
cp root.pem "$ts/ca/leaf/root.pem"
cp leaf.pem "$ts/ca/leaf/leaf.pem"
# ca/notcert: a text file next to a valid root.
cp root.pem "$ts/ca/notcert/root.pem"
printf 'This directory holds trusted roots.\n' >"$ts/ca/notcert/README"
# ca/emptyfile: an empty file next to a valid root.
cp root.pem "$ts/ca/emptyfile/root.pem"
: >"$ts/ca/emptyfile/empty.pem"
# ca/subdir: a sub-directory next to a valid root.
cp root.pem "$ts/ca/subdir/root.pem"
cp other-root.pem "$ts/ca/subdir/sub/other-root.pem"
# ca/keyfile: a PEM file with a certificate and a private key block.
cat selfsigned.pem selfsigned.key >"$ts/ca/keyfile/selfsigned-with-key.pem"
# signingAuthority/valid.
cp root.pem "$ts/signingAuthority/valid/root.pem"
# tsa/valid: self-issued root CAs, PEM and DER.
cp root.pem "$ts/tsa/valid/root.pem"
openssl x509 -in ec-root.pem -outform DER -out "$ts/tsa/valid/ec-root.der"
# tsa/nonroot: an intermediate CA.
cp int.pem "$ts/tsa/nonroot/int.pem"
# tsa/selfsigned-leaf: a self-signed signing certificate (not a CA).
cp selfsigned.pem "$ts/tsa/selfsigned-leaf/selfsigned.pem"
# tsa/sha1-root: a root CA that signs itself with SHA-1.
cp root-sha1.pem "$ts/tsa/sha1-root/root-sha1.pem"

echo "testdata/pki regenerated"
