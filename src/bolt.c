/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bbolt database files, read only (go.etcd.io/bbolt: page.go, node.go,
 * bucket.go, db.go). Layout, little-endian throughout:
 *
 *   page:    id u64, flags u16, count u16, overflow u32, then data; a
 *            page spans 1 + overflow pages of the meta page size
 *   meta:    magic u32 (0xED0CDAED), version u32 (2), page size u32,
 *            flags u32, root bucket {root u64, sequence u64}, freelist
 *            u64, pgid u64 (pages in use), txid u64, checksum u64 (FNV-1a
 *            64 of the meta fields before it); pages 0 and 1
 *   branch:  count elements {pos u32, ksize u32, pgid u64}
 *   leaf:    count elements {flags u32, pos u32, ksize u32, vsize u32};
 *            pos is from the element itself, the value follows its key;
 *            flag 1: the value is a bucket {root u64, sequence u64},
 *            followed by the bucket's one leaf page when root is 0
 *            (inline bucket)
 */
#include "config.h"

#include "bolt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE_HDR 16
#define ELEM 16
#define META_SIZE 64
#define META_SUM_OFF 56
#define BOLT_MAGIC 0xED0CDAEDu
#define BOLT_VERSION 2
#define F_BRANCH 0x01
#define F_LEAF 0x02
#define F_META 0x04
#define LEAF_BUCKET 0x01
#define BUCKET_HDR 16

struct meta {
	uint32_t page_size;
	uint64_t root;
	uint64_t pgid; /* high-water mark: pages below it are in use */
	uint64_t txid;
};

struct ov_bolt {
	int fd;
	char *name;
	uint64_t file_size;
	struct meta m;
	int which; /* meta page in use, 0 or 1 */
};

/* One walk: the pages it has read, to refuse cycles and bound work. */
struct walk {
	struct ov_bolt *db;
	unsigned char *seen; /* bitmap over page ids below m.pgid */
	size_t visits;
};

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint64_t
fnv1a64(const unsigned char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static enum ov_code
pread_all(const struct ov_bolt *db, void *buf, size_t n, uint64_t off,
    struct ov_err *err)
{
	size_t got = 0;
	ssize_t k;

	while (got < n) {
		k = pread(db->fd, (char *)buf + got, n - got,
		    (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return ov_err_set(err, OV_E_IO, "%s: read: %s",
			    db->name, strerror(errno));
		if (k == 0)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: truncated at offset %ju", db->name,
			    (uintmax_t)(off + got));
		got += (size_t)k;
	}
	return OV_OK;
}

/* Read and check the meta page at off; 1 when it is valid. */
static int
read_meta(const struct ov_bolt *db, uint64_t off, struct meta *m)
{
	unsigned char p[PAGE_HDR + META_SIZE];
	const unsigned char *q = p + PAGE_HDR;

	if (off + sizeof(p) > db->file_size ||
	    pread_all(db, p, sizeof(p), off, NULL) != OV_OK)
		return 0;
	if (!(le16(p + 8) & F_META) || le32(q) != BOLT_MAGIC ||
	    le32(q + 4) != BOLT_VERSION ||
	    le64(q + META_SUM_OFF) != fnv1a64(q, META_SUM_OFF))
		return 0;
	m->page_size = le32(q + 8);
	m->root = le64(q + 16);
	m->pgid = le64(q + 40);
	m->txid = le64(q + 48);
	/* powers of two from 512 bytes to 64 KiB (os.Getpagesize) */
	if (m->page_size < 512 || m->page_size > 65536 ||
	    (m->page_size & (m->page_size - 1)) != 0)
		return 0;
	return 1;
}

/*
 * Both meta pages: page 0 at offset 0, page 1 one page size further (the
 * size page 0 says, or, when page 0 is damaged, the one page 1 says of
 * itself). *which is the valid one with the highest txid.
 */
static enum ov_code
choose_meta(const struct ov_bolt *db, struct meta *out, int *which,
    struct ov_err *err)
{
	struct meta m0, m1;
	int ok0, ok1 = 0;
	uint32_t ps;

	ok0 = read_meta(db, 0, &m0);
	if (ok0)
		ok1 = read_meta(db, m0.page_size, &m1) &&
		    m1.page_size == m0.page_size;
	else
		for (ps = 512; ps <= 65536 && !ok1; ps *= 2)
			ok1 = read_meta(db, ps, &m1) && m1.page_size == ps;
	if (!ok0 && !ok1)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: not a bbolt database, or both meta pages are damaged (bad magic, version or checksum)",
		    db->name);
	if (ok0 && (!ok1 || m0.txid >= m1.txid)) {
		*out = m0;
		*which = 0;
	} else {
		*out = m1;
		*which = 1;
	}
	if (out->pgid < 3 || out->root < 2 || out->root >= out->pgid)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: meta page %d: root page %ju outside the %ju pages in use",
		    db->name, *which, (uintmax_t)out->root,
		    (uintmax_t)out->pgid);
	if (out->pgid > db->file_size / out->page_size)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: meta page %d says %ju pages are in use, but the file holds %ju",
		    db->name, *which, (uintmax_t)out->pgid,
		    (uintmax_t)(db->file_size / out->page_size));
	return OV_OK;
}

