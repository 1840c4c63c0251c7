/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Merging reports (ocivet report merge). Each input is parsed with the
 * strict JSON reader; its results are kept as parsed and re-emitted in
 * the order one run gives them: by input index, then by the image's
 * index in its input (both in every result).
 */
#include "config.h"

#include "merge.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"

struct item {
	cJSON *obj;          /* in a parsed document: */
	cJSON *parent;       /* its "results" array, or NULL: it is the
			      * document docs[doc] (a JSONL line) */
	size_t doc;
	size_t seq;          /* order of reading, the last tie-break */
	size_t file;
	int64_t input, ordinal;
	int verified, skipped, operational;
	const char *display; /* name, else reference, else source */
};

struct ov_merge {
	cJSON **docs;      /* every parsed document, owned */
	size_t ndocs;
	struct item *items;
	size_t n, cap;
	size_t nfiles;
	size_t sharded;    /* files with a shard, files without */
	size_t unsharded;
	int64_t shard_count;
	char *inputs_digest;
	unsigned char *seen; /* seen[i]: shard i was given */
	int64_t inputs;      /* of the run (sharded) or summed */
	char *verified_at;
};

enum ov_code
ov_merge_new(struct ov_merge **out, struct ov_err *err)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

void
ov_merge_free(struct ov_merge *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->ndocs; i++)
		cJSON_Delete(m->docs[i]);
	free(m->docs);
	free(m->items);
	free(m->inputs_digest);
	free(m->seen);
	free(m->verified_at);
	free(m);
}

static enum ov_code
keep_doc(struct ov_merge *m, cJSON *doc, struct ov_err *err)
{
	cJSON **nd;

	if ((nd = realloc(m->docs, (m->ndocs + 1) * sizeof(*nd))) == NULL) {
		cJSON_Delete(doc);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	m->docs = nd;
	nd[m->ndocs++] = doc;
	return OV_OK;
}

static enum ov_code
get_bool(const cJSON *o, const char *key, const char *what, int *out,
    struct ov_err *err)
{
	const cJSON *v = ov_json_get(o, key);

	if (!cJSON_IsBool(v))
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: \"%s\" must be true or false", what, key);
	*out = cJSON_IsTrue(v);
	return OV_OK;
}

/* A result object: the members the merge reads are checked. */
static enum ov_code
add_result(struct ov_merge *m, cJSON *parent, cJSON *o, const char *what,
    struct ov_err *err)
{
	struct item *it;
	const char *source = NULL, *ref = NULL, *name = NULL;
	const cJSON *v;
	enum ov_code r;

