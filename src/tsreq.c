/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offline two-step timestamping for `ocivet sign` (tsreq.h).
 */
#include "config.h"

#include "tsreq.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ts.h>

#include "b64.h"
#include "json.h"
#include "sigalg.h"
#include "x509.h"

#define STATE_VERSION "ocivet.timestamp-state.v1"
#define W "timestamp response"

static const char *const state_keys[] = {
    "version", "reference", "target", "envelopeMediaType", "manifestForm",
    "nonce", "envelope", NULL};
static const char *const target_keys[] = {"mediaType", "digest", "size",
					  NULL};

void
ov_tsreq_state_clear(struct ov_tsreq_state *st)
{
	if (st == NULL)
		return;
	free(st->reference);
	free(st->target_media_type);
	free(st->envelope);
	memset(st, 0, sizeof(*st));
}

/* The hash notation timestamps env's signature with (spec digest D.1). */
static const EVP_MD *
imprint_md(const struct ov_envelope *env, struct ov_err *err)
{
	const EVP_MD *md = ov_sig_alg_md(env->alg);

	if (md == NULL)
		(void)ov_err_set(err, OV_E_UNSUPPORTED,
				 "no hash for the envelope's algorithm");
	return md;
}

static enum ov_code
hash_sig(const struct ov_envelope *env, const EVP_MD *md,
	 unsigned char h[EVP_MAX_MD_SIZE], unsigned int *hlen,
	 struct ov_err *err)
{
	if (!EVP_Digest(env->sig.p, env->sig.n, h, hlen, md, NULL))
		return ov_err_ssl(err, OV_E_INTERNAL, "EVP_Digest");
	return OV_OK;
}

enum ov_code
ov_tsreq_query(const struct ov_envelope *env,
	       const unsigned char nonce[OV_TSREQ_NONCE], struct ov_buf *out,
	       struct ov_err *err)
{
	unsigned char h[EVP_MAX_MD_SIZE], *der = NULL, *p;
	unsigned int hlen;
	const EVP_MD *md;
	TS_REQ *req = NULL;
	TS_MSG_IMPRINT *mi = NULL;
	X509_ALGOR *alg = NULL;
	BIGNUM *bn = NULL;
	ASN1_INTEGER *n = NULL;
	int len;
	enum ov_code r;

	if ((md = imprint_md(env, err)) == NULL)
		return OV_E_UNSUPPORTED;
	if ((r = hash_sig(env, md, h, &hlen, err)) != OV_OK)
		return r;
	r = OV_E_INTERNAL;
	ERR_set_mark();
	if ((req = TS_REQ_new()) == NULL || !TS_REQ_set_version(req, 1) ||
	    (mi = TS_MSG_IMPRINT_new()) == NULL ||
	    (alg = X509_ALGOR_new()) == NULL ||
	    !X509_ALGOR_set0(alg, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL,
			     NULL) ||
	    !TS_MSG_IMPRINT_set_algo(mi, alg) ||
	    !TS_MSG_IMPRINT_set_msg(mi, h, (int)hlen) ||
	    !TS_REQ_set_msg_imprint(req, mi) ||
	    (bn = BN_bin2bn(nonce, OV_TSREQ_NONCE, NULL)) == NULL ||
	    (n = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    !TS_REQ_set_nonce(req, n) || !TS_REQ_set_cert_req(req, 1) ||
	    (len = i2d_TS_REQ(req, NULL)) <= 0 ||
	    (der = malloc((size_t)len)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM,
			       "cannot encode the timestamp request");
		goto out;
	}
	p = der;
	if (i2d_TS_REQ(req, &p) != len) {
		r = ov_err_set(err, OV_E_INTERNAL,
			       "cannot encode the timestamp request");
		goto out;
	}
	r = ov_buf_add(out, der, (size_t)len, err);
out:
	ERR_pop_to_mark();
	free(der);
	ASN1_INTEGER_free(n);
	BN_free(bn);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	TS_REQ_free(req);
	return r;
}

enum ov_code
ov_tsreq_state_json(const struct ov_tsreq_state *st, char **out,
		    struct ov_err *err)
{
	cJSON *o = NULL, *t;
	char hex[2 * OV_TSREQ_NONCE + 1], *env64 = NULL;

