/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rendering results: the JSON report (stable field names, documented in
 * ocivet-verify(1)) and the text summary, one line per image. The
 * library renders into buffers; only the CLI writes them out.
 */
#ifndef OV_REPORT_H
#define OV_REPORT_H

#include "buf.h"
#include "err.h"
#include "result.h"

/* The whole report as pretty-printed JSON (with a final newline). */
enum ov_code ov_report_json(const struct ov_report *r, const char *version,
    struct ov_buf *out, struct ov_err *err);

/* Counts of a report's results; an image is exactly one of verified,
 * failed (a verdict), skipped (by policy) or errors (operational). */
struct ov_report_counts {
	size_t images, verified, failed, skipped, errors;
};

void ov_report_count(const struct ov_report *r, struct ov_report_counts *c);

/* What the lists call an image: its name, else its reference, else the
 * SOURCE. */
const char *ov_image_display_name(const struct ov_image_result *img);

/*
 * --format jsonl: one line per image, self-contained ("type": "result",
 * the verification time, then the members of a report's result), and a
 * final line ("type": "summary": counts, shard, the name lists) for r.
 */
enum ov_code ov_report_jsonl_result(const struct ov_image_result *img,
    int64_t verified_at, struct ov_buf *out, struct ov_err *err);
enum ov_code ov_report_jsonl_summary(const struct ov_report *r,
    const char *version, struct ov_buf *out, struct ov_err *err);

/* --format junit: one testcase per image; a failed image is a failure
 * (a verdict) or an error (operational), with the reason. */
enum ov_code ov_report_junit(const struct ov_report *r, const char *version,
    struct ov_buf *out, struct ov_err *err);

/*
 * Text: one line per image into out; with verbose, the per-signature
 * check details after each line. Warnings (logged failures, skipped
 * verification) go to warn, one per line.
 */
enum ov_code ov_report_text(const struct ov_report *r, int verbose,
    struct ov_buf *out, struct ov_buf *warn, struct ov_err *err);

#endif
