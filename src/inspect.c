/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Describing sources and signature envelopes for operators (ocivet
 * inspect, ocivet ls): reads what verify reads, through the same readers
 * and parsers, and records what it finds, judging nothing.
 */
#include "config.h"

#include "inspect.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/x509.h>

#include "buf.h"
#include "docker.h"
#include "layout.h"
#include "ovlimits.h"
#include "source.h"
#include "text.h"
#include "tsa.h"
#include "verify.h"
#include "x509.h"

static enum ov_code
nomem(struct ov_err *err)
{
	return ov_err_set(err, OV_E_NOMEM, "out of memory");
}

static int
dupstr(char **dst, const char *s)
{
	if (s == NULL)
		return 0;
	return (*dst = strdup(s)) == NULL ? -1 : 0;
}

/* ---- certificates -------------------------------------------------------- */

void
ov_cert_desc_clear(struct ov_cert_desc *c)
{
	if (c == NULL)
		return;
	free(c->subject);
	free(c->issuer);
	free(c->serial);
	memset(c, 0, sizeof(*c));
}

enum ov_code
ov_cert_describe(X509 *c, struct ov_cert_desc *out, struct ov_err *err)
{
	BIGNUM *bn = NULL;
	char *hex = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->subject = ov_x509_name(X509_get_subject_name(c));
	out->issuer = ov_x509_name(X509_get_issuer_name(c));
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(c), NULL)) !=
		NULL &&
	    (hex = BN_bn2hex(bn)) != NULL) {
		for (i = 0; hex[i] != '\0'; i++)
			if (hex[i] >= 'A' && hex[i] <= 'F')
				hex[i] = (char)(hex[i] - 'A' + 'a');
		out->serial = strdup(hex);
	}
	OPENSSL_free(hex);
	BN_free(bn);
	if (out->subject == NULL || out->issuer == NULL ||
	    out->serial == NULL) {
		ov_cert_desc_clear(out);
		return nomem(err);
	}
	ov_x509_sha256(c, out->sha256);
	out->not_before = ov_x509_not_before(c);
	out->not_after = ov_x509_not_after(c);
	return OV_OK;
}

static void
certs_free(struct ov_cert_desc *c, size_t n)
{
	size_t i;

	for (i = 0; c != NULL && i < n; i++)
		ov_cert_desc_clear(&c[i]);
	free(c);
}

static enum ov_code
describe_stack(STACK_OF(X509) *sk, struct ov_cert_desc **out, size_t *n,
	       struct ov_err *err)
{
	int i, k = sk != NULL ? sk_X509_num(sk) : 0;

	*out = NULL;
	*n = 0;
	if (k <= 0)
		return OV_OK;
	if ((*out = calloc((size_t)k, sizeof(**out))) == NULL)
		return nomem(err);
	for (i = 0; i < k; i++) {
		if (ov_cert_describe(sk_X509_value(sk, i), &(*out)[i], err) !=
		    OV_OK)
			return OV_E_NOMEM; /* *n so far: the caller frees */
		*n = (size_t)i + 1;
	}
	return OV_OK;
}

/* ---- envelopes ----------------------------------------------------------- */

void
ov_sig_desc_clear(struct ov_sig_desc *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->digest);
	free(s->media_type);
	free(s->error);
	free(s->content_type);
	free(s->signing_agent);
	free(s->plugin);
	free(s->plugin_min_version);
	for (i = 0; i < s->nattrs; i++) {
		free(s->attrs[i].name);
		free(s->attrs[i].value);
	}
	free(s->attrs);
	ov_descriptor_clear(&s->target);
	free(s->payload_error);
	certs_free(s->chain, s->nchain);
	free(s->chain_error);
	free(s->ts_error);
	free(s->tsa_subject);
	certs_free(s->ts_chain, s->nts_chain);
	memset(s, 0, sizeof(*s));
}

static enum ov_code
describe_chain(const struct ov_envelope *env, struct ov_sig_desc *s,
	       struct ov_err *err)
{
	struct ov_err e;
	X509 *x;
	size_t i;

