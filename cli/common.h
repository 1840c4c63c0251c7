/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every command of the ocivet CLI shares, written once: messages,
 * option errors, --format and --at, repeatable options, the notation
 * configuration, writing output, and the two output shapes of the
 * inspection commands: trees of text (like notation's) and JSON.
 */
#ifndef OV_CLI_COMMON_H
#define OV_CLI_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ov_buf;
struct ov_confdir;
struct cJSON;

/* Exit statuses (ocivet(1) EXIT STATUS). */
#define CLI_EXIT_OK 0     /* every image verified; the command succeeded */
#define CLI_EXIT_FAILED 1 /* at least one image failed verification */
#define CLI_EXIT_USAGE 2  /* usage or configuration error */

/* "ocivet: <message>" on stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "ocivet: warning: <message>" on stderr. */
void cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "Run 'ocivet CMD --help' for usage." on stderr. */
void cli_usage_hint(const char *cmd);

/*
 * The message for getopt_long's ':' (missing value) or '?' (unknown
 * option) result ch, naming cmd ("verify", "bundle export"), then the
 * usage hint for the command help (its first word). Returns -1.
 */
int cli_option_error(const char *cmd, int ch, char **argv);

/* A subcommand of a command ("ls" of "cert") and what runs it. */
struct cli_sub {
	const char *name;
	int (*run)(int argc, char **argv);
};

/*
 * Run the subcommand argv[1] of cmd from subs (NULL-terminated), with
 * argv + 1; --help and -h print usage; none or an unknown one is a
 * usage error naming the known ones. Returns the exit status.
 */
int cli_subcommand(const char *cmd, int argc, char **argv,
    const struct cli_sub *subs, void (*usage)(FILE *f));

/* --format text|json into *json; 0, or -1 after a message. */
int cli_parse_format(const char *arg, int *json);

/* --at TIME (RFC 3339) into *now, or the clock when at is NULL; 0 or -1
 * after a message. */
int cli_parse_time(const char *at, int64_t *now);

/* A non-negative decimal number from min to max; 0 or -1 after a
 * message naming opt. */
int cli_parse_number(const char *opt, const char *arg, unsigned long long min,
		     unsigned long long max, unsigned long long *out);

/* Drop the trailing slashes of a SOURCE argument ("dir/" -> "dir"; "/"
 * stays), so that reports name it as the user means it. */
void cli_trim_slashes(char *arg);

/* Append arg to a repeatable option's list; 0 or -1 after a message. */
int cli_push_arg(const char ***list, size_t *n, const char *arg);

/*
 * The notation configuration from --config, --policy and --trust-store
 * (any may be NULL) and the environment; 0 or -1 after a message.
 */
int cli_resolve_config(const char *config, const char *policy,
		       const char *store, struct ov_confdir *out);

struct ov_tbundle;

/*
 * --trust NAME|PATH (may be NULL: nothing to do): find the trust bundle
 * (a NAME in $OCIVET_BUNDLES, else the installed bundles directory; a
 * PATH has a '/' or is an archive name), open and check it
 * (ov_tbundle_open(), an archive into $TMPDIR), and point *config at its
 * directory; *config must be NULL (--config and --trust exclude each
 * other). *tb is the caller's to free. 0 or -1 after a message.
 */
int cli_open_trust(const char *trust, const char **config,
    struct ov_tbundle **tb);

/* Write b to f and flush; 0 or -1. */
int cli_write_all(FILE *f, const struct ov_buf *b);

/* Print a JSON document (cJSON's formatting, then a newline) to stdout
 * and delete it; root NULL means out of memory. 0 or -1 after a message. */
int cli_json_print(struct cJSON *root);

/*
 * -o FILE: a report written to a temporary file in FILE's directory and
 * renamed over FILE only once complete (fsync'd), so that a killed run
 * leaves the old report or none, never half of one. path NULL or "-" is
 * stdout. open: 0 or -1 after a message; commit: 0 or -1 (errno set);
 * abort (also after commit, harmless) removes the temporary file.
 */
struct cli_output {
	const char *path;
	char *tmp;
	FILE *f;
};
int cli_output_open(struct cli_output *o, const char *path);
int cli_output_commit(struct cli_output *o);
void cli_output_abort(struct cli_output *o);

/* ---- trees of text ------------------------------------------------------ */

struct cli_node;

/* A root node holding text (printf-style); NULL when out of memory. */
struct cli_node *cli_tree_new(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * A child of parent (appended last) holding text, returned (borrowed: it
 * lives as long as the tree). NULL when parent is NULL or out of memory;
 * the tree then remembers the failure, and cli_tree_print() reports it.
 */
struct cli_node *cli_tree_add(struct cli_node *parent, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Print the tree to stdout the way `notation inspect` does (├── └── │)
 * and free it; 0, or -1 after a message.
 */
int cli_tree_print(struct cli_node *root);

void cli_tree_free(struct cli_node *root);

/*
 * The layout format an output name asks for (enum ov_bundle_format): .tar,
 * .tar.gz or .tgz, .tar.zst or .tzst; -1 for other archive and
 * compression suffixes; else a directory. bundle export and export.
 */
int cli_format_of_name(const char *out);

#endif
