/* SPDX-License-Identifier: Apache-2.0 */
/* ocivet report merge: the reports of the shards of a run, as one. */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "merge.h"

/* A report file may be large: 50,000 images of JSON. */
#define REPORT_MAX ((size_t)4 << 30)

enum { OPT_FORMAT = 256 };

static const struct option options[] = {
	{"format", required_argument, NULL, OPT_FORMAT},
	{"output", required_argument, NULL, 'o'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

void
cli_report_usage(FILE *f)
{
	fputs("usage: ocivet report merge [OPTIONS] FILE...\n"
	      "\n"
	      "Merge the JSON or JSONL reports of ocivet verify into one report,\n"
	      "as one run would have written it: the reports of every shard of\n"
	      "a --shard I/N run (each exactly once), or of whole runs.\n"
	      "\n"
	      "  --format json|jsonl   output format (default: json)\n"
	      "  -o, --output FILE     write the report to FILE, atomically\n"
	      "  -h, --help            show this help\n"
	      "\n"
	      "Exit status: that of the merged run (0 all verified, 1 a failure,\n"
	      "2 an image could not be checked), or 2 when the reports cannot be\n"
	      "merged (a shard missing, an incomplete report). See ocivet-report(1).\n",
	    f);
}

int
cli_report(int argc, char **argv)
{
	struct ov_merge *m = NULL;
	struct ov_buf in, out;
	struct ov_err err;
	struct cli_output o;
	const char *output = NULL;
	int ch, jsonl = 0, i, status = CLI_EXIT_USAGE, exit_status;
	enum ov_code rc;

	memset(&o, 0, sizeof(o));
	ov_buf_init(&in, REPORT_MAX);
	ov_buf_init(&out, REPORT_MAX);
	if (argc < 2 || strcmp(argv[1], "merge") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
				     strcmp(argv[1], "-h") == 0)) {
			cli_report_usage(stdout);
			return CLI_EXIT_OK;
		}
		cli_errorf(argc < 2 ? "report: expected a subcommand: merge"
				    : "report: unknown subcommand \"%s\"",
		    argc < 2 ? "" : argv[1]);
		cli_usage_hint("report");
		return CLI_EXIT_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				jsonl = 0;
			else if (strcmp(optarg, "jsonl") == 0)
				jsonl = 1;
			else {
				cli_errorf("--format: unknown format \"%s\" (use json or jsonl)",
				    optarg);
				goto out;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			cli_report_usage(stdout);
			status = CLI_EXIT_OK;
			goto out;
		default:
			cli_option_error("report merge", ch, argv);
			goto out;
		}
	}
	if (optind >= argc) {
		cli_errorf("report merge: no FILE given");
		cli_usage_hint("report");
		goto out;
	}
	if (ov_merge_new(&m, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	for (i = optind; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);

		in.len = 0;
		if (fd < 0) {
			cli_errorf("%s: %s", argv[i], strerror(errno));
			goto out;
		}
		rc = ov_buf_read_fd(&in, fd, argv[i], &err);
		close(fd);
		if (rc != OV_OK ||
		    ov_merge_add(m, in.data, in.len, argv[i], &err) != OV_OK) {
			cli_errorf("%s", err.msg);
			goto out;
		}
	}
	if (ov_merge_finish(m, PACKAGE_VERSION, jsonl, &out, &exit_status,
		&err) != OV_OK) {
		cli_errorf("report merge: %s", err.msg);
		goto out;
	}
	if (cli_output_open(&o, output) != 0)
		goto out;
	if (fwrite(out.data, 1, out.len, o.f) != out.len ||
	    cli_output_commit(&o) != 0) {
		cli_errorf("writing the report: %s", strerror(errno));
		goto out;
	}
	status = exit_status;
out:
	cli_output_abort(&o);
	ov_merge_free(m);
	ov_buf_free(&in);
	ov_buf_free(&out);
	return status;
}
