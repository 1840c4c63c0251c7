/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verification orchestration (signing-and-verification-workflow.md
 * "Signature Verification"; spec digest F.2-F.4, B.5, C.2, E.6, E.7).
 * Per image: resolve, pick the trust policy statement, check every blob,
 * discover signatures; per signature: integrity, authenticity,
 * expiry, authentic timestamp, revocation, each enforced, logged or
 * skipped as the statement says. An image verifies when one signature
 * passes every enforced check and all of its blobs are intact.
 */
#include "config.h"

#include "verify.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>

#include "dmap.h"
#include "dn.h"
#include "containerd.h"
#include "docker.h"
#include "envelope.h"
#include "layout.h"
#include "ovlimits.h"
#include "pool.h"
#include "sigalg.h"
#include "source.h"
#include "text.h"
#include "timeutil.h"
#include "revocation.h"
#include "truststore.h"
#include "tsa.h"
#include "x509.h"

struct store_cache {
	enum ov_store_type type;
	char *name;
	STACK_OF(X509) *certs; /* NULL when loading failed */
	enum ov_code code;
	char *error;
};

struct ov_verifier {
	struct ov_verify_config cfg;
	char *policy_path;
	char *truststore_dir;
	struct ov_policy *policy;
	/* Trust stores loaded so far, each allocated once so a pointer to
	 * it stays valid while other threads load more (stores_mu). */
	struct store_cache **stores;
	size_t nstores;
	pthread_mutex_t stores_mu;
	/* The bundles' layouts keep state as they are read (checked blobs,
	 * lazily built maps): one image reads them at a time. */
	pthread_mutex_t bundles_mu;
	int mutexes;
	struct ov_revocation *own_revocation; /* when cfg gave none */
	/* detached signature bundles (--signatures), searched for every
	 * image after its own layout */
	struct bundle {
		struct ov_source *src;
		struct ov_layout *layout;
	} *bundles;
	size_t nbundles;
	struct ov_pool *pool; /* cfg.jobs threads, started on first use */
	/* certificates decoded so far: chains and trust stores share them */
	struct ov_x509_cache *certs;
};

enum ov_code
ov_verifier_new(const struct ov_verify_config *cfg, struct ov_verifier **out,
    struct ov_err *err)
{
	struct ov_verifier *v;
	enum ov_code r;

	*out = NULL;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	v->cfg = *cfg;
	if (pthread_mutex_init(&v->stores_mu, NULL) != 0) {
		free(v);
		return ov_err_set(err, OV_E_INTERNAL,
		    "pthread_mutex_init failed");
	}
	if (pthread_mutex_init(&v->bundles_mu, NULL) != 0) {
		pthread_mutex_destroy(&v->stores_mu);
		free(v);
		return ov_err_set(err, OV_E_INTERNAL,
		    "pthread_mutex_init failed");
	}
	v->mutexes = 1;
	if (v->cfg.max_signatures == 0)
		v->cfg.max_signatures = OV_MAX_SIGNATURES;
	if ((v->policy_path = strdup(cfg->policy_path)) == NULL ||
	    (v->truststore_dir = strdup(cfg->truststore_dir)) == NULL) {
		ov_verifier_free(v);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	v->cfg.policy_path = v->policy_path;
	v->cfg.truststore_dir = v->truststore_dir;
	if ((r = ov_x509_cache_new(&v->certs, err)) != OV_OK ||
	    (r = ov_pool_new(cfg->jobs, &v->pool, err)) != OV_OK) {
		ov_verifier_free(v);
		return r;
	}
	/* archives decompress on a thread of their own when jobs allow */
	if (v->cfg.archive.jobs == 0)
		v->cfg.archive.jobs = (int)ov_pool_jobs(v->pool);
	if ((r = ov_policy_load(v->policy_path, &v->policy, err)) != OV_OK) {
		ov_verifier_free(v);
		return r;
	}
	if (v->cfg.revocation == NULL) {
		/* No CRLs at all: certificates with endpoints are unknown. */
		if ((r = ov_revocation_new(&v->own_revocation, err)) != OV_OK) {
			ov_verifier_free(v);
			return r;
		}
		v->cfg.revocation = v->own_revocation;
	}
	*out = v;
	return OV_OK;
}

void
ov_verifier_free(struct ov_verifier *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nstores; i++) {
		free(v->stores[i]->name);
		free(v->stores[i]->error);
		sk_X509_pop_free(v->stores[i]->certs, X509_free);
		free(v->stores[i]);
	}
	free(v->stores);
	if (v->mutexes) {
		pthread_mutex_destroy(&v->stores_mu);
		pthread_mutex_destroy(&v->bundles_mu);
	}
	for (i = 0; i < v->nbundles; i++) {
		ov_layout_free(v->bundles[i].layout);
		ov_source_close(v->bundles[i].src);
	}
	free(v->bundles);
	ov_pool_free(v->pool);
	ov_x509_cache_free(v->certs);
	ov_revocation_free(v->own_revocation);
	ov_policy_free(v->policy);
	free(v->policy_path);
	free(v->truststore_dir);
	free(v);
}

const struct ov_policy *
ov_verifier_policy(const struct ov_verifier *v)
{
	return v->policy;
}

enum ov_code
ov_verifier_add_bundle(struct ov_verifier *v, const char *path,
    struct ov_err *err)
{
	struct bundle *nb;
	struct ov_source *src = NULL;
	struct ov_layout *l = NULL;
	enum ov_code r;

	if ((r = ov_input_open(path, &v->cfg.archive, &src, NULL, err)) !=
		OV_OK ||
	    (r = ov_layout_open(src, &l, err)) != OV_OK) {
		ov_err_wrap(err, "--signatures");
		ov_source_close(src);
		return r;
	}
	if ((nb = realloc(v->bundles, (v->nbundles + 1) * sizeof(*nb))) ==
	    NULL) {
		ov_layout_free(l);
		ov_source_close(src);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	v->bundles = nb;
	nb[v->nbundles].src = src;
	nb[v->nbundles].layout = l;
	v->nbundles++;
	return OV_OK;
}

/*
 * The certificates of a named store, loading it on first use. Images
 * verified on several threads share the cache: the lock is held while
 * it is searched and filled, and entries, once added, never move or
 * change.
 */
static const struct store_cache *
get_store(struct ov_verifier *v, const struct ov_store_ref *ref,
    struct ov_err *err)
{
	struct store_cache **ns, *c = NULL;
	struct ov_err e;
	size_t i;