	*out = NULL;
	ov_hex(st->nonce, OV_TSREQ_NONCE, hex);
	if ((env64 = ov_b64_encode(st->envelope, st->envelope_len)) == NULL ||
	    (o = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(o, "version", STATE_VERSION) == NULL ||
	    cJSON_AddStringToObject(o, "reference", st->reference) == NULL ||
	    (t = cJSON_AddObjectToObject(o, "target")) == NULL ||
	    cJSON_AddStringToObject(t, "mediaType", st->target_media_type) ==
		NULL ||
	    cJSON_AddStringToObject(t, "digest", st->target.str) == NULL ||
	    cJSON_AddNumberToObject(t, "size", (double)st->target_size) ==
		NULL ||
	    cJSON_AddStringToObject(o, "envelopeMediaType", st->media_type) ==
		NULL ||
	    cJSON_AddStringToObject(o, "manifestForm",
				    st->shape == OV_SHAPE_CONFIG_TYPE
					? "config"
					: "artifact-type") == NULL ||
	    cJSON_AddStringToObject(o, "nonce", hex) == NULL ||
	    cJSON_AddStringToObject(o, "envelope", env64) == NULL)
		goto out;
	*out = cJSON_Print(o);
out:
	cJSON_Delete(o);
	free(env64);
	return *out != NULL ? OV_OK
			    : ov_err_set(err, OV_E_NOMEM, "out of memory");
}

static int
unhex(const char *s, unsigned char *out, size_t n)
{
	size_t i;
	int hi, lo;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		hi = OPENSSL_hexchar2int((unsigned char)s[2 * i]);
		lo = OPENSSL_hexchar2int((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0 || (s[2 * i] >= 'A' && s[2 * i] <= 'F') ||
		    (s[2 * i + 1] >= 'A' && s[2 * i + 1] <= 'F'))
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

enum ov_code
ov_tsreq_state_parse(const void *data, size_t len, struct ov_tsreq_state *st,
		     struct ov_envelope **envp, struct ov_err *err)
{
	const char *what = "timestamp state";
	const char *v, *ref, *tmt, *dg, *emt, *form, *nonce, *env64;
	const cJSON *t;
	cJSON *o = NULL;
	struct ov_descriptor pt;
	struct ov_envelope *env = NULL;
	int64_t size;
	enum ov_code r;

	memset(st, 0, sizeof(*st));
	memset(&pt, 0, sizeof(pt));
	*envp = NULL;
	if ((r = ov_json_parse(data, len, what, &o, err)) != OV_OK)
		return r;
	if (!cJSON_IsObject(o)) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: not a JSON object", what);
		goto out;
	}
	if ((r = ov_json_only_keys(o, state_keys, what, err)) != OV_OK ||
	    (r = ov_json_string(o, "version", 1, what, &v, err)) != OV_OK)
		goto out;
	if (strcmp(v, STATE_VERSION) != 0) {
		r = ov_err_set(err, OV_E_FORMAT,
			       "%s: version \"%s\" is not %s", what, v,
			       STATE_VERSION);
		goto out;
	}
	if ((r = ov_json_string(o, "reference", 1, what, &ref, err)) != OV_OK ||
	    (r = ov_json_object(o, "target", 1, what, &t, err)) != OV_OK ||
	    (r = ov_json_only_keys(t, target_keys, "timestamp state target",
				   err)) != OV_OK ||
	    (r = ov_json_string(t, "mediaType", 1, what, &tmt, err)) != OV_OK ||
	    (r = ov_json_string(t, "digest", 1, what, &dg, err)) != OV_OK ||
	    (r = ov_json_int64(t, "size", 1, what, &size, err)) != OV_OK ||
	    (r = ov_json_string(o, "envelopeMediaType", 1, what, &emt, err)) !=
		OV_OK ||
	    (r = ov_json_string(o, "manifestForm", 1, what, &form, err)) !=
		OV_OK ||
	    (r = ov_json_string(o, "nonce", 1, what, &nonce, err)) != OV_OK ||
	    (r = ov_json_string(o, "envelope", 1, what, &env64, err)) != OV_OK)
		goto out;
	if ((r = ov_digest_parse(dg, &st->target, err)) != OV_OK) {
		ov_err_wrap(err, "%s: target", what);
		goto out;
	}
	r = OV_E_FORMAT;
	if (size < 0) {
		ov_err_set(err, r, "%s: negative target size", what);
		goto out;
	}
	st->target_size = size;
	if (strcmp(emt, OV_MT_JWS) == 0)
		st->media_type = OV_MT_JWS;
	else if (strcmp(emt, OV_MT_COSE) == 0)
		st->media_type = OV_MT_COSE;
	else {
		ov_err_set(err, r, "%s: unknown envelopeMediaType", what);
		goto out;
	}
	if (strcmp(form, "config") == 0)
		st->shape = OV_SHAPE_CONFIG_TYPE;
	else if (strcmp(form, "artifact-type") == 0)
		st->shape = OV_SHAPE_ARTIFACT_TYPE_DATA;
	else {
		ov_err_set(err, r, "%s: unknown manifestForm", what);
		goto out;
	}
	if (unhex(nonce, st->nonce, OV_TSREQ_NONCE) != 0) {
		ov_err_set(err, r, "%s: nonce is not %d lowercase hex digits",
			   what, 2 * OV_TSREQ_NONCE);
		goto out;
	}
	if ((st->reference = strdup(ref)) == NULL ||
	    (st->target_media_type = strdup(tmt)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_b64_decode(env64, strlen(env64), &st->envelope,
			       &st->envelope_len, err)) != OV_OK ||
	    (r = ov_envelope_parse(st->media_type, st->envelope,
				   st->envelope_len, &env, err)) != OV_OK) {
		ov_err_wrap(err, "%s: envelope", what);
		r = OV_E_FORMAT;
		goto out;
	}
	r = OV_E_FORMAT;
	if (env->scheme != OV_SCHEME_X509) {
		ov_err_set(err, r,
			   "%s: the envelope's signing scheme is not notary.x509",
			   what);
		goto out;
	}
	if (env->timestamp.n != 0) {
		ov_err_set(err, r, "%s: the envelope already has a timestamp",
			   what);
		goto out;
	}
	if (ov_payload_parse(env->payload.p, env->payload.n, &pt, err) !=
	    OV_OK) {
		ov_err_wrap(err, "%s: envelope payload", what);
		goto out;
	}
	if (!ov_digest_equal(&pt.digest, &st->target) || pt.size != size ||
	    strcmp(pt.media_type, tmt) != 0) {
		ov_err_set(err, r,
			   "%s: the envelope signs %s, not the target %s",
			   what, pt.digest.str, st->target.str);
		goto out;
	}
	*envp = env;
	env = NULL;
	r = OV_OK;
out:
	ov_descriptor_clear(&pt);
	ov_envelope_free(env);
	cJSON_Delete(o);
	if (r != OV_OK)
		ov_tsreq_state_clear(st);
	return r;
}

enum ov_code
ov_tsreq_chain(const struct ov_envelope *env, STACK_OF(X509) **out,
	       struct ov_err *err)
{
	const unsigned char *p;
	STACK_OF(X509) *sk;
	X509 *c;
	size_t i;

	*out = NULL;
	if ((sk = sk_X509_new_null()) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < env->ncerts; i++) {
		p = env->certs[i].p;
		ERR_set_mark();
		c = d2i_X509(NULL, &p, (long)env->certs[i].n);
		ERR_pop_to_mark();
		if (c == NULL || !sk_X509_push(sk, c)) {
			X509_free(c);
			sk_X509_pop_free(sk, X509_free);
			return ov_err_set(err, OV_E_FORMAT,
					  "envelope certificate %zu does not parse",
					  i + 1);
		}
	}
	*out = sk;
	return OV_OK;
}

static const char *
status_name(long s)
{
	switch (s) {
	case 2:
		return "rejection";
	case 3:
		return "waiting";
	case 4:
		return "revocationWarning";
	case 5:
		return "revocationNotification";
	default:
		return "unknown";
	}
}

/* status granted (0) or grantedWithMods (1), as tspclient-go accepts */
static enum ov_code
check_status(TS_RESP *resp, struct ov_err *err)
{
	TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);
	const ASN1_UTF8STRING *txt;
	const STACK_OF(ASN1_UTF8STRING) *text;
	long s;

	s = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si));
	if (s == 0 || s == 1)
		return OV_OK;
	text = TS_STATUS_INFO_get0_text(si);
	txt = text != NULL && sk_ASN1_UTF8STRING_num(text) > 0
		  ? sk_ASN1_UTF8STRING_value(text, 0)
		  : NULL;
	return ov_err_set(err, OV_E_TIMESTAMP,
			  W ": the TSA did not grant the request: status %ld (%s)%s%.*s",
			  s, status_name(s), txt != NULL ? ": " : "",
			  txt != NULL ? (ASN1_STRING_length(txt) > 200
					     ? 200
					     : ASN1_STRING_length(txt))
				      : 0,
			  txt != NULL ? (const char *)ASN1_STRING_get0_data(txt)
				      : "");
}

