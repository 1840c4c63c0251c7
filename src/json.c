/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict JSON (RFC 8259) on top of cJSON: a pre-scan checks UTF-8, depth
 * and "\u0000" escapes without recursion, cJSON builds the tree, and a
 * walk rejects duplicate member names.
 */
#include "config.h"

#include "json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ovlimits.h"
#include "text.h"

static enum ov_code
prescan(const unsigned char *p, size_t n, const char *what,
    struct ov_err *err)
{
	size_t i = 0, k, depth = 0;
	int in_str = 0;

	while (i < n) {
		unsigned char c = p[i];

		if (c == 0)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: NUL byte at offset %zu", what, i);
		if ((k = ov_utf8_len(p + i, n - i)) == 0)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: invalid UTF-8 at offset %zu", what, i);
		if (in_str) {
			if (c == '"') {
				in_str = 0;
			} else if (c == '\\' && i + 1 < n) {
				if (p[i + 1] == 'u' && i + 5 < n &&
				    memcmp(p + i + 2, "0000", 4) == 0)
					return ov_err_set(err, OV_E_FORMAT,
					    "%s: \\u0000 in a string at offset %zu",
					    what, i);
				k = 2;
			}
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > OV_MAX_JSON_DEPTH)
				return ov_err_set(err, OV_E_LIMIT,
				    "%s: nesting deeper than %d levels", what,
				    OV_MAX_JSON_DEPTH);
		} else if (c == ']' || c == '}') {
			if (depth > 0)
				depth--;
		}
		i += k;
	}
	return OV_OK;
}

static int
cmp_member_names(const void *a, const void *b)
{
	const cJSON *const *x = a;
	const cJSON *const *y = b;

	return strcmp((*x)->string, (*y)->string);
}

/*
 * Set *dup to the name of a member of obj that occurs twice, or NULL.
 * Sorting keeps this O(n log n): a pairwise scan let a 4 MiB document of
 * 4096-member objects take seconds.
 */
static enum ov_code
find_dup(const cJSON *obj, size_t nmem, const char **dup, struct ov_err *err)
{
	const cJSON **m, *a;
	size_t i = 0;

	*dup = NULL;
	if (nmem < 2)
		return OV_OK;
	if ((m = malloc(nmem * sizeof(*m))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (a = obj->child; a != NULL; a = a->next)
		m[i++] = a;
	qsort(m, nmem, sizeof(*m), cmp_member_names);
	for (i = 1; i < nmem && *dup == NULL; i++)
		if (strcmp(m[i - 1]->string, m[i]->string) == 0)
			*dup = m[i]->string;
	free(m);
	return OV_OK;
}

/* Reject duplicate member names anywhere in the tree. */
static enum ov_code
check_dups(const cJSON *v, const char *what, int level, struct ov_err *err)
{
	const cJSON *a;
	const char *dup = NULL;
	enum ov_code r;

	if (level > OV_MAX_JSON_DEPTH)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: nesting deeper than %d levels", what,
		    OV_MAX_JSON_DEPTH);
	if (cJSON_IsObject(v)) {
		size_t nmem = 0;
		for (a = v->child; a != NULL; a = a->next)
			nmem++;
		if (nmem > 4096)
			return ov_err_set(err, OV_E_LIMIT,
			    "%s: an object has more than 4096 members", what);
		if ((r = find_dup(v, nmem, &dup, err)) != OV_OK)
			return r;
		if (dup != NULL)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: duplicate member \"%.64s\"", what, dup);
	}
	if (cJSON_IsObject(v) || cJSON_IsArray(v))
		for (a = v->child; a != NULL; a = a->next)
			if ((r = check_dups(a, what, level + 1, err)) != OV_OK)
				return r;
	return OV_OK;
}

enum ov_code
ov_json_parse(const void *data, size_t len, const char *what, cJSON **out,
    struct ov_err *err)
{
	const char *end = NULL;
	cJSON *root;
	char *copy;
	enum ov_code r;

	*out = NULL;
	if ((r = prescan(data, len, what, err)) != OV_OK)
		return r;
	/* cJSON wants a NUL-terminated string to detect trailing data. */
	if ((copy = malloc(len + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	memcpy(copy, data, len);
	copy[len] = '\0';
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	if (root == NULL) {
		size_t off = end != NULL && end >= copy ? (size_t)(end - copy)
							 : 0;
		free(copy);
		if (len == 0)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: empty document, expected JSON", what);
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: invalid JSON at offset %zu", what, off);
	}
	free(copy);
	if ((r = check_dups(root, what, 0, err)) != OV_OK) {
		cJSON_Delete(root);
		return r;
	}
	*out = root;
	return OV_OK;
}

const cJSON *
ov_json_get(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static enum ov_code
member(const cJSON *obj, const char *key, int required, const char *what,
    const cJSON **v, struct ov_err *err)
{
	*v = ov_json_get(obj, key);
	if (*v == NULL && required)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: missing required member \"%s\"", what, key);
	return OV_OK;
}

enum ov_code
ov_json_string(const cJSON *obj, const char *key, int required,
    const char *what, const char **out, struct ov_err *err)
{
	const cJSON *v;
	enum ov_code r;

	if ((r = member(obj, key, required, what, &v, err)) != OV_OK ||
	    v == NULL)
		return r;
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: member \"%s\" must be a string", what, key);
	*out = v->valuestring;
	return OV_OK;
}

int
ov_json_is_int(const cJSON *v, int64_t *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return 0;
	d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0)
		return 0;
	*out = (int64_t)d;
	return 1;
}

enum ov_code
ov_json_int64(const cJSON *obj, const char *key, int required,
    const char *what, int64_t *out, struct ov_err *err)
{
	const cJSON *v;
	enum ov_code r;

	if ((r = member(obj, key, required, what, &v, err)) != OV_OK ||
	    v == NULL)
		return r;
	if (!ov_json_is_int(v, out))
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: member \"%s\" must be an integer", what, key);
	return OV_OK;
}

enum ov_code
ov_json_object(const cJSON *obj, const char *key, int required,
    const char *what, const cJSON **out, struct ov_err *err)
{
	const cJSON *v;
	enum ov_code r;

	if ((r = member(obj, key, required, what, &v, err)) != OV_OK ||
	    v == NULL)
		return r;
	if (!cJSON_IsObject(v))
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: member \"%s\" must be an object", what, key);
	*out = v;
	return OV_OK;
}

enum ov_code
ov_json_array(const cJSON *obj, const char *key, int required,
    const char *what, const cJSON **out, struct ov_err *err)
{
	const cJSON *v;
	enum ov_code r;

	if ((r = member(obj, key, required, what, &v, err)) != OV_OK ||
	    v == NULL)
		return r;
	if (!cJSON_IsArray(v))
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: member \"%s\" must be an array", what, key);
	*out = v;
	return OV_OK;
}

enum ov_code
ov_json_only_keys(const cJSON *obj, const char *const *allowed,
    const char *what, struct ov_err *err)
{
	const cJSON *m;
	size_t i;

	for (m = obj->child; m != NULL; m = m->next) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(m->string, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: unexpected member \"%.64s\"", what,
			    m->string);
	}
	return OV_OK;
}

const char *
ov_json_case_variant(const cJSON *obj, const char *const *known)
{
	const cJSON *m;
	size_t i;

	if (!cJSON_IsObject(obj))
		return NULL;
	for (m = obj->child; m != NULL; m = m->next)
		for (i = 0; known[i] != NULL; i++)
			if (strcasecmp(m->string, known[i]) == 0 &&
			    strcmp(m->string, known[i]) != 0)
				return m->string;
	return NULL;
}
