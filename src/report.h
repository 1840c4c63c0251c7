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

/*
 * Text: one line per image into out; with verbose, the per-signature
 * check details after each line. Warnings (logged failures, skipped
 * verification) go to warn, one per line.
 */
enum ov_code ov_report_text(const struct ov_report *r, int verbose,
    struct ov_buf *out, struct ov_buf *warn, struct ov_err *err);

#endif
