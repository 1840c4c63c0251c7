/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict JSON parsing on top of cJSON. Documents are rejected, not
 * guessed at, when they contain duplicate member names (another parser
 * could read the other value), invalid UTF-8, "\u0000" escapes, nesting
 * deeper than OV_MAX_JSON_DEPTH, or anything after the top-level value.
 * Member lookup is always case-sensitive. Trees never leave the parser
 * module that asked for them.
 */
#ifndef OV_JSON_H
#define OV_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "err.h"

/*
 * Parse len bytes (need not be NUL-terminated). what names the document
 * in messages ("index.json", "blob sha256:..."). *out is freed by the
 * caller with cJSON_Delete().
 */
enum ov_code ov_json_parse(const void *data, size_t len, const char *what,
    cJSON **out, struct ov_err *err);

/* Case-sensitive member lookup; NULL when absent or obj is no object. */
const cJSON *ov_json_get(const cJSON *obj, const char *key);

/*
 * Typed member access. `what` names the containing object in messages
 * ("index.json: manifests[3]"). Absent optional members leave *out
 * untouched and return OV_OK; a present member of the wrong type is
 * OV_E_FORMAT.
 */
enum ov_code ov_json_string(const cJSON *obj, const char *key, int required,
    const char *what, const char **out, struct ov_err *err);
enum ov_code ov_json_int64(const cJSON *obj, const char *key, int required,
    const char *what, int64_t *out, struct ov_err *err);
enum ov_code ov_json_object(const cJSON *obj, const char *key, int required,
    const char *what, const cJSON **out, struct ov_err *err);
enum ov_code ov_json_array(const cJSON *obj, const char *key, int required,
    const char *what, const cJSON **out, struct ov_err *err);

/* 1 when the value is a JSON integer that fits exactly in an int64 range
 * that doubles represent exactly (|v| <= 2^53). */
int ov_json_is_int(const cJSON *v, int64_t *out);

/* Fail with OV_E_FORMAT naming the first member of obj not in the
 * NULL-terminated list allowed. */
enum ov_code ov_json_only_keys(const cJSON *obj, const char *const *allowed,
    const char *what, struct ov_err *err);

/*
 * The first member of obj whose name equals one of the NULL-terminated
 * names in known except for letter case ("Level" for "level"), or NULL.
 * Parsers that ignore unknown members use it to refuse case variants,
 * which Go's decoder (and so notation) would read as the known member.
 */
const char *ov_json_case_variant(const cJSON *obj, const char *const *known);

#endif
