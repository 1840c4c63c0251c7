/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet cert ls: the certificates of the trust store by type and store,
 * with subject, issuer, expiry and SHA-256 fingerprint, like notation
 * cert ls plus expiry. ocivet cert show: one certificate file, or the
 * trust store certificate with a given fingerprint.
 */
#include "config.h"

#include "cli.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "confdir.h"
#include "inspect.h"
#include "ovlimits.h"
#include "show.h"
#include "text.h"
#include "tbundle.h"
#include "truststore.h"
#include "x509.h"

enum {
	OPT_CONFIG = 256,
	OPT_TRUST,
	OPT_TRUST_STORE,
	OPT_TYPE,
	OPT_STORE,
	OPT_AT,
	OPT_FORMAT,
	OPT_WARN_DAYS,
};

static const struct option options[] = {
	{"config", required_argument, NULL, OPT_CONFIG},
	{"trust", required_argument, NULL, OPT_TRUST},
	{"trust-store", required_argument, NULL, OPT_TRUST_STORE},
	{"type", required_argument, NULL, OPT_TYPE},
	{"store", required_argument, NULL, OPT_STORE},
	{"at", required_argument, NULL, OPT_AT},
	{"warn-days", required_argument, NULL, OPT_WARN_DAYS},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

void
cli_cert_usage(FILE *f)
{
	fputs("usage: ocivet cert ls [OPTIONS]\n"
	      "       ocivet cert show [OPTIONS] FILE|FINGERPRINT...\n"
	      "\n"
	      "ls: the trust store's certificates by type and store, with\n"
	      "subject, issuer, expiry and SHA-256 fingerprint. show: the\n"
	      "certificates of a file, or the trust store certificate whose\n"
	      "SHA-256 fingerprint is FINGERPRINT.\n"
	      "\n"
	      "  --config DIR          notation configuration directory (default:\n"
	      "                        $NOTATION_CONFIG, $XDG_CONFIG_HOME/notation,\n"
	      "                        ~/.config/notation)\n"
	      "  --trust NAME|PATH     a trust bundle (ocivet-trust(1)) instead of --config\n"
	      "  --trust-store DIR     trust store holding x509/{ca,signingAuthority,tsa}/\n"
	      "  --type TYPE           ca, signingAuthority or tsa only\n"
	      "  --store NAME          the named store NAME only\n"
	      "  --at TIME             judge expiry as of an RFC 3339 time instead\n"
	      "                        of now\n"
	      "  --warn-days N         mark certificates that expire within N days\n"
	      "                        (default: 30)\n"
	      "  --format text|json    output format (default: text)\n"
	      "  -h, --help            show this help\n"
	      "\n"
	      "Exit status: 0 listed, 1 cert show found no such certificate, 2\n"
	      "usage error or an unusable store. See ocivet-cert(1).\n",
	    f);
}

struct cert_cmd {
	const char *config, *truststore, *at, *store, *trust;
	struct ov_tbundle *tb; /* --trust */
	int type; /* -1: every type */
	int json;
	unsigned long long warn_days;
	int64_t now;
	struct ov_confdir conf;
};

static int
parse_options(struct cert_cmd *c, const char *cmd, int argc, char **argv)
{
	enum ov_store_type t;
	int ch;

	c->type = -1;
	c->warn_days = 30;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_CONFIG:
			c->config = optarg;
			break;
		case OPT_TRUST:
			c->trust = optarg;
			break;
		case OPT_TRUST_STORE:
			c->truststore = optarg;
			break;
		case OPT_TYPE:
			if (ov_store_type_parse(optarg, strlen(optarg), &t) !=
			    0) {
				cli_errorf(
				    "--type: unknown store type \"%s\" (use ca, signingAuthority or tsa)",
				    optarg);
				return -1;
			}
			c->type = (int)t;
			break;
		case OPT_STORE:
			c->store = optarg;
			break;
		case OPT_AT:
			c->at = optarg;
			break;
		case OPT_WARN_DAYS:
			if (cli_parse_number("--warn-days", optarg, 0, 36500,
					     &c->warn_days) != 0)
				return -1;
			break;
		case OPT_FORMAT:
			if (cli_parse_format(optarg, &c->json) != 0)
				return -1;
			break;
		case 'h':
			cli_cert_usage(stdout);
			return 1;
		default:
			return cli_option_error(cmd, ch, argv);
		}
	}
	/* Only the trust store is needed: a policy need not exist, so a
	 * placeholder stands for it. */
	if (cli_parse_time(c->at, &c->now) != 0 ||
	    cli_open_trust(c->trust, &c->config, &c->tb) != 0 ||
	    cli_resolve_config(c->config, "-", c->truststore, &c->conf) != 0)
		return -1;
	return 0;
}

