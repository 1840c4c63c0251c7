/* SPDX-License-Identifier: Apache-2.0 */
/* Trees and JSON for ocivet inspect, ls and cert (see show.h). */
#include "config.h"

#include "show.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common.h"
#include "inspect.h"
#include "text.h"
#include "timeutil.h"

const char *
show_time(int64_t t, char buf[32])
{
	return ov_time_format(t, buf);
}

struct cli_node *
show_cert_tree(struct cli_node *parent, const struct ov_cert_desc *c)
{
	struct cli_node *n =
	    cli_tree_add(parent, "SHA256 fingerprint: %s", c->sha256);
	char b1[32], b2[32];

	cli_tree_add(n, "issued to: %s", c->subject);
	cli_tree_add(n, "issued by: %s", c->issuer);
	cli_tree_add(n, "serial number: %s", c->serial);
	cli_tree_add(n, "valid from: %s", show_time(c->not_before, b1));
	cli_tree_add(n, "expiry: %s", show_time(c->not_after, b2));
	return n;
}

/* cJSON helpers: a failure leaves the object incomplete, and the caller
 * checks cJSON's result for the whole document only through NULLs. */
static int
add_str(cJSON *o, const char *k, const char *v)
{
	return (v != NULL ? cJSON_AddStringToObject(o, k, v)
			  : cJSON_AddNullToObject(o, k)) != NULL;
}

static int
add_time(cJSON *o, const char *k, int has, int64_t t)
{
	char buf[32];

	return add_str(o, k, has ? show_time(t, buf) : NULL);
}

static int
add_item(cJSON *o, const char *k, cJSON *item)
{
	if (item == NULL)
		return 0;
	if (!cJSON_AddItemToObject(o, k, item)) {
		cJSON_Delete(item);
		return 0;
	}
	return 1;
}

static int
push(cJSON *arr, cJSON *item)
{
	if (item == NULL)
		return 0;
	if (!cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return 0;
	}
	return 1;
}

cJSON *
show_cert_json(const struct ov_cert_desc *c)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !add_str(o, "subject", c->subject) ||
	    !add_str(o, "issuer", c->issuer) ||
	    !add_str(o, "serial", c->serial) ||
	    !add_str(o, "sha256", c->sha256) ||
	    !add_time(o, "not_before", 1, c->not_before) ||
	    !add_time(o, "not_after", 1, c->not_after)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *
