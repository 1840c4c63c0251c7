/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signing the images of a SOURCE into an OCI layout (layout_sign.h;
 * spec digest A.7 for what notation writes, B.1 for the payload).
 */
#include "config.h"

#include "layout_sign.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "bundle.h"
#include "layout.h"
#include "ovlimits.h"
#include "sign.h"
#include "source.h"
#include "text.h"
#include "timeutil.h"
#include "x509.h"

#define ANN_THUMBPRINT "io.cncf.notary.x509chain.thumbprint#S256"
#define ANN_CREATED "org.opencontainers.image.created"

struct signer_state {
	const char *path;               /* PATH of the spec */
	const char *dir;                /* where blobs go */
	struct ov_layout *l;
	const struct ov_signer *s;
	STACK_OF(X509) *chain;
	const struct ov_layout_sign_opts *o;
	char *thumbprints;              /* JSON array text */
	struct ov_descriptor *entries;  /* index.json entries to add */
	size_t nentries, capentries;
	struct ov_layout_signed *done;
	size_t ndone, capdone;
};

static int
path_exists(const char *path, void *ctx)
{
	struct stat st;

	(void)ctx;
	return stat(path, &st) == 0;
}

static enum ov_code
grow(void **v, size_t *cap, size_t n, size_t size, struct ov_err *err)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return OV_OK;
	ncap = *cap ? *cap * 2 : 8;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	memset((char *)nv + *cap * size, 0, (ncap - *cap) * size);
	*v = nv;
	*cap = ncap;
	return OV_OK;
}

/* ["<sha256 of each certificate>", ...], leaf first. */
static enum ov_code
thumbprints(STACK_OF(X509) *chain, char **out, struct ov_err *err)
{
	cJSON *a = cJSON_CreateArray();
	char hex[65];
	int i;

	*out = NULL;
	for (i = 0; a != NULL && i < sk_X509_num(chain); i++) {
		ov_x509_sha256(sk_X509_value(chain, i), hex);
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(hex)))
			break;
	}
	if (a != NULL && i == sk_X509_num(chain))
		*out = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return *out != NULL ? OV_OK
			    : ov_err_set(err, OV_E_NOMEM, "out of memory");
}

static enum ov_code
add_annotation(struct ov_descriptor *d, const char *k, const char *v,
	       struct ov_err *err)
{
	struct ov_annotation *a;

