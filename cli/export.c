/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet export: verify as `verify` does (its options, its report on
 * standard error), and when every image verified, write them with their
 * signatures as a canonical archive from the bytes that were hashed
 * (spool.h, export.h).
 */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "digest.h"
#include "export.h"
#include "result.h"
#include "spool.h"
#include "verify.h"

enum {
	OPT_OUTPUT = CLI_EXT_OPT,
	OPT_FORMAT,
	OPT_REPORT,
};

static const struct option export_options[] = {
	{"output", required_argument, NULL, 'o'},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"report", required_argument, NULL, OPT_REPORT},
	{NULL, 0, NULL, 0},
};

/* Everything export keeps besides verify's state. */
struct export_cmd {
	struct cli_verify_ext ext; /* ctx is this struct */
	const char *out;           /* -o */
	enum ov_export_format format;
	enum ov_bundle_format tar; /* from OUT's name */
	struct ov_spool *spool;
	int64_t mtime;             /* SOURCE_DATE_EPOCH, else 0 */
	char *sigs_out;            /* OUT.sigs.tar */
};

void
cli_export_usage(FILE *f)
{
	fputs("usage: ocivet export -o OUT [--format oci|docker] [OPTIONS] SOURCE...\n"
	      "\n"
	      "Verify every image SOURCE names as `ocivet verify` does and, only\n"
	      "when all verify, write them with their signatures to OUT, a\n"
	      "canonical .tar, .tar.gz or .tar.zst archive made from the very\n"
	      "bytes that were verified: import OUT, not SOURCE.\n"
	      "\n"
	      "  -o, --output OUT      the archive to write (never overwritten)\n"
	      "  --format oci|docker   an OCI layout archive (default), or one with\n"
	      "                        docker's manifest.json too, for docker load\n"
	      "  --report FILE         the report as JSON in FILE, not as text on\n"
	      "                        standard error\n",
	    f);
	cli_verify_options_usage(f, 0);
	fputs("\n"
	      "Exit status: 0 all verified and OUT written, 1 verification failed\n"
	      "(no OUT), 2 usage, configuration or write error (no OUT). See\n"
	      "ocivet-export(1).\n",
	    f);
}

static int
export_option(void *ctx, int ch, const char *arg)
{
	struct export_cmd *x = ctx;

	switch (ch) {
	case 'o':
		x->out = arg;
		return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "oci") == 0)
			x->format = OV_EXPORT_OCI;
		else if (strcmp(arg, "docker") == 0)
			x->format = OV_EXPORT_DOCKER;
		else {
			cli_errorf("--format: unknown format \"%s\" (use oci or docker)",
			    arg);
			return -1;
		}
		return 0;
	case OPT_REPORT:
		x->ext.report_path = arg;
		return 0;
	default:
		cli_errorf("export: internal error: option %d", ch);
		return -1;
	}
}

/* OUT's directory, where the spool and the temporary archive go. */
static char *
out_dir(const char *out)
{
	const char *slash = strrchr(out, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == out)
		return strdup("/");
	return strndup(out, (size_t)(slash - out));
}

/*
 * SOURCE_DATE_EPOCH (reproducible-builds.org): the entries' modification
 * time when set, a decimal number of seconds that fits a ustar header.
 * 0 or -1 after a message.
 */
static int
source_date_epoch(int64_t *mtime)
{
	const char *v = getenv("SOURCE_DATE_EPOCH");
	unsigned long long n;

	*mtime = 0;
	if (v == NULL || *v == '\0')
		return 0;
	/* 8^11 - 1: the largest mtime of a plain ustar header */
	if (cli_parse_number("SOURCE_DATE_EPOCH", v, 0, 077777777777ULL,
		&n) != 0)
		return -1;
	*mtime = (int64_t)n;
	return 0;
}

