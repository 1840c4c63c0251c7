/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One certificate against CRLs (RFC 5280 6.3; notation's validateCRL and
 * checkRevocation): the loaded CRLs of its issuer and notation's cache
 * entries for its distribution points, each judged usable or not (issuer
 * name and key, signature, critical extensions, times, scope), then the
 * newest base CRL of each scope with the delta CRL that applies to it.
 */
#include "config.h"

#include "revocation.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "b64.h"
#include "buf.h"
#include "json.h"
#include "revocation_int.h"
#include "text.h"
#include "timeutil.h"
#include "x509.h"

/* CRL reason codes (RFC 5280 5.3.1) that do not revoke for good. */
#define REASON_HOLD 6
#define REASON_REMOVE 8

/* A CRL considered for one certificate. */
struct cand {
	X509_CRL *crl; /* borrowed from rv, or from cands.owned */
	char *src;
	int from_cache;
	int usable;
	int is_delta;
	int64_t this_update;
	ASN1_INTEGER *number; /* CRL number, NULL when absent */
	ASN1_INTEGER *base;   /* Delta CRL Indicator, NULL when absent */
	const ASN1_OCTET_STRING *idp; /* issuing distribution point value */
};

struct cands {
	struct cand *v;
	size_t n, cap;
	STACK_OF(X509_CRL) *owned;
};

/* Outcome of looking a serial number up in a base CRL and its delta. */
enum lk_state { LK_CLEAR, LK_REVOKED, LK_UNKNOWN };

struct lookup {
	enum lk_state state;
	int reason; /* of the deciding entry; -1 when it has none */
	int64_t when;
	int have_temp; /* latest certificateHold or removeFromCRL entry */
	int temp_reason;
	int64_t temp_when;
	char why[OV_ERR_MSG_MAX];
};

/* --- candidates --------------------------------------------------------- */

static void
cands_free(struct cands *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].src);
		ASN1_INTEGER_free(cs->v[i].number);
		ASN1_INTEGER_free(cs->v[i].base);
	}
	free(cs->v);
	sk_X509_CRL_pop_free(cs->owned, X509_CRL_free);
	memset(cs, 0, sizeof(*cs));
}

/* Add crl (owned when own) as a candidate; src is taken over. */
static enum ov_code
cands_add(struct cands *cs, X509_CRL *crl, int own, char *src, int from_cache,
	  struct ov_err *err)
{
	struct cand *c;

