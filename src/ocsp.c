/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCSP responses from disk (RFC 6960): loading DER responses, and one
 * certificate against them: signed by its issuer or by a responder the
 * issuer authorized, current at the verification time, and what they
 * say about its CertID (SHA-1 or SHA-256).
 */
#include "config.h"

#include "revocation.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "revocation_int.h"
#include "text.h"
#include "timeutil.h"
#include "x509.h"

enum ov_code
ov_revocation_add_ocsp_data(struct ov_revocation *rv, const unsigned char *data,
			    size_t len, const char *name, struct ov_err *err)
{
	const unsigned char *p = data;
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *bs = NULL;
	char *src = NULL;
	int status;
	enum ov_code r = OV_E_INTERNAL;

	if (len == 0 || len > LONG_MAX ||
	    (resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len)) == NULL) {
		r = ov_err_ssl(err, OV_E_CONFIG, "%s: not a DER OCSP response",
			       name);
		goto out;
	}
	if ((size_t)(p - data) != len) {
		r = ov_err_set(
		    err, OV_E_CONFIG,
		    "%s: OCSP response is followed by %zu extra bytes", name,
		    len - (size_t)(p - data));
		goto out;
	}
	status = OCSP_response_status(resp);
	if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		r = ov_err_set(err, OV_E_CONFIG,
			       "%s: OCSP response status is %s, not successful",
			       name, OCSP_response_status_str(status));
		goto out;
	}
	if ((bs = OCSP_response_get1_basic(resp)) == NULL) {
		r = ov_err_ssl(err, OV_E_CONFIG,
			       "%s: not a basic OCSP response", name);
		goto out;
	}
	if (rv->nocsp >= OV_MAX_OCSP_RESPONSES) {
		r = ov_err_set(
		    err, OV_E_LIMIT,
		    "%s: more than the limit of %d OCSP responses loaded", name,
		    OV_MAX_OCSP_RESPONSES);
		goto out;
	}
	if ((src = strdup(name)) == NULL ||
	    ov_rev_grow(&rv->ocsps, &rv->ocspcap, rv->nocsp + 1,
			sizeof(*rv->ocsps)) != 0) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	rv->ocsps[rv->nocsp].bs = bs;
	rv->ocsps[rv->nocsp++].src = src;
	bs = NULL;  /* transferred */
	src = NULL; /* transferred */
	r = OV_OK;
out:
	free(src);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	return r;
}

/* --- checking ----------------------------------------------------------- */

static int
ocsp_verify_with(OCSP_BASICRESP *bs, EVP_PKEY *key)
{
	int ok;

	if (key == NULL)
		return 0;
	ERR_set_mark();
	ok = ASN1_item_verify(ASN1_ITEM_rptr(OCSP_RESPDATA),
			      OCSP_resp_get0_tbs_sigalg(bs),
			      OCSP_resp_get0_signature(bs),
			      OCSP_resp_get0_respdata(bs), key) == 1;
	ERR_pop_to_mark();
	return ok;
}

/*
 * 1 when the response is signed by the issuer, or by a responder
 * certificate it carries that the issuer signed, with the OCSPSigning
 * EKU and valid now (RFC 6960 4.2.2.2). *signer names who signed.
 */
static int
ocsp_signed(struct ctx *c, const struct ocsp_item *it, char signer[SHOW_MAX])
{
	const STACK_OF(X509) *certs = OCSP_resp_get0_certs(it->bs);
	EVP_PKEY *key = X509_get0_pubkey(c->issuer);
	const X509_ALGOR *alg = OCSP_resp_get0_tbs_sigalg(it->bs);
	X509 *resp;
	char name[SHOW_MAX];
	int i, ok;

	if (!ov_rev_sig_nid_ok(OBJ_obj2nid(alg->algorithm))) {
		ov_rev_why(
		    &c->why, WHY_BAD,
		    "OCSP response %s uses an unsupported signature algorithm",
		    it->src);
		return 0;
	}
	if (ocsp_verify_with(it->bs, key)) {
		memcpy(signer, c->issuer_name, SHOW_MAX);
		return 1;
	}
	for (i = 0; i < sk_X509_num(certs); i++) {
		resp = sk_X509_value(certs, i);
		if (X509_NAME_cmp(X509_get_issuer_name(resp),
				  X509_get_subject_name(c->issuer)) != 0)
			continue;
		ERR_set_mark();
		ok = key != NULL && X509_verify(resp, key) == 1;
		ERR_pop_to_mark();
		if (!ok)
			continue;
		ov_x509_show_name(X509_get_subject_name(resp), name, SHOW_MAX);
		if ((X509_get_extension_flags(resp) & EXFLAG_XKUSAGE) == 0 ||
		    (X509_get_extended_key_usage(resp) & XKU_OCSP_SIGN) == 0) {
			ov_rev_why(
			    &c->why, WHY_BAD,
			    "OCSP responder \"%s\" has no OCSPSigning extended key usage (%s)",
			    name, it->src);
			continue;
		}
		if (c->now < ov_x509_not_before(resp) ||
		    c->now > ov_x509_not_after(resp)) {
			ov_rev_why(
			    &c->why, WHY_TIME,
			    "OCSP responder \"%s\" is not valid at the verification time (%s)",
			    name, it->src);
			continue;
		}
		if (ocsp_verify_with(it->bs, X509_get0_pubkey(resp))) {
			memcpy(signer, name, SHOW_MAX);
			return 1;
		}
	}
	ov_rev_why(
	    &c->why, WHY_BAD,
	    "OCSP response %s is not signed by \"%s\" or by a responder it authorized",
	    it->src, c->issuer_name);
	return 0;
}

