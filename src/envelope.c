/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signature envelopes: dispatch on the envelope media type
 * (signature-specification.md "Signature Envelope"), the format-neutral
 * struct and the checks shared by JWS and COSE (spec digest B.2, B.5).
 */
#include "config.h"

#include "envelope.h"

#include <stdlib.h>
#include <string.h>

#include "ovlimits.h"

enum ov_code
ov_envelope_parse(const char *media_type, const void *data, size_t len,
		  struct ov_envelope **out, struct ov_err *err)
{
	*out = NULL;
	if (media_type != NULL && strcmp(media_type, OV_MT_JWS) == 0)
		return ov_jws_parse(data, len, out, err);
	if (media_type != NULL && strcmp(media_type, OV_MT_COSE) == 0)
		return ov_cose_parse(data, len, out, err);
	return ov_err_set(
	    err, OV_E_UNSUPPORTED,
	    "signature envelope format with media type \"%.128s\" is not supported",
	    media_type != NULL ? media_type : "");
}

static void
bytes_clear(struct ov_bytes *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

void
ov_envelope_free(struct ov_envelope *env)
{
	size_t i;

	if (env == NULL)
		return;
	free(env->content_type);
	free(env->plugin);
	free(env->plugin_min_version);
	for (i = 0; i < env->nattrs; i++) {
		free(env->attrs[i].name);
		free(env->attrs[i].value);
	}
	free(env->attrs);
	free(env->signing_agent);
	bytes_clear(&env->timestamp);
	for (i = 0; i < env->ncerts; i++)
		bytes_clear(&env->certs[i]);
	free(env->certs);
	bytes_clear(&env->payload);
	bytes_clear(&env->tbs);
	bytes_clear(&env->sig);
	free(env);
}

const char *
ov_scheme_name(enum ov_scheme scheme)
{
	switch (scheme) {
	case OV_SCHEME_X509:
		return "notary.x509";
	case OV_SCHEME_SIGNING_AUTHORITY:
		return "notary.x509.signingAuthority";
	default:
		return NULL;
	}
}

enum ov_scheme
ov_scheme_from_name(const char *name)
{
	if (name == NULL)
		return OV_SCHEME_UNKNOWN;
	if (strcmp(name, "notary.x509") == 0)
		return OV_SCHEME_X509;
	if (strcmp(name, "notary.x509.signingAuthority") == 0)
		return OV_SCHEME_SIGNING_AUTHORITY;
	return OV_SCHEME_UNKNOWN;
}

enum ov_code
ov_envelope_new(const char *media_type, struct ov_envelope **out,
		struct ov_err *err)
{
	struct ov_envelope *env;

	*out = NULL;
	if ((env = calloc(1, sizeof(*env))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	env->media_type = media_type;
	*out = env;
	return OV_OK;
}

static char *
dup_str(const char *s)
{
	size_t n = strlen(s);
	char *d;

	if ((d = malloc(n + 1)) != NULL)
		memcpy(d, s, n + 1);
	return d;
}

enum ov_code
ov_envelope_add_attr(struct ov_envelope *env, const char *name,
		     const char *value, int critical, struct ov_err *err)
{
	struct ov_attr *a;
	char *n = NULL, *v = NULL;

	if ((n = dup_str(name)) == NULL || (v = dup_str(value)) == NULL ||
	    (a = realloc(env->attrs, (env->nattrs + 1) * sizeof(*a))) == NULL) {
		free(n);
		free(v);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	env->attrs = a;
	a[env->nattrs].name = n;
	a[env->nattrs].value = v;
	a[env->nattrs].critical = critical != 0;
	env->nattrs++;
	return OV_OK;
}

enum ov_code
ov_envelope_add_cert(struct ov_envelope *env, const void *der, size_t n,
		     struct ov_err *err)
{
	struct ov_bytes *c;
	unsigned char *p;

	if (env->ncerts >= OV_MAX_CHAIN)
		return ov_err_set(
		    err, OV_E_LIMIT,
		    "certificate chain has more than %d certificates",
		    OV_MAX_CHAIN);
	if (n == 0)
		return ov_err_set(err, OV_E_FORMAT,
				  "certificate %zu in the chain is empty",
				  env->ncerts);
	if ((p = malloc(n)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((c = realloc(env->certs, (env->ncerts + 1) * sizeof(*c))) == NULL) {
		free(p);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	memcpy(p, der, n);
	env->certs = c;
	c[env->ncerts].p = p;
	c[env->ncerts].n = n;
	env->ncerts++;
	return OV_OK;
}

enum ov_code
ov_envelope_check(const struct ov_envelope *env, const char *what,
		  struct ov_err *err)
{
	if (env->alg == OV_ALG_UNKNOWN)
		return ov_err_set(err, OV_E_UNSUPPORTED,
				  "%s: signature algorithm is not supported",
				  what);
	if (env->payload.n == 0)
		return ov_err_set(err, OV_E_FORMAT, "%s: payload is empty",
				  what);
	if (env->sig.n == 0)
		return ov_err_set(err, OV_E_FORMAT, "%s: signature is empty",
				  what);
	if (env->signing_time == OV_GO_ZERO_TIME)
		return ov_err_set(err, OV_E_FORMAT, "%s: signing time missing",
				  what);
	if (env->has_expiry && env->expiry <= env->signing_time)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "%s: expiry cannot be equal or before the signing time",
		    what);
	return OV_OK;
}
