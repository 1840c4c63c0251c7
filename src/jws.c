/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JWS envelopes (signature-envelope-jws.md; spec digest B.2, B.3): the
 * flattened JWS JSON serialization of RFC 7515 section 7.2.2 only. Checks
 * the protected header rules of notation-core-go (crit, signing scheme,
 * times), keeps the signing input exactly as it appears in the envelope,
 * and leaves the signature and the certificates to the caller.
 */
#include "config.h"

#include "envelope.h"

#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "buf.h"
#include "json.h"
#include "ovlimits.h"
#include "timeutil.h"

#define W_ENV "jws envelope"
#define W_PROT "jws protected header"
#define W_HDR "jws header"

/* Protected members with a meaning of their own (notation "headerKeys"). */
static const char *const system_keys[] = {
    "alg",
    "cty",
    "crit",
    OV_HDR_EXPIRY,
    OV_HDR_SIGNING_TIME,
    OV_HDR_SIGNING_SCHEME,
    OV_HDR_AUTHENTIC_SIGNING_TIME,
    NULL,
};

/* Unprotected members read here (the signing agent is only informational
 * and may differ in case: notation-go's own mock envelopes do). */
static const char *const header_keys[] = {
    "x5c",
    OV_HDR_TIMESTAMP,
    NULL,
};

static int
in_list(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static int
in_crit(const cJSON *crit, const char *name)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, crit)
	{
		if (strcmp(e->valuestring, name) == 0)
			return 1;
	}
	return 0;
}

static int
is_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* An optional RFC 3339 time member of the protected header. */
static enum ov_code
get_time(const cJSON *h, const char *key, int *has, int64_t *t,
	 struct ov_err *err)
{
	const char *s = NULL;
	enum ov_code r;

	*has = 0;
	if ((r = ov_json_string(h, key, 0, W_PROT, &s, err)) != OV_OK)
		return r;
	if (s == NULL)
		return OV_OK;
	if ((r = ov_time_parse(s, t, NULL, err)) != OV_OK)
		return ov_err_wrap(err, W_PROT ": \"%s\"", key);
	*has = 1;
	return OV_OK;
}

/*
 * notation-core-go validateCriticalHeaders: crit names signingScheme, the
 * expiry when present and authenticSigningTime for the signingAuthority
 * scheme; any other entry must name a present extended attribute (so a
 * system name, or a required name listed twice, fails).
 */
static enum ov_code
check_crit(const cJSON *h, const cJSON *crit, const struct ov_envelope *env,
	   struct ov_err *err)
{
	const char *must[3];
	int pending[3];
	char missing[256];
	const cJSON *e;
	size_t i, off;

	must[0] = OV_HDR_SIGNING_SCHEME;
	pending[0] = 1;
	must[1] = OV_HDR_EXPIRY;
	pending[1] = env->has_expiry;
	must[2] = OV_HDR_AUTHENTIC_SIGNING_TIME;
	pending[2] = env->scheme == OV_SCHEME_SIGNING_AUTHORITY;
	cJSON_ArrayForEach(e, crit)
	{
		for (i = 0; i < 3; i++)
			if (pending[i] && strcmp(e->valuestring, must[i]) == 0)
				break;
		if (i < 3) {
			pending[i] = 0;
			continue;
		}
		if (in_list(system_keys, e->valuestring) ||
		    ov_json_get(h, e->valuestring) == NULL)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": \"%.64s\" header is marked critical but not present",
			    e->valuestring);
	}
	missing[0] = '\0';
	for (i = 0, off = 0; i < 3; i++) {
		if (!pending[i])
			continue;
		(void)snprintf(missing + off, sizeof(missing) - off, "%s%s",
			       off ? " " : "", must[i]);
		off = strlen(missing);
	}
	if (off > 0)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_PROT
		    ": these required headers are not marked as critical: [%s]",
		    missing);
	return OV_OK;
}

