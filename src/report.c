/* SPDX-License-Identifier: Apache-2.0 */
/* JSON and text rendering of verification results. */
#include "config.h"

#include "report.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "timeutil.h"

/* cJSON helpers that fail the whole render on ENOMEM. */
static int
add_str(cJSON *o, const char *k, const char *v)
{
	return (v != NULL ? cJSON_AddStringToObject(o, k, v)
			  : cJSON_AddNullToObject(o, k)) != NULL;
}

static int
add_time(cJSON *o, const char *k, int has, int64_t t)
{
	char buf[OV_TIME_STR_MAX];

	return add_str(o, k, has ? ov_time_format(t, buf) : NULL);
}

static int
add_strlist(cJSON *o, const char *k, char *const *l, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(o, k);
	size_t i;

	if (a == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		cJSON *s = cJSON_CreateString(l[i]);
		if (s == NULL || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			return 0;
		}
	}
	return 1;
}

static cJSON *
sig_json(const struct ov_sig_result *s)
{
	cJSON *o = cJSON_CreateObject(), *ts, *chain, *checks, *details, *c;
	size_t i;

	if (o == NULL)
		return NULL;
	if (!add_str(o, "digest", s->digest) ||
	    !add_str(o, "media_type", s->media_type) ||
	    !add_str(o, "signing_scheme", s->signing_scheme) ||
	    !add_str(o, "signature_algorithm", s->algorithm) ||
	    !add_time(o, "signed_at", s->has_signed_at, s->signed_at) ||
	    !add_time(o, "expires_at", s->has_expires_at, s->expires_at) ||
	    !add_str(o, "signing_agent", s->signing_agent))
		goto fail;
	if (s->has_timestamp) {
		if ((ts = cJSON_AddObjectToObject(o, "timestamp")) == NULL ||
		    !add_time(ts, "time", 1, s->timestamp_time) ||
		    !add_str(ts, "tsa_subject", s->tsa_subject))
			goto fail;
	} else if (cJSON_AddNullToObject(o, "timestamp") == NULL) {
		goto fail;
	}
	if (!add_str(o, "time_basis", s->time_basis) ||
	    (chain = cJSON_AddArrayToObject(o, "certificate_chain")) == NULL)
		goto fail;
	for (i = 0; i < s->nchain; i++) {
		const struct ov_cert_info *ci = &s->chain[i];
		if ((c = cJSON_CreateObject()) == NULL ||
		    !cJSON_AddItemToArray(chain, c)) {
			cJSON_Delete(c);
			goto fail;
		}
		if (!add_str(c, "subject", ci->subject) ||
		    !add_str(c, "issuer", ci->issuer) ||
		    !add_str(c, "sha256", ci->sha256) ||
		    !add_time(c, "not_before", 1, ci->not_before) ||
		    !add_time(c, "not_after", 1, ci->not_after))
			goto fail;
	}
	if ((checks = cJSON_AddObjectToObject(o, "checks")) == NULL ||
	    (details = cJSON_AddObjectToObject(o, "check_details")) == NULL)
		goto fail;
	for (i = 0; i < OV_CHECK__COUNT; i++) {
		const char *name = ov_check_name((enum ov_check)i);
		if (!add_str(checks, name, ov_outcome_name(s->checks[i].outcome)) ||
		    !add_str(details, name, s->checks[i].message))
			goto fail;
	}
	if (cJSON_AddBoolToObject(o, "verified", s->verified) == NULL ||
	    !add_str(o, "error_code",
		s->code != OV_OK ? ov_code_name(s->code) : NULL) ||
	    !add_strlist(o, "errors", s->errors, s->nerrors))
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static cJSON *
image_json(const struct ov_image_result *img)
{
	cJSON *o = cJSON_CreateObject(), *sigs, *s;
	size_t i;

	if (o == NULL)
		return NULL;
	if (!add_str(o, "source", img->source) ||
	    cJSON_AddNumberToObject(o, "input", (double)img->input) == NULL ||
	    cJSON_AddNumberToObject(o, "ordinal", (double)img->ordinal) ==
		NULL ||
	    !add_str(o, "reference", img->reference) ||
	    !add_str(o, "name", img->name) ||
	    !add_str(o, "digest", img->digest) ||
	    !add_str(o, "media_type", img->media_type) ||
	    !add_str(o, "signed_digest", img->signed_digest) ||
	    (img->integrity != NULL &&
		!add_str(o, "integrity", img->integrity)) ||
	    !add_str(o, "scope", img->scope) ||
	    !add_str(o, "scope_origin", img->scope_origin) ||
	    !add_str(o, "trust_policy", img->trust_policy) ||
	    !add_str(o, "level", img->level) ||
	    cJSON_AddBoolToObject(o, "verified", img->verified) == NULL ||
	    cJSON_AddBoolToObject(o, "skipped", img->skipped) == NULL ||
	    !add_str(o, "error", img->error) ||
	    !add_str(o, "error_code",
		img->error != NULL ? ov_code_name(img->code) : NULL) ||
	    cJSON_AddBoolToObject(o, "operational", img->operational) ==
		NULL ||
	    !add_strlist(o, "warnings", img->warnings, img->nwarnings) ||
	    (sigs = cJSON_AddArrayToObject(o, "signatures")) == NULL)
		goto fail;
	for (i = 0; i < img->nsigs; i++) {
		if ((s = sig_json(&img->sigs[i])) == NULL)
			goto fail;
		if (!cJSON_AddItemToArray(sigs, s)) {
			cJSON_Delete(s);
			goto fail;
		}
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

const char *
ov_image_display_name(const struct ov_image_result *img)
{
	return img->name != NULL ? img->name
	    : img->reference != NULL ? img->reference
				     : img->source;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the images of one kind (0 passed, 1 failed, 2 skipped),
 * sorted, as the AKS Arc script lists them. */
static int
add_names(cJSON *root, const char *key, const struct ov_report *r,
    int which)
{
	cJSON *a = cJSON_AddArrayToObject(root, key), *s;
	const char **v;
	size_t i, n = 0;
	int ok = 0;

	if (a == NULL)
		return 0;
	if (r->n == 0)
		return 1;
	if ((v = calloc(r->n, sizeof(*v))) == NULL)
		return 0;
	for (i = 0; i < r->n; i++) {
		const struct ov_image_result *img = &r->results[i];
		int kind = img->skipped ? 2 : img->verified ? 0 : 1;
		if (kind == which)
			v[n++] = ov_image_display_name(img);
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		s = cJSON_CreateString(v[i]);
		if (s == NULL || !cJSON_AddItemToArray(a, s)) {
			cJSON_Delete(s);
			goto out;
		}
	}
	ok = 1;
out:
	free(v);
	return ok;
}

void
ov_report_count(const struct ov_report *r, struct ov_report_counts *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < r->n; i++) {
		const struct ov_image_result *img = &r->results[i];
		c->images++;
		if (img->verified)
			c->verified++;
		else if (img->skipped)
			c->skipped++;
		else if (img->operational)
			c->errors++;
		else
			c->failed++;
	}
}

/* What ends a report, a JSONL stream or a merge: the counts, the shard,
 * and the lists of names. */
static int
add_summary(cJSON *root, const struct ov_report *r)
{
	struct ov_report_counts c;
	cJSON *o, *sh;

	ov_report_count(r, &c);
	if ((o = cJSON_AddObjectToObject(root, "summary")) == NULL ||
	    cJSON_AddNumberToObject(o, "images", (double)c.images) == NULL ||
	    cJSON_AddNumberToObject(o, "verified", (double)c.verified) ==
		NULL ||
	    cJSON_AddNumberToObject(o, "failed", (double)c.failed) == NULL ||
	    cJSON_AddNumberToObject(o, "skipped", (double)c.skipped) == NULL ||
	    cJSON_AddNumberToObject(o, "errors", (double)c.errors) == NULL ||
	    cJSON_AddNumberToObject(o, "inputs", (double)r->inputs) == NULL ||
	    cJSON_AddNumberToObject(o, "exit_status",
		ov_report_exit_status(r)) == NULL)
		return 0;
	if (r->shard_count > 1) {
		if ((sh = cJSON_AddObjectToObject(root, "shard")) == NULL ||
		    cJSON_AddNumberToObject(sh, "index", r->shard_index) ==
			NULL ||
		    cJSON_AddNumberToObject(sh, "count", r->shard_count) ==
			NULL ||
		    !add_str(sh, "inputs_digest", r->inputs_digest))
			return 0;
	}
	return add_names(root, "passed_signed_images", r, 0) &&
	    add_names(root, "failed_signed_images", r, 1) &&
	    add_names(root, "skipped_images", r, 2);
}

enum ov_code
ov_report_json(const struct ov_report *r, const char *version,
    struct ov_buf *out, struct ov_err *err)
{
	cJSON *root = cJSON_CreateObject(), *res, *o;
	char *text = NULL;
	size_t i;
	enum ov_code rc = OV_E_NOMEM;

	if (root == NULL || !add_str(root, "ocivet_version", version) ||
	    !add_time(root, "verified_at", 1, r->verified_at) ||
	    (res = cJSON_AddArrayToObject(root, "results")) == NULL)
		goto out;
	for (i = 0; i < r->n; i++) {
		if ((o = image_json(&r->results[i])) == NULL)
			goto out;
		if (!cJSON_AddItemToArray(res, o)) {
			cJSON_Delete(o);
			goto out;
		}
	}
	if (!add_summary(root, r))
		goto out;
	if ((text = cJSON_Print(root)) == NULL)
		goto out;
	if ((rc = ov_buf_adds(out, text, err)) == OV_OK)
		rc = ov_buf_adds(out, "\n", err);
	goto done;
out:
	rc = ov_err_set(err, OV_E_NOMEM, "out of memory");
done:
	free(text);
	cJSON_Delete(root);
	return rc;
}

/* ---- JSON Lines ----------------------------------------------------------- */

/* One line: a cJSON object, unformatted, then "\n"; root is freed. */
static enum ov_code
print_line(cJSON *root, struct ov_buf *out, struct ov_err *err)
{
	char *text = NULL;
	enum ov_code rc;

	if (root == NULL || (text = cJSON_PrintUnformatted(root)) == NULL) {
		cJSON_Delete(root);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	if ((rc = ov_buf_adds(out, text, err)) == OV_OK)
		rc = ov_buf_adds(out, "\n", err);
	free(text);
	cJSON_Delete(root);
	return rc;
}

enum ov_code
ov_report_jsonl_result(const struct ov_image_result *img, int64_t verified_at,
    struct ov_buf *out, struct ov_err *err)
{
	cJSON *root = cJSON_CreateObject(), *o, *item;

	if (root == NULL || !add_str(root, "type", "result") ||
	    !add_time(root, "verified_at", 1, verified_at) ||
	    (o = image_json(img)) == NULL) {
		cJSON_Delete(root);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	/* the result's members after "type" and "verified_at" */
	while ((item = o->child) != NULL) {
		cJSON_DetachItemViaPointer(o, item);
		cJSON_AddItemToObject(root, item->string, item);
		/* cJSON_AddItemToObject copied the key: item->string is
		 * the copy now; nothing else to free */
	}
	cJSON_Delete(o);
	return print_line(root, out, err);
}

enum ov_code
ov_report_jsonl_summary(const struct ov_report *r, const char *version,
    struct ov_buf *out, struct ov_err *err)
{
	cJSON *root = cJSON_CreateObject();

	if (root == NULL || !add_str(root, "type", "summary") ||
	    !add_str(root, "ocivet_version", version) ||
	    !add_time(root, "verified_at", 1, r->verified_at) ||
	    !add_summary(root, r)) {
		cJSON_Delete(root);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	return print_line(root, out, err);
}

/* ---- JUnit XML ------------------------------------------------------------ */

/* s as XML attribute or text content: markup escaped, and the control
 * characters XML 1.0 cannot carry replaced by '?'. */
static enum ov_code
xml_add(struct ov_buf *out, const char *s, struct ov_err *err)
{
	enum ov_code rc = OV_OK;

	for (; *s != '\0' && rc == OV_OK; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&':
			rc = ov_buf_adds(out, "&amp;", err);
			break;
		case '<':
			rc = ov_buf_adds(out, "&lt;", err);
			break;
		case '>':
			rc = ov_buf_adds(out, "&gt;", err);
			break;
		case '"':
			rc = ov_buf_adds(out, "&quot;", err);
			break;
		case '\'':
			rc = ov_buf_adds(out, "&apos;", err);
			break;
		case '\n':
			rc = ov_buf_adds(out, "&#10;", err);
			break;
		case '\t':
			rc = ov_buf_adds(out, "&#9;", err);
			break;
		default:
			rc = ov_buf_add(out, c < 0x20 || c == 0x7f ? "?" : s,
			    1, err);
		}
	}
	return rc;
}

enum ov_code
ov_report_junit(const struct ov_report *r, const char *version,
    struct ov_buf *out, struct ov_err *err)
{
	struct ov_report_counts c;
	char t[OV_TIME_STR_MAX];
	size_t i;
	enum ov_code rc;

	ov_report_count(r, &c);
	if ((rc = ov_buf_addf(out, err,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<testsuites name=\"ocivet verify\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n"
		 "  <testsuite name=\"ocivet verify\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" timestamp=\"%s\">\n"
		 "    <properties>\n"
		 "      <property name=\"ocivet_version\" value=\"",
		 c.images, c.failed, c.errors, c.skipped, c.images, c.failed,
		 c.errors, c.skipped, ov_time_format(r->verified_at, t))) !=
	    OV_OK)
		return rc;
	if ((rc = xml_add(out, version, err)) != OV_OK ||
	    (rc = ov_buf_adds(out, "\"/>\n    </properties>\n", err)) !=
		OV_OK)
		return rc;
	for (i = 0; i < r->n; i++) {
		const struct ov_image_result *img = &r->results[i];
		const char *el = img->skipped ? "skipped"
		    : img->operational	      ? "error"
					      : "failure";
		/* classname: the SOURCE; name: what operators call it */
		if ((rc = ov_buf_adds(out, "    <testcase classname=\"",
			 err)) != OV_OK ||
		    (rc = xml_add(out, img->source, err)) != OV_OK ||
		    (rc = ov_buf_adds(out, "\" name=\"", err)) != OV_OK ||
		    (rc = xml_add(out, ov_image_display_name(img), err)) !=
			OV_OK)
			return rc;
		if (img->digest != NULL &&
		    strstr(ov_image_display_name(img), img->digest) == NULL &&
		    ((rc = ov_buf_adds(out, " (", err)) != OV_OK ||
			(rc = xml_add(out, img->digest, err)) != OV_OK ||
			(rc = ov_buf_adds(out, ")", err)) != OV_OK))
			return rc;
		if (img->verified) {
			if ((rc = ov_buf_adds(out, "\"/>\n", err)) != OV_OK)
				return rc;
			continue;
		}
		if ((rc = ov_buf_addf(out, err, "\">\n      <%s", el)) !=
			OV_OK ||
		    (!img->skipped &&
			(rc = ov_buf_addf(out, err, " type=\"%s\"",
			     img->error != NULL ? ov_code_name(img->code)
						: "not_verified")) != OV_OK) ||
		    (rc = ov_buf_adds(out, " message=\"", err)) != OV_OK ||
		    (rc = xml_add(out,
			 img->skipped
			     ? "the trust policy skips signature verification"
			 : img->error != NULL ? img->error
					      : "not verified",
			 err)) != OV_OK ||
		    (rc = ov_buf_adds(out, "\"/>\n    </testcase>\n", err)) !=
			OV_OK)
			return rc;
	}
	return ov_buf_adds(out, "  </testsuite>\n</testsuites>\n", err);
}

/* ---- text ---------------------------------------------------------------- */

static const char *
label(const struct ov_image_result *img)
{
	if (img->verified)
		return "VERIFIED";
	if (img->skipped)
		return "SKIPPED ";
	return "FAILED  ";
}

/* "PATH:TAG (sha256:...)" or "PATH@sha256:..." */
static enum ov_code
add_ref(struct ov_buf *out, const struct ov_image_result *img,
    struct ov_err *err)
{
	const char *ref = img->reference ? img->reference : img->source;

	if (img->digest != NULL && strstr(ref, img->digest) == NULL)
		return ov_buf_addf(out, err, "%s (%s)", ref, img->digest);
	return ov_buf_adds(out, ref, err);
}

static const struct ov_sig_result *
first_verified(const struct ov_image_result *img)
{
	size_t i;

	for (i = 0; i < img->nsigs; i++)
		if (img->sigs[i].verified)
			return &img->sigs[i];
	return NULL;
}

static enum ov_code
sig_details(struct ov_buf *out, const struct ov_sig_result *s,
    struct ov_err *err)
{
	char t[OV_TIME_STR_MAX];
	size_t i;
	enum ov_code r;

	if ((r = ov_buf_addf(out, err, "  signature %s: %s\n", s->digest,
		 s->verified ? "verified" : "not verified")) != OV_OK)
		return r;
	if (s->signing_scheme != NULL &&
	    (r = ov_buf_addf(out, err, "    %s, %s, %s, signed %s\n",
		 s->media_type, s->signing_scheme,
		 s->algorithm ? s->algorithm : "?",
		 ov_time_format(s->signed_at, t))) != OV_OK)
		return r;
	for (i = 0; i < s->nchain; i++)
		if ((r = ov_buf_addf(out, err, "    certificate %zu: %s\n",
			 i + 1, s->chain[i].subject)) != OV_OK)
			return r;
	for (i = 0; i < OV_CHECK__COUNT; i++) {
		const struct ov_check_result *c = &s->checks[i];
		if (c->message != NULL)
			r = ov_buf_addf(out, err, "    %-19s %-8s %s\n",
			    ov_check_name((enum ov_check)i),
			    ov_outcome_name(c->outcome), c->message);
		else
			r = ov_buf_addf(out, err, "    %-19s %s\n",
			    ov_check_name((enum ov_check)i),
			    ov_outcome_name(c->outcome));
		if (r != OV_OK)
			return r;
	}
	if (s->time_basis != NULL &&
	    (r = ov_buf_addf(out, err, "    certificate validity checked at the %s\n",
		 s->time_basis)) != OV_OK)
		return r;
	return OV_OK;
}

enum ov_code
ov_report_text(const struct ov_report *r, int verbose, struct ov_buf *out,
    struct ov_buf *warn, struct ov_err *err)
{
	const struct ov_image_result *img;
	const struct ov_sig_result *s;
	size_t i, k;
	enum ov_code rc;

	for (i = 0; i < r->n; i++) {
		img = &r->results[i];
		if ((rc = ov_buf_addf(out, err, "%s ", label(img))) != OV_OK ||
		    (rc = add_ref(out, img, err)) != OV_OK)
			return rc;
		if (img->verified && (s = first_verified(img)) != NULL) {
			rc = ov_buf_addf(out, err,
			    ": signature %s by \"%s\", trust policy \"%s\" (%s)\n",
			    s->digest, s->nchain ? s->chain[0].subject : "?",
			    img->trust_policy, img->level);
		} else if (img->skipped) {
			rc = ov_buf_addf(out, err,
			    ": trust policy \"%s\" skips signature verification\n",
			    img->trust_policy);
		} else {
			/* Source failures often name the source already. */
			const char *msg = img->error ? img->error : "not verified";
			const char *ref = img->reference ? img->reference : "";
			size_t rl = strlen(ref);
			if (rl > 0 && strncmp(msg, ref, rl) == 0 &&
			    strncmp(msg + rl, ": ", 2) == 0)
				msg += rl + 2;
			rc = ov_buf_addf(out, err, ": %s\n", msg);
		}
		if (rc != OV_OK)
			return rc;
		for (k = 0; k < img->nwarnings; k++)
			if ((rc = ov_buf_addf(warn, err, "warning: %s: %s\n",
				 img->reference ? img->reference : img->source,
				 img->warnings[k])) != OV_OK)
				return rc;
		if (!verbose)
			continue;
		if (img->scope != NULL &&
		    (rc = ov_buf_addf(out, err, "  scope %s (from %s)\n",
			 img->scope, img->scope_origin)) != OV_OK)
			return rc;
		if (img->signed_digest != NULL &&
		    (rc = ov_buf_addf(out, err,
			 "  signed manifest %s, bound to the image through its config and diff_ids\n",
			 img->signed_digest)) != OV_OK)
			return rc;
		for (k = 0; k < img->nsigs; k++)
			if ((rc = sig_details(out, &img->sigs[k], err)) != OV_OK)
				return rc;
	}
	return OV_OK;
}
