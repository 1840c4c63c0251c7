/* SPDX-License-Identifier: Apache-2.0 */
/* ocivet verify: options, configuration discovery, output, exit status. */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "confdir.h"
#include "report.h"
#include "revocation.h"
#include "result.h"
#include "timeutil.h"
#include "verify.h"

/* Everything `verify` keeps, freed in one place before exit. */
struct verify_cmd {
	const char *config;      /* --config */
	const char *policy;      /* --policy */
	const char *truststore;  /* --trust-store */
	const char *scope;       /* --scope */
	int trust_source_scope;  /* --trust-source-scope */
	const char *at;          /* --at */
	int json;                /* --format json */
	int verbose;             /* -v */
	size_t max_signatures;   /* --max-signatures */
	const char **crls;       /* --crl, repeatable */
	size_t ncrls;
	const char **ocsps;      /* --ocsp-response, repeatable */
	size_t nocsps;
	const char **caches;     /* --crl-cache, repeatable */
	size_t ncaches;
	const char **bundles;    /* --signatures, repeatable */
	size_t nbundles;
	struct ov_annotation *metadata; /* --user-metadata, repeatable */
	size_t nmetadata;
	int deep;                /* --deep */
	int quiet;               /* --quiet */
	uint64_t max_size;       /* --max-archive-size */
	unsigned max_ratio;      /* --max-ratio */
	unsigned jobs;           /* --jobs, -j */
	struct ov_revocation *revocation;
	struct progress {
		const char *name; /* input being read */
		int shown;        /* a progress line is on the terminal */
		struct timespec start;
	} progress;
	struct ov_confdir conf;
	struct ov_verifier *verifier;
	struct ov_report *report;
	struct ov_buf out;
	struct ov_buf warn;
	const struct cli_verify_ext *ext; /* export, or NULL */
	struct option *merged;            /* options with ext's */
	char *shortopts;
};

enum {
	OPT_CONFIG = 256,
	OPT_POLICY,
	OPT_TRUST_STORE,
	OPT_SCOPE,
	OPT_AT,
	OPT_FORMAT,
	OPT_MAX_SIGNATURES,
	OPT_CRL,
	OPT_CRL_CACHE,
	OPT_OCSP_RESPONSE,
	OPT_SIGNATURES,
	OPT_DEEP,
	OPT_MAX_ARCHIVE_SIZE,
	OPT_MAX_RATIO,
	OPT_TRUST_SOURCE_SCOPE,
};

#define JOBS_MAX 64 /* OV_MAX_JOBS */
/* -m/--user-metadata KEY=VALUE: split at the first '=' (values may hold
 * more); the key may not be empty. 0 or -1 after a message. */
