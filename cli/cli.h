/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ocivet command line: one file per command, each with its option
 * table, usage text and entry point; main.c holds the command table.
 * Only these files print, read the clock or call exit().
 */
#ifndef OV_CLI_H
#define OV_CLI_H

#include <stddef.h>
#include <stdint.h>
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
int cli_sign(int argc, char **argv);
void cli_sign_usage(FILE *f);
int cli_trust(int argc, char **argv);
void cli_trust_usage(FILE *f);

struct ov_confdir;
struct ov_policy;
struct cJSON;
struct cli_node;

/*
 * policy check on the configuration conf, for trust check: every error
 * (an expired certificate is one) and warning into the lists (malloc'd;
 * ov_strv_free()). 0, or -1 after a message.
 */
int cli_policy_check_conf(const struct ov_confdir *conf, int64_t now,
    unsigned long long warn_days, char ***errors, size_t *nerrors,
    char ***warnings, size_t *nwarnings);

/* The statements of p as policy show prints them: appended to the JSON
 * array arr (0, or -1 when out of memory), or to the tree root. */
int cli_policy_show_json(struct cJSON *arr, const struct ov_policy *p);
void cli_policy_show_tree(struct cli_node *root, const struct ov_policy *p);
int cli_report(int argc, char **argv);
void cli_report_usage(FILE *f);
int cli_image_verifier(int argc, char **argv);
void cli_image_verifier_usage(FILE *f);

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
