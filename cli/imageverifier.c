/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet image-verifier: containerd's image verifier binary interface
 * (io.containerd.image-verifier.v1.bindir, containerd 1.7 and 2.x).
 * containerd runs every program of its bin_dir before it pulls an image,
 * as `PROG -name NAME -digest DIGEST -stdin-media-type
 * application/vnd.oci.descriptor.v1+json` with the image's descriptor on
 * standard input, takes exit status 0 as "pull it" and anything else as
 * "refuse it", and logs standard output as the reason. A wrapper script
 * in bin_dir adds the site's options (see ocivet-image-verifier(1)).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "confdir.h"
#include "fsutil.h"
#include "json.h"
#include "manifest.h"
#include "report.h"
#include "result.h"
#include "revocation.h"
#include "text.h"
#include "verify.h"

#define MT_DESCRIPTOR "application/vnd.oci.descriptor.v1+json"
#define MAX_STDIN (64 * 1024)
#define MAX_BUNDLES 10000

struct iv_cmd {
	const char *config;     /* --config */
	const char *policy;     /* --policy */
	const char *truststore; /* --trust-store */
	const char *at;         /* --at */
	const char **bundles;   /* --signatures, repeatable */
	size_t nbundles;
	const char **dirs;      /* --signatures-dir, repeatable */
	size_t ndirs;
	const char **crls;      /* --crl, repeatable */
	size_t ncrls;
	/* containerd's */
	const char *name;       /* -name */
	const char *digest;     /* -digest */
	const char *stdin_mt;   /* -stdin-media-type */
	const char *operation;  /* -operation (verify_on_run) */
	struct ov_confdir conf;
	struct ov_revocation *revocation;
	struct ov_verifier *verifier;
	struct ov_report *report;
	struct ov_descriptor desc;
	struct ov_buf in;
	struct ov_buf out;
	struct ov_buf warn;
};

enum {
	OPT_CONFIG = 256,
	OPT_POLICY,
	OPT_TRUST_STORE,
	OPT_AT,
	OPT_SIGNATURES,
	OPT_SIGNATURES_DIR,
	OPT_CRL,
	OPT_NAME,
	OPT_DIGEST,
	OPT_STDIN_MT,
	OPT_OPERATION,
};

/* Read with getopt_long_only: containerd passes -name, Go flag style. */
static const struct option options[] = {
	{"config", required_argument, NULL, OPT_CONFIG},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"trust-store", required_argument, NULL, OPT_TRUST_STORE},
	{"at", required_argument, NULL, OPT_AT},
	{"signatures", required_argument, NULL, OPT_SIGNATURES},
	{"signatures-dir", required_argument, NULL, OPT_SIGNATURES_DIR},
	{"crl", required_argument, NULL, OPT_CRL},
	{"name", required_argument, NULL, OPT_NAME},
	{"digest", required_argument, NULL, OPT_DIGEST},
	{"stdin-media-type", required_argument, NULL, OPT_STDIN_MT},
	{"operation", required_argument, NULL, OPT_OPERATION},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

void
cli_image_verifier_usage(FILE *f)
{
	fputs("usage: ocivet image-verifier [OPTIONS] -name NAME -digest DIGEST\n"
	      "           -stdin-media-type application/vnd.oci.descriptor.v1+json\n"
	      "\n"
	      "containerd's image verifier (io.containerd.image-verifier.v1.bindir):\n"
	      "the image NAME resolved to, whose descriptor is on standard input, may\n"
	      "be pulled when a --signatures bundle holds a signature of it that\n"
	      "verifies. The verdict is the exit status, the reason on stdout.\n"
	      "\n"
	      "  --config DIR          notation configuration directory\n"
	      "  --policy FILE         trust policy file (overrides the config's)\n"
	      "  --trust-store DIR     trust store holding x509/{ca,signingAuthority,tsa}/\n"
	      "  --signatures PATH     a detached signature bundle; repeatable\n"
	      "  --signatures-dir DIR  every bundle in DIR (layouts and archives)\n"
	      "  --crl PATH            CRL file or directory of CRLs; repeatable\n"
	      "  --at TIME             verify as of an RFC 3339 time instead of now\n"
	      "from containerd (one or two dashes):\n"
	      "  -name, --name NAME    the name being pulled\n"
	      "  -digest, --digest DIGEST\n"
	      "                        the digest it resolved to\n"
	      "  -stdin-media-type, --stdin-media-type TYPE\n"
	      "                        what standard input holds\n"
	      "  -operation, --operation OP\n"
	      "                        pull\n"
	      "  -h, --help            show this help\n"
	      "\n"
	      "Exit status: 0 pull allowed, 1 refused, 2 usage or configuration\n"
	      "error (also refused). See ocivet-image-verifier(1).\n",
	    f);
}

