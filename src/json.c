/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict JSON (RFC 8259) on top of cJSON: a pre-scan checks UTF-8, depth
 * and "\u0000" escapes without recursion, cJSON builds the tree, and a
 * walk rejects duplicate member names, including names that Go's
 * encoding/json would read as the same member.
 */
#include "config.h"

#include "json.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovlimits.h"
#include "text.h"

/* The one lock of the library outside the verifier and the pool: it
 * guards cJSON's own global state, not ocivet's (see ov_json_parse). */
static pthread_mutex_t parse_mu = PTHREAD_MUTEX_INITIALIZER;

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

/*
 * Go's encoding/json, which notation, docker, containerd and skopeo use,
 * matches a member name to a struct field case-insensitively, under
 * Unicode simple case folding (bytes.EqualFold before Go 1.21, foldName
 * since), and the last matching member wins. Every field name of the
 * formats read here is ASCII, and the only other characters that fold to
 * ASCII letters are U+212A KELVIN SIGN (k) and U+017F LATIN SMALL LETTER
 * LONG S (s); U+0130 and U+0131 fold to no ASCII letter. So two names
 * can reach the same field exactly when they are equal after ASCII
 * letters are folded to upper case and those two signs to 'K' and 'S'.
 * fold_unit() returns the next unit of that folded form and advances *pp;
 * s is valid UTF-8 (the pre-scan) and NUL-terminated.
 */
static unsigned int
fold_unit(const unsigned char **pp)
{
	const unsigned char *p = *pp;

	if (p[0] == 0xe2 && p[1] == 0x84 && p[2] == 0xaa) {
		*pp += 3;
		return 'K';
	}
	if (p[0] == 0xc5 && p[1] == 0xbf) {
		*pp += 2;
		return 'S';
	}
	*pp += 1;
	return p[0] >= 'a' && p[0] <= 'z' ? p[0] - 'a' + 'A' : p[0];
}

/* Order names by their folded form. */
static int
fold_cmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	unsigned int x, y;

	for (;;) {
		if (*p == '\0' || *q == '\0')
			return (*p != '\0') - (*q != '\0');
		x = fold_unit(&p);
		y = fold_unit(&q);
		if (x != y)
			return x < y ? -1 : 1;
	}
}

int
ov_json_fold_equal(const char *a, const char *b)
{
	return fold_cmp(a, b) == 0;
}

/*
 * A member name for a message, quoted, in ASCII: other characters as JSON
 * \u escapes, so that "dige\u017ft" does not print like "digest". At most
 * 64 characters of the name are shown.
 */
struct name_quote {
	char s[64 * 12 + 8];
};

static const char *
quote_name(struct name_quote *q, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t o = 0, k, i, nch = 0;
	unsigned long cp;

	q->s[o++] = '"';
	while (*p != '\0') {
		if (nch++ == 64) {
			memcpy(q->s + o, "...", 3);
			o += 3;
			break;
		}
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') {
			q->s[o++] = (char)*p++;
			continue;
		}
		if (*p < 0x80) {
			cp = *p;
			k = 1;
		} else {
			k = ov_utf8_len(p, strnlen((const char *)p, 4));
			if (k == 0)
				k = 1;
			cp = k == 1 ? *p : *p & (0x7f >> k);
			for (i = 1; i < k; i++)
				cp = cp << 6 | (p[i] & 0x3f);
		}
		p += k;
		if (cp == '"' || cp == '\\') {
			q->s[o++] = '\\';
			q->s[o++] = (char)cp;
		} else if (cp > 0xffff) {
			/* JSON spells it as a surrogate pair */
			cp -= 0x10000;
			(void)snprintf(q->s + o, sizeof(q->s) - o,
			    "\\u%04lx\\u%04lx", 0xd800 + (cp >> 10),
			    0xdc00 + (cp & 0x3ff));
			o += 12;
		} else {
			(void)snprintf(q->s + o, sizeof(q->s) - o, "\\u%04lx",
			    cp);
			o += 6;
		}
	}
	q->s[o++] = '"';
	q->s[o] = '\0';
	return q->s;
}

static int
cmp_member_names(const void *a, const void *b)
{
	const cJSON *const *x = a;
	const cJSON *const *y = b;
	int c;

	if ((c = fold_cmp((*x)->string, (*y)->string)) != 0)
		return c;
	return strcmp((*x)->string, (*y)->string);
}

