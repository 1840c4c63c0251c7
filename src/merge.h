/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet report merge: fold the JSON and JSONL reports of the shards of
 * one run (verify --shard I/N), or of separate runs, into one report, as
 * one run would have written it: results in input order, the name lists
 * merged and sorted, the counts and exit status over all of them.
 * Incomplete input is refused, never merged: a JSONL stream without its
 * summary line or with fewer results than it counts (a killed pod), a
 * shard missing or given twice, shards of different runs (another
 * count, another list of inputs).
 */
#ifndef OV_MERGE_H
#define OV_MERGE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

struct ov_merge;

enum ov_code ov_merge_new(struct ov_merge **out, struct ov_err *err);
void ov_merge_free(struct ov_merge *m);

/* Add one report (a JSON document, or JSON Lines), named what in
 * messages. OV_E_FORMAT when it is none, or incomplete. */
enum ov_code ov_merge_add(struct ov_merge *m, const void *data, size_t len,
    const char *what, struct ov_err *err);

/*
 * The merged report into out: the JSON report (jsonl 0) or JSON Lines (a
 * result per line, then the summary line), and the exit status one run
 * would have had. OV_E_FORMAT when the shards do not make one run.
 */
enum ov_code ov_merge_finish(struct ov_merge *m, const char *version,
    int jsonl, struct ov_buf *out, int *exit_status, struct ov_err *err);

#endif