static enum ov_code
check_nonce(TS_TST_INFO *tst, const struct ov_tsreq_state *st,
	    struct ov_err *err)
{
	const ASN1_INTEGER *n = TS_TST_INFO_get_nonce(tst);
	BIGNUM *got = NULL, *want = NULL;
	enum ov_code r;

	if (n == NULL)
		return ov_err_set(err, OV_E_TIMESTAMP,
				  W ": no nonce, the request had one");
	if ((got = ASN1_INTEGER_to_BN(n, NULL)) == NULL ||
	    (want = BN_bin2bn(st->nonce, OV_TSREQ_NONCE, NULL)) == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
	else if (BN_cmp(got, want) != 0)
		r = ov_err_set(err, OV_E_TIMESTAMP,
			       W ": the nonce is not the request's (a response to another request)");
	else
		r = OV_OK;
	BN_free(got);
	BN_free(want);
	return r;
}

enum ov_code
ov_tsreq_check_response(const unsigned char *data, size_t len,
			const struct ov_tsreq_state *st,
			const struct ov_envelope *env, STACK_OF(X509) *roots,
			struct ov_buf *token, struct ov_tsa_result *res,
			struct ov_err *err)
{
	unsigned char h[EVP_MAX_MD_SIZE], *der = NULL, *dp;
	const unsigned char *p = data;
	unsigned int hlen;
	const EVP_MD *md;
	TS_RESP *resp = NULL;
	TS_TST_INFO *tst;
	TS_MSG_IMPRINT *mi;
	ASN1_OCTET_STRING *hm;
	STACK_OF(X509) *chain = NULL;
	PKCS7 *tok;
	struct ov_err e;
	int dlen;
	enum ov_code r;