/*
 * Members whose value Go decodes into a map, whose keys it matches
 * exactly, in every format read here (OCI annotations; an image
 * configuration's labels, volumes and ports; docker save's layer
 * sources): keys that differ only in letter case are distinct there, so
 * such objects may hold them. Exact duplicates are still refused.
 */
static const char *const map_members[] = {
    "annotations", "Labels", "Volumes", "ExposedPorts", "LayerSources", NULL,
};

static int
is_map_member(const char *name)
{
	size_t i;

	for (i = 0; map_members[i] != NULL; i++)
		if (strcmp(name, map_members[i]) == 0)
			return 1;
	return 0;
}

/*
 * Find two members of obj with the same name (*dup) or, unless exact,
 * two whose names fold alike (*a, *b, in document order), or leave all
 * three NULL. Sorting keeps this O(n log n): a pairwise scan let a 4 MiB
 * document of 4096-member objects take seconds.
 */
static enum ov_code
find_dup(const cJSON *obj, size_t nmem, int exact, const char **dup,
    const char **a, const char **b, struct ov_err *err)
{
	const cJSON **m, *c, *x = NULL, *y = NULL;
	size_t i = 0;

	*dup = *a = *b = NULL;
	if (nmem < 2)
		return OV_OK;
	if ((m = malloc(nmem * sizeof(*m))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (c = obj->child; c != NULL; c = c->next)
		m[i++] = c;
	qsort(m, nmem, sizeof(*m), cmp_member_names);
	for (i = 1; i < nmem && *dup == NULL; i++) {
		if (strcmp(m[i - 1]->string, m[i]->string) == 0)
			*dup = m[i]->string;
		else if (!exact && x == NULL &&
		    fold_cmp(m[i - 1]->string, m[i]->string) == 0) {
			x = m[i - 1];
			y = m[i];
		}
	}
	free(m);
	if (*dup == NULL && x != NULL) {
		for (c = obj->child; c != x && c != y; c = c->next)
			;
		*a = c->string;
		*b = (c == x ? y : x)->string;
	}
	return OV_OK;
}

/*
 * Reject duplicate member names anywhere in the tree, and names that
 * differ only in letter case (as Go folds it) but in map-valued members.
 */
static enum ov_code
check_dups(const cJSON *v, int is_map, const char *what, int level,
    struct ov_err *err)
{
	const cJSON *c;
	const char *dup = NULL, *a = NULL, *b = NULL;
	struct name_quote qa, qb;
	enum ov_code r;

	if (level > OV_MAX_JSON_DEPTH)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: nesting deeper than %d levels", what,
		    OV_MAX_JSON_DEPTH);
	if (cJSON_IsObject(v)) {
		size_t nmem = 0;
		for (c = v->child; c != NULL; c = c->next)
			nmem++;
		if (nmem > 4096)
			return ov_err_set(err, OV_E_LIMIT,
			    "%s: an object has more than 4096 members", what);
		if ((r = find_dup(v, nmem, is_map, &dup, &a, &b, err)) != OV_OK)
			return r;
		if (dup != NULL)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: duplicate member \"%.64s\"", what, dup);
		if (a != NULL)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: members %s and %s differ only in letter case",
			    what, quote_name(&qa, a), quote_name(&qb, b));
	}
	if (cJSON_IsObject(v) || cJSON_IsArray(v))
		for (c = v->child; c != NULL; c = c->next)
			if ((r = check_dups(c, cJSON_IsObject(v) &&
				 is_map_member(c->string), what, level + 1,
				 err)) != OV_OK)
				return r;
	return OV_OK;
}

/*
 * A syntax error at byte off of p (len bytes), for people: its line and
 * column (1-based; columns count bytes), and what was expected there,
 * from the brackets open at that point and the token before it.
 */