	if (own && ((cs->owned == NULL &&
		     (cs->owned = sk_X509_CRL_new_null()) == NULL) ||
		    sk_X509_CRL_push(cs->owned, crl) <= 0)) {
		X509_CRL_free(crl);
		free(src);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	if (src == NULL ||
	    ov_rev_grow(&cs->v, &cs->cap, cs->n + 1, sizeof(*cs->v))) {
		free(src);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	c = &cs->v[cs->n++];
	memset(c, 0, sizeof(*c));
	c->crl = crl;
	c->src = src;
	c->from_cache = from_cache;
	return OV_OK;
}

/* Decode a base64 DER CRL from a cache entry member. */
static enum ov_code
cache_crl(const char *b64, const char *member, X509_CRL **out,
	  struct ov_err *err)
{
	unsigned char *der = NULL;
	size_t len = 0, used;
	enum ov_code r;

	*out = NULL;
	if ((r = ov_b64_decode(b64, strlen(b64), &der, &len, err)) != OV_OK) {
		ov_err_wrap(err, "%s", member);
		return r;
	}
	r = ov_crl_from_der(der, len, out, &used, err);
	if (r == OV_OK && used != len) {
		X509_CRL_free(*out);
		*out = NULL;
		r = ov_err_set(err, OV_E_FORMAT,
			       "CRL is followed by %zu extra bytes",
			       len - used);
	}
	if (r != OV_OK)
		ov_err_wrap(err, "%s", member);
	free(der);
	return r;
}

/*
 * The notation cache entry for url in cd, added as candidates. Problems
 * with the entry are reasons, not errors: the URL is then just unusable.
 */
static enum ov_code
read_cache(struct ctx *c, const struct cache_dir *cd, const char *url,
	   struct cands *cs, struct ov_err *err)
{
	static const char *const known[] = {"baseCRL", "deltaCRL", NULL};
	char key[65], shown[SHOW_MAX];
	const char *b64[2] = {NULL, NULL}, *variant;
	const cJSON *dv;
	cJSON *doc = NULL;
	struct ov_buf b;
	struct ov_err e;
	X509_CRL *crls[2] = {NULL, NULL};
	int i;
	enum ov_code r;

	ov_revocation_cache_key(url, key);
	ov_rev_show_url(url, shown);
	ov_buf_init(&b, OV_MAX_CRL_CACHE_ENTRY);
	r = ov_buf_read_file(&b, cd->fd, key, &e);
	if (r == OV_E_NOTFOUND) {
		r = OV_OK;
		goto out;
	}
	if (r == OV_OK &&
	    (r = ov_json_parse(b.data, b.len, key, &doc, &e)) == OV_OK) {
		if (!cJSON_IsObject(doc))
			r = ov_err_set(&e, OV_E_FORMAT, "not a JSON object");
		else if ((variant = ov_json_case_variant(doc, known, NULL)) != NULL)
			r = ov_err_set(
			    &e, OV_E_FORMAT,
			    "member \"%s\" is not spelled as notation spells it",
			    variant);
		else
			r = ov_json_string(doc, "baseCRL", 1, key, &b64[0], &e);
	}
	dv = ov_json_get(doc, "deltaCRL");
	if (r == OV_OK && dv != NULL && !cJSON_IsNull(dv))
		r = ov_json_string(doc, "deltaCRL", 1, key, &b64[1], &e);
	/* both decode, or the entry is unusable */
	for (i = 0; r == OV_OK && i < 2 && b64[i] != NULL; i++)
		r = cache_crl(b64[i], known[i], &crls[i], &e);
	for (i = 0; r == OV_OK && i < 2 && crls[i] != NULL; i++) {
		r = cands_add(cs, crls[i], 1,
			      ov_strf("cache entry %s/%s for %s", cd->path, key,
				      shown),
			      1, err);
		crls[i] = NULL; /* transferred */
		if (r != OV_OK)
			goto out; /* out of memory */
	}
	if (r == OV_E_NOMEM) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (r != OV_OK)
		ov_rev_why(&c->why, WHY_BAD, "CRL cache entry for %s in %s: %s",
			   shown, cd->path, e.msg);
	r = OV_OK;
out:
	X509_CRL_free(crls[0]);
	X509_CRL_free(crls[1]);
	cJSON_Delete(doc);
	ov_buf_free(&b);
	return r;
}

/* Extension nid of the candidate decoded (NULL when absent); *bad and a
 * reason when it is malformed or repeated. */
static void *
crl_ext_get(const struct cand *cd, int nid, const char *label, int *bad,
	    struct ctx *c)
{
	void *v;
	int crit = -1;

	v = X509_CRL_get_ext_d2i(cd->crl, nid, &crit, NULL);
	if (v == NULL && crit != -1) {
		*bad = 1;
		ov_rev_why(&c->why, WHY_BAD, "CRL %s has %s %s", cd->src,
			   crit == -2 ? "more than one" : "an invalid", label);
	}
	return v;
}

/* 1 when one of names is a URI equal to one of urls. */
static int
uri_among(const GENERAL_NAMES *names, const struct strv *urls)
{
	const GENERAL_NAME *gn;
	size_t k, n;
	int i;

	for (i = 0; i < sk_GENERAL_NAME_num(names); i++) {
		gn = sk_GENERAL_NAME_value(names, i);
		if (gn->type != GEN_URI)
			continue;
		for (k = 0; k < urls->n; k++) {
			n = strlen(urls->v[k]);
			if ((size_t)ASN1_STRING_length(gn->d.ia5) == n &&
			    memcmp(ASN1_STRING_get0_data(gn->d.ia5), urls->v[k],
				   n) == 0)
				return 1;
		}
	}
	return 0;
}

/*
 * 1 when the CRL's issuing distribution point covers the certificate
 * (RFC 5280 6.3.3 b.2). notation ignores the extension; without this
 * check a CRL of another partition or of CA certificates only would
 * clear a certificate it does not list.
 */
static int
in_scope(const struct cand *cd, struct ctx *c)
{
	ISSUING_DIST_POINT *idp = NULL;
	const char *why = NULL;
	int bad = 0, ca = ov_x509_is_ca(c->cert);

	idp = crl_ext_get(cd, NID_issuing_distribution_point,
			  "issuing distribution point", &bad, c);
	if (idp == NULL)
		return !bad;
	if (idp->indirectCRL)
		why = "it is an indirect CRL";
	else if (idp->onlysomereasons != NULL)
		why = "it covers only some reasons";
	else if (idp->onlyattr || (idp->onlyuser && ca) || (idp->onlyCA && !ca))
		why = "it covers other kinds of certificates";
	else if (idp->distpoint == NULL || cd->from_cache)
		why = NULL; /* a cache entry is the CRL at the cert's URL */
	else if (idp->distpoint->type != 0)
		why = "its distribution point is a relative name";
	else if (!uri_among(idp->distpoint->name.fullname, &c->cdp))
		why = "its distribution point is not one of the certificate's";
	ISSUING_DIST_POINT_free(idp);
	if (why != NULL)
		ov_rev_why(&c->why, WHY_SCOPE,
			   "CRL %s does not cover \"%s\": %s", cd->src, c->name,
			   why);
	return why == NULL;
}

/* Decide whether candidate cd is usable for the certificate (RFC 5280
 * 6.3.3 and notation's validateCRL), recording why not. */
static void
prepare(struct cand *cd, struct ctx *c, EVP_PKEY *key)
{
	const STACK_OF(X509_EXTENSION) *exts;
	X509_EXTENSION *ext;
	AUTHORITY_KEYID *akid = NULL;
	const ASN1_OCTET_STRING *ski;
	const ASN1_TIME *next;
	char from[SHOW_MAX], tbuf[OV_TIME_STR_MAX], oid[80];
	int64_t t;
	int i, nid, bad = 0;

	ov_x509_show_name(X509_CRL_get_issuer(cd->crl), from, SHOW_MAX);
	if (X509_NAME_cmp(X509_CRL_get_issuer(cd->crl),
			  X509_get_subject_name(c->issuer)) != 0) {
		ov_rev_why(&c->why, WHY_SCOPE,
			   "%s holds a CRL from \"%s\", not from \"%s\"",
			   cd->src, from, c->issuer_name);
		return;
	}
	akid = crl_ext_get(cd, NID_authority_key_identifier,
			   "authority key identifier", &bad, c);
	if (bad)
		return;
	ski = X509_get0_subject_key_id(c->issuer);
	if (akid != NULL && akid->keyid != NULL && ski != NULL &&
	    ASN1_OCTET_STRING_cmp(akid->keyid, ski) != 0) {
		AUTHORITY_KEYID_free(akid);
		ov_rev_why(
		    &c->why, WHY_SCOPE,
		    "CRL from \"%s\" is signed by another key of its issuer (%s)",
		    from, cd->src);
		return;
	}
	AUTHORITY_KEYID_free(akid);
	if (!ov_rev_sig_nid_ok(X509_CRL_get_signature_nid(cd->crl))) {
		ov_rev_why(
		    &c->why, WHY_BAD,
		    "CRL from \"%s\" uses an unsupported signature algorithm (%s)",
		    from, cd->src);
		return;
	}
	ERR_set_mark();
	i = key != NULL ? X509_CRL_verify(cd->crl, key) : 0;
	ERR_pop_to_mark();
	if (i != 1) {
		ov_rev_why(
		    &c->why, WHY_BAD,
		    "CRL from \"%s\" is not signed by the key of \"%s\" (%s)",
		    from, c->issuer_name, cd->src);
		return;
	}
	exts = X509_CRL_get0_extensions(cd->crl);
	for (i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		ext = sk_X509_EXTENSION_value(exts, i);
		nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
		if (!X509_EXTENSION_get_critical(ext) ||
		    nid == NID_issuing_distribution_point ||
		    nid == NID_delta_crl)
			continue;
		(void)OBJ_obj2txt(oid, sizeof(oid),
				  X509_EXTENSION_get_object(ext), 0);
		ov_rev_why(
		    &c->why, WHY_BAD,
		    "CRL from \"%s\" has an unsupported critical extension %s (%s)",
		    from, oid, cd->src);
		return;
	}
	cd->number = crl_ext_get(cd, NID_crl_number, "CRL number", &bad, c);
	cd->base =
	    crl_ext_get(cd, NID_delta_crl, "delta CRL indicator", &bad, c);
	if (bad)
		return;
	cd->is_delta = cd->base != NULL;
	cd->idp = ov_crl_ext(cd->crl, NID_issuing_distribution_point);
	(void)ov_x509_time(X509_CRL_get0_lastUpdate(cd->crl), &cd->this_update,
			   NULL);
	if (cd->this_update > c->now) {
		ov_rev_why(
		    &c->why, WHY_TIME,
		    "CRL from \"%s\" is not valid yet: thisUpdate %s (%s)",
		    from, ov_time_format(cd->this_update, tbuf), cd->src);
		return;
	}
	if ((next = X509_CRL_get0_nextUpdate(cd->crl)) == NULL) {
		ov_rev_why(&c->why, WHY_TIME,
			   "CRL from \"%s\" has no nextUpdate (%s)", from,
			   cd->src);
		return;
	}
	(void)ov_x509_time(next, &t, NULL);
	if (c->now >= t) {
		ov_rev_why(&c->why, WHY_STALE,
			   "CRL from \"%s\" is stale: nextUpdate %s (%s)", from,
			   ov_time_format(t, tbuf), cd->src);
		return;
	}
	if (!in_scope(cd, c))
		return;
	cd->usable = 1;
}

static int
same_scope(const struct cand *a, const struct cand *b)
{
	if (a->idp == NULL || b->idp == NULL)
		return a->idp == b->idp;
	return ASN1_OCTET_STRING_cmp(a->idp, b->idp) == 0;
}

/* 1 when a is a newer issue than b. */
static int
newer(const struct cand *a, const struct cand *b)
{
	if (a->this_update != b->this_update)
		return a->this_update > b->this_update;
	return a->number != NULL && b->number != NULL &&
	       ASN1_INTEGER_cmp(a->number, b->number) > 0;
}

/* 1 when base i is the newest usable base CRL of its scope (the first
 * of equals). */
static int
selected(const struct cands *cs, size_t i)
{
	const struct cand *a = &cs->v[i], *b;
	size_t j;

	for (j = 0; j < cs->n; j++) {
		b = &cs->v[j];
		if (j == i || !b->usable || b->is_delta || !same_scope(a, b))
			continue;
		if (newer(b, a) || (j < i && !newer(a, b)))
			return 0;
	}
	return 1;
}

/* The delta CRL to apply on base (RFC 5280 5.2.4): the usable one of
 * the same scope with the highest number, or NULL. */
static const struct cand *
best_delta(const struct cands *cs, const struct cand *base, struct ctx *c)
{
	const struct cand *d, *best = NULL;
	size_t j;

	for (j = 0; j < cs->n; j++) {
		d = &cs->v[j];
		if (!d->usable || !d->is_delta || !same_scope(d, base))
			continue;
		if (base->number == NULL || d->number == NULL ||
		    ASN1_INTEGER_cmp(d->base, base->number) > 0 ||
		    ASN1_INTEGER_cmp(d->number, base->number) <= 0) {
			ov_rev_why(
			    &c->why, WHY_SCOPE,
			    "delta CRL %s does not apply to base CRL %s (CRL numbers)",
			    d->src, base->src);
			continue;
		}
		if (best == NULL ||
		    ASN1_INTEGER_cmp(d->number, best->number) > 0)
			best = d;
	}
	return best;
}

/* Look the certificate's serial up in crl (base, then delta) as
 * notation's checkRevocation does, plus the as-of-now rule. */
static void
lookup_crl(X509_CRL *crl, struct ctx *c, struct lookup *lk)
{
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	const ASN1_INTEGER *serial = X509_get0_serialNumber(c->cert);
	const STACK_OF(X509_EXTENSION) *exts;
	X509_EXTENSION *ext;
	ASN1_ENUMERATED *reason;
	ASN1_GENERALIZEDTIME *inv;
	X509_REVOKED *rev;
	char oid[80];
	int64_t when, invt;
	int i, j, nid, crit, code, have_inv, bad;

	for (i = 0; lk->state == LK_CLEAR && i < sk_X509_REVOKED_num(revs);
	     i++) {
		rev = sk_X509_REVOKED_value(revs, i);
		if (ASN1_INTEGER_cmp(X509_REVOKED_get0_serialNumber(rev),
				     serial) != 0)
			continue;
		exts = X509_REVOKED_get0_extensions(rev);
		for (j = 0; j < sk_X509_EXTENSION_num(exts); j++) {
			ext = sk_X509_EXTENSION_value(exts, j);
			nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
			if (!X509_EXTENSION_get_critical(ext) ||
			    nid == NID_crl_reason || nid == NID_invalidity_date)
				continue;
			(void)OBJ_obj2txt(oid, sizeof(oid),
					  X509_EXTENSION_get_object(ext), 0);
			lk->state = LK_UNKNOWN;
			(void)snprintf(
			    lk->why, sizeof(lk->why),
			    "its CRL entry has an unsupported critical extension %s",
			    oid);
			return;
		}
		code = -1;
		crit = -1;
		reason =
		    X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, &crit, NULL);
		bad = reason == NULL && crit != -1; /* undecodable or twice */
		if (reason != NULL)
			code = (int)ASN1_ENUMERATED_get(reason);
		ASN1_ENUMERATED_free(reason);
		crit = -1;
		inv = X509_REVOKED_get_ext_d2i(rev, NID_invalidity_date, &crit,
					       NULL);
		have_inv =
		    inv != NULL && ov_x509_time(inv, &invt, NULL) == OV_OK;
		bad |= !have_inv && crit != -1;
		ASN1_GENERALIZEDTIME_free(inv);
		if (bad || ov_x509_time(X509_REVOKED_get0_revocationDate(rev),
					&when, NULL) != OV_OK) {
			lk->state = LK_UNKNOWN;
			(void)snprintf(lk->why, sizeof(lk->why),
				       "its CRL entry is malformed");
			return;
		}
		if (when > c->now)
			continue; /* not revoked as of now */
		if (c->auth_time != INT64_MIN && have_inv &&
		    invt > c->auth_time)
			continue; /* signed before the key was compromised */
		if (code == REASON_HOLD || code == REASON_REMOVE) {
			if (!lk->have_temp || when >= lk->temp_when) {
				lk->have_temp = 1;
				lk->temp_reason = code;
				lk->temp_when = when;
			}
			continue;
		}
		lk->state = LK_REVOKED;
		lk->reason = code;
		lk->when = when;
	}
}

/* The verdict of base (+ delta) for the certificate; *decided is 0 when
 * a required delta CRL is missing. */
static enum ov_code
judge_crl(struct ctx *c, const struct cands *cs, const struct cand *base,
	  struct verdict *v, int *decided, struct ov_err *err)
{
	const struct cand *delta = best_delta(cs, base, c);
	const ASN1_OCTET_STRING *fv;
	const struct strv *u;
	struct strv bfresh = {0};
	struct lookup lk;
	struct ov_err e;
	char from[SHOW_MAX], tbuf[OV_TIME_STR_MAX], ubuf[SHOW_MAX];
	enum ov_code r = OV_OK;

