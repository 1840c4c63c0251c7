/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Creating Notary Project signatures the way notation writes them: the
 * payload (spec digest B.1), JWS envelopes with the protected header
 * members sorted like Go's map marshalling (B.3), COSE_Sign1 envelopes
 * with canonical CBOR maps (RFC 7049 section 3.9, go-cose's SortCanonical;
 * B.4), and attaching an RFC 3161 token as an unsigned attribute (D.1).
 */
#include "config.h"

#include "sign.h"

#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <openssl/x509.h>

#include "b64.h"
#include "json.h"
#include "manifest.h"
#include "ovlimits.h"
#include "timeutil.h"

#define MAX_OUT (2 * OV_MAX_ENVELOPE)

/* ---------------------------------------------------------------------
 * JSON text as Go's encoding/json writes it.
 */

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t
utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[0] == 0xe0 && p[1] < 0xa0) ||
		    (p[0] == 0xed && p[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80 || (p[0] == 0xf0 && p[1] < 0x90) ||
		    (p[0] == 0xf4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/*
 * A JSON string literal with Go's escaping: \" \\ \b \f \n \r \t, other
 * controls and the HTML characters < > & as \u00XX, U+2028/U+2029 as
 * \u2028/\u2029. Invalid UTF-8 is refused (Go would write U+FFFD).
 */
static enum ov_code
json_str(struct ov_buf *b, const char *s, struct ov_err *err)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char esc[7];
	size_t k;
	enum ov_code r;

	if ((r = ov_buf_add(b, "\"", 1, err)) != OV_OK)
		return r;
	while (*p != '\0') {
		if ((k = utf8_len(p)) == 0)
			return ov_err_set(err, OV_E_USAGE,
					  "invalid UTF-8 in \"%.64s\"", s);
		if (k == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			r = ov_buf_adds(b, p[2] == 0xa8 ? "\\u2028" : "\\u2029",
					err);
		} else if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			r = ov_buf_add(b, esc, 2, err);
		} else if (*p == '\b' || *p == '\f' || *p == '\n' ||
			   *p == '\r' || *p == '\t') {
			esc[0] = '\\';
			esc[1] = *p == '\b'   ? 'b'
				 : *p == '\f' ? 'f'
				 : *p == '\n' ? 'n'
				 : *p == '\r' ? 'r'
					      : 't';
			r = ov_buf_add(b, esc, 2, err);
		} else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			r = ov_buf_add(b, esc, 6, err);
		} else {
			r = ov_buf_add(b, p, k, err);
		}
		if (r != OV_OK)
			return r;
		p += k;
	}
	return ov_buf_add(b, "\"", 1, err);
}

/* Append src to dst (both buffers; src is left untouched). */
static enum ov_code
buf_cat(struct ov_buf *dst, const struct ov_buf *src, struct ov_err *err)
{
	return src->len > 0 ? ov_buf_add(dst, src->data, src->len, err) : OV_OK;
}

static int
cmp_annotation(const void *a, const void *b)
{
	const struct ov_annotation *const *x = a, *const *y = b;

	return strcmp((*x)->key, (*y)->key);
}

enum ov_code
ov_sign_payload(const struct ov_descriptor *target, struct ov_buf *out,
		struct ov_err *err)
{
	const struct ov_annotation **sorted = NULL;
	struct ov_buf b;
	size_t i;
	enum ov_code r = OV_E_INTERNAL;