/* 1 when a single response is current and has no critical extension. */
static int
single_usable(struct ctx *c, const struct ocsp_item *it, OCSP_SINGLERESP *s,
	      int64_t *this_update)
{
	ASN1_GENERALIZEDTIME *thisupd = NULL, *nextupd = NULL;
	char tbuf[OV_TIME_STR_MAX];
	int64_t t;
	int i;

	if (OCSP_single_get0_status(s, NULL, NULL, &thisupd, &nextupd) < 0 ||
	    ov_x509_time(thisupd, this_update, NULL) != OV_OK ||
	    (nextupd != NULL && ov_x509_time(nextupd, &t, NULL) != OV_OK)) {
		ov_rev_why(&c->why, WHY_BAD, "OCSP response %s is malformed",
			   it->src);
		return 0;
	}
	if (*this_update > c->now) {
		ov_rev_why(&c->why, WHY_TIME,
			   "OCSP response %s is not valid yet: thisUpdate %s",
			   it->src, ov_time_format(*this_update, tbuf));
		return 0;
	}
	if (nextupd == NULL) {
		ov_rev_why(&c->why, WHY_TIME,
			   "OCSP response %s has no nextUpdate", it->src);
		return 0;
	}
	if (c->now >= t) {
		ov_rev_why(&c->why, WHY_STALE,
			   "OCSP response %s is stale: nextUpdate %s", it->src,
			   ov_time_format(t, tbuf));
		return 0;
	}
	for (i = 0; i < OCSP_SINGLERESP_get_ext_count(s); i++) {
		if (X509_EXTENSION_get_critical(
			OCSP_SINGLERESP_get_ext(s, i))) {
			ov_rev_why(
			    &c->why, WHY_BAD,
			    "OCSP response %s has an unsupported critical extension",
			    it->src);
			return 0;
		}
	}
	return 1;
}

/* The OCSP side: *decided is 0 when no usable response decides. */
enum ov_code
ov_rev_check_ocsp(struct ctx *c, struct verdict *v, int *decided,
		  struct ov_err *err)
{
	const struct ov_revocation *rv = c->rv;
	const EVP_MD *mds[2] = {EVP_sha1(), EVP_sha256()};
	OCSP_CERTID *ids[2] = {NULL, NULL};
	OCSP_SINGLERESP *s, *best = NULL;
	ASN1_GENERALIZEDTIME *revtime = NULL, *inv;
	const struct ocsp_item *bestit = NULL;
	char signer[SHOW_MAX], bestsigner[SHOW_MAX], tbuf[OV_TIME_STR_MAX];
	int64_t this_update, best_this = 0, when = 0, invt;
	size_t i;
	int k, idx, sig, status, reason = -1, crit = -1;
	enum ov_code r = OV_E_INTERNAL;

	*decided = 0;
	if (rv->nocsp == 0)
		return OV_OK;
	for (k = 0; k < 2; k++)
		if ((ids[k] = OCSP_cert_to_id(mds[k], c->cert, c->issuer)) ==
		    NULL) {
			r = ov_err_ssl(err, OV_E_NOMEM,
				       "cannot compute the OCSP CertID");
			goto out;
		}
	for (i = 0; i < rv->nocsp; i++) {
		sig = -1;
		for (k = 0; k < 2 && sig != 0; k++) {
			idx = -1;
			while ((idx = OCSP_resp_find(rv->ocsps[i].bs, ids[k],
						     idx)) >= 0) {
				s = OCSP_resp_get0(rv->ocsps[i].bs, idx);
				if (sig == -1)
					sig = ocsp_signed(c, &rv->ocsps[i],
							  signer);
				if (sig == 0)
					break;
				if (!single_usable(c, &rv->ocsps[i], s,
						   &this_update))
					continue;
				if (best == NULL || this_update > best_this) {
					best = s;
					bestit = &rv->ocsps[i];
					best_this = this_update;
					memcpy(bestsigner, signer, SHOW_MAX);
				}
			}
		}
	}
	r = OV_OK;
	if (best == NULL)
		goto out;
	status = OCSP_single_get0_status(best, &reason, &revtime, NULL, NULL);
	if (status == V_OCSP_CERTSTATUS_UNKNOWN) {
		ov_rev_why(
		    &c->why, WHY_DEFINITE,
		    "OCSP response %s says the status of \"%s\" is unknown",
		    bestit->src, c->name);
		goto out;
	}
	if (status == V_OCSP_CERTSTATUS_REVOKED) {
		if (ov_x509_time(revtime, &when, NULL) != OV_OK) {
			ov_rev_why(&c->why, WHY_BAD,
				   "OCSP response %s is malformed",
				   bestit->src);
			goto out;
		}
		inv = OCSP_SINGLERESP_get1_ext_d2i(best, NID_invalidity_date,
						   &crit, NULL);
		if (inv == NULL || ov_x509_time(inv, &invt, NULL) != OV_OK)
			invt = INT64_MIN;
		ASN1_GENERALIZEDTIME_free(inv);
		if (when <= c->now &&
		    (c->auth_time == INT64_MIN || invt == INT64_MIN ||
		     invt <= c->auth_time)) {
			v->status = OV_REV_REVOKED;
			v->msg = ov_strf(
			    "certificate \"%s\" is revoked: %s at %s (OCSP response from \"%s\")",
			    c->name, ov_rev_reason_name(reason),
			    ov_time_format(when, tbuf), bestsigner);
			goto done;
		}
	}
	v->status = OV_REV_OK;
	v->msg = ov_strf("OCSP response from \"%s\"", bestsigner);
done:
	*decided = 1;
	if (v->msg == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	OCSP_CERTID_free(ids[0]);
	OCSP_CERTID_free(ids[1]);
	return r;
}
