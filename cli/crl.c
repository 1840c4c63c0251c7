/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet crl: helpers for carrying revocation data into a disconnected
 * site. `crl urls` lists the CRL distribution points (and OCSP
 * responders) that the signatures of images, or the certificates of a
 * trust store, need, so the connected side can fetch them before the
 * transfer; `crl show` describes CRL files.
 */
#include "config.h"

#include "cli.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "buf.h"
#include "ovlimits.h"
#include "revocation.h"
#include "verify.h"
#include "x509.h"

void
cli_crl_usage(FILE *f)
{
	fputs("usage: ocivet crl urls [-v] [--cert FILE]... [SOURCE...]\n"
	      "       ocivet crl show FILE...\n"
	      "\n"
	      "urls: print the CRL distribution point URLs that the signing and\n"
	      "timestamping certificates of the signatures in SOURCE (and the\n"
	      "certificates in FILE) name, one per line; with -v also the OCSP\n"
	      "URLs, the notation CRL cache file name (SHA-256 of the URL) and the\n"
	      "certificate that needs it.\n"
	      "show: describe CRL files (issuer, this and next update, entries).\n",
	    f);
}

struct url_row {
	char *url;
	char *kind;    /* "crl" or "ocsp" */
	char *subject; /* certificate that names it */
};

static int
row_cmp(const void *a, const void *b)
{
	const struct url_row *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);

	return c != 0 ? c : strcmp(x->url, y->url);
}

static int
add_rows(struct url_row **rows, size_t *n, char **urls, size_t nurls,
    const char *kind, const char *subject)
{
	struct url_row *nr;
	size_t i, k;

	for (i = 0; i < nurls; i++) {
		for (k = 0; k < *n; k++)
			if (strcmp((*rows)[k].url, urls[i]) == 0)
				break;
		if (k < *n)
			continue;
		if ((nr = realloc(*rows, (*n + 1) * sizeof(*nr))) == NULL)
			return -1;
		*rows = nr;
		nr[*n].url = strdup(urls[i]);
		nr[*n].kind = strdup(kind);
		nr[*n].subject = strdup(subject);
		(*n)++;
		if (nr[*n - 1].url == NULL || nr[*n - 1].kind == NULL ||
		    nr[*n - 1].subject == NULL)
			return -1;
	}
	return 0;
}

static int
crl_urls(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"cert", required_argument, NULL, 'c'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	STACK_OF(X509) *certs = NULL, *more;
	struct url_row *rows = NULL;
	size_t nrows = 0, i, ncrl, nocsp;
	char **crl = NULL, **ocsp = NULL, **delta = NULL, hex[65];
	size_t ndelta = 0;
	struct ov_buf b;
	struct ov_err err;
	int ch, verbose = 0, status = CLI_EXIT_USAGE, j;

	if ((certs = sk_X509_new_null()) == NULL) {
		cli_errorf("out of memory");
		return CLI_EXIT_USAGE;
	}
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ov_buf_init(&b, OV_MAX_CERT_FILE);
			if (ov_buf_read_file(&b, AT_FDCWD, optarg,
				&err) != OV_OK ||
			    ov_x509_load_certs(b.data, b.len, optarg, NULL, &more,
				&err) != OV_OK) {
				ov_buf_free(&b);
				cli_errorf("%s", err.msg);
				goto out;
			}
			ov_buf_free(&b);
			while (sk_X509_num(more) > 0)
				if (!sk_X509_push(certs, sk_X509_shift(more)))
					goto nomem;
			sk_X509_free(more);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			cli_crl_usage(stdout);
			status = CLI_EXIT_OK;
			goto out;
		default:
			cli_errorf("crl urls: unknown option %s",
			    argv[optind - 1]);
			cli_usage_hint("crl");
			goto out;
		}
	}
	for (j = optind; j < argc; j++)
		if (ov_source_certificates(argv[j], certs, &err) != OV_OK) {
			cli_errorf("%s", err.msg);
			goto out;
		}
	if (optind >= argc && sk_X509_num(certs) == 0) {
		cli_errorf("crl urls: give a SOURCE or --cert FILE");
		goto out;
	}
	for (j = 0; j < sk_X509_num(certs); j++) {
		X509 *c = sk_X509_value(certs, j);
		char *subject;

		/* a self-signed root is never checked for revocation */
		if (ov_x509_is_self_signed(c))
			continue;
		if (ov_revocation_urls(c, &crl, &ncrl, &ocsp, &nocsp, &err) !=
			OV_OK ||
		    ov_revocation_delta_urls(c, &delta, &ndelta, &err) !=
			OV_OK) {
			cli_errorf("%s", err.msg);
			goto out;
		}
		if ((subject = ov_x509_name(X509_get_subject_name(c))) ==
			NULL ||
		    add_rows(&rows, &nrows, crl, ncrl, "crl", subject) != 0 ||
		    add_rows(&rows, &nrows, delta, ndelta, "crl", subject) !=
			0 ||
		    add_rows(&rows, &nrows, ocsp, nocsp, "ocsp", subject) != 0) {
			free(subject);
			goto nomem;
		}
		free(subject);
		ov_strv_free(crl, ncrl);
		ov_strv_free(delta, ndelta);
		ov_strv_free(ocsp, nocsp);
		crl = ocsp = delta = NULL;
	}
	qsort(rows, nrows, sizeof(*rows), row_cmp);
	for (i = 0; i < nrows; i++) {
		if (!verbose) {
			if (strcmp(rows[i].kind, "crl") == 0)
				printf("%s\n", rows[i].url);
			continue;
		}
		ov_revocation_cache_key(rows[i].url, hex);
		printf("%s\t%s\t%s\t%s\n", rows[i].kind, rows[i].url,
		    strcmp(rows[i].kind, "crl") == 0 ? hex : "-",
		    rows[i].subject);
	}
	status = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	goto out;
nomem:
	cli_errorf("out of memory");
out:
	ov_strv_free(crl, crl ? ncrl : 0);
	ov_strv_free(delta, delta ? ndelta : 0);
	ov_strv_free(ocsp, ocsp ? nocsp : 0);
	for (i = 0; i < nrows; i++) {
		free(rows[i].url);
		free(rows[i].kind);
		free(rows[i].subject);
	}
	free(rows);
	sk_X509_pop_free(certs, X509_free);
	return status;
}

static int
crl_show(int argc, char **argv)
{
	struct ov_buf b;
	struct ov_err err;
	char *text;
	int i, status = CLI_EXIT_OK;

	if (argc < 2) {
		cli_errorf("crl show: no FILE given");
		return CLI_EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		ov_buf_init(&b, 64 * OV_MIB);
		if (ov_buf_read_file(&b, AT_FDCWD, argv[i], &err) != OV_OK) {
			cli_errorf("%s", err.msg);
			status = CLI_EXIT_USAGE;
			ov_buf_free(&b);
			continue;
		}
		if (ov_crl_describe(b.data, b.len, &text, &err) != OV_OK) {
			cli_errorf("%s: %s", argv[i], err.msg);
			status = CLI_EXIT_USAGE;
			ov_buf_free(&b);
			continue;
		}
		printf("%s:\n%s", argv[i], text);
		free(text);
		ov_buf_free(&b);
	}
	if (fflush(stdout) != 0)
		status = CLI_EXIT_USAGE;
	return status;
}

int
cli_crl(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{"urls", crl_urls},
		{"show", crl_show},
		{NULL, NULL},
	};

	return cli_subcommand("crl", argc, argv, subs, cli_crl_usage);
}