/* "expired", "expires in N days" (within warn_days), "not yet valid",
 * else "valid". */
static const char *
status(const struct cert_cmd *c, const struct ov_cert_desc *d, char *buf,
       size_t size)
{
	int64_t left = d->not_after - c->now;

	if (left < 0)
		return "expired";
	if (d->not_before > c->now)
		return "not yet valid";
	if ((uint64_t)left <= c->warn_days * 86400ULL) {
		(void)snprintf(buf, size, "expires in %lld days",
			       (long long)(left / 86400));
		return buf;
	}
	return "valid";
}

/* One certificate into the tree or the JSON array; 0 or -1 (ENOMEM). */
static int
emit_cert(const struct cert_cmd *c, X509 *x, struct cli_node *parent,
	  cJSON *arr, const char *where)
{
	struct ov_cert_desc d;
	struct ov_err err;
	struct cli_node *n;
	cJSON *o;
	char buf[64];
	int rc = 0;

	if (ov_cert_describe(x, &d, &err) != OV_OK)
		return -1;
	if (arr != NULL) {
		if ((o = show_cert_json(&d)) == NULL ||
		    cJSON_AddStringToObject(o, "status",
					    status(c, &d, buf, sizeof(buf))) ==
			NULL ||
		    (where != NULL && cJSON_AddStringToObject(o, "trust_store",
							      where) == NULL) ||
		    !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			rc = -1;
		}
	} else {
		n = show_cert_tree(parent, &d);
		cli_tree_add(n, "status: %s", status(c, &d, buf, sizeof(buf)));
		if (where != NULL)
			cli_tree_add(n, "trust store: %s", where);
	}
	ov_cert_desc_clear(&d);
	return rc;
}

