/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OCI image layout writer (image-spec image-layout.md) and Notary
 * signature manifests (signature-specification.md "Storage").
 */
#include "config.h"

#include "layout_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "json.h"
#include "ovlimits.h"

/* mkdir -p */
static enum ov_code
mkdir_p(const char *path, struct ov_err *err)
{
	char p[4096];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(p))
		return ov_err_set(err, OV_E_USAGE, "invalid directory \"%.80s\"",
		    path);
	memcpy(p, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return ov_err_set(err, OV_E_IO, "%s: mkdir: %s", p,
			    strerror(errno));
		p[i] = path[i];
	}
	return OV_OK;
}

/* Write data to path via a temporary file and rename(2). */
static enum ov_code
write_atomic(const char *path, const void *data, size_t len,
    struct ov_err *err)
{
	char tmp[4096];
	ssize_t n;
	size_t off = 0;
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path,
		(long)getpid()) >= sizeof(tmp))
		return ov_err_set(err, OV_E_USAGE, "%s: path too long", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) <
	    0)
		return ov_err_set(err, OV_E_IO, "%s: %s", tmp,
		    strerror(errno));
	while (off < len) {
		n = write(fd, (const char *)data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return ov_err_set(err, OV_E_IO, "%s: write: %s", tmp,
			    strerror(errno));
		}
		off += (size_t)n;
	}
	/* durable before it is visible: a crash never leaves a named but
	 * empty blob or index.json */
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return ov_err_set(err, OV_E_IO, "%s: %s", path,
		    strerror(errno));
	}
	return OV_OK;
}

enum ov_code
ov_file_write_atomic(const char *path, const void *data, size_t len,
    struct ov_err *err)
{
	return write_atomic(path, data, len, err);
}

static enum ov_code
path_join(char *buf, size_t n, struct ov_err *err, const char *a,
    const char *b)
{
	if ((size_t)snprintf(buf, n, "%s/%s", a, b) >= n)
		return ov_err_set(err, OV_E_USAGE, "%s/%s: path too long", a,
		    b);
	return OV_OK;
}