static enum ov_code
get_plugin(const cJSON *h, const cJSON *crit, const char *key, int nonblank,
	   char **out, struct ov_err *err)
{
	const char *s = NULL;
	enum ov_code r;

	if ((r = ov_json_string(h, key, 0, W_PROT, &s, err)) != OV_OK ||
	    s == NULL)
		return r;
	if (nonblank && is_blank(s))
		return ov_err_set(err, OV_E_FORMAT, W_PROT ": \"%s\" is blank",
				  key);
	if (!in_crit(crit, key))
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT ": \"%s\" is not marked critical",
				  key);
	if ((*out = strdup(s)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

static enum ov_code
add_attrs(struct ov_envelope *env, const cJSON *h, const cJSON *crit,
	  struct ov_err *err)
{
	const cJSON *m;
	char *printed;
	enum ov_code r;

	for (m = h->child; m != NULL; m = m->next) {
		if (in_list(system_keys, m->string) ||
		    strcmp(m->string, OV_HDR_PLUGIN) == 0 ||
		    strcmp(m->string, OV_HDR_PLUGIN_MIN_VERSION) == 0)
			continue;
		if (cJSON_IsString(m)) {
			r = ov_envelope_add_attr(env, m->string, m->valuestring,
						 in_crit(crit, m->string), err);
		} else {
			if ((printed = cJSON_PrintUnformatted(m)) == NULL)
				return ov_err_set(err, OV_E_NOMEM,
						  "out of memory");
			r = ov_envelope_add_attr(env, m->string, printed,
						 in_crit(crit, m->string), err);
			cJSON_free(printed);
		}
		if (r != OV_OK)
			return r;
	}
	return OV_OK;
}

static enum ov_code
parse_times(struct ov_envelope *env, const cJSON *h, struct ov_err *err)
{
	int has_st = 0, has_ast = 0;
	int64_t st = 0, ast = 0;
	enum ov_code r;

	if ((r = get_time(h, OV_HDR_SIGNING_TIME, &has_st, &st, err)) !=
		OV_OK ||
	    (r = get_time(h, OV_HDR_AUTHENTIC_SIGNING_TIME, &has_ast, &ast,
			  err)) != OV_OK ||
	    (r = get_time(h, OV_HDR_EXPIRY, &env->has_expiry, &env->expiry,
			  err)) != OV_OK)
		return r;
	if (env->scheme == OV_SCHEME_X509) {
		if (has_ast)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": \"" OV_HDR_AUTHENTIC_SIGNING_TIME
			    "\" header must not be present for notary.x509 signing scheme");
		if (!has_st)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": \"" OV_HDR_SIGNING_TIME
			    "\" header must be present for notary.x509 signing scheme");
		env->signing_time = st;
	} else {
		if (has_st)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": \"" OV_HDR_SIGNING_TIME
			    "\" header must not be present for notary.x509.signingAuthority signing scheme");
		if (!has_ast)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": \"" OV_HDR_AUTHENTIC_SIGNING_TIME
			    "\" header must be present for notary.x509.signingAuthority signing scheme");
		env->signing_time = ast;
	}
	return OV_OK;
}

static enum ov_code
parse_protected(struct ov_envelope *env, const unsigned char *p, size_t n,
		struct ov_err *err)
{
	cJSON *h = NULL;
	const cJSON *crit = NULL, *e;
	const char *s = NULL;
	size_t i = 0;
	enum ov_code r;