static enum ov_code
syntax_error(const char *p, size_t len, size_t off, const char *what,
    struct ov_err *err)
{
	char stack[OV_MAX_JSON_DEPTH + 2], prev = 0, found[32];
	const char *expected;
	size_t i, line = 1, col = 1, depth = 0;
	int in_str = 0, esc = 0, key_next = 0;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)p[i];
		/* a trailing comma: cJSON points past the bracket */
		if (!in_str && (ch == '}' || ch == ']') && prev == ',') {
			off = i;
			break;
		}
		if (ch == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		if (in_str) {
			if (esc)
				esc = 0;
			else if (ch == '\\')
				esc = 1;
			else if (ch == '"') {
				in_str = 0;
				prev = key_next ? 'K' : '"';
				key_next = 0;
			}
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		if (ch == '"')
			in_str = 1;
		else if ((ch == '{' || ch == '[') && depth < sizeof(stack))
			stack[depth++] = (char)ch;
		else if ((ch == '}' || ch == ']') && depth > 0)
			depth--;
		if (ch != '"')
			prev = (char)ch;
		if (ch == '{' || (ch == ',' && depth > 0 && stack[depth - 1] == '{'))
			key_next = 1;
	}
	if (in_str)
		off = len; /* the string never ends */
	/* cJSON points at the token it refused, after any blanks */
	while (off < len && (p[off] == ' ' || p[off] == '\t' ||
				p[off] == '\r' || p[off] == '\n')) {
		if (p[off] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		off++;
	}
	if (in_str)
		expected = "the closing '\"' of a string";
	else if (prev == 'K')
		expected = "':' after the member name";
	else if (prev == ':' || prev == 0 ||
	    ((prev == '[' || prev == ',') && depth > 0 &&
		stack[depth - 1] == '['))
		expected = "a value";
	else if ((prev == '{' || prev == ',') && depth > 0)
		expected = prev == '{' ? "a member name in double quotes or '}'"
				       : "a member name in double quotes";
	else if (depth > 0 && stack[depth - 1] == '{')
		expected = "',' or '}'";
	else if (depth > 0)
		expected = "',' or ']'";
	else
		expected = "the end of the document";
	if (off >= len)
		(void)snprintf(found, sizeof(found), "the end of the input");
	else if (p[off] >= 0x21 && p[off] < 0x7f)
		(void)snprintf(found, sizeof(found), "'%c'", p[off]);
	else
		(void)snprintf(found, sizeof(found), "byte 0x%02x",
		    (unsigned char)p[off]);
	return ov_err_set(err, OV_E_FORMAT,
	    "%s: invalid JSON at line %zu, column %zu: expected %s, found %s",
	    what, line, col, expected, found);
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
	/* cJSON records every parse's error position in a global, which
	 * ocivet never reads: one parse at a time, so that images verified
	 * on several threads (verify --jobs) do not race on it. */
	pthread_mutex_lock(&parse_mu);
	root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	pthread_mutex_unlock(&parse_mu);
	if (root == NULL) {
		size_t off = end != NULL && end >= copy ? (size_t)(end - copy)
							 : 0;
		if (len == 0) {
			free(copy);
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: empty document, expected JSON", what);
		}
		r = syntax_error(copy, len, off, what, err);
		free(copy);
		return r;
	}
	free(copy);
	if ((r = check_dups(root, 0, what, 0, err)) != OV_OK) {
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

/* The first member of obj whose name folds like key but differs, or NULL. */
static const cJSON *
variant_of(const cJSON *obj, const char *key)
{
	const cJSON *m;

	if (!cJSON_IsObject(obj))
		return NULL;
	for (m = obj->child; m != NULL; m = m->next)
		if (strcmp(m->string, key) != 0 &&
		    fold_cmp(m->string, key) == 0)
			return m;
	return NULL;
}

static enum ov_code
variant_error(const char *what, const char *variant, const char *key,
    struct ov_err *err)
{
	struct name_quote q;

	return ov_err_set(err, OV_E_FORMAT,
	    "%s: member %s differs from a known member only in letter case (\"%s\")",
	    what, quote_name(&q, variant), key);
}

/*
 * A member read by its exact name; Go would read a case variant of it as
 * the member itself, so one is refused (ov_json_parse already refused a
 * variant beside the exact name).
 */
static enum ov_code
member(const cJSON *obj, const char *key, int required, const char *what,
    const cJSON **v, struct ov_err *err)
{
	const cJSON *var;

	*v = ov_json_get(obj, key);
	if (*v == NULL && (var = variant_of(obj, key)) != NULL)
		return variant_error(what, var->string, key, err);
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
ov_json_case_variant(const cJSON *obj, const char *const *known,
    const char **which)
{
	const cJSON *m;
	size_t i;

	if (which != NULL)
		*which = NULL;
	if (!cJSON_IsObject(obj))
		return NULL;
	for (m = obj->child; m != NULL; m = m->next)
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(m->string, known[i]) != 0 &&
			    fold_cmp(m->string, known[i]) == 0) {
				if (which != NULL)
					*which = known[i];
				return m->string;
			}
	return NULL;
}

enum ov_code
ov_json_no_case_variant(const cJSON *obj, const char *const *known,
    const char *what, struct ov_err *err)
{
	const char *v, *k = NULL;

	if ((v = ov_json_case_variant(obj, known, &k)) != NULL)
		return variant_error(what, v, k, err);
	return OV_OK;
}