static void
cmd_free(struct iv_cmd *c)
{
	free(c->bundles);
	free(c->dirs);
	free(c->crls);
	ov_descriptor_clear(&c->desc);
	ov_report_free(c->report);
	ov_verifier_free(c->verifier);
	ov_revocation_free(c->revocation);
	ov_confdir_clear(&c->conf);
	ov_buf_free(&c->in);
	ov_buf_free(&c->out);
	ov_buf_free(&c->warn);
}

/* The refusal containerd logs: one line on stdout, and on stderr. */
static int
refuse(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
refuse(int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("ocivet: refused: %s\n", msg);
	fflush(stdout);
	cli_errorf("image-verifier: %s", msg);
	return status;
}

static int
parse_options(struct iv_cmd *c, int argc, char **argv)
{
	int ch;

	optind = 1;
	while ((ch = getopt_long_only(argc, argv, "h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_CONFIG:
			c->config = optarg;
			break;
		case OPT_POLICY:
			c->policy = optarg;
			break;
		case OPT_TRUST_STORE:
			c->truststore = optarg;
			break;
		case OPT_AT:
			c->at = optarg;
			break;
		case OPT_SIGNATURES:
			if (cli_push_arg(&c->bundles, &c->nbundles, optarg) != 0)
				return -1;
			break;
		case OPT_SIGNATURES_DIR:
			if (cli_push_arg(&c->dirs, &c->ndirs, optarg) != 0)
				return -1;
			break;
		case OPT_CRL:
			if (cli_push_arg(&c->crls, &c->ncrls, optarg) != 0)
				return -1;
			break;
		case OPT_NAME:
			c->name = optarg;
			break;
		case OPT_DIGEST:
			c->digest = optarg;
			break;
		case OPT_STDIN_MT:
			c->stdin_mt = optarg;
			break;
		case OPT_OPERATION:
			c->operation = optarg;
			break;
		case 'h':
			cli_image_verifier_usage(stdout);
			return 1;
		default:
			(void)cli_option_error("image-verifier", ch, argv);
			return -1;
		}
	}
	return 0;
}

/* The descriptor on standard input, which must name -digest. */
static int
read_descriptor(struct iv_cmd *c)
{
	cJSON *root = NULL;
	struct ov_err err;
	int rc = -1;

	if (ov_buf_read_fd(&c->in, STDIN_FILENO, "standard input", &err) !=
	    OV_OK) {
		(void)refuse(CLI_EXIT_USAGE, "%s", err.msg);
		return -1;
	}
	if (ov_json_parse(c->in.data, c->in.len, "standard input", &root,
		&err) != OV_OK ||
	    ov_descriptor_parse(root, "standard input", &c->desc, &err) !=
		OV_OK) {
		(void)refuse(CLI_EXIT_USAGE, "%s", err.msg);
		goto out;
	}
	if (strcmp(c->desc.digest.str, c->digest) != 0) {
		(void)refuse(CLI_EXIT_USAGE,
		    "-digest %s is not the digest of the descriptor on standard input (%s)",
		    c->digest, c->desc.digest.str);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}

/* Every bundle of a --signatures-dir: its entries, sorted, but hidden
 * ones; a symbolic link or anything but a file or directory is refused. */
static int
add_bundle_dir(struct iv_cmd *c, const char *dir)
{
	char **names = NULL, *path = NULL;
	size_t n = 0, i;
	struct ov_err err;
	struct stat st;
	int dfd, rc = -1;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		(void)refuse(CLI_EXIT_USAGE, "--signatures-dir %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (ov_dir_names(dfd, dir, MAX_BUNDLES, &names, &n, &err) != OV_OK) {
		(void)refuse(CLI_EXIT_USAGE, "--signatures-dir %s", err.msg);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (names[i][0] == '.')
			continue;
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))) {
			(void)refuse(CLI_EXIT_USAGE,
			    "--signatures-dir %s: %s is not a file or a directory",
			    dir, names[i]);
			goto out;
		}
		free(path);
		if ((path = ov_strf("%s/%s", dir, names[i])) == NULL) {
			(void)refuse(CLI_EXIT_USAGE, "out of memory");
			goto out;
		}
		if (ov_verifier_add_bundle(c->verifier, path, &err) != OV_OK) {
			(void)refuse(CLI_EXIT_USAGE, "%s", err.msg);
			goto out;
		}
	}
	rc = 0;
out:
	free(path);
	ov_strv_free(names, n);
	close(dfd);
	return rc;
}

