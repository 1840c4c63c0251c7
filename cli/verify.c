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
#include "digest.h"
#include "report.h"
#include "revocation.h"
#include "result.h"
#include "tbundle.h"
#include "text.h"
#include "timeutil.h"
#include "verify.h"
#include "walk.h"

enum format { FMT_TEXT, FMT_JSON, FMT_JSONL, FMT_JUNIT };

/* Everything `verify` keeps, freed in one place before exit. */
struct verify_cmd {
	const char *config;      /* --config */
	const char *trust;       /* --trust */
	struct ov_tbundle *tb;   /* its checked bundle */
	const char *policy;      /* --policy */
	const char *truststore;  /* --trust-store */
	const char *scope;       /* --scope */
	int trust_source_scope;  /* --trust-source-scope */
	const char *at;          /* --at */
	enum format format;      /* --format */
	const char *output;      /* -o, --output: NULL or "-" for stdout */
	const char **dirs;       /* --recursive, repeatable */
	size_t ndirs;
	unsigned shard_index;    /* --shard I/N */
	unsigned shard_count;
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
	int manifest_only;       /* --manifest-only */
	const char *platform;    /* --platform */
	int quiet;               /* --quiet */
	uint64_t max_size;       /* --max-archive-size */
	unsigned max_ratio;      /* --max-ratio */
	unsigned jobs;           /* --jobs, -j */
	struct ov_revocation *revocation;
	struct progress {
		const char *name; /* input being read */
		int shown;        /* a progress line is on the terminal */
		struct timespec start;
		/* bulk runs: inputs done of total, images, failures */
		int bulk;
		size_t done, total, images, failed;
		uint64_t bytes;   /* blob bytes hashed */
	} progress;
	/* every input: the SOURCE arguments, then what --recursive found */
	char **inputs;
	size_t ninputs;
	struct timespec start;   /* for the summary line */
	struct cli_output o;     /* the report: stdout, or -o FILE */
	int write_error;         /* writing a JSONL line failed (errno) */
	struct ov_confdir conf;
	struct ov_verifier *verifier;
	struct ov_report *report;
	struct ov_buf out;
	struct ov_buf warn;
	const struct cli_verify_ext *ext; /* export, or NULL */
	struct option *merged;            /* options with ext's */
	char *shortopts;
};

#define SHORTOPTS ":vhqj:m:r:o:"

enum {
	OPT_CONFIG = 256,
	OPT_TRUST,
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
	OPT_MANIFEST_ONLY,
	OPT_PLATFORM,
	OPT_MAX_ARCHIVE_SIZE,
	OPT_MAX_RATIO,
	OPT_TRUST_SOURCE_SCOPE,
	OPT_SHARD,
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

/* The platform containerd pulls for on this machine (its GOARCH). */
#if defined(__x86_64__)
#define HOST_ARCH "amd64"
#elif defined(__aarch64__)
#define HOST_ARCH "arm64"
#elif defined(__arm__)
#define HOST_ARCH "arm"
#elif defined(__i386__)
#define HOST_ARCH "386"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define HOST_ARCH "ppc64le"
#elif defined(__s390x__)
#define HOST_ARCH "s390x"
#elif defined(__riscv) && __riscv_xlen == 64
#define HOST_ARCH "riscv64"
#else
#define HOST_ARCH "unknown"
#endif
#define HOST_PLATFORM "linux/" HOST_ARCH

/* "os/arch" or "os/arch/variant", lowercase letters, digits, '_', '-'. */
static int
platform_valid(const char *p)
{
	int parts = 1, len = 0;

	for (; *p != '\0'; p++) {
		if (*p == '/') {
			if (len == 0 || ++parts > 3)
				return 0;
			len = 0;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '-') {
			len++;
		} else {
			return 0;
		}
	}
	return parts >= 2 && len > 0;
}

static const struct option options[] = {
	{"config", required_argument, NULL, OPT_CONFIG},
	{"trust", required_argument, NULL, OPT_TRUST},
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
	{"manifest-only", no_argument, NULL, OPT_MANIFEST_ONLY},
	{"platform", required_argument, NULL, OPT_PLATFORM},
	{"max-archive-size", required_argument, NULL, OPT_MAX_ARCHIVE_SIZE},
	{"max-ratio", required_argument, NULL, OPT_MAX_RATIO},
	{"jobs", required_argument, NULL, 'j'},
	{"recursive", required_argument, NULL, 'r'},
	{"output", required_argument, NULL, 'o'},
	{"shard", required_argument, NULL, OPT_SHARD},
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
	      "       ocivet verify [OPTIONS] --recursive DIR [SOURCE...]\n"
	      "\n"
	      "SOURCE is an OCI image layout (a directory, or a .tar, .tar.gz or\n"
	      ".tar.zst archive of one) or a docker save archive, naming every\n"
	      "image in it, or with :TAG or @DIGEST one image; - reads an archive\n"
	      "from standard input; containerd:[ROOT][#NAMESPACE][:NAME|@DIGEST] is\n"
	      "containerd's image store.\n"
	      "\n",
	    f);
	cli_verify_options_usage(f, 1);
	fputs("\n"
	      "Exit status: 0 all verified, 1 verification failed, 2 usage or\n"
	      "configuration error. See ocivet-verify(1).\n",
	    f);
}