static int
add_metadata(struct verify_cmd *c, char *arg)
{
	struct ov_annotation *na;
	char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg) {
		cli_errorf("--user-metadata: expected KEY=VALUE, got \"%s\"",
		    arg);
		return -1;
	}
	if ((na = realloc(c->metadata, (c->nmetadata + 1) * sizeof(*na))) ==
	    NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	c->metadata = na;
	na[c->nmetadata].key = strndup(arg, (size_t)(eq - arg));
	na[c->nmetadata].value = strdup(eq + 1);
	c->nmetadata++;
	if (na[c->nmetadata - 1].key == NULL ||
	    na[c->nmetadata - 1].value == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	return 0;
}

static const struct option options[] = {
	{"config", required_argument, NULL, OPT_CONFIG},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"trust-store", required_argument, NULL, OPT_TRUST_STORE},
	{"scope", required_argument, NULL, OPT_SCOPE},
	{"trust-source-scope", no_argument, NULL, OPT_TRUST_SOURCE_SCOPE},
	{"at", required_argument, NULL, OPT_AT},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"max-signatures", required_argument, NULL, OPT_MAX_SIGNATURES},
	{"crl", required_argument, NULL, OPT_CRL},
	{"crl-cache", required_argument, NULL, OPT_CRL_CACHE},
	{"ocsp-response", required_argument, NULL, OPT_OCSP_RESPONSE},
	{"signatures", required_argument, NULL, OPT_SIGNATURES},
	{"deep", no_argument, NULL, OPT_DEEP},
	{"max-archive-size", required_argument, NULL, OPT_MAX_ARCHIVE_SIZE},
	{"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
	{"jobs", required_argument, NULL, 'j'},
	{"user-metadata", required_argument, NULL, 'm'},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

void
cli_verify_usage(FILE *f)
{
	fputs("usage: ocivet verify [OPTIONS] SOURCE...\n"
	      "\n"
	      "SOURCE is an OCI image layout (a directory, or a .tar, .tar.gz or\n"
	      ".tar.zst archive of one) or a docker save archive, naming every\n"
	      "image in it, or with :TAG or @DIGEST one image.\n"
	      "\n",
	    f);
	cli_verify_options_usage(f, 1);
	fputs("\n"
	      "Exit status: 0 all verified, 1 verification failed, 2 usage or\n"
	      "configuration error. See ocivet-verify(1).\n",
	    f);
}

void
cli_verify_options_usage(FILE *f, int format)
{
	fputs("  --config DIR          notation configuration directory (default:\n"
	      "                        $NOTATION_CONFIG, $XDG_CONFIG_HOME/notation,\n"
	      "                        ~/.config/notation)\n"
	      "  --policy FILE         trust policy file (overrides the config's)\n"
	      "  --trust-store DIR     trust store holding x509/{ca,signingAuthority,tsa}/\n"
	      "  --scope SCOPE         repository scope for the trust policy\n"
	      "  --trust-source-scope  let a scope the image names (annotations,\n"
	      "                        RepoTags) select a statement weaker than \"*\"\n"
	      "  --at TIME             verify as of an RFC 3339 time instead of now\n",
	    f);
	if (format)
		fputs("  --format text|json    output format (default: text)\n", f);
	fputs(	      "  --max-signatures N    signatures evaluated per image (default: 100)\n"
	      "  --crl PATH            CRL file or directory of CRLs (PEM or DER);\n"
	      "                        repeatable\n"
	      "  --crl-cache DIR       a notation CRL cache directory ($NOTATION_CACHE/crl);\n"
	      "                        repeatable\n"
	      "  --ocsp-response FILE  a DER OCSP response, or a directory of them;\n"
	      "                        repeatable\n"
	      "  --signatures PATH     a detached signature bundle (OCI layout\n"
	      "                        directory or archive); repeatable\n"
	      "  --deep                also decompress every layer and check it\n"
	      "                        against the config's diff_ids\n"
	      "  --max-archive-size N  bytes an archive may expand to (default 64G)\n"
	      "  --max-ratio N         expansion ratio allowed (default 200)\n"
	      "  -j, --jobs N          blobs hashed at once (default: the number of\n"
	      "                        processors); the report is the same for any N\n"
	      "  -m, --user-metadata KEY=VALUE\n"
	      "                        the signature's user metadata must hold this\n"
	      "                        pair (notation sign -m); repeatable\n"
	      "  -q, --quiet           no progress line on a terminal\n"
	      "  -v, --verbose         show every check of every signature\n"
	      "  -h, --help            show this help\n",
	    f);
}

static void
cmd_free(struct verify_cmd *c)
{
	size_t i;

	free(c->crls);
	free(c->ocsps);
	free(c->caches);
	free(c->bundles);
	for (i = 0; i < c->nmetadata; i++) {
		free(c->metadata[i].key);
		free(c->metadata[i].value);
	}
	free(c->metadata);
	ov_revocation_free(c->revocation);
	ov_report_free(c->report);
	ov_verifier_free(c->verifier);
	ov_confdir_clear(&c->conf);
	ov_buf_free(&c->out);
	ov_buf_free(&c->warn);
	free(c->merged);
	free(c->shortopts);
}

/*
 * verify's options and ext's: an option of ext replaces verify's of the
 * same name (export's --format). 0 or -1 after a message.
 */
static int
merge_options(struct verify_cmd *c)
{
	const struct option *o, *x;
	size_t n = 0, k = 0;
	int dup;

	for (o = options; o->name != NULL; o++)
		n++;
	for (x = c->ext->options; x->name != NULL; x++)
		n++;
	if ((c->merged = calloc(n + 1, sizeof(*c->merged))) == NULL ||
	    (c->shortopts = malloc(strlen(":vhqj:m:") +
		 strlen(c->ext->shortopts) + 1)) == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	for (x = c->ext->options; x->name != NULL; x++)
		c->merged[k++] = *x;
	for (o = options; o->name != NULL; o++) {
		dup = 0;
		for (x = c->ext->options; x->name != NULL; x++)
			dup |= strcmp(o->name, x->name) == 0;
		if (!dup)
			c->merged[k++] = *o;
	}
	(void)snprintf(c->shortopts, strlen(":vhqj:m:") +
	    strlen(c->ext->shortopts) + 1, ":vhqj:m:%s", c->ext->shortopts);
	return 0;
}

/* "64G", "500M", "1024" (bytes) -> *out; 0 or -1. */
static int
parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long n;
	unsigned shift = 0;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	switch (*end) {
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	case '\0':
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (n == 0 || n > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)n << shift;
	return 0;
}

/* The progress line on stderr: bytes read of the archive, and the rate. */
static void
show_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	struct timespec now;
	double secs, mib = (double)done / (1024.0 * 1024.0);

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - p->start.tv_sec) +
	    (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
	if (secs < 0.5 && done < total)
		return; /* short reads need no progress line */
	fprintf(stderr, "\r%s: %.0f of %.0f MiB (%.0f MiB/s)  ", p->name, mib,
	    (double)total / (1024.0 * 1024.0), secs > 0 ? mib / secs : 0.0);
	p->shown = 1;
}

static void
end_progress(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

/*
 * Revocation material: --crl, --crl-cache, --ocsp-response, and the crl/
 * directory of the configuration directory (a trust bundle) if present.
 */
static int
load_revocation(struct verify_cmd *c)
{
	struct ov_err err;
	struct stat st;
	char *dir = NULL;
	const char *opt = NULL;
	size_t i;

	if (ov_revocation_new(&c->revocation, &err) != OV_OK)
		goto fail;
	if (c->conf.dir != NULL) {
		opt = "the configuration directory's crl/:";
		if (ov_set_str(&dir, &err, "%s/crl", c->conf.dir) != OV_OK)
			goto fail;
		if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		    ov_revocation_add_crl_path(c->revocation, dir, &err) !=
			OV_OK)
			goto fail;
		free(dir);
		dir = NULL;
	}
	/* messages name the option the file came from */
	opt = "--crl";
	for (i = 0; i < c->ncrls; i++)
		if (ov_revocation_add_crl_path(c->revocation, c->crls[i],
			&err) != OV_OK)
			goto fail;
	opt = "--ocsp-response";
	for (i = 0; i < c->nocsps; i++)
		if (ov_revocation_add_ocsp_path(c->revocation, c->ocsps[i],
			&err) != OV_OK)
			goto fail;
	opt = "--crl-cache:";
	for (i = 0; i < c->ncaches; i++)
		if (ov_revocation_add_cache_dir(c->revocation, c->caches[i],
			&err) != OV_OK)
			goto fail;
	return 0;
fail:
	free(dir);
	if (opt != NULL && err.code != OV_E_NOMEM)
		cli_errorf("%s %s", opt, err.msg);
	else
		cli_errorf("%s", err.msg);
	return -1;
}

/*
 * export: the report on standard error, or as JSON in --report FILE;
 * then ext decides from verify's exit status.
 */
static int
report_ext(struct verify_cmd *c, const struct cli_verify_ext *ext)
{
	FILE *f = stderr;
	size_t i;
	int rc;

	for (i = 0; i < c->report->n; i++)
		if (c->report->results[i].operational)
			cli_errorf("%s", c->report->results[i].error);
	if (ext->report_path != NULL &&
	    (f = fopen(ext->report_path, "w")) == NULL) {
		cli_errorf("--report: %s: %s", ext->report_path,
		    strerror(errno));
		return CLI_EXIT_USAGE;
	}
	rc = cli_write_all(stderr, &c->warn) != 0 ||
	    cli_write_all(f, &c->out) != 0;
	if (f != stderr && fclose(f) != 0)
		rc = 1;
	if (rc != 0) {
		cli_errorf("writing the report: %s", strerror(errno));
		return CLI_EXIT_USAGE;
	}
	return ext->finish(ext->ctx, c->report,
	    ov_report_exit_status(c->report));
}

static int
parse_options(struct verify_cmd *c, int argc, char **argv)
{
	unsigned long long n;
	int ch;

	optind = 1;
	opterr = 0; /* our own messages */
	if (c->ext != NULL && merge_options(c) != 0)
		return -1;
	while ((ch = getopt_long(argc, argv,
		    c->ext != NULL ? c->shortopts : ":vhqj:m:",
		    c->ext != NULL ? c->merged : options, NULL)) != -1) {
		if (c->ext != NULL && ch != ':' && ch != '?' &&
		    (ch >= CLI_EXT_OPT ||
			(ch < 256 && strchr(c->ext->shortopts, ch) != NULL))) {
			if (c->ext->option(c->ext->ctx, ch, optarg) != 0)
				return -1;
			continue;
		}
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
		case OPT_SCOPE:
			c->scope = optarg;
			break;
		case OPT_TRUST_SOURCE_SCOPE:
			c->trust_source_scope = 1;
			break;
		case OPT_AT:
			c->at = optarg;
			break;
		case OPT_FORMAT:
			if (cli_parse_format(optarg, &c->json) != 0)
				return -1;
			break;
		case OPT_MAX_SIGNATURES:
			if (cli_parse_number("--max-signatures", optarg, 1,
				100000, &n) != 0)
				return -1;
			c->max_signatures = (size_t)n;
			break;
		case OPT_CRL:
			if (cli_push_arg(&c->crls, &c->ncrls, optarg) != 0)
				return -1;
			break;
		case OPT_OCSP_RESPONSE:
			if (cli_push_arg(&c->ocsps, &c->nocsps, optarg) != 0)
				return -1;
			break;
		case OPT_CRL_CACHE:
			if (cli_push_arg(&c->caches, &c->ncaches, optarg) != 0)
				return -1;
			break;
		case OPT_SIGNATURES:
			if (cli_push_arg(&c->bundles, &c->nbundles, optarg) != 0)
				return -1;
			break;
		case OPT_DEEP:
			c->deep = 1;
			break;
		case 'q':
			c->quiet = 1;
			break;
		case 'm':
			if (add_metadata(c, optarg) != 0)
				return -1;
			break;
		case OPT_MAX_ARCHIVE_SIZE:
			if (parse_size(optarg, &c->max_size) != 0) {
				cli_errorf("--max-archive-size: expected a size such as 100G, got \"%s\"",
				    optarg);
				return -1;
			}
			break;
		case OPT_MAX_RATIO:
			if (cli_parse_number("--max-ratio", optarg, 2, 1000000,
				&n) != 0)
				return -1;
			c->max_ratio = (unsigned)n;
			break;
		case 'j':
			if (cli_parse_number("--jobs", optarg, 1, JOBS_MAX,
				&n) != 0)
				return -1;
			c->jobs = (unsigned)n;
			break;
		case 'v':
			c->verbose = 1;
			break;
		case 'h':
			if (c->ext != NULL)
				c->ext->usage(stdout);
			else
				cli_verify_usage(stdout);
			return 1;
		default:
			return cli_option_error(c->ext != NULL ? c->ext->cmd
							       : "verify",
			    ch, argv);
		}
	}
	return 0;
}