	ov_buf_init(&b, OV_MAX_PAYLOAD);
	if (target->media_type == NULL || target->size < 0) {
		r = ov_err_set(
		    err, OV_E_USAGE,
		    "payload: descriptor without media type or size");
		goto out;
	}
	if ((r = ov_buf_adds(&b, "{\"targetArtifact\":{", err)) != OV_OK)
		goto out;
	if (target->nannotations > 0) {
		sorted = calloc(target->nannotations, sizeof(*sorted));
		if (sorted == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		for (i = 0; i < target->nannotations; i++)
			sorted[i] = &target->annotations[i];
		qsort(sorted, target->nannotations, sizeof(*sorted),
		      cmp_annotation);
		if ((r = ov_buf_adds(&b, "\"annotations\":{", err)) != OV_OK)
			goto out;
		for (i = 0; i < target->nannotations; i++) {
			if (i > 0 &&
			    strcmp(sorted[i - 1]->key, sorted[i]->key) == 0) {
				r = ov_err_set(
				    err, OV_E_USAGE,
				    "payload: annotation \"%.64s\" repeated",
				    sorted[i]->key);
				goto out;
			}
			if ((i > 0 &&
			     (r = ov_buf_add(&b, ",", 1, err)) != OV_OK) ||
			    (r = json_str(&b, sorted[i]->key, err)) != OV_OK ||
			    (r = ov_buf_add(&b, ":", 1, err)) != OV_OK ||
			    (r = json_str(&b, sorted[i]->value, err)) != OV_OK)
				goto out;
		}
		if ((r = ov_buf_add(&b, "},", 2, err)) != OV_OK)
			goto out;
	}
	if ((r = ov_buf_adds(&b, "\"digest\":", err)) != OV_OK ||
	    (r = json_str(&b, target->digest.str, err)) != OV_OK ||
	    (r = ov_buf_adds(&b, ",\"mediaType\":", err)) != OV_OK ||
	    (r = json_str(&b, target->media_type, err)) != OV_OK ||
	    (r = ov_buf_addf(&b, err, ",\"size\":%lld}}",
			     (long long)target->size)) != OV_OK ||
	    (r = buf_cat(out, &b, err)) != OV_OK)
		goto out;
	r = OV_OK;
out:
	free(sorted);
	ov_buf_free(&b);
	return r;
}

/* ---------------------------------------------------------------------
 * Request helpers.
 */

static enum ov_code
check_request(const struct ov_sign_request *req, enum ov_sig_alg *key_alg,
	      enum ov_sig_alg *alg, struct ov_err *err)
{
	enum ov_code r;
	size_t i;

	if ((req->key == NULL && req->signer == NULL) ||
	    req->payload == NULL || req->payload_len == 0)
		return ov_err_set(
		    err, OV_E_USAGE,
		    "sign: a key and a non-empty payload are required");
	if (req->key == NULL)
		*key_alg = req->signer->alg;
	else if ((r = ov_sig_alg_from_key(req->key, key_alg, err)) != OV_OK)
		return r;
	*alg = req->alg != OV_ALG_UNKNOWN ? req->alg : *key_alg;
	if (req->protected_raw != NULL)
		return OV_OK;
	if (ov_scheme_name(req->scheme) == NULL)
		return ov_err_set(err, OV_E_USAGE, "sign: no signing scheme");
	if (req->has_expiry && req->expiry <= req->signing_time)
		return ov_err_set(
		    err, OV_E_USAGE,
		    "sign: expiry cannot be equal or before the signing time");
	for (i = 0; i < req->nattrs; i++)
		if (req->attrs[i].name == NULL || req->attrs[i].value == NULL)
			return ov_err_set(
			    err, OV_E_USAGE,
			    "sign: attribute %zu has no name or value", i);
	return OV_OK;
}

static enum ov_code
key_sign(void *ctx, enum ov_sig_alg alg, const void *tbs, size_t tbs_len,
	 unsigned char **sig, size_t *sig_len, struct ov_err *err)
{
	return ov_sig_sign(alg, ctx, tbs, tbs_len, sig, sig_len, err);
}

enum ov_code
ov_signer_from_key(EVP_PKEY *key, struct ov_signer *s, struct ov_err *err)
{
	enum ov_code r;

	memset(s, 0, sizeof(*s));
	if ((r = ov_sig_alg_from_key(key, &s->alg, err)) != OV_OK)
		return r;
	s->sign = key_sign;
	s->ctx = key;
	return OV_OK;
}

/* The raw signature of tbs, by the request's key or signer. */
static enum ov_code
raw_sign(const struct ov_sign_request *req, enum ov_sig_alg alg,
	 const void *tbs, size_t tbs_len, unsigned char **sig, size_t *sig_len,
	 struct ov_err *err)
{
	if (req->key != NULL)
		return ov_sig_sign(alg, req->key, tbs, tbs_len, sig, sig_len,
				   err);
	return req->signer->sign(req->signer->ctx, alg, tbs, tbs_len, sig,
				 sig_len, err);
}

/* Time label of the request's scheme. */
static const char *
time_label(const struct ov_sign_request *req)
{
	return req->scheme == OV_SCHEME_SIGNING_AUTHORITY
		   ? OV_HDR_AUTHENTIC_SIGNING_TIME
		   : OV_HDR_SIGNING_TIME;
}

static int
chain_len(const struct ov_sign_request *req)
{
	return req->chain != NULL ? sk_X509_num(req->chain) : 0;
}

/* DER of chain certificate i (OPENSSL_malloc'd). */
static enum ov_code
cert_der(const struct ov_sign_request *req, int i, unsigned char **der,
	 size_t *n, struct ov_err *err)
{
	int len;

	*der = NULL;
	*n = 0;
	if ((len = i2d_X509(sk_X509_value(req->chain, i), der)) <= 0)
		return ov_err_ssl(
		    err, OV_E_USAGE,
		    "sign: cannot encode certificate %d of the chain", i);
	*n = (size_t)len;
	return OV_OK;
}

/* ---------------------------------------------------------------------
 * JWS.
 */

struct member {
	const char *key;
	struct ov_buf val; /* JSON text of the value */
};

static int
cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* The protected header JSON, members sorted by name (Go map order). */
static enum ov_code
jws_protected(const struct ov_sign_request *req, enum ov_sig_alg alg,
	      struct ov_buf *out, struct ov_err *err)
{
	struct member *m = NULL;
	const char *alg_name;
	char tbuf[OV_TIME_STR_MAX];
	size_t n = 0, i, nm = 6 + req->nattrs;
	int first = 1;
	enum ov_code r = OV_E_INTERNAL;

