/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ocivet command line: one file per command, each with its option
 * table, usage text and entry point; main.c holds the command table.
 * Only these files print, read the clock or call exit().
 */
#ifndef OV_CLI_H
#define OV_CLI_H

#include <stdio.h>

#include "common.h"

int cli_verify(int argc, char **argv);
void cli_verify_usage(FILE *f);
int cli_export(int argc, char **argv);
void cli_export_usage(FILE *f);
int cli_crl(int argc, char **argv);
void cli_crl_usage(FILE *f);
int cli_bundle(int argc, char **argv);
void cli_bundle_usage(FILE *f);
int cli_inspect(int argc, char **argv);
void cli_inspect_usage(FILE *f);
int cli_ls(int argc, char **argv);
void cli_ls_usage(FILE *f);
int cli_policy(int argc, char **argv);
void cli_policy_usage(FILE *f);
int cli_cert(int argc, char **argv);
void cli_cert_usage(FILE *f);

/*
 * inspect and ls: describe each SOURCE of specs (details: read every
 * envelope) and print them as text trees or one JSON document. cmd
 * prefixes messages. Returns the exit status.
 */
int cli_show_sources(const char *cmd, char **specs, int n, int json,
    int details);

struct option;
struct ov_report;
struct ov_verify_config;

/* getopt values of a cli_verify_ext's long options start here */
#define CLI_EXT_OPT 1000

/*
 * A command built on verify (export): its options besides verify's (an
 * option of the same name replaces verify's), called before any SOURCE is
 * read, and after verification with the report and verify's exit status.
 */
struct cli_verify_ext {
	const char *cmd;               /* "export", for messages */
	const struct option *options;  /* values >= CLI_EXT_OPT */
	const char *shortopts;         /* its short options ("o:") */
	/* one of its options: 0, or -1 after a message */
	int (*option)(void *ctx, int ch, const char *arg);
	void (*usage)(FILE *f);
	/* the configuration is read: 0, or -1 after a message */
	int (*prepare)(void *ctx, struct ov_verify_config *cfg);
	/* the report is written: returns the exit status */
	int (*finish)(void *ctx, const struct ov_report *rep, int status);
	void *ctx;
	/* --report FILE: the JSON report goes there, else the text report
	 * goes to standard error */
	const char *report_path;
};

/* verify with ext (NULL: verify itself); returns the exit status */
int cli_verify_run(int argc, char **argv, const struct cli_verify_ext *ext);

/* The options verify shares with commands built on it, for --help;
 * format: with verify's --format. */
void cli_verify_options_usage(FILE *f, int format);

#endif
