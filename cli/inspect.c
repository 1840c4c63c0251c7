/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet inspect: every signature of the images a SOURCE names, with its
 * signed attributes, user metadata, certificate chain and timestamp, as
 * notation inspect shows them; or one bare envelope file (--envelope).
 * Nothing is judged: no trust policy is read.
 */
#include "config.h"

#include "cli.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "envelope.h"
#include "inspect.h"
#include "ovlimits.h"
#include "show.h"

enum {
	OPT_FORMAT = 256,
	OPT_ENVELOPE,
};

static const struct option options[] = {
    {"envelope", required_argument, NULL, OPT_ENVELOPE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void
cli_inspect_usage(FILE *f)
{
	fputs(
	    "usage: ocivet inspect [--format text|json] SOURCE...\n"
	    "       ocivet inspect [--format text|json] --envelope FILE...\n"
	    "\n"
	    "Show every signature of the images SOURCE names (a layout\n"
	    "directory or archive, or a docker save archive; DIR:TAG or\n"
	    "DIR@DIGEST for one image): envelope type, signing scheme, signed\n"
	    "attributes, user metadata, certificate chain and timestamp.\n"
	    "Nothing is verified; no trust policy is needed.\n"
	    "\n"
	    "  --envelope FILE       a bare JWS or COSE envelope file (a .sig\n"
	    "                        carried alone); repeatable\n"
	    "  --format text|json    output format (default: text)\n"
	    "  -h, --help            show this help\n"
	    "\n"
	    "Exit status: 0 shown, 2 usage error or an unreadable SOURCE.\n"
	    "See ocivet-inspect(1).\n",
	    f);
}

/* JWS JSON serialization starts with '{'; anything else is read as COSE. */
static const char *
envelope_type(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')
			continue;
		return p[i] == '{' ? OV_MT_JWS : OV_MT_COSE;
	}
	return OV_MT_JWS;
}

static int
inspect_envelopes(const char **files, int n, int json)
{
	struct ov_sig_desc s;
	struct ov_buf b;
	struct ov_err err;
	struct cli_node *root;
	cJSON *doc = NULL, *arr = NULL, *o;
	int i, status = CLI_EXIT_OK;

	if (json &&
	    ((doc = cJSON_CreateObject()) == NULL ||
	     cJSON_AddStringToObject(doc, "ocivet_version", PACKAGE_VERSION) ==
		 NULL ||
	     (arr = cJSON_AddArrayToObject(doc, "envelopes")) == NULL)) {
		cJSON_Delete(doc);
		cli_errorf("out of memory");
		return CLI_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		ov_buf_init(&b, OV_MAX_ENVELOPE);
		if (ov_buf_read_file(&b, AT_FDCWD, files[i], &err) != OV_OK) {
			cli_errorf("--envelope %s", err.msg);
			ov_buf_free(&b);
			status = CLI_EXIT_USAGE;
			continue;
		}
		if (ov_sig_describe(envelope_type(b.data, b.len), b.data, b.len,
				    &s, &err) != OV_OK) {
			ov_buf_free(&b);
			cJSON_Delete(doc);
			cli_errorf("%s", err.msg);
			return CLI_EXIT_USAGE;
		}
		ov_buf_free(&b);
		if (json) {
			o = show_sig_json(&s, 1);
			if (o == NULL ||
			    cJSON_AddStringToObject(o, "file", files[i]) ==
				NULL ||
			    !cJSON_AddItemToArray(arr, o)) {
				cJSON_Delete(o);
				ov_sig_desc_clear(&s);
				cJSON_Delete(doc);
				cli_errorf("out of memory");
				return CLI_EXIT_USAGE;
			}
		} else {
			root = cli_tree_new("%s", files[i]);
			show_sig_tree(root, &s, 1);
			if (cli_tree_print(root) != 0)
				status = CLI_EXIT_USAGE;
		}
		ov_sig_desc_clear(&s);
	}
	if (json && cli_json_print(doc) != 0)
		status = CLI_EXIT_USAGE;
	return status;
}

/* Shared by inspect and ls: describe each SOURCE, print text or JSON. */
int
cli_show_sources(const char *cmd, char **specs, int n, int json, int details)
{
	struct ov_inventory *inv;
	struct ov_err err;
	cJSON *doc = NULL, *arr = NULL, *o;
	int i, status = CLI_EXIT_OK;

	if (json && ((doc = cJSON_CreateObject()) == NULL ||
		     cJSON_AddStringToObject(doc, "ocivet_version",
					     PACKAGE_VERSION) == NULL ||
		     (arr = cJSON_AddArrayToObject(doc, "sources")) == NULL)) {
		cJSON_Delete(doc);
		cli_errorf("out of memory");
		return CLI_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		if (ov_inventory_read(specs[i], NULL, details, &inv, &err) !=
		    OV_OK) {
			cli_errorf("%s: %s", cmd, err.msg);
			status = CLI_EXIT_USAGE;
			if (err.code == OV_E_NOMEM)
				break;
			continue;
		}
		if (json) {
			o = show_inventory_json(inv, details);
			if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
				cJSON_Delete(o);
				ov_inventory_free(inv);
				cJSON_Delete(doc);
				cli_errorf("out of memory");
				return CLI_EXIT_USAGE;
			}
		} else if (show_inventory_text(inv, details) != 0) {
			status = CLI_EXIT_USAGE;
		}
		ov_inventory_free(inv);
	}
	if (json && cli_json_print(doc) != 0)
		status = CLI_EXIT_USAGE;
	return status;
}

int
cli_inspect(int argc, char **argv)
{
	const char **envs = NULL;
	size_t nenvs = 0;
	int ch, json = 0, status = CLI_EXIT_USAGE;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_ENVELOPE:
			if (cli_push_arg(&envs, &nenvs, optarg) != 0)
				goto out;
			break;
		case OPT_FORMAT:
			if (cli_parse_format(optarg, &json) != 0)
				goto out;
			break;
		case 'h':
			cli_inspect_usage(stdout);
			status = CLI_EXIT_OK;
			goto out;
		default:
			(void)cli_option_error("inspect", ch, argv);
			goto out;
		}
	}
	if (nenvs > 0 && optind < argc) {
		cli_errorf(
		    "inspect: give SOURCE arguments or --envelope FILE, not both");
		cli_usage_hint("inspect");
	} else if (nenvs > 0) {
		status = inspect_envelopes(envs, (int)nenvs, json);
	} else if (optind >= argc) {
		cli_errorf("inspect: no SOURCE given");
		cli_usage_hint("inspect");
	} else {
		status = cli_show_sources("inspect", argv + optind,
					  argc - optind, json, 1);
	}
out:
	free(envs);
	return status;
}