static int
cert_ls(int argc, char **argv)
{
	struct cert_cmd c;
	struct cli_node *root = NULL, *sn;
	STACK_OF(X509) *certs;
	struct ov_err err;
	cJSON *doc = NULL, *stores = NULL, *so, *arr;
	char **names = NULL;
	struct stat sb;
	size_t nnames = 0, i;
	int t, k, rc, st = CLI_EXIT_USAGE, bad = 0;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_options(&c, "cert ls", argc, argv)) != 0) {
		ov_confdir_clear(&c.conf);
		ov_tbundle_free(c.tb);
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if (optind < argc) {
		cli_errorf("cert ls: unexpected argument \"%s\"", argv[optind]);
		cli_usage_hint("cert");
		goto out;
	}
	if (stat(c.conf.truststore, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		cli_errorf(
		    "cert ls: trust store %s is not a directory (use --config or --trust-store)",
		    c.conf.truststore);
		goto out;
	}
	if (c.json) {
		if ((doc = cJSON_CreateObject()) == NULL ||
		    cJSON_AddStringToObject(doc, "ocivet_version",
					    PACKAGE_VERSION) == NULL ||
		    cJSON_AddStringToObject(doc, "trust_store",
					    c.conf.truststore) == NULL ||
		    (stores = cJSON_AddArrayToObject(doc, "stores")) == NULL)
			goto nomem;
	} else if ((root = cli_tree_new("trust store: %s",
					c.conf.truststore)) == NULL) {
		goto nomem;
	}
	for (t = OV_STORE_CA; t <= OV_STORE_TSA; t++) {
		if (c.type >= 0 && c.type != t)
			continue;
		if (ov_truststore_names(c.conf.truststore, t, &names, &nnames,
					&err) != OV_OK) {
			cli_errorf("%s", err.msg);
			goto out;
		}
		for (i = 0; i < nnames; i++) {
			if (c.store != NULL && strcmp(c.store, names[i]) != 0)
				continue;
			rc = ov_truststore_load(c.conf.truststore, t, names[i],
						NULL, &certs, &err);
			if (rc != OV_OK)
				bad = 1;
			arr = NULL;
			sn = NULL;
			if (doc != NULL) {
				if ((so = cJSON_CreateObject()) == NULL ||
				    !cJSON_AddItemToArray(stores, so) ||
				    cJSON_AddStringToObject(so, "type",
							    ov_store_type_name(
								t)) == NULL ||
				    cJSON_AddStringToObject(so, "name",
							    names[i]) == NULL ||
				    (rc != OV_OK
					 ? cJSON_AddStringToObject(so, "error",
								   err.msg)
					 : cJSON_AddNullToObject(so,
								 "error")) ==
					NULL ||
				    (arr = cJSON_AddArrayToObject(
					 so, "certificates")) == NULL)
					goto nomem_certs;
			} else {
				sn = cli_tree_add(root, "%s:%s",
						  ov_store_type_name(t),
						  names[i]);
				if (rc != OV_OK)
					cli_tree_add(sn, "unusable: %s",
						     err.msg);
			}
			for (k = 0; rc == OV_OK && k < sk_X509_num(certs); k++)
				if (emit_cert(&c, sk_X509_value(certs, k), sn,
					      arr, NULL) != 0)
					goto nomem_certs;
			if (rc == OV_OK)
				sk_X509_pop_free(certs, X509_free);
			continue;
nomem_certs:
			if (rc == OV_OK)
				sk_X509_pop_free(certs, X509_free);
			goto nomem;
		}
		ov_strv_free(names, nnames);
		names = NULL;
		nnames = 0;
	}
	if (doc != NULL) {
		rc = cli_json_print(doc);
		doc = NULL;
	} else {
		rc = cli_tree_print(root);
		root = NULL;
	}
	if (rc == 0)
		st = bad ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	goto out;
nomem:
	cli_errorf("out of memory");
out:
	ov_strv_free(names, nnames);
	cJSON_Delete(doc);
	cli_tree_free(root);
	ov_confdir_clear(&c.conf);
	ov_tbundle_free(c.tb);
	return st;
}

/* "sha256:HEX" or "HEX" (64 hex digits, any case) into lowercase hex. */
static int
parse_fingerprint(const char *s, char hex[65])
{
	size_t i;

	if (strncmp(s, "sha256:", 7) == 0)
		s += 7;
	if (strlen(s) != 64)
		return -1;
	for (i = 0; i < 64; i++) {
		char ch = s[i];
		if (ch >= 'A' && ch <= 'F')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return -1;
		hex[i] = ch;
	}
	hex[64] = '\0';
	return 0;
}

/* The trust store certificates with fingerprint hex; *found counts them. */
static int
find_in_stores(const struct cert_cmd *c, const char *hex,
	       struct cli_node *parent, cJSON *arr, int *found)
{
	STACK_OF(X509) *certs;
	struct ov_err err;
	char **names = NULL, fp[65], *where;
	size_t nnames = 0, i;
	int t, k, rc = 0;

	for (t = OV_STORE_CA; t <= OV_STORE_TSA && rc == 0; t++) {
		if (ov_truststore_names(c->conf.truststore, t, &names, &nnames,
					&err) != OV_OK) {
			cli_errorf("%s", err.msg);
			return -1;
		}
		for (i = 0; i < nnames && rc == 0; i++) {
			if (ov_truststore_load(c->conf.truststore, t, names[i],
					       NULL, &certs, &err) != OV_OK)
				continue; /* cert ls shows why */
			for (k = 0; k < sk_X509_num(certs) && rc == 0; k++) {
				ov_x509_sha256(sk_X509_value(certs, k), fp);
				if (strcmp(fp, hex) != 0)
					continue;
				(*found)++;
				where = ov_strf("%s:%s", ov_store_type_name(t),
						names[i]);
				rc = where == NULL
					 ? -1
					 : emit_cert(c, sk_X509_value(certs, k),
						     parent, arr, where);
				free(where);
			}
			sk_X509_pop_free(certs, X509_free);
		}
		ov_strv_free(names, nnames);
		names = NULL;
		nnames = 0;
	}
	if (rc != 0)
		cli_errorf("out of memory");
	return rc;
}

static int
show_file(const struct cert_cmd *c, const char *file, struct cli_node *parent,
	  cJSON *arr)
{
	STACK_OF(X509) *certs = NULL;
	struct ov_buf b;
	struct ov_err err;
	int k, rc = 0;

	ov_buf_init(&b, OV_MAX_CERT_FILE);
	if (ov_buf_read_file(&b, AT_FDCWD, file, &err) != OV_OK ||
	    ov_x509_load_certs(b.data, b.len, file, NULL, &certs,
			       &err) != OV_OK) {
		ov_buf_free(&b);
		cli_errorf("cert show: %s", err.msg);
		return 1;
	}
	ov_buf_free(&b);
	for (k = 0; k < sk_X509_num(certs) && rc == 0; k++)
		if (emit_cert(c, sk_X509_value(certs, k), parent, arr, NULL) !=
		    0) {
			cli_errorf("out of memory");
			rc = -1;
		}
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

static int
cert_show(int argc, char **argv)
{
	struct cert_cmd c;
	struct cli_node *root = NULL, *n;
	struct stat sb;
	cJSON *doc = NULL, *arr = NULL;
	char hex[65];
	int i, rc, found, st = CLI_EXIT_OK;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_options(&c, "cert show", argc, argv)) != 0) {
		ov_confdir_clear(&c.conf);
		ov_tbundle_free(c.tb);
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	if (optind >= argc) {
		cli_errorf("cert show: no FILE or FINGERPRINT given");
		cli_usage_hint("cert");
		ov_confdir_clear(&c.conf);
		ov_tbundle_free(c.tb);
		return CLI_EXIT_USAGE;
	}
	if (c.json &&
	    ((doc = cJSON_CreateObject()) == NULL ||
	     cJSON_AddStringToObject(doc, "ocivet_version", PACKAGE_VERSION) ==
		 NULL ||
	     (arr = cJSON_AddArrayToObject(doc, "certificates")) == NULL)) {
		cli_errorf("out of memory");
		st = CLI_EXIT_USAGE;
		goto out;
	}
	if (!c.json && (root = cli_tree_new("certificates")) == NULL) {
		cli_errorf("out of memory");
		st = CLI_EXIT_USAGE;
		goto out;
	}
	for (i = optind; i < argc; i++) {
		n = root != NULL ? cli_tree_add(root, "%s", argv[i]) : NULL;
		if (stat(argv[i], &sb) == 0 ||
		    parse_fingerprint(argv[i], hex) != 0) {
			rc = show_file(&c, argv[i], n, arr);
		} else {
			found = 0;
			rc = find_in_stores(&c, hex, n, arr, &found);
			if (rc == 0 && found == 0) {
				cli_errorf(
				    "cert show: no certificate with SHA-256 fingerprint %s in the trust store %s",
				    hex, c.conf.truststore);
				if (st == CLI_EXIT_OK)
					st = CLI_EXIT_FAILED;
			}
		}
		if (rc < 0) {
			st = CLI_EXIT_USAGE;
			goto out;
		}
		if (rc > 0)
			st = CLI_EXIT_USAGE;
	}
	if (doc != NULL) {
		rc = cli_json_print(doc);
		doc = NULL;
	} else {
		rc = cli_tree_print(root);
		root = NULL;
	}
	if (rc != 0)
		st = CLI_EXIT_USAGE;
out:
	cJSON_Delete(doc);
	cli_tree_free(root);
	ov_confdir_clear(&c.conf);
	ov_tbundle_free(c.tb);
	return st;
}

int
cli_cert(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{"ls", cert_ls},
		{"show", cert_show},
		{NULL, NULL},
	};

	return cli_subcommand("cert", argc, argv, subs, cli_cert_usage);
}