	pthread_mutex_lock(&v->stores_mu);
	for (i = 0; i < v->nstores; i++)
		if (v->stores[i]->type == ref->type &&
		    strcmp(v->stores[i]->name, ref->name) == 0) {
			c = v->stores[i];
			goto out;
		}
	if ((ns = realloc(v->stores, (v->nstores + 1) * sizeof(*ns))) ==
	    NULL) {
		ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	v->stores = ns;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	c->type = ref->type;
	if ((c->name = strdup(ref->name)) == NULL)
		goto nomem;
	c->code = ov_truststore_load(v->truststore_dir, ref->type, ref->name,
	    v->certs, &c->certs, &e);
	if (c->code != OV_OK && (c->error = strdup(e.msg)) == NULL)
		goto nomem;
	ns[v->nstores++] = c;
	goto out;
nomem:
	sk_X509_pop_free(c->certs, X509_free);
	free(c->name);
	free(c);
	c = NULL;
	ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	pthread_mutex_unlock(&v->stores_mu);
	return c;
}

/* ---- per-signature checks ----------------------------------------------- */

/* Everything one signature evaluation needs and produces. */
struct sigctx {
	struct ov_verifier *v;
	const struct ov_policy_statement *st;
	const struct ov_descriptor *target;
	struct ov_sig_result *s;
	struct ov_envelope *env;
	STACK_OF(X509) *chain;
	enum ov_code operational; /* an operational error seen on the way */
	struct ov_err operr;
	char *rev_note;           /* what a passed revocation check found */
	struct ov_descriptor payload_target; /* the payload's targetArtifact */
};

/*
 * Whether a failure of check c with code may only be logged under the
 * action "log". Two ocivet rules, each only stricter than notation
 * (SECURITY.md "Revocation evidence"): a certificate that revocation
 * material given to ocivet lists as revoked always fails; and a strict
 * statement that overrides authenticTimestamp to "log" logs only an
 * unknown revocation status of the timestamping chain (all an offline
 * site cannot know), never a chain that is not valid at the time used.
 */
static int
may_log(const struct ov_policy_statement *st, enum ov_check c,
    enum ov_code code)
{
	if (code == OV_E_CONFIG || code == OV_E_REVOKED)
		return 0;
	if (c == OV_CHECK_AUTHENTIC_TIMESTAMP && st->level == OV_LEVEL_STRICT)
		return code == OV_E_REVOCATION_UNKNOWN;
	return 1;
}

/*
 * Record the result of check c: code OV_OK passes; otherwise the action
 * decides between failed and logged, except where may_log() says the
 * failure always fails (an unusable trust store, a revoked certificate).
 * Returns 1 when evaluation must stop (an enforced failure, or out of
 * memory).
 */
static int
record(struct sigctx *x, enum ov_check c, enum ov_code code,
    const struct ov_err *e, struct ov_err *err)
{
	enum ov_action a = c == OV_CHECK_INTEGRITY ? OV_ACTION_ENFORCE
						   : x->st->actions[c];
	enum ov_outcome o;

	if (code == OV_OK)
		return ov_sig_set_check(x->s, c, OV_OUTCOME_PASSED, NULL,
			   err) != OV_OK;
	o = a == OV_ACTION_LOG && may_log(x->st, c, code) ? OV_OUTCOME_LOGGED
							  : OV_OUTCOME_FAILED;
	if (ov_strlist_add(&x->s->errors, &x->s->nerrors, e->msg, err) !=
		OV_OK ||
	    ov_sig_set_check(x->s, c, o, e->msg, err) != OV_OK)
		return 1;
	if (o == OV_OUTCOME_FAILED && x->s->code == OV_OK)
		x->s->code = code;
	return o == OV_OUTCOME_FAILED;
}

static enum ov_code
fill_chain_info(struct sigctx *x, struct ov_err *err)
{
	int i, n = sk_X509_num(x->chain);

	if ((x->s->chain = calloc((size_t)n, sizeof(*x->s->chain))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		X509 *c = sk_X509_value(x->chain, i);
		struct ov_cert_info *ci = &x->s->chain[i];
		x->s->nchain = (size_t)i + 1;
		ci->subject = ov_x509_name(X509_get_subject_name(c));
		ci->issuer = ov_x509_name(X509_get_issuer_name(c));
		if (ci->subject == NULL || ci->issuer == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		ov_x509_sha256(c, ci->sha256);
		ci->not_before = ov_x509_not_before(c);
		ci->not_after = ov_x509_not_after(c);
	}
	return OV_OK;
}

static enum ov_code
fill_envelope_info(struct sigctx *x, struct ov_err *err)
{
	struct ov_sig_result *s = x->s;
	const struct ov_envelope *env = x->env;

	s->has_signed_at = 1;
	s->signed_at = env->signing_time;
	s->has_expires_at = env->has_expiry;
	s->expires_at = env->expiry;
	if ((s->signing_scheme = strdup(ov_scheme_name(env->scheme))) == NULL ||
	    (s->algorithm = strdup(ov_sig_alg_jws_name(env->alg))) == NULL ||
	    (env->signing_agent != NULL &&
		(s->signing_agent = strdup(env->signing_agent)) == NULL))
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

static enum ov_code
chain_from_der(struct ov_x509_cache *cache, const struct ov_envelope *env,
    STACK_OF(X509) **out, struct ov_err *e)
{
	STACK_OF(X509) *chain;
	X509 *c = NULL;
	size_t i;
	enum ov_code r;

	*out = NULL;
	if (env->ncerts == 0)
		return ov_err_set(e, OV_E_FORMAT,
		    "the signature carries no certificate chain");
	if ((chain = sk_X509_new_null()) == NULL)
		return ov_err_set(e, OV_E_NOMEM, "out of memory");
	for (i = 0; i < env->ncerts; i++) {
		if ((r = ov_x509_cache_get(cache, env->certs[i].p,
			 env->certs[i].n, &c, e)) != OV_OK) {
			ov_err_wrap(e, "certificate %zu of the chain", i + 1);
			goto fail;
		}
		if (!sk_X509_push(chain, c)) {
			X509_free(c);
			r = ov_err_set(e, OV_E_NOMEM, "out of memory");
			goto fail;
		}
	}
	*out = chain;
	return OV_OK;
fail:
	sk_X509_pop_free(chain, X509_free);
	return r;
}

/*
 * Integrity (spec digest B.3-B.5, F.3 #1, #2, #9): envelope structure,
 * the certificate chain's shape, the algorithm the leaf key implies, the
 * cryptographic signature, the payload and its target. Always enforced.
 */
static enum ov_code
check_integrity(struct sigctx *x, const char *media_type, const void *data,
    size_t len, struct ov_err *e)
{
	struct ov_descriptor ta;
	enum ov_sig_alg key_alg;
	X509 *leaf;
	size_t i;
	enum ov_code r;

	memset(&ta, 0, sizeof(ta));
	if ((r = ov_envelope_parse(media_type, data, len, &x->env, e)) != OV_OK)
		return r;
	if ((r = fill_envelope_info(x, e)) != OV_OK)
		return r;
	if ((r = chain_from_der(x->v->certs, x->env, &x->chain, e)) != OV_OK)
		return r;
	if ((r = fill_chain_info(x, e)) != OV_OK)
		return r;
	if ((r = ov_x509_check_codesigning_chain(x->chain, e)) != OV_OK)
		return ov_err_wrap(e, "certificate chain is invalid");
	leaf = sk_X509_value(x->chain, 0);
	if ((r = ov_sig_alg_from_key(X509_get0_pubkey(leaf), &key_alg, e)) !=
	    OV_OK)
		return r;
	if (key_alg != x->env->alg)
		return ov_err_set(e, OV_E_SIGNATURE,
		    "signature algorithm %s in the envelope does not match the %s the signing certificate's key requires",
		    ov_sig_alg_jws_name(x->env->alg),
		    ov_sig_alg_jws_name(key_alg));
	if ((r = ov_sig_verify(x->env->alg, X509_get0_pubkey(leaf),
		 x->env->pss_salt, x->env->tbs.p, x->env->tbs.n, x->env->sig.p,
		 x->env->sig.n, e)) != OV_OK)
		return r;
	if (x->env->content_type == NULL ||
	    strcmp(x->env->content_type, OV_MT_NOTARY_PAYLOAD) != 0)
		return ov_err_set(e, OV_E_UNSUPPORTED,
		    "payload content type \"%.80s\" is not supported",
		    x->env->content_type ? x->env->content_type : "");
	/* Offline there is no plugin to run: such signatures fail. */
	if (x->env->plugin != NULL)
		return ov_err_set(e, OV_E_UNSUPPORTED,
		    "signature requires verification plugin \"%.80s\", and ocivet runs no plugins",
		    x->env->plugin);
	for (i = 0; i < x->env->nattrs; i++)
		if (x->env->attrs[i].critical)
			return ov_err_set(e, OV_E_UNSUPPORTED,
			    "unsupported critical attribute \"%.80s\" in the signature",
			    x->env->attrs[i].name);
	if ((r = ov_payload_parse(x->env->payload.p, x->env->payload.n, &ta,
		 e)) != OV_OK)
		return r;
	if (!ov_descriptor_same(&ta, x->target)) {
		r = ov_err_set(e, OV_E_DIGEST,
		    "the signature is for %s (%.80s, %lld bytes), not for this image %s (%.80s, %lld bytes)",
		    ta.digest.str, ta.media_type, (long long)ta.size,
		    x->target->digest.str, x->target->media_type,
		    (long long)x->target->size);
		ov_descriptor_clear(&ta);
		return r;
	}
	x->payload_target = ta; /* for --user-metadata */
	return OV_OK;
}

/*
 * Authenticity (spec digest C.2, E.6): a certificate of the chain is in a
 * trust store of the scheme's type named by the statement, and the leaf
 * subject matches a trusted identity.
 */
/*
 * The certificates of every store of type `want` that the statement
 * names, in *anchors (certificates borrowed from the cache). An unusable
 * store is a configuration error, recorded as operational.
 */
static enum ov_code
collect_anchors(struct sigctx *x, enum ov_store_type want,
    STACK_OF(X509) **anchors, size_t *nstores, struct ov_err *e)
{
	const struct store_cache *sc;
	size_t i;
	int j;

	*nstores = 0;
	if ((*anchors = sk_X509_new_null()) == NULL)
		return ov_err_set(e, OV_E_NOMEM, "out of memory");
	for (i = 0; i < x->st->nstores; i++) {
		if (x->st->stores[i].type != want)
			continue;
		(*nstores)++;
		if ((sc = get_store(x->v, &x->st->stores[i], e)) == NULL)
			return OV_E_NOMEM;
		if (sc->code != OV_OK) {
			x->operational = OV_E_CONFIG;
			ov_err_set(&x->operr, OV_E_CONFIG, "%s", sc->error);
			return ov_err_set(e, OV_E_CONFIG, "%s", sc->error);
		}
		for (j = 0; j < sk_X509_num(sc->certs); j++)
			if (!sk_X509_push(*anchors, sk_X509_value(sc->certs, j)))
				return ov_err_set(e, OV_E_NOMEM,
				    "out of memory");
	}
	return OV_OK;
}

static enum ov_code
check_authenticity(struct sigctx *x, struct ov_err *e)
{
	enum ov_store_type want = x->env->scheme == OV_SCHEME_SIGNING_AUTHORITY
	    ? OV_STORE_SIGNING_AUTHORITY
	    : OV_STORE_CA;
	STACK_OF(X509) *anchors = NULL;
	struct ov_dn *subject = NULL;
	X509 *leaf = sk_X509_value(x->chain, 0);
	size_t i, nstores = 0;
	enum ov_code r;

	if ((r = collect_anchors(x, want, &anchors, &nstores, e)) != OV_OK)
		goto out;
	if (nstores == 0) {
		r = ov_err_set(e, OV_E_CHAIN,
		    "trust policy statement \"%s\" names no trust store of type \"%s\", which signing scheme %s requires",
		    x->st->name, ov_store_type_name(want),
		    ov_scheme_name(x->env->scheme));
		goto out;
	}
	if (ov_x509_find_anchor(x->chain, anchors) < 0) {
		r = ov_err_set(e, OV_E_CHAIN,
		    "the signature's certificate chain does not contain any trusted certificate of the %s trust stores of statement \"%s\"",
		    ov_store_type_name(want), x->st->name);
		goto out;
	}
	if (x->st->any_identity) {
		r = OV_OK;
		goto out;
	}
	if (x->st->nidentities == 0) {
		r = ov_err_set(e, OV_E_POLICY,
		    "no x509 trusted identities are configured in trust policy statement \"%s\"",
		    x->st->name);
		goto out;
	}
	if ((r = ov_dn_from_name(X509_get_subject_name(leaf), &subject, e)) !=
	    OV_OK)
		goto out;
	for (i = 0; i < x->st->nidentities; i++)
		if (ov_dn_is_subset(x->st->identities[i], subject)) {
			r = OV_OK;
			goto out;
		}
	r = ov_err_set(e, OV_E_POLICY,
	    "signing certificate \"%s\" does not match the trusted identities of trust policy statement \"%s\"",
	    x->s->chain[0].subject, x->st->name);
	/* what was expected, as far as the message has room */
	for (i = 0; i < x->st->nidentities; i++) {
		size_t n = strlen(e->msg);
		if (snprintf(e->msg + n, sizeof(e->msg) - n, "%s\"%s\"",
			i == 0 ? "; it trusts " : ", ",
			x->st->identity_strings[i]) >= (int)(sizeof(e->msg) - n)) {
			(void)snprintf(e->msg + n, sizeof(e->msg) - n,
			    ", ... (%zu in all)", x->st->nidentities);
			break;
		}
	}
out:
	ov_dn_free(subject);
	sk_X509_free(anchors); /* the certificates belong to the cache */
	return r;
}

/* Expiry (spec digest F.3 #5): compared with the verification time. */
static enum ov_code
check_expiry(struct sigctx *x, struct ov_err *e)
{
	char t[OV_TIME_STR_MAX];

	if (x->env->has_expiry && x->v->cfg.now >= x->env->expiry)
		return ov_err_set(e, OV_E_EXPIRED,
		    "digital signature has expired on %s",
		    ov_time_format(x->env->expiry, t));
	return OV_OK;
}

/* Is any certificate of the chain expired at t? (spec digest D.2) */
static int
chain_expired_at(STACK_OF(X509) *chain, int64_t t)
{
	int i;

	for (i = 0; i < sk_X509_num(chain); i++)
		if (ov_x509_not_after(sk_X509_value(chain, i)) < t)
			return 1;
	return 0;
}

/*
 * The timestamp path of notary.x509 (spec digest D.3, D.4): the token
 * verifies against the statement's tsa stores, the timestamp interval
 * lies within every certificate of the signing chain, and the TSA chain
 * is not revoked (reported here, under authenticTimestamp, as notation
 * does).
 */
static enum ov_code
check_timestamp(struct sigctx *x, struct ov_err *e)
{
	STACK_OF(X509) *roots = NULL;
	struct ov_tsa_result ts;
	struct ov_rev_result rr;
	char t1[OV_TIME_STR_MAX], t2[OV_TIME_STR_MAX];
	size_t nstores = 0;
	int i;
	enum ov_code r;

	memset(&ts, 0, sizeof(ts));
	memset(&rr, 0, sizeof(rr));
	if (x->env->timestamp.n == 0) {
		r = ov_err_set(e, OV_E_TIMESTAMP,
		    "no timestamp countersignature was found in the signature envelope");
		goto out;
	}
	if ((r = collect_anchors(x, OV_STORE_TSA, &roots, &nstores, e)) !=
	    OV_OK)
		goto out;
	if ((r = ov_tsa_verify(x->env->timestamp.p, x->env->timestamp.n,
		 x->env->sig.p, x->env->sig.n, roots, &ts, e)) != OV_OK)
		goto out;
	x->s->has_timestamp = 1;
	x->s->timestamp_time = ts.gen_time;
	(void)ov_time_format(ts.lower, t1);
	(void)ov_time_format(ts.upper, t2);
	if ((x->s->tsa_subject = strdup(ts.tsa_subject)) == NULL ||
	    ov_set_str(&x->s->time_basis, e,
		"RFC 3161 timestamp, between %s and %s, by \"%s\"", t1, t2,
		ts.tsa_subject) != OV_OK) {
		r = ov_err_set(e, OV_E_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < sk_X509_num(x->chain); i++) {
		X509 *c = sk_X509_value(x->chain, i);
		if (ts.lower < ov_x509_not_before(c)) {
			r = ov_err_set(e, OV_E_TIMESTAMP,
			    "timestamp can be before certificate \"%s\" validity period, it will be valid from %s",
			    x->s->chain[i].subject,
			    ov_time_format(ov_x509_not_before(c), t1));
			goto out;
		}
		if (ts.upper > ov_x509_not_after(c)) {
			r = ov_err_set(e, OV_E_TIMESTAMP,
			    "timestamp can be after certificate \"%s\" validity period, it was expired at %s",
			    x->s->chain[i].subject,
			    ov_time_format(ov_x509_not_after(c), t1));
			goto out;
		}
	}
	if ((r = ov_revocation_check(x->v->cfg.revocation, ts.chain,
		 x->v->cfg.now, INT64_MIN, &rr, e)) != OV_OK)
		goto out;
	if (rr.status == OV_REV_REVOKED || rr.status == OV_REV_UNKNOWN) {
		r = ov_err_set(e,
		    rr.status == OV_REV_REVOKED ? OV_E_REVOKED
						: OV_E_REVOCATION_UNKNOWN,
		    "timestamping certificate chain: %s", rr.message);
		goto out;
	}
	r = OV_OK;
out:
	ov_rev_result_clear(&rr);
	ov_tsa_result_clear(&ts);
	sk_X509_free(roots); /* the certificates belong to the cache */
	return r;
}

/*
 * Authentic timestamp (spec digest C.5, D.2, D.4, F.4): for
 * notary.x509.signingAuthority the signed authentic signing time must lie
 * within every certificate's validity; for notary.x509 either an RFC 3161
 * timestamp vouches for the time (when the statement names tsa stores
 * and verifyTimestamp asks for it), or the chain must be valid at the
 * verification time.
 */
static enum ov_code
check_authentic_time(struct sigctx *x, struct ov_err *e)
{
	char t[OV_TIME_STR_MAX];
	size_t i, ntsa = 0;

	if (x->env->scheme == OV_SCHEME_SIGNING_AUTHORITY) {
		if (ov_set_str(&x->s->time_basis, e,
			"authentic signing time %s",
			ov_time_format(x->env->signing_time, t)) != OV_OK)
			return OV_E_NOMEM;
		return ov_x509_check_valid_at(x->chain, x->env->signing_time,
		    "authentic signing time", e);
	}
	for (i = 0; i < x->st->nstores; i++)
		if (x->st->stores[i].type == OV_STORE_TSA)
			ntsa++;
	if (ntsa > 0 &&
	    (x->st->verify_timestamp == OV_VERIFY_TS_ALWAYS ||
		chain_expired_at(x->chain, x->v->cfg.now)))
		return check_timestamp(x, e);
	if (ov_set_str(&x->s->time_basis, e, "verification time %s",
		ov_time_format(x->v->cfg.now, t)) != OV_OK)
		return OV_E_NOMEM;
	return ov_x509_check_valid_at(x->chain, x->v->cfg.now,
	    "verification time", e);
}

/*
 * Revocation of the signing chain (spec digest F.5) from the CRLs and
 * OCSP responses on disk. For notary.x509.signingAuthority the authentic
 * signing time decides entries with an invalidity date.
 */
static enum ov_code
check_revocation(struct sigctx *x, struct ov_err *e)
{
	struct ov_rev_result rr;
	int64_t auth = x->env->scheme == OV_SCHEME_SIGNING_AUTHORITY
	    ? x->env->signing_time
	    : INT64_MIN;
	enum ov_code r;

	memset(&rr, 0, sizeof(rr));
	if ((r = ov_revocation_check(x->v->cfg.revocation, x->chain,
		 x->v->cfg.now, auth, &rr, e)) != OV_OK)
		return r;
	switch (rr.status) {
	case OV_REV_REVOKED:
		r = ov_err_set(e, OV_E_REVOKED, "%s", rr.message);
		break;
	case OV_REV_UNKNOWN:
		r = ov_err_set(e, OV_E_REVOCATION_UNKNOWN, "%s", rr.message);
		break;
	case OV_REV_OK:
	case OV_REV_NONE:
		r = OV_OK;
		x->rev_note = rr.message;
		rr.message = NULL;
		break;
	}
	ov_rev_result_clear(&rr);
	return r;
}

/*
 * --user-metadata (notation verify -m): after every check passed, the
 * payload's targetArtifact annotations must hold each pair, or the
 * signature fails, whatever the level, with what it does hold.
 */
static enum ov_code
check_user_metadata(struct sigctx *x, struct ov_err *err)
{
	const struct ov_descriptor *t = &x->payload_target;
	const struct ov_annotation *want;
	struct ov_buf b;
	struct ov_quote q1, q2;
	const char *have;
	size_t i, k;
	enum ov_code r = OV_OK;

	ov_buf_init(&b, 4096);
	for (i = 0; i < x->v->cfg.nuser_metadata && r == OV_OK; i++) {
		want = &x->v->cfg.user_metadata[i];
		have = ov_annotation_get(t->annotations, t->nannotations,
		    want->key);
		if (have != NULL && strcmp(have, want->value) == 0)
			continue;
		ov_buf_reset(&b);
		for (k = 0; k < t->nannotations && r == OV_OK; k++)
			r = ov_buf_addf(&b, err, "%s%s=%s", k > 0 ? ", " : "",
			    ov_quote(&q1, t->annotations[k].key),
			    ov_quote(&q2, t->annotations[k].value));
		if (r == OV_OK)
			r = ov_buf_adds(&b, "", err); /* NUL-terminated */
		if (r != OV_OK)
			break;
		x->s->verified = 0;
		x->s->code = OV_E_POLICY;
		r = ov_strlist_take(&x->s->errors, &x->s->nerrors,
		    t->nannotations > 0
			? ov_strf("user metadata %s=%s is not in the signature (it has %s)",
			      ov_quote(&q1, want->key),
			      ov_quote(&q2, want->value), (char *)b.data)
			: ov_strf("user metadata %s=%s is not in the signature (it has no user metadata)",
			      ov_quote(&q1, want->key),
			      ov_quote(&q2, want->value)),
		    err);
	}
	ov_buf_free(&b);
	return r;
}

enum ov_code
ov_verify_envelope(struct ov_verifier *v, const struct ov_policy_statement *st,
    const struct ov_descriptor *target, const char *media_type,
    const void *data, size_t len, struct ov_sig_result *s,
    struct ov_err *err)
{
	/* The order of the Notary Project verification workflow. */
	static const enum ov_check order[OV_CHECK__COUNT] = {
	    OV_CHECK_INTEGRITY,
	    OV_CHECK_AUTHENTICITY,
	    OV_CHECK_EXPIRY,
	    OV_CHECK_AUTHENTIC_TIMESTAMP,
	    OV_CHECK_REVOCATION,
	};
	struct sigctx x;
	struct ov_err e;
	int i, stop = 0;
	size_t k;
	enum ov_code r = OV_OK;

	memset(&x, 0, sizeof(x));
	x.v = v;
	x.st = st;
	x.target = target;
	x.s = s;
	if (media_type != NULL && s->media_type == NULL &&
	    (s->media_type = strdup(media_type)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");

	for (k = 0; k < OV_CHECK__COUNT; k++) {
		enum ov_check c = order[k];

		if (stop) {
			/* Checks after an enforced failure are not run. */
			if (ov_sig_set_check(s, c, OV_OUTCOME_SKIPPED,
				"not evaluated: an earlier enforced check failed",
				err) != OV_OK) {
				r = OV_E_NOMEM;
				goto out;
			}
			continue;
		}
		if (c != OV_CHECK_INTEGRITY &&
		    st->actions[c] == OV_ACTION_SKIP) {
			if (ov_sig_set_check(s, c, OV_OUTCOME_SKIPPED,
				"skipped by the trust policy", err) != OV_OK) {
				r = OV_E_NOMEM;
				goto out;
			}
			continue;
		}
		ov_err_clear(&e);
		switch (c) {
		case OV_CHECK_INTEGRITY:
			r = check_integrity(&x, media_type, data, len, &e);
			break;
		case OV_CHECK_AUTHENTICITY:
			r = check_authenticity(&x, &e);
			break;
		case OV_CHECK_EXPIRY:
			r = check_expiry(&x, &e);
			break;
		case OV_CHECK_AUTHENTIC_TIMESTAMP:
			r = check_authentic_time(&x, &e);
			break;
		case OV_CHECK_REVOCATION:
		default:
			r = check_revocation(&x, &e);
			break;
		}
		if (r == OV_E_NOMEM || r == OV_E_INTERNAL) {
			ov_err_set(err, r, "%s", e.msg);
			goto out;
		}
		stop = record(&x, c, r, &e, err);
		/* A passed revocation check says what it found. */
		if (!stop && r == OV_OK && c == OV_CHECK_REVOCATION &&
		    x.rev_note != NULL &&
		    ov_sig_set_check(s, c, OV_OUTCOME_PASSED, x.rev_note,
			err) != OV_OK) {
			r = OV_E_NOMEM;
			goto out;
		}
	}
	s->verified = 1;
	for (i = 0; i < OV_CHECK__COUNT; i++)
		if (s->checks[i].outcome == OV_OUTCOME_FAILED)
			s->verified = 0;
	if (s->checks[OV_CHECK_INTEGRITY].outcome != OV_OUTCOME_PASSED)
		s->verified = 0;
	if (s->verified && (r = check_user_metadata(&x, err)) != OV_OK)
		goto out;
	r = OV_OK;
	if (x.operational != OV_OK) {
		r = x.operational;
		ov_err_set(err, r, "%s", x.operr.msg);
	}
out:
	free(x.rev_note);
	ov_descriptor_clear(&x.payload_target);
	ov_envelope_free(x.env);
	sk_X509_pop_free(x.chain, X509_free);
	return r;
}

/* ---- per-image ---------------------------------------------------------- */

char *
ov_scope_from_name(const char *name)
{
	char *s, *p;

	if (name == NULL || (s = strdup(name)) == NULL)
		return NULL;
	if ((p = strchr(s, '@')) != NULL)
		*p = '\0';
	p = strrchr(s, ':');
	if (p != NULL && strchr(p, '/') == NULL)
		*p = '\0';
	if (ov_scope_validate(s, NULL) != OV_OK) {
		free(s);
		return NULL;
	}
	return s;
}

static enum ov_code
set_image_error(struct ov_image_result *img, enum ov_code code,
    int operational, const char *msg, struct ov_err *err)
{
	img->verified = 0;
	img->code = code;
	img->operational = operational;
	return ov_set_str(&img->error, err, "%s", msg);
}

/*
 * The repository scope for policy selection, and where it came from;
 * *from_image is 1 when the image named it (its annotations), 0 when the
 * operator did (--scope, a full reference as the SOURCE tag).
 */
static enum ov_code
choose_scope(const char *opt_scope, const char *user_tag,
    const struct ov_target *t, struct ov_image_result *img, int *from_image,
    struct ov_err *err)
{
	char *s = NULL;
	const char *origin = NULL;

	*from_image = 0;
	if (opt_scope != NULL) {
		s = strdup(opt_scope);
		origin = "--scope";
	} else if (user_tag != NULL &&
	    (s = ov_scope_from_name(user_tag)) != NULL) {
		origin = "the SOURCE tag";
	} else if (t->name != NULL &&
	    (s = ov_scope_from_name(t->name)) != NULL) {
		origin = "io.containerd.image.name";
		*from_image = 1;
	} else if (t->tag != NULL && (s = ov_scope_from_name(t->tag)) != NULL) {
		origin = "org.opencontainers.image.ref.name";
		*from_image = 1;
	}
	if (origin == NULL)
		return OV_OK;
	if (s == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	img->scope = s;
	return ov_set_str(&img->scope_origin, err, "%s", origin);
}

static enum ov_code
add_warning(struct ov_image_result *img, struct ov_err *err, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static enum ov_code
add_warning(struct ov_image_result *img, struct ov_err *err, const char *fmt,
    ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ov_strlist_add(&img->warnings, &img->nwarnings, buf, err);
}

/* Evaluate one discovered signature manifest. */
static enum ov_code
verify_sigref(struct ov_verifier *v, struct ov_layout *l,
    const struct ov_policy_statement *st, const struct ov_target *t,
    const struct ov_sigref *ref, struct ov_sig_result *s, struct ov_err *err)
{
	const struct ov_descriptor *envd = NULL;
	struct ov_buf b;
	struct ov_err e;
	enum ov_code r;
	int i;

	ov_buf_init(&b, OV_MAX_ENVELOPE);
	if ((s->digest = strdup(ref->desc.digest.str)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (ref->m == NULL) {
		ov_err_set(&e, (enum ov_code)ref->error_code, "%s", ref->error);
		goto integrity_failed;
	}
	(void)ov_manifest_is_signature(ref->m, &envd);
	if (envd == NULL) {
		ov_err_set(&e, OV_E_FORMAT,
		    "signature manifest %s must have exactly one envelope blob, it has %zu",
		    ref->desc.digest.str, ref->m->nchildren);
		goto integrity_failed;
	}
	if ((s->media_type = strdup(envd->media_type)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (ref->m->has_config &&
	    !(strcmp(ref->m->config.digest.str, OV_EMPTY_DIGEST) == 0 &&
		ref->m->config.size == 2) &&
	    (r = ov_layout_check_blob(l, &ref->m->config, &e)) != OV_OK)
		goto integrity_failed;
	if (strcmp(envd->media_type, OV_MT_JWS) != 0 &&
	    strcmp(envd->media_type, OV_MT_COSE) != 0) {
		ov_err_set(&e, OV_E_UNSUPPORTED,
		    "signature envelope format with media type \"%.80s\" is not supported",
		    envd->media_type);
		goto integrity_failed;
	}
	if (ov_layout_read_blob(l, envd, &b, &e) != OV_OK)
		goto integrity_failed;
	r = ov_verify_envelope(v, st, &t->desc, envd->media_type, b.data, b.len,
	    s, err);
	ov_buf_free(&b);
	return r;

integrity_failed:
	ov_buf_free(&b);
	if (e.code == OV_E_NOMEM)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (e.code == OV_E_IO)
		ov_err_set(err, OV_E_IO, "%s", e.msg);
	s->code = e.code;
	if (ov_sig_set_check(s, OV_CHECK_INTEGRITY, OV_OUTCOME_FAILED, e.msg,
		err) != OV_OK ||
	    ov_strlist_add(&s->errors, &s->nerrors, e.msg, err) != OV_OK)
		return OV_E_NOMEM;
	for (i = OV_CHECK_AUTHENTICITY; i < OV_CHECK__COUNT; i++)
		if (ov_sig_set_check(s, (enum ov_check)i, OV_OUTCOME_SKIPPED,
			"not evaluated: an earlier enforced check failed",
			err) != OV_OK)
			return OV_E_NOMEM;
	return e.code == OV_E_IO ? OV_E_IO : OV_OK;
}

/* A signature manifest found for an image, and the layout holding it. */
struct found_sig {
	struct ov_layout *from;
	struct ov_sigref *ref; /* borrowed from the per-layout arrays */
};

static int
found_cmp(const void *a, const void *b)
{
	const struct found_sig *x = a, *y = b;

	return strcmp(x->ref->desc.digest.str, y->ref->desc.digest.str);
}

/*
 * The signatures of target in layout l and in every bundle, without
 * repeats, ordered by digest: the first max_signatures of them. *total
 * is how many there are (an upper bound when bundles repeat some beyond
 * the limit). lists/nlists keep the per-layout arrays alive; free them
 * with free_found().
 */
static enum ov_code
find_signatures(struct ov_verifier *v, struct ov_layout *l,
    const struct ov_descriptor *target, struct found_sig **out, size_t *nout,
    size_t *total, struct ov_sigref ***lists, size_t **nlists,
    struct ov_err *err)
{
	size_t nl = 1 + v->nbundles, i, k, n = 0, cap = 0, tot, dups = 0;
	struct found_sig *f = NULL, *nf;
	struct ov_dmap seen = {0};
	enum ov_code r;

	*out = NULL;
	*nout = 0;
	*total = 0;
	if ((*lists = calloc(nl, sizeof(**lists))) == NULL ||
	    (*nlists = calloc(nl, sizeof(**nlists))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < nl; i++) {
		struct ov_layout *from = i == 0 ? l : v->bundles[i - 1].layout;
		if ((r = ov_layout_signatures(from, target,
			 v->cfg.max_signatures, &(*lists)[i], &(*nlists)[i],
			 &tot, err)) != OV_OK)
			goto fail;
		*total += tot;
		for (k = 0; k < (*nlists)[i]; k++) {
			struct ov_sigref *ref = &(*lists)[i][k];
			if (ov_dmap_get(&seen, &ref->desc.digest, NULL)) {
				dups++;
				continue;
			}
			if ((r = ov_dmap_put(&seen, &ref->desc.digest, 0,
				 err)) != OV_OK)
				goto fail;
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				if ((nf = realloc(f, cap * sizeof(*nf))) ==
				    NULL) {
					r = ov_err_set(err, OV_E_NOMEM,
					    "out of memory");
					goto fail;
				}
				f = nf;
			}
			f[n].from = from;
			f[n].ref = ref;
			n++;
		}
	}
	*total -= dups;
	/* Each list holds its first max_signatures; so does the merge. */
	if (n > 1)
		qsort(f, n, sizeof(*f), found_cmp);
	if (n > v->cfg.max_signatures)
		n = v->cfg.max_signatures;
	*out = f;
	*nout = n;
	ov_dmap_free(&seen);
	return OV_OK;
fail:
	free(f);
	ov_dmap_free(&seen);
	return r;
}

static void
free_found(struct ov_verifier *v, struct found_sig *f, struct ov_sigref **lists,
    size_t *nlists)
{
	size_t i;

	free(f);
	if (lists != NULL && nlists != NULL)
		for (i = 0; i < 1 + v->nbundles; i++)
			ov_sigrefs_free(lists[i], nlists[i]);
	free(lists);
	free(nlists);
}

static enum ov_code
verify_signatures(struct ov_verifier *v, struct ov_layout *l,
    const struct ov_policy_statement *st, const struct ov_target *t,
    struct ov_image_result *img, struct ov_err *err)
{
	struct found_sig *refs = NULL;
	struct ov_sigref **lists = NULL;
	size_t *nlists = NULL;
	struct ov_sig_result *s;
	size_t n = 0, total = 0, i, k, nver = 0;
	enum ov_code r, op = OV_OK;
	char opmsg[OV_ERR_MSG_MAX] = "";
	int capped;

	if ((r = find_signatures(v, l, &t->desc, &refs, &n, &total, &lists,
		 &nlists, err)) != OV_OK)
		goto out;
	capped = total > n;
	if (n == 0) {
		r = set_image_error(img, OV_E_NOTFOUND, 0,
		    v->nbundles > 0
			? "no signature is associated with the image, in its layout or in the --signatures bundles"
			: "no signature is associated with the image (detached signatures are given with --signatures)",
		    err);
		goto out;
	}
	if (capped &&
	    (r = add_warning(img, err,
		 "%zu signatures found; only the first %zu by digest were evaluated (--max-signatures)",
		 total, n)) != OV_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if ((s = ov_image_add_sig(img)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		r = verify_sigref(v, refs[i].from, st, t, refs[i].ref, s, err);
		if (r == OV_E_NOMEM || r == OV_E_INTERNAL)
			goto out;
		if (r != OV_OK && op == OV_OK) {
			op = r;
			(void)snprintf(opmsg, sizeof(opmsg), "%s", err->msg);
		}
		if (s->verified)
			nver++;
	}
	/* Logged failures of the signatures that verified are warnings. */
	for (i = 0; i < img->nsigs; i++) {
		s = &img->sigs[i];
		if (!s->verified)
			continue;
		for (k = 0; k < OV_CHECK__COUNT; k++)
			if (s->checks[k].outcome == OV_OUTCOME_LOGGED &&
			    (r = add_warning(img, err,
				 "signature %s: %s was set to \"log\" and failed: %s",
				 s->digest, ov_check_name((enum ov_check)k),
				 s->checks[k].message)) != OV_OK)
				goto out;
	}
	if (op != OV_OK) {
		r = set_image_error(img, op, 1, opmsg, err);
		goto out;
	}
	if (nver > 0) {
		img->verified = 1;
		r = OV_OK;
		goto out;
	}
	if (capped)
		r = ov_set_str(&img->error, err,
		    "signature evaluation stopped at the --max-signatures limit: none of the first %zu of %zu signatures passed verification; signature %s: %s",
		    img->nsigs, total, img->sigs[0].digest,
		    img->sigs[0].nerrors ? img->sigs[0].errors[0] : "failed");
	else if (img->nsigs == 1)
		r = ov_set_str(&img->error, err, "signature %s: %s",
		    img->sigs[0].digest,
		    img->sigs[0].nerrors ? img->sigs[0].errors[0] : "failed");
	else
		r = ov_set_str(&img->error, err,
		    "none of %zu signatures passed verification; signature %s: %s",
		    img->nsigs, img->sigs[0].digest,
		    img->sigs[0].nerrors ? img->sigs[0].errors[0] : "failed");
	img->code = img->sigs[0].code != OV_OK ? img->sigs[0].code
					       : OV_E_SIGNATURE;
out:
	free_found(v, refs, lists, nlists);
	return r;
}

/*
 * A scope the image named (from_image) may select only a statement as
 * strict as the "*" one (ov_policy_as_strict), unless the operator lets
 * it with --trust-source-scope: then the result carries a warning. An
 * image named into a weaker statement fails here.
 */
static enum ov_code
check_named_scope(struct ov_verifier *v, const struct ov_policy_statement *st,
    struct ov_image_result *img, struct ov_err *err)
{
	const struct ov_policy_statement *base = ov_policy_select(v->policy,
	    NULL);
	char *wild = NULL;
	struct ov_err why;
	enum ov_code r;

	if (ov_policy_as_strict(st, base, &why) == OV_OK)
		return OV_OK;
	if (base != NULL)
		r = ov_set_str(&wild, err, "weaker than the \"*\" statement \"%s\"",
		    base->name);
	else
		r = ov_set_str(&wild, err,
		    "and %s has no \"*\" statement, so such a scope may only select a statement that enforces every check",
		    v->policy_path);
	if (r != OV_OK)
		return r;
	if (v->cfg.trust_source_scope) {
		r = add_warning(img, err,
		    "the image names its repository scope \"%s\" (%s), which selects trust policy statement \"%s\" (%s), %s: %s; --trust-source-scope allows it",
		    img->scope, img->scope_origin, st->name, img->level, wild,
		    why.msg);
		free(wild);
		return r;
	}
	img->verified = 0;
	img->code = OV_E_POLICY;
	r = ov_set_str(&img->error, err,
	    "the image names its repository scope \"%s\" (%s), which selects trust policy statement \"%s\" (%s), %s: %s; give the scope with --scope, or pass --trust-source-scope to let the image choose",
	    img->scope, img->scope_origin, st->name, img->level, wild,
	    why.msg);
	free(wild);
	/* no statement applied */
	free(img->trust_policy);
	free(img->level);
	img->trust_policy = img->level = NULL;
	return r;
}

/*
 * The statement for img->scope, or NULL with the image failed. from_image
 * says that the image named the scope itself (see check_named_scope).
 */
static enum ov_code
select_statement(struct ov_verifier *v, struct ov_image_result *img,
    int from_image, const struct ov_policy_statement **out,
    struct ov_err *err)
{
	const struct ov_policy_statement *st;
	struct ov_err e;
	enum ov_code r;

	*out = NULL;
	st = ov_policy_select(v->policy, img->scope);
	if (st == NULL) {
		if (img->scope != NULL)
			ov_err_set(&e, OV_E_POLICY,
			    "no trust policy statement applies to repository scope \"%s\" (from %s) in %s",
			    img->scope, img->scope_origin, v->policy_path);
		else
			ov_err_set(&e, OV_E_POLICY,
			    "the image has no repository scope and %s has no \"*\" statement; give one with --scope",
			    v->policy_path);
		return set_image_error(img, e.code, 0, e.msg, err);
	}
	if ((img->trust_policy = strdup(st->name)) == NULL ||
	    (img->level = strdup(st->custom ? "custom"
					    : ov_level_name(st->level))) ==
		NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (from_image) {
		if ((r = check_named_scope(v, st, img, err)) != OV_OK)
			return r;
		if (img->error != NULL)
			return OV_OK; /* refused: the image failed */
	}
	*out = st;
	return OV_OK;
}

/*
 * An image known by its config only (docker save): its signatures are
 * those of the signed manifests in the bundles whose config is config,
 * and of the indexes that list them (spec digest A.8). The digest chain
 * below the config is the caller's to check.
 */
static enum ov_code
verify_by_config(struct ov_verifier *v, const struct ov_policy_statement *st,
    const struct ov_digest *config, int64_t config_size,
    struct ov_image_result *img, struct ov_err *err)
{
	struct ov_descriptor *cands = NULL, *parents = NULL;
	size_t ncands = 0, nparents = 0, b, i, k, tried = 0;
	struct ov_target t;
	char *first = NULL;
	enum ov_code r = OV_OK, first_code = OV_OK;

	if (v->nbundles == 0)
		return set_image_error(img, OV_E_NOTFOUND, 0,
		    "the archive holds no signatures for this image: give the signature bundle with --signatures",
		    err);
	for (b = 0; b < v->nbundles && !img->verified; b++) {
		struct ov_layout *bl = v->bundles[b].layout;
		if ((r = ov_layout_find_by_config(bl, config, &cands, &ncands,
			 err)) != OV_OK)
			goto out;
		/* each candidate costs a walk of the bundle's indexes */
		if (ncands > OV_MAX_CONFIG_MANIFESTS) {
			char msg[256];

			(void)snprintf(msg, sizeof(msg),
			    "signature bundle %zu holds %zu manifests with this image's config, more than the %d ocivet tries (a bundle from ocivet bundle export holds one)",
			    b + 1, ncands, OV_MAX_CONFIG_MANIFESTS);
			r = set_image_error(img, OV_E_LIMIT, 0, msg, err);
			goto out;
		}
		for (i = 0; i < ncands && !img->verified; i++) {
			const struct ov_manifest *m =
			    ov_layout_manifest(bl, &cands[i].digest);
			if (m == NULL || m->config.size != config_size)
				continue;
			if ((r = ov_layout_parents(bl, &cands[i].digest,
				 &parents, &nparents, err)) != OV_OK)
				goto out;
			/* the manifest itself, then the indexes above it */
			for (k = 0; k <= nparents && !img->verified; k++) {
				size_t before = img->nsigs;
				memset(&t, 0, sizeof(t));
				t.desc = k == 0 ? cands[i] : parents[k - 1];
				tried++;
				/* keep the reason of the first candidate that
				 * had signatures */
				if (first == NULL && before > 0) {
					first = img->error;
					first_code = img->code;
					img->error = NULL;
				}
				free(img->error);
				img->error = NULL;
				if ((r = verify_signatures(v, bl, st, &t, img,
					 err)) != OV_OK)
					goto out;
				if (img->verified &&
				    (r = ov_set_str(&img->signed_digest, err,
					 "%s", t.desc.digest.str)) != OV_OK)
					goto out;
			}
			for (k = 0; k < nparents; k++)
				ov_descriptor_clear(&parents[k]);
			free(parents);
			parents = NULL;
			nparents = 0;
		}
		for (i = 0; i < ncands; i++)
			ov_descriptor_clear(&cands[i]);
		free(cands);
		cands = NULL;
		ncands = 0;
	}
	if (tried == 0) {
		img->code = OV_E_NOTFOUND;
		r = ov_set_str(&img->error, err,
		    "no signed manifest in the --signatures bundles has the image's config %s",
		    config->str);
	} else if (img->verified) {
		img->code = OV_OK;
		free(img->error);
		img->error = NULL;
	} else if (first != NULL) {
		free(img->error);
		img->error = first;
		img->code = first_code;
		first = NULL;
	}
out:
	free(first);
	for (k = 0; k < nparents; k++)
		ov_descriptor_clear(&parents[k]);
	free(parents);
	for (i = 0; i < ncands; i++)
		ov_descriptor_clear(&cands[i]);
	free(cands);
	return r;
}

/*
 * Docker 25+ saves an OCI layout whose manifests are made at save time:
 * uncompressed layers stored under their diff_ids, with the original
 * config. Such an image is bound to a signed manifest through its config
 * when its layers are exactly the config's diff_ids (all checked blobs).
 * *config is set when that holds.
 */
static int
bindable(struct ov_layout *l, const struct ov_target *t,
    const struct ov_descriptor **config)
{
	const struct ov_manifest *m = ov_layout_manifest(l, &t->desc.digest);
	struct ov_digest *ids = NULL;
	struct ov_buf b;
	size_t n = 0, i;
	int ok = 0;

	*config = NULL;
	if (m == NULL || m->kind != OV_KIND_MANIFEST || !m->has_config)
		return 0;
	ov_buf_init(&b, OV_MAX_MANIFEST);
	if (ov_layout_read_blob(l, &m->config, &b, NULL) == OV_OK &&
	    ov_config_diff_ids(b.data, b.len, &ids, &n, NULL) == OV_OK &&
	    n == m->nchildren) {
		ok = 1;
		for (i = 0; i < n; i++)
			if (!ov_digest_equal(&ids[i], &m->children[i].digest))
				ok = 0;
	}
	free(ids);
	ov_buf_free(&b);
	if (ok)
		*config = &m->config;
	return ok;
}

/*
 * --shard I/N: is the image (or SOURCE) whose key is key in this shard?
 * A SHA-256 manifest digest is already a uniform hash: its first 64 bits
 * modulo N. Any other key (a SHA-512 digest, a SOURCE that named no
 * image) is hashed with SHA-256 first. Every key falls in exactly one
 * shard, so N runs over the same inputs partition them without talking
 * to each other.
 */
static int
in_shard(const struct ov_verifier *v, const char *key)
{
	struct ov_digest d;
	struct ov_err e;
	uint64_t h = 0;
	size_t i;

	if (v->cfg.shard_count <= 1)
		return 1;
	if ((ov_digest_parse(key, &d, &e) != OV_OK ||
		d.alg != OV_DIGEST_SHA256) &&
	    ov_digest_of(OV_DIGEST_SHA256, key, strlen(key), &d, &e) != OV_OK)
		return 1; /* never lose an image: verify it here */
	for (i = 0; i < 8; i++)
		h = h << 8 | d.raw[i];
	return h % v->cfg.shard_count == v->cfg.shard_index;
}

/*
 * The name operators know the image by (registry/repo:tag or
 * registry/repo@digest): the full reference the operator gave as the
 * SOURCE tag, else the one the layout records (io.containerd.image.name,
 * then a full org.opencontainers.image.ref.name). A name without tag or
 * digest gets the image's digest. No name (NULL) otherwise.
 */
static enum ov_code
set_name(struct ov_image_result *img, const char *user_tag,
    const struct ov_target *t, struct ov_err *err)
{
	const char *cands[3] = {user_tag, t->name, t->tag};
	char *repo;
	size_t i;
	int bare;

	for (i = 0; i < 3; i++) {
		if (cands[i] == NULL ||
		    (repo = ov_scope_from_name(cands[i])) == NULL)
			continue;
		bare = strcmp(repo, cands[i]) == 0;
		free(repo);
		if (bare)
			return ov_set_str(&img->name, err, "%s@%s", cands[i],
			    t->desc.digest.str);
		return ov_set_str(&img->name, err, "%s", cands[i]);
	}
	return OV_OK;
}

/*
 * A containerd store holds an index and the manifest of the node's own
 * platform (cfg.platform). When the index has no signature, the image
 * verifies when every manifest of that platform the store holds has one
 * that verifies (a signature on either is how notation signs
 * multi-platform images); other platforms' manifests, which containerd
 * may not have collected yet, do not count.
 */
static enum ov_code
verify_platforms(struct ov_verifier *v, struct ov_layout *l,
    const struct ov_policy_statement *st, const struct ov_target *t,
    struct ov_image_result *img, struct ov_err *err)
{
	const struct ov_manifest *m = ov_layout_manifest(l, &t->desc.digest);
	struct ov_image_result one;
	struct ov_target ct;
	struct ov_sig_result *s;
	size_t i, k, nplat = 0;
	enum ov_code r = OV_OK;

	if (m == NULL || m->kind != OV_KIND_INDEX)
		return OV_OK;
	memset(&one, 0, sizeof(one));
	memset(&ct, 0, sizeof(ct));
	for (i = 0; i < m->nchildren; i++) {
		const struct ov_descriptor *c = &m->children[i];
		const struct ov_manifest *cm;
		if (!ov_media_type_is_manifest(c->media_type) ||
		    !ov_platform_matches(v->cfg.platform, c->platform) ||
		    (cm = ov_layout_manifest(l, &c->digest)) == NULL ||
		    cm->has_subject || ov_manifest_is_signature(cm, NULL))
			continue; /* absent here, or an attached artifact */
		ct.desc = *c; /* borrowed: verify_signatures reads desc */
		ov_image_result_clear(&one);
		if ((r = verify_signatures(v, l, st, &ct, &one, err)) != OV_OK)
			goto out;
		if (one.nsigs == 0 && nplat == 0)
			goto out; /* the index's "no signature" stands */
		if (one.nsigs == 0) {
			nplat = 0;
			img->code = OV_E_NOTFOUND;
			r = ov_set_str(&img->error, err,
			    "platform manifest %s: %s", c->digest.str,
			    one.error != NULL ? one.error : "no signature");
			goto out;
		}
		nplat++;
		for (k = 0; k < one.nsigs; k++) {
			if ((s = ov_image_add_sig(img)) == NULL) {
				r = ov_err_set(err, OV_E_NOMEM,
				    "out of memory");
				goto out;
			}
			*s = one.sigs[k];
			memset(&one.sigs[k], 0, sizeof(one.sigs[k]));
		}
		for (k = 0; k < one.nwarnings; k++)
			if ((r = add_warning(img, err, "%s",
				 one.warnings[k])) != OV_OK)
				goto out;
		if (!one.verified) {
			nplat = 0;
			img->verified = 0;
			img->code = one.code;
			img->operational = one.operational;
			r = ov_set_str(&img->error, err,
			    "platform manifest %s: %s", c->digest.str,
			    one.error != NULL ? one.error : "not verified");
			goto out;
		}
		if ((r = ov_set_str(&img->signed_digest, err, "%s",
			 c->digest.str)) != OV_OK)
			goto out;
	}
	if (nplat > 0) {
		free(img->error);
		img->error = NULL;
		img->code = OV_OK;
		img->verified = 1;
	}
out:
	ov_image_result_clear(&one);
	return r;
}

static enum ov_code
verify_target(struct ov_verifier *v, struct ov_layout *l, const char *spec,
    const char *path, const char *user_tag, const struct ov_target *t,
    const char *opt_scope, struct ov_pool *pool, struct ov_report *rep,
    struct ov_err *err)
{
	const struct ov_policy_statement *st = NULL;
	const struct ov_descriptor *config;
	struct ov_image_result *img;
	struct ov_err e;
	uint64_t bytes;
	size_t skipped = 0;
	int blobs_ok, from_image;
	enum ov_code r;

	if (!in_shard(v, t->desc.digest.str))
		return OV_OK; /* another shard's */
	if ((img = ov_report_add(rep)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((img->source = strdup(spec)) == NULL ||
	    (img->digest = strdup(t->desc.digest.str)) == NULL ||
	    (img->media_type = strdup(t->desc.media_type)) == NULL ||
	    (t->tag != NULL && (img->tag = strdup(t->tag)) == NULL) ||
	    (t->name != NULL && (img->name = strdup(t->name)) == NULL))
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (t->tag != NULL)
		r = ov_set_str(&img->reference, err, "%s:%s", path, t->tag);
	else
		r = ov_set_str(&img->reference, err, "%s@%s", path,
		    t->desc.digest.str);
	if (r != OV_OK || (r = set_name(img, user_tag, t, err)) != OV_OK ||
	    (r = choose_scope(opt_scope, user_tag, t, img, &from_image,
		 err)) != OV_OK)
		return r;
	if (t->error_code != 0)
		return set_image_error(img, (enum ov_code)t->error_code, 0,
		    t->error, err);
	if ((r = select_statement(v, img, from_image, &st, err)) != OV_OK ||
	    st == NULL)
		return r;

	/* Every blob the image reaches, whatever the policy says. */
	bytes = ov_layout_checked_bytes(l);
	r = ov_layout_prefetch(l, &t->desc, v->cfg.deep, pool, &e);
	if (r == OV_OK)
		r = ov_layout_check_tree_flags(l, &t->desc,
		    v->cfg.manifest_only ? OV_TREE_LAYERS_OPTIONAL : 0,
		    v->cfg.platform, &skipped, &e);
	if (r == OV_OK && skipped > 0 &&
	    ((r = ov_set_str(&img->integrity, err, "manifest-only")) !=
		    OV_OK ||
		(r = add_warning(img, err,
		     "%zu layer blobs are absent from the content store and were not checked: integrity covers the manifest and config only (--manifest-only)",
		     skipped)) != OV_OK))
		return r;
	if (r == OV_OK && v->cfg.deep)
		r = ov_layout_check_diff_ids(l, &t->desc, &e);
	ov_layout_prefetch_clear(l);
	img->bytes = ov_layout_checked_bytes(l) - bytes;
	if (r == OV_E_NOMEM)
		return ov_err_set(err, r, "out of memory");
	blobs_ok = r == OV_OK;
	/* A blob we may not read says nothing about the image: it is an
	 * operational error (exit status 2), not a verdict. */
	if (r == OV_E_IO)
		img->operational = 1;
	if (st->level == OV_LEVEL_SKIP) {
		if (!blobs_ok)
			return set_image_error(img, e.code, img->operational,
			    e.msg, err);
		img->skipped = 1;
		return add_warning(img, err,
		    "trust policy statement \"%s\" skips signature verification for this image",
		    st->name);
	}
	if (v->nbundles > 0)
		pthread_mutex_lock(&v->bundles_mu);
	r = verify_signatures(v, l, st, t, img, err);
	if (r == OV_OK && img->nsigs == 0 && ov_layout_source(l)->store)
		r = verify_platforms(v, l, st, t, img, err);
	if (r == OV_OK && img->nsigs == 0 && v->nbundles > 0 && blobs_ok &&
	    bindable(l, t, &config)) {
		/* No signature by subject: maybe a manifest made by docker
		 * save, bound to a signed one through its config. */
		char *why = img->error;
		enum ov_code code = img->code;

		img->error = NULL;
		r = verify_by_config(v, st, &config->digest, config->size, img,
		    err);
		if (r == OV_OK && img->nsigs == 0) {
			free(img->error);
			img->error = why;
			img->code = code;
			why = NULL;
		}
		free(why);
	}
	if (v->nbundles > 0)
		pthread_mutex_unlock(&v->bundles_mu);
	if (r != OV_OK || blobs_ok)
		return r;
	/* The signatures were evaluated for the report; the blobs decide. */
	img->verified = 0;
	img->code = e.code;
	return ov_set_str(&img->error, err, "%s", e.msg);
}

static enum ov_code source_failure(const struct ov_verifier *v,
    struct ov_report *rep, const char *spec, const char *path,
    const struct ov_err *e, int operational, struct ov_err *err);

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * Does the SOURCE tag or digest (image ID) name this docker save image?
 * A tag matches a RepoTags entry exactly, or its last path components
 * ("app:v1" for "registry.example/app:v1"), or its tag part ("v1").
 * *which gets the RepoTags entry that matched, or -1.
 */
static int
docker_selected(const struct ov_docker_image *img,
    const struct ov_source_spec *ss, int *which)
{
	char suffix[1100];
	const char *c;
	size_t i;

	*which = -1;
	if (ss->has_digest)
		return ov_digest_equal(&img->config, &ss->digest);
	if (ss->tag == NULL)
		return 1;
	(void)snprintf(suffix, sizeof(suffix), "/%s", ss->tag);
	for (i = 0; i < img->ntags; i++) {
		const char *r = img->repo_tags[i];
		c = strrchr(r, ':');
		if (strcmp(r, ss->tag) == 0 || ends_with(r, suffix) ||
		    (strchr(ss->tag, ':') == NULL && c != NULL &&
			strcmp(c + 1, ss->tag) == 0)) {
			*which = (int)i;
			return 1;
		}
	}
	return 0;
}

/*
 * A docker save archive without an OCI layout: each image is bound to a
 * signed manifest in the bundles through the chain signature -> manifest
 * -> config (the config entry's digest) -> rootfs.diff_ids -> the sha256
 * of each layer tar (spec digest A.8).
 */
static enum ov_code
verify_docker(struct ov_verifier *v, const struct ov_archive *a,
    const char *spec, const struct ov_source_spec *ss, const char *opt_scope,
    struct ov_report *rep, struct ov_err *err)
{
	const struct ov_policy_statement *st;
	struct ov_docker_image *imgs = NULL;
	struct ov_image_result *img;
	struct ov_err e;
	size_t n = 0, i, matched = 0;
	enum ov_code r;

	if ((r = ov_docker_images(a, &imgs, &n, &e)) != OV_OK) {
		r = source_failure(v, rep, spec, ss->path, &e, 0, err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct ov_docker_image *d = &imgs[i];
		const char *name;
		int which, from_image;

		if (!docker_selected(d, ss, &which))
			continue;
		/* the RepoTags entry the user named, else the first */
		name = d->ntags == 0 ? NULL
		    : which >= 0     ? d->repo_tags[which]
				     : d->repo_tags[0];
		matched++;
		if (!in_shard(v, d->config.str))
			continue; /* another shard's */
		if ((img = ov_report_add(rep)) == NULL ||
		    (img->source = strdup(spec)) == NULL ||
		    (img->digest = strdup(d->config.str)) == NULL ||
		    (img->media_type = strdup(
			 "application/vnd.docker.container.image.v1+json")) ==
			NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		if (name != NULL)
			r = ov_set_str(&img->reference, err, "%s:%s", ss->path,
			    name);
		else
			r = ov_set_str(&img->reference, err, "%s@%s", ss->path,
			    d->config.str);
		if (r == OV_OK && name != NULL)
			r = ov_set_str(&img->name, err, "%s", name);
		img->ordinal = i;
		if (r != OV_OK)
			goto out;
		/* The operator names the scope with --scope, or by giving a
		 * RepoTags entry in full as the tag; a suffix or the tag part
		 * alone leaves the repository to the image. */
		from_image = opt_scope == NULL && name != NULL &&
		    (which < 0 || strcmp(name, ss->tag) != 0);
		if (opt_scope != NULL) {
			if ((img->scope = strdup(opt_scope)) == NULL ||
			    (img->scope_origin = strdup("--scope")) == NULL) {
				r = ov_err_set(err, OV_E_NOMEM,
				    "out of memory");
				goto out;
			}
		} else if (name != NULL &&
		    (img->scope = ov_docker_repository(name)) != NULL &&
		    (img->scope_origin = strdup(from_image ? "RepoTags"
						     : "the SOURCE tag")) ==
			NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		if ((r = select_statement(v, img, from_image, &st, err)) !=
		    OV_OK)
			goto out;
		if (st == NULL)
			continue;
		if ((r = ov_docker_check_layers(a, d, &e)) != OV_OK) {
			if ((r = set_image_error(img, e.code, e.code == OV_E_IO,
				 e.msg, err)) != OV_OK)
				goto out;
			continue;
		}
		if (st->level == OV_LEVEL_SKIP) {
			img->skipped = 1;
			if ((r = add_warning(img, err,
				 "trust policy statement \"%s\" skips signature verification for this image",
				 st->name)) != OV_OK)
				goto out;
			continue;
		}
		pthread_mutex_lock(&v->bundles_mu);
		r = verify_by_config(v, st, &d->config, d->config_size, img,
		    err);
		pthread_mutex_unlock(&v->bundles_mu);
		if (r != OV_OK)
			goto out;
	}
	if (matched == 0) {
		ov_err_set(&e, OV_E_NOTFOUND,
		    n == 0 ? "%s: no images in manifest.json"
			   : "%s: no image in manifest.json matches the SOURCE tag or digest",
		    ss->path);
		r = source_failure(v, rep, spec, ss->path, &e, n > 0, err);
		goto out;
	}
	r = OV_OK;
out:
	ov_docker_images_free(imgs, n);
	return r;
}

/* The manifest of image t (a manifest, or an index of them) with config
 * cfg, or NULL. */
static const struct ov_manifest *
find_config(struct ov_layout *l, const struct ov_descriptor *t,
    const struct ov_digest *cfg, int depth)
{
	const struct ov_manifest *m = ov_layout_manifest(l, &t->digest), *c;
	size_t i;

	if (m == NULL || depth > OV_MAX_INDEX_DEPTH)
		return NULL;
	if (m->kind == OV_KIND_INDEX) {
		for (i = 0; i < m->nchildren; i++)
			if ((c = find_config(l, &m->children[i], cfg,
				 depth + 1)) != NULL)
				return c;
		return NULL;
	}
	return m->has_config && ov_digest_equal(&m->config.digest, cfg) ? m
									 : NULL;
}

/*
 * A docker save made by Docker 25 or later is an OCI layout with a
 * manifest.json beside index.json, and the classic `docker load` reads
 * manifest.json. Each of its images must be one of the index.json images
 * just verified: its config is the config of one of them (so bound to a
 * signed manifest by digest), and its layers are either exactly that
 * manifest's layer blobs (ctr export, nerdctl save: bound by digest) or
 * the config's diff_ids (Docker 25+). Any other entry would load an
 * image nobody verified: it gets a failed result of its own. With a tag or digest, the entries it
 * selects must be the image verified under it.
 */
static enum ov_code
check_docker_manifest(const struct ov_verifier *v, struct ov_layout *l,
    const struct ov_archive *a,
    const char *spec, const struct ov_source_spec *ss,
    const struct ov_target *t, size_t nt, struct ov_report *rep,
    struct ov_err *err)
{
	const char *path = ss->path;
	struct ov_docker_image *imgs = NULL;
	struct ov_image_result *img;
	const struct ov_manifest *m = NULL;
	size_t n = 0, i, k;
	struct ov_err e;
	enum ov_code r;

	if (!in_shard(v, spec))
		return OV_OK; /* the shard of the SOURCE checks it */
	if ((r = ov_docker_images(a, &imgs, &n, &e)) != OV_OK) {
		if (r == OV_E_NOMEM)
			return ov_err_set(err, r, "out of memory");
		ov_err_wrap(&e,
		    "%s: manifest.json (read by docker load instead of index.json)",
		    path);
		return source_failure(v, rep, spec, path, &e, 0, err);
	}
	for (i = 0; i < n; i++) {
		const struct ov_docker_image *d = &imgs[i];
		int which;

		if (!docker_selected(d, ss, &which))
			continue;
		for (k = 0; k < nt; k++)
			if ((m = find_config(l, &t[k].desc, &d->config, 0)) !=
			    NULL)
				break;
		if (k == nt)
			ov_err_set(&e, OV_E_DIGEST,
			    "manifest.json[%zu] names an image (config %s) that is not %s: docker load reads manifest.json and would import an image that was not verified",
			    i, d->config.str,
			    nt == 1 && (ss->tag != NULL || ss->has_digest)
				? "the image verified under that name"
				: "in index.json");
		else if (ov_docker_layers_are_blobs(a, d, m->children,
			     m->nchildren))
			continue;
		else if ((r = ov_docker_check_layers(a, d, &e)) == OV_OK)
			continue;
		else if (r == OV_E_NOMEM)
			break;
		else
			ov_err_wrap(&e, "manifest.json[%zu]", i);
		if ((img = ov_report_add(rep)) == NULL ||
		    (img->source = strdup(spec)) == NULL ||
		    (img->digest = strdup(d->config.str)) == NULL) {
			r = OV_E_NOMEM;
			break;
		}
		r = d->ntags > 0
		    ? ov_set_str(&img->reference, err, "%s:%s", path,
			  d->repo_tags[which >= 0 ? which : 0])
		    : ov_set_str(&img->reference, err, "%s@%s", path,
			  d->config.str);
		if (r != OV_OK ||
		    (r = set_image_error(img, e.code, e.code == OV_E_IO, e.msg,
			 err)) != OV_OK)
			break;
	}
	ov_docker_images_free(imgs, n);
	if (r == OV_E_NOMEM)
		return ov_err_set(err, r, "out of memory");
	return r;
}

static int
path_exists(const char *path, void *ctx)
{
	struct stat st;

	(void)ctx;
	/* "-" is standard input (an archive), whatever the directory holds */
	return strcmp(path, "-") == 0 || stat(path, &st) == 0;
}

enum ov_code
ov_layouts_hint(const char *path, struct ov_err *e, struct ov_err *err)
{
	char **names = NULL;
	size_t n = 0, len, i;
	struct ov_err le;

	if (ov_dir_sublayouts(path, &names, &n, &le) != OV_OK)
		return le.code == OV_E_NOMEM ? ov_err_set(err, OV_E_NOMEM,
						   "out of memory")
					     : OV_OK;
	for (i = 0; i < n && i < 3; i++) {
		len = strlen(e->msg);
		(void)snprintf(e->msg + len, sizeof(e->msg) - len, "%s%s",
		    i == 0 ? "; it holds layouts: " : ", ", names[i]);
	}
	if (n > 0) {
		len = strlen(e->msg);
		(void)snprintf(e->msg + len, sizeof(e->msg) - len,
		    "%s (%zu in all); give each as a SOURCE, such as %s/*, or use --recursive %s",
		    n > 3 ? ", ..." : "", n, path, path);
	}
	ov_strv_free(names, n);
	return OV_OK;
}

/* A result for a SOURCE that named no image (in the shard of the
 * SOURCE's name). */
static enum ov_code
source_failure(const struct ov_verifier *v, struct ov_report *rep,
    const char *spec, const char *path, const struct ov_err *e,
    int operational, struct ov_err *err)
{
	struct ov_image_result *img;

	if (!in_shard(v, spec))
		return OV_OK;
	if ((img = ov_report_add(rep)) == NULL ||
	    (img->source = strdup(spec)) == NULL ||
	    (img->reference = strdup(path != NULL ? path : spec)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return set_image_error(img, e->code, operational, e->msg, err);
}

/*
 * Every image of a containerd store, one result per name (as crictl
 * images lists them), in the order of meta.db. A record that cannot be
 * used fails its image.
 */
static enum ov_code
verify_store(struct ov_verifier *v, struct ov_layout *l, const char *spec,
    const char *shown, const char *scope, struct ov_pool *pool,
    struct ov_report *rep, struct ov_err *err)
{
	const struct ov_ctrd_image *imgs;
	struct ov_image_result *img;
	struct ov_target t;
	struct ov_err e;
	size_t n = 0, i;
	enum ov_code r;

	imgs = ov_containerd_source_images(ov_layout_source(l), &n);
	if (n == 0) {
		ov_err_set(&e, OV_E_NOTFOUND, "%s: no images", shown);
		return source_failure(v, rep, spec, shown, &e, 0, err);
	}
	for (i = 0; i < n; i++) {
		memset(&t, 0, sizeof(t));
		if (imgs[i].code == OV_OK) {
			r = ov_layout_resolve_tag(l, imgs[i].name, &t, &e);
			if (r == OV_E_NOMEM)
				return ov_err_set(err, r, "out of memory");
			if (r == OV_OK) {
				r = verify_target(v, l, spec, shown, NULL, &t,
				    scope, pool, rep, err);
				ov_target_clear(&t);
				if (r != OV_OK)
					return r;
				continue;
			}
			if (r == OV_E_NOTFOUND)
				ov_err_set(&e, OV_E_UNSUPPORTED,
				    "image \"%s\": target media type \"%s\" is not a manifest or an index",
				    imgs[i].name, imgs[i].media_type);
		} else {
			ov_err_set(&e, imgs[i].code, "%s", imgs[i].error);
		}
		if ((img = ov_report_add(rep)) == NULL ||
		    (img->source = strdup(spec)) == NULL ||
		    (img->name = strdup(imgs[i].name)) == NULL ||
		    ov_set_str(&img->reference, err, "%s:%s", shown,
			imgs[i].name) != OV_OK ||
		    set_image_error(img, e.code, 0, e.msg, err) != OV_OK)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	return OV_OK;
}

/* ov_verify_source(), hashing an image's blobs on pool (NULL: on this
 * thread). */
static enum ov_code
verify_source(struct ov_verifier *v, const char *spec, const char *scope,
    struct ov_pool *pool, struct ov_report *rep, struct ov_err *err)
{
	struct ov_source_spec ss;
	struct ov_source *src = NULL;
	struct ov_archive *docker = NULL;
	struct ov_layout *l = NULL;
	struct ov_target *targets = NULL, one;
	size_t n = 0, i;
	struct ov_err e;
	char *shown = NULL; /* a containerd store as results name it */
	enum ov_code r;

	memset(&one, 0, sizeof(one));
	if (scope != NULL && ov_scope_validate(scope, &e) != OV_OK)
		return source_failure(v, rep, spec, NULL, &e, 1, err);
	if (ov_source_spec_parse(spec, path_exists, NULL, &ss, &e) != OV_OK)
		return source_failure(v, rep, spec, NULL, &e, 1, err);
	if ((r = ov_spec_open(&ss, &v->cfg.archive, &src, &docker, &e)) !=
	    OV_OK) {
		/* unreadable or not an input at all: usage; unsafe or
		 * corrupt archive content: a verdict */
		r = source_failure(v, rep, spec, ss.path, &e,
		    r == OV_E_NOTFOUND || r == OV_E_IO || r == OV_E_USAGE ||
			r == OV_E_UNSUPPORTED,
		    err);
		goto out;
	}
	if (docker != NULL) {
		r = verify_docker(v, docker, spec, &ss, scope, rep, err);
		goto out;
	}
	if ((r = ov_layout_open(src, &l, &e)) != OV_OK) {
		if (r == OV_E_NOTFOUND &&
		    ov_layouts_hint(ss.path, &e, err) != OV_OK) {
			r = OV_E_NOMEM;
			goto out;
		}
		/* Not a layout at all is a usage error; a broken one fails. */
		r = source_failure(v, rep, spec, ss.path, &e,
		    r == OV_E_NOTFOUND || r == OV_E_IO, err);
		goto out;
	}
	if (ss.containerd && (r = ov_set_str(&shown, err, "containerd:%s#%s",
				  ss.path, ss.ns)) != OV_OK)
		goto out;
	if (ss.containerd && ss.tag == NULL && !ss.has_digest) {
		r = verify_store(v, l, spec, shown, scope, pool, rep, err);
		goto out;
	}
	if (ss.tag != NULL || ss.has_digest) {
		r = ss.tag != NULL
		    ? ov_layout_resolve_tag(l, ss.tag, &one, &e)
		    : ov_layout_resolve_digest(l, &ss.digest, &one, &e);
		if (r != OV_OK) {
			r = r == OV_E_NOMEM
			    ? ov_err_set(err, r, "out of memory")
			    : source_failure(v, rep, spec, ss.path, &e, 1, err);
			goto out;
		}
		r = verify_target(v, l, spec, shown != NULL ? shown : ss.path,
		    ss.tag, &one, scope, pool, rep, err);
		if (r == OV_OK && ov_archive_of_source(src) != NULL &&
		    ov_docker_is_save(ov_archive_of_source(src)))
			r = check_docker_manifest(v, l, ov_archive_of_source(src),
			    spec, &ss, &one, 1, rep, err);
		goto out;
	}
	if ((r = ov_layout_images(l, &targets, &n, err)) != OV_OK)
		goto out;
	if (n == 0) {
		ov_err_set(&e, OV_E_NOTFOUND, "%s: no images in index.json",
		    ss.path);
		r = source_failure(v, rep, spec, ss.path, &e, 0, err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		size_t before = rep->n;
		if ((r = verify_target(v, l, spec, ss.path, NULL, &targets[i],
			 scope, pool, rep, err)) != OV_OK)
			goto out;
		if (rep->n > before)
			rep->results[before].ordinal = i;
	}
	if (ov_archive_of_source(src) != NULL &&
	    ov_docker_is_save(ov_archive_of_source(src)) &&
	    (r = check_docker_manifest(v, l, ov_archive_of_source(src), spec,
		 &ss, targets, n, rep, err)) != OV_OK)
		goto out;
	r = OV_OK;
out:
	ov_target_clear(&one);
	ov_targets_free(targets, n);
	ov_layout_free(l);
	ov_source_close(src);
	ov_archive_free(docker);
	ov_source_spec_clear(&ss);
	free(shown);
	return r;
}

enum ov_code
ov_verify_source(struct ov_verifier *v, const char *spec, const char *scope,
    struct ov_report *rep, struct ov_err *err)
{
	return verify_source(v, spec, scope, v->pool, rep, err);
}

/* ---- many SOURCEs at once ----------------------------------------------- */

struct bulk {
	struct ov_verifier *v;
	const char *const *specs;
	const char *scope;
	struct ov_pool *pool;     /* for blobs: NULL when inputs run at once */
	struct ov_report **parts; /* one per input when kept */
	enum ov_code *codes;
	struct ov_err *errs;
	ov_verify_done_fn *done;
	void *ctx;
	int keep;
	pthread_mutex_t mu; /* done() is called by one thread at a time */
};

static void
bulk_task(void *ctx, size_t i)
{
	struct bulk *b = ctx;
	struct ov_report *part;
	size_t k;

	if ((part = ov_report_new(b->v->cfg.now)) == NULL) {
		b->codes[i] = ov_err_set(&b->errs[i], OV_E_NOMEM,
		    "out of memory");
		return;
	}
	b->codes[i] = verify_source(b->v, b->specs[i], b->scope, b->pool,
	    part, &b->errs[i]);
	for (k = 0; k < part->n; k++)
		part->results[k].input = i;
	if (b->done != NULL && b->codes[i] == OV_OK) {
		pthread_mutex_lock(&b->mu);
		b->done(b->ctx, i, part);
		pthread_mutex_unlock(&b->mu);
	}
	if (b->keep)
		b->parts[i] = part;
	else
		ov_report_free(part);
}

enum ov_code
ov_verify_sources(struct ov_verifier *v, const char *const *specs, size_t n,
    const char *scope, struct ov_report *rep, ov_verify_done_fn *done,
    void *ctx, struct ov_err *err)
{
	struct bulk b;
	enum ov_code r = OV_OK;
	size_t i, k;
	int mu = 0;

	if (n == 0)
		return OV_OK;
	memset(&b, 0, sizeof(b));
	b.v = v;
	b.specs = specs;
	b.scope = scope;
	b.done = done;
	b.ctx = ctx;
	b.keep = rep != NULL;
	/* Several inputs and several jobs: whole inputs run at once, each
	 * hashing on its own thread (the pool is not reentrant); else one
	 * input at a time, its blobs hashed on the pool. */
	b.pool = n > 1 && ov_pool_jobs(v->pool) > 1 ? NULL : v->pool;
	if ((b.parts = calloc(n, sizeof(*b.parts))) == NULL ||
	    (b.codes = calloc(n, sizeof(*b.codes))) == NULL ||
	    (b.errs = calloc(n, sizeof(*b.errs))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if (pthread_mutex_init(&b.mu, NULL) != 0) {
		r = ov_err_set(err, OV_E_INTERNAL, "pthread_mutex_init failed");
		goto out;
	}
	mu = 1;
	if (b.pool == NULL)
		ov_pool_run(v->pool, n, bulk_task, &b);
	else
		for (i = 0; i < n; i++)
			bulk_task(&b, i);
	/* the first failure in input order, as one thread would meet it */
	for (i = 0; i < n; i++)
		if (b.codes[i] != OV_OK) {
			*err = b.errs[i];
			r = b.codes[i];
			goto out;
		}
	/* the results in input order, whichever finished first */
	for (i = 0; rep != NULL && i < n; i++) {
		for (k = 0; k < b.parts[i]->n; k++) {
			struct ov_image_result *img = ov_report_add(rep);
			if (img == NULL) {
				r = ov_err_set(err, OV_E_NOMEM,
				    "out of memory");
				goto out;
			}
			*img = b.parts[i]->results[k];
			memset(&b.parts[i]->results[k], 0, sizeof(*img));
		}
	}
out:
	if (mu)
		pthread_mutex_destroy(&b.mu);
	for (i = 0; b.parts != NULL && i < n; i++)
		ov_report_free(b.parts[i]);
	free(b.parts);
	free(b.codes);
	free(b.errs);
	return r;
}

/* ---- a pull, before its content (containerd's image verifier) ------------ */

enum ov_code
ov_verify_pull(struct ov_verifier *v, const char *name,
    const struct ov_descriptor *target, struct ov_report *rep,
    struct ov_err *err)
{
	const struct ov_policy_statement *st = NULL;
	struct ov_image_result *img;
	struct ov_target t;
	enum ov_code r;

	if ((img = ov_report_add(rep)) == NULL ||
	    (img->source = strdup(name)) == NULL ||
	    (img->name = strdup(name)) == NULL ||
	    (img->digest = strdup(target->digest.str)) == NULL ||
	    (img->media_type = strdup(target->media_type)) == NULL ||
	    ov_set_str(&img->reference, err, "%s@%s", name,
		target->digest.str) != OV_OK)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	/* the name being pulled is the operator's (the kubelet's, ctr's) */
	if ((img->scope = ov_scope_from_name(name)) != NULL &&
	    (r = ov_set_str(&img->scope_origin, err, "%s",
		 "the pulled name")) != OV_OK)
		return r;
	if ((r = select_statement(v, img, 0, &st, err)) != OV_OK ||
	    st == NULL)
		return r;
	if (st->level == OV_LEVEL_SKIP) {
		img->skipped = 1;
		return add_warning(img, err,
		    "trust policy statement \"%s\" skips signature verification for this image",
		    st->name);
	}
	if (v->nbundles == 0)
		return set_image_error(img, OV_E_NOTFOUND, 0,
		    "no signature bundle was given (--signatures, --signatures-dir)",
		    err);
	memset(&t, 0, sizeof(t));
	t.desc = *target; /* borrowed */
	/* the first bundle stands for the image's own layout */
	return verify_signatures(v, v->bundles[0].layout, st, &t, img, err);
}

/* ---- certificates of a SOURCE (for `ocivet crl urls`) ------------------- */

static void
push_der_certs(const struct ov_bytes *c, size_t n, STACK_OF(X509) *certs)
{
	X509 *x;
	size_t i;

	for (i = 0; i < n; i++)
		if (ov_x509_from_der(c[i].p, c[i].n, &x, NULL) == OV_OK &&
		    !sk_X509_push(certs, x))
			X509_free(x);
}

static void
signature_certs(struct ov_layout *l, const struct ov_sigref *ref,
    STACK_OF(X509) *certs)
{
	const struct ov_descriptor *envd = NULL;
	struct ov_envelope *env = NULL;
	struct ov_tsa_result ts;
	struct ov_buf b;
	int i;

	if (ref->m == NULL)
		return;
	(void)ov_manifest_is_signature(ref->m, &envd);
	if (envd == NULL)
		return;
	ov_buf_init(&b, OV_MAX_ENVELOPE);
	if (ov_layout_read_blob(l, envd, &b, NULL) == OV_OK &&
	    ov_envelope_parse(envd->media_type, b.data, b.len, &env, NULL) ==
		OV_OK) {
		push_der_certs(env->certs, env->ncerts, certs);
		memset(&ts, 0, sizeof(ts));
		if (env->timestamp.n > 0 &&
		    ov_tsa_parse(env->timestamp.p, env->timestamp.n, &ts,
			NULL) == OV_OK)
			for (i = 0; ts.chain != NULL && i < sk_X509_num(ts.chain);
			     i++)
				if (X509_up_ref(sk_X509_value(ts.chain, i)) &&
				    !sk_X509_push(certs,
					sk_X509_value(ts.chain, i)))
					X509_free(sk_X509_value(ts.chain, i));
		ov_tsa_result_clear(&ts);
	}
	ov_envelope_free(env);
	ov_buf_free(&b);
}

enum ov_code
ov_source_certificates(const char *spec, STACK_OF(X509) *certs,
    struct ov_err *err)
{
	struct ov_source_spec ss;
	struct ov_source *src = NULL;
	struct ov_layout *l = NULL;
	struct ov_target *t = NULL, one;
	struct ov_sigref *refs;
	size_t n = 0, nrefs, i, k;
	int single = 0;
	enum ov_code r;

	memset(&one, 0, sizeof(one));
	if ((r = ov_source_spec_parse(spec, path_exists, NULL, &ss, err)) !=
	    OV_OK)
		return r;
	if ((r = ov_spec_open(&ss, NULL, &src, NULL, err)) != OV_OK ||
	    (r = ov_layout_open(src, &l, err)) != OV_OK)
		goto out;
	if (ss.tag != NULL || ss.has_digest) {
		r = ss.tag != NULL ? ov_layout_resolve_tag(l, ss.tag, &one, err)
				   : ov_layout_resolve_digest(l, &ss.digest,
					 &one, err);
		if (r != OV_OK)
			goto out;
		single = 1;
	} else if ((r = ov_layout_images(l, &t, &n, err)) != OV_OK) {
		goto out;
	}
	for (i = 0; i < (single ? 1 : n); i++) {
		const struct ov_target *tg = single ? &one : &t[i];
		if (ov_layout_signatures(l, &tg->desc, 0, &refs, &nrefs, NULL,
			err) != OV_OK)
			continue;
		for (k = 0; k < nrefs; k++)
			signature_certs(l, &refs[k], certs);
		ov_sigrefs_free(refs, nrefs);
	}
	r = OV_OK;
out:
	ov_target_clear(&one);
	ov_targets_free(t, n);
	ov_layout_free(l);
	ov_source_close(src);
	ov_source_spec_clear(&ss);
	return r;
}