	if ((s->chain = calloc(env->ncerts + 1, sizeof(*s->chain))) == NULL)
		return nomem(err);
	for (i = 0; i < env->ncerts; i++) {
		if (ov_x509_from_der(env->certs[i].p, env->certs[i].n, &x,
				     &e) != OV_OK) {
			if ((s->chain_error = ov_strf("certificate %zu: %s",
						      i + 1, e.msg)) == NULL)
				return nomem(err);
			return OV_OK;
		}
		if (ov_cert_describe(x, &s->chain[i], err) != OV_OK) {
			X509_free(x);
			return OV_E_NOMEM;
		}
		X509_free(x);
		s->nchain = i + 1;
	}
	return OV_OK;
}

static enum ov_code
describe_timestamp(const struct ov_envelope *env, struct ov_sig_desc *s,
		   struct ov_err *err)
{
	struct ov_tsa_result ts;
	struct ov_err e;
	enum ov_code r;

	if (env->timestamp.n == 0)
		return OV_OK;
	s->has_timestamp = 1;
	memset(&ts, 0, sizeof(ts));
	if (ov_tsa_parse(env->timestamp.p, env->timestamp.n, &ts, &e) !=
	    OV_OK) {
		ov_tsa_result_clear(&ts);
		return (s->ts_error = strdup(e.msg)) == NULL ? nomem(err)
							     : OV_OK;
	}
	s->ts_time = ts.gen_time;
	s->ts_nsec = ts.gen_nsec;
	s->ts_accuracy_ms = ts.accuracy_ms;
	r = OV_OK;
	if (dupstr(&s->tsa_subject, ts.tsa_subject) != 0)
		r = nomem(err);
	else
		r = describe_stack(ts.chain, &s->ts_chain, &s->nts_chain, err);
	ov_tsa_result_clear(&ts);
	return r;
}

enum ov_code
ov_sig_describe(const char *media_type, const void *data, size_t len,
		struct ov_sig_desc *out, struct ov_err *err)
{
	struct ov_envelope *env = NULL;
	struct ov_err e;
	size_t i;
	enum ov_code r = OV_E_NOMEM;

	memset(out, 0, sizeof(*out));
	out->size = (int64_t)len;
	if (dupstr(&out->media_type, media_type) != 0)
		return nomem(err);
	if (ov_envelope_parse(media_type, data, len, &env, &e) != OV_OK)
		return (out->error = strdup(e.msg)) == NULL ? nomem(err)
							    : OV_OK;
	out->parsed = 1;
	out->signing_scheme = ov_scheme_name(env->scheme);
	out->algorithm = ov_sig_alg_jws_name(env->alg);
	out->signing_time = env->signing_time;
	out->has_expiry = env->has_expiry;
	out->expiry = env->expiry;
	if (dupstr(&out->content_type, env->content_type) != 0 ||
	    dupstr(&out->signing_agent, env->signing_agent) != 0 ||
	    dupstr(&out->plugin, env->plugin) != 0 ||
	    dupstr(&out->plugin_min_version, env->plugin_min_version) != 0)
		goto nomem;
	if (env->nattrs > 0 &&
	    (out->attrs = calloc(env->nattrs, sizeof(*out->attrs))) == NULL)
		goto nomem;
	for (i = 0; i < env->nattrs; i++) {
		out->nattrs = i + 1;
		out->attrs[i].critical = env->attrs[i].critical;
		if (dupstr(&out->attrs[i].name, env->attrs[i].name) != 0 ||
		    dupstr(&out->attrs[i].value, env->attrs[i].value) != 0)
			goto nomem;
	}
	if (ov_payload_parse(env->payload.p, env->payload.n, &out->target,
			     &e) == OV_OK)
		out->has_target = 1;
	else if ((out->payload_error = strdup(e.msg)) == NULL)
		goto nomem;
	if ((r = describe_chain(env, out, err)) != OV_OK ||
	    (r = describe_timestamp(env, out, err)) != OV_OK)
		goto out;
	r = OV_OK;
	goto out;
nomem:
	r = nomem(err);
out:
	ov_envelope_free(env);
	return r;
}

