/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: OCI and Docker manifests, indexes and artifact manifests
 * (ov_manifest_parse), as found in index.json and manifest blobs. A
 * document that parses must parse again, to the same shape, when its own
 * media type is declared by the referencing descriptor; every descriptor
 * in it must survive a deep copy.
 */
#include "config.h"

#include "fuzz.h"
#include "manifest.h"

/* Media types a referencing descriptor may declare (NULL: unknown). */
static const char *const declared[] = {
    NULL,
    OV_MT_OCI_MANIFEST,
    OV_MT_OCI_INDEX,
    OV_MT_DOCKER_MANIFEST,
    OV_MT_DOCKER_LIST,
    OV_MT_OCI_ARTIFACT,
};

static void
check_descriptor(const struct ov_descriptor *d)
{
	struct ov_descriptor c;
	struct ov_err err;
	size_t i;

	FUZZ_ASSERT(d->media_type != NULL && d->size >= 0);
	for (i = 0; i < d->nannotations; i++)
		FUZZ_ASSERT(ov_annotation_get(d->annotations, d->nannotations,
					      d->annotations[i].key) ==
			    d->annotations[i].value);
	if (ov_descriptor_copy(&c, d, &err) != OV_OK)
		return;
	FUZZ_ASSERT(ov_descriptor_same(&c, d));
	ov_descriptor_clear(&c);
}

static void
check_manifest(const struct ov_manifest *m)
{
	const struct ov_descriptor *env = NULL;
	size_t i;

	FUZZ_ASSERT(m->media_type != NULL);
	FUZZ_ASSERT(ov_media_type_is_manifest(m->media_type));
	if (m->has_config)
		check_descriptor(&m->config);
	if (m->has_subject)
		check_descriptor(&m->subject);
	for (i = 0; i < m->nchildren; i++)
		check_descriptor(&m->children[i]);
	(void)ov_manifest_artifact_type(m);
	if (ov_manifest_is_signature(m, &env))
		FUZZ_ASSERT(m->kind != OV_KIND_INDEX);
	FUZZ_ASSERT(env == NULL || env == &m->children[0]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_manifest *m = NULL, *again = NULL;
	struct ov_err err;
	const char *mt;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_manifest_parse(data, size, NULL, "fuzz", &m, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (m != NULL));
	if (m != NULL) {
		check_manifest(m);
		r = ov_manifest_parse(data, size, m->media_type, "fuzz", &again,
				      &err);
		FUZZ_ASSERT(r == OV_OK || r == OV_E_NOMEM);
		if (again != NULL) {
			FUZZ_ASSERT(again->kind == m->kind);
			FUZZ_ASSERT(again->nchildren == m->nchildren);
			FUZZ_ASSERT(strcmp(again->media_type, m->media_type) ==
				    0);
		}
		ov_manifest_free(again);
		again = NULL;
		ov_manifest_free(m);
		m = NULL;
	}

	/* The same bytes as referenced by a descriptor of some type. */
	mt = declared[size % (sizeof(declared) / sizeof(declared[0]))];
	if (mt != NULL) {
		ov_err_clear(&err);
		r = ov_manifest_parse(data, size, mt, "fuzz", &m, &err);
		fuzz_check_err(r, &err);
		if (m != NULL) {
			check_manifest(m);
			FUZZ_ASSERT(strcmp(m->media_type, mt) == 0);
		}
		ov_manifest_free(m);
	}
	return 0;
}
