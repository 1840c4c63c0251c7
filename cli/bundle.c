/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet bundle export: write the signatures of images, with the signed
 * manifests, as a detached signature bundle (ocivet-bundle(5)) that
 * travels beside `docker save` or OCI layout tarballs and is given to
 * `ocivet verify --signatures` on the disconnected side.
 */
#include "config.h"

#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"

enum {
	OPT_FORMAT = 256,
};

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void
cli_bundle_usage(FILE *f)
{
	fputs(
	    "usage: ocivet bundle export -o OUT [--format dir|tar|tar.gz|tar.zst]\n"
	    "                            SOURCE...\n"
	    "\n"
	    "Write a detached signature bundle: an OCI image layout holding the\n"
	    "signed manifests of the images SOURCE names and their Notary\n"
	    "signatures, without configs or layers, for 'ocivet verify\n"
	    "--signatures'. SOURCE is DIR (every image in it), DIR:TAG or\n"
	    "DIR@DIGEST. Images without a signature are left out.\n"
	    "\n"
	    "  -o, --output OUT      the bundle to create: a directory that does not\n"
	    "                        exist or is empty, or a tar file, which must not\n"
	    "                        exist\n"
	    "  --format FORMAT       dir, tar, tar.gz or tar.zst (default: from OUT's\n"
	    "                        name: .tar, .tar.gz or .tgz, .tar.zst or .tzst;\n"
	    "                        other archive names are refused; else dir)\n"
	    "  -h, --help            show this help\n"
	    "\n"
	    "Exit status: 0 exported, 1 no image has a signature, 2 usage error\n"
	    "or unreadable input. See ocivet-bundle(1) and ocivet-bundle(5).\n",
	    f);
}

/* Everything `bundle export` keeps, freed in one place. */
struct export_cmd {
	const char *out; /* -o */
	int format;      /* --format: -1 unset, else enum ov_bundle_format */
	struct ov_bundle *b;
};

static int
parse_options(struct export_cmd *c, int argc, char **argv)
{
	int ch;

	optind = 1;
	opterr = 0; /* our own messages */
	while ((ch = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (ch) {
		case 'o':
			c->out = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "dir") == 0) {
				c->format = OV_BUNDLE_DIR;
			} else if (strcmp(optarg, "tar") == 0) {
				c->format = OV_BUNDLE_TAR;
			} else if (strcmp(optarg, "tar.gz") == 0) {
				c->format = OV_BUNDLE_TAR_GZ;
			} else if (strcmp(optarg, "tar.zst") == 0) {
				c->format = OV_BUNDLE_TAR_ZST;
			} else {
				cli_errorf(
				    "--format: unknown format \"%s\" (use dir, tar, tar.gz or tar.zst)",
				    optarg);
				return -1;
			}
			break;
		case 'h':
			cli_bundle_usage(stdout);
			return 1;
		default:
			return cli_option_error("bundle export", ch, argv);
		}
	}
	return 0;
}

static int
bundle_export(int argc, char **argv)
{
	struct export_cmd c;
	struct ov_err err;
	enum ov_bundle_format format;
	const struct ov_bundle_image *img;
	size_t i;
	int j, rc, status = CLI_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	c.format = -1;
	if ((rc = parse_options(&c, argc, argv)) != 0)
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	if (c.out == NULL) {
		cli_errorf("bundle export: no output given (-o OUT)");
		cli_usage_hint("bundle");
		return CLI_EXIT_USAGE;
	}
	if (optind >= argc) {
		cli_errorf("bundle export: no SOURCE given");
		cli_usage_hint("bundle");
		return CLI_EXIT_USAGE;
	}
	if (c.format < 0 && (c.format = cli_format_of_name(c.out)) < 0) {
		cli_errorf(
		    "bundle export: %s: a bundle is written as a directory, .tar, .tar.gz (.tgz) or .tar.zst (.tzst); choose one of those names, or --format",
		    c.out);
		return CLI_EXIT_USAGE;
	}
	format = (enum ov_bundle_format)c.format;
	/* before reading any SOURCE, which may take a while */
	if (ov_bundle_check_output(c.out, format, &err) != OV_OK ||
	    ov_bundle_new(&c.b, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	for (j = optind; j < argc; j++)
		if (ov_bundle_add_source(c.b, argv[j], &err) != OV_OK) {
			cli_errorf("%s", err.msg);
			goto out;
		}
	for (i = 0; i < ov_bundle_nwarnings(c.b); i++)
		fprintf(stderr, "warning: %s\n", ov_bundle_warning(c.b, i));
	if (ov_bundle_nimages(c.b) == 0) {
		cli_errorf(
		    "bundle export: nothing to export: no image has a signature");
		status = CLI_EXIT_FAILED;
		goto out;
	}
	if (ov_bundle_write(c.b, c.out, format, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	for (i = 0; i < ov_bundle_nimages(c.b); i++) {
		img = ov_bundle_image(c.b, i);
		printf("%s %s %zu signature%s\n", img->reference,
		       img->digest.str, img->nsignatures,
		       img->nsignatures == 1 ? "" : "s");
	}
	status = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
out:
	ov_bundle_free(c.b);
	return status;
}

int
cli_bundle(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{"export", bundle_export},
		{NULL, NULL},
	};

	return cli_subcommand("bundle", argc, argv, subs, cli_bundle_usage);
}