enum ov_code
ov_bolt_open(int fd, const char *name, struct ov_bolt **out,
    struct ov_err *err)
{
	struct ov_bolt *db = NULL;
	struct stat st;
	enum ov_code r;

	*out = NULL;
	if (fstat(fd, &st) != 0)
		return ov_err_set(err, OV_E_IO, "%s: %s", name,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ov_err_set(err, OV_E_FORMAT, "%s: not a regular file",
		    name);
	if ((uint64_t)st.st_size > OV_BOLT_MAX_FILE)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: %jd bytes, more than the limit of %ju", name,
		    (intmax_t)st.st_size, (uintmax_t)OV_BOLT_MAX_FILE);
	if ((db = calloc(1, sizeof(*db))) == NULL ||
	    (db->name = strdup(name)) == NULL) {
		free(db);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	db->fd = fd;
	db->file_size = (uint64_t)st.st_size;
	if ((r = choose_meta(db, &db->m, &db->which, err)) != OV_OK) {
		ov_bolt_free(db);
		return r;
	}
	*out = db;
	return OV_OK;
}

void
ov_bolt_free(struct ov_bolt *db)
{
	if (db == NULL)
		return;
	free(db->name);
	free(db);
}

uint64_t
ov_bolt_txid(const struct ov_bolt *db)
{
	return db->m.txid;
}

enum ov_code
ov_bolt_unchanged(const struct ov_bolt *db, struct ov_err *err)
{
	struct meta now;
	int which;
	enum ov_code r;

	if ((r = choose_meta(db, &now, &which, err)) != OV_OK)
		return r;
	if (now.txid != db->m.txid || now.root != db->m.root)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: changed while being read (transaction %ju, now %ju); read it again",
		    db->name, (uintmax_t)db->m.txid, (uintmax_t)now.txid);
	return OV_OK;
}

void
ov_bolt_root(const struct ov_bolt *db, struct ov_bolt_bucket *out)
{
	memset(out, 0, sizeof(*out));
	out->root = db->m.root;
}

void
ov_bolt_bucket_clear(struct ov_bolt_bucket *b)
{
	if (b == NULL)
		return;
	free(b->inline_page);
	memset(b, 0, sizeof(*b));
}