	if (!cJSON_IsObject(o))
		return ov_err_set(err, OV_E_FORMAT, "%s: a result is no object",
		    what);
	if (m->n == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 64;
		if ((it = realloc(m->items, nc * sizeof(*it))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		m->items = it;
		m->cap = nc;
	}
	it = &m->items[m->n];
	memset(it, 0, sizeof(*it));
	it->obj = o;
	it->parent = parent;
	it->doc = m->ndocs - 1;
	it->file = m->nfiles;
	it->seq = m->n;
	if ((r = ov_json_string(o, "source", 1, what, &source, err)) != OV_OK ||
	    (r = ov_json_int64(o, "input", 1, what, &it->input, err)) !=
		OV_OK ||
	    (r = ov_json_int64(o, "ordinal", 1, what, &it->ordinal, err)) !=
		OV_OK ||
	    (r = get_bool(o, "verified", what, &it->verified, err)) != OV_OK ||
	    (r = get_bool(o, "skipped", what, &it->skipped, err)) != OV_OK ||
	    (r = get_bool(o, "operational", what, &it->operational, err)) !=
		OV_OK)
		return r;
	if (it->input < 0 || it->ordinal < 0)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: negative input or ordinal", what);
	if ((v = ov_json_get(o, "reference")) != NULL && cJSON_IsString(v))
		ref = v->valuestring;
	if ((v = ov_json_get(o, "name")) != NULL && cJSON_IsString(v))
		name = v->valuestring;
	it->display = name != NULL ? name : ref != NULL ? ref : source;
	m->n++;
	return OV_OK;
}

/* The summary and shard of one file (its root, or its summary line). */
static enum ov_code
add_summary(struct ov_merge *m, const cJSON *root, size_t before,
    const char *what, struct ov_err *err)
{
	const cJSON *sum, *sh;
	const char *at = NULL, *digest = NULL;
	int64_t images, inputs = 0, index, count;
	size_t nresults = m->n - before, i;
	enum ov_code r;

	if ((r = ov_json_object(root, "summary", 1, what, &sum, err)) !=
		OV_OK ||
	    (r = ov_json_int64(sum, "images", 1, what, &images, err)) !=
		OV_OK ||
	    (r = ov_json_int64(sum, "inputs", 1, what, &inputs, err)) !=
		OV_OK ||
	    (r = ov_json_string(root, "verified_at", 1, what, &at, err)) !=
		OV_OK)
		return r;
	if (images < 0 || (uint64_t)images != nresults)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: the summary counts %lld images but the report holds %zu: an incomplete report",
		    what, (long long)images, nresults);
	if (inputs < 0)
		return ov_err_set(err, OV_E_FORMAT, "%s: negative inputs", what);
	for (i = before; i < m->n; i++)
		if (m->items[i].input >= inputs)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: a result of input %lld, but the summary counts %lld inputs",
			    what, (long long)m->items[i].input,
			    (long long)inputs);
	if (m->verified_at == NULL && (m->verified_at = strdup(at)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((sh = ov_json_get(root, "shard")) == NULL || cJSON_IsNull(sh)) {
		/* whole runs one after another: their inputs numbered on */
		for (i = before; i < m->n; i++) {
			m->items[i].input += m->inputs;
			cJSON_SetNumberValue(
			    cJSON_GetObjectItemCaseSensitive(m->items[i].obj,
				"input"),
			    (double)m->items[i].input);
		}
		m->unsharded++;
		m->inputs += inputs;
		return OV_OK;
	}
	if ((r = ov_json_object(root, "shard", 1, what, &sh, err)) != OV_OK ||
	    (r = ov_json_int64(sh, "index", 1, what, &index, err)) != OV_OK ||
	    (r = ov_json_int64(sh, "count", 1, what, &count, err)) != OV_OK ||
	    (r = ov_json_string(sh, "inputs_digest", 1, what, &digest,
		 err)) != OV_OK)
		return r;
	if (count < 2 || count > 10000 || index < 0 || index >= count)
		return ov_err_set(err, OV_E_FORMAT, "%s: shard %lld of %lld",
		    what, (long long)index, (long long)count);
	if (m->sharded == 0) {
		m->shard_count = count;
		m->inputs = inputs;
		if ((m->inputs_digest = strdup(digest)) == NULL ||
		    (m->seen = calloc((size_t)count, 1)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
	} else if (count != m->shard_count) {
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: a shard of %lld, the others are of %lld: reports of different runs",
		    what, (long long)count, (long long)m->shard_count);
	} else if (strcmp(digest, m->inputs_digest) != 0 ||
	    inputs != m->inputs) {
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: shard %lld verified another list of inputs than the other shards: run every shard over the same SOURCEs and --recursive directories",
		    what, (long long)index);
	}
	if (m->seen[index])
		return ov_err_set(err, OV_E_FORMAT, "%s: shard %lld given twice",
		    what, (long long)index);
	m->seen[index] = 1;
	m->sharded++;
	return OV_OK;
}

static enum ov_code
add_document(struct ov_merge *m, cJSON *doc, const char *what,
    struct ov_err *err)
{
	const cJSON *cres;
	cJSON *o, *res;
	size_t before = m->n;
	enum ov_code r;

	if ((r = keep_doc(m, doc, err)) != OV_OK ||
	    (r = ov_json_array(doc, "results", 1, what, &cres, err)) != OV_OK)
		return r;
	res = cJSON_GetObjectItemCaseSensitive(doc, "results");
	cJSON_ArrayForEach(o, res)
		if ((r = add_result(m, res, o, what, err)) != OV_OK)
			return r;
	return add_summary(m, doc, before, what, err);
}

static enum ov_code
add_lines(struct ov_merge *m, const char *data, size_t len, const char *what,
    struct ov_err *err)
{
	const char *p = data, *end = data + len, *nl;
	size_t lineno = 0, before = m->n;
	int summary = 0;
	char lwhat[512];
	const char *type;
	cJSON *doc;
	enum ov_code r;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		lineno++;
		if (nl == p)
			continue;
		(void)snprintf(lwhat, sizeof(lwhat), "%s: line %zu", what,
		    lineno);
		if (summary)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: after the summary line", lwhat);
		if ((r = ov_json_parse(p, (size_t)(nl - p), lwhat, &doc,
			 err)) != OV_OK)
			return r;
		if ((r = keep_doc(m, doc, err)) != OV_OK ||
		    (r = ov_json_string(doc, "type", 1, lwhat, &type, err)) !=
			OV_OK)
			return r;
		if (strcmp(type, "summary") == 0) {
			if ((r = add_summary(m, doc, before, lwhat, err)) !=
			    OV_OK)
				return r;
			summary = 1;
			continue;
		}
		if (strcmp(type, "result") != 0)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: unknown type \"%s\"", lwhat, type);
		/* the report's result: without the line's own members */
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "type");
		cJSON_DeleteItemFromObjectCaseSensitive(doc, "verified_at");
		if ((r = add_result(m, NULL, doc, lwhat, err)) != OV_OK)
			return r;
	}
	if (!summary)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: no summary line at the end: an incomplete report (was the run killed?)",
		    what);
	return OV_OK;
}

