/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notation OCI trust policy, version 1.0 (trust-store-trust-policy.md
 * "Trust Policy"; spec digest E.2-E.5, E.7). Validation follows
 * notation-go's OCIDocument.Validate() rule by rule and in its order, with
 * its wording; every message starts with the file and names the statement.
 */
#include "config.h"

#include "policy.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "json.h"
#include "ovlimits.h"
#include "text.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define HINT_SCOPE                                                             \
	"make sure it is a fully qualified repository without the scheme, protocol or tag, for example domain.com/my/repository"

/* Where a message points: the file and the statement (or document). */
struct ctx {
	const char *path;
	char who[sizeof(struct ov_quote) + 32];
};

static void
ctx_document(struct ctx *c, const char *path)
{
	c->path = path;
	(void)snprintf(c->who, sizeof(c->who), "trust policy document");
}

/* Before the statement's name is known, name it by its index. */
static void
ctx_statement(struct ctx *c, const char *path, size_t idx, const char *name)
{
	struct ov_quote q;

	c->path = path;
	if (name == NULL)
		(void)snprintf(c->who, sizeof(c->who), "trustPolicies[%zu]",
			       idx);
	else
		(void)snprintf(c->who, sizeof(c->who),
			       "trust policy statement %s", ov_quote(&q, name));
}