	if ((r = ov_json_parse(p, n, W_PROT, &h, err)) != OV_OK)
		return r;
	if (!cJSON_IsObject(h)) {
		r = ov_err_set(err, OV_E_FORMAT, W_PROT ": not a JSON object");
		goto out;
	}
	if ((r = ov_json_no_case_variant(h, system_keys, W_PROT, err)) != OV_OK)
		goto out;
	if ((r = ov_json_string(h, "alg", 1, W_PROT, &s, err)) != OV_OK)
		goto out;
	if ((env->alg = ov_sig_alg_from_jws(s)) == OV_ALG_UNKNOWN) {
		r = ov_err_set(
		    err, OV_E_UNSUPPORTED,
		    W_PROT ": signature algorithm \"%.64s\" is not supported",
		    s);
		goto out;
	}
	if ((r = ov_json_string(h, "cty", 1, W_PROT, &s, err)) != OV_OK)
		goto out;
	if ((env->content_type = strdup(s)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_json_string(h, OV_HDR_SIGNING_SCHEME, 1, W_PROT, &s,
				err)) != OV_OK)
		goto out;
	if ((env->scheme = ov_scheme_from_name(s)) == OV_SCHEME_UNKNOWN) {
		r = ov_err_set(err, OV_E_UNSUPPORTED,
			       W_PROT
			       ": signing scheme \"%.64s\" is not supported",
			       s);
		goto out;
	}
	if ((r = parse_times(env, h, err)) != OV_OK)
		goto out;
	if ((r = ov_json_array(h, "crit", 1, W_PROT, &crit, err)) != OV_OK)
		goto out;
	if (cJSON_GetArraySize(crit) == 0) {
		r = ov_err_set(err, OV_E_FORMAT,
			       W_PROT ": \"crit\" must not be empty");
		goto out;
	}
	cJSON_ArrayForEach(e, crit)
	{
		if (!cJSON_IsString(e) || e->valuestring == NULL) {
			r = ov_err_set(err, OV_E_FORMAT,
				       W_PROT ": crit[%zu] must be a string",
				       i);
			goto out;
		}
		i++;
	}
	if ((r = check_crit(h, crit, env, err)) != OV_OK ||
	    (r = get_plugin(h, crit, OV_HDR_PLUGIN, 1, &env->plugin, err)) !=
		OV_OK ||
	    (r = get_plugin(h, crit, OV_HDR_PLUGIN_MIN_VERSION, 0,
			    &env->plugin_min_version, err)) != OV_OK ||
	    (r = add_attrs(env, h, crit, err)) != OV_OK)
		goto out;
	r = OV_OK;
out:
	cJSON_Delete(h);
	return r;
}