int
cli_image_verifier(int argc, char **argv)
{
	struct iv_cmd c;
	struct ov_verify_config cfg;
	struct ov_err err;
	int64_t now;
	size_t i;
	int status = CLI_EXIT_USAGE, rc;

	memset(&c, 0, sizeof(c));
	ov_buf_init(&c.in, MAX_STDIN);
	ov_buf_init(&c.out, (size_t)1 << 20);
	ov_buf_init(&c.warn, (size_t)1 << 20);
	if ((rc = parse_options(&c, argc, argv)) != 0) {
		status = rc > 0 ? CLI_EXIT_OK
				: refuse(CLI_EXIT_USAGE, "bad arguments");
		goto out;
	}
	if (optind < argc) {
		status = refuse(CLI_EXIT_USAGE, "unexpected argument \"%s\"",
		    argv[optind]);
		goto out;
	}
	if (c.name == NULL || c.digest == NULL) {
		status = refuse(CLI_EXIT_USAGE, "-name and -digest are required");
		goto out;
	}
	/* verify_on_run's wrapped input is not understood: refuse it */
	if (c.stdin_mt == NULL || strcmp(c.stdin_mt, MT_DESCRIPTOR) != 0) {
		status = refuse(CLI_EXIT_USAGE,
		    "-stdin-media-type \"%s\" is not %s (is verify_on_run set?)",
		    c.stdin_mt != NULL ? c.stdin_mt : "", MT_DESCRIPTOR);
		goto out;
	}
	if (c.operation != NULL && strcmp(c.operation, "pull") != 0) {
		status = refuse(CLI_EXIT_USAGE,
		    "-operation \"%s\" is not supported (only pull)",
		    c.operation);
		goto out;
	}
	if (read_descriptor(&c) != 0)
		goto out;
	if (cli_parse_time(c.at, &now) != 0 ||
	    cli_resolve_config(c.config, c.policy, c.truststore, &c.conf) !=
		0) {
		status = refuse(CLI_EXIT_USAGE,
		    "no usable trust policy and trust store");
		goto out;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy_path = c.conf.policy;
	cfg.truststore_dir = c.conf.truststore;
	cfg.now = now;
	if (ov_revocation_new(&c.revocation, &err) != OV_OK) {
		status = refuse(CLI_EXIT_USAGE, "%s", err.msg);
		goto out;
	}
	for (i = 0; i < c.ncrls; i++)
		if (ov_revocation_add_crl_path(c.revocation, c.crls[i],
			&err) != OV_OK) {
			status = refuse(CLI_EXIT_USAGE, "--crl %s", err.msg);
			goto out;
		}
	cfg.revocation = c.revocation;
	if (ov_verifier_new(&cfg, &c.verifier, &err) != OV_OK) {
		status = refuse(CLI_EXIT_USAGE, "%s", err.msg);
		goto out;
	}
	for (i = 0; i < c.nbundles; i++)
		if (ov_verifier_add_bundle(c.verifier, c.bundles[i], &err) !=
		    OV_OK) {
			status = refuse(CLI_EXIT_USAGE, "%s", err.msg);
			goto out;
		}
	for (i = 0; i < c.ndirs; i++)
		if (add_bundle_dir(&c, c.dirs[i]) != 0)
			goto out;
	if ((c.report = ov_report_new(now)) == NULL ||
	    ov_verify_pull(c.verifier, c.name, &c.desc, c.report, &err) !=
		OV_OK ||
	    ov_report_text(c.report, 0, &c.out, &c.warn, &err) != OV_OK) {
		status = refuse(CLI_EXIT_USAGE, "%s",
		    c.report == NULL ? "out of memory" : err.msg);
		goto out;
	}
	(void)cli_write_all(stderr, &c.warn);
	(void)cli_write_all(stdout, &c.out);
	status = ov_report_exit_status(c.report);
out:
	cmd_free(&c);
	return status;
}