/* "<path>: <who><fmt...>"; fmt starts with " " or ": ". */
static enum ov_code fail(struct ov_err *err, enum ov_code code,
			 const struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum ov_code
fail(struct ov_err *err, enum ov_code code, const struct ctx *c,
     const char *fmt, ...)
{
	char msg[OV_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	/* Truncation is acceptable: the message is diagnostic only. */
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ov_err_set(err, code, "%s: %s%s", c->path, c->who, msg);
}

static enum ov_code
nomem(struct ov_err *err)
{
	return ov_err_set(err, OV_E_NOMEM, "out of memory");
}

/* A string member; absent or null (Go's zero value) leaves *out NULL. */
static const char *const document_keys[] = {"version", "trustPolicies", NULL};
static const char *const statement_keys[] = {"name", "registryScopes",
    "signatureVerification", "trustStores", "trustedIdentities", NULL};
static const char *const sv_keys[] = {"level", "override", "verifyTimestamp",
    NULL};

/* Refuse "Level" for "level": notation (Go) would read it as the key. */
static enum ov_code
check_spelling(const cJSON *obj, const char *const *known,
    const struct ctx *c, struct ov_err *err)
{
	const char *which = NULL;
	const char *bad = ov_json_case_variant(obj, known, &which);
	struct ov_quote q;

	if (bad == NULL)
		return OV_OK;
	return fail(err, OV_E_CONFIG, c,
	    ": member %s must be spelled \"%s\" (member names are case-sensitive)",
	    ov_quote(&q, bad), which);
}

/* Edit distance of two short member names, capped at 3. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[40], prev, tmp;

	if (la >= NELEM(d) || lb >= NELEM(d))
		return 3;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		prev = d[0];
		d[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = d[j];
			d[j] = prev + (a[i - 1] != b[j - 1]);
			if (d[j - 1] + 1 < d[j])
				d[j] = d[j - 1] + 1;
			if (tmp + 1 < d[j])
				d[j] = tmp + 1;
			prev = tmp;
		}
	}
	return d[lb] < 3 ? d[lb] : 3;
}

/*
 * Members of obj that are not in known: notation ignores them, so a typo
 * such as "trustStore" would silently drop a rule. Each becomes a warning
 * in p, naming a known member two edits away or closer.
 */
static enum ov_code
unknown_members(const cJSON *obj, const char *const *known,
    const struct ctx *c, struct ov_policy *p, struct ov_err *err)
{
	const cJSON *m;
	const char *best;
	struct ov_quote q;
	size_t i, d, bestd;
	char *w;

	for (m = obj->child; m != NULL; m = m->next) {
		best = NULL;
		bestd = 3;
		for (i = 0; known[i] != NULL; i++) {
			if (strcmp(m->string, known[i]) == 0)
				break;
			if ((d = distance(m->string, known[i])) < bestd) {
				bestd = d;
				best = known[i];
			}
		}
		if (known[i] != NULL)
			continue;
		if (best != NULL)
			w = ov_strf("%s: %s: unknown member %s is ignored (did you mean \"%s\"?)",
			    c->path, c->who, ov_quote(&q, m->string), best);
		else
			w = ov_strf("%s: %s: unknown member %s is ignored",
			    c->path, c->who, ov_quote(&q, m->string));
		if (ov_strlist_take(&p->warnings, &p->nwarnings, w, err) !=
		    OV_OK)
			return OV_E_NOMEM;
	}
	return OV_OK;
}

static enum ov_code
get_str(const cJSON *obj, const char *key, const struct ctx *c,
	const char **out, struct ov_err *err)
{
	const cJSON *v = ov_json_get(obj, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return OV_OK;
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return fail(err, OV_E_CONFIG, c,
			    ": member \"%s\" must be a string", key);
	*out = v->valuestring;
	return OV_OK;
}

/*
 * An array of strings; absent or null gives *out NULL and *n 0. Past
 * OV_MAX_POLICY_ENTRIES elements is OV_E_LIMIT.
 */
static enum ov_code
get_strings(const cJSON *obj, const char *key, const struct ctx *c,
	    const cJSON **out, size_t *n, struct ov_err *err)
{
	const cJSON *v = ov_json_get(obj, key), *e;

	*out = NULL;
	*n = 0;
	if (v == NULL || cJSON_IsNull(v))
		return OV_OK;
	if (!cJSON_IsArray(v))
		return fail(err, OV_E_CONFIG, c,
			    ": member \"%s\" must be an array of strings", key);
	for (e = v->child; e != NULL; e = e->next) {
		if (!cJSON_IsString(e) || e->valuestring == NULL)
			return fail(
			    err, OV_E_CONFIG, c,
			    ": member \"%s\" must be an array of strings", key);
		if (++*n > OV_MAX_POLICY_ENTRIES)
			return fail(err, OV_E_LIMIT, c,
				    ": member \"%s\" has more than %d entries",
				    key, OV_MAX_POLICY_ENTRIES);
	}
	*out = v;
	return OV_OK;
}

static const char *const level_names[] = {
    [OV_LEVEL_STRICT] = "strict",
    [OV_LEVEL_PERMISSIVE] = "permissive",
    [OV_LEVEL_AUDIT] = "audit",
    [OV_LEVEL_SKIP] = "skip",
};

static const char *const check_names[OV_CHECK__COUNT] = {
    [OV_CHECK_INTEGRITY] = "integrity",
    [OV_CHECK_AUTHENTICITY] = "authenticity",
    [OV_CHECK_AUTHENTIC_TIMESTAMP] = "authenticTimestamp",
    [OV_CHECK_EXPIRY] = "expiry",
    [OV_CHECK_REVOCATION] = "revocation",
};

static const char *const action_names[] = {
    [OV_ACTION_ENFORCE] = "enforce",
    [OV_ACTION_LOG] = "log",
    [OV_ACTION_SKIP] = "skip",
};


/* Index of s in names[0..n), or -1. */
static int
lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
ov_level_name(enum ov_level level)
{
	if ((size_t)level >= NELEM(level_names))
		return "unknown";
	return level_names[level];
}

const char *
ov_check_name(enum ov_check check)
{
	if ((size_t)check >= NELEM(check_names))
		return "unknown";
	return check_names[check];
}

const char *
ov_action_name(enum ov_action action)
{
	if ((size_t)action >= NELEM(action_names))
		return "unknown";
	return action_names[action];
}

void
ov_level_actions(enum ov_level level, enum ov_action actions[OV_CHECK__COUNT])
{
	/* spec digest E.4 */
	static const enum ov_action table[][OV_CHECK__COUNT] = {
	    [OV_LEVEL_STRICT] = {OV_ACTION_ENFORCE, OV_ACTION_ENFORCE,
				 OV_ACTION_ENFORCE, OV_ACTION_ENFORCE,
				 OV_ACTION_ENFORCE},
	    [OV_LEVEL_PERMISSIVE] = {OV_ACTION_ENFORCE, OV_ACTION_ENFORCE,
				     OV_ACTION_LOG, OV_ACTION_LOG,
				     OV_ACTION_LOG},
	    [OV_LEVEL_AUDIT] = {OV_ACTION_ENFORCE, OV_ACTION_LOG, OV_ACTION_LOG,
				OV_ACTION_LOG, OV_ACTION_LOG},
	    [OV_LEVEL_SKIP] = {OV_ACTION_SKIP, OV_ACTION_SKIP, OV_ACTION_SKIP,
			       OV_ACTION_SKIP, OV_ACTION_SKIP},
	};
	size_t i;

	if ((size_t)level >= NELEM(table))
		level = OV_LEVEL_STRICT;
	for (i = 0; i < OV_CHECK__COUNT; i++)
		actions[i] = table[level][i];
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static int
is_lower_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/*
 * (?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]) labels joined by
 * '.', then optionally ':' and one or more digits.
 */
static int
domain_valid(const char *d, size_t n)
{
	const char *colon = memchr(d, ':', n);
	size_t host = colon != NULL ? (size_t)(colon - d) : n, i, start;

	if (colon != NULL) {
		if (host + 1 == n)
			return 0;
		for (i = host + 1; i < n; i++)
			if (d[i] < '0' || d[i] > '9')
				return 0;
	}
	for (i = 0; i <= host; i++) {
		start = i;
		while (i < host && d[i] != '.') {
			if (!is_alnum(d[i]) && d[i] != '-')
				return 0;
			i++;
		}
		if (i == start || d[start] == '-' || d[i - 1] == '-')
			return 0;
	}
	return 1;
}

/* [a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)* */
static int
component_valid(const char *s, size_t n)
{
	size_t i = 0, start;

	for (;;) {
		start = i;
		while (i < n && is_lower_alnum(s[i]))
			i++;
		if (i == start)
			return 0;
		if (i == n)
			return 1;
		if (s[i] == '.') {
			i++;
		} else if (s[i] == '_') {
			i++;
			if (i < n && s[i] == '_')
				i++;
		} else if (s[i] == '-') {
			while (i < n && s[i] == '-')
				i++;
		} else {
			return 0;
		}
	}
}

static int
repository_valid(const char *r)
{
	const char *slash;
	size_t n;

	for (;;) {
		slash = strchr(r, '/');
		n = slash != NULL ? (size_t)(slash - r) : strlen(r);
		if (!component_valid(r, n))
			return 0;
		if (slash == NULL)
			return 1;
		r = slash + 1;
	}
}

enum ov_code
ov_scope_validate(const char *scope, struct ov_err *err)
{
	const char *slash = strchr(scope, '/');
	struct ov_quote q;

	if (strchr(scope, '*') != NULL)
		return ov_err_set(
		    err, OV_E_CONFIG,
		    "invalid registry scope %s: a wildcard is only valid as the whole scope \"*\", " HINT_SCOPE,
		    ov_quote(&q, scope));
	if (slash == NULL)
		return ov_err_set(
		    err, OV_E_CONFIG,
		    "invalid registry scope %s: expected <registry>/<repository>, " HINT_SCOPE,
		    ov_quote(&q, scope));
	if (!domain_valid(scope, (size_t)(slash - scope)))
		return ov_err_set(
		    err, OV_E_CONFIG,
		    "invalid registry scope %s: invalid registry host name or port, " HINT_SCOPE,
		    ov_quote(&q, scope));
	if (!repository_valid(slash + 1))
		return ov_err_set(
		    err, OV_E_CONFIG,
		    "invalid registry scope %s: the repository must be lowercase path components separated by '/', " HINT_SCOPE,
		    ov_quote(&q, scope));
	return OV_OK;
}

void
ov_policy_free(struct ov_policy *p)
{
	struct ov_policy_statement *st;
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		st = &p->statements[i];
		free(st->name);
		for (j = 0; j < st->nscopes; j++)
			free(st->scopes[j]);
		free(st->scopes);
		for (j = 0; j < st->nstores; j++)
			free(st->stores[j].name);
		free(st->stores);
		for (j = 0; j < st->nidentities; j++) {
			ov_dn_free(st->identities[j]);
			free(st->identity_strings[j]);
		}
		free(st->identities);
		free(st->identity_strings);
	}
	free(p->statements);
	ov_strv_free(p->warnings, p->nwarnings);
	free(p->path);
	free(p);
}

void
ov_policy_problems_clear(struct ov_policy_problems *pr)
{
	if (pr == NULL)
		return;
	ov_strv_free(pr->errors, pr->nerrors);
	ov_strv_free(pr->warnings, pr->nwarnings);
	memset(pr, 0, sizeof(*pr));
}

/* override: per-check actions on top of the level (E.4). */
static enum ov_code
apply_overrides(const cJSON *ovr, const struct ctx *c,
		struct ov_policy_statement *st, struct ov_err *err)
{
	const cJSON *m;
	struct ov_quote q;
	int k, a;

	for (m = ovr->child; m != NULL; m = m->next) {
		if (!cJSON_IsString(m) || m->valuestring == NULL)
			return fail(
			    err, OV_E_CONFIG, c,
			    ": member \"override\" must map verification types to strings");
		if ((k = lookup(check_names, NELEM(check_names), m->string)) <
		    0)
			return fail(
			    err, OV_E_CONFIG, c,
			    " has invalid signatureVerification: verification type %s in custom signature verification is not supported, supported values are [\"integrity\" \"authenticity\" \"authenticTimestamp\" \"expiry\" \"revocation\"]",
			    ov_quote(&q, m->string));
		if ((a = lookup(action_names, NELEM(action_names),
				m->valuestring)) < 0)
			return fail(
			    err, OV_E_CONFIG, c,
			    " has invalid signatureVerification: verification action %s in custom signature verification is not supported, supported values are [\"enforce\" \"log\" \"skip\"]",
			    ov_quote(&q, m->valuestring));
		if (k == OV_CHECK_INTEGRITY)
			return fail(
			    err, OV_E_CONFIG, c,
			    " has invalid signatureVerification: \"integrity\" verification can not be overridden in custom signature verification");
		if (k != OV_CHECK_REVOCATION && a == OV_ACTION_SKIP)
			return fail(
			    err, OV_E_CONFIG, c,
			    " has invalid signatureVerification: %s verification can not be skipped in custom signature verification",
			    ov_quote(&q, m->string));
		st->actions[k] = (enum ov_action)a;
		st->custom = 1;
	}
	return OV_OK;
}

/* signatureVerification: level, override, verifyTimestamp (E.4). */
static enum ov_code
parse_verification(const cJSON *js, const struct ctx *c, struct ov_policy *p,
		   struct ov_policy_statement *st, struct ov_err *err)
{
	const cJSON *sv = ov_json_get(js, "signatureVerification");
	const cJSON *ovr = NULL;
	const char *level = NULL, *vts = NULL;
	struct ov_quote q;
	int k;
	enum ov_code r;

	if (sv != NULL && !cJSON_IsNull(sv)) {
		if (!cJSON_IsObject(sv))
			return fail(
			    err, OV_E_CONFIG, c,
			    ": member \"signatureVerification\" must be an object");
		if ((r = check_spelling(sv, sv_keys, c, err)) != OV_OK ||
		    (r = unknown_members(sv, sv_keys, c, p, err)) != OV_OK ||
		    (r = get_str(sv, "level", c, &level, err)) != OV_OK ||
		    (r = get_str(sv, "verifyTimestamp", c, &vts, err)) != OV_OK)
			return r;
		ovr = ov_json_get(sv, "override");
		if (ovr != NULL && cJSON_IsNull(ovr))
			ovr = NULL;
		if (ovr != NULL && !cJSON_IsObject(ovr))
			return fail(err, OV_E_CONFIG, c,
				    ": member \"override\" must be an object");
	}
	if (level == NULL || *level == '\0')
		return fail(
		    err, OV_E_CONFIG, c,
		    " has invalid signatureVerification: signature verification level is empty or missing in the trust policy statement");
	if ((k = lookup(level_names, NELEM(level_names), level)) < 0)
		return fail(
		    err, OV_E_CONFIG, c,
		    " has invalid signatureVerification: invalid signature verification level %s",
		    ov_quote(&q, level));
	st->level = (enum ov_level)k;
	ov_level_actions(st->level, st->actions);
	if (ovr != NULL && ovr->child != NULL && st->level == OV_LEVEL_SKIP)
		return fail(
		    err, OV_E_CONFIG, c,
		    " has invalid signatureVerification: signature verification level \"skip\" can't be used to customize signature verification");
	if (ovr != NULL && (r = apply_overrides(ovr, c, st, err)) != OV_OK)
		return r;
	if (vts == NULL || *vts == '\0' || strcmp(vts, "always") == 0)
		st->verify_timestamp = OV_VERIFY_TS_ALWAYS;
	else if (strcmp(vts, "afterCertExpiry") == 0)
		st->verify_timestamp = OV_VERIFY_TS_AFTER_CERT_EXPIRY;
	else
		return fail(
		    err, OV_E_CONFIG, c,
		    " has invalid signatureVerification: verifyTimestamp must be \"always\" or \"afterCertExpiry\", but got %s",
		    ov_quote(&q, vts));
	return OV_OK;
}

/* trustStores: "<type>:<name>", duplicates collapsed (E.5 rule 6). */
static enum ov_code
parse_stores(const cJSON *arr, size_t n, const struct ctx *c,
	     struct ov_policy_statement *st, struct ov_err *err)
{
	const cJSON *e;
	const char *s, *colon;
	enum ov_store_type type;
	struct ov_quote q1, q2;
	size_t j;

	if ((st->stores = calloc(n, sizeof(*st->stores))) == NULL)
		return nomem(err);
	for (e = arr->child; e != NULL; e = e->next) {
		s = e->valuestring;
		if ((colon = strchr(s, ':')) == NULL)
			return fail(
			    err, OV_E_CONFIG, c,
			    " is missing separator in trust store value %s. The required format is <TrustStoreType>:<TrustStoreName>",
			    ov_quote(&q1, s));
		if (ov_store_type_parse(s, (size_t)(colon - s), &type) != 0)
			return fail(
			    err, OV_E_CONFIG, c,
			    " uses an unsupported trust store type %s in trust store value %s",
			    ov_quote_n(&q1, s, (size_t)(colon - s)),
			    ov_quote(&q2, s));
		if (!ov_store_name_valid(colon + 1))
			return fail(
			    err, OV_E_CONFIG, c,
			    " uses an unsupported trust store name %s in trust store value %s. Named store name needs to follow [a-zA-Z0-9_.-]+ format",
			    ov_quote(&q1, colon + 1), ov_quote(&q2, s));
		for (j = 0; j < st->nstores; j++)
			if (st->stores[j].type == type &&
			    strcmp(st->stores[j].name, colon + 1) == 0)
				break;
		if (j < st->nstores)
			continue;
		if ((st->stores[j].name = strdup(colon + 1)) == NULL)
			return nomem(err);
		st->stores[j].type = type;
		st->nstores++;
	}
	return OV_OK;
}

/* One "x509.subject:<DN>" entry, appended to st (E.5 rule 7, E.6). */
static enum ov_code
add_subject(const char *s, const char *value, const struct ctx *c,
	    struct ov_policy_statement *st, struct ov_err *err)
{
	struct ov_dn *dn = NULL;
	struct ov_quote q;
	char *copy;
	enum ov_code r;

	if (value[strspn(value, " ")] == '\0')
		return fail(
		    err, OV_E_CONFIG, c,
		    " has trusted identity %s without an identity value",
		    ov_quote(&q, s));
	if ((r = ov_dn_parse(value, &dn, err)) != OV_OK) {
		if (r == OV_E_NOMEM)
			return r;
		(void)ov_err_wrap(
		    err,
		    "%s: %s has trusted identity %s with invalid identity value",
		    c->path, c->who, ov_quote(&q, s));
		err->code = r == OV_E_LIMIT ? OV_E_LIMIT : OV_E_CONFIG;
		return err->code;
	}
	if ((copy = strdup(s)) == NULL) {
		ov_dn_free(dn);
		return nomem(err);
	}
	st->identities[st->nidentities] = dn;
	st->identity_strings[st->nidentities] = copy;
	st->nidentities++;
	return OV_OK;
}

/* trustedIdentities (E.5 rule 7). */
static enum ov_code
parse_identities(const cJSON *arr, size_t n, const struct ctx *c,
		 struct ov_policy_statement *st, struct ov_err *err)
{
	const cJSON *e;
	const char *s, *colon;
	struct ov_quote q1, q2;
	size_t i, j;
	enum ov_code r;

	for (e = arr->child; n > 1 && e != NULL; e = e->next)
		if (strcmp(e->valuestring, "*") == 0)
			return fail(
			    err, OV_E_CONFIG, c,
			    " uses a wildcard trusted identity '*', a wildcard identity cannot be used in conjunction with other values");
	if ((st->identities = calloc(n, sizeof(*st->identities))) == NULL ||
	    (st->identity_strings = calloc(n, sizeof(char *))) == NULL)
		return nomem(err);
	for (e = arr->child; e != NULL; e = e->next) {
		s = e->valuestring;
		if (*s == '\0')
			return fail(err, OV_E_CONFIG, c,
				    " has an empty trusted identity");
		if (strcmp(s, "*") == 0) {
			st->any_identity = 1;
			continue;
		}
		if ((colon = strchr(s, ':')) == NULL)
			return fail(
			    err, OV_E_CONFIG, c,
			    " has trusted identity %s missing separator",
			    ov_quote(&q1, s));
		if (colon - s == 12 && memcmp(s, "x509.subject", 12) == 0) {
			if ((r = add_subject(s, colon + 1, c, st, err)) !=
			    OV_OK)
				return r;
		} else {
			st->nother_identities++;
		}
	}
	for (i = 0; i < st->nidentities; i++)
		for (j = i + 1; j < st->nidentities; j++)
			if (ov_dn_overlaps(st->identities[i],
					   st->identities[j]))
				return fail(
				    err, OV_E_CONFIG, c,
				    " has overlapping x509 trustedIdentities, %s overlaps with %s",
				    ov_quote(&q1, st->identity_strings[i]),
				    ov_quote(&q2, st->identity_strings[j]));
	return OV_OK;
}

/* Copy registryScopes; they are validated once every statement is read,
 * as notation does. */
static enum ov_code
copy_scopes(const cJSON *arr, size_t n, struct ov_policy_statement *st,
	    struct ov_err *err)
{
	const cJSON *e;

	if (n == 0)
		return OV_OK;
	if ((st->scopes = calloc(n, sizeof(*st->scopes))) == NULL)
		return nomem(err);
	for (e = arr->child; e != NULL; e = e->next) {
		if ((st->scopes[st->nscopes] = strdup(e->valuestring)) == NULL)
			return nomem(err);
		st->nscopes++;
	}
	return OV_OK;
}

static enum ov_code
parse_statement(const cJSON *js, size_t idx, struct ov_policy *p,
		struct ov_err *err)
{
	struct ov_policy_statement *st = &p->statements[idx];
	const cJSON *stores, *ids, *scopes;
	const char *name = NULL;
	size_t nstores, nids, nscopes, j;
	struct ov_quote q;
	struct ctx c;
	enum ov_code r;

	ctx_statement(&c, p->path, idx, NULL);
	if (!cJSON_IsObject(js))
		return fail(err, OV_E_CONFIG, &c, ": must be an object");
	if ((r = check_spelling(js, statement_keys, &c, err)) != OV_OK)
		return r;
	if ((r = get_str(js, "name", &c, &name, err)) != OV_OK)
		return r;
	if (name == NULL)
		name = "";
	for (j = 0; j < idx; j++)
		if (p->statements[j].name != NULL &&
		    strcmp(p->statements[j].name, name) == 0)
			return ov_err_set(
			    err, OV_E_CONFIG,
			    "%s: multiple trust policy statements use the same name %s, statement names must be unique",
			    p->path, ov_quote(&q, name));
	if (*name == '\0')
		return fail(
		    err, OV_E_CONFIG, &c,
		    ": a trust policy statement is missing a name, every statement requires a name");
	if ((st->name = strdup(name)) == NULL)
		return nomem(err);
	ctx_statement(&c, p->path, idx, name);
	if ((r = unknown_members(js, statement_keys, &c, p, err)) != OV_OK ||
	    (r = parse_verification(js, &c, p, st, err)) != OV_OK ||
	    (r = get_strings(js, "trustStores", &c, &stores, &nstores, err)) !=
		OV_OK ||
	    (r = get_strings(js, "trustedIdentities", &c, &ids, &nids, err)) !=
		OV_OK ||
	    (r = get_strings(js, "registryScopes", &c, &scopes, &nscopes,
			     err)) != OV_OK)
		return r;
	if (st->level == OV_LEVEL_SKIP) {
		if (nstores > 0 || nids > 0)
			return fail(
			    err, OV_E_CONFIG, &c,
			    " is set to skip signature verification but configured with trust stores and/or trusted identities, remove them if signature verification needs to be skipped");
	} else {
		if (nstores == 0 || nids == 0)
			return fail(
			    err, OV_E_CONFIG, &c,
			    " is either missing trust stores or trusted identities, both must be specified");
		if ((r = parse_stores(stores, nstores, &c, st, err)) != OV_OK ||
		    (r = parse_identities(ids, nids, &c, st, err)) != OV_OK)
			return r;
	}
	return copy_scopes(scopes, nscopes, st, err);
}

struct scope_ref {
	const char *scope;
	size_t stmt; /* statement index */
	size_t pos;  /* position in the document */
};

static int
scope_ref_cmp(const void *a, const void *b)
{
	const struct scope_ref *x = a, *y = b;
	int d = strcmp(x->scope, y->scope);

	if (d != 0)
		return d;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * A scope value may occur once in the whole document. Sorting keeps this
 * O(n log n); of all repeats, the one that comes first in the document is
 * reported.
 */
static enum ov_code
check_scope_repeats(const struct ov_policy *p, size_t total, struct ov_err *err)
{
	struct scope_ref *refs = NULL;
	const struct scope_ref *dup = NULL, *first = NULL;
	size_t i, j, k = 0, group = 0;
	struct ov_quote q1, q2;
	struct ctx c;
	enum ov_code r = OV_E_INTERNAL;

	if (total < 2)
		return OV_OK;
	if ((refs = calloc(total, sizeof(*refs))) == NULL)
		return nomem(err);
	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->statements[i].nscopes; j++, k++) {
			refs[k].scope = p->statements[i].scopes[j];
			refs[k].stmt = i;
			refs[k].pos = k;
		}
	qsort(refs, total, sizeof(*refs), scope_ref_cmp);
	for (k = 1; k < total; k++) {
		if (strcmp(refs[k].scope, refs[group].scope) != 0) {
			group = k;
			continue;
		}
		if (dup == NULL || refs[k].pos < dup->pos) {
			dup = &refs[k];
			first = &refs[group];
		}
	}
	if (dup != NULL) {
		ctx_statement(&c, p->path, dup->stmt,
			      p->statements[dup->stmt].name);
		r = fail(
		    err, OV_E_CONFIG, &c,
		    ": registry scope %s is present in multiple trust policy statements, one registry scope value can only be associated with one statement (first in statement %s)",
		    ov_quote(&q1, dup->scope),
		    ov_quote(&q2, p->statements[first->stmt].name));
		goto out;
	}
	/* success */
	r = OV_OK;
out:
	free(refs);
	return r;
}

/*
 * Record a problem: with pr, append the message of err and go on (OV_OK
 * unless out of memory); without, return r (stop at the first).
 */
static enum ov_code
problem(struct ov_policy_problems *pr, enum ov_code r, struct ov_err *err)
{
	if (pr == NULL || r == OV_OK || r == OV_E_NOMEM)
		return r;
	return ov_strlist_add(&pr->errors, &pr->nerrors, err->msg, err);
}

/* registryScopes of every statement (E.5 rule 8); failed (may be NULL)
 * marks statements that did not parse, which are left out. */
static enum ov_code
check_scopes(const struct ov_policy *p, const unsigned char *failed,
	     struct ov_policy_problems *pr, struct ov_err *err)
{
	const struct ov_policy_statement *st;
	size_t i, j, total = 0;
	struct ctx c;
	enum ov_code r;

	for (i = 0; i < p->n; i++) {
		if (failed != NULL && failed[i])
			continue;
		st = &p->statements[i];
		ctx_statement(&c, p->path, i, st->name);
		if (st->nscopes == 0 &&
		    (r = problem(pr,
			 fail(err, OV_E_CONFIG, &c,
			     " has zero registry scopes, it must specify registry scopes with at least one value"),
			 err)) != OV_OK)
			return r;
		for (j = 0; st->nscopes > 1 && j < st->nscopes; j++)
			if (strcmp(st->scopes[j], "*") == 0) {
				if ((r = problem(pr,
					 fail(err, OV_E_CONFIG, &c,
					     " uses wildcard registry scope '*', a wildcard scope cannot be used in conjunction with other scope values"),
					 err)) != OV_OK)
					return r;
				break;
			}
		for (j = 0; j < st->nscopes; j++) {
			if (strcmp(st->scopes[j], "*") == 0)
				continue;
			if ((r = ov_scope_validate(st->scopes[j], err)) !=
				OV_OK &&
			    (r = problem(pr,
				 ov_err_wrap(err, "%s: %s", c.path, c.who),
				 err)) != OV_OK)
				return r;
		}
		total += st->nscopes;
	}
	if (pr != NULL && pr->nerrors > 0)
		return OV_OK; /* repeats only among valid statements */
	return problem(pr, check_scope_repeats(p, total, err), err);
}

/* Free what statement st holds and zero it, keeping its name. */
static void
statement_clear(struct ov_policy_statement *st)
{
	char *name = st->name;
	size_t j;

	for (j = 0; j < st->nscopes; j++)
		free(st->scopes[j]);
	free(st->scopes);
	for (j = 0; j < st->nstores; j++)
		free(st->stores[j].name);
	free(st->stores);
	for (j = 0; j < st->nidentities; j++) {
		ov_dn_free(st->identities[j]);
		free(st->identity_strings[j]);
	}
	free(st->identities);
	free(st->identity_strings);
	memset(st, 0, sizeof(*st));
	st->name = name;
}

/*
 * The document, validated rule by rule. Without pr the first problem is
 * returned; with pr every problem is recorded there and OV_OK returned
 * (*out NULL when there is one).
 */
static enum ov_code
parse_policy(const void *data, size_t len, const char *path,
	     struct ov_policy **out, struct ov_policy_problems *pr,
	     struct ov_err *err)
{
	struct ov_policy *p = NULL;
	unsigned char *failed = NULL;
	cJSON *root = NULL;
	const cJSON *arr, *js;
	const char *version = NULL;
	struct ov_quote q;
	struct ctx c;
	size_t n = 0, i;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if (path == NULL)
		path = "trust policy";
	if ((r = ov_json_parse(data, len, path, &root, err)) != OV_OK)
		return problem(pr, r, err);
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->path = strdup(path)) == NULL) {
		r = nomem(err);
		goto out;
	}
	ctx_document(&c, p->path);
	if (!cJSON_IsObject(root)) {
		r = problem(pr, fail(err, OV_E_CONFIG, &c, " must be a JSON object"),
		    err);
		goto out;
	}
	if ((r = check_spelling(root, document_keys, &c, err)) != OV_OK ||
	    (r = get_str(root, "version", &c, &version, err)) != OV_OK) {
		r = problem(pr, r, err);
		goto out;
	}
	if ((r = unknown_members(root, document_keys, &c, p, err)) != OV_OK)
		goto out;
	if (version == NULL || *version == '\0')
		r = fail(err, OV_E_CONFIG, &c,
			 " has empty version, version must be specified");
	else if (strcmp(version, "1.0") != 0)
		r = fail(err, OV_E_CONFIG, &c, " uses unsupported version %s",
			 ov_quote(&q, version));
	if (r != OV_OK && (r = problem(pr, r, err)) != OV_OK)
		goto out;
	arr = ov_json_get(root, "trustPolicies");
	if (arr != NULL && !cJSON_IsNull(arr) && !cJSON_IsArray(arr)) {
		r = problem(pr,
		    fail(err, OV_E_CONFIG, &c,
			": member \"trustPolicies\" must be an array"),
		    err);
		goto out;
	}
	for (js = arr != NULL ? arr->child : NULL; js != NULL; js = js->next)
		n++;
	if (n == 0) {
		r = problem(pr,
		    fail(err, OV_E_CONFIG, &c,
			" can not have zero trust policy statements"),
		    err);
		goto out;
	}
	if (n > OV_MAX_POLICY_STATEMENTS) {
		r = problem(pr,
		    fail(err, OV_E_LIMIT, &c,
			" has more than %d trust policy statements",
			OV_MAX_POLICY_STATEMENTS),
		    err);
		goto out;
	}
	if ((p->statements = calloc(n, sizeof(*p->statements))) == NULL ||
	    (failed = calloc(n, 1)) == NULL) {
		r = nomem(err);
		goto out;
	}
	for (i = 0, js = arr->child; js != NULL; i++, js = js->next) {
		p->n = i + 1; /* so that ov_policy_free() sees it */
		if ((r = parse_statement(js, i, p, err)) != OV_OK) {
			if ((r = problem(pr, r, err)) != OV_OK)
				goto out;
			failed[i] = 1;
			statement_clear(&p->statements[i]);
		}
	}
	if ((r = check_scopes(p, failed, pr, err)) != OV_OK)
		goto out;
	/* success, or with pr the statements that parsed */
	r = OV_OK;
out:
	if (pr != NULL && p != NULL && r == OV_OK) {
		/* the warnings go with the problems */
		pr->warnings = p->warnings;
		pr->nwarnings = p->nwarnings;
		p->warnings = NULL;
		p->nwarnings = 0;
	}
	if (r == OV_OK && p != NULL && p->n > 0) {
		*out = p;
		p = NULL; /* transferred */
	}
	free(failed);
	ov_policy_free(p);
	cJSON_Delete(root);
	return r;
}

enum ov_code
ov_policy_parse(const void *data, size_t len, const char *path,
		struct ov_policy **out, struct ov_err *err)
{
	return parse_policy(data, len, path, out, NULL, err);
}

enum ov_code
ov_policy_check(const void *data, size_t len, const char *path,
		struct ov_policy **out, struct ov_policy_problems *pr,
		struct ov_err *err)
{
	enum ov_code r;

	memset(pr, 0, sizeof(*pr));
	if ((r = parse_policy(data, len, path, out, pr, err)) != OV_OK) {
		ov_policy_free(*out);
		*out = NULL;
		ov_policy_problems_clear(pr);
	}
	return r;
}

enum ov_code
ov_policy_load(const char *path, struct ov_policy **out, struct ov_err *err)
{
	struct ov_buf b;
	enum ov_code r;

	*out = NULL;
	ov_buf_init(&b, OV_MAX_POLICY);
	if ((r = ov_buf_read_file(&b, AT_FDCWD, path, err)) != OV_OK) {
		if (r == OV_E_NOTFOUND)
			(void)ov_err_set(err, r,
					 "trust policy %s is not present",
					 path);
		goto out;
	}
	r = ov_policy_parse(b.data != NULL ? (const void *)b.data : "", b.len,
			    path, out, err);
out:
	ov_buf_free(&b);
	return r;
}

const struct ov_policy_statement *
ov_policy_select(const struct ov_policy *p, const char *scope)
{
	const struct ov_policy_statement *wildcard = NULL;
	size_t i, j;

	for (i = 0; i < p->n; i++)
		for (j = 0; j < p->statements[i].nscopes; j++) {
			const char *s = p->statements[i].scopes[j];

			if (strcmp(s, "*") == 0)
				wildcard = &p->statements[i];
			else if (scope != NULL && strcmp(s, scope) == 0)
				return &p->statements[i];
		}
	return wildcard;
}

/* ---- comparing statements ------------------------------------------------ */

static const char *const action_done[] = {
    [OV_ACTION_ENFORCE] = "enforced",
    [OV_ACTION_LOG] = "logged",
    [OV_ACTION_SKIP] = "skipped",
};

static int
has_store(const struct ov_policy_statement *st, const struct ov_store_ref *s)
{
	size_t i;

	for (i = 0; i < st->nstores; i++)
		if (st->stores[i].type == s->type &&
		    strcmp(st->stores[i].name, s->name) == 0)
			return 1;
	return 0;
}

static size_t
count_stores(const struct ov_policy_statement *st, enum ov_store_type type)
{
	size_t i, n = 0;

	for (i = 0; i < st->nstores; i++)
		if (st->stores[i].type == type)
			n++;
	return n;
}

/*
 * Does every subject that identity id matches also match wide? Each
 * attribute of wide must be in id with the same value: an attribute
 * absent from a subject compares as empty (dn.c), so presence in id is
 * required even for an empty value.
 */
static int
identity_covered(const struct ov_dn *wide, const struct ov_dn *id)
{
	size_t i, j;

	for (i = 0; i < wide->n; i++) {
		for (j = 0; j < id->n; j++)
			if (strcmp(wide->attrs[i].type, id->attrs[j].type) ==
				0 &&
			    strcmp(wide->attrs[i].value, id->attrs[j].value) ==
				0)
				break;
		if (j == id->n)
			return 0;
	}
	return 1;
}

static const char *
vts_name(enum ov_verify_timestamp v)
{
	return v == OV_VERIFY_TS_ALWAYS ? "always" : "afterCertExpiry";
}

static enum ov_code
stores_as_strict(const struct ov_policy_statement *st,
		 const struct ov_policy_statement *base, struct ov_err *err)
{
	struct ov_quote q;
	size_t i, ntsa = count_stores(st, OV_STORE_TSA);
	int same_tsa = ntsa == count_stores(base, OV_STORE_TSA);

	for (i = 0; i < st->nstores; i++) {
		if (has_store(base, &st->stores[i]))
			continue;
		if (st->stores[i].type == OV_STORE_TSA) {
			same_tsa = 0;
			continue;
		}
		return ov_err_set(
		    err, OV_E_POLICY,
		    "it trusts store \"%s:%s\", which statement %s does not",
		    ov_store_type_name(st->stores[i].type), st->stores[i].name,
		    ov_quote(&q, base->name));
	}
	/* tsa stores both widen (an expired chain passes with a timestamp)
	 * and narrow (a timestamp is required) what passes: the same set
	 * (stores are deduplicated, so equal counts and inclusion). */
	if (!same_tsa)
		return ov_err_set(
		    err, OV_E_POLICY,
		    "its tsa trust stores are not those of statement %s",
		    ov_quote(&q, base->name));
	if (ntsa > 0 && st->verify_timestamp != base->verify_timestamp)
		return ov_err_set(
		    err, OV_E_POLICY,
		    "its verifyTimestamp \"%s\" is not the \"%s\" of statement %s",
		    vts_name(st->verify_timestamp),
		    vts_name(base->verify_timestamp), ov_quote(&q, base->name));
	return OV_OK;
}

static enum ov_code
identities_as_strict(const struct ov_policy_statement *st,
		     const struct ov_policy_statement *base, struct ov_err *err)
{
	struct ov_quote q1, q2;
	size_t i, j;

	if (base->any_identity)
		return OV_OK;
	if (st->any_identity)
		return ov_err_set(
		    err, OV_E_POLICY,
		    "it trusts any identity (\"*\"), statement %s only those it lists",
		    ov_quote(&q1, base->name));
	for (i = 0; i < st->nidentities; i++) {
		for (j = 0; j < base->nidentities; j++)
			if (identity_covered(base->identities[j],
					     st->identities[i]))
				break;
		if (j == base->nidentities)
			return ov_err_set(
			    err, OV_E_POLICY,
			    "it trusts identity %s, which no trusted identity of statement %s covers",
			    ov_quote(&q1, st->identity_strings[i]),
			    ov_quote(&q2, base->name));
	}
	return OV_OK;
}

enum ov_code
ov_policy_as_strict(const struct ov_policy_statement *st,
		    const struct ov_policy_statement *base, struct ov_err *err)
{
	enum ov_action strict[OV_CHECK__COUNT];
	const enum ov_action *want = strict;
	enum ov_code r;
	size_t k;

	if (st == base || (base != NULL && base->level == OV_LEVEL_SKIP))
		return OV_OK;
	if (st->level == OV_LEVEL_SKIP)
		return ov_err_set(err, OV_E_POLICY,
				  "it skips signature verification");
	ov_level_actions(OV_LEVEL_STRICT, strict);
	if (base != NULL)
		want = base->actions;
	/* enum ov_action runs enforce, log, skip: a larger one is weaker */
	for (k = 0; k < OV_CHECK__COUNT; k++)
		if (st->actions[k] > want[k])
			return ov_err_set(err, OV_E_POLICY, "%s is %s, not %s",
					  check_names[k],
					  action_done[st->actions[k]],
					  action_done[want[k]]);
	if (base == NULL)
		return OV_OK;
	if ((r = stores_as_strict(st, base, err)) != OV_OK)
		return r;
	return identities_as_strict(st, base, err);
}
