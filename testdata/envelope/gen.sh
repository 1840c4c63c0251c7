#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerates the keys and self-signed certificates used by the envelope
# unit tests (t_sigalg, t_jws, t_cose) with the openssl CLI. The outputs
# are committed; the tests do not depend on particular key values.
#
#   <name>.key  PKCS#8 PEM private key
#   <name>.crt  PEM self-signed code-signing certificate (supported keys)
set -eu
cd "$(dirname "$0")"

cert() {
	openssl req -new -x509 -key "$1.key" -out "$1.crt" -days 36500 \
	    -subj "/C=US/ST=WA/L=Seattle/O=ocivet test/CN=envelope $1" \
	    -addext "basicConstraints=critical,CA:FALSE" \
	    -addext "keyUsage=critical,digitalSignature" \
	    -addext "extendedKeyUsage=codeSigning" 2>/dev/null
}

rsa() {
	openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" \
	    -out "$1.key" 2>/dev/null
}

ec() {
	openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$2" \
	    -pkeyopt ec_param_enc:named_curve -out "$1.key" 2>/dev/null
}

# The six supported signing keys, each with a certificate.
rsa rsa2048 2048 && cert rsa2048
rsa rsa3072 3072 && cert rsa3072
rsa rsa4096 4096 && cert rsa4096
ec p256 P-256 && cert p256
ec p384 P-384 && cert p384
ec p521 P-521 && cert p521

# Unsupported keys (no certificate needed).
rsa rsa1024 1024
rsa rsa2047 2047
ec p224 P-224
openssl genpkey -algorithm ED25519 -out ed25519.key
