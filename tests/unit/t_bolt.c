/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the bbolt reader (bolt.c) and containerd's image records
 * (containerd.c): testdata/containerd/meta.db, written by containerd 1.6
 * (one image imported into k8s.io, cut to the pages in use), and
 * databases built here page by page, good and crafted: bad checksums,
 * page cycles, page ids out of range, deep trees and nesting, counts
 * that do not fit. With OV_BOLT_SEEDS=DIR set, the crafted files are
 * also written to DIR (the fuzz seeds in testdata/fuzz/bolt come so).
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bolt.h"
#include "containerd.h"
#include "harness.h"
#include "source.h"

/* ---- a tiny bbolt writer ------------------------------------------------- */

#define PS 512

/* the builder's own checks (the harness's ASSERT returns from a test) */
#define MUST(c)                                                                \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); \
			abort();                                               \
		}                                                              \
	} while (0)

struct db {
	unsigned char *p;
	size_t npages;
};

struct kv {
	uint32_t flags; /* 1: bucket */
	const char *k;
	const void *v;
	size_t vlen;
};

static void
put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t
fnv(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	while (n-- > 0) {
		h ^= *p++;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
db_init(struct db *d, size_t npages)
{
	d->npages = npages;
	d->p = calloc(npages, PS);
	MUST(d->p != NULL);
}

static void
meta(struct db *d, int which, uint64_t root, uint64_t pgid, uint64_t txid)
{
	unsigned char *p = d->p + (size_t)which * PS, *m = p + 16;

	put64(p, (uint64_t)which);
	put16(p + 8, 0x04);
	put32(m, 0xED0CDAED);
	put32(m + 4, 2);
	put32(m + 8, PS);
	put64(m + 16, root);
	put64(m + 32, 0);
	put64(m + 40, pgid);
	put64(m + 48, txid);
	put64(m + 56, fnv(m, 56));
}

/* A leaf page (id, then elements and their keys and values) in out. */
static size_t
leaf(unsigned char *out, size_t cap, uint64_t id, const struct kv *kv,
    size_t n)
{
	size_t i, data = 16 + n * 16, kl;

	memset(out, 0, cap);
	put64(out, id);
	put16(out + 8, 0x02);
	put16(out + 10, (uint16_t)n);
	for (i = 0; i < n; i++) {
		unsigned char *e = out + 16 + i * 16;
		kl = strlen(kv[i].k);
		MUST(data + kl + kv[i].vlen <= cap);
		put32(e, kv[i].flags);
		put32(e + 4, (uint32_t)(data - (16 + i * 16)));
		put32(e + 8, (uint32_t)kl);
		put32(e + 12, (uint32_t)kv[i].vlen);
		memcpy(out + data, kv[i].k, kl);
		memcpy(out + data + kl, kv[i].v, kv[i].vlen);
		data += kl + kv[i].vlen;
	}
	return data;
}

/* An inline bucket value: header {root 0, sequence 0} and a leaf page. */
static size_t
inline_bucket(unsigned char *out, size_t cap, const struct kv *kv, size_t n)
{
	memset(out, 0, 16);
	return 16 + leaf(out + 16, cap - 16, 0, kv, n);
}

static void
put_page(struct db *d, uint64_t pgid, const unsigned char *page, size_t len)
{
	size_t npg = (len + PS - 1) / PS;

	MUST(pgid + npg <= d->npages);
	memcpy(d->p + pgid * PS, page, len);
	put32(d->p + pgid * PS + 12, (uint32_t)(npg - 1));
}

static void
branch(struct db *d, uint64_t pgid, const char *const *keys,
    const uint64_t *kids, size_t n)
{
	unsigned char *p = d->p + pgid * PS;
	size_t i, data = 16 + n * 16;

	memset(p, 0, PS);
	put64(p, pgid);
	put16(p + 8, 0x01);
	put16(p + 10, (uint16_t)n);
	for (i = 0; i < n; i++) {
		unsigned char *e = p + 16 + i * 16;
		put32(e, (uint32_t)(data - (16 + i * 16)));
		put32(e + 4, (uint32_t)strlen(keys[i]));
		put64(e + 8, kids[i]);
		memcpy(p + data, keys[i], strlen(keys[i]));
		data += strlen(keys[i]);
	}
}

static char tmpdir[256];

/* Write d to a file (and to $OV_BOLT_SEEDS/name); return an open fd. */
static int
db_fd(const struct db *d, const char *name)
{
	char path[512];
	const char *seeds = getenv("OV_BOLT_SEEDS");
	FILE *f;
	int fd;

	if (seeds != NULL) {
		(void)snprintf(path, sizeof(path), "%s/%s", seeds, name);
		MUST((f = fopen(path, "wb")) != NULL);
		MUST(fwrite(d->p, PS, d->npages, f) == d->npages);
		fclose(f);
	}
	(void)snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	MUST((f = fopen(path, "wb")) != NULL);
	MUST(fwrite(d->p, PS, d->npages, f) == d->npages);
	fclose(f);
	MUST((fd = open(path, O_RDONLY)) >= 0);
	return fd;
}

/*
 * containerd's shape: v1/k8s.io/images/<name>/target/{digest,mediatype,
 * size}, every bucket inline below the root leaf page 2.
 */
#define DG "sha256:a8cd29779b61cab80f49069e5fd850733857195c6449f8a3b6bced2f089e5997"
#define MT "application/vnd.oci.image.manifest.v1+json"

static void
build_store(struct db *d, const char *size, size_t sizelen)
{
	unsigned char target[512], img[768], images[1024], ns[1280], v1[1536],
	    page[2048];
	size_t n;
	struct kv t[3] = {{0, "digest", DG, sizeof(DG) - 1},
	    {0, "mediatype", MT, sizeof(MT) - 1}, {0, "size", size, sizelen}};
	struct kv k;

	n = inline_bucket(target, sizeof(target), t, 3);
	k = (struct kv){1, "target", target, n};
	n = inline_bucket(img, sizeof(img), &k, 1);
	k = (struct kv){1, "registry.example/app:v1", img, n};
	n = inline_bucket(images, sizeof(images), &k, 1);
	k = (struct kv){1, "images", images, n};
	n = inline_bucket(ns, sizeof(ns), &k, 1);
	k = (struct kv){1, "k8s.io", ns, n};
	n = inline_bucket(v1, sizeof(v1), &k, 1);
	k = (struct kv){1, "v1", v1, n};
	n = leaf(page, sizeof(page), 2, &k, 1);
	db_init(d, 8);
	put_page(d, 2, page, n);
	meta(d, 0, 2, 8, 4);
	meta(d, 1, 2, 8, 3);
}

/* ---- tests --------------------------------------------------------------- */

TEST(real_containerd_meta_db)
{
	struct ov_ctrd_image *v = NULL;
	struct ov_bolt *db = NULL;
	size_t n = 0;
	struct ov_err e;
	int fd;

	fd = open(testdata_path("containerd/meta.db"), O_RDONLY);
	ASSERT(fd >= 0);
	ASSERT_OK(ov_bolt_open(fd, "meta.db", &db, &e), &e);
	ASSERT_INT_EQ(ov_bolt_txid(db), 26);
	ASSERT_OK(ov_bolt_unchanged(db, &e), &e);
	ov_bolt_free(db);
	ASSERT_OK(ov_containerd_images(fd, "meta.db", "k8s.io", &v, &n, &e),
	    &e);
	ASSERT_INT_EQ(n, 1);
	ASSERT_INT_EQ(v[0].code, OV_OK);
	ASSERT_STR_EQ(v[0].name, "registry.example/exporters/app:v1");
	ASSERT_STR_EQ(v[0].digest, DG);
	ASSERT_STR_EQ(v[0].media_type, MT);
	ASSERT_INT_EQ(v[0].size, 555);
	ov_ctrd_images_free(v, n);
	ASSERT_CODE(ov_containerd_images(fd, "meta.db", "default", &v, &n,
			&e),
	    OV_E_NOTFOUND, &e);
	ASSERT_STR_HAS(e.msg, "no images in namespace \"default\"");
	close(fd);
}

TEST(built_store)
{
	struct ov_ctrd_image *v = NULL;
	struct db d;
	size_t n = 0;
	struct ov_err e;
	int fd;

	/* varint 555 (zigzag 1110) */
	build_store(&d, "\xd6\x08", 2);
	fd = db_fd(&d, "store");
	ASSERT_OK(ov_containerd_images(fd, "db", "k8s.io", &v, &n, &e), &e);
	ASSERT_INT_EQ(n, 1);
	ASSERT_STR_EQ(v[0].name, "registry.example/app:v1");
	ASSERT_INT_EQ(v[0].size, 555);
	ov_ctrd_images_free(v, n);
	close(fd);
	free(d.p);

	/* a negative size: the record fails, the listing does not */
	build_store(&d, "\x01", 1);
	fd = db_fd(&d, "store-negative-size");
	ASSERT_OK(ov_containerd_images(fd, "db", "k8s.io", &v, &n, &e), &e);
	ASSERT_INT_EQ(n, 1);
	ASSERT_INT_EQ(v[0].code, OV_E_FORMAT);
	ASSERT_STR_HAS(v[0].error, "target size is malformed");
	ov_ctrd_images_free(v, n);
	close(fd);
	free(d.p);
}

static enum ov_code
count_keys(void *ctx, const unsigned char *k, size_t kl,
    const unsigned char *v, size_t vl, int is_bucket, struct ov_err *err)
{
	(void)k;
	(void)kl;
	(void)v;
	(void)vl;
	(void)is_bucket;
	(void)err;
	(*(size_t *)ctx)++;
	return OV_OK;
}

TEST(branch_and_overflow)
{
	struct ov_bolt *db = NULL;
	struct ov_bolt_bucket root;
	unsigned char page[4 * PS], *val = NULL;
	static const char big[1200] = {'x'};
	const char *keys[2] = {"a", "m"};
	const uint64_t kids[2] = {3, 4};
	struct kv a[2] = {{0, "a", "1", 1}, {0, "b", "2", 1}};
	struct kv m[2] = {{0, "m", big, sizeof(big)}, {0, "z", "3", 1}};
	size_t vlen, n = 0;
	struct db d;
	struct ov_err e;
	int fd;

	db_init(&d, 10);
	branch(&d, 2, keys, kids, 2);
	put_page(&d, 3, page, leaf(page, PS, 3, a, 2));
	/* page 4 spans three pages: two overflow pages */
	put_page(&d, 4, page, leaf(page, sizeof(page), 4, m, 2));
	meta(&d, 0, 2, 10, 7);
	meta(&d, 1, 2, 10, 6);
	fd = db_fd(&d, "branch-overflow");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ov_bolt_root(db, &root);
	ASSERT_OK(ov_bolt_get(db, &root, "b", 1, &val, &vlen, &e), &e);
	ASSERT_STR_EQ((char *)val, "2");
	free(val);
	ASSERT_OK(ov_bolt_get(db, &root, "m", 1, &val, &vlen, &e), &e);
	ASSERT_INT_EQ(vlen, sizeof(big));
	free(val);
	ASSERT_OK(ov_bolt_get(db, &root, "z", 1, &val, &vlen, &e), &e);
	free(val);
	ASSERT_CODE(ov_bolt_get(db, &root, "c", 1, &val, &vlen, &e),
	    OV_E_NOTFOUND, &e);
	ASSERT_OK(ov_bolt_foreach(db, &root, count_keys, &n, &e), &e);
	ASSERT_INT_EQ(n, 4);
	ov_bolt_free(db);
	close(fd);

	/* overflow pages past the pages in use */
	meta(&d, 0, 2, 5, 7);
	meta(&d, 1, 2, 5, 6);
	fd = db_fd(&d, "overflow-past-end");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ov_bolt_root(db, &root);
	ASSERT_CODE(ov_bolt_get(db, &root, "m", 1, &val, &vlen, &e),
	    OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "overflow pages run past the pages in use");
	ov_bolt_free(db);
	close(fd);
	free(d.p);
}

TEST(meta_pages)
{
	struct ov_bolt *db = NULL;
	struct db d;
	struct ov_err e;
	int fd;

	build_store(&d, "\xd6\x08", 2);
	/* the newer meta page (0, txid 4) is damaged: page 1 (txid 3) */
	d.p[16 + 50] ^= 1;
	fd = db_fd(&d, "newer-meta-damaged");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ASSERT_INT_EQ(ov_bolt_txid(db), 3);
	ov_bolt_free(db);
	close(fd);
	/* both damaged */
	d.p[PS + 16 + 50] ^= 1;
	fd = db_fd(&d, "bad-checksums");
	ASSERT_CODE(ov_bolt_open(fd, "db", &db, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "both meta pages are damaged");
	close(fd);
	free(d.p);

	/* more pages in use than the file holds */
	build_store(&d, "\xd6\x08", 2);
	meta(&d, 0, 2, 9, 4);
	meta(&d, 1, 2, 9, 3);
	fd = db_fd(&d, "pgid-past-eof");
	ASSERT_CODE(ov_bolt_open(fd, "db", &db, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "pages are in use, but the file holds 8");
	close(fd);
	free(d.p);

	/* not a database at all */
	db_init(&d, 4);
	fd = db_fd(&d, "zeros");
	ASSERT_CODE(ov_bolt_open(fd, "db", &db, &e), OV_E_FORMAT, &e);
	close(fd);
	free(d.p);
}

TEST(hostile_pages)
{
	struct ov_bolt *db = NULL;
	struct ov_bolt_bucket root;
	unsigned char *val = NULL;
	const char *keys[2] = {"a", "b"};
	uint64_t kids[2] = {2, 3};
	size_t vlen, i;
	struct db d;
	struct ov_err e;
	int fd;

	/* a branch page that lists itself */
	db_init(&d, 4);
	branch(&d, 2, keys, kids, 1);
	meta(&d, 0, 2, 4, 2);
	meta(&d, 1, 2, 4, 1);
	fd = db_fd(&d, "cycle");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ov_bolt_root(db, &root);
	ASSERT_CODE(ov_bolt_get(db, &root, "a", 1, &val, &vlen, &e),
	    OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "page 2 is reached twice");
	ov_bolt_free(db);
	close(fd);

	/* a child page id past the pages in use */
	kids[0] = 999;
	branch(&d, 2, keys, kids, 1);
	fd = db_fd(&d, "page-out-of-range");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ov_bolt_root(db, &root);
	ASSERT_CODE(ov_bolt_get(db, &root, "a", 1, &val, &vlen, &e),
	    OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "page id 999 outside the 4 pages in use");
	ov_bolt_free(db);
	close(fd);

	/* a count that does not fit in the page */
	put16(d.p + 2 * PS + 10, 65535);
	fd = db_fd(&d, "huge-count");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ov_bolt_root(db, &root);
	ASSERT_CODE(ov_bolt_get(db, &root, "a", 1, &val, &vlen, &e),
	    OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "65535 elements do not fit");
	ov_bolt_free(db);
	close(fd);

	/* keys out of order */
	kids[0] = 3;
	kids[1] = 3;
	keys[0] = "b";
	keys[1] = "a";
	branch(&d, 2, keys, kids, 2);
	fd = db_fd(&d, "keys-out-of-order");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ov_bolt_root(db, &root);
	ASSERT_CODE(ov_bolt_get(db, &root, "a", 1, &val, &vlen, &e),
	    OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "keys out of order");
	ov_bolt_free(db);
	close(fd);
	free(d.p);

	/* a tree 40 branch pages deep */
	db_init(&d, 44);
	for (i = 2; i < 43; i++) {
		kids[0] = i + 1;
		keys[0] = "a";
		branch(&d, i, keys, kids, 1);
	}
	meta(&d, 0, 2, 44, 2);
	meta(&d, 1, 2, 44, 1);
	fd = db_fd(&d, "deep-tree");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ov_bolt_root(db, &root);
	ASSERT_CODE(ov_bolt_get(db, &root, "a", 1, &val, &vlen, &e),
	    OV_E_LIMIT, &e);
	ASSERT_STR_HAS(e.msg, "tree deeper than 32 levels");
	ASSERT_CODE(ov_bolt_foreach(db, &root, count_keys, &i, &e),
	    OV_E_LIMIT, &e);
	ov_bolt_free(db);
	close(fd);
	free(d.p);
}

TEST(deep_nesting)
{
	struct ov_bolt *db = NULL;
	struct ov_bolt_bucket b, next;
	unsigned char *val[2], page[2048];
	size_t len[2], n, i;
	struct kv k;
	struct db d;
	struct ov_err e;
	enum ov_code r = OV_OK;
	int fd;

	/* 20 inline buckets, each named "b", one inside the other */
	val[0] = calloc(1, 2048);
	val[1] = calloc(1, 2048);
	len[0] = inline_bucket(val[0], 2048, NULL, 0);
	for (i = 1; i < 20; i++) {
		k = (struct kv){1, "b", val[(i - 1) % 2], len[(i - 1) % 2]};
		len[i % 2] = inline_bucket(val[i % 2], 2048, &k, 1);
	}
	k = (struct kv){1, "b", val[19 % 2], len[19 % 2]};
	n = leaf(page, sizeof(page), 2, &k, 1);
	db_init(&d, 6);
	put_page(&d, 2, page, n);
	meta(&d, 0, 2, 6, 2);
	meta(&d, 1, 2, 6, 1);
	fd = db_fd(&d, "deep-nesting");
	ASSERT_OK(ov_bolt_open(fd, "db", &db, &e), &e);
	ov_bolt_root(db, &b);
	for (i = 0; i < 20 && r == OV_OK; i++) {
		r = ov_bolt_bucket(db, &b, "b", 1, &next, &e);
		ov_bolt_bucket_clear(&b);
		b = next;
	}
	ov_bolt_bucket_clear(&b);
	ASSERT_INT_EQ(r, OV_E_LIMIT);
	ASSERT_STR_HAS(e.msg, "buckets nested deeper than 16 levels");
	ov_bolt_free(db);
	close(fd);
	free(d.p);
	free(val[0]);
	free(val[1]);
}

static int
fake_exists(const char *path, void *ctx)
{
	const char **names = ctx;
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], path) == 0)
			return 1;
	return 0;
}

TEST(containerd_spec)
{
	const char *names[] = {"/r", "/r:x", "containerd:/lay", NULL};
	struct ov_source_spec s;
	struct ov_err e;

	ASSERT_OK(ov_source_spec_parse("containerd:", fake_exists, names, &s,
		      &e),
	    &e);
	ASSERT(s.containerd && s.tag == NULL && !s.has_digest);
	ASSERT_STR_EQ(s.path, "/var/lib/containerd");
	ASSERT_STR_EQ(s.ns, "k8s.io");
	ov_source_spec_clear(&s);
	ASSERT_OK(ov_source_spec_parse("containerd:/r#default:docker.io/library/alpine:3.20",
		      fake_exists, names, &s, &e),
	    &e);
	ASSERT_STR_EQ(s.path, "/r");
	ASSERT_STR_EQ(s.ns, "default");
	ASSERT_STR_EQ(s.tag, "docker.io/library/alpine:3.20");
	ov_source_spec_clear(&s);
	/* without '#': ROOT is the longest existing prefix */
	ASSERT_OK(ov_source_spec_parse("containerd:/r:x:reg/app:v1",
		      fake_exists, names, &s, &e),
	    &e);
	ASSERT_STR_EQ(s.path, "/r:x");
	ASSERT_STR_EQ(s.tag, "reg/app:v1");
	ASSERT_STR_EQ(s.ns, "k8s.io");
	ov_source_spec_clear(&s);
	ASSERT_OK(ov_source_spec_parse("containerd:#moby@" DG, fake_exists,
		      names, &s, &e),
	    &e);
	ASSERT_STR_EQ(s.path, "/var/lib/containerd");
	ASSERT_STR_EQ(s.ns, "moby");
	ASSERT(s.has_digest && s.tag == NULL);
	ASSERT_STR_EQ(s.digest.str, DG);
	ov_source_spec_clear(&s);
	ASSERT_OK(ov_source_spec_parse("containerd::reg/app:v1", fake_exists,
		      names, &s, &e),
	    &e);
	ASSERT_STR_EQ(s.path, "/var/lib/containerd");
	ASSERT_STR_EQ(s.tag, "reg/app:v1");
	ov_source_spec_clear(&s);
	/* a path that exists under that name stays a path */
	ASSERT_OK(ov_source_spec_parse("containerd:/lay", fake_exists, names,
		      &s, &e),
	    &e);
	ASSERT(!s.containerd);
	ov_source_spec_clear(&s);
	ASSERT_CODE(ov_source_spec_parse("containerd:/r#bad/ns", fake_exists,
			names, &s, &e),
	    OV_E_USAGE, &e);
	ASSERT_STR_HAS(e.msg, "invalid containerd namespace");
	ASSERT_CODE(ov_source_spec_parse("containerd:/nope:app", fake_exists,
			names, &s, &e),
	    OV_E_NOTFOUND, &e);
	ASSERT_CODE(ov_source_spec_parse("containerd:/r:", fake_exists, names,
			&s, &e),
	    OV_E_USAGE, &e);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char cmd[600];

	(void)snprintf(tmpdir, sizeof(tmpdir), "%s/t_bolt.XXXXXX",
	    t != NULL ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return 2;
	RUN(real_containerd_meta_db);
	RUN(built_store);
	RUN(branch_and_overflow);
	RUN(meta_pages);
	RUN(hostile_pages);
	RUN(deep_nesting);
	RUN(containerd_spec);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return 2;
	return ov_test_done();
}
