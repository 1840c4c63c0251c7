/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict JSON parsing on top of cJSON. Documents are rejected, not
 * guessed at, when they contain duplicate member names (another parser
 * could read the other value), two member names of one object that Go's
 * encoding/json would read as the same member ("digest", "Digest",
 * "dige\u017ft"), invalid UTF-8, "\u0000" escapes, nesting deeper than
 * OV_MAX_JSON_DEPTH, or anything after the top-level value. Member lookup
 * is always case-sensitive, and the typed accessors refuse a case variant
 * of the name they look up. Trees never leave the parser module that
 * asked for them.
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
 * caller with cJSON_Delete(). Two names of one object that differ only in
 * letter case, as Go folds it (see ov_json_fold_equal), are refused but in
 * the objects Go reads as maps with exact keys: the values of members
 * named annotations, Labels, Volumes, ExposedPorts and LayerSources.
 */
enum ov_code ov_json_parse(const void *data, size_t len, const char *what,
    cJSON **out, struct ov_err *err);

/*
 * Case-sensitive member lookup; NULL when absent or obj is no object. It
 * does not look for case variants: use it only where a variant may be
 * ignored.
 */
const cJSON *ov_json_get(const cJSON *obj, const char *key);

/*
 * Typed member access. `what` names the containing object in messages
 * ("index.json: manifests[3]"). Absent optional members leave *out
 * untouched and return OV_OK; a present member of the wrong type, and a
 * member whose name differs from key only in letter case ("Digest" for
 * "digest", which Go would read as key), are OV_E_FORMAT.
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
 * 1 when Go's encoding/json would match the member names a and b to the
 * same struct field: equal after folding ASCII letters, U+212A KELVIN
 * SIGN (as k) and U+017F LATIN SMALL LETTER LONG S (as s), which is
 * Unicode simple case folding as far as it reaches ASCII names.
 */
int ov_json_fold_equal(const char *a, const char *b);

/*
 * The first member of obj whose name equals one of the NULL-terminated
 * names in known except for letter case as ov_json_fold_equal() folds it
 * ("Level" for "level"), or NULL; *which (may be NULL) receives that
 * known name. Parsers that ignore unknown members use it to refuse case
 * variants, which Go's decoder (and so notation) would read as the known
 * member.
 */
const char *ov_json_case_variant(const cJSON *obj, const char *const *known,
    const char **which);

/*
 * OV_E_FORMAT naming the member and the known name when obj has a case
 * variant of one of the known names (ov_json_case_variant()), else OV_OK:
 * the one check every parser of source and signature JSON runs on each
 * object, with the names of every member the format defines.
 */
enum ov_code ov_json_no_case_variant(const cJSON *obj,
    const char *const *known, const char *what, struct ov_err *err);

#endif
