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

/*
 * Only images whose signatures verified are exported; one that the
 * policy skips, or whose signatures cover another manifest (a docker
 * save bound through its config to a registry manifest it does not
 * hold, so that the export would not verify again), fails the export. 0 or -1 after a
 * message.
 */
static int
plan(const struct ov_report *rep, struct ov_export *e)
{
	const struct ov_image_result *img;
	struct ov_digest d;
	struct ov_err err;
	size_t i, k;

	for (i = 0; i < rep->n; i++) {
		img = &rep->results[i];
		if (img->skipped) {
			cli_errorf("export: %s: the trust policy skips its verification; only images whose signatures verified are exported",
			    img->reference);
			return -1;
		}
		if (img->signed_digest != NULL) {
			cli_errorf("export: %s: its signatures cover manifest %s, to which it is bound through its config (docker save); such an image cannot be exported yet",
			    img->reference, img->signed_digest);
			return -1;
		}
		if (!img->verified || img->digest == NULL ||
		    img->media_type == NULL) {
			cli_errorf("export: %s: not verified", img->reference);
			return -1;
		}
		if (ov_digest_parse(img->digest, &d, &err) != OV_OK ||
		    ov_export_add_image(e, &d, img->media_type, img->tag,
			img->name, &err) != OV_OK)
			goto fail;
		for (k = 0; k < img->nsigs; k++) {
			if (!img->sigs[k].verified)
				continue;
			if (ov_digest_parse(img->sigs[k].digest, &d, &err) !=
				OV_OK ||
			    ov_export_add_signature(e, &d, &err) != OV_OK)
				goto fail;
		}
	}
	return 0;
fail:
	cli_errorf("export: %s", err.msg);
	return -1;
}

static int
export_finish(void *ctx, const struct ov_report *rep, int status)
{
	struct export_cmd *x = ctx;
	struct ov_export *e = NULL;
	struct ov_bundle_out *w = NULL;
	struct ov_err err;

	if (status != CLI_EXIT_OK) {
		cli_errorf("export: %s not written: %s", x->out,
		    status == CLI_EXIT_FAILED
			? "not every image verified"
			: "verification did not complete");
		return status;
	}
	if (ov_export_new(x->spool, &e, &err) != OV_OK)
		goto fail;
	if (plan(rep, e) != 0) {
		status = CLI_EXIT_FAILED;
		goto out;
	}
	if (ov_bundle_out_open(x->out, x->tar, NULL, 0, &w, &err) != OV_OK ||
	    ov_export_write(e, x->format, w, &err) != OV_OK ||
	    ov_bundle_out_commit(w, &err) != OV_OK)
		goto fail;
	status = CLI_EXIT_OK;
	goto out;
fail:
	cli_errorf("export: %s", err.msg);
	status = err.code == OV_E_UNSUPPORTED || err.code == OV_E_NOTFOUND ||
		err.code == OV_E_DIGEST
	    ? CLI_EXIT_FAILED
	    : CLI_EXIT_USAGE;
out:
	ov_bundle_out_free(w); /* removes the temporary unless committed */
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
	return status;
}