/* ---- sources ------------------------------------------------------------- */

static void
image_clear(struct ov_image_desc *img)
{
	size_t i;

	ov_descriptor_clear(&img->desc);
	ov_strv_free(img->tags, img->ntags);
	free(img->error);
	for (i = 0; i < img->nplatforms; i++)
		image_clear(&img->platforms[i]);
	free(img->platforms);
	for (i = 0; i < img->nsigs; i++)
		ov_sig_desc_clear(&img->sigs[i]);
	free(img->sigs);
	memset(img, 0, sizeof(*img));
}

void
ov_inventory_free(struct ov_inventory *inv)
{
	size_t i;

	if (inv == NULL)
		return;
	for (i = 0; i < inv->n; i++)
		image_clear(&inv->images[i]);
	free(inv->images);
	free(inv->path);
	free(inv);
}

static struct ov_image_desc *
add_image(struct ov_image_desc **list, size_t *n)
{
	struct ov_image_desc *nl = realloc(*list, (*n + 1) * sizeof(*nl));

	if (nl == NULL)
		return NULL;
	*list = nl;
	memset(&nl[*n], 0, sizeof(nl[*n]));
	return &nl[(*n)++];
}

static int
has_tag(const struct ov_image_desc *img, const char *tag)
{
	size_t i;

	for (i = 0; i < img->ntags; i++)
		if (strcmp(img->tags[i], tag) == 0)
			return 1;
	return 0;
}

/* Every tag index.json gives the image's digest, in index order. */
static enum ov_code
collect_tags(const struct ov_layout *l, struct ov_image_desc *img,
	     struct ov_err *err)
{
	static const char *const keys[] = {OV_ANN_REF_NAME, OV_ANN_IMAGE_NAME};
	const struct ov_manifest *idx = ov_layout_index(l);
	const struct ov_descriptor *d;
	const char *v;
	size_t i, k;
	enum ov_code r;

	for (i = 0; i < idx->nchildren; i++) {
		d = &idx->children[i];
		if (!ov_digest_equal(&d->digest, &img->desc.digest))
			continue;
		for (k = 0; k < 2; k++) {
			v = ov_annotation_get(d->annotations, d->nannotations,
					      keys[k]);
			if (v != NULL && !has_tag(img, v) &&
			    (r = ov_strlist_add(&img->tags, &img->ntags, v,
						err)) != OV_OK)
				return r;
		}
	}
	return OV_OK;
}

static enum ov_code
describe_sigs(struct ov_layout *l, struct ov_image_desc *img, int envelopes,
	      struct ov_err *err)
{
	struct ov_sigref *refs = NULL;
	const struct ov_descriptor *envd;
	struct ov_sig_desc *s;
	struct ov_buf b;
	struct ov_err e;
	size_t nrefs = 0, i;
	enum ov_code r;