certs_json(const struct ov_cert_desc *c, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		if (!push(a, show_cert_json(&c[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static void
sig_details_tree(struct cli_node *n, const struct ov_sig_desc *s)
{
	struct cli_node *a, *u, *t, *c;
	char b[32];
	size_t i;

	cli_tree_add(n, "signature algorithm: %s", s->algorithm);
	a = cli_tree_add(n, "signed attributes");
	cli_tree_add(a, "content type: %s",
		     s->content_type != NULL ? s->content_type : "(none)");
	cli_tree_add(a, "signing scheme: %s", s->signing_scheme);
	cli_tree_add(a, "signing time: %s", show_time(s->signing_time, b));
	cli_tree_add(a, "expiry: %s",
		     s->has_expiry ? show_time(s->expiry, b) : "(none)");
	if (s->plugin != NULL)
		cli_tree_add(a, "verification plugin: %s", s->plugin);
	if (s->plugin_min_version != NULL)
		cli_tree_add(a, "verification plugin minimum version: %s",
			     s->plugin_min_version);
	for (i = 0; i < s->nattrs; i++)
		cli_tree_add(a, "%s: %s%s", s->attrs[i].name, s->attrs[i].value,
			     s->attrs[i].critical ? " (critical)" : "");
	u = cli_tree_add(n, "user defined attributes");
	if (!s->has_target || s->target.nannotations == 0)
		cli_tree_add(u, "(empty)");
	for (i = 0; s->has_target && i < s->target.nannotations; i++)
		cli_tree_add(u, "%s: %s", s->target.annotations[i].key,
			     s->target.annotations[i].value);
	u = cli_tree_add(n, "unsigned attributes");
	cli_tree_add(u, "signing agent: %s",
		     s->signing_agent != NULL ? s->signing_agent : "(none)");
	if (s->has_timestamp) {
		t = cli_tree_add(u, "timestamp signature");
		if (s->ts_error != NULL) {
			cli_tree_add(t, "unreadable: %s", s->ts_error);
		} else {
			cli_tree_add(t, "timestamp: %s (accuracy %lld ms)",
				     show_time(s->ts_time, b),
				     (long long)s->ts_accuracy_ms);
			cli_tree_add(t, "TSA: %s",
				     s->tsa_subject != NULL
					 ? s->tsa_subject
					 : "(not in the token)");
			c = cli_tree_add(t, "certificates");
			for (i = 0; i < s->nts_chain; i++)
				show_cert_tree(c, &s->ts_chain[i]);
		}
	}
	c = cli_tree_add(n, "certificates");
	for (i = 0; i < s->nchain; i++)
		show_cert_tree(c, &s->chain[i]);
	if (s->chain_error != NULL)
		cli_tree_add(c, "unreadable: %s", s->chain_error);
	t = cli_tree_add(n, "signed artifact");
	if (s->has_target) {
		cli_tree_add(t, "media type: %s", s->target.media_type);
		cli_tree_add(t, "digest: %s", s->target.digest.str);
		cli_tree_add(t, "size: %lld", (long long)s->target.size);
	} else {
		cli_tree_add(t, "unreadable: %s", s->payload_error);
	}
}

void
show_sig_tree(struct cli_node *parent, const struct ov_sig_desc *s, int details)
{
	struct cli_node *n =
	    cli_tree_add(parent, "%s",
			 s->digest != NULL ? s->digest : "envelope");

	if (!details) {
		if (s->error != NULL)
			cli_tree_add(n, "unreadable: %s", s->error);
		return;
	}
	cli_tree_add(n, "media type: %s",
		     s->media_type != NULL ? s->media_type : "(unknown)");
	if (s->error != NULL) {
		cli_tree_add(n, "unreadable: %s", s->error);
		return;
	}
	sig_details_tree(n, s);
}

static cJSON *
annotations_json(const struct ov_annotation *a, size_t n)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;

	for (i = 0; o != NULL && i < n; i++)
		if (!add_str(o, a[i].key, a[i].value)) {
			cJSON_Delete(o);
			return NULL;
		}
	return o;
}

static int
sig_details_json(cJSON *o, const struct ov_sig_desc *s)
{
	cJSON *a, *ext, *e, *ts, *t;
	size_t i;

	if (!add_str(o, "signature_algorithm", s->algorithm) ||
	    !add_str(o, "signing_scheme", s->signing_scheme) ||
	    !add_str(o, "content_type", s->content_type) ||
	    (a = cJSON_AddObjectToObject(o, "signed_attributes")) == NULL ||
	    !add_time(a, "signing_time", 1, s->signing_time) ||
	    !add_time(a, "expiry", s->has_expiry, s->expiry) ||
	    !add_str(a, "verification_plugin", s->plugin) ||
	    !add_str(a, "verification_plugin_min_version",
		     s->plugin_min_version) ||
	    (ext = cJSON_AddArrayToObject(a, "extended")) == NULL)
		return 0;
	for (i = 0; i < s->nattrs; i++) {
		if ((e = cJSON_CreateObject()) == NULL)
			return 0;
		if (!push(ext, e) || !add_str(e, "name", s->attrs[i].name) ||
		    !add_str(e, "value", s->attrs[i].value) ||
		    cJSON_AddBoolToObject(e, "critical",
					  s->attrs[i].critical) == NULL)
			return 0;
	}
	if (!add_item(o, "user_metadata",
		      s->has_target ? annotations_json(s->target.annotations,
						       s->target.nannotations)
				    : cJSON_CreateNull()) ||
	    (a = cJSON_AddObjectToObject(o, "unsigned_attributes")) == NULL ||
	    !add_str(a, "signing_agent", s->signing_agent))
		return 0;
	if (!s->has_timestamp) {
		if (cJSON_AddNullToObject(a, "timestamp") == NULL)
			return 0;
	} else {
		if ((ts = cJSON_AddObjectToObject(a, "timestamp")) == NULL ||
		    !add_str(ts, "error", s->ts_error) ||
		    !add_time(ts, "time", s->ts_error == NULL, s->ts_time) ||
		    (s->ts_error == NULL
			 ? cJSON_AddNumberToObject(ts, "accuracy_ms",
						   (double)s->ts_accuracy_ms)
			 : cJSON_AddNullToObject(ts, "accuracy_ms")) == NULL ||
		    !add_str(ts, "tsa_subject", s->tsa_subject) ||
		    !add_item(ts, "certificates",
			      certs_json(s->ts_chain, s->nts_chain)))
			return 0;
	}
	if (!add_item(o, "certificates", certs_json(s->chain, s->nchain)) ||
	    !add_str(o, "certificates_error", s->chain_error))
		return 0;
	if (!s->has_target)
		return cJSON_AddNullToObject(o, "signed_artifact") != NULL &&
		       add_str(o, "signed_artifact_error", s->payload_error);
	if ((t = cJSON_AddObjectToObject(o, "signed_artifact")) == NULL ||
	    !add_str(t, "media_type", s->target.media_type) ||
	    !add_str(t, "digest", s->target.digest.str) ||
	    cJSON_AddNumberToObject(t, "size", (double)s->target.size) ==
		NULL ||
	    !add_str(o, "signed_artifact_error", NULL))
		return 0;
	return 1;
}

cJSON *
show_sig_json(const struct ov_sig_desc *s, int details)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || !add_str(o, "digest", s->digest) ||
	    !add_str(o, "media_type", s->media_type) ||
	    cJSON_AddNumberToObject(o, "size", (double)s->size) == NULL ||
	    !add_str(o, "error", s->error) ||
	    (details && s->parsed && !sig_details_json(o, s))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* ---- images -------------------------------------------------------------- */

static void
image_tree(struct cli_node *n, const struct ov_image_desc *img, int details)
{
	struct cli_node *p, *g;
	size_t i;

	if (img->error != NULL) {
		cli_tree_add(n, "unreadable: %s", img->error);
		return;
	}
	for (i = 0; i < img->nplatforms; i++) {
		const struct ov_image_desc *c = &img->platforms[i];
		p = cli_tree_add(n, "%s %s",
				 c->desc.platform != NULL ? c->desc.platform
							  : "(no platform)",
				 c->desc.digest.str);
		image_tree(p, c, details);
	}
	if (img->nsigs == 0) {
		if (img->nplatforms == 0)
			cli_tree_add(n, "(no signatures)");
		return;
	}
	g = cli_tree_add(n, "application/vnd.cncf.notary.signature");
	for (i = 0; i < img->nsigs; i++)
		show_sig_tree(g, &img->sigs[i], details);
}

int
show_inventory_text(const struct ov_inventory *inv, int details)
{
	const struct ov_image_desc *img;
	struct cli_node *root;
	size_t i, k;
	int rc = 0;

	if (inv->n == 0) {
		printf("%s: no images\n", inv->path);
		return 0;
	}
	for (i = 0; i < inv->n; i++) {
		img = &inv->images[i];
		root = cli_tree_new("%s@%s", inv->path, img->desc.digest.str);
		if (img->ntags > 0) {
			struct cli_node *t = cli_tree_add(root, "tags");
			for (k = 0; k < img->ntags; k++)
				cli_tree_add(t, "%s", img->tags[k]);
		}
		cli_tree_add(root, "media type: %s", img->desc.media_type);
		image_tree(root, img, details);
		if (cli_tree_print(root) != 0)
			rc = -1;
	}
	return rc;
}

static cJSON *
image_json(const char *path, const struct ov_image_desc *img, int details)
{
	cJSON *o = cJSON_CreateObject(), *a, *t;
	char *ref;
	size_t i;
	int ok;

	if (o == NULL)
		return NULL;
	ref = ov_strf("%s@%s", path, img->desc.digest.str);
	ok = ref != NULL && add_str(o, "reference", ref);
	free(ref);
	if (!ok || !add_str(o, "digest", img->desc.digest.str) ||
	    !add_str(o, "media_type", img->desc.media_type) ||
	    cJSON_AddNumberToObject(o, "size", (double)img->desc.size) ==
		NULL ||
	    !add_str(o, "platform", img->desc.platform) ||
	    (t = cJSON_AddArrayToObject(o, "tags")) == NULL ||
	    !add_str(o, "error", img->error))
		goto fail;
	for (i = 0; i < img->ntags; i++)
		if (!push(t, cJSON_CreateString(img->tags[i])))
			goto fail;
	if ((a = cJSON_AddArrayToObject(o, "platforms")) == NULL)
		goto fail;
	for (i = 0; i < img->nplatforms; i++)
		if (!push(a, image_json(path, &img->platforms[i], details)))
			goto fail;
	if ((a = cJSON_AddArrayToObject(o, "signatures")) == NULL)
		goto fail;
	for (i = 0; i < img->nsigs; i++)
		if (!push(a, show_sig_json(&img->sigs[i], details)))
			goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

cJSON *
show_inventory_json(const struct ov_inventory *inv, int details)
{
	cJSON *o = cJSON_CreateObject(), *a;
	size_t i;

	if (o == NULL || !add_str(o, "source", inv->path) ||
	    !add_str(o, "kind", inv->kind) ||
	    (a = cJSON_AddArrayToObject(o, "images")) == NULL)
		goto fail;
	for (i = 0; i < inv->n; i++)
		if (!push(a, image_json(inv->path, &inv->images[i], details)))
			goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}