	memset(res, 0, sizeof(*res));
	if ((md = imprint_md(env, err)) == NULL)
		return OV_E_UNSUPPORTED;
	if ((r = hash_sig(env, md, h, &hlen, err)) != OV_OK)
		return r;
	ERR_set_mark();
	if (len > OV_TSREQ_MAX_RESPONSE) {
		r = ov_err_set(err, OV_E_LIMIT, W ": more than %d bytes",
			       OV_TSREQ_MAX_RESPONSE);
		goto out;
	}
	resp = d2i_TS_RESP(NULL, &p, (long)len);
	if (resp == NULL || p != data + len) {
		r = ov_err_set(err, OV_E_FORMAT,
			       W ": not a DER TimeStampResp");
		goto out;
	}
	if ((r = check_status(resp, err)) != OV_OK)
		goto out;
	tok = TS_RESP_get_token(resp);
	tst = TS_RESP_get_tst_info(resp);
	if (tok == NULL || tst == NULL) {
		r = ov_err_set(err, OV_E_TIMESTAMP,
			       W ": granted but without a token");
		goto out;
	}
	mi = TS_TST_INFO_get_msg_imprint(tst);
	hm = TS_MSG_IMPRINT_get_msg(mi);
	if (OBJ_obj2nid(TS_MSG_IMPRINT_get_algo(mi)->algorithm) !=
		EVP_MD_get_type(md) ||
	    ASN1_STRING_length(hm) != (int)hlen ||
	    memcmp(ASN1_STRING_get0_data(hm), h, hlen) != 0) {
		r = ov_err_set(err, OV_E_TIMESTAMP,
			       W ": the message imprint is not the %s of this signature (a timestamp of something else)",
			       EVP_MD_get0_name(md));
		goto out;
	}
	if ((r = check_nonce(tst, st, err)) != OV_OK)
		goto out;
	if ((dlen = i2d_PKCS7(tok, NULL)) <= 0 ||
	    (der = malloc((size_t)dlen)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	dp = der;
	if (i2d_PKCS7(tok, &dp) != dlen) {
		r = ov_err_set(err, OV_E_INTERNAL, "i2d_PKCS7");
		goto out;
	}
	if (roots != NULL && sk_X509_num(roots) > 0)
		r = ov_tsa_verify_imprint(der, (size_t)dlen, h, hlen, roots,
					  res, err);
	else
		r = ov_tsa_check_untrusted(der, (size_t)dlen, h, hlen, res,
					   err);
	if (r != OV_OK)
		goto out;
	/* D.3 step 8: no verifier accepts a timestamp outside the signing
	 * certificates' validity */
	if ((r = ov_tsreq_chain(env, &chain, err)) != OV_OK)
		goto out;
	if (ov_x509_check_valid_at(chain, res->lower, "the timestamp",
				   &e) != OV_OK ||
	    ov_x509_check_valid_at(chain, res->upper, "the timestamp", &e) !=
		OV_OK) {
		r = ov_err_set(err, OV_E_TIMESTAMP,
			       W ": the signing certificate chain: %s", e.msg);
		goto out;
	}
	r = ov_buf_add(token, der, (size_t)dlen, err);
out:
	ERR_pop_to_mark();
	if (r != OV_OK)
		ov_tsa_result_clear(res);
	sk_X509_pop_free(chain, X509_free);
	free(der);
	TS_RESP_free(resp);
	return r;
}
