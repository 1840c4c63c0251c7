/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet trust create|check|show: trust bundles (ocivet-trust-bundle(5)),
 * a notation configuration with a manifest of SHA-256 digests, made on
 * the connected side and checked on the disconnected one.
 */
#include "config.h"

#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "confdir.h"
#include "fsutil.h"
#include "inspect.h"
#include "policy.h"
#include "revocation.h"
#include "show.h"
#include "tbundle.h"
#include "text.h"
#include "timeutil.h"
#include "truststore.h"

enum {
	OPT_CONFIG = 256,
	OPT_POLICY,
	OPT_CERT,
	OPT_CRL,
	OPT_NAME,
	OPT_BUNDLE_VERSION,
	OPT_DESCRIPTION,
	OPT_AT,
	OPT_FORMAT,
	OPT_KEY,
	OPT_WARN_DAYS,
};

static const struct option options[] = {
	{"config", required_argument, NULL, OPT_CONFIG},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"cert", required_argument, NULL, OPT_CERT},
	{"crl", required_argument, NULL, OPT_CRL},
	{"name", required_argument, NULL, OPT_NAME},
	{"bundle-version", required_argument, NULL, OPT_BUNDLE_VERSION},
	{"description", required_argument, NULL, OPT_DESCRIPTION},
	{"at", required_argument, NULL, OPT_AT},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"key", required_argument, NULL, OPT_KEY},
	{"warn-days", required_argument, NULL, OPT_WARN_DAYS},
	{"output", required_argument, NULL, 'o'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

void
cli_trust_usage(FILE *f)
{
	fputs("usage: ocivet trust create -o OUT --name NAME (--config DIR |\n"
	      "           --policy FILE [--cert TYPE:STORE:FILE]...) [--crl FILE]...\n"
	      "           [--bundle-version V] [--description TEXT] [--at TIME]\n"
	      "       ocivet trust check [--key FILE] [--at TIME] [--warn-days N]\n"
	      "           [--format text|json] BUNDLE\n"
	      "       ocivet trust show [--at TIME] [--format text|json] BUNDLE\n"
	      "\n"
	      "Trust bundles carry a trust policy, its trust stores and CRLs to a\n"
	      "disconnected site with a manifest of SHA-256 digests (ocivet-trust-\n"
	      "bundle(5)); use one with ocivet verify --trust. Not the signature\n"
	      "bundles of ocivet bundle export. BUNDLE is a name (an installed\n"
	      "bundle, e.g. microsoft) or a path (a directory, .tar, .tar.gz,\n"
	      ".tar.zst).\n"
	      "\n"
	      "  -o, --output OUT      create: the bundle to write (a directory, or\n"
	      "                        .tar, .tar.gz or .tgz, .tar.zst or .tzst)\n"
	      "  --config DIR          create: from a notation configuration directory\n"
	      "                        (trust policy, truststore/x509/, crl/, README*)\n"
	      "  --policy FILE         create: the trust policy\n"
	      "  --cert TYPE:STORE:FILE  create: a certificate for store STORE of type\n"
	      "                        ca, signingAuthority or tsa (repeatable)\n"
	      "  --crl FILE            create: a CRL file to carry (repeatable)\n"
	      "  --name NAME           create: the bundle's name\n"
	      "  --bundle-version V    create: the bundle's version\n"
	      "  --description TEXT    create: what the bundle is for\n"
	      "  --at TIME             create: its creation time; check, show: judge\n"
	      "                        expiry as of an RFC 3339 time instead of now\n"
	      "  --key FILE            check: verify ocivet-trust.json.sig with this\n"
	      "                        PEM public key or certificate\n"
	      "  --warn-days N         check: warn about certificates and CRLs that\n"
	      "                        expire within N days (default: 30)\n"
	      "  --format text|json    check, show: output format (default: text)\n"
	      "  -h, --help            show this help\n"
	      "\n"
	      "Exit status: 0 success (check: no error, warnings allowed), 2 a\n"
	      "bundle that does not match its manifest or has an error, or usage\n"
	      "error. See ocivet-trust(1).\n",
	    f);
}

/* Everything a trust command keeps, freed in one place. */
struct trust_cmd {
	const char *out, *config, *policy, *name, *version, *description;
	const char *at, *key;
	const char **certs, **crls;
	size_t ncerts, ncrls;
	int json, format;
	unsigned long long warn_days;
	int64_t now;
	struct ov_tbundle *tb;
	struct ov_confdir conf;
	struct ov_tbundle_input *in;
	size_t nin;
	char **strs; /* strings the inputs point to */
	size_t nstrs;
	char **errors, **warnings;
	size_t nerrors, nwarnings;
};

static void
cmd_free(struct trust_cmd *c)
{
	free(c->certs);
	free(c->crls);
	free(c->in);
	ov_strv_free(c->strs, c->nstrs);
	ov_strv_free(c->errors, c->nerrors);
	ov_strv_free(c->warnings, c->nwarnings);
	ov_confdir_clear(&c->conf);
	ov_tbundle_free(c->tb);
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int
parse_options(struct trust_cmd *c, const char *cmd, int argc, char **argv)
{
	int ch;

	c->warn_days = 30;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
		switch (ch) {
		case 'o':
			c->out = optarg;
			break;
		case OPT_CONFIG:
			c->config = optarg;
			break;
		case OPT_POLICY:
			c->policy = optarg;
			break;
		case OPT_CERT:
			if (cli_push_arg(&c->certs, &c->ncerts, optarg) != 0)
				return -1;
			break;
		case OPT_CRL:
			if (cli_push_arg(&c->crls, &c->ncrls, optarg) != 0)
				return -1;
			break;
		case OPT_NAME:
			c->name = optarg;
			break;
		case OPT_BUNDLE_VERSION:
			c->version = optarg;
			break;
		case OPT_DESCRIPTION:
			c->description = optarg;
			break;
		case OPT_AT:
			c->at = optarg;
			break;
		case OPT_KEY:
			c->key = optarg;
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
			cli_trust_usage(stdout);
			return 1;
		default:
			return cli_option_error(cmd, ch, argv);
		}
	}
	return cli_parse_time(c->at, &c->now);
}

/* ---- create ------------------------------------------------------------- */

static int
add_input(struct trust_cmd *c, char *path, char *from)
{
	struct ov_tbundle_input *n;
	struct ov_err err;

	if (path == NULL || from == NULL) {
		free(path);
		free(from);
		cli_errorf("out of memory");
		return -1;
	}
	if (ov_strlist_take(&c->strs, &c->nstrs, path, &err) != OV_OK ||
	    ov_strlist_take(&c->strs, &c->nstrs, from, &err) != OV_OK ||
	    (n = realloc(c->in, (c->nin + 1) * sizeof(*n))) == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	c->in = n;
	c->in[c->nin].path = path;
	c->in[c->nin].from = from;
	c->nin++;
	return 0;
}

/* Every regular file under dir/rel (recursively), as rel/NAME. */
static int
add_tree(struct trust_cmd *c, const char *dir, const char *rel)
{
	char **names = NULL, *from;
	size_t i, n = 0;
	struct stat st;
	struct ov_err err;
	int dfd, rc = -1;

	from = ov_strf("%s/%s", dir, rel);
	if (from == NULL)
		return -1;
	if ((dfd = open(from, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		 O_CLOEXEC)) < 0) {
		rc = errno == ENOENT ? 0 : -1;
		if (rc != 0)
			cli_errorf("trust create: %s: %s", from,
			    strerror(errno));
		free(from);
		return rc;
	}
	if (ov_dir_names(dfd, from, OV_TBUNDLE_MAX_FILES, &names, &n, &err) !=
	    OV_OK) {
		cli_errorf("trust create: %s", err.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		char *sub = ov_strf("%s/%s", rel, names[i]);
		if (sub == NULL ||
		    fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			cli_errorf("trust create: %s/%s: %s", from, names[i],
			    strerror(errno));
			free(sub);
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = add_tree(c, dir, sub);
			free(sub);
			if (rc != 0)
				goto out;
			rc = -1;
		} else if (S_ISREG(st.st_mode)) {
			if (add_input(c, sub, ov_strf("%s/%s", dir, sub)) != 0)
				goto out;
		} else {
			cli_errorf("trust create: %s/%s: not a regular file or directory",
			    from, names[i]);
			free(sub);
			goto out;
		}
	}
	rc = 0;
out:
	close(dfd);
	ov_strv_free(names, n);
	free(from);
	return rc;
}

/* What a notation configuration directory contributes: the policy
 * files, the x509 trust stores, crl/ and README files, never keys or
 * notation's other settings. */
static int
inputs_from_config(struct trust_cmd *c)
{
	static const char *const top[] = {"trustpolicy.oci.json",
		"trustpolicy.json", "README.md", "README", NULL};
	static const char *const types[] = {"ca", "signingAuthority", "tsa",
		NULL};
	struct stat st;
	char *p, *rel;
	size_t i;

	for (i = 0; top[i] != NULL; i++) {
		if ((p = ov_strf("%s/%s", c->config, top[i])) == NULL)
			return -1;
		if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (add_input(c, strdup(top[i]), p) != 0)
			return -1;
	}
	for (i = 0; types[i] != NULL; i++) {
		if ((rel = ov_strf("truststore/x509/%s", types[i])) == NULL)
			return -1;
		if (add_tree(c, c->config, rel) != 0) {
			free(rel);
			return -1;
		}
		free(rel);
	}
	return add_tree(c, c->config, "crl");
}

static int
inputs_from_files(struct trust_cmd *c)
{
	enum ov_store_type t;
	const char *base, *s1, *s2;
	char *store;
	size_t i;

	base = strrchr(c->policy, '/');
	base = base != NULL ? base + 1 : c->policy;
	if (add_input(c,
		strdup(strcmp(base, "trustpolicy.json") == 0
			? "trustpolicy.json"
			: "trustpolicy.oci.json"),
		strdup(c->policy)) != 0)
		return -1;
	for (i = 0; i < c->ncerts; i++) {
		s1 = strchr(c->certs[i], ':');
		s2 = s1 != NULL ? strchr(s1 + 1, ':') : NULL;
		if (s2 == NULL ||
		    ov_store_type_parse(c->certs[i], (size_t)(s1 - c->certs[i]),
			&t) != 0 ||
		    (store = strndup(s1 + 1, (size_t)(s2 - s1 - 1))) ==
			NULL) {
			cli_errorf("trust create: --cert \"%s\": use TYPE:STORE:FILE with TYPE ca, signingAuthority or tsa",
			    c->certs[i]);
			return -1;
		}
		if (!ov_store_name_valid(store)) {
			cli_errorf("trust create: --cert \"%s\": \"%s\" is not a valid store name ([a-zA-Z0-9_.-]+)",
			    c->certs[i], store);
			free(store);
			return -1;
		}
		base = strrchr(s2 + 1, '/');
		base = base != NULL ? base + 1 : s2 + 1;
		if (add_input(c,
			ov_strf("truststore/x509/%s/%s/%s",
			    ov_store_type_name(t), store, base),
			strdup(s2 + 1)) != 0) {
			free(store);
			return -1;
		}
		free(store);
	}
	return 0;
}

/* --crl files, into crl/ */
static int
inputs_crls(struct trust_cmd *c)
{
	const char *base;
	size_t i;

	for (i = 0; i < c->ncrls; i++) {
		base = strrchr(c->crls[i], '/');
		base = base != NULL ? base + 1 : c->crls[i];
		if (add_input(c, ov_strf("crl/%s", base), strdup(c->crls[i])) !=
		    0)
			return -1;
	}
	return 0;
}

static int
trust_create(int argc, char **argv)
{
	struct trust_cmd c;
	struct ov_tbundle_manifest meta;
	struct ov_tbundle *tb = NULL;
	struct ov_err err;
	enum ov_bundle_format fmt = OV_BUNDLE_DIR;
	char created[OV_TIME_STR_MAX];
	int rc, status = CLI_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_options(&c, "trust create", argc, argv)) != 0) {
		status = rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		goto out;
	}
	if (optind < argc) {
		cli_errorf("trust create: unexpected argument \"%s\"",
		    argv[optind]);
		cli_usage_hint("trust");
		goto out;
	}
	if (c.out == NULL || c.name == NULL ||
	    (c.config == NULL) == (c.policy == NULL) ||
	    (c.config != NULL && c.ncerts > 0)) {
		cli_errorf("trust create: give -o OUT, --name NAME, and either --config DIR or --policy FILE with --cert");
		cli_usage_hint("trust");
		goto out;
	}
	if (!ov_tbundle_name_valid(c.name)) {
		cli_errorf("trust create: --name \"%s\": use lower-case letters, digits, \".\", \"_\" and \"-\", starting with a letter or digit",
		    c.name);
		goto out;
	}
	if (has_suffix(c.out, ".tar"))
		fmt = OV_BUNDLE_TAR;
	else if (has_suffix(c.out, ".tar.gz") || has_suffix(c.out, ".tgz"))
		fmt = OV_BUNDLE_TAR_GZ;
	else if (has_suffix(c.out, ".tar.zst") || has_suffix(c.out, ".tzst"))
		fmt = OV_BUNDLE_TAR_ZST;
	if ((c.config != NULL ? inputs_from_config(&c)
			      : inputs_from_files(&c)) != 0 ||
	    inputs_crls(&c) != 0)
		goto out;
	memset(&meta, 0, sizeof(meta));
	if ((meta.name = strdup(c.name)) == NULL ||
	    (c.version != NULL && (meta.version = strdup(c.version)) == NULL) ||
	    (c.description != NULL &&
		(meta.description = strdup(c.description)) == NULL) ||
	    (meta.created = strdup(ov_time_format(c.now, created))) == NULL) {
		ov_tbundle_manifest_free_fields(&meta);
		cli_errorf("out of memory");
		goto out;
	}
	rc = ov_tbundle_write(c.out, fmt, &meta, c.in, c.nin, &err);
	ov_tbundle_manifest_free_fields(&meta);
	if (rc != OV_OK) {
		cli_errorf("trust create: %s", err.msg);
		goto out;
	}
	/* read back what was written, as the other side will */
	if (ov_tbundle_open(c.out, getenv("TMPDIR") != NULL &&
			*getenv("TMPDIR") != '\0'
		    ? getenv("TMPDIR")
		    : "/tmp",
		&tb, &err) != OV_OK) {
		cli_errorf("trust create: %s", err.msg);
		goto out;
	}
	printf("%s: trust bundle \"%s\", %zu files\n", c.out, c.name,
	    ov_tbundle_manifest(tb)->nfiles);
	status = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
out:
	ov_tbundle_free(tb);
	cmd_free(&c);
	return status;
}

/* ---- check -------------------------------------------------------------- */

static int
addmsg(char ***list, size_t *n, char *s)
{
	struct ov_err err;

	if (s == NULL || ov_strlist_take(list, n, s, &err) != OV_OK) {
		cli_errorf("out of memory");
		return -1;
	}
	return 0;
}

/* The CRL files the bundle carries (under crl/), each judged by its
 * nextUpdate; fn is called for each CRL of each file. */
static int
check_crls(struct trust_cmd *c, cJSON *arr, struct cli_node *node)
{
	const struct ov_tbundle_manifest *m = ov_tbundle_manifest(c->tb);
	struct ov_crl_info *ci = NULL;
	struct ov_buf b;
	struct ov_err err;
	char t1[32], t2[32], *p;
	size_t i, k, n = 0;
	int rc = 0;
	cJSON *o;

	ov_buf_init(&b, OV_TBUNDLE_MAX_FILE);
	for (i = 0; i < m->nfiles && rc == 0; i++) {
		const char *f = m->files[i].path;
		if (strncmp(f, "crl/", 4) != 0)
			continue;
		ov_buf_reset(&b);
		if ((p = ov_strf("%s/%s", ov_tbundle_dir(c->tb), f)) == NULL)
			return -1;
		if (ov_buf_read_file(&b, AT_FDCWD, p, &err) != OV_OK ||
		    ov_crl_info(b.data, b.len, &ci, &n, &err) != OV_OK) {
			/* a notation CRL cache entry is JSON, not a CRL */
			if (b.len > 0 && b.data[0] == '{') {
				free(p);
				continue;
			}
			rc = addmsg(&c->errors, &c->nerrors,
			    ov_strf("%s: %s", f, err.msg));
			free(p);
			continue;
		}
		free(p);
		for (k = 0; k < n && rc == 0; k++) {
			int stale = ci[k].next_update < c->now;
			show_time(ci[k].this_update, t1);
			if (ci[k].next_update == INT64_MAX)
				snprintf(t2, sizeof(t2), "none");
			else
				show_time(ci[k].next_update, t2);
			if (stale)
				rc = addmsg(&c->errors, &c->nerrors,
				    ov_strf("%s: CRL from \"%s\": its nextUpdate %s has passed: fetch a fresh one (ocivet crl urls)",
					f, ci[k].issuer, t2));
			else if (ci[k].next_update != INT64_MAX &&
			    (uint64_t)(ci[k].next_update - c->now) <=
				c->warn_days * 86400ULL)
				rc = addmsg(&c->warnings, &c->nwarnings,
				    ov_strf("%s: CRL from \"%s\": next update %s, in %lld days",
					f, ci[k].issuer, t2,
					(long long)((ci[k].next_update -
							c->now) /
					    86400)));
			if (arr != NULL &&
			    ((o = cJSON_CreateObject()) == NULL ||
				!cJSON_AddItemToArray(arr, o) ||
				cJSON_AddStringToObject(o, "file", f) == NULL ||
				cJSON_AddStringToObject(o, "issuer",
				    ci[k].issuer) == NULL ||
				cJSON_AddStringToObject(o, "this_update", t1) ==
				    NULL ||
				cJSON_AddStringToObject(o, "next_update", t2) ==
				    NULL ||
				cJSON_AddNumberToObject(o, "revoked",
				    (double)ci[k].nrevoked) == NULL ||
				cJSON_AddBoolToObject(o, "fresh", !stale) ==
				    NULL))
				rc = -1;
			if (node != NULL)
				cli_tree_add(node,
				    "%s: \"%s\", this update %s, next update %s, %zu revoked (%s)",
				    f, ci[k].issuer, t1, t2, ci[k].nrevoked,
				    stale ? "stale" : "fresh");
		}
		ov_crl_info_free(ci, n);
		ci = NULL;
	}
	ov_buf_free(&b);
	return rc;
}

static int
open_bundle(struct trust_cmd *c, const char *cmd, int argc, char **argv)
{
	const char *config = NULL;

	if (optind + 1 != argc) {
		cli_errorf("%s: give one BUNDLE (a name or a path)", cmd);
		cli_usage_hint("trust");
		return -1;
	}
	if (cli_open_trust(argv[optind], &config, &c->tb) != 0 ||
	    cli_resolve_config(config, NULL, NULL, &c->conf) != 0)
		return -1;
	return 0;
}

static const char *
sig_state(const struct trust_cmd *c)
{
	if (!ov_tbundle_signed(c->tb))
		return c->key != NULL ? "missing" : "none";
	return c->key != NULL ? "verified" : "present, not checked (--key)";
}

static int
print_check(const struct trust_cmd *c)
{
	const struct ov_tbundle_manifest *m = ov_tbundle_manifest(c->tb);
	cJSON *o, *a;
	size_t i;

	if (c->json) {
		if ((o = cJSON_CreateObject()) == NULL ||
		    cJSON_AddStringToObject(o, "ocivet_version",
			PACKAGE_VERSION) == NULL ||
		    cJSON_AddStringToObject(o, "bundle",
			ov_tbundle_path(c->tb)) == NULL ||
		    cJSON_AddStringToObject(o, "name", m->name) == NULL ||
		    cJSON_AddNumberToObject(o, "files", (double)m->nfiles) ==
			NULL ||
		    cJSON_AddStringToObject(o, "signature", sig_state(c)) ==
			NULL ||
		    cJSON_AddBoolToObject(o, "valid", c->nerrors == 0) ==
			NULL ||
		    (a = cJSON_AddArrayToObject(o, "errors")) == NULL)
			goto nomem;
		for (i = 0; i < c->nerrors; i++)
			if (!cJSON_AddItemToArray(a,
				cJSON_CreateString(c->errors[i])))
				goto nomem;
		if ((a = cJSON_AddArrayToObject(o, "warnings")) == NULL)
			goto nomem;
		for (i = 0; i < c->nwarnings; i++)
			if (!cJSON_AddItemToArray(a,
				cJSON_CreateString(c->warnings[i])))
				goto nomem;
		return cli_json_print(o);
	nomem:
		cJSON_Delete(o);
		cli_errorf("out of memory");
		return -1;
	}
	printf("trust bundle: %s (\"%s\"%s%s)\n", ov_tbundle_path(c->tb),
	    m->name, m->version != NULL ? " version " : "",
	    m->version != NULL ? m->version : "");
	printf("files: %zu, each as %s lists it\n", m->nfiles,
	    OV_TBUNDLE_MANIFEST);
	printf("signature: %s\n", sig_state(c));
	for (i = 0; i < c->nerrors; i++)
		printf("error: %s\n", c->errors[i]);
	for (i = 0; i < c->nwarnings; i++)
		printf("warning: %s\n", c->warnings[i]);
	printf("%zu error%s, %zu warning%s\n", c->nerrors,
	    c->nerrors == 1 ? "" : "s", c->nwarnings,
	    c->nwarnings == 1 ? "" : "s");
	return fflush(stdout) == 0 ? 0 : -1;
}

static int
trust_check(int argc, char **argv)
{
	struct trust_cmd c;
	struct ov_err err;
	int rc, status = CLI_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_options(&c, "trust check", argc, argv)) != 0) {
		status = rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		goto out;
	}
	if (open_bundle(&c, "trust check", argc, argv) != 0)
		goto out;
	if (c.key != NULL &&
	    ov_tbundle_check_signature(c.tb, c.key, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	if (cli_policy_check_conf(&c.conf, c.now, c.warn_days, &c.errors,
		&c.nerrors, &c.warnings, &c.nwarnings) != 0 ||
	    check_crls(&c, NULL, NULL) != 0 || print_check(&c) != 0)
		goto out;
	status = c.nerrors > 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
out:
	cmd_free(&c);
	return status;
}

/* ---- show --------------------------------------------------------------- */

/* Every named store of every type, with its certificates. */
static int
show_stores(struct trust_cmd *c, cJSON *arr, struct cli_node *node)
{
	STACK_OF(X509) *certs;
	struct ov_cert_desc d;
	struct ov_err err;
	struct cli_node *sn, *cn;
	char **names = NULL, t[32];
	size_t i, n = 0;
	int type, k, rc = 0;
	cJSON *so = NULL, *ca = NULL, *co;

	memset(&err, 0, sizeof(err));
	for (type = OV_STORE_CA; type <= OV_STORE_TSA && rc == 0; type++) {
		if (ov_truststore_names(c->conf.truststore, type, &names, &n,
			&err) != OV_OK) {
			cli_errorf("%s", err.msg);
			return -1;
		}
		for (i = 0; i < n && rc == 0; i++) {
			if (ov_truststore_load(c->conf.truststore, type,
				names[i], NULL, &certs, &err) != OV_OK) {
				cli_errorf("%s", err.msg);
				rc = -1;
				break;
			}
			sn = node == NULL ? NULL
					  : cli_tree_add(node, "%s:%s",
						ov_store_type_name(type),
						names[i]);
			if (arr != NULL &&
			    ((so = cJSON_CreateObject()) == NULL ||
				!cJSON_AddItemToArray(arr, so) ||
				cJSON_AddStringToObject(so, "type",
				    ov_store_type_name(type)) == NULL ||
				cJSON_AddStringToObject(so, "name",
				    names[i]) == NULL ||
				(ca = cJSON_AddArrayToObject(so,
				     "certificates")) == NULL))
				rc = -1;
			for (k = 0; k < sk_X509_num(certs) && rc == 0; k++) {
				if (ov_cert_describe(sk_X509_value(certs, k),
					&d, &err) != OV_OK) {
					rc = -1;
					break;
				}
				show_time(d.not_after, t);
				if (sn != NULL) {
					cn = cli_tree_add(sn, "%s", d.subject);
					cli_tree_add(cn, "SHA-256: %s",
					    d.sha256);
					cli_tree_add(cn, "expires: %s%s", t,
					    d.not_after < c->now ? " (expired)"
								 : "");
				}
				if (arr != NULL &&
				    ((co = cJSON_CreateObject()) == NULL ||
					!cJSON_AddItemToArray(ca, co) ||
					cJSON_AddStringToObject(co, "subject",
					    d.subject) == NULL ||
					cJSON_AddStringToObject(co, "sha256",
					    d.sha256) == NULL ||
					cJSON_AddStringToObject(co,
					    "not_after", t) == NULL ||
					cJSON_AddBoolToObject(co, "expired",
					    d.not_after < c->now) == NULL))
					rc = -1;
				ov_cert_desc_clear(&d);
			}
			sk_X509_pop_free(certs, X509_free);
		}
		ov_strv_free(names, n);
		names = NULL;
		n = 0;
	}
	if (rc != 0 && err.msg[0] == '\0')
		cli_errorf("out of memory");
	return rc;
}

static int
trust_show(int argc, char **argv)
{
	struct trust_cmd c;
	const struct ov_tbundle_manifest *m;
	struct ov_policy *p = NULL;
	struct cli_node *root = NULL, *n;
	struct ov_err err;
	cJSON *o = NULL, *a;
	int rc, status = CLI_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_options(&c, "trust show", argc, argv)) != 0) {
		status = rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		goto out;
	}
	if (open_bundle(&c, "trust show", argc, argv) != 0)
		goto out;
	m = ov_tbundle_manifest(c.tb);
	if (ov_policy_load(c.conf.policy, &p, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	if (c.json) {
		if ((o = cJSON_CreateObject()) == NULL ||
		    cJSON_AddStringToObject(o, "ocivet_version",
			PACKAGE_VERSION) == NULL ||
		    cJSON_AddStringToObject(o, "bundle",
			ov_tbundle_path(c.tb)) == NULL ||
		    cJSON_AddStringToObject(o, "name", m->name) == NULL ||
		    (m->version != NULL &&
			cJSON_AddStringToObject(o, "version", m->version) ==
			    NULL) ||
		    cJSON_AddStringToObject(o, "created", m->created) == NULL ||
		    (m->description != NULL &&
			cJSON_AddStringToObject(o, "description",
			    m->description) == NULL) ||
		    cJSON_AddNumberToObject(o, "files", (double)m->nfiles) ==
			NULL ||
		    cJSON_AddBoolToObject(o, "signed",
			ov_tbundle_signed(c.tb)) == NULL ||
		    (a = cJSON_AddArrayToObject(o, "statements")) == NULL ||
		    cli_policy_show_json(a, p) != 0 ||
		    (a = cJSON_AddArrayToObject(o, "trust_stores")) == NULL ||
		    show_stores(&c, a, NULL) != 0 ||
		    (a = cJSON_AddArrayToObject(o, "crls")) == NULL ||
		    check_crls(&c, a, NULL) != 0) {
			cJSON_Delete(o);
			goto out;
		}
		if (cli_json_print(o) != 0)
			goto out;
	} else {
		root = cli_tree_new("trust bundle \"%s\"%s%s: %s", m->name,
		    m->version != NULL ? " version " : "",
		    m->version != NULL ? m->version : "",
		    ov_tbundle_path(c.tb));
		cli_tree_add(root, "created: %s", m->created);
		if (m->description != NULL)
			cli_tree_add(root, "description: %s", m->description);
		cli_tree_add(root, "files: %zu, each as %s lists it",
		    m->nfiles, OV_TBUNDLE_MANIFEST);
		cli_tree_add(root, "signature: %s",
		    ov_tbundle_signed(c.tb) ? "present" : "none");
		n = cli_tree_add(root, "trust policy: %s",
		    c.conf.policy + strlen(ov_tbundle_dir(c.tb)) + 1);
		cli_policy_show_tree(n, p);
		n = cli_tree_add(root, "trust stores");
		if (show_stores(&c, NULL, n) != 0)
			goto out;
		n = cli_tree_add(root, "CRLs");
		if (check_crls(&c, NULL, n) != 0)
			goto out;
		rc = cli_tree_print(root);
		root = NULL;
		if (rc != 0)
			goto out;
	}
	status = CLI_EXIT_OK;
out:
	cli_tree_free(root);
	ov_policy_free(p);
	cmd_free(&c);
	return status;
}

int
cli_trust(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{"create", trust_create},
		{"check", trust_check},
		{"show", trust_show},
		{NULL, NULL},
	};

	return cli_subcommand("trust", argc, argv, subs, cli_trust_usage);
}
