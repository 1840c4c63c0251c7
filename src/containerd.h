/* SPDX-License-Identifier: Apache-2.0 */
/*
 * containerd's image store as an image source, read offline and read
 * only: the image names of one namespace from the metadata database
 * ROOT/io.containerd.metadata.v1.bolt/meta.db (bolt.c; buckets
 * v1/<namespace>/images/<name>/target/{digest,mediatype,size}, as
 * containerd's metadata/images.go writes them) and the blobs from the
 * content store ROOT/io.containerd.content.v1.content/blobs/<alg>/<hex>,
 * read exactly as a layout's blobs (oci_dir.c: no symlink followed).
 * The source offers a made-up layout: oci-layout and an index.json that
 * lists each image under its name.
 */
#ifndef OV_CONTAINERD_H
#define OV_CONTAINERD_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "source.h"

#define OV_CTRD_DEFAULT_ROOT "/var/lib/containerd"
#define OV_CTRD_DEFAULT_NS "k8s.io"
#define OV_CTRD_META "io.containerd.metadata.v1.bolt/meta.db"
#define OV_CTRD_CONTENT "io.containerd.content.v1.content"
#define OV_CTRD_MAX_IMAGES 100000 /* images in one namespace */
#define OV_CTRD_MAX_NAME 4096     /* one image name */

/* An image record of meta.db. */
struct ov_ctrd_image {
	char *name;
	char *digest;      /* as recorded; NULL when unusable */
	char *media_type;
	int64_t size;
	enum ov_code code; /* nonzero: the record is unusable, see error */
	char *error;
};

/*
 * The images of namespace ns in the bbolt database open in fd (name is
 * for messages), by name. An unusable record (missing or malformed
 * target) is listed with its code and error; only a database that
 * cannot be read fails. OV_E_NOTFOUND when the namespace has no images.
 * Free with ov_ctrd_images_free().
 */
enum ov_code ov_containerd_images(int fd, const char *name, const char *ns,
    struct ov_ctrd_image **out, size_t *n, struct ov_err *err);

void ov_ctrd_images_free(struct ov_ctrd_image *v, size_t n);

/*
 * Open the image store at root (NULL: OV_CTRD_DEFAULT_ROOT), namespace
 * ns (NULL: OV_CTRD_DEFAULT_NS). The source's path is root.
 */
enum ov_code ov_containerd_open(const char *root, const char *ns,
    struct ov_source **out, struct ov_err *err);

/* Capture the blobs of a source from ov_containerd_open in spool (for
 * export, spool.h) as they are read; other sources are left alone. */
void ov_containerd_set_spool(struct ov_source *src, struct ov_spool *spool);

/* The images of a source from ov_containerd_open (borrowed), or NULL
 * with *n 0 for any other source. */
const struct ov_ctrd_image *ov_containerd_source_images(
    const struct ov_source *src, size_t *n);

#endif
