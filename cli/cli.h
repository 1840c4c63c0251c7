/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ocivet command line: option tables, dispatch, messages and exit
 * status. Only these files print, read the clock or call exit().
 */
#ifndef OV_CLI_H
#define OV_CLI_H

#include <stdio.h>

/* Exit statuses (ocivet(1) EXIT STATUS). */
#define CLI_EXIT_OK 0      /* every image verified */
#define CLI_EXIT_FAILED 1  /* at least one image failed verification */
#define CLI_EXIT_USAGE 2   /* usage or configuration error */

/* "ocivet: <message>" on stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_verify(int argc, char **argv);
void cli_verify_usage(FILE *f);
int cli_crl(int argc, char **argv);
void cli_crl_usage(FILE *f);
int cli_bundle(int argc, char **argv);
void cli_bundle_usage(FILE *f);

#endif