enum ov_code
ov_merge_add(struct ov_merge *m, const void *data, size_t len,
    const char *what, struct ov_err *err)
{
	const char *s = data;
	size_t i = 0;
	cJSON *doc;
	enum ov_code r;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			      s[i] == '\r'))
		i++;
	if (i == len)
		return ov_err_set(err, OV_E_FORMAT, "%s: empty", what);
	/* a JSON report is one document without "type"; JSON Lines are
	 * one per line */
	if (ov_json_parse(data, len, what, &doc, err) == OV_OK &&
	    cJSON_IsObject(doc) && ov_json_get(doc, "type") == NULL)
		r = add_document(m, doc, what, err);
	else {
		cJSON_Delete(doc);
		r = add_lines(m, data, len, what, err);
	}
	m->nfiles++;
	return r;
}

static int
cmp_sharded(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	if (x->ordinal != y->ordinal)
		return x->ordinal < y->ordinal ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
cmp_files(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return cmp_sharded(a, b);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The summary, lists and exit status over every result, as report.c
 * writes them for one run. */
static int
add_tail(const struct ov_merge *m, cJSON *root, int *status)
{
	size_t verified = 0, failed = 0, skipped = 0, errors = 0, i, k, nv;
	const char *keys[3] = {"passed_signed_images", "failed_signed_images",
	    "skipped_images"};
	const char **v;
	cJSON *o, *a, *s;
	int kind, ok = 0;

	*status = 0;
	for (i = 0; i < m->n; i++) {
		const struct item *it = &m->items[i];
		if (it->verified)
			verified++;
		else if (it->skipped)
			skipped++;
		else if (it->operational)
			errors++;
		else
			failed++;
		if (it->operational)
			*status = 2;
		else if (!it->verified && !it->skipped && *status == 0)
			*status = 1;
	}
	if ((o = cJSON_AddObjectToObject(root, "summary")) == NULL ||
	    cJSON_AddNumberToObject(o, "images", (double)m->n) == NULL ||
	    cJSON_AddNumberToObject(o, "verified", (double)verified) == NULL ||
	    cJSON_AddNumberToObject(o, "failed", (double)failed) == NULL ||
	    cJSON_AddNumberToObject(o, "skipped", (double)skipped) == NULL ||
	    cJSON_AddNumberToObject(o, "errors", (double)errors) == NULL ||
	    cJSON_AddNumberToObject(o, "inputs", (double)m->inputs) == NULL ||
	    cJSON_AddNumberToObject(o, "exit_status", *status) == NULL)
		return 0;
	if ((v = calloc(m->n + 1, sizeof(*v))) == NULL)
		return 0;
	for (k = 0; k < 3; k++) {
		if ((a = cJSON_AddArrayToObject(root, keys[k])) == NULL)
			goto out;
		for (i = nv = 0; i < m->n; i++) {
			const struct item *it = &m->items[i];
			kind = it->skipped ? 2 : it->verified ? 0 : 1;
			if ((size_t)kind == k)
				v[nv++] = it->display;
		}
		qsort(v, nv, sizeof(*v), cmp_str);
		for (i = 0; i < nv; i++)
			if ((s = cJSON_CreateString(v[i])) == NULL ||
			    !cJSON_AddItemToArray(a, s)) {
				cJSON_Delete(s);
				goto out;
			}
	}
	ok = 1;
out:
	free(v);
	return ok;
}

static enum ov_code
print(cJSON *root, int formatted, struct ov_buf *out, struct ov_err *err)
{
	char *text = formatted ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
	enum ov_code r;

	if (text == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((r = ov_buf_adds(out, text, err)) == OV_OK)
		r = ov_buf_adds(out, "\n", err);
	free(text);
	return r;
}

enum ov_code
ov_merge_finish(struct ov_merge *m, const char *version, int jsonl,
    struct ov_buf *out, int *exit_status, struct ov_err *err)
{
	cJSON *root = NULL, *res = NULL, *line, *item;
	enum ov_code r = OV_E_NOMEM;
	int64_t i;
	size_t k;

	if (m->nfiles == 0)
		return ov_err_set(err, OV_E_USAGE, "no report to merge");
	if (m->sharded > 0 && m->unsharded > 0)
		return ov_err_set(err, OV_E_FORMAT,
		    "the reports mix shards of a run with whole runs");
	for (i = 0; m->sharded > 0 && i < m->shard_count; i++)
		if (!m->seen[i])
			return ov_err_set(err, OV_E_FORMAT,
			    "shard %lld of %lld is missing: every shard's report is needed, or the merge would leave its images out",
			    (long long)i, (long long)m->shard_count);
	if (m->sharded > 0) {
		qsort(m->items, m->n, sizeof(*m->items), cmp_sharded);
	} else {
		/* whole runs one after another: number their inputs on */
		qsort(m->items, m->n, sizeof(*m->items), cmp_files);
	}
	if ((root = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(root, "ocivet_version", version) == NULL ||
	    cJSON_AddStringToObject(root, "verified_at",
		m->verified_at != NULL ? m->verified_at : "") == NULL ||
	    (res = cJSON_AddArrayToObject(root, "results")) == NULL)
		goto fail;
	for (k = 0; k < m->n; k++) {
		item = m->items[k].obj;
		/* out of its document, into the merged one */
		if (m->items[k].parent != NULL)
			cJSON_DetachItemViaPointer(m->items[k].parent, item);
		else
			m->docs[m->items[k].doc] = NULL;
		cJSON_AddItemToArray(res, item);
	}
	if (!add_tail(m, root, exit_status))
		goto fail;
	if (!jsonl) {
		r = print(root, 1, out, err);
		cJSON_Delete(root);
		return r;
	}
	/* JSON Lines: each result as verify --format jsonl writes it */
	cJSON_ArrayForEach(item, res) {
		cJSON *c;
		if ((line = cJSON_CreateObject()) == NULL ||
		    cJSON_AddStringToObject(line, "type", "result") == NULL ||
		    cJSON_AddStringToObject(line, "verified_at",
			m->verified_at != NULL ? m->verified_at : "") == NULL) {
			cJSON_Delete(line);
			goto fail;
		}
		for (c = item->child; c != NULL; c = c->next) {
			cJSON *dup = cJSON_Duplicate(c, 1);
			if (dup == NULL) {
				cJSON_Delete(line);
				goto fail;
			}
			cJSON_AddItemToObject(line, c->string, dup);
		}
		r = print(line, 0, out, err);
		cJSON_Delete(line);
		if (r != OV_OK) {
			cJSON_Delete(root);
			return r;
		}
	}
	cJSON_DetachItemViaPointer(root, res);
	cJSON_Delete(res);
	cJSON_DeleteItemFromObjectCaseSensitive(root, "ocivet_version");
	cJSON_DeleteItemFromObjectCaseSensitive(root, "verified_at");
	if ((line = cJSON_CreateObject()) == NULL ||
	    cJSON_AddStringToObject(line, "type", "summary") == NULL ||
	    cJSON_AddStringToObject(line, "ocivet_version", version) == NULL ||
	    cJSON_AddStringToObject(line, "verified_at",
		m->verified_at != NULL ? m->verified_at : "") == NULL) {
		cJSON_Delete(line);
		goto fail;
	}
	while ((item = root->child) != NULL) {
		cJSON_DetachItemViaPointer(root, item);
		cJSON_AddItemToObject(line, item->string, item);
	}
	r = print(line, 0, out, err);
	cJSON_Delete(line);
	cJSON_Delete(root);
	return r;
fail:
	cJSON_Delete(root);
	return ov_err_set(err, OV_E_NOMEM, "out of memory");
}