static int
keycmp(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* ---- pages ---------------------------------------------------------------- */

/*
 * Check the structure of a branch or leaf page of len bytes: every
 * element and the key and value it points to lie inside the page, keys
 * ascend strictly, leaf flags are known. Page ids are checked on load.
 */
static enum ov_code
check_page(const struct ov_bolt *db, const unsigned char *p, size_t len,
    uint64_t pgid, struct ov_err *err)
{
	uint16_t flags, count;
	const unsigned char *prev = NULL, *e;
	size_t prevlen = 0, i, ksize;
	uint64_t pos, end;

	if (len < PAGE_HDR)
		return ov_err_set(err, OV_E_FORMAT, "%s: page %ju: too short",
		    db->name, (uintmax_t)pgid);
	flags = le16(p + 8);
	count = le16(p + 10);
	if (flags != F_BRANCH && flags != F_LEAF)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: page %ju: flags 0x%x, neither a branch nor a leaf page",
		    db->name, (uintmax_t)pgid, flags);
	if (flags == F_BRANCH && count == 0)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: page %ju: empty branch page", db->name,
		    (uintmax_t)pgid);
	if ((size_t)count * ELEM > len - PAGE_HDR)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: page %ju: %u elements do not fit in %zu bytes",
		    db->name, (uintmax_t)pgid, count, len);
	for (i = 0; i < count; i++) {
		e = p + PAGE_HDR + i * ELEM;
		if (flags == F_BRANCH) {
			pos = le32(e);
			ksize = le32(e + 4);
			end = (uint64_t)(e - p) + pos + ksize;
		} else {
			if ((le32(e) & ~(uint32_t)LEAF_BUCKET) != 0)
				return ov_err_set(err, OV_E_FORMAT,
				    "%s: page %ju: element %zu: unknown flags 0x%x",
				    db->name, (uintmax_t)pgid, i, le32(e));
			pos = le32(e + 4);
			ksize = le32(e + 8);
			end = (uint64_t)(e - p) + pos + ksize + le32(e + 12);
		}
		if ((uint64_t)(e - p) + pos < PAGE_HDR + (uint64_t)count * ELEM ||
		    end > len)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: page %ju: element %zu points outside its page",
			    db->name, (uintmax_t)pgid, i);
		if (prev != NULL && keycmp(prev, prevlen, e + pos, ksize) >= 0)
				return ov_err_set(err, OV_E_FORMAT,
				    "%s: page %ju: keys out of order at element %zu",
				    db->name, (uintmax_t)pgid, i);
		prev = e + pos;
		prevlen = ksize;
	}
	return OV_OK;
}

/*
 * Read page pgid with its overflow into *out (malloc'd), once per walk,
 * and check its structure.
 */
static enum ov_code
load_page(struct walk *w, uint64_t pgid, unsigned char **out, size_t *len,
    struct ov_err *err)
{
	struct ov_bolt *db = w->db;
	unsigned char hdr[PAGE_HDR], *p = NULL;
	uint64_t n, bytes;
	enum ov_code r;

