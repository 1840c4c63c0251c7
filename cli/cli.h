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

#endif
