/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The result model: what verification found, per image and per
 * signature, with one outcome per validation. Filled by verify.c,
 * rendered by report.c. All strings are owned by the struct that holds
 * them; free a whole report with ov_report_free().
 */
#ifndef OV_RESULT_H
#define OV_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "policy.h"

enum ov_outcome {
	OV_OUTCOME_SKIPPED = 0, /* not evaluated */
	OV_OUTCOME_PASSED,
	OV_OUTCOME_FAILED,      /* failed and enforced */
	OV_OUTCOME_LOGGED,      /* failed, but the level only logs it */
};

struct ov_check_result {
	enum ov_outcome outcome;
	char *message; /* why it failed, or a note (may be NULL) */
};

struct ov_cert_info {
	char *subject;
	char *issuer;
	char sha256[65];
	int64_t not_before;
	int64_t not_after;
};

struct ov_sig_result {
	char *digest;             /* signature manifest digest */
	char *media_type;         /* envelope media type, NULL if unknown */
	char *signing_scheme;     /* NULL if the envelope did not parse */
	char *algorithm;          /* "PS256" ... */
	int has_signed_at;
	int64_t signed_at;
	int has_expires_at;
	int64_t expires_at;
	int has_timestamp;        /* a timestamp was verified */
	int64_t timestamp_time;
	char *tsa_subject;
	char *signing_agent;
	char *time_basis;         /* which time certificate validity used */
	struct ov_cert_info *chain;
	size_t nchain;
	struct ov_check_result checks[OV_CHECK__COUNT];
	int verified;
	enum ov_code code;        /* the first enforced failure, OV_OK if none */
	char **errors;            /* messages of failed and logged checks */
	size_t nerrors;
};

struct ov_image_result {
	char *source;             /* SOURCE argument as given */
	char *reference;          /* PATH:TAG or PATH@DIGEST */
	char *tag;                /* its index.json ref.name, NULL if none */
	char *name;               /* registry/repo:tag or registry/repo@digest
				   * the source records, NULL if none */
	size_t input;             /* index of the SOURCE among the inputs */
	size_t ordinal;           /* index of the image in its SOURCE */
	uint64_t bytes;           /* blob bytes its check hashed (progress;
				   * not in the report) */
	char *integrity;          /* "manifest-only" when layers were absent
				   * and not checked (--manifest-only) */
	char *digest;             /* NULL when the SOURCE did not resolve */
	char *media_type;
	char *signed_digest;      /* the manifest the signatures cover, when
				   * it is not the image's own (docker save) */
	char *scope;              /* repository scope used, NULL if none */
	char *scope_origin;       /* "--scope", "io.containerd.image.name" ... */
	char *trust_policy;       /* statement name, NULL if none applied */
	char *level;              /* "strict" ... or "custom" */
	int verified;
	int skipped;              /* policy level skip */
	enum ov_code code;        /* OV_OK when verified or skipped */
	char *error;              /* why not verified */
	int operational;          /* error is operational (exit 2), not a verdict */
	struct ov_sig_result *sigs;
	size_t nsigs;
	char **warnings;
	size_t nwarnings;
};

struct ov_report {
	int64_t verified_at;
	size_t inputs;            /* SOURCEs verified (0: not counted) */
	/* --shard I/N (shard_count 0 or 1: not sharded), and the digest of
	 * the list of inputs, which every shard of a run must share */
	unsigned shard_index;
	unsigned shard_count;
	char *inputs_digest;
	struct ov_image_result *results;
	size_t n;
	size_t cap;
};

struct ov_report *ov_report_new(int64_t verified_at);
void ov_report_free(struct ov_report *r);

/* Append a zeroed result; NULL when out of memory. The pointer is valid
 * until the next append. */
struct ov_image_result *ov_report_add(struct ov_report *r);

/* Free the members of img and zero it. */
void ov_image_result_clear(struct ov_image_result *img);

/* Free the members of s and zero it. */
void ov_sig_result_clear(struct ov_sig_result *s);

/* Append a zeroed signature result to an image; NULL on ENOMEM. */
struct ov_sig_result *ov_image_add_sig(struct ov_image_result *img);

/* Set *dst to a copy of printf-style text (freeing the old value). */
enum ov_code ov_set_str(char **dst, struct ov_err *err, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* Record the outcome of a check; message may be NULL. */
enum ov_code ov_sig_set_check(struct ov_sig_result *s, enum ov_check check,
    enum ov_outcome outcome, const char *message, struct ov_err *err);

/* Stable JSON names: "passed", "failed", "logged", "skipped". */
const char *ov_outcome_name(enum ov_outcome o);

/* Process exit status for a report: 0 all verified (or skipped by
 * policy), 2 any operational error, else 1. */
int ov_report_exit_status(const struct ov_report *r);

#endif
