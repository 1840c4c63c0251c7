/* SPDX-License-Identifier: Apache-2.0 */
/* Result records: construction, ownership and exit status. */
#include "config.h"

#include "result.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct ov_report *
ov_report_new(int64_t verified_at)
{
	struct ov_report *r = calloc(1, sizeof(*r));

	if (r != NULL)
		r->verified_at = verified_at;
	return r;
}

void
ov_sig_result_clear(struct ov_sig_result *s)
{
	size_t i;

	free(s->digest);
	free(s->media_type);
	free(s->signing_scheme);
	free(s->algorithm);
	free(s->tsa_subject);
	free(s->signing_agent);
	free(s->time_basis);
	for (i = 0; i < s->nchain; i++) {
		free(s->chain[i].subject);
		free(s->chain[i].issuer);
	}
	free(s->chain);
	for (i = 0; i < OV_CHECK__COUNT; i++)
		free(s->checks[i].message);
	ov_strv_free(s->errors, s->nerrors);
	memset(s, 0, sizeof(*s));
}

void
ov_image_result_clear(struct ov_image_result *img)
{
	size_t i;

	free(img->source);
	free(img->reference);
	free(img->tag);
	free(img->name);
	free(img->integrity);
	free(img->digest);
	free(img->media_type);
	free(img->signed_digest);
	free(img->scope);
	free(img->scope_origin);
	free(img->trust_policy);
	free(img->level);
	free(img->error);
	for (i = 0; i < img->nsigs; i++)
		ov_sig_result_clear(&img->sigs[i]);
	free(img->sigs);
	ov_strv_free(img->warnings, img->nwarnings);
	memset(img, 0, sizeof(*img));
}

void
ov_report_free(struct ov_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		ov_image_result_clear(&r->results[i]);
	free(r->results);
	free(r->inputs_digest);
	free(r);
}

struct ov_image_result *
ov_report_add(struct ov_report *r)
{
	struct ov_image_result *nr;

	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 8;
		if ((nr = realloc(r->results, ncap * sizeof(*nr))) == NULL)
			return NULL;
		r->results = nr;
		r->cap = ncap;
	}
	memset(&r->results[r->n], 0, sizeof(r->results[r->n]));
	return &r->results[r->n++];
}

struct ov_sig_result *
ov_image_add_sig(struct ov_image_result *img)
{
	struct ov_sig_result *ns;

	if ((ns = realloc(img->sigs, (img->nsigs + 1) * sizeof(*ns))) == NULL)
		return NULL;
	img->sigs = ns;
	memset(&ns[img->nsigs], 0, sizeof(ns[img->nsigs]));
	return &ns[img->nsigs++];
}

enum ov_code
ov_set_str(char **dst, struct ov_err *err, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = ov_vstrf(fmt, ap);
	va_end(ap);
	if (s == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	free(*dst);
	*dst = s;
	return OV_OK;
}

enum ov_code
ov_sig_set_check(struct ov_sig_result *s, enum ov_check check,
    enum ov_outcome outcome, const char *message, struct ov_err *err)
{
	struct ov_check_result *c = &s->checks[check];
	char *m = NULL;

	if (message != NULL && (m = strdup(message)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	free(c->message);
	c->outcome = outcome;
	c->message = m;
	return OV_OK;
}

const char *
ov_outcome_name(enum ov_outcome o)
{
	switch (o) {
	case OV_OUTCOME_PASSED:
		return "passed";
	case OV_OUTCOME_FAILED:
		return "failed";
	case OV_OUTCOME_LOGGED:
		return "logged";
	case OV_OUTCOME_SKIPPED:
		break;
	}
	return "skipped";
}

int
ov_report_exit_status(const struct ov_report *r)
{
	size_t i;
	int status = 0;

	for (i = 0; i < r->n; i++) {
		const struct ov_image_result *img = &r->results[i];
		if (img->operational)
			return 2;
		if (!img->verified && !img->skipped)
			status = 1;
	}
	return status;
}
