/* SPDX-License-Identifier: Apache-2.0 */
/* ocivet: offline verification of Notary Project signatures on container
 * images. main() only dispatches to a command. */
#include "config.h"

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "gzip.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *f);
	const char *summary;
};

static const struct command commands[] = {
	{"verify", cli_verify, cli_verify_usage,
	    "verify the signatures of images in layouts and archives"},
	{"export", cli_export, cli_export_usage,
	    "verify images, then write exactly the verified bytes as an archive"},
	{"crl", cli_crl, cli_crl_usage,
	    "list the CRLs signatures need; describe CRL files"},
	{"bundle", cli_bundle, cli_bundle_usage,
	    "export signatures as a detached bundle for offline transfer"},
	{"inspect", cli_inspect, cli_inspect_usage,
	    "show the signatures of images, or of envelope files"},
	{"ls", cli_ls, cli_ls_usage,
	    "list the images of layouts and archives and their signatures"},
	{"policy", cli_policy, cli_policy_usage,
	    "check the trust policy and its trust stores; show it"},
	{"cert", cli_cert, cli_cert_usage,
	    "list and show the certificates of the trust store"},
	{"sign", cli_sign, cli_sign_usage,
	    "sign images offline as notation does, in layouts or bundles"},
	{"trust", cli_trust, cli_trust_usage,
	    "create, check and show trust bundles (policy, roots, CRLs)"},
	{"report", cli_report, cli_report_usage,
	    "merge the reports of the shards of a verify run"},
	{"image-verifier", cli_image_verifier, cli_image_verifier_usage,
	    "containerd's pull-time image verifier, offline"},
};

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: ocivet COMMAND [OPTIONS] [ARGS...]\n"
	      "       ocivet --version | --help\n\ncommands:\n",
	    f);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		/* a longer name keeps two spaces before its summary */
		fprintf(f, "  %-10s %s%s\n", commands[i].name,
		    strlen(commands[i].name) >= 10 ? " " : "",
		    commands[i].summary);
	fputs("\nRun 'ocivet COMMAND --help' or see ocivet(1).\n", f);
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("ocivet %s\ngzip inflater: %s\n", PACKAGE_VERSION,
		    ov_gzip_inflater());
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2) {
			for (i = 0; i < sizeof(commands) / sizeof(commands[0]);
			     i++)
				if (strcmp(argv[2], commands[i].name) == 0) {
					commands[i].usage(stdout);
					return CLI_EXIT_OK;
				}
			cli_errorf("unknown command \"%s\"", argv[2]);
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (ov_crypto_init() != 0) {
		cli_errorf("cannot initialise OpenSSL");
		return CLI_EXIT_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	cli_errorf("unknown command \"%s\"", argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}