/*
 * The options verify shares with commands built on it; format: with
 * verify's report options (--format, -o), which export replaces.
 */
void
cli_verify_options_usage(FILE *f, int format)
{
	fputs("  --config DIR          notation configuration directory (default:\n"
	      "                        $NOTATION_CONFIG, $XDG_CONFIG_HOME/notation,\n"
	      "                        ~/.config/notation)\n"
	      "  --trust NAME|PATH     a trust bundle (ocivet-trust(1)) instead of --config\n"
	      "  --policy FILE         trust policy file (overrides the config's)\n"
	      "  --trust-store DIR     trust store holding x509/{ca,signingAuthority,tsa}/\n"
	      "  --scope SCOPE         repository scope for the trust policy\n"
	      "  --trust-source-scope  let a scope the image names (annotations,\n"
	      "                        RepoTags) select a statement weaker than \"*\"\n"
	      "  --at TIME             verify as of an RFC 3339 time instead of now\n",
	    f);
	if (format)
		fputs("  --format FORMAT       text, json, jsonl (a line per image as each\n"
		      "                        finishes, then a summary) or junit\n"
		      "                        (default: text)\n"
		      "  -o, --output FILE     write the report to FILE, atomically (a\n"
		      "                        temporary file renamed when complete)\n",
		    f);
	fputs("  -r, --recursive DIR   verify every layout and archive below DIR\n"
	      "                        (symbolic links not followed); repeatable\n"
	      "  --shard I/N           verify only the images in shard I of N (by\n"
	      "                        manifest digest); merge with ocivet report merge\n"
	      "  --max-signatures N    signatures evaluated per image (default: 100)\n"
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
	      "  --manifest-only       in a containerd store, verify images whose\n"
	      "                        layer blobs were discarded on their manifest\n"
	      "                        and config alone (marked in the report)\n"
	      "  --platform OS/ARCH[/VARIANT]\n"
	      "                        in a containerd store, the node's platform\n"
	      "                        (default: this machine's)\n"
	      "  --max-archive-size N  bytes an archive may expand to (default 64G)\n"
	      "  --max-ratio N         expansion ratio allowed (default 200)\n"
	      "  -j, --jobs N          images (or one image's blobs) verified at once\n"
	      "                        (default: the number of processors); the\n"
	      "                        report is the same for any N\n"
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
	free(c->dirs);
	ov_strv_free(c->inputs, c->ninputs);
	cli_output_abort(&c->o); /* when not committed: no half report */
	for (i = 0; i < c->nmetadata; i++) {
		free(c->metadata[i].key);
		free(c->metadata[i].value);
	}
	free(c->metadata);
	ov_revocation_free(c->revocation);
	ov_report_free(c->report);
	ov_verifier_free(c->verifier);
	ov_confdir_clear(&c->conf);
	ov_tbundle_free(c->tb);
	ov_buf_free(&c->out);
	free(c->merged);
	free(c->shortopts);
	ov_buf_free(&c->warn);
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

static int
parse_format(const char *arg, enum format *f)
{
	if (strcmp(arg, "text") == 0)
		*f = FMT_TEXT;
	else if (strcmp(arg, "json") == 0)
		*f = FMT_JSON;
	else if (strcmp(arg, "jsonl") == 0)
		*f = FMT_JSONL;
	else if (strcmp(arg, "junit") == 0)
		*f = FMT_JUNIT;
	else {
		cli_errorf("--format: unknown format \"%s\" (use text, json, jsonl or junit)",
		    arg);
		return -1;
	}
	return 0;
}

/* --shard I/N: 0 <= I < N <= 10000 (JOB_COMPLETION_INDEX counts from 0). */
static int
parse_shard(const char *arg, unsigned *index, unsigned *count)
{
	unsigned long long i, n;
	const char *slash = strchr(arg, '/');
	char num[32];

	if (slash == NULL || (size_t)(slash - arg) >= sizeof(num)) {
		cli_errorf("--shard: expected I/N such as 0/4, got \"%s\"", arg);
		return -1;
	}
	memcpy(num, arg, (size_t)(slash - arg));
	num[slash - arg] = '\0';
	if (cli_parse_number("--shard N", slash + 1, 1, 10000, &n) != 0 ||
	    cli_parse_number("--shard I", num, 0, n - 1, &i) != 0)
		return -1;
	*index = (unsigned)i;
	*count = (unsigned)n;
	return 0;
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
	    (c->shortopts = malloc(strlen(SHORTOPTS) +
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
	(void)snprintf(c->shortopts, strlen(SHORTOPTS) +
	    strlen(c->ext->shortopts) + 1, SHORTOPTS "%s", c->ext->shortopts);
	return 0;
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
		    c->ext != NULL ? c->shortopts : SHORTOPTS,
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
		case OPT_TRUST:
			c->trust = optarg;
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
			if (parse_format(optarg, &c->format) != 0)
				return -1;
			break;
		case 'o':
			c->output = optarg;
			break;
		case 'r':
			if (cli_push_arg(&c->dirs, &c->ndirs, optarg) != 0)
				return -1;
			break;
		case OPT_SHARD:
			if (parse_shard(optarg, &c->shard_index,
				&c->shard_count) != 0)
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
		case OPT_MANIFEST_ONLY:
			c->manifest_only = 1;
			break;
		case OPT_PLATFORM:
			if (!platform_valid(optarg)) {
				cli_errorf("--platform: expected OS/ARCH[/VARIANT], got \"%s\"",
				    optarg);
				return -1;
			}
			c->platform = optarg;
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

/* Standard input ("-", "-:TAG", "-@DIGEST") can be read once: as one
 * SOURCE or one --signatures bundle. 0, or -1 after a message. */
static int
stdin_twice(const struct verify_cmd *c, int argc, char **argv)
{
	size_t i, n = 0;
	int k;

	for (i = 0; i < c->nbundles; i++)
		n += strcmp(c->bundles[i], "-") == 0;
	for (k = optind; k < argc; k++)
		n += argv[k][0] == '-' &&
		    (argv[k][1] == '\0' || argv[k][1] == ':' ||
			argv[k][1] == '@');
	if (n < 2)
		return 0;
	cli_errorf("verify: standard input (\"-\") can be read only once");
	return -1;
}

/* The inputs: the SOURCE arguments, then what each --recursive DIR
 * holds. 0, or -1 after a message. */
static int
collect_inputs(struct verify_cmd *c, int argc, char **argv)
{
	struct ov_err err;
	size_t i, links;
	int k;

	for (k = optind; k < argc; k++) {
		cli_trim_slashes(argv[k]); /* "SOURCE/" is reported as SOURCE */
		if (ov_strlist_add(&c->inputs, &c->ninputs, argv[k], &err) !=
		    OV_OK) {
			cli_errorf("%s", err.msg);
			return -1;
		}
	}
	for (i = 0; i < c->ndirs; i++) {
		size_t before = c->ninputs;
		char *dir = strdup(c->dirs[i]);

		if (dir == NULL) {
			cli_errorf("out of memory");
			return -1;
		}
		cli_trim_slashes(dir);
		links = 0;
		if (ov_walk_inputs(dir, &c->inputs, &c->ninputs, &links,
			&err) != OV_OK) {
			cli_errorf("--recursive %s", err.msg);
			free(dir);
			return -1;
		}
		if (links > 0)
			cli_warnf("--recursive %s: %zu symbolic link%s not followed",
			    dir, links, links == 1 ? "" : "s");
		if (c->ninputs == before) {
			/* nothing verified is not "all verified" */
			cli_errorf("--recursive %s: found no OCI image layout or archive",
			    dir);
			free(dir);
			return -1;
		}
		free(dir);
	}
	return 0;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* What a JSONL run keeps of each result for the summary line: names and
 * verdicts, not the signatures. */
static int
keep_brief(struct ov_report *rep, const struct ov_image_result *from)
{
	struct ov_image_result *img;

	if ((img = ov_report_add(rep)) == NULL)
		return -1;
	img->verified = from->verified;
	img->skipped = from->skipped;
	img->operational = from->operational;
	img->code = from->code;
	img->input = from->input;
	img->ordinal = from->ordinal;
	if ((from->source != NULL &&
		(img->source = strdup(from->source)) == NULL) ||
	    (from->reference != NULL &&
		(img->reference = strdup(from->reference)) == NULL) ||
	    (from->name != NULL && (img->name = strdup(from->name)) == NULL) ||
	    (from->error != NULL && (img->error = strdup(from->error)) == NULL))
		return -1;
	return 0;
}

/* Each input as it finishes (one call at a time, any thread). */
static void
input_done(void *ctx, size_t input, const struct ov_report *part)
{
	struct verify_cmd *c = ctx;
	struct progress *p = &c->progress;
	struct ov_err err;
	struct ov_buf line;
	size_t i;
	double secs;

	(void)input;
	if (c->format == FMT_JSONL) {
		ov_buf_init(&line, (size_t)1 << 30);
		for (i = 0; i < part->n && c->write_error == 0; i++) {
			line.len = 0;
			if (ov_report_jsonl_result(&part->results[i],
				part->verified_at, &line, &err) != OV_OK ||
			    keep_brief(c->report, &part->results[i]) != 0) {
				c->write_error = ENOMEM;
				break;
			}
			if (fwrite(line.data, 1, line.len, c->o.f) != line.len ||
			    fflush(c->o.f) != 0)
				c->write_error = errno != 0 ? errno : EIO;
		}
		ov_buf_free(&line);
	}
	p->done++;
	p->images += part->n;
	for (i = 0; i < part->n; i++) {
		if (!part->results[i].verified && !part->results[i].skipped)
			p->failed++;
		p->bytes += part->results[i].bytes;
	}
	if (!p->bulk)
		return;
	secs = seconds_since(&c->start);
	fprintf(stderr,
	    "\r%zu/%zu inputs, %zu images (%zu failed), %.0f MiB hashed, %.1f images/s  ",
	    p->done, p->total, p->images, p->failed,
	    (double)p->bytes / (1024.0 * 1024.0),
	    secs > 0 ? (double)p->images / secs : 0.0);
	p->shown = 1;
}

/* "3 verified, 1 failed, 0 skipped, in 2.1 s" after a bulk text report;
 * with --at (a reproducible run) the time is left out. */
static int
summary_line(struct verify_cmd *c, struct ov_buf *out)
{
	struct ov_report_counts n;
	struct ov_err err;

	ov_report_count(c->report, &n);
	if (ov_buf_addf(out, &err, "%zu verified, %zu failed", n.verified,
		n.failed + n.errors) != OV_OK ||
	    (n.errors > 0 &&
		ov_buf_addf(out, &err, " (%zu could not be checked)",
		    n.errors) != OV_OK) ||
	    ov_buf_addf(out, &err, ", %zu skipped", n.skipped) != OV_OK ||
	    (c->at == NULL &&
		ov_buf_addf(out, &err, ", in %.1f s",
		    seconds_since(&c->start)) != OV_OK) ||
	    ov_buf_adds(out, "\n", &err) != OV_OK)
		return -1;
	return 0;
}

/* The digest of the input list, which the shards of one run share. */
static int
digest_inputs(struct verify_cmd *c)
{
	struct ov_buf b;
	struct ov_digest d;
	struct ov_err err;
	size_t i;
	int rc = -1;

	ov_buf_init(&b, (size_t)1 << 30);
	for (i = 0; i < c->ninputs; i++)
		if (ov_buf_adds(&b, c->inputs[i], &err) != OV_OK ||
		    ov_buf_adds(&b, "\n", &err) != OV_OK)
			goto out;
	if (ov_digest_of(OV_DIGEST_SHA256,
		b.data != NULL ? (const void *)b.data : (const void *)"",
		b.len, &d, &err) != OV_OK ||
	    (c->report->inputs_digest = strdup(d.str)) == NULL)
		goto out;
	rc = 0;
out:
	ov_buf_free(&b);
	return rc;
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
	int status = CLI_EXIT_USAGE, rc;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.ext = ext;
	clock_gettime(CLOCK_MONOTONIC, &c.start);
	ov_buf_init(&c.out, (size_t)1 << 30);
	ov_buf_init(&c.warn, (size_t)1 << 30);
	if ((rc = parse_options(&c, argc, argv)) != 0) {
		status = rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		goto out;
	}
	if (optind >= argc && c.ndirs == 0) {
		cli_errorf("%s: no SOURCE given", cmd);
		cli_usage_hint(cmd);
		goto out;
	}
	if (stdin_twice(&c, argc, argv) != 0)
		goto out;
	if (cli_parse_time(c.at, &now) != 0 ||
	    cli_open_trust(c.trust, &c.config, &c.tb) != 0 ||
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
	cfg.manifest_only = c.manifest_only;
	cfg.platform = c.platform != NULL ? c.platform : HOST_PLATFORM;
	cfg.trust_source_scope = c.trust_source_scope;
	cfg.user_metadata = c.metadata;
	cfg.nuser_metadata = c.nmetadata;
	cfg.archive.deep = c.deep;
	cfg.archive.max_bytes = c.max_size;
	cfg.archive.max_ratio = c.max_ratio;
	cfg.shard_index = c.shard_index;
	cfg.shard_count = c.shard_count;
	cfg.jobs = c.jobs;
	if (cfg.jobs == 0) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		cfg.jobs = ncpu < 1 ? 1 : ncpu > JOBS_MAX ? JOBS_MAX : (unsigned)ncpu;
	}
	if (collect_inputs(&c, argc, argv) != 0)
		goto out;
	if (!c.quiet && isatty(STDERR_FILENO)) {
		if (c.ninputs > 1) {
			/* inputs done of all; one archive's bytes would
			 * interleave with the others' */
			c.progress.bulk = 1;
		} else {
			cfg.archive.progress = show_progress;
			cfg.archive.progress_ctx = &c.progress;
		}
	}
	c.progress.total = c.ninputs;
	if (ext != NULL && ext->prepare(ext->ctx, &cfg) != 0)
		goto out;
	if (ov_verifier_new(&cfg, &c.verifier, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	/* members notation ignores: a typo must not pass silently */
	for (i = 0; i < ov_verifier_policy(c.verifier)->nwarnings; i++)
		cli_warnf("%s", ov_verifier_policy(c.verifier)->warnings[i]);
	for (i = 0; i < c.nbundles; i++) {
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
	c.report->inputs = c.ninputs;
	c.report->shard_index = c.shard_index;
	c.report->shard_count = c.shard_count;
	if (c.shard_count > 1 && digest_inputs(&c) != 0) {
		cli_errorf("out of memory");
		goto out;
	}
	if (cli_output_open(&c.o, c.output) != 0)
		goto out;
	c.progress.name = c.ninputs == 1 ? c.inputs[0] : NULL;
	clock_gettime(CLOCK_MONOTONIC, &c.progress.start);
	/* JSONL streams each result and keeps only names and verdicts */
	rc = ov_verify_sources(c.verifier, (const char *const *)c.inputs,
	    c.ninputs, c.scope, c.format == FMT_JSONL ? NULL : c.report,
	    input_done, &c, &err);
	end_progress(&c.progress);
	if (rc != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	if (c.write_error != 0) {
		cli_errorf("writing the report: %s", strerror(c.write_error));
		goto out;
	}
	/* export: the report on stderr or in --report, then OUT */
	if (ext != NULL) {
		rc = ext->report_path != NULL
		    ? ov_report_json(c.report, PACKAGE_VERSION, &c.out, &err)
		    : ov_report_text(c.report, c.verbose, &c.out, &c.warn,
			  &err);
		if (rc != OV_OK) {
			cli_errorf("%s", err.msg);
			goto out;
		}
		status = report_ext(&c, ext);
		goto out;
	}
	switch (c.format) {
	case FMT_JSON:
		rc = ov_report_json(c.report, PACKAGE_VERSION, &c.out, &err);
		break;
	case FMT_JSONL:
		rc = ov_report_jsonl_summary(c.report, PACKAGE_VERSION, &c.out,
		    &err);
		break;
	case FMT_JUNIT:
		rc = ov_report_junit(c.report, PACKAGE_VERSION, &c.out, &err);
		break;
	default:
		rc = ov_report_text(c.report, c.verbose, &c.out, &c.warn, &err);
		if (rc == OV_OK && c.ninputs > 1 && summary_line(&c, &c.out) != 0)
			rc = ov_err_set(&err, OV_E_NOMEM, "out of memory");
		break;
	}
	if (rc != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	/* Operational errors also go to stderr, where scripts look first. */
	for (i = 0; i < c.report->n; i++)
		if (c.report->results[i].operational)
			cli_errorf("%s", c.report->results[i].error);
	if (cli_write_all(stderr, &c.warn) != 0 ||
	    (c.out.len > 0 &&
		fwrite(c.out.data, 1, c.out.len, c.o.f) != c.out.len) ||
	    cli_output_commit(&c.o) != 0) {
		cli_errorf("writing the report%s%s: %s",
		    c.output != NULL ? " to " : "",
		    c.output != NULL ? c.output : "", strerror(errno));
		goto out;
	}
	status = ov_report_exit_status(c.report);
out:
	cmd_free(&c);
	return status;
}
