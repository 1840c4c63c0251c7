/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OpenSSL floor of a cold verify (bench/run.sh, bench/coldstart.sh):
 * a program that makes only the OpenSSL calls any verification of
 * testdata/layouts/jws must make, and nothing else. It decodes the
 * signature's certificate chain (three certificates, PEM as a trust
 * store holds them), hashes one buffer with SHA-256 and checks the two
 * certificate signatures of the chain. ocivet also hashes the blobs,
 * parses the JSON and JWS and checks the envelope's own signature, so
 * this is a lower bound. Under callgrind it shows how much of a cold
 * start is OpenSSL's (with OpenSSL 3.0, decoding a certificate builds a
 * decoder context for its key: over a million instructions each).
 *
 *   floor CHAIN.pem
 */
#include <stdio.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#define NCERTS 3

int
main(int argc, char **argv)
{
	static const char msg[] = "the manifest";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	X509 *c[NCERTS] = {NULL};
	BIO *bio;
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	const unsigned char *p;
	long len;
	int i, ok;

	if (argc != 2) {
		fprintf(stderr, "usage: floor CHAIN.pem\n");
		return 2;
	}
	/* as ocivet: no openssl.cnf */
	if (!OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) ||
	    (bio = BIO_new_file(argv[1], "r")) == NULL)
		return 2;
	for (i = 0; i < NCERTS; i++) {
		if (!PEM_read_bio(bio, &name, &header, &der, &len))
			return 2;
		p = der;
		if ((c[i] = d2i_X509(NULL, &p, len)) == NULL)
			return 2;
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(der);
	}
	BIO_free(bio);
	ok = EVP_Digest(msg, sizeof(msg) - 1, md, &mdlen, EVP_sha256(),
			NULL) == 1;
	for (i = 0; i + 1 < NCERTS; i++)
		ok = ok && X509_verify(c[i], X509_get0_pubkey(c[i + 1])) == 1;
	for (i = 0; i < NCERTS; i++)
		X509_free(c[i]);
	if (!ok) {
		fprintf(stderr, "floor: %s: the chain does not verify\n",
			argv[1]);
		return 1;
	}
	return 0;
}