static int
export_prepare(void *ctx, struct ov_verify_config *cfg)
{
	struct export_cmd *x = ctx;
	struct ov_err err;
	char *dir;
	int f;

	if (x->out == NULL) {
		cli_errorf("export: no output given (-o OUT)");
		cli_usage_hint("export");
		return -1;
	}
	if ((f = cli_format_of_name(x->out)) < 0 || f == OV_BUNDLE_DIR) {
		cli_errorf("export: %s: the export is an archive: name it .tar, .tar.gz (.tgz) or .tar.zst (.tzst)",
		    x->out);
		return -1;
	}
	x->tar = (enum ov_bundle_format)f;
	if (ov_bundle_check_output(x->out, x->tar, &err) != OV_OK) {
		cli_errorf("export: %s", err.msg);
		return -1;
	}
	if ((dir = out_dir(x->out)) == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	if (source_date_epoch(&x->mtime) != 0) {
		free(dir);
		return -1;
	}
	f = ov_spool_new(dir, 0, &x->spool, &err) != OV_OK;
	free(dir);
	if (f) {
		cli_errorf("export: %s", err.msg);
		return -1;
	}
	/* every source, and every --signatures bundle, is read through it */
	cfg->archive.spool = x->spool;
	return 0;
}

/* What docker save archives made before Docker 25 report as an image:
 * its config (d), with no manifest. */
#define DOCKER_CONFIG_MT "application/vnd.docker.container.image.v1+json"

/*
 * Only images whose signatures verified are exported; one that the
 * policy skips fails the export. An image whose signatures cover another
 * manifest goes to e as ov_export_add_bound_image() says: a docker save
 * image with its signed registry manifest and signatures in b (written
 * as OUT.sigs.tar); one of a classic save, which has no manifest, as
 * Docker 25 would save it (ov_export_add_docker_image()). 0 or -1 after
 * a message.
 */
static int
plan(const struct ov_report *rep, struct ov_export *e, struct ov_export *b)
{
	const struct ov_image_result *img;
	struct ov_export *to;
	struct ov_digest d, sd;
	struct ov_err err;
	size_t i, k;
	int here;

	for (i = 0; i < rep->n; i++) {
		img = &rep->results[i];
		if (img->skipped) {
			cli_errorf("export: %s: the trust policy skips its verification; only images whose signatures verified are exported",
			    img->reference);
			return -1;
		}
		if (!img->verified || img->digest == NULL ||
		    img->media_type == NULL) {
			cli_errorf("export: %s: not verified", img->reference);
			return -1;
		}
		if (ov_digest_parse(img->digest, &d, &err) != OV_OK)
			goto fail;
		to = e;
		if (strcmp(img->media_type, DOCKER_CONFIG_MT) == 0) {
			/* a classic docker save: d is its config */
			if (img->signed_digest == NULL) {
				cli_errorf("export: %s: a docker save image not bound to a signed manifest",
				    img->reference);
				return -1;
			}
			if (ov_digest_parse(img->signed_digest, &sd, &err) !=
				OV_OK ||
			    ov_export_add_docker_image(e, b, &d, img->name,
				&sd, &err) != OV_OK)
				goto fail;
			to = b;
		} else if (img->signed_digest != NULL) {
			if (ov_digest_parse(img->signed_digest, &sd, &err) !=
				OV_OK ||
			    ov_export_add_bound_image(e, b, &d,
				img->media_type, img->tag, img->name, &sd, &here,
				&err) != OV_OK)
				goto fail;
			to = here ? e : b;
		} else if (ov_export_add_image(e, &d, img->media_type,
			       img->tag, img->name, &err) != OV_OK)
			goto fail;
		for (k = 0; k < img->nsigs; k++) {
			if (!img->sigs[k].verified)
				continue;
			if (ov_digest_parse(img->sigs[k].digest, &d, &err) !=
				OV_OK ||
			    ov_export_add_signature(to, &d, &err) != OV_OK)
				goto fail;
		}
	}
	return 0;
fail:
	cli_errorf("export: %s: %s", img->reference, err.msg);
	return -1;
}

/* Write export e to path (format fmt of x) under a temporary name: *w,
 * to commit. */
static enum ov_code
write_one(struct export_cmd *x, struct ov_export *e, const char *path,
    enum ov_bundle_format tar, enum ov_export_format fmt,
    struct ov_bundle_out **w, struct ov_err *err)
{
	enum ov_code r;

	if ((r = ov_bundle_out_open(path, tar, NULL, 0, w, err)) != OV_OK)
		return r;
	ov_bundle_out_set_mtime(*w, x->mtime);
	return ov_export_write(e, fmt, *w, err);
}

static int
export_finish(void *ctx, const struct ov_report *rep, int status)
{
	struct export_cmd *x = ctx;
	struct ov_export *e = NULL, *b = NULL;
	struct ov_bundle_out *w = NULL, *sw = NULL;
	struct ov_err err;
	int sigs_committed = 0;

	if (status != CLI_EXIT_OK) {
		cli_errorf("export: %s not written: %s", x->out,
		    status == CLI_EXIT_FAILED
			? "not every image verified"
			: "verification did not complete");
		return status;
	}
	if (ov_export_new(x->spool, &e, &err) != OV_OK ||
	    ov_export_new_bundle(x->spool, &b, &err) != OV_OK)
		goto fail;
	if (plan(rep, e, b) != 0) {
		status = CLI_EXIT_FAILED;
		goto out;
	}
	if (ov_export_nimages(b) > 0) {
		/* docker save images: their signatures cover a registry
		 * manifest whose layers OUT does not hold; they go beside */
		if (asprintf(&x->sigs_out, "%s.sigs.tar", x->out) < 0) {
			x->sigs_out = NULL;
			ov_err_set(&err, OV_E_NOMEM, "out of memory");
			goto fail;
		}
		if (write_one(x, b, x->sigs_out, OV_BUNDLE_TAR, OV_EXPORT_OCI,
			&sw, &err) != OV_OK)
			goto fail;
	}
	if (write_one(x, e, x->out, x->tar, x->format, &w, &err) != OV_OK)
		goto fail;
	/* the signatures first: an OUT that exists has them */
	if (sw != NULL) {
		if (ov_bundle_out_commit(sw, &err) != OV_OK)
			goto fail;
		sigs_committed = 1;
	}
	if (ov_bundle_out_commit(w, &err) != OV_OK)
		goto fail;
	if (sw != NULL)
		fprintf(stderr,
		    "ocivet: export: the signatures of the docker save images are in %s: verify the export with ocivet verify --signatures %s %s\n",
		    x->sigs_out, x->sigs_out, x->out);
	status = CLI_EXIT_OK;
	goto out;
fail:
	cli_errorf("export: %s", err.msg);
	status = err.code == OV_E_UNSUPPORTED || err.code == OV_E_NOTFOUND ||
		err.code == OV_E_DIGEST
	    ? CLI_EXIT_FAILED
	    : CLI_EXIT_USAGE;
	if (sigs_committed)
		(void)unlink(x->sigs_out);
out:
	ov_bundle_out_free(w); /* removes the temporary unless committed */
	ov_bundle_out_free(sw);
	ov_export_free(b);
	ov_export_free(e);
	return status;
}

int
cli_export(int argc, char **argv)
{
	struct export_cmd x;
	int status;

	memset(&x, 0, sizeof(x));
	x.ext.cmd = "export";
	x.ext.options = export_options;
	x.ext.shortopts = "o:";
	x.ext.option = export_option;
	x.ext.usage = cli_export_usage;
	x.ext.prepare = export_prepare;
	x.ext.finish = export_finish;
	x.ext.ctx = &x;
	x.format = OV_EXPORT_OCI;
	status = cli_verify_run(argc, argv, &x.ext);
	ov_spool_free(x.spool);
	free(x.sigs_out);
	return status;
}
