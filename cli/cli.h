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
int cli_image_verifier(int argc, char **argv);
void cli_image_verifier_usage(FILE *f);

/*
 * inspect and ls: describe each SOURCE of specs (details: read every
 * envelope) and print them as text trees or one JSON document. cmd
 * prefixes messages. Returns the exit status.
 */
int cli_show_sources(const char *cmd, char **specs, int n, int json,
    int details);

#endif