enum ov_code
ov_layout_dir_init(const char *dir, struct ov_err *err)
{
	static const char header[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
	static const char index[] =
	    "{\"schemaVersion\":2,\"mediaType\":\"" OV_MT_OCI_INDEX
	    "\",\"manifests\":[]}";
	char p[4096];
	struct stat st;
	enum ov_code r;

	if ((r = mkdir_p(dir, err)) != OV_OK ||
	    (r = path_join(p, sizeof(p), err, dir, "blobs")) != OV_OK ||
	    (r = mkdir_p(p, err)) != OV_OK ||
	    (r = path_join(p, sizeof(p), err, dir, "blobs/sha256")) != OV_OK ||
	    (r = mkdir_p(p, err)) != OV_OK ||
	    (r = path_join(p, sizeof(p), err, dir, "oci-layout")) != OV_OK)
		return r;
	if (stat(p, &st) != 0 &&
	    (r = write_atomic(p, header, sizeof(header) - 1, err)) != OV_OK)
		return r;
	if ((r = path_join(p, sizeof(p), err, dir, "index.json")) != OV_OK)
		return r;
	if (stat(p, &st) != 0 &&
	    (r = write_atomic(p, index, sizeof(index) - 1, err)) != OV_OK)
		return r;
	return OV_OK;
}

enum ov_code
ov_layout_dir_put_blob(const char *dir, const void *data, size_t len,
    struct ov_digest *out, struct ov_err *err)
{
	char p[4096];
	enum ov_code r;

	if ((r = ov_digest_of(OV_DIGEST_SHA256, data, len, out, err)) != OV_OK)
		return r;
	if ((size_t)snprintf(p, sizeof(p), "%s/blobs/sha256/%s", dir,
		ov_digest_hex(out)) >= sizeof(p))
		return ov_err_set(err, OV_E_USAGE, "%s: path too long", dir);
	return write_atomic(p, data, len, err);
}

static cJSON *
descriptor_obj(const struct ov_descriptor *d)
{
	cJSON *o = cJSON_CreateObject(), *a;
	size_t i;

	if (o == NULL ||
	    cJSON_AddStringToObject(o, "mediaType", d->media_type) == NULL ||
	    cJSON_AddStringToObject(o, "digest", d->digest.str) == NULL ||
	    cJSON_AddNumberToObject(o, "size", (double)d->size) == NULL)
		goto fail;
	if (d->artifact_type != NULL &&
	    cJSON_AddStringToObject(o, "artifactType", d->artifact_type) ==
		NULL)
		goto fail;
	if (d->platform != NULL) {
		/* "os/arch[/variant]", as ov_descriptor_parse() renders it */
		char os[128], arch[128], variant[128] = "";
		cJSON *p;
		if (sscanf(d->platform, "%127[^/]/%127[^/]/%127s", os, arch,
			variant) < 2 ||
		    (p = cJSON_AddObjectToObject(o, "platform")) == NULL ||
		    cJSON_AddStringToObject(p, "architecture", arch) == NULL ||
		    cJSON_AddStringToObject(p, "os", os) == NULL ||
		    (variant[0] != '\0' &&
			cJSON_AddStringToObject(p, "variant", variant) == NULL))
			goto fail;
	}
	if (d->nannotations > 0) {
		if ((a = cJSON_AddObjectToObject(o, "annotations")) == NULL)
			goto fail;
		for (i = 0; i < d->nannotations; i++)
			if (cJSON_AddStringToObject(a, d->annotations[i].key,
				d->annotations[i].value) == NULL)
				goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

enum ov_code
ov_descriptor_json(const struct ov_descriptor *d, char **out,
    struct ov_err *err)
{
	cJSON *o = descriptor_obj(d);

	*out = o != NULL ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	return *out != NULL ? OV_OK
			    : ov_err_set(err, OV_E_NOMEM, "out of memory");
}

enum ov_code
ov_layout_dir_add_entry(const char *dir, const struct ov_descriptor *d,
    struct ov_err *err)
{
	return ov_layout_dir_add_entries(dir, d, 1, err);
}

enum ov_code
ov_layout_dir_add_entries(const char *dir, const struct ov_descriptor *d,
    size_t n, struct ov_err *err)
{
	size_t i;
	int dfd;
	struct ov_buf b;
	cJSON *root = NULL, *arr, *o;
	char p[4096], *text = NULL;
	enum ov_code r;

	ov_buf_init(&b, OV_MAX_INDEX_JSON);
	if ((r = path_join(p, sizeof(p), err, dir, "index.json")) != OV_OK ||
	    (r = ov_buf_read_file(&b, AT_FDCWD, p, err)) != OV_OK ||
	    (r = ov_json_parse(b.data, b.len, p, &root, err)) != OV_OK)
		goto out;
	arr = cJSON_GetObjectItemCaseSensitive(root, "manifests");
	if (!cJSON_IsArray(arr)) {
		r = ov_err_set(err, OV_E_FORMAT, "%s: no manifests array", p);
		goto out;
	}
	for (i = 0; i < n; i++)
		if ((o = descriptor_obj(&d[i])) == NULL ||
		    !cJSON_AddItemToArray(arr, o)) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
	if ((text = cJSON_Print(root)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = write_atomic(p, text, strlen(text), err)) != OV_OK)
		goto out;
	/* the rename itself */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
out:
	free(text);
	cJSON_Delete(root);
	ov_buf_free(&b);
	return r;
}

enum ov_code
ov_signature_manifest_json(enum ov_sig_shape shape,
    const struct ov_descriptor *subject, const struct ov_descriptor *envelope,
    const char *thumbprints, const char *created, char **out,
    struct ov_err *err)
{
	struct ov_descriptor cfg;
	char cfg_mt[64];
	cJSON *root = cJSON_CreateObject(), *o, *arr, *ann;
	enum ov_code r = OV_E_NOMEM;

	*out = NULL;
	memset(&cfg, 0, sizeof(cfg));
	if (root == NULL)
		goto out;
	if (shape == OV_SHAPE_OCI_ARTIFACT) {
		if (cJSON_AddStringToObject(root, "mediaType",
			OV_MT_OCI_ARTIFACT) == NULL ||
		    cJSON_AddStringToObject(root, "artifactType",
			OV_MT_NOTARY_SIGNATURE) == NULL)
			goto out;
	} else {
		if (cJSON_AddNumberToObject(root, "schemaVersion", 2) == NULL ||
		    cJSON_AddStringToObject(root, "mediaType",
			OV_MT_OCI_MANIFEST) == NULL)
			goto out;
		int v2 = shape == OV_SHAPE_ARTIFACT_TYPE ||
		    shape == OV_SHAPE_ARTIFACT_TYPE_DATA;
		if (v2 &&
		    cJSON_AddStringToObject(root, "artifactType",
			OV_MT_NOTARY_SIGNATURE) == NULL)
			goto out;
		(void)snprintf(cfg_mt, sizeof(cfg_mt), "%s",
		    v2 ? OV_MT_OCI_EMPTY : OV_MT_NOTARY_SIGNATURE);
		cfg.media_type = cfg_mt;
		if (ov_digest_parse(OV_EMPTY_DIGEST, &cfg.digest, err) != OV_OK)
			goto out;
		cfg.size = 2;
		if ((o = descriptor_obj(&cfg)) == NULL ||
		    !cJSON_AddItemToObject(root, "config", o))
			goto out;
		/* oras-go's DescriptorEmptyJSON: the content inline */
		if (shape == OV_SHAPE_ARTIFACT_TYPE_DATA &&
		    cJSON_AddStringToObject(o, "data", "e30=") == NULL)
			goto out;
	}
	if ((arr = cJSON_AddArrayToObject(root,
		 shape == OV_SHAPE_OCI_ARTIFACT ? "blobs" : "layers")) ==
		NULL ||
	    (o = descriptor_obj(envelope)) == NULL ||
	    !cJSON_AddItemToArray(arr, o))
		goto out;
	if ((o = descriptor_obj(subject)) == NULL ||
	    !cJSON_AddItemToObject(root, "subject", o))
		goto out;
	/* Only mediaType, digest and size belong in the subject. */
	cJSON_DeleteItemFromObjectCaseSensitive(o, "annotations");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "platform");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "artifactType");
	if (thumbprints != NULL || created != NULL) {
		if ((ann = cJSON_AddObjectToObject(root, "annotations")) == NULL)
			goto out;
		if (thumbprints != NULL &&
		    cJSON_AddStringToObject(ann,
			"io.cncf.notary.x509chain.thumbprint#S256",
			thumbprints) == NULL)
			goto out;
		if (created != NULL &&
		    cJSON_AddStringToObject(ann,
			"org.opencontainers.image.created", created) == NULL)
			goto out;
	}
	if ((*out = cJSON_PrintUnformatted(root)) == NULL)
		goto out;
	r = OV_OK;
out:
	cJSON_Delete(root);
	if (r == OV_E_NOMEM)
		ov_err_set(err, r, "out of memory");
	return r;
}