static enum ov_code
parse_header(struct ov_envelope *env, const cJSON *hdr, struct ov_err *err)
{
	const cJSON *x5c = NULL, *agent, *e;
	const char *s = NULL;
	unsigned char *der = NULL;
	size_t n = 0, i = 0;
	enum ov_code r;

	if ((r = ov_json_no_case_variant(hdr, header_keys, W_HDR, err)) !=
		OV_OK ||
	    (r = ov_json_array(hdr, "x5c", 1, W_HDR, &x5c, err)) != OV_OK)
		return r;
	if (cJSON_GetArraySize(x5c) == 0)
		return ov_err_set(err, OV_E_FORMAT,
				  W_HDR
				  ": certificate chain (x5c) is not present");
	if (cJSON_GetArraySize(x5c) > OV_MAX_CHAIN)
		return ov_err_set(err, OV_E_LIMIT,
				  W_HDR ": x5c has more than %d certificates",
				  OV_MAX_CHAIN);
	cJSON_ArrayForEach(e, x5c)
	{
		if (!cJSON_IsString(e) || e->valuestring == NULL)
			return ov_err_set(err, OV_E_FORMAT,
					  W_HDR ": x5c[%zu] must be a string",
					  i);
		if ((r = ov_b64_decode(e->valuestring, strlen(e->valuestring),
				       &der, &n, err)) != OV_OK)
			return ov_err_wrap(err, W_HDR ": x5c[%zu]", i);
		r = ov_envelope_add_cert(env, der, n, err);
		free(der);
		if (r != OV_OK)
			return ov_err_wrap(err, W_HDR ": x5c[%zu]", i);
		i++;
	}
	if ((r = ov_json_string(hdr, OV_HDR_TIMESTAMP, 0, W_HDR, &s, err)) !=
	    OV_OK)
		return r;
	if (s != NULL) {
		if ((r = ov_b64_decode(s, strlen(s), &env->timestamp.p,
				       &env->timestamp.n, err)) != OV_OK)
			return ov_err_wrap(err, W_HDR ": \"%s\"",
					   OV_HDR_TIMESTAMP);
	}
	/*
	 * The signing agent is informational, and notation-go's own mock
	 * envelopes spell it "io.cncf.notary.SigningAgent": read the exact
	 * name only and let a variant be, instead of refusing it.
	 */
	if ((agent = ov_json_get(hdr, OV_HDR_SIGNING_AGENT)) != NULL) {
		if (!cJSON_IsString(agent) || agent->valuestring == NULL)
			return ov_err_set(err, OV_E_FORMAT,
					  W_HDR
					  ": member \"%s\" must be a string",
					  OV_HDR_SIGNING_AGENT);
		if ((env->signing_agent = strdup(agent->valuestring)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	return OV_OK;
}

/* Decode one unpadded base64url member of the envelope. */
static enum ov_code
member_b64url(const char *name, const char *s, struct ov_bytes *out,
	      struct ov_err *err)
{
	if (ov_b64url_decode(s, strlen(s), &out->p, &out->n, err) != OV_OK)
		return ov_err_wrap(err, W_ENV ": %s", name);
	return OV_OK;
}

static const char *const top_keys[] = {
    "payload", "protected", "header", "signature", NULL,
};

enum ov_code
ov_jws_parse(const void *data, size_t len, struct ov_envelope **out,
	     struct ov_err *err)
{
	cJSON *root = NULL;
	const cJSON *hdr = NULL;
	const char *prot_s = NULL, *payload_s = NULL, *sig_s = NULL;
	struct ov_envelope *env = NULL;
	struct ov_bytes prot = {NULL, 0};
	struct ov_buf tbs;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	ov_buf_init(&tbs, 2 * OV_MAX_ENVELOPE);
	if (len > OV_MAX_ENVELOPE) {
		r = ov_err_set(err, OV_E_LIMIT, W_ENV ": larger than %zu bytes",
			       OV_MAX_ENVELOPE);
		goto out;
	}
	if ((r = ov_json_parse(data, len, W_ENV, &root, err)) != OV_OK)
		goto out;
	if (!cJSON_IsObject(root)) {
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    W_ENV
		    ": not a JSON object (want the flattened JWS JSON serialization)");
		goto out;
	}
	if (ov_json_get(root, "signatures") != NULL) {
		r = ov_err_set(
		    err, OV_E_UNSUPPORTED,
		    W_ENV
		    ": the general JWS JSON serialization is not supported (want the flattened one)");
		goto out;
	}
	if ((r = ov_json_only_keys(root, top_keys, W_ENV, err)) != OV_OK ||
	    (r = ov_json_string(root, "payload", 1, W_ENV, &payload_s, err)) !=
		OV_OK ||
	    (r = ov_json_string(root, "protected", 1, W_ENV, &prot_s, err)) !=
		OV_OK ||
	    (r = ov_json_object(root, "header", 1, W_ENV, &hdr, err)) !=
		OV_OK ||
	    (r = ov_json_string(root, "signature", 1, W_ENV, &sig_s, err)) !=
		OV_OK)
		goto out;
	if ((r = ov_envelope_new(OV_MT_JWS, &env, err)) != OV_OK)
		goto out;
	env->pss_salt = OV_PSS_SALT_AUTO;
	if ((r = member_b64url("protected", prot_s, &prot, err)) != OV_OK ||
	    (r = member_b64url("payload", payload_s, &env->payload, err)) !=
		OV_OK ||
	    (r = member_b64url("signature", sig_s, &env->sig, err)) != OV_OK)
		goto out;
	if (env->payload.n > OV_MAX_PAYLOAD) {
		r = ov_err_set(err, OV_E_LIMIT,
			       W_ENV ": payload is larger than %zu bytes",
			       OV_MAX_PAYLOAD);
		goto out;
	}
	if ((r = parse_protected(env, prot.p, prot.n, err)) != OV_OK ||
	    (r = parse_header(env, hdr, err)) != OV_OK)
		goto out;
	/* RFC 7515 section 5.2: the signing input is the two encoded parts
	 * exactly as they appear in the envelope. */
	if ((r = ov_buf_adds(&tbs, prot_s, err)) != OV_OK ||
	    (r = ov_buf_add(&tbs, ".", 1, err)) != OV_OK ||
	    (r = ov_buf_adds(&tbs, payload_s, err)) != OV_OK)
		goto out;
	env->tbs.n = tbs.len;
	if ((env->tbs.p = (unsigned char *)ov_buf_steal(&tbs)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_envelope_check(env, W_ENV, err)) != OV_OK)
		goto out;
	/* success */
	*out = env;
	env = NULL; /* transferred */
	r = OV_OK;
out:
	ov_buf_free(&tbs);
	free(prot.p);
	ov_envelope_free(env);
	cJSON_Delete(root);
	return r;
}