	a = realloc(d->annotations, (d->nannotations + 1) * sizeof(*a));
	if (a == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	d->annotations = a;
	a[d->nannotations].key = strdup(k);
	a[d->nannotations].value = strdup(v);
	d->nannotations++;
	if (a[d->nannotations - 1].key == NULL ||
	    a[d->nannotations - 1].value == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

/* Queue an index.json entry (copied). */
static enum ov_code
queue_entry(struct signer_state *st, const struct ov_descriptor *d,
	    struct ov_err *err)
{
	struct ov_descriptor *e;
	size_t i;
	enum ov_code r;

	if ((r = grow((void **)&st->entries, &st->capentries, st->nentries,
		      sizeof(*st->entries), err)) != OV_OK)
		return r;
	e = &st->entries[st->nentries++];
	memset(e, 0, sizeof(*e));
	e->digest = d->digest;
	e->size = d->size;
	if ((e->media_type = strdup(d->media_type)) == NULL ||
	    (d->artifact_type != NULL &&
	     (e->artifact_type = strdup(d->artifact_type)) == NULL) ||
	    (d->platform != NULL &&
	     (e->platform = strdup(d->platform)) == NULL))
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (i = 0; i < d->nannotations; i++)
		if ((r = add_annotation(e, d->annotations[i].key,
					d->annotations[i].value, err)) != OV_OK)
			return r;
	return OV_OK;
}

/* Sign one manifest or index: envelope, config, signature manifest. */
static enum ov_code
sign_one(struct signer_state *st, const struct ov_descriptor *target,
	 const char *ref, struct ov_err *err)
{
	const struct ov_layout_sign_opts *o = st->o;
	struct ov_sign_request req;
	struct ov_descriptor pd, envd, md;
	struct ov_buf payload, env;
	struct ov_digest dg;
	struct ov_layout_signed *dn;
	char created[OV_TIME_STR_MAX], *mtext = NULL, envmt[64];
	char mmt[] = OV_MT_OCI_MANIFEST, atype[] = OV_MT_NOTARY_SIGNATURE;
	char k_tp[] = ANN_THUMBPRINT, k_created[] = ANN_CREATED;
	enum ov_code r;
	size_t i;

	memset(&req, 0, sizeof(req));
	memset(&envd, 0, sizeof(envd));
	memset(&md, 0, sizeof(md));
	ov_buf_init(&payload, OV_MAX_PAYLOAD);
	ov_buf_init(&env, OV_MAX_ENVELOPE);
	for (i = 0; i < st->ndone; i++)
		if (ov_digest_equal(&st->done[i].subject, &target->digest))
			return OV_OK; /* named twice */
	/* the payload names the target as index.json or its parent
	 * describes it, with the user metadata as annotations (B.1) */
	memset(&pd, 0, sizeof(pd));
	pd.media_type = target->media_type;
	pd.digest = target->digest;
	pd.size = target->size;
	pd.annotations = o->metadata;
	pd.nannotations = o->nmetadata;
	if ((r = ov_sign_payload(&pd, &payload, err)) != OV_OK)
		goto out;
	req.media_type = o->media_type;
	req.signer = st->s;
	req.chain = st->chain;
	req.payload = payload.data;
	req.payload_len = payload.len;
	req.scheme = o->scheme;
	req.signing_time = o->signing_time;
	req.has_expiry = o->has_expiry;
	req.expiry = o->expiry;
	req.signing_agent = o->agent;
	if (o->envelope != NULL) {
		/* made and stamped in the first step, for this target only */
		if (!ov_digest_equal(&target->digest, o->envelope_target)) {
			r = ov_err_set(
			    err, OV_E_USAGE,
			    "names %s, but the timestamp state is for %s (another image, or the tag moved since the request)",
			    target->digest.str, o->envelope_target->str);
			goto out;
		}
		r = ov_buf_add(&env, o->envelope, o->envelope_len, err);
	} else {
		r = ov_sign_envelope(&req, &env, err);
	}
	if (r != OV_OK)
		goto out;
	if (o->prepare) {
		/* hand back the envelope and the target; nothing written */
		ov_buf_reset(o->prepared);
		ov_descriptor_clear(o->prepared_target);
		memset(o->prepared_target, 0, sizeof(*o->prepared_target));
		o->prepared_target->digest = target->digest;
		o->prepared_target->size = target->size;
		if ((r = ov_buf_add(o->prepared, env.data, env.len, err)) !=
			OV_OK)
			goto out;
		if ((o->prepared_target->media_type =
			 strdup(target->media_type)) == NULL) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
		memset(&md, 0, sizeof(md));
	} else if ((r = ov_layout_dir_put_blob(st->dir, env.data, env.len,
					&envd.digest, err)) != OV_OK ||
	    (r = ov_layout_dir_put_blob(st->dir, "{}", 2, &dg, err)) != OV_OK)
		goto out;
	if (o->prepare)
		goto record;
	(void)snprintf(envmt, sizeof(envmt), "%s", o->media_type);
	envd.media_type = envmt;
	envd.size = (int64_t)env.len;
	(void)ov_time_format(o->signing_time, created);
	if ((r = ov_signature_manifest_json(o->shape, target, &envd,
					    st->thumbprints, created, &mtext,
					    err)) != OV_OK ||
	    (r = ov_layout_dir_put_blob(st->dir, mtext, strlen(mtext),
					&md.digest, err)) != OV_OK)
		goto out;
	/* the index.json entry, as oras-go's oci.Store writes it: the
	 * manifest's annotations, and its artifactType when it has one */
	md.media_type = mmt;
	md.size = (int64_t)strlen(mtext);
	if (o->shape == OV_SHAPE_ARTIFACT_TYPE ||
	    o->shape == OV_SHAPE_ARTIFACT_TYPE_DATA)
		md.artifact_type = atype;
	{
		struct ov_annotation ann[2] = {
		    {k_tp, st->thumbprints}, {k_created, created}};
		md.annotations = ann;
		md.nannotations = 2;
		r = queue_entry(st, &md, err);
		md.annotations = NULL;
		md.nannotations = 0;
		if (r != OV_OK)
			goto out;
	}
record:
	if ((r = grow((void **)&st->done, &st->capdone, st->ndone,
		      sizeof(*st->done), err)) != OV_OK)
		goto out;
	dn = &st->done[st->ndone];
	if ((dn->reference = strdup(ref)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	dn->subject = target->digest;
	dn->manifest = md.digest;
	st->ndone++;
	r = OV_OK;
out:
	if (r != OV_OK)
		ov_err_wrap(err, "%s", ref);
	free(mtext);
	ov_buf_free(&payload);
	ov_buf_free(&env);
	return r;
}

/* Copy manifest d and, for an index, the manifests below it into the
 * output layout (a bundle needs them to describe the image). */
static enum ov_code
copy_tree(struct signer_state *st, const struct ov_descriptor *d, int depth,
	  struct ov_err *err)
{
	const struct ov_manifest *m;
	struct ov_buf b;
	struct ov_digest dg;
	size_t i;
	enum ov_code r;

	if (depth > OV_MAX_INDEX_DEPTH)
		return ov_err_set(err, OV_E_LIMIT, "%s: indexes nested too deep",
				  d->digest.str);
	ov_buf_init(&b, OV_MAX_MANIFEST);
	if ((r = ov_layout_read_blob(st->l, d, &b, err)) != OV_OK ||
	    (r = ov_layout_dir_put_blob(st->dir, b.data, b.len, &dg, err)) !=
		OV_OK)
		goto out;
	m = ov_layout_manifest(st->l, &d->digest);
	if (m != NULL && m->kind == OV_KIND_INDEX)
		for (i = 0; i < m->nchildren; i++)
			if (ov_layout_manifest(st->l, &m->children[i].digest) !=
				NULL &&
			    (r = copy_tree(st, &m->children[i], depth + 1,
					   err)) != OV_OK)
				goto out;
out:
	ov_buf_free(&b);
	return r;
}

/* Sign image t, and with all_platforms the manifests of an index. */
static enum ov_code
sign_image(struct signer_state *st, const struct ov_target *t,
	   struct ov_err *err)
{
	const struct ov_manifest *m;
	char *ref = NULL, *cref;
	size_t i;
	enum ov_code r;

	if (t->tag != NULL)
		ref = ov_strf("%s:%s", st->path, t->tag);
	else
		ref = ov_strf("%s@%s", st->path, t->desc.digest.str);
	if (ref == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (t->error_code != 0) {
		r = ov_err_set(err, (enum ov_code)t->error_code, "%s: %s", ref,
			       t->error != NULL ? t->error
						: "unreadable manifest");
		goto out;
	}
	if ((r = sign_one(st, &t->desc, ref, err)) != OV_OK)
		goto out;
	m = ov_layout_manifest(st->l, &t->desc.digest);
	if (st->o->all_platforms && m != NULL && m->kind == OV_KIND_INDEX) {
		for (i = 0; i < m->nchildren; i++) {
			if (ov_layout_manifest(st->l, &m->children[i].digest) ==
			    NULL) {
				r = ov_err_set(err, OV_E_NOTFOUND,
					       "%s: manifest %s is not in the layout",
					       ref, m->children[i].digest.str);
				goto out;
			}
			cref = ov_strf("%s@%s", st->path,
				       m->children[i].digest.str);
			if (cref == NULL) {
				r = ov_err_set(err, OV_E_NOMEM,
					       "out of memory");
				goto out;
			}
			r = sign_one(st, &m->children[i], cref, err);
			free(cref);
			if (r != OV_OK)
				goto out;
		}
	}
	r = OV_OK;
out:
	free(ref);
	return r;
}

/* Queue t's index.json entry in a separate output layout, with its tag. */
static enum ov_code
queue_image_entry(struct signer_state *st, const struct ov_target *t,
		  struct ov_err *err)
{
	struct ov_descriptor d;
	struct ov_annotation ann[2];

	char k_name[] = OV_ANN_IMAGE_NAME, k_ref[] = OV_ANN_REF_NAME;

	d = t->desc;
	d.artifact_type = NULL;
	d.annotations = ann;
	d.nannotations = 0;
	if (t->name != NULL) {
		ann[d.nannotations].key = k_name;
		ann[d.nannotations++].value = t->name;
	}
	if (t->tag != NULL) {
		ann[d.nannotations].key = k_ref;
		ann[d.nannotations++].value = t->tag;
	}
	return queue_entry(st, &d, err);
}

void
ov_layout_signed_free(struct ov_layout_signed *d, size_t n)
{
	size_t i;

	for (i = 0; d != NULL && i < n; i++)
		free(d[i].reference);
	free(d);
}

enum ov_code
ov_layout_sign(const char *spec, const char *out_dir,
	       const struct ov_signer *s, STACK_OF(X509) *chain,
	       const struct ov_layout_sign_opts *o,
	       struct ov_layout_signed **done, size_t *ndone,
	       struct ov_err *err)
{
	struct signer_state st;
	struct ov_source_spec ss;
	struct ov_source *src = NULL;
	struct ov_target *t = NULL, one;
	struct stat sb;
	size_t n = 0, i;
	int lockfd = -1;
	enum ov_code r;

	*done = NULL;
	*ndone = 0;
	memset(&st, 0, sizeof(st));
	memset(&ss, 0, sizeof(ss));
	memset(&one, 0, sizeof(one));
	if ((r = ov_source_spec_parse(spec, path_exists, NULL, &ss, err)) !=
	    OV_OK)
		return r;
	st.path = ss.path;
	st.dir = out_dir != NULL ? out_dir : ss.path;
	st.s = s;
	st.chain = chain;
	st.o = o;
	if (o->prepare && (out_dir != NULL || o->envelope != NULL)) {
		r = ov_err_set(err, OV_E_USAGE,
			       "preparing a timestamp request writes nothing");
		goto out;
	}
	if (out_dir == NULL && !o->prepare) {
		if (stat(ss.path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			r = ov_err_set(
			    err, OV_E_USAGE,
			    "%s: not a layout directory; archives are never rewritten: write a detached bundle with --signatures-out PATH",
			    ss.path);
			goto out;
		}
		/* serialise signers: index.json is read, extended and
		 * replaced under the lock (held until close) */
		if ((lockfd = open(ss.path, O_RDONLY | O_DIRECTORY |
						O_CLOEXEC)) < 0 ||
		    flock(lockfd, LOCK_EX) != 0) {
			r = ov_err_set(err, OV_E_IO, "%s: cannot lock: %s",
				       ss.path, strerror(errno));
			goto out;
		}
	}
	if ((r = thumbprints(chain, &st.thumbprints, err)) != OV_OK ||
	    (r = ov_source_open(ss.path, &src, err)) != OV_OK ||
	    (r = ov_layout_open(src, &st.l, err)) != OV_OK)
		goto out;
	if (o->envelope != NULL && ss.tag == NULL && !ss.has_digest) {
		/* finishing: PATH alone names the image the state is for */
		ss.has_digest = 1;
		ss.digest = *o->envelope_target;
	}
	if (ss.tag != NULL || ss.has_digest) {
		r = ss.tag != NULL
			? ov_layout_resolve_tag(st.l, ss.tag, &one, err)
			: ov_layout_resolve_digest(st.l, &ss.digest, &one,
						   err);
		if (r != OV_OK)
			goto out;
		t = &one;
		n = 1;
	} else {
		if ((r = ov_layout_images(st.l, &t, &n, err)) != OV_OK)
			goto out;
		if (n == 0) {
			r = ov_err_set(err, OV_E_NOTFOUND,
				       "%s: no image to sign in index.json",
				       ss.path);
			goto out;
		}
	}
	if (o->prepare && (n != 1 || o->all_platforms)) {
		r = ov_err_set(
		    err, OV_E_USAGE,
		    "%s: a timestamp request covers one signature: name one image (PATH:TAG or PATH@DIGEST), without --platforms",
		    ss.path);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (out_dir != NULL && t[i].error_code == 0 &&
		    ((r = copy_tree(&st, &t[i].desc, 0, err)) != OV_OK ||
		     (r = queue_image_entry(&st, &t[i], err)) != OV_OK))
			goto out;
		if ((r = sign_image(&st, &t[i], err)) != OV_OK)
			goto out;
	}
	if (o->prepare)
		goto done;
	if (o->stop_after_blobs) {
		r = ov_err_set(err, OV_E_IO,
			       "%s: stopped after writing the blobs (test hook)",
			       st.dir);
		goto out;
	}
	if ((r = ov_layout_dir_add_entries(st.dir, st.entries, st.nentries,
					   err)) != OV_OK)
		goto out;
done:
	*done = st.done;
	*ndone = st.ndone;
	st.done = NULL;
	st.ndone = 0; /* transferred */
	r = OV_OK;
out:
	if (t != &one)
		ov_targets_free(t, n);
	ov_target_clear(&one);
	ov_layout_free(st.l);
	ov_source_close(src);
	if (lockfd >= 0)
		close(lockfd);
	for (i = 0; i < st.nentries; i++)
		ov_descriptor_clear(&st.entries[i]);
	free(st.entries);
	ov_layout_signed_free(st.done, st.ndone);
	free(st.thumbprints);
	ov_source_spec_clear(&ss);
	return r;
}

/* Remove the temporary layout ov_layout_sign() wrote (only the names a
 * layout has: blobs/sha256/<hex>, index.json, oci-layout). */
static void
remove_layout(const char *dir)
{
	char p[4200];
	struct dirent *de;
	DIR *d;

	if (strlen(dir) >= 4096)
		return;

	(void)snprintf(p, sizeof(p), "%s/blobs/sha256", dir);
	if ((d = opendir(p)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				(void)unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	(void)rmdir(p);
	(void)snprintf(p, sizeof(p), "%s/blobs", dir);
	(void)rmdir(p);
	(void)snprintf(p, sizeof(p), "%s/index.json", dir);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s/oci-layout", dir);
	(void)unlink(p);
	(void)rmdir(dir);
}

enum ov_code
ov_layout_sign_bundle(const char *spec, const char *out, int format,
		      const struct ov_signer *s, STACK_OF(X509) *chain,
		      const struct ov_layout_sign_opts *o,
		      struct ov_layout_signed **done, size_t *ndone,
		      struct ov_err *err)
{
	char tmp[4096];
	const char *slash, *src[1];
	int n;
	enum ov_code r;

	*done = NULL;
	*ndone = 0;
	if ((r = ov_bundle_check_output(out, (enum ov_bundle_format)format,
					err)) != OV_OK)
		return r;
	slash = strrchr(out, '/');
	if (slash == NULL)
		n = snprintf(tmp, sizeof(tmp), ".%s.sign.XXXXXX", out);
	else
		n = snprintf(tmp, sizeof(tmp), "%.*s/.%s.sign.XXXXXX",
			     (int)(slash - out), out, slash + 1);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return ov_err_set(err, OV_E_USAGE, "%s: path too long", out);
	if (mkdtemp(tmp) == NULL)
		return ov_err_set(err, OV_E_IO,
				  "%s: cannot create a temporary beside it: %s",
				  out, strerror(errno));
	src[0] = tmp;
	if ((r = ov_layout_dir_init(tmp, err)) != OV_OK ||
	    (r = ov_layout_sign(spec, tmp, s, chain, o, done, ndone, err)) !=
		OV_OK ||
	    (r = ov_bundle_export(src, 1, out, (enum ov_bundle_format)format,
				  err)) != OV_OK) {
		ov_layout_signed_free(*done, *ndone);
		*done = NULL;
		*ndone = 0;
	}
	remove_layout(tmp);
	return r;
}