	alg_name =
	    req->alg_name != NULL ? req->alg_name : ov_sig_alg_jws_name(alg);
	if ((m = calloc(nm, sizeof(*m))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < nm; i++)
		ov_buf_init(&m[i].val, MAX_OUT);
	m[n].key = "alg";
	if ((r = json_str(&m[n++].val, alg_name, err)) != OV_OK)
		goto out;
	/* crit: scheme, critical extras, authenticSigningTime, expiry. */
	m[n].key = "crit";
	if ((r = ov_buf_add(&m[n].val, "[", 1, err)) != OV_OK ||
	    (r = json_str(&m[n].val, OV_HDR_SIGNING_SCHEME, err)) != OV_OK)
		goto out;
	for (i = 0; i < req->nattrs; i++)
		if (req->attrs[i].critical &&
		    ((r = ov_buf_add(&m[n].val, ",", 1, err)) != OV_OK ||
		     (r = json_str(&m[n].val, req->attrs[i].name, err)) !=
			 OV_OK))
			goto out;
	if (req->scheme == OV_SCHEME_SIGNING_AUTHORITY &&
	    ((r = ov_buf_add(&m[n].val, ",", 1, err)) != OV_OK ||
	     (r = json_str(&m[n].val, OV_HDR_AUTHENTIC_SIGNING_TIME, err)) !=
		 OV_OK))
		goto out;
	if (req->has_expiry &&
	    ((r = ov_buf_add(&m[n].val, ",", 1, err)) != OV_OK ||
	     (r = json_str(&m[n].val, OV_HDR_EXPIRY, err)) != OV_OK))
		goto out;
	if ((r = ov_buf_add(&m[n++].val, "]", 1, err)) != OV_OK)
		goto out;
	m[n].key = "cty";
	if ((r = json_str(&m[n++].val, OV_MT_NOTARY_PAYLOAD, err)) != OV_OK)
		goto out;
	m[n].key = OV_HDR_SIGNING_SCHEME;
	if ((r = json_str(&m[n++].val, ov_scheme_name(req->scheme), err)) !=
	    OV_OK)
		goto out;
	m[n].key = time_label(req);
	if ((r = json_str(&m[n++].val, ov_time_format(req->signing_time, tbuf),
			  err)) != OV_OK)
		goto out;
	if (req->has_expiry) {
		m[n].key = OV_HDR_EXPIRY;
		if ((r = json_str(&m[n++].val,
				  ov_time_format(req->expiry, tbuf), err)) !=
		    OV_OK)
			goto out;
	}
	for (i = 0; i < req->nattrs; i++) {
		m[n].key = req->attrs[i].name;
		if ((r = json_str(&m[n++].val, req->attrs[i].value, err)) !=
		    OV_OK)
			goto out;
	}
	qsort(m, n, sizeof(*m), cmp_member);
	if ((r = ov_buf_add(out, "{", 1, err)) != OV_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(m[i - 1].key, m[i].key) == 0) {
			r = ov_err_set(err, OV_E_USAGE,
				       "sign: attribute \"%.64s\" repeated",
				       m[i].key);
			goto out;
		}
		if ((!first && (r = ov_buf_add(out, ",", 1, err)) != OV_OK) ||
		    (r = json_str(out, m[i].key, err)) != OV_OK ||
		    (r = ov_buf_add(out, ":", 1, err)) != OV_OK ||
		    (r = buf_cat(out, &m[i].val, err)) != OV_OK)
			goto out;
		first = 0;
	}
	r = ov_buf_add(out, "}", 1, err);
out:
	for (i = 0; i < nm; i++)
		ov_buf_free(&m[i].val);
	free(m);
	return r;
}

/* Append b64(p, n) (url: base64url without padding) as a JSON string. */
static enum ov_code
json_b64(struct ov_buf *b, const void *p, size_t n, int url, struct ov_err *err)
{
	char *s;
	enum ov_code r;

	if ((s = url ? ov_b64url_encode(p, n) : ov_b64_encode(p, n)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	r = json_str(b, s, err);
	free(s);
	return r;
}

static enum ov_code
sign_jws(const struct ov_sign_request *req, enum ov_sig_alg key_alg,
	 enum ov_sig_alg alg, struct ov_buf *out, struct ov_err *err)
{
	struct ov_buf prot, tbs;
	char *prot_s = NULL, *pay_s = NULL;
	unsigned char *sig = NULL, *der = NULL;
	size_t sig_len = 0, der_len;
	int i;
	enum ov_code r = OV_E_INTERNAL;

	ov_buf_init(&prot, MAX_OUT);
	ov_buf_init(&tbs, MAX_OUT);
	if (req->protected_raw != NULL)
		r = ov_buf_add(&prot, req->protected_raw,
			       req->protected_raw_len, err);
	else
		r = jws_protected(req, alg, &prot, err);
	if (r != OV_OK)
		goto out;
	if ((prot_s = ov_b64url_encode(prot.data, prot.len)) == NULL ||
	    (pay_s = ov_b64url_encode(req->payload, req->payload_len)) ==
		NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_buf_adds(&tbs, prot_s, err)) != OV_OK ||
	    (r = ov_buf_add(&tbs, ".", 1, err)) != OV_OK ||
	    (r = ov_buf_adds(&tbs, pay_s, err)) != OV_OK ||
	    (r = raw_sign(req, key_alg, tbs.data, tbs.len, &sig, &sig_len,
			  err)) != OV_OK)
		goto out;
	/* Field order of notation-core-go's jwsEnvelope. */
	if ((r = ov_buf_adds(out, "{\"payload\":", err)) != OV_OK ||
	    (r = json_str(out, pay_s, err)) != OV_OK ||
	    (r = ov_buf_adds(out, ",\"protected\":", err)) != OV_OK ||
	    (r = json_str(out, prot_s, err)) != OV_OK ||
	    (r = ov_buf_adds(out, ",\"header\":{", err)) != OV_OK)
		goto out;
	/* No chain (a test knob): no x5c member. */
	if (req->chain != NULL &&
	    (r = ov_buf_adds(out, "\"x5c\":[", err)) != OV_OK)
		goto out;
	for (i = 0; i < chain_len(req); i++) {
		if ((r = cert_der(req, i, &der, &der_len, err)) != OV_OK ||
		    (i > 0 && (r = ov_buf_add(out, ",", 1, err)) != OV_OK) ||
		    (r = json_b64(out, der, der_len, 0, err)) != OV_OK)
			goto out;
		OPENSSL_free(der);
		der = NULL;
	}
	if (req->chain != NULL && (r = ov_buf_add(out, "]", 1, err)) != OV_OK)
		goto out;
	if (req->signing_agent != NULL &&
	    ((req->chain != NULL &&
	      (r = ov_buf_add(out, ",", 1, err)) != OV_OK) ||
	     (r = ov_buf_adds(out, "\"" OV_HDR_SIGNING_AGENT "\":", err)) !=
		 OV_OK ||
	     (r = json_str(out, req->signing_agent, err)) != OV_OK))
		goto out;
	if ((r = ov_buf_adds(out, "},\"signature\":", err)) != OV_OK ||
	    (r = json_b64(out, sig, sig_len, 1, err)) != OV_OK ||
	    (r = ov_buf_add(out, "}", 1, err)) != OV_OK)
		goto out;
	r = OV_OK;
out:
	OPENSSL_free(der);
	free(sig);
	free(prot_s);
	free(pay_s);
	ov_buf_free(&prot);
	ov_buf_free(&tbs);
	return r;
}

/* ---------------------------------------------------------------------
 * CBOR encoding (definite lengths, shortest heads).
 */

static enum ov_code
cb_head(struct ov_buf *b, unsigned major, uint64_t v, struct ov_err *err)
{
	unsigned char h[9];
	size_t n = cbor_encode_uint(v, h, sizeof(h));

	h[0] |= (unsigned char)(major << 5);
	return ov_buf_add(b, h, n, err);
}

static enum ov_code
cb_int(struct ov_buf *b, int64_t v, struct ov_err *err)
{
	if (v >= 0)
		return cb_head(b, CBOR_TYPE_UINT, (uint64_t)v, err);
	return cb_head(b, CBOR_TYPE_NEGINT, (uint64_t)(-(v + 1)), err);
}

static enum ov_code
cb_str(struct ov_buf *b, unsigned major, const void *p, size_t n,
       struct ov_err *err)
{
	enum ov_code r;

	if ((r = cb_head(b, major, n, err)) != OV_OK || n == 0)
		return r;
	return ov_buf_add(b, p, n, err);
}

static enum ov_code
cb_tstr(struct ov_buf *b, const char *s, struct ov_err *err)
{
	return cb_str(b, CBOR_TYPE_STRING, s, strlen(s), err);
}

static enum ov_code
cb_time(struct ov_buf *b, int64_t t, struct ov_err *err)
{
	enum ov_code r;

	if ((r = cb_head(b, CBOR_TYPE_TAG, 1, err)) != OV_OK)
		return r;
	return cb_int(b, t, err);
}

/* Map entries, each the encoded key followed by the encoded value. */
struct entry {
	struct ov_buf kv;
	size_t klen;
};

struct entries {
	struct entry *e;
	size_t n, cap;
};

/* Start a new entry *b; the caller writes the key, then entry_key_done(). */
static enum ov_code
entry_new(struct entries *es, struct ov_buf **b, struct ov_err *err)
{
	struct entry *ne;

	*b = NULL;
	if (es->n == es->cap) {
		es->cap = es->cap ? 2 * es->cap : 16;
		if ((ne = realloc(es->e, es->cap * sizeof(*ne))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		es->e = ne;
	}
	ov_buf_init(&es->e[es->n].kv, MAX_OUT);
	es->e[es->n].klen = 0;
	*b = &es->e[es->n++].kv;
	return OV_OK;
}

static void
entry_key_done(struct entries *es)
{
	es->e[es->n - 1].klen = es->e[es->n - 1].kv.len;
}

static void
entries_free(struct entries *es)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		ov_buf_free(&es->e[i].kv);
	free(es->e);
	es->e = NULL;
	es->n = es->cap = 0;
}

/* Canonical CBOR order: shorter encoded key first, then bytewise. */
static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return memcmp(x->kv.data, y->kv.data, x->klen);
}

static enum ov_code
entries_write(struct entries *es, struct ov_buf *out, struct ov_err *err)
{
	size_t i;
	enum ov_code r;

	qsort(es->e, es->n, sizeof(*es->e), cmp_entry);
	for (i = 1; i < es->n; i++)
		if (cmp_entry(&es->e[i - 1], &es->e[i]) == 0)
			return ov_err_set(err, OV_E_USAGE,
					  "sign: header label repeated");
	if ((r = cb_head(out, CBOR_TYPE_MAP, es->n, err)) != OV_OK)
		return r;
	for (i = 0; i < es->n; i++)
		if ((r = buf_cat(out, &es->e[i].kv, err)) != OV_OK)
			return r;
	return OV_OK;
}

/* A new entry *b with an integer or text key; the caller adds the value. */
static enum ov_code
entry_int(struct entries *es, int64_t label, struct ov_buf **b,
	  struct ov_err *err)
{
	enum ov_code r;

	if ((r = entry_new(es, b, err)) != OV_OK ||
	    (r = cb_int(*b, label, err)) != OV_OK)
		return r;
	entry_key_done(es);
	return OV_OK;
}

static enum ov_code
entry_str(struct entries *es, const char *label, struct ov_buf **b,
	  struct ov_err *err)
{
	enum ov_code r;

	if ((r = entry_new(es, b, err)) != OV_OK ||
	    (r = cb_tstr(*b, label, err)) != OV_OK)
		return r;
	entry_key_done(es);
	return OV_OK;
}

/* ---------------------------------------------------------------------
 * COSE.
 */

static enum ov_code
cose_protected(const struct ov_sign_request *req, enum ov_sig_alg alg,
	       struct ov_buf *out, struct ov_err *err)
{
	struct entries es = {NULL, 0, 0};
	struct ov_buf *b = NULL;
	size_t i, ncrit = 1;
	enum ov_code r;

	if ((r = entry_int(&es, 1, &b, err)) != OV_OK ||
	    (r = cb_int(b, ov_sig_alg_cose_id(alg), err)) != OV_OK)
		goto out;
	/* crit: scheme, authenticSigningTime, expiry, critical extras. */
	ncrit += req->scheme == OV_SCHEME_SIGNING_AUTHORITY;
	ncrit += req->has_expiry != 0;
	for (i = 0; i < req->nattrs; i++)
		ncrit += req->attrs[i].critical != 0;
	if ((r = entry_int(&es, 2, &b, err)) != OV_OK ||
	    (r = cb_head(b, CBOR_TYPE_ARRAY, ncrit, err)) != OV_OK ||
	    (r = cb_tstr(b, OV_HDR_SIGNING_SCHEME, err)) != OV_OK ||
	    (req->scheme == OV_SCHEME_SIGNING_AUTHORITY &&
	     (r = cb_tstr(b, OV_HDR_AUTHENTIC_SIGNING_TIME, err)) != OV_OK) ||
	    (req->has_expiry && (r = cb_tstr(b, OV_HDR_EXPIRY, err)) != OV_OK))
		goto out;
	for (i = 0; i < req->nattrs; i++)
		if (req->attrs[i].critical &&
		    (r = cb_tstr(b, req->attrs[i].name, err)) != OV_OK)
			goto out;
	if ((r = entry_int(&es, 3, &b, err)) != OV_OK ||
	    (r = cb_tstr(b, OV_MT_NOTARY_PAYLOAD, err)) != OV_OK ||
	    (r = entry_str(&es, OV_HDR_SIGNING_SCHEME, &b, err)) != OV_OK ||
	    (r = cb_tstr(b, ov_scheme_name(req->scheme), err)) != OV_OK ||
	    (r = entry_str(&es, time_label(req), &b, err)) != OV_OK ||
	    (r = cb_time(b, req->signing_time, err)) != OV_OK)
		goto out;
	if (req->has_expiry &&
	    ((r = entry_str(&es, OV_HDR_EXPIRY, &b, err)) != OV_OK ||
	     (r = cb_time(b, req->expiry, err)) != OV_OK))
		goto out;
	for (i = 0; i < req->nattrs; i++)
		if ((r = entry_str(&es, req->attrs[i].name, &b, err)) !=
			OV_OK ||
		    (r = cb_tstr(b, req->attrs[i].value, err)) != OV_OK)
			goto out;
	r = entries_write(&es, out, err);
out:
	entries_free(&es);
	return r;
}

static enum ov_code
cose_unprotected(const struct ov_sign_request *req, struct ov_buf *out,
		 struct ov_err *err)
{
	struct entries es = {NULL, 0, 0};
	struct ov_buf *b = NULL;
	unsigned char *der = NULL;
	size_t der_len;
	int i;
	enum ov_code r;

	/* No chain (a test knob): no x5chain label. */
	if (req->chain != NULL &&
	    ((r = entry_int(&es, 33, &b, err)) != OV_OK ||
	     (r = cb_head(b, CBOR_TYPE_ARRAY, (uint64_t)chain_len(req), err)) !=
		 OV_OK))
		goto out;
	for (i = 0; i < chain_len(req); i++) {
		if ((r = cert_der(req, i, &der, &der_len, err)) != OV_OK ||
		    (r = cb_str(b, CBOR_TYPE_BYTESTRING, der, der_len, err)) !=
			OV_OK)
			goto out;
		OPENSSL_free(der);
		der = NULL;
	}
	if (req->signing_agent != NULL &&
	    ((r = entry_str(&es, OV_HDR_SIGNING_AGENT, &b, err)) != OV_OK ||
	     (r = cb_tstr(b, req->signing_agent, err)) != OV_OK))
		goto out;
	r = entries_write(&es, out, err);
out:
	OPENSSL_free(der);
	entries_free(&es);
	return r;
}

static enum ov_code
sign_cose(const struct ov_sign_request *req, enum ov_sig_alg key_alg,
	  enum ov_sig_alg alg, struct ov_buf *out, struct ov_err *err)
{
	struct ov_buf prot, tbs;
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	enum ov_code r = OV_E_INTERNAL;

	ov_buf_init(&prot, MAX_OUT);
	ov_buf_init(&tbs, MAX_OUT);
	if (req->protected_raw != NULL)
		r = ov_buf_add(&prot, req->protected_raw,
			       req->protected_raw_len, err);
	else
		r = cose_protected(req, alg, &prot, err);
	if (r != OV_OK)
		goto out;
	/* RFC 9052 section 4.4 Sig_structure, external_aad h''. */
	if ((r = cb_head(&tbs, CBOR_TYPE_ARRAY, 4, err)) != OV_OK ||
	    (r = cb_tstr(&tbs, "Signature1", err)) != OV_OK ||
	    (r = cb_str(&tbs, CBOR_TYPE_BYTESTRING, prot.data, prot.len,
			err)) != OV_OK ||
	    (r = cb_head(&tbs, CBOR_TYPE_BYTESTRING, 0, err)) != OV_OK ||
	    (r = cb_str(&tbs, CBOR_TYPE_BYTESTRING, req->payload,
			req->payload_len, err)) != OV_OK ||
	    (r = raw_sign(req, key_alg, tbs.data, tbs.len, &sig, &sig_len,
			  err)) != OV_OK)
		goto out;
	/* COSE_Sign1_Tagged: tag 18, [protected, unprotected, payload, sig]. */
	if ((r = cb_head(out, CBOR_TYPE_TAG, 18, err)) != OV_OK ||
	    (r = cb_head(out, CBOR_TYPE_ARRAY, 4, err)) != OV_OK ||
	    (r = cb_str(out, CBOR_TYPE_BYTESTRING, prot.data, prot.len, err)) !=
		OV_OK ||
	    (r = cose_unprotected(req, out, err)) != OV_OK ||
	    (r = cb_str(out, CBOR_TYPE_BYTESTRING, req->payload,
			req->payload_len, err)) != OV_OK ||
	    (r = cb_str(out, CBOR_TYPE_BYTESTRING, sig, sig_len, err)) != OV_OK)
		goto out;
	r = OV_OK;
out:
	free(sig);
	ov_buf_free(&prot);
	ov_buf_free(&tbs);
	return r;
}

enum ov_code
ov_sign_envelope(const struct ov_sign_request *req, struct ov_buf *out,
		 struct ov_err *err)
{
	enum ov_sig_alg key_alg = OV_ALG_UNKNOWN, alg = OV_ALG_UNKNOWN;
	struct ov_buf b;
	enum ov_code r;

	if ((r = check_request(req, &key_alg, &alg, err)) != OV_OK)
		return r;
	ov_buf_init(&b, MAX_OUT);
	if (req->media_type != NULL && strcmp(req->media_type, OV_MT_JWS) == 0)
		r = sign_jws(req, key_alg, alg, &b, err);
	else if (req->media_type != NULL &&
		 strcmp(req->media_type, OV_MT_COSE) == 0)
		r = sign_cose(req, key_alg, alg, &b, err);
	else
		r = ov_err_set(
		    err, OV_E_UNSUPPORTED,
		    "signature envelope format with media type \"%.128s\" is not supported",
		    req->media_type != NULL ? req->media_type : "");
	if (r == OV_OK)
		r = buf_cat(out, &b, err);
	ov_buf_free(&b);
	return r;
}

/* ---------------------------------------------------------------------
 * Attaching a timestamp token.
 */

static enum ov_code
attach_jws(const void *env, size_t env_len, const void *token, size_t token_len,
	   struct ov_buf *out, struct ov_err *err)
{
	static const char *const names[] = {"payload", "protected", "header",
					    "signature"};
	cJSON *root = NULL;
	const cJSON *hdr = NULL, *m;
	const char *s = NULL;
	char *printed;
	size_t i;
	enum ov_code r;

	if ((r = ov_json_parse(env, env_len, "jws envelope", &root, err)) !=
		OV_OK ||
	    (r = ov_json_object(root, "header", 1, "jws envelope", &hdr,
				err)) != OV_OK ||
	    (r = ov_buf_add(out, "{", 1, err)) != OV_OK)
		goto out;
	for (i = 0; i < 4; i++) {
		if ((i > 0 && (r = ov_buf_add(out, ",", 1, err)) != OV_OK) ||
		    (r = json_str(out, names[i], err)) != OV_OK ||
		    (r = ov_buf_add(out, ":", 1, err)) != OV_OK)
			goto out;
		if (i != 2) {
			if ((r = ov_json_string(root, names[i], 1,
						"jws envelope", &s, err)) !=
				OV_OK ||
			    (r = json_str(out, s, err)) != OV_OK)
				goto out;
			continue;
		}
		/* notation's header order: the token first, then the rest. */
		if ((r = ov_buf_adds(out, "{\"" OV_HDR_TIMESTAMP "\":", err)) !=
			OV_OK ||
		    (r = json_b64(out, token, token_len, 0, err)) != OV_OK)
			goto out;
		for (m = hdr->child; m != NULL; m = m->next) {
			if (strcmp(m->string, OV_HDR_TIMESTAMP) == 0)
				continue;
			if ((printed = cJSON_PrintUnformatted(m)) == NULL) {
				r = ov_err_set(err, OV_E_NOMEM,
					       "out of memory");
				goto out;
			}
			if ((r = ov_buf_add(out, ",", 1, err)) == OV_OK &&
			    (r = json_str(out, m->string, err)) == OV_OK &&
			    (r = ov_buf_add(out, ":", 1, err)) == OV_OK)
				r = ov_buf_adds(out, printed, err);
			cJSON_free(printed);
			if (r != OV_OK)
				goto out;
		}
		if ((r = ov_buf_add(out, "}", 1, err)) != OV_OK)
			goto out;
	}
	r = ov_buf_add(out, "}", 1, err);
out:
	cJSON_Delete(root);
	return r;
}

/* Major type and argument of the CBOR head at p. */
static int
read_head(const unsigned char *p, size_t n, unsigned *major, uint64_t *v,
	  size_t *hl)
{
	unsigned ai;
	size_t i, k;

	if (n == 0)
		return 0;
	*major = p[0] >> 5;
	ai = p[0] & 31;
	if (ai < 24) {
		*v = ai;
		*hl = 1;
		return 1;
	}
	if (ai > 27)
		return 0;
	k = (size_t)1 << (ai - 24);
	if (n < 1 + k)
		return 0;
	for (*v = 0, i = 0; i < k; i++)
		*v = *v << 8 | p[1 + i];
	*hl = 1 + k;
	return 1;
}

static enum ov_code
attach_cose(const void *env, size_t env_len, const void *token,
	    size_t token_len, struct ov_buf *out, struct ov_err *err)
{
	const unsigned char *d = env;
	struct entries es = {NULL, 0, 0};
	struct ov_buf key, *b = NULL;
	size_t off, used, plen, hl, klen, vlen, i;
	unsigned major;
	uint64_t count;
	enum ov_code r;

	ov_buf_init(&key, 64);
	if (env_len < 2 || d[0] != 0xd2 || d[1] != 0x84) {
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    "cose envelope: invalid COSE_Sign1_Tagged object");
		goto out;
	}
	if ((r = ov_cbor_item_len(d, env_len, &used, err)) != OV_OK)
		goto out;
	if (used != env_len) {
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    "cose envelope: trailing bytes after the message");
		goto out;
	}
	if ((r = cb_tstr(&key, OV_HDR_TIMESTAMP, err)) != OV_OK)
		goto out;
	off = 2;
	/* protected bstr, copied as is */
	if ((r = ov_cbor_item_len(d + off, env_len - off, &plen, err)) != OV_OK)
		goto out;
	if (d[off] >> 5 != CBOR_TYPE_BYTESTRING ||
	    !read_head(d + off + plen, env_len - off - plen, &major, &count,
		       &hl) ||
	    major != CBOR_TYPE_MAP) {
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    "cose envelope: want a protected byte string and an unprotected map");
		goto out;
	}
	if ((r = cb_head(out, CBOR_TYPE_TAG, 18, err)) != OV_OK ||
	    (r = cb_head(out, CBOR_TYPE_ARRAY, 4, err)) != OV_OK ||
	    (r = ov_buf_add(out, d + off, plen, err)) != OV_OK)
		goto out;
	off += plen + hl;
	for (i = 0; i < count; i++) {
		if ((r = ov_cbor_item_len(d + off, env_len - off, &klen,
					  err)) != OV_OK ||
		    (r = ov_cbor_item_len(d + off + klen, env_len - off - klen,
					  &vlen, err)) != OV_OK)
			goto out;
		if (!(klen == key.len &&
		      memcmp(d + off, key.data, klen) == 0)) {
			if ((r = entry_new(&es, &b, err)) != OV_OK ||
			    (r = ov_buf_add(b, d + off, klen, err)) != OV_OK)
				goto out;
			entry_key_done(&es);
			if ((r = ov_buf_add(b, d + off + klen, vlen, err)) !=
			    OV_OK)
				goto out;
		}
		off += klen + vlen;
	}
	if ((r = entry_str(&es, OV_HDR_TIMESTAMP, &b, err)) != OV_OK ||
	    (r = cb_str(b, CBOR_TYPE_BYTESTRING, token, token_len, err)) !=
		OV_OK ||
	    (r = entries_write(&es, out, err)) != OV_OK)
		goto out;
	/* payload and signature, copied as is */
	r = ov_buf_add(out, d + off, env_len - off, err);
out:
	entries_free(&es);
	ov_buf_free(&key);
	return r;
}

enum ov_code
ov_sign_attach_timestamp(const char *media_type, const void *env,
			 size_t env_len, const void *token, size_t token_len,
			 struct ov_buf *out, struct ov_err *err)
{
	struct ov_buf b;
	enum ov_code r;

	if (token == NULL || token_len == 0)
		return ov_err_set(err, OV_E_USAGE,
				  "attach timestamp: empty token");
	ov_buf_init(&b, MAX_OUT);
	if (media_type != NULL && strcmp(media_type, OV_MT_JWS) == 0)
		r = attach_jws(env, env_len, token, token_len, &b, err);
	else if (media_type != NULL && strcmp(media_type, OV_MT_COSE) == 0)
		r = attach_cose(env, env_len, token, token_len, &b, err);
	else
		r = ov_err_set(
		    err, OV_E_UNSUPPORTED,
		    "signature envelope format with media type \"%.128s\" is not supported",
		    media_type != NULL ? media_type : "");
	if (r == OV_OK)
		r = buf_cat(out, &b, err);
	ov_buf_free(&b);
	return r;
}