int
cli_verify(int argc, char **argv)
{
	return cli_verify_run(argc, argv, NULL);
}

int
cli_verify_run(int argc, char **argv, const struct cli_verify_ext *ext)
{
	const char *cmd = ext != NULL ? ext->cmd : "verify";
	struct verify_cmd c;
	struct ov_verify_config cfg;
	struct ov_err err;
	int64_t now;
	int i, status = CLI_EXIT_USAGE, rc;

	memset(&c, 0, sizeof(c));
	c.ext = ext;
	ov_buf_init(&c.out, (size_t)1 << 30);
	ov_buf_init(&c.warn, (size_t)1 << 30);
	if ((rc = parse_options(&c, argc, argv)) != 0) {
		status = rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		goto out;
	}
	if (optind >= argc) {
		cli_errorf("%s: no SOURCE given", cmd);
		cli_usage_hint(cmd);
		goto out;
	}
	if (cli_parse_time(c.at, &now) != 0 ||
	    cli_resolve_config(c.config, c.policy, c.truststore, &c.conf) != 0)
		goto out;
	memset(&cfg, 0, sizeof(cfg));
	cfg.policy_path = c.conf.policy;
	cfg.truststore_dir = c.conf.truststore;
	cfg.now = now;
	cfg.max_signatures = c.max_signatures;
	if (load_revocation(&c) != 0)
		goto out;
	cfg.revocation = c.revocation;
	cfg.deep = c.deep;
	cfg.trust_source_scope = c.trust_source_scope;
	cfg.user_metadata = c.metadata;
	cfg.nuser_metadata = c.nmetadata;
	cfg.archive.deep = c.deep;
	cfg.archive.max_bytes = c.max_size;
	cfg.archive.max_ratio = c.max_ratio;
	cfg.jobs = c.jobs;
	if (cfg.jobs == 0) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		cfg.jobs = ncpu < 1 ? 1 : ncpu > JOBS_MAX ? JOBS_MAX : (unsigned)ncpu;
	}
	if (!c.quiet && isatty(STDERR_FILENO)) {
		cfg.archive.progress = show_progress;
		cfg.archive.progress_ctx = &c.progress;
	}
	if (ext != NULL && ext->prepare(ext->ctx, &cfg) != 0)
		goto out;
	if (ov_verifier_new(&cfg, &c.verifier, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	/* members notation ignores: a typo must not pass silently */
	for (i = 0; i < (int)ov_verifier_policy(c.verifier)->nwarnings; i++)
		cli_warnf("%s", ov_verifier_policy(c.verifier)->warnings[i]);
	for (i = 0; i < (int)c.nbundles; i++) {
		c.progress.name = c.bundles[i];
		clock_gettime(CLOCK_MONOTONIC, &c.progress.start);
		rc = ov_verifier_add_bundle(c.verifier, c.bundles[i], &err);
		end_progress(&c.progress);
		if (rc != OV_OK) {
			cli_errorf("%s", err.msg);
			goto out;
		}
	}
	if ((c.report = ov_report_new(now)) == NULL) {
		cli_errorf("out of memory");
		goto out;
	}
	for (i = optind; i < argc; i++) {
		cli_trim_slashes(argv[i]); /* "SOURCE/" is reported as SOURCE */
		c.progress.name = argv[i];
		clock_gettime(CLOCK_MONOTONIC, &c.progress.start);
		rc = ov_verify_source(c.verifier, argv[i], c.scope, c.report,
		    &err);
		end_progress(&c.progress);
		if (rc != OV_OK) {
			cli_errorf("%s", err.msg);
			goto out;
		}
	}
	if (c.json || (ext != NULL && ext->report_path != NULL))
		rc = ov_report_json(c.report, PACKAGE_VERSION, &c.out, &err);
	else
		rc = ov_report_text(c.report, c.verbose, &c.out, &c.warn, &err);
	if (rc != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	if (ext != NULL) {
		status = report_ext(&c, ext);
		goto out;
	}
	/* Operational errors also go to stderr, where scripts look first. */
	for (i = 0; i < (int)c.report->n; i++)
		if (c.report->results[i].operational)
			cli_errorf("%s", c.report->results[i].error);
	if (cli_write_all(stderr, &c.warn) != 0 || cli_write_all(stdout, &c.out) != 0) {
		cli_errorf("writing the report: %s", strerror(errno));
		goto out;
	}
	status = ov_report_exit_status(c.report);
out:
	cmd_free(&c);
	return status;
}