	*out = NULL;
	if (pgid < 2 || pgid >= db->m.pgid)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: page id %ju outside the %ju pages in use", db->name,
		    (uintmax_t)pgid, (uintmax_t)db->m.pgid);
	if (w->seen[pgid / 8] & (1u << (pgid % 8)))
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: page %ju is reached twice (a cycle or a shared page)",
		    db->name, (uintmax_t)pgid);
	if (++w->visits > OV_BOLT_MAX_VISITS)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: more than %d pages read in one walk", db->name,
		    OV_BOLT_MAX_VISITS);
	w->seen[pgid / 8] |= (unsigned char)(1u << (pgid % 8));
	if ((r = pread_all(db, hdr, sizeof(hdr), pgid * db->m.page_size,
		 err)) != OV_OK)
		return r;
	if (le64(hdr) != pgid)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: page %ju says it is page %ju", db->name,
		    (uintmax_t)pgid, (uintmax_t)le64(hdr));
	n = 1 + (uint64_t)le32(hdr + 12);
	if (n > db->m.pgid - pgid)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: page %ju: %ju overflow pages run past the pages in use",
		    db->name, (uintmax_t)pgid, (uintmax_t)(n - 1));
	bytes = n * db->m.page_size;
	if (bytes > OV_BOLT_MAX_VALUE)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: page %ju: %ju bytes with its overflow, more than the limit of %d",
		    db->name, (uintmax_t)pgid, (uintmax_t)bytes,
		    OV_BOLT_MAX_VALUE);
	if ((p = malloc((size_t)bytes)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if ((r = pread_all(db, p, (size_t)bytes, pgid * db->m.page_size,
		 err)) != OV_OK ||
	    (r = check_page(db, p, (size_t)bytes, pgid, err)) != OV_OK) {
		free(p);
		return r;
	}
	*out = p;
	*len = (size_t)bytes;
	return OV_OK;
}

static enum ov_code
walk_init(struct walk *w, struct ov_bolt *db, struct ov_err *err)
{
	w->db = db;
	w->visits = 0;
	/* pgid <= file size / 512, so at most 1 MiB for a 4 GiB file */
	if ((w->seen = calloc((size_t)(db->m.pgid / 8 + 1), 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

static void
walk_free(struct walk *w)
{
	free(w->seen);
	w->seen = NULL;
}

/* ---- lookups ------------------------------------------------------------- */

struct found {
	int hit;
	int is_bucket;
	unsigned char *val; /* copy */
	size_t vlen;
};

/* Look key up in the leaf page p. */
static enum ov_code
leaf_find(const unsigned char *p, const void *key, size_t klen,
    struct found *f, struct ov_err *err)
{
	uint16_t count = le16(p + 10), i;
	const unsigned char *e, *k;

	for (i = 0; i < count; i++) {
		e = p + PAGE_HDR + (size_t)i * ELEM;
		k = e + le32(e + 4);
		if (keycmp(k, le32(e + 8), key, klen) != 0)
			continue;
		f->hit = 1;
		f->is_bucket = (le32(e) & LEAF_BUCKET) != 0;
		f->vlen = le32(e + 12);
		if ((f->val = malloc(f->vlen + 1)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		memcpy(f->val, k + le32(e + 8), f->vlen);
		f->val[f->vlen] = '\0';
		return OV_OK;
	}
	return OV_OK;
}

/* Find key under bucket b, descending branch pages (bbolt's search:
 * the last element whose key is not greater, else the first). */
static enum ov_code
find(struct ov_bolt *db, const struct ov_bolt_bucket *b, const void *key,
    size_t klen, struct found *f, struct ov_err *err)
{
	struct walk w;
	unsigned char *p = NULL;
	size_t len, i, pick;
	uint64_t pgid = b->root;
	int depth;
	enum ov_code r;

	memset(f, 0, sizeof(*f));
	if (b->root == 0)
		return leaf_find(b->inline_page, key, klen, f, err);
	if ((r = walk_init(&w, db, err)) != OV_OK)
		return r;
	for (depth = 0;; depth++) {
		if (depth > OV_BOLT_MAX_DEPTH) {
			r = ov_err_set(err, OV_E_LIMIT,
			    "%s: tree deeper than %d levels", db->name,
			    OV_BOLT_MAX_DEPTH);
			goto out;
		}
		free(p);
		if ((r = load_page(&w, pgid, &p, &len, err)) != OV_OK)
			goto out;
		if (le16(p + 8) == F_LEAF) {
			r = leaf_find(p, key, klen, f, err);
			goto out;
		}
		pick = 0;
		for (i = 0; i < le16(p + 10); i++) {
			const unsigned char *e = p + PAGE_HDR + i * ELEM;
			if (keycmp(e + le32(e), le32(e + 4), key, klen) > 0)
				break;
			pick = i;
		}
		pgid = le64(p + PAGE_HDR + pick * ELEM + 8);
	}
out:
	free(p);
	walk_free(&w);
	return r;
}

/* A bucket value: its header, and for an inline bucket its leaf page. */
static enum ov_code
open_bucket(struct ov_bolt *db, const unsigned char *val, size_t vlen,
    int nesting, struct ov_bolt_bucket *out, struct ov_err *err)
{
	memset(out, 0, sizeof(*out));
	if (nesting > OV_BOLT_MAX_NESTING)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: buckets nested deeper than %d levels", db->name,
		    OV_BOLT_MAX_NESTING);
	if (vlen < BUCKET_HDR)
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: bucket value of %zu bytes, shorter than its header",
		    db->name, vlen);
	out->root = le64(val);
	out->nesting = nesting;
	if (out->root != 0) {
		if (vlen != BUCKET_HDR)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: bucket at page %ju has %zu bytes after its header",
			    db->name, (uintmax_t)out->root, vlen - BUCKET_HDR);
		if (out->root < 2 || out->root >= db->m.pgid)
			return ov_err_set(err, OV_E_FORMAT,
			    "%s: bucket root page %ju outside the %ju pages in use",
			    db->name, (uintmax_t)out->root,
			    (uintmax_t)db->m.pgid);
		return OV_OK;
	}
	out->inline_len = vlen - BUCKET_HDR;
	if ((out->inline_page = malloc(out->inline_len + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	memcpy(out->inline_page, val + BUCKET_HDR, out->inline_len);
	if (out->inline_len < PAGE_HDR || le16(out->inline_page + 8) != F_LEAF) {
		ov_bolt_bucket_clear(out);
		return ov_err_set(err, OV_E_FORMAT,
		    "%s: inline bucket without a leaf page", db->name);
	}
	if (check_page(db, out->inline_page, out->inline_len, 0, err) !=
	    OV_OK) {
		ov_bolt_bucket_clear(out);
		return ov_err_wrap(err, "inline bucket");
	}
	return OV_OK;
}

enum ov_code
ov_bolt_bucket_value(struct ov_bolt *db, const struct ov_bolt_bucket *parent,
    const unsigned char *val, size_t vlen, struct ov_bolt_bucket *out,
    struct ov_err *err)
{
	return open_bucket(db, val, vlen, parent->nesting + 1, out, err);
}

enum ov_code
ov_bolt_bucket(struct ov_bolt *db, const struct ov_bolt_bucket *parent,
    const void *key, size_t klen, struct ov_bolt_bucket *out,
    struct ov_err *err)
{
	struct found f;
	enum ov_code r;

	memset(out, 0, sizeof(*out));
	if ((r = find(db, parent, key, klen, &f, err)) != OV_OK)
		goto out;
	if (!f.hit) {
		r = ov_err_set(err, OV_E_NOTFOUND, "%s: no bucket \"%.*s\"",
		    db->name, (int)(klen > 200 ? 200 : klen), (const char *)key);
		goto out;
	}
	if (!f.is_bucket) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "%s: \"%.*s\" is a value, not a bucket", db->name,
		    (int)(klen > 200 ? 200 : klen), (const char *)key);
		goto out;
	}
	r = open_bucket(db, f.val, f.vlen, parent->nesting + 1, out, err);
out:
	free(f.val);
	return r;
}

enum ov_code
ov_bolt_get(struct ov_bolt *db, const struct ov_bolt_bucket *b,
    const void *key, size_t klen, unsigned char **val, size_t *vlen,
    struct ov_err *err)
{
	struct found f;
	enum ov_code r;

	*val = NULL;
	*vlen = 0;
	if ((r = find(db, b, key, klen, &f, err)) != OV_OK)
		goto out;
	if (!f.hit) {
		r = ov_err_set(err, OV_E_NOTFOUND, "%s: no key \"%.*s\"",
		    db->name, (int)(klen > 200 ? 200 : klen), (const char *)key);
		goto out;
	}
	if (f.is_bucket) {
		r = ov_err_set(err, OV_E_FORMAT,
		    "%s: \"%.*s\" is a bucket, not a value", db->name,
		    (int)(klen > 200 ? 200 : klen), (const char *)key);
		goto out;
	}
	*val = f.val;
	*vlen = f.vlen;
	f.val = NULL; /* transferred */
	r = OV_OK;
out:
	free(f.val);
	return r;
}

/* ---- iteration ----------------------------------------------------------- */

static enum ov_code
leaf_each(const unsigned char *p, ov_bolt_fn fn, void *ctx,
    struct ov_err *err)
{
	uint16_t count = le16(p + 10), i;
	const unsigned char *e, *k;
	enum ov_code r;

	for (i = 0; i < count; i++) {
		e = p + PAGE_HDR + (size_t)i * ELEM;
		k = e + le32(e + 4);
		if ((r = fn(ctx, k, le32(e + 8), k + le32(e + 8),
			 le32(e + 12), (le32(e) & LEAF_BUCKET) != 0, err)) !=
		    OV_OK)
			return r;
	}
	return OV_OK;
}

static enum ov_code
each(struct walk *w, uint64_t pgid, int depth, ov_bolt_fn fn, void *ctx,
    struct ov_err *err)
{
	unsigned char *p = NULL;
	size_t len, i;
	enum ov_code r;

	if (depth > OV_BOLT_MAX_DEPTH)
		return ov_err_set(err, OV_E_LIMIT,
		    "%s: tree deeper than %d levels", w->db->name,
		    OV_BOLT_MAX_DEPTH);
	if ((r = load_page(w, pgid, &p, &len, err)) != OV_OK)
		return r;
	if (le16(p + 8) == F_LEAF)
		r = leaf_each(p, fn, ctx, err);
	else
		for (i = 0; r == OV_OK && i < le16(p + 10); i++)
			r = each(w, le64(p + PAGE_HDR + i * ELEM + 8),
			    depth + 1, fn, ctx, err);
	free(p);
	return r;
}

enum ov_code
ov_bolt_foreach(struct ov_bolt *db, const struct ov_bolt_bucket *b,
    ov_bolt_fn fn, void *ctx, struct ov_err *err)
{
	struct walk w;
	enum ov_code r;

	if (b->root == 0)
		return leaf_each(b->inline_page, fn, ctx, err);
	if ((r = walk_init(&w, db, err)) != OV_OK)
		return r;
	r = each(&w, b->root, 0, fn, ctx, err);
	walk_free(&w);
	return r;
}