	*decided = 0;
	memset(v, 0, sizeof(*v));
	ov_x509_show_name(X509_CRL_get_issuer(base->crl), from, SHOW_MAX);
	if (delta == NULL) {
		if ((fv = ov_crl_ext(base->crl, NID_freshest_crl)) != NULL &&
		    (r = ov_rev_parse_dps(fv, "freshest CRL", &bfresh, &e)) !=
			OV_OK) {
			if (r == OV_E_NOMEM) {
				r = ov_err_set(err, r, "out of memory");
				goto out;
			}
			ov_rev_why(&c->why, WHY_BAD, "CRL %s: %s", base->src,
				   e.msg);
			r = OV_OK;
			goto out;
		}
		/* notation: a Freshest CRL extension needs its delta CRL */
		if (c->has_fresh || bfresh.n > 0) {
			u = bfresh.n > 0 ? &bfresh : &c->fresh;
			ov_rev_why(
			    &c->why, WHY_TIME,
			    "no usable delta CRL for the CRL from \"%s\" (%s)%s%s",
			    from, base->src, u->n > 0 ? "; fetch " : "",
			    u->n > 0 ? ov_rev_show_url(u->v[0], ubuf) : "");
			goto out;
		}
	}
	memset(&lk, 0, sizeof(lk));
	lookup_crl(base->crl, c, &lk);
	if (delta != NULL && lk.state == LK_CLEAR)
		lookup_crl(delta->crl, c, &lk);
	if (lk.state == LK_CLEAR && lk.have_temp &&
	    lk.temp_reason == REASON_HOLD) {
		lk.state = LK_REVOKED;
		lk.reason = lk.temp_reason;
		lk.when = lk.temp_when;
	}
	*decided = 1;
	switch (lk.state) {
	case LK_REVOKED:
		v->status = OV_REV_REVOKED;
		v->msg = ov_strf(
		    "certificate \"%s\" is revoked: %s at %s (CRL from \"%s\")",
		    c->name, ov_rev_reason_name(lk.reason),
		    ov_time_format(lk.when, tbuf), from);
		break;
	case LK_UNKNOWN:
		v->status = OV_REV_UNKNOWN;
		v->msg = ov_strf(
		    "revocation status of certificate \"%s\" is unknown: %s (CRL from \"%s\", %s)",
		    c->name, lk.why, from, base->src);
		break;
	default:
		v->status = OV_REV_OK;
		v->msg = ov_strf("CRL %sfrom \"%s\"",
				 delta != NULL ? "and delta CRL " : "", from);
		break;
	}
	if (v->msg == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	ov_rev_strv_clear(&bfresh);
	return r;
}

/* The CRL side: *decided is 0 when no usable CRL decides. */
enum ov_code
ov_rev_check_crls(struct ctx *c, struct verdict *v, int *decided,
		  struct ov_err *err)
{
	const struct ov_revocation *rv = c->rv;
	struct cands cs = {0};
	struct verdict one = {0};
	EVP_PKEY *key = X509_get0_pubkey(c->issuer);
	uint32_t ku = X509_get_key_usage(c->issuer);
	size_t i, k;
	int dec, unsure = 0;
	enum ov_code r = OV_E_INTERNAL;

