/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet ls: the images of layouts and archives with their tags,
 * digests and platforms, and the signature manifests attached to each,
 * as notation ls shows them. Envelopes are not read.
 */
#include "config.h"

#include "cli.h"

#include <getopt.h>
#include <stdio.h>

enum {
	OPT_FORMAT = 256,
};

static const struct option options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void
cli_ls_usage(FILE *f)
{
	fputs(
	    "usage: ocivet ls [--format text|json] SOURCE...\n"
	    "\n"
	    "List the images SOURCE holds (a layout directory or archive, or a\n"
	    "docker save archive; DIR:TAG or DIR@DIGEST for one image) with\n"
	    "their digests, tags and platforms, and the signatures attached to\n"
	    "each.\n"
	    "\n"
	    "  --format text|json    output format (default: text)\n"
	    "  -h, --help            show this help\n"
	    "\n"
	    "Exit status: 0 listed, 2 usage error or an unreadable SOURCE.\n"
	    "See ocivet-ls(1).\n",
	    f);
}

int
cli_ls(int argc, char **argv)
{
	int ch, json = 0;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if (cli_parse_format(optarg, &json) != 0)
				return CLI_EXIT_USAGE;
			break;
		case 'h':
			cli_ls_usage(stdout);
			return CLI_EXIT_OK;
		default:
			(void)cli_option_error("ls", ch, argv);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_errorf("ls: no SOURCE given");
		cli_usage_hint("ls");
		return CLI_EXIT_USAGE;
	}
	return cli_show_sources("ls", argv + optind, argc - optind, json, 0);
}