	/* as verify: the first OV_MAX_SIGNATURES by digest */
	if ((r = ov_layout_signatures(l, &img->desc, OV_MAX_SIGNATURES, &refs,
		 &nrefs, NULL, &e)) != OV_OK)
		return r == OV_E_NOMEM ? nomem(err) : OV_OK;
	if (nrefs > 0 &&
	    (img->sigs = calloc(nrefs, sizeof(*img->sigs))) == NULL) {
		r = nomem(err);
		goto out;
	}
	ov_buf_init(&b, OV_MAX_ENVELOPE);
	for (i = 0; i < nrefs; i++) {
		s = &img->sigs[i];
		img->nsigs = i + 1;
		envd = NULL;
		if (refs[i].m != NULL)
			(void)ov_manifest_is_signature(refs[i].m, &envd);
		if (envd == NULL) {
			if ((s->error = strdup(
				 refs[i].error != NULL
				     ? refs[i].error
				     : "not a Notary Project signature manifest")) ==
			    NULL)
				goto nomem;
		} else if (envelopes) {
			ov_buf_reset(&b);
			if (ov_layout_read_blob(l, envd, &b, &e) != OV_OK) {
				if (dupstr(&s->media_type, envd->media_type) !=
					0 ||
				    (s->error = strdup(e.msg)) == NULL)
					goto nomem;
				s->size = envd->size;
			} else if (ov_sig_describe(envd->media_type, b.data,
						   b.len, s, err) != OV_OK) {
				goto nomem;
			}
		} else {
			s->size = envd->size;
			if (dupstr(&s->media_type, envd->media_type) != 0)
				goto nomem;
		}
		if ((s->digest = strdup(refs[i].desc.digest.str)) == NULL)
			goto nomem;
	}
	ov_buf_free(&b);
	r = OV_OK;
	goto out;
nomem:
	ov_buf_free(&b);
	r = nomem(err);
out:
	ov_sigrefs_free(refs, nrefs);
	return r;
}

/* The image at d (and, for an index, its platform images). */
static enum ov_code
describe_image(struct ov_layout *l, const struct ov_descriptor *d,
	       const char *error, int envelopes, int depth,
	       struct ov_image_desc *img, struct ov_err *err)
{
	const struct ov_manifest *m;
	struct ov_image_desc *p;
	size_t i;
	enum ov_code r;

	if ((r = ov_descriptor_copy(&img->desc, d, err)) != OV_OK)
		return r;
	if (error != NULL)
		return dupstr(&img->error, error) != 0 ? nomem(err) : OV_OK;
	if ((r = describe_sigs(l, img, envelopes, err)) != OV_OK)
		return r;
	m = ov_layout_manifest(l, &d->digest);
	if (m == NULL || m->kind != OV_KIND_INDEX || depth > 0)
		return OV_OK;
	for (i = 0; i < m->nchildren; i++) {
		if (!ov_media_type_is_manifest(m->children[i].media_type))
			continue;
		if ((p = add_image(&img->platforms, &img->nplatforms)) == NULL)
			return nomem(err);
		if ((r = describe_image(l, &m->children[i],
					ov_layout_manifest(l, &m->children[i]
								   .digest) ==
						NULL
					    ? "manifest is not in the layout"
					    : NULL,
					envelopes, depth + 1, p, err)) != OV_OK)
			return r;
	}
	return OV_OK;
}

static enum ov_code
read_layout(struct ov_inventory *inv, struct ov_layout *l,
	    const struct ov_source_spec *ss, int envelopes, struct ov_err *err)
{
	struct ov_target *t = NULL, one;
	struct ov_image_desc *img;
	size_t n = 0, i;
	int single = ss->tag != NULL || ss->has_digest;
	enum ov_code r;

	memset(&one, 0, sizeof(one));
	if (single) {
		r = ss->tag != NULL
			? ov_layout_resolve_tag(l, ss->tag, &one, err)
			: ov_layout_resolve_digest(l, &ss->digest, &one, err);
		if (r != OV_OK)
			return r;
	} else if ((r = ov_layout_images(l, &t, &n, err)) != OV_OK) {
		return r;
	}
	for (i = 0; i < (single ? 1 : n); i++) {
		const struct ov_target *tg = single ? &one : &t[i];
		if ((img = add_image(&inv->images, &inv->n)) == NULL) {
			r = nomem(err);
			goto out;
		}
		if ((r = describe_image(l, &tg->desc, tg->error, envelopes, 0,
					img, err)) != OV_OK ||
		    (r = collect_tags(l, img, err)) != OV_OK)
			goto out;
	}
	r = OV_OK;
out:
	ov_target_clear(&one);
	ov_targets_free(t, n);
	return r;
}