	*decided = 0;
	for (i = 0; i < rv->ncrl; i++) {
		if (X509_NAME_cmp(X509_CRL_get_issuer(rv->crls[i].crl),
				  X509_get_subject_name(c->issuer)) != 0)
			continue;
		if ((r = cands_add(&cs, rv->crls[i].crl, 0,
				   ov_strf("%s", rv->crls[i].src), 0, err)) !=
		    OV_OK)
			goto out;
	}
	for (i = 0; i < rv->ncache; i++)
		for (k = 0; k < c->cdp.n; k++)
			if ((r = read_cache(c, &rv->caches[i], c->cdp.v[k], &cs,
					    err)) != OV_OK)
				goto out;
	if (cs.n > 0 &&
	    ((X509_get_version(c->issuer) >= 2 && !ov_x509_is_ca(c->issuer)) ||
	     (ku != UINT32_MAX && (ku & KU_CRL_SIGN) == 0))) {
		ov_rev_why(&c->why, WHY_BAD,
			   "issuer \"%s\" may not sign CRLs (%s)",
			   c->issuer_name,
			   ov_x509_is_ca(c->issuer) ? "no cRLSign key usage"
						    : "not a CA");
		r = OV_OK;
		goto out;
	}
	for (i = 0; i < cs.n; i++)
		prepare(&cs.v[i], c, key);
	for (i = 0; i < cs.n; i++) {
		if (!cs.v[i].usable || cs.v[i].is_delta || !selected(&cs, i))
			continue;
		if ((r = judge_crl(c, &cs, &cs.v[i], &one, &dec, err)) != OV_OK)
			goto out;
		if (!dec) {
			unsure = 1;
			continue;
		}
		/* revoked beats unknown beats ok */
		if (!*decided ||
		    (one.status == OV_REV_REVOKED &&
		     v->status != OV_REV_REVOKED) ||
		    (one.status == OV_REV_UNKNOWN && v->status == OV_REV_OK)) {
			free(v->msg);
			*v = one;
			one.msg = NULL; /* transferred */
			*decided = 1;
		}
		free(one.msg);
		one.msg = NULL;
	}
	if (unsure && *decided && v->status == OV_REV_OK) {
		/* another scope could not be checked */
		free(v->msg);
		v->msg = NULL;
		*decided = 0;
	}
	r = OV_OK;
out:
	free(one.msg);
	cands_free(&cs);
	return r;
}
