/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: bbolt database files (ov_bolt_open, bolt.c) and
 * containerd's image records in them (ov_containerd_images,
 * containerd.c). The input is written to a memfd. Every bucket is
 * walked, nested ones too, and every key a walk sees is looked up again;
 * failures must have a message, a value found by a walk must be found by
 * a lookup when the page it is on is reached (no crash, hang or leak in
 * either case), and every image record the reader returns is either
 * usable (a digest that parses, a size >= 0) or carries its error.
 */
#include "config.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bolt.h"
#include "containerd.h"
#include "digest.h"
#include "fuzz.h"

struct walk {
	struct ov_bolt *db;
	const struct ov_bolt_bucket *b;
	size_t calls;
};

static enum ov_code walk_bucket(struct ov_bolt *db,
    const struct ov_bolt_bucket *b, size_t *calls);

static enum ov_code
visit(void *ctx, const unsigned char *k, size_t kl, const unsigned char *v,
    size_t vl, int is_bucket, struct ov_err *err)
{
	struct walk *w = ctx;
	struct ov_bolt_bucket child;
	unsigned char *val = NULL;
	size_t vlen;
	struct ov_err e;
	enum ov_code r;

	if (++w->calls > 2000)
		return ov_err_set(err, OV_E_LIMIT, "fuzz: enough");
	if (!is_bucket) {
		r = ov_bolt_get(w->db, w->b, k, kl, &val, &vlen, &e);
		fuzz_check_err(r, &e);
		free(val);
		return OV_OK;
	}
	r = ov_bolt_bucket_value(w->db, w->b, v, vl, &child, &e);
	fuzz_check_err(r, &e);
	if (r == OV_OK) {
		r = walk_bucket(w->db, &child, &w->calls);
		ov_bolt_bucket_clear(&child);
	}
	return r == OV_E_NOMEM ? ov_err_set(err, r, "out of memory") : OV_OK;
}

static enum ov_code
walk_bucket(struct ov_bolt *db, const struct ov_bolt_bucket *b,
    size_t *calls)
{
	struct walk w = {db, b, *calls};
	struct ov_err e;
	enum ov_code r;

	ov_err_clear(&e);
	r = ov_bolt_foreach(db, b, visit, &w, &e);
	fuzz_check_err(r, &e);
	*calls = w.calls;
	return r;
}

static void
check_images(int fd)
{
	struct ov_ctrd_image *v = NULL;
	struct ov_digest d;
	struct ov_err e;
	size_t n = 0, i;
	enum ov_code r;

	ov_err_clear(&e);
	r = ov_containerd_images(fd, "meta.db", "k8s.io", &v, &n, &e);
	fuzz_check_err(r, &e);
	for (i = 0; r == OV_OK && i < n; i++) {
		FUZZ_ASSERT(v[i].name != NULL);
		if (v[i].code != OV_OK) {
			FUZZ_ASSERT(v[i].error != NULL && v[i].error[0] != '\0');
			continue;
		}
		FUZZ_ASSERT(ov_digest_parse(v[i].digest, &d, &e) == OV_OK);
		FUZZ_ASSERT(v[i].size >= 0 && v[i].media_type != NULL);
	}
	ov_ctrd_images_free(v, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_bolt *db = NULL;
	struct ov_bolt_bucket root;
	struct ov_err err;
	size_t off = 0, calls = 0;
	ssize_t w;
	int fd;
	enum ov_code r;

	if ((fd = memfd_create("ocivet-fuzz", MFD_CLOEXEC)) < 0)
		return 0;
	while (off < size) {
		if ((w = write(fd, data + off, size - off)) <= 0) {
			close(fd);
			return 0;
		}
		off += (size_t)w;
	}
	ov_err_clear(&err);
	r = ov_bolt_open(fd, "meta.db", &db, &err);
	fuzz_check_err(r, &err);
	if (r == OV_OK) {
		ov_bolt_root(db, &root);
		(void)walk_bucket(db, &root, &calls);
		FUZZ_ASSERT(ov_bolt_unchanged(db, &err) == OV_OK);
		ov_bolt_free(db);
		check_images(fd);
	}
	close(fd);
	return 0;
}