/* A docker save archive without index.json: images by config digest. */
static enum ov_code
read_docker(struct ov_inventory *inv, const struct ov_archive *a,
	    const struct ov_source_spec *ss, struct ov_err *err)
{
	struct ov_docker_image *di = NULL;
	struct ov_image_desc *img;
	size_t n = 0, i, k;
	int want;
	enum ov_code r;

	if ((r = ov_docker_images(a, &di, &n, err)) != OV_OK)
		return r;
	for (i = 0; i < n; i++) {
		want = ss->tag == NULL && !ss->has_digest;
		for (k = 0; ss->tag != NULL && k < di[i].ntags; k++) {
			const char *c = strrchr(di[i].repo_tags[k], ':');
			if (strcmp(di[i].repo_tags[k], ss->tag) == 0 ||
			    (c != NULL && strcmp(c + 1, ss->tag) == 0))
				want = 1;
		}
		if (ss->has_digest &&
		    ov_digest_equal(&ss->digest, &di[i].config))
			want = 1;
		if (!want)
			continue;
		if ((img = add_image(&inv->images, &inv->n)) == NULL ||
		    (img->desc.media_type = strdup(
			 "application/vnd.docker.container.image.v1+json")) ==
			NULL) {
			r = nomem(err);
			goto out;
		}
		img->desc.digest = di[i].config;
		img->desc.size = di[i].config_size;
		for (k = 0; k < di[i].ntags; k++)
			if ((r = ov_strlist_add(&img->tags, &img->ntags,
						di[i].repo_tags[k], err)) !=
			    OV_OK)
				goto out;
	}
	if (inv->n == 0 && (ss->tag != NULL || ss->has_digest)) {
		r = ov_err_set(err, OV_E_NOTFOUND,
			       "%s: no image %s in manifest.json", inv->path,
			       ss->tag != NULL ? ss->tag : ss->digest.str);
		goto out;
	}
	r = OV_OK;
out:
	ov_docker_images_free(di, n);
	return r;
}

static int
path_exists(const char *path, void *ctx)
{
	struct stat st;

	(void)ctx;
	return stat(path, &st) == 0;
}

enum ov_code
ov_inventory_read(const char *spec, const struct ov_archive_opts *opts,
		  int envelopes, struct ov_inventory **out, struct ov_err *err)
{
	struct ov_inventory *inv = NULL;
	struct ov_source_spec ss;
	struct ov_source *src = NULL;
	struct ov_archive *docker = NULL;
	struct ov_layout *l = NULL;
	size_t len;
	enum ov_code r;

	*out = NULL;
	memset(&ss, 0, sizeof(ss));
	if ((r = ov_source_spec_parse(spec, path_exists, NULL, &ss, err)) !=
	    OV_OK)
		return r;
	if ((inv = calloc(1, sizeof(*inv))) == NULL ||
	    (inv->path = strdup(ss.path)) == NULL) {
		r = nomem(err);
		goto out;
	}
	for (len = strlen(inv->path); len > 1 && inv->path[len - 1] == '/';)
		inv->path[--len] = '\0';
	if ((r = ov_spec_open(&ss, opts, &src, &docker, err)) != OV_OK)
		goto out;
	if (docker != NULL) {
		inv->kind = "docker save";
		if ((r = read_docker(inv, docker, &ss, err)) != OV_OK)
			goto out;
	} else {
		inv->kind = ov_archive_of_source(src) != NULL
				? (ov_docker_is_save(ov_archive_of_source(src))
				       ? "docker save"
				       : "oci-layout archive")
				: src->ops->kind;
		if ((r = ov_layout_open(src, &l, err)) != OV_OK) {
			if (r == OV_E_NOTFOUND &&
			    ov_layouts_hint(ss.path, err, err) != OV_OK)
				r = OV_E_NOMEM;
			goto out;
		}
		if ((r = read_layout(inv, l, &ss, envelopes, err)) != OV_OK)
			goto out;
	}
	*out = inv;
	inv = NULL; /* transferred */
	r = OV_OK;
out:
	ov_inventory_free(inv);
	ov_layout_free(l);
	ov_source_close(src);
	ov_archive_free(docker);
	ov_source_spec_clear(&ss);
	return r;
}
