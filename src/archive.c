/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One streaming pass over an untrusted tar archive (spec digest A.2, A.8;
 * issue 4 items 1, 4 and 5): every entry is hashed as libarchive hands
 * its data over, small metadata files are kept, and with opts->deep the
 * gzip and zstd entries are also decompressed and hashed on the fly.
 * Memory stays bounded whatever the entry sizes: libarchive's read block,
 * one decompression buffer and the kept files (max_kept).
 */
#include "config.h"

#include "archive.h"

#include <archive.h> /* libarchive's: see archive.h */
#include <archive_entry.h>

#ifndef ARCHIVE_VERSION_NUMBER
#error "libarchive's archive.h was not included"
#endif

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>
#include <zstd_errors.h>

#include "gzip.h"
#include "ovlimits.h"
#include "spool.h"
#include "targuard.h"

#define READ_BLOCK (1024 * 1024) /* libarchive's read buffer */
#define OUT_BLOCK (256 * 1024)   /* deep: decompressed bytes per step */
#define NSLOTS 32768             /* name table, >= 2 * OV_ARCHIVE_MAX_ENTRIES */
#define SHOW_MAX 160             /* entry name bytes shown in messages */
#define RING_SLOTS 8 /* pipeline: decompressed blocks in flight */
#define TAR_BLOCK 512

/* libarchive's "not this format" errno (archive_platform.h) */
#if defined(EFTYPE)
#define LA_EFORMAT EFTYPE
#elif defined(EILSEQ)
#define LA_EFORMAT EILSEQ
#else
#define LA_EFORMAT EINVAL
#endif

struct ov_archive {
	char *path;
	char *compression;
	struct ov_archive_entry *ents; /* regular files and symlinks */
	size_t n, cap;
	char **dirs; /* directory names, for duplicate detection only */
	size_t ndirs, dcap;
	/* Open addressing over all names: 0 empty, (i << 1) | 1 entry i,
	 * (j + 1) << 1 directory j. */
	size_t *slots;
	size_t kept; /* bytes of kept data */
	int deep;    /* decompressed digests were computed */
};

/* The state of one pass. */
struct rd {
	struct ov_archive *ar;
	/*
	 * Two libarchive readers: raw decompresses the file (format "raw"),
	 * a reads tar from raw's output, which read_tar() also hands to the
	 * strict header reader tg on the way (targuard.h).
	 */
	struct archive *raw;
	struct archive *a;
	struct ov_targuard *tg;
	int raw_eof;
	/*
	 * The decompressed stream (src_next()): raw's output, or for zstd
	 * our own decoder reading fd, whose window we can bound (libarchive
	 * 3.6 lets a frame ask for 128 MiB, and 2 GiB with --long), or for
	 * gzip our own reader (gzip.c: ISA-L's inflater, every trailer
	 * checked, no trailing garbage).
	 * raw_in: compressed bytes read when the last block read_tar() took
	 * was produced, for the ratio limit and progress.
	 */
	int fd;
	/*
	 * raw reads fd through raw_read() into rbuf. Until the compression
	 * is known, what it reads is also kept in head, so that our own
	 * decoders can start from the first byte without seeking back (a
	 * pipe, SOURCE "-", cannot).
	 */
	unsigned char *rbuf;
	unsigned char *head;
	size_t nhead;
	int recording;
	int jobs;
	const char *filter; /* raw's outer filter, "none" for plain tar */
	uint64_t raw_in;
	struct zsrc *zs;
	struct ov_gzip_src *gz;
	struct ring *ring; /* decompression on its own thread, or NULL */
	int src_failed; /* err was set inside read_tar() */
	/*
	 * The strict reader refused the stream here: reported when the tar
	 * reader reaches that point without an error of its own (whose
	 * message, from the reader that walks the archive in order, wins).
	 */
	int tg_failed;
	struct ov_err tg_err;
	struct ov_err *err;
	int failed; /* err was set inside a libarchive callback */
	uint64_t max_bytes;
	uint64_t max_ratio;
	size_t max_kept;
	int deep;
	int keep_all;
	void (*progress)(void *, uint64_t, uint64_t);
	void *progress_ctx;
	uint64_t fsize;         /* size of the archive file */
	uint64_t next_progress; /* compressed offset of the next report */
	uint64_t data_total;    /* entry data bytes so far */
	uint64_t deep_total;    /* deep: decompressed bytes so far */
	struct ov_hash *h256, *h512, *hdec;
	struct ov_spool *spool; /* captures blobs (docker_capture()), may be NULL */
	struct ov_spool_writer cap;
	/* the current entry */
	const char *cur; /* its name, for messages */
	struct ov_archive_entry *e;
	int64_t got; /* data bytes read */
	int eof;     /* its data has ended */
	int keep;    /* 0 no, 1 any content, 2 JSON or COSE only */
	size_t keep_max;
	int keep_decided;
	unsigned char *kbuf; /* kept bytes, size + 1 allocated */
	int want512;
	/* deep: the input already pulled from the entry but not yet given
	 * to the decoder (the magic bytes, then the rest of their block) */
	unsigned char pre[4];
	size_t npre, pre_off;
	const unsigned char *rest;
	size_t nrest;
	uint64_t dec_out; /* decompressed bytes of this entry */
	ZSTD_DStream *zd;
	unsigned char *obuf;
};

/* name with unprintable bytes replaced, shortened for messages */
static const char *
show(char *buf, size_t sz, const char *name)
{
	size_t i, n = 0;

	for (i = 0; name[i] != '\0' && n + 4 < sz; i++) {
		unsigned char c = (unsigned char)name[i];
		buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		if (n >= SHOW_MAX && name[i + 1] != '\0') {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
	}
	buf[n] = '\0';
	return buf;
}

/* An error about the current entry: "<archive>: entry <name>: <msg>". */
static enum ov_code __attribute__((format(printf, 3, 4)))
eerr(struct rd *s, enum ov_code code, const char *fmt, ...)
{
	char msg[OV_ERR_MSG_MAX], nb[SHOW_MAX + 8];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ov_err_set(s->err, code, "%s: entry %s: %s", s->ar->path,
			  show(nb, sizeof(nb), s->cur != NULL ? s->cur : "?"),
			  msg);
}

/* libarchive's message, first letter lowered to fit ours */
static const char *
la_msg(struct archive *a, char *buf, size_t sz)
{
	const char *m = archive_error_string(a);

	if (m == NULL || *m == '\0')
		m = "unknown libarchive error";
	(void)snprintf(buf, sz, "%s", m);
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

/* ------------------------------------------------------------------ */
/* Names */

enum ov_code
ov_archive_clean_name(const char *name, char **out, struct ov_err *err)
{
	char nb[SHOW_MAX + 8], *o = NULL;
	const char *p = name, *c;
	size_t n = strlen(name), len, olen = 0;

	*out = NULL;
	if (n == 0)
		return ov_err_set(err, OV_E_FORMAT, "empty entry name");
	if (n > OV_ARCHIVE_MAX_NAME)
		return ov_err_set(err, OV_E_FORMAT,
				  "entry name %s is longer than %d bytes",
				  show(nb, sizeof(nb), name),
				  OV_ARCHIVE_MAX_NAME);
	if (name[0] == '/')
		return ov_err_set(err, OV_E_FORMAT, "entry name %s is absolute",
				  show(nb, sizeof(nb), name));
	if ((o = malloc(n + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	while (*p != '\0') {
		c = strchr(p, '/');
		len = c != NULL ? (size_t)(c - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			free(o);
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "entry name %s has a \"..\" component",
			    show(nb, sizeof(nb), name));
		}
		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (olen > 0)
				o[olen++] = '/';
			memcpy(o + olen, p, len);
			olen += len;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	o[olen] = '\0';
	*out = o;
	return OV_OK;
}

static uint32_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static const char *
slot_name(const struct ov_archive *ar, size_t v)
{
	return (v & 1) ? ar->ents[v >> 1].name : ar->dirs[(v >> 1) - 1];
}

/* The slot holding name, or the empty slot where it would go. */
static size_t *
slot_of(const struct ov_archive *ar, const char *name)
{
	size_t i = name_hash(name) & (NSLOTS - 1);

	while (ar->slots[i] != 0 &&
	       strcmp(slot_name(ar, ar->slots[i]), name) != 0)
		i = (i + 1) & (NSLOTS - 1);
	return &ar->slots[i];
}

static const struct ov_archive_entry *
lookup(const struct ov_archive *ar, const char *clean)
{
	size_t v = *slot_of(ar, clean);

	return (v & 1) ? &ar->ents[v >> 1] : NULL;
}

/* Record a name; it must be new. *name is taken over on success. */
static enum ov_code
add_name(struct rd *s, char **name, int dir, struct ov_archive_entry **ep)
{
	struct ov_archive *ar = s->ar;
	size_t *slot, ncap;
	void *p;

	if (ep != NULL)
		*ep = NULL;
	slot = slot_of(ar, *name);
	if (*slot != 0)
		return eerr(
		    s, OV_E_FORMAT,
		    "duplicate name (a second entry may not replace the first)");
	if (ar->n + ar->ndirs >= OV_ARCHIVE_MAX_ENTRIES)
		return eerr(s, OV_E_LIMIT,
			    "more than %d entries in the archive",
			    OV_ARCHIVE_MAX_ENTRIES);
	if (dir) {
		if (ar->ndirs == ar->dcap) {
			ncap = ar->dcap == 0 ? 16 : ar->dcap * 2;
			if ((p = realloc(ar->dirs, ncap * sizeof(*ar->dirs))) ==
			    NULL)
				return ov_err_set(s->err, OV_E_NOMEM,
						  "out of memory");
			ar->dirs = p;
			ar->dcap = ncap;
		}
		ar->dirs[ar->ndirs] = *name;
		*name = NULL;
		*slot = (ar->ndirs + 1) << 1;
		ar->ndirs++;
		return OV_OK;
	}
	if (ar->n == ar->cap) {
		ncap = ar->cap == 0 ? 16 : ar->cap * 2;
		if ((p = realloc(ar->ents, ncap * sizeof(*ar->ents))) == NULL)
			return ov_err_set(s->err, OV_E_NOMEM, "out of memory");
		ar->ents = p;
		ar->cap = ncap;
	}
	memset(&ar->ents[ar->n], 0, sizeof(ar->ents[ar->n]));
	ar->ents[ar->n].name = *name;
	*name = NULL;
	*slot = (ar->n << 1) | 1;
	*ep = &ar->ents[ar->n];
	ar->n++;
	return OV_OK;
}

/*
 * The one symbolic link shape allowed: "<id>/layer.tar", the legacy layer
 * path of a docker save, linking to a file elsewhere in the archive.
 * docker save (before 25) links a layer it already wrote ("../<id2>/
 * layer.tar"), skopeo and podman link every layer to the copy they store
 * at the root ("../<diffid>.tar"). The target is resolved lexically from
 * the link's directory, in the archive's own namespace, never on the
 * filesystem: "." and empty components dropped, ".." removes the
 * component before it and may not leave the root. *out is the resolved
 * name (the caller's); NULL and *why set when the link is refused.
 * Whether the target is a regular entry is checked after the pass
 * (check_links()), and whether manifest.json names it as a layer by
 * docker.c.
 */
static enum ov_code
docker_layer_link(const char *name, const char *target, char **out,
		  const char **why)
{
	const char *slash = strchr(name, '/'), *p = target, *c;
	char *o = NULL;
	size_t n, len, olen;

	*out = NULL;
	*why = NULL;
	if (slash == NULL || slash == name ||
	    strcmp(slash, "/layer.tar") != 0) {
		*why = "the link is not a layer.tar under one directory";
		return OV_OK;
	}
	if (target[0] == '\0' || target[0] == '/') {
		*why = target[0] == '\0' ? "the target is empty"
					 : "the target is absolute";
		return OV_OK;
	}
	n = (size_t)(slash - name);
	if ((o = malloc(n + 1 + strlen(target) + 1)) == NULL)
		return OV_E_NOMEM;
	memcpy(o, name, n);
	olen = n;
	while (*p != '\0') {
		c = strchr(p, '/');
		len = c != NULL ? (size_t)(c - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (olen == 0) {
				free(o);
				*why = "the target leaves the archive root";
				return OV_OK;
			}
			while (olen > 0 && o[olen - 1] != '/')
				olen--;
			if (olen > 0)
				olen--; /* the '/' */
		} else if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (olen > 0)
				o[olen++] = '/';
			memcpy(o + olen, p, len);
			olen += len;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	o[olen] = '\0';
	if (olen == 0) {
		free(o);
		*why = "the target is the archive root";
		return OV_OK;
	}
	*out = o;
	return OV_OK;
}

/* ------------------------------------------------------------------ */
/* Data */

static void
report_progress(struct rd *s)
{
	uint64_t done;

	if (s->progress == NULL)
		return;
	done = s->raw_in;
	if (done < s->next_progress)
		return;
	s->progress(s->progress_ctx, done, s->fsize);
	s->next_progress = done + OV_ARCHIVE_PROGRESS_STEP;
}

static enum ov_code
check_limits(struct rd *s)
{
	uint64_t in, outb;

	if (s->data_total > s->max_bytes)
		return eerr(
		    s, OV_E_LIMIT,
		    "the archive holds more than %ju bytes of data (the limit)",
		    (uintmax_t)s->max_bytes);
	outb = (uint64_t)archive_filter_bytes(s->a, 0);
	if (outb < s->data_total)
		outb = s->data_total;
	in = s->raw_in;
	if (outb > OV_ARCHIVE_RATIO_GRACE && outb / s->max_ratio > in)
		return eerr(
		    s, OV_E_LIMIT,
		    "the archive expands more than %ju times (%ju bytes from %ju): a compression bomb?",
		    (uintmax_t)s->max_ratio, (uintmax_t)outb, (uintmax_t)in);
	return OV_OK;
}

static int
json_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Keep the bytes of a candidate entry. Under blobs/ only JSON and COSE
 * documents are kept: the first byte decides ('{' after JSON whitespace;
 * 0xd2, the COSE_Sign1 tag, or 0x84, an untagged one, at offset 0).
 */
static enum ov_code
keep_bytes(struct rd *s, const unsigned char *p, size_t n)
{
	size_t i;

	if (s->keep == 2 && !s->keep_decided) {
		for (i = 0; i < n && json_ws(p[i]); i++)
			;
		if (i < n) {
			s->keep_decided = 1;
			if (p[i] != '{' && !(s->got == 0 && i == 0 &&
					     (p[0] == 0xd2 || p[0] == 0x84))) {
				s->keep = 0;
				free(s->kbuf);
				s->kbuf = NULL;
				return OV_OK;
			}
		}
	}
	if (s->e->over_limit)
		return OV_OK;
	if ((uint64_t)s->e->size > s->keep_max ||
	    s->ar->kept + (size_t)s->e->size > s->max_kept) {
		/* undecided (whitespace so far): the next block decides */
		if (s->keep == 1 || s->keep_decided)
			s->e->over_limit = 1;
		return OV_OK;
	}
	if (s->kbuf == NULL &&
	    (s->kbuf = malloc((size_t)s->e->size + 1)) == NULL)
		return ov_err_set(s->err, OV_E_NOMEM, "out of memory");
	memcpy(s->kbuf + s->got, p, n);
	return OV_OK;
}

/*
 * The next data block of the current entry, hashed, counted and kept on
 * the way. 1: a block, 0: end of the entry, -1: error (in s->err).
 */
static int
pull(struct rd *s, const unsigned char **pp, size_t *np)
{
	const void *p;
	size_t n;
	la_int64_t off;
	char lb[256];
	int rc;

	*pp = NULL;
	*np = 0;
	if (s->eof)
		return 0;
	rc = archive_read_data_block(s->a, &p, &n, &off);
	if (rc == ARCHIVE_EOF) {
		if (s->got != s->e->size) {
			eerr(
			    s, OV_E_FORMAT,
			    "data ends after %jd of the %jd bytes its header announces",
			    (intmax_t)s->got, (intmax_t)s->e->size);
			return -1;
		}
		s->eof = 1;
		return 0;
	}
	if (rc != ARCHIVE_OK) {
		if (!s->src_failed)
			eerr(s, OV_E_FORMAT, "%s",
			     la_msg(s->a, lb, sizeof(lb)));
		return -1;
	}
	if (off != s->got) {
		eerr(s, OV_E_FORMAT, "data with holes (at offset %jd)",
		     (intmax_t)off);
		return -1;
	}
	if ((uint64_t)n > (uint64_t)(s->e->size - s->got)) {
		eerr(s, OV_E_FORMAT,
		     "more data than the %jd bytes its header announces",
		     (intmax_t)s->e->size);
		return -1;
	}
	s->data_total += n;
	if (ov_hash_update(s->h256, p, n, s->err) != OV_OK ||
	    (s->want512 && ov_hash_update(s->h512, p, n, s->err) != OV_OK) ||
	    ov_spool_write(&s->cap, p, n, s->err) != OV_OK ||
	    (s->keep && keep_bytes(s, p, n) != OV_OK) ||
	    check_limits(s) != OV_OK)
		return -1;
	s->got += (int64_t)n;
	report_progress(s);
	*pp = p;
	*np = n;
	return 1;
}

/* deep: the decoder's next input: the buffered prefix first */
static int
next_input(struct rd *s, const unsigned char **pp, size_t *np)
{
	if (s->pre_off < s->npre) {
		*pp = s->pre + s->pre_off;
		*np = s->npre - s->pre_off;
		s->pre_off = s->npre;
		return 1;
	}
	if (s->nrest > 0) {
		*pp = s->rest;
		*np = s->nrest;
		s->nrest = 0;
		return 1;
	}
	return pull(s, pp, np);
}

/* deep: hash decompressed bytes, bounded like the archive itself */
static enum ov_code
deep_out(struct rd *s, const void *p, size_t n)
{
	if (n == 0)
		return OV_OK;
	s->dec_out += n;
	s->deep_total += n;
	if (s->deep_total > s->max_bytes)
		return eerr(
		    s, OV_E_LIMIT,
		    "deep: more than %ju bytes of decompressed layer data (the limit)",
		    (uintmax_t)s->max_bytes);
	if (s->dec_out > OV_ARCHIVE_RATIO_GRACE &&
	    s->dec_out / s->max_ratio > (uint64_t)s->got)
		return eerr(
		    s, OV_E_LIMIT,
		    "deep: decompresses more than %ju times (%ju bytes from %jd): a compression bomb?",
		    (uintmax_t)s->max_ratio, (uintmax_t)s->dec_out,
		    (intmax_t)s->got);
	return ov_hash_update(s->hdec, p, n, s->err);
}

/*
 * gzip by gzip.c (every trailer checked, no trailing garbage), fed the
 * outer entry's blocks as pull() hands them over: no thread, no copy.
 * Content that is no valid gzip is the entry's (deep_err), refused when
 * the entry is taken for a layer, with the message a directory gives
 * (decomp.c); the rest of the entry is hashed as usual.
 */
static enum ov_code
deep_gzip(struct rd *s)
{
	struct ov_gzip *g = NULL;
	struct ov_err e;
	const unsigned char *p = NULL;
	size_t n = 0, used, made;
	enum ov_code r;
	int rc;

	if ((r = ov_gzip_new(OV_GZIP_DEFAULT, &g, s->err)) != OV_OK)
		return r;
	for (;;) {
		if ((rc = next_input(s, &p, &n)) < 0) {
			r = s->err->code;
			goto out;
		}
		if (rc == 0)
			break;
		do {
			if ((r = ov_gzip_decode(g, p, n, &used, s->obuf,
				 OUT_BLOCK, &made, &e)) != OV_OK)
				goto bad;
			p += used;
			n -= used;
			if ((r = deep_out(s, s->obuf, made)) != OV_OK)
				goto out;
		} while (made == OUT_BLOCK || n > 0);
	}
	if ((r = ov_gzip_end(g, &e)) == OV_OK)
		goto out;
bad:
	if (r == OV_E_NOMEM)
		r = ov_err_set(s->err, r, "out of memory");
	else if ((s->e->deep_err = strdup(e.msg)) == NULL)
		r = ov_err_set(s->err, OV_E_NOMEM, "out of memory");
	else
		r = OV_OK;
out:
	ov_gzip_free(g);
	return r;
}

static enum ov_code
deep_zstd(struct rd *s)
{
	ZSTD_inBuffer in = {NULL, 0, 0};
	ZSTD_outBuffer o;
	const unsigned char *p;
	size_t ret = 1;
	int more = 0, rc;
	enum ov_code r;

	if (s->zd == NULL) {
		if ((s->zd = ZSTD_createDStream()) == NULL)
			return ov_err_set(s->err, OV_E_NOMEM, "out of memory");
		ret = ZSTD_DCtx_setParameter(s->zd, ZSTD_d_windowLogMax,
					     OV_ARCHIVE_ZSTD_WINDOW_LOG);
		if (ZSTD_isError(ret))
			return eerr(s, OV_E_INTERNAL, "deep: zstd: %s",
				    ZSTD_getErrorName(ret));
	}
	(void)ZSTD_DCtx_reset(s->zd, ZSTD_reset_session_only);
	for (;;) {
		if (in.pos == in.size && !more) {
			if ((rc = next_input(s, &p, &in.size)) < 0)
				return s->err->code;
			if (rc == 0)
				break;
			in.src = p;
			in.pos = 0;
		}
		o.dst = s->obuf;
		o.size = OUT_BLOCK;
		o.pos = 0;
		ret = ZSTD_decompressStream(s->zd, &o, &in);
		if (ZSTD_isError(ret)) {
			/*
			 * Refused when the entry is taken for a layer, with
			 * the message a directory gives (decomp.c); the
			 * rest of the entry is hashed as usual.
			 */
			if (ZSTD_getErrorCode(ret) ==
			    ZSTD_error_frameParameter_windowTooLarge) {
				s->e->window_over = 1;
				return OV_OK;
			}
			return eerr(s, OV_E_FORMAT, "deep: zstd: %s",
				    ZSTD_getErrorName(ret));
		}
		if ((r = deep_out(s, o.dst, o.pos)) != OV_OK)
			return r;
		more = o.pos == o.size;
	}
	if (ret != 0)
		return eerr(s, OV_E_FORMAT, "deep: truncated zstd stream");
	return OV_OK;
}

/* deep: look at the first 4 bytes, decompress, then read what is left */
static enum ov_code
deep_entry(struct rd *s)
{
	static const unsigned char gz[2] = {0x1f, 0x8b};
	static const unsigned char zs[4] = {0x28, 0xb5, 0x2f, 0xfd};
	const unsigned char *p;
	size_t n, take;
	enum ov_code r = OV_OK;
	int rc, kind = 0;

	s->npre = s->pre_off = s->nrest = 0;
	s->rest = NULL;
	s->dec_out = 0;
	while (s->npre < sizeof(s->pre)) {
		if ((rc = pull(s, &p, &n)) < 0)
			return s->err->code;
		if (rc == 0)
			break;
		take =
		    n < sizeof(s->pre) - s->npre ? n : sizeof(s->pre) - s->npre;
		memcpy(s->pre + s->npre, p, take);
		s->npre += take;
		s->rest = p + take;
		s->nrest = n - take;
	}
	if (s->npre >= 2 && memcmp(s->pre, gz, 2) == 0)
		kind = 1;
	else if (s->npre == 4 && memcmp(s->pre, zs, 4) == 0)
		kind = 2;
	if (kind != 0) {
		if ((r = ov_hash_reset(s->hdec, s->err)) != OV_OK)
			return r;
		r = kind == 1 ? deep_gzip(s) : deep_zstd(s);
		if (r != OV_OK)
			return r;
		if (!s->e->window_over && s->e->deep_err == NULL) {
			if ((r = ov_hash_final(s->hdec, &s->e->decompressed,
					       s->err)) != OV_OK)
				return r;
			s->e->has_decompressed = 1;
		}
	}
	/* whatever the decoder left (or all of it): hashed by pull() */
	s->npre = s->pre_off = s->nrest = 0;
	while ((rc = pull(s, &p, &n)) > 0)
		;
	return rc < 0 ? s->err->code : OV_OK;
}

/* ------------------------------------------------------------------ */
/* Entries */

static int
root_keep(const char *name)
{
	size_t n = strlen(name);

	if (strchr(name, '/') != NULL)
		return 0;
	return strcmp(name, "oci-layout") == 0 ||
	       strcmp(name, "repositories") == 0 ||
	       (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

/*
 * The name below its top-level directory ("images/index.json" ->
 * "index.json"), for a layout archived with that directory: what is kept
 * and named at the root is kept and named there too.
 */
static const char *
below_top(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash != NULL ? slash + 1 : name;
}

/* "blobs/<alg>/<hex>" with a registered algorithm: its digest */
static int
named_digest(const char *name, struct ov_digest *d)
{
	char buf[OV_DIGEST_MAX_STR + 1];
	const char *rest, *slash;
	struct ov_err e;
	int len;

	if (strncmp(name, "blobs/", 6) != 0)
		return 0;
	rest = name + 6;
	if ((slash = strchr(rest, '/')) == NULL || strchr(slash + 1, '/'))
		return 0;
	len = snprintf(buf, sizeof(buf), "%.*s:%s", (int)(slash - rest), rest,
		       slash + 1);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return 0;
	return ov_digest_parse(buf, d, &e) == OV_OK;
}

/*
 * An entry of a classic docker save that export may need, captured under
 * the SHA-256 it hashes to (spool.h): a config ("<hex>.json" at the
 * root, by its config digest) or a layer tar ("<id>/layer.tar",
 * "<diffid>.tar", by its diff_id). manifest.json and index.json are not
 * blobs; "<id>/json", VERSION and repositories no image reaches.
 */
static int
docker_capture(const char *name)
{
	size_t n = strlen(name);

	if (strncmp(name, "blobs/", 6) == 0)
		return 0;
	if (strchr(name, '/') == NULL && n > 5 &&
	    strcmp(name + n - 5, ".json") == 0)
		return strcmp(name, "manifest.json") != 0 &&
		       strcmp(name, "index.json") != 0;
	return n > 4 && strcmp(name + n - 4, ".tar") == 0;
}

static enum ov_code
read_regular(struct rd *s, struct archive_entry *ae)
{
	struct ov_archive_entry *e = s->e;
	struct ov_digest nd;
	const unsigned char *p;
	size_t n;
	enum ov_code r;
	int rc;

	if (!archive_entry_size_is_set(ae) || archive_entry_size(ae) < 0)
		return eerr(s, OV_E_FORMAT, "no size in its header");
	if (archive_entry_sparse_count(ae) > 0)
		return eerr(s, OV_E_UNSUPPORTED,
			    "sparse files are not supported");
	e->size = archive_entry_size(ae);
	s->got = 0;
	s->eof = 0;
	s->failed = 0;
	s->kbuf = NULL;
	s->keep_decided = 0;
	s->keep = 0;
	s->keep_max = OV_ARCHIVE_MAX_KEEP_FILE;
	if (s->keep_all) {
		s->keep = 1;
	} else if (root_keep(e->name) || root_keep(below_top(e->name))) {
		s->keep = 1;
		if (strcmp(below_top(e->name), "index.json") == 0)
			s->keep_max = OV_MAX_INDEX_JSON;
	} else if (strncmp(e->name, "blobs/", 6) == 0 ||
		   strncmp(below_top(e->name), "blobs/", 6) == 0) {
		s->keep = 2;
	}
	s->want512 = 0;
	if (named_digest(e->name, &nd) ||
	    named_digest(below_top(e->name), &nd)) {
		e->has_named = 1;
		e->named = nd;
		s->want512 = nd.alg == OV_DIGEST_SHA512;
		/* the same blocks as hashed go to the spool (export) */
		if ((r = ov_spool_begin(s->spool, &nd, e->size, &s->cap,
			 s->err)) != OV_OK)
			return r;
	} else if (s->spool != NULL && docker_capture(e->name) &&
		   (r = ov_spool_begin(s->spool, NULL, e->size, &s->cap,
				       s->err)) != OV_OK) {
		return r;
	}
	if ((r = ov_hash_reset(s->h256, s->err)) != OV_OK ||
	    (s->want512 && (r = ov_hash_reset(s->h512, s->err)) != OV_OK))
		return r;
	if (s->deep) {
		if ((r = deep_entry(s)) != OV_OK)
			goto out;
	} else {
		while ((rc = pull(s, &p, &n)) > 0)
			;
		if (rc < 0) {
			r = s->err->code;
			goto out;
		}
	}
	if ((r = ov_hash_final(s->h256, &e->sha256, s->err)) != OV_OK)
		goto out;
	if (e->has_named) {
		if (s->want512)
			r = ov_hash_final(s->h512, &e->named, s->err);
		else
			e->named = e->sha256;
		if (r != OV_OK)
			goto out;
		if (ov_digest_equal(&e->named, &nd) &&
		    (r = ov_spool_commit(&s->cap, &nd, s->err)) != OV_OK)
			goto out;
	} else if ((r = ov_spool_commit(&s->cap, &e->sha256, s->err)) !=
		   OV_OK) {
		goto out; /* a docker save's config or layer, if captured */
	}
	if (s->kbuf != NULL && s->keep != 0 && !e->over_limit) {
		s->kbuf[e->size] = '\0';
		e->data = s->kbuf;
		s->kbuf = NULL;
		s->ar->kept += (size_t)e->size;
	} else if (s->keep == 1 && e->size == 0 && !e->over_limit) {
		if ((e->data = calloc(1, 1)) == NULL)
			r = ov_err_set(s->err, OV_E_NOMEM, "out of memory");
	}
out:
	ov_spool_discard(&s->cap); /* not committed: dropped */
	free(s->kbuf);
	s->kbuf = NULL;
	return r;
}

static const char *
type_name(mode_t t)
{
	switch (t) {
	case AE_IFIFO:
		return "a FIFO";
	case AE_IFCHR:
		return "a character device";
	case AE_IFBLK:
		return "a block device";
	case AE_IFSOCK:
		return "a socket";
	default:
		return "of an unknown type";
	}
}

/* "dir/" and "dir" are the same directory */
static int
same_name(const char *a, const char *b, int dir)
{
	size_t na = strlen(a), nb = strlen(b);

	if (dir && na > 0 && a[na - 1] == '/')
		na--;
	if (dir && nb > 0 && b[nb - 1] == '/')
		nb--;
	return na == nb && memcmp(a, b, na) == 0;
}

static const char *
tg_type_name(char t)
{
	switch (t) {
	case '0':
		return "a regular file";
	case '1':
		return "a hard link";
	case '2':
		return "a symbolic link";
	case '5':
		return "a directory";
	default:
		return "a device or FIFO";
	}
}

/*
 * libarchive's view of the entry must be the strict header reader's,
 * which reads it as Go's archive/tar does (targuard.h): same name, type,
 * size and link target, or the archive is refused.
 */
static enum ov_code
agree(struct rd *s, struct archive_entry *ae)
{
	static const mode_t types[] = {['0'] = AE_IFREG, ['2'] = AE_IFLNK,
				       ['3'] = AE_IFCHR, ['4'] = AE_IFBLK,
				       ['5'] = AE_IFDIR, ['6'] = AE_IFIFO};
	const struct ov_tg_entry *g = ov_targuard_peek(s->tg);
	const char *name = archive_entry_pathname(ae), *hl, *sl;
	char nb[SHOW_MAX + 8];

	if (g == NULL && s->tg_failed) {
		*s->err = s->tg_err;
		return s->err->code;
	}
	if (g == NULL)
		return eerr(
		    s, OV_E_FORMAT,
		    "libarchive reads an entry where a strict tar reader reads none (tar readers disagree on this archive)");
	if (name == NULL || !same_name(name, g->name, g->type == '5'))
		return eerr(
		    s, OV_E_FORMAT,
		    "tar readers disagree on this entry's name (libarchive reads it as given here, Go's archive/tar as %s)",
		    show(nb, sizeof(nb), g->name));
	hl = archive_entry_hardlink(ae);
	sl = archive_entry_symlink(ae);
	if ((g->type == '1') != (hl != NULL) ||
	    (g->type != '1' && archive_entry_filetype(ae) != types[(int)g->type]))
		return eerr(s, OV_E_FORMAT,
			    "tar readers disagree on this entry's type (Go's archive/tar reads %s)",
			    tg_type_name(g->type));
	if ((g->type == '1' && strcmp(hl, g->link) != 0) ||
	    (g->type == '2' && (sl == NULL || strcmp(sl, g->link) != 0)))
		return eerr(s, OV_E_FORMAT,
			    "tar readers disagree on this link's target (Go's archive/tar reads %s)",
			    show(nb, sizeof(nb), g->link));
	if (g->type == '0' && (!archive_entry_size_is_set(ae) ||
			       archive_entry_size(ae) != g->size))
		return eerr(s, OV_E_FORMAT,
			    "tar readers disagree on this entry's size (libarchive reads %jd bytes, Go's archive/tar %jd)",
			    (intmax_t)archive_entry_size(ae), (intmax_t)g->size);
	ov_targuard_pop(s->tg);
	return OV_OK;
}

static enum ov_code
read_entry(struct rd *s, struct archive_entry *ae)
{
	const char *raw = archive_entry_pathname(ae), *target, *why;
	char *name = NULL, *resolved = NULL, nb[SHOW_MAX + 8];
	mode_t type = archive_entry_filetype(ae);
	enum ov_code r;

	s->e = NULL;
	s->cur = raw;
	if (raw == NULL) {
		s->cur = "?";
		return eerr(s, OV_E_FORMAT, "unreadable name");
	}
	if ((r = agree(s, ae)) != OV_OK)
		return r;
	if ((r = ov_archive_clean_name(raw, &name, s->err)) != OV_OK)
		return ov_err_wrap(s->err, "%s", s->ar->path);
	s->cur = name;
	if (archive_entry_hardlink(ae) != NULL) {
		r = eerr(s, OV_E_FORMAT, "hard link to %s is not allowed",
			 show(nb, sizeof(nb), archive_entry_hardlink(ae)));
		goto out;
	}
	if (name[0] == '\0') {
		/* "./": the root directory itself */
		r = type == AE_IFDIR ? OV_OK
				     : eerr(s, OV_E_FORMAT, "empty name");
		goto out;
	}
	if (type != AE_IFREG && archive_entry_size(ae) > 0) {
		r = eerr(s, OV_E_FORMAT,
			 "a non-regular entry with %jd bytes of data",
			 (intmax_t)archive_entry_size(ae));
		goto out;
	}
	switch (type) {
	case AE_IFDIR:
		r = add_name(s, &name, 1, NULL);
		break;
	case AE_IFLNK:
		target = archive_entry_symlink(ae);
		if (target == NULL) {
			r = eerr(s, OV_E_FORMAT,
				 "symbolic link without a target");
			break;
		}
		if (docker_layer_link(name, target, &resolved, &why) != OV_OK) {
			r = ov_err_set(s->err, OV_E_NOMEM, "out of memory");
			break;
		}
		if (resolved == NULL) {
			r = eerr(
			    s, OV_E_FORMAT,
			    "symbolic link to %s is not allowed (only docker save's <id>/layer.tar may link, to a layer file of the archive): %s",
			    show(nb, sizeof(nb), target), why);
			break;
		}
		if ((r = add_name(s, &name, 0, &s->e)) != OV_OK)
			break;
		s->e->link = resolved;
		resolved = NULL; /* transferred */
		break;
	case AE_IFREG:
		if ((r = add_name(s, &name, 0, &s->e)) != OV_OK)
			break;
		s->cur = s->e->name;
		r = read_regular(s, ae);
		break;
	default:
		r = eerr(s, OV_E_FORMAT, "%s, which is not allowed",
			 type_name(type));
		break;
	}
out:
	/* name is NULL when add_name() took it */
	if (s->e != NULL)
		s->cur = s->e->name;
	else if (name != NULL && s->cur == name)
		s->cur = raw;
	free(resolved);
	free(name);
	return r;
}

const struct ov_archive_entry *
ov_archive_resolve(const struct ov_archive *a, const struct ov_archive_entry *e)
{
	const struct ov_archive_entry *t;

	if (e == NULL || e->link == NULL)
		return e;
	t = lookup(a, e->link); /* resolved by docker_layer_link() */
	return t != NULL && t->link == NULL ? t : NULL;
}

/*
 * After the pass: every allowed symlink points at a regular entry (not a
 * link, not a directory) of the archive.
 */
static enum ov_code
check_links(struct rd *s)
{
	const struct ov_archive_entry *t;
	const char *target;
	char nb[SHOW_MAX + 8];
	size_t i;

	for (i = 0; i < s->ar->n; i++) {
		if ((target = s->ar->ents[i].link) == NULL)
			continue;
		s->cur = s->ar->ents[i].name;
		t = lookup(s->ar, target);
		if (t == NULL && *slot_of(s->ar, target) != 0)
			return eerr(s, OV_E_FORMAT,
				    "symbolic link target %s is a directory",
				    show(nb, sizeof(nb), target));
		if (t == NULL)
			return eerr(
			    s, OV_E_FORMAT,
			    "symbolic link target %s is not in the archive",
			    show(nb, sizeof(nb), target));
		if (t->link != NULL)
			return eerr(s, OV_E_FORMAT,
				    "symbolic link target %s is itself a link",
				    show(nb, sizeof(nb), target));
	}
	return OV_OK;
}

/* ------------------------------------------------------------------ */
/* The pass */

/*
 * Compression filters that run inside libarchive. Never
 * archive_read_support_filter_all(): filters whose library is missing
 * fall back to running an external program on the untrusted input.
 */
static enum ov_code
setup_reader(struct archive *a, const char *path, struct ov_err *err)
{
	int rc = ARCHIVE_OK;

	if (archive_zlib_version() != NULL)
		rc |= archive_read_support_filter_gzip(a);
	if (archive_libzstd_version() != NULL)
		rc |= archive_read_support_filter_zstd(a);
	if (archive_bzlib_version() != NULL)
		rc |= archive_read_support_filter_bzip2(a);
	/*
	 * Not xz or lzma: their decoder takes a dictionary as large as the
	 * stream asks (up to 1.5 GiB) and libarchive sets no memory limit.
	 * header_error() names them.
	 */
	if (archive_liblz4_version() != NULL)
		rc |= archive_read_support_filter_lz4(a);
	/* the uncompressed stream, which read_tar() hands to the tar reader */
	rc |= archive_read_support_format_raw(a);
	if (rc != ARCHIVE_OK)
		return ov_err_set(err, OV_E_INTERNAL,
				  "%s: cannot set up libarchive: %s", path,
				  archive_error_string(a) != NULL
				      ? archive_error_string(a)
				      : "?");
	return OV_OK;
}

/*
 * SOURCE "-": the archive streams in on standard input (a pipe from
 * `docker save` or `ctr export`), read once, front to back, like any
 * archive: nothing here seeks. A copy of the descriptor is read, so that
 * closing it leaves fd 0 alone. A regular file, a pipe or a socket; a
 * directory or a terminal is refused before reading. The size is known
 * only for a regular file (0: unknown, for progress only; the limits
 * count the bytes read).
 */
static enum ov_code
open_stdin(int *fdp, uint64_t *size, struct ov_err *err)
{
	struct stat st;
	int fd;

	if ((fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)) < 0)
		return ov_err_set(err, OV_E_IO, "-: standard input: %s",
				  strerror(errno));
	if (fstat(fd, &st) != 0) {
		close(fd);
		return ov_err_set(err, OV_E_IO, "-: standard input: %s",
				  strerror(errno));
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) &&
	    !S_ISSOCK(st.st_mode)) {
		close(fd);
		return ov_err_set(err, OV_E_USAGE,
				  "-: standard input is %s, not an archive; pipe one in (docker save IMAGE | ocivet verify -)",
				  S_ISDIR(st.st_mode)	 ? "a directory"
				  : isatty(STDIN_FILENO) ? "a terminal"
							 : "a device");
	}
	*size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	*fdp = fd;
	return OV_OK;
}

static enum ov_code
open_file(const char *path, int *fdp, uint64_t *size, struct ov_err *err)
{
	struct stat st;
	int fd, flags;
	enum ov_code r;

	*fdp = -1;
	if (strcmp(path, "-") == 0)
		return open_stdin(fdp, size, err);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return ov_err_set(err,
				  errno == ENOENT ? OV_E_NOTFOUND : OV_E_IO,
				  "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		r = ov_err_set(err, OV_E_IO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		r = ov_err_set(err, OV_E_IO, "%s: not a regular file", path);
		goto fail;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		r = ov_err_set(err, OV_E_IO, "%s: %s", path, strerror(errno));
		goto fail;
	}
#ifdef HAVE_POSIX_FADVISE
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	*size = (uint64_t)st.st_size;
	*fdp = fd;
	return OV_OK;
fail:
	close(fd);
	return r;
}

/*
 * libarchive warns when a name does not convert to the locale's charset
 * (any non-ASCII name in the C locale) and leaves the raw bytes, which
 * are all we compare. Every other warning fails the archive.
 */
static int
charset_warning(struct archive *a)
{
	const char *m = archive_error_string(a);

	return m != NULL && strstr(m, "can't be converted") != NULL;
}

/* reader a (s->a or s->raw) failed reading the header after prev ("" for
 * none) */
static enum ov_code
header_error(struct rd *s, struct archive *a, const char *prev)
{
	char lb[256];

	if (s->src_failed)
		return s->err->code; /* set by read_tar() */
	/*
	 * The strict reader refused something at or before this header: its
	 * reason is the precise one, unless the stream is no tar at all.
	 */
	if (s->tg_failed && ov_targuard_tar_seen(s->tg)) {
		*s->err = s->tg_err;
		return s->err->code;
	}
	if (archive_format(a) == 0 && archive_errno(a) == LA_EFORMAT &&
	    ((s->nhead >= 6 && memcmp(s->head, "\xfd" "7zXZ\0", 6) == 0) ||
		(s->nhead >= 13 && s->head[0] == 0x5d && s->head[1] == 0 &&
		    s->head[2] == 0)))
		return ov_err_set(
		    s->err, OV_E_UNSUPPORTED,
		    "%s: xz and lzma compression are not read (their decoder may need up to 1.5 GiB of memory, which ocivet does not allow): recompress the archive with zstd or gzip",
		    s->ar->path);
	if (archive_format(a) == 0 && archive_errno(a) == LA_EFORMAT)
		return ov_err_set(
		    s->err, OV_E_UNSUPPORTED,
		    "%s: unknown archive format (not a tar archive, plain or compressed): %s",
		    s->ar->path, la_msg(a, lb, sizeof(lb)));
	if (prev[0] == '\0')
		return ov_err_set(s->err, OV_E_FORMAT,
				  "%s: at the first entry: %s", s->ar->path,
				  la_msg(a, lb, sizeof(lb)));
	la_msg(a, lb, sizeof(lb));
	if (strcmp(lb, "damaged tar archive") == 0)
		return ov_err_set(
		    s->err, OV_E_FORMAT,
		    "%s: after entry %s: damaged tar archive (no valid header where the size of that entry puts the next one)",
		    s->ar->path, prev);
	return ov_err_set(s->err, OV_E_FORMAT, "%s: after entry %s: %s",
			  s->ar->path, prev, lb);
}

/* ------------------------------------------------------------------ */
/* The decompressed stream */

/*
 * zstd decoded here rather than by libarchive's filter, which sets no
 * window limit: a frame could make every reader hold 128 MiB or more.
 * Blocks are ZSTD_DStreamOutSize() bytes, as libarchive's filter gives
 * them, so the tar reader sees the same blocks and the limits trip at
 * the same byte either way.
 */
struct zsrc {
	ZSTD_DStream *zd;
	unsigned char *in, *out;
	size_t out_size;
	ZSTD_inBuffer ib;
	uint64_t read; /* compressed bytes read from the file */
	int in_eof;
	int in_frame; /* the last call left a frame unfinished */
	int pending;  /* the last call filled the output: more may follow */
};

static void
zsrc_free(struct zsrc *z)
{
	if (z == NULL)
		return;
	if (z->zd != NULL)
		ZSTD_freeDStream(z->zd);
	free(z->in);
	free(z->out);
	free(z);
}

/*
 * A zstd decoder for the stream whose first nhead bytes are head (all
 * that was read from the file so far; borrowed until the decoder has
 * consumed them) and the rest still in the file.
 */
static enum ov_code
zsrc_new(const unsigned char *head, size_t nhead, struct zsrc **out,
	 const char *path, struct ov_err *err)
{
	struct zsrc *z;
	size_t ret;

	*out = NULL;
	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->out_size = ZSTD_DStreamOutSize(),
	     (z->out = malloc(z->out_size)) == NULL) ||
	    (z->in = malloc(READ_BLOCK)) == NULL ||
	    (z->zd = ZSTD_createDStream()) == NULL) {
		zsrc_free(z);
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	}
	ret = ZSTD_DCtx_setParameter(z->zd, ZSTD_d_windowLogMax,
				     OV_ARCHIVE_ZSTD_WINDOW_LOG);
	if (ZSTD_isError(ret)) {
		zsrc_free(z);
		return ov_err_set(err, OV_E_INTERNAL, "%s: zstd: %s", path,
				  ZSTD_getErrorName(ret));
	}
	z->ib.src = head;
	z->ib.size = nhead;
	z->ib.pos = 0;
	z->read = nhead;
	*out = z;
	return OV_OK;
}

/* 1: a block in *pp, *np; 0: the end; -1: error (in err) */
static int
zsrc_next(struct zsrc *z, int fd, const char *path, const void **pp,
	  size_t *np, struct ov_err *err)
{
	ZSTD_outBuffer o = {z->out, z->out_size, 0};
	ssize_t n;
	size_t ret;

	while (o.pos < o.size) {
		if (z->ib.pos == z->ib.size && !z->in_eof) {
			do
				n = read(fd, z->in, READ_BLOCK);
			while (n < 0 && errno == EINTR);
			if (n < 0) {
				ov_err_set(err, OV_E_IO, "%s: read: %s", path,
					   strerror(errno));
				return -1;
			}
			z->in_eof = n == 0;
			z->read += (uint64_t)n;
			z->ib.src = z->in;
			z->ib.size = (size_t)n;
			z->ib.pos = 0;
		}
		if (z->ib.pos == z->ib.size && z->in_eof && !z->pending) {
			if (z->in_frame) {
				ov_err_set(err, OV_E_FORMAT,
					   "%s: truncated zstd input", path);
				return -1;
			}
			break;
		}
		ret = ZSTD_decompressStream(z->zd, &o, &z->ib);
		if (ZSTD_isError(ret)) {
			if (ZSTD_getErrorCode(ret) ==
			    ZSTD_error_frameParameter_windowTooLarge)
				ov_err_set(
				    err, OV_E_LIMIT,
				    "%s: zstd: a frame needs a window over %d MiB (the limit)",
				    path, 1 << (OV_ARCHIVE_ZSTD_WINDOW_LOG - 20));
			else
				ov_err_set(err, OV_E_FORMAT,
					   "%s: zstd decompression failed: %s",
					   path, ZSTD_getErrorName(ret));
			return -1;
		}
		z->in_frame = ret != 0;
		z->pending = o.pos == o.size;
	}
	*pp = z->out;
	*np = o.pos;
	return o.pos > 0;
}

/*
 * The next non-empty block of the decompressed stream and the compressed
 * bytes read so far. 1: a block; 0: the end; -1: error (in err).
 */
static int
src_next(struct rd *s, const void **pp, size_t *np, uint64_t *in,
	 struct ov_err *err)
{
	la_int64_t off;
	char lb[256];
	int rc;

	*pp = NULL;
	*np = 0;
	if (s->zs != NULL) {
		rc = zsrc_next(s->zs, s->fd, s->ar->path, pp, np, err);
		/* consumed by the decoder, as libarchive counts */
		*in = s->zs->read - (s->zs->ib.size - s->zs->ib.pos);
		return rc;
	}
	if (s->gz != NULL) {
		rc = ov_gzip_src_next(s->gz, s->fd, s->ar->path, pp, np, err);
		*in = ov_gzip_src_in(s->gz);
		return rc;
	}
	do {
		rc = archive_read_data_block(s->raw, pp, np, &off);
		if (rc == ARCHIVE_EOF)
			return 0;
		if (rc != ARCHIVE_OK) {
			ov_err_set(err, OV_E_FORMAT, "%s: %s", s->ar->path,
				   la_msg(s->raw, lb, sizeof(lb)));
			return -1;
		}
	} while (*np == 0);
	*in = (uint64_t)archive_filter_bytes(s->raw, -1);
	return 1;
}

/*
 * Decompression on its own thread (issue 9): a producer runs src_next()
 * into a ring of RING_SLOTS buffers, read_tar() takes them in order. One
 * slot holds one block as src_next() gave it (no merging, no splitting),
 * with its compressed byte count: the tar reader, the guard and the
 * limits see exactly the blocks and counts of the one-thread pass, so
 * verdicts and messages do not depend on --jobs. Memory: RING_SLOTS
 * blocks (128 KiB for gzip and zstd, 64 KiB for bzip2 and lz4). The
 * producer only reads s->raw, s->zs or s->gz and fd, which nothing else
 * touches until it is joined; its error goes to the ring's own ov_err,
 * handed over in order.
 */
struct ring_slot {
	unsigned char *p;
	size_t n, cap;
	uint64_t in;
};

struct ring {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* any change of head, tail, end or stop */
	pthread_t th;
	int started;
	struct ring_slot slot[RING_SLOTS];
	size_t head, tail; /* taken, produced; tail - head <= RING_SLOTS */
	int held;          /* the consumer still uses slot[(head - 1) % N] */
	int end;           /* 1 end of stream, -1 error in perr; after tail */
	int stop;          /* the consumer quits: the producer must too */
	struct ov_err perr;
	struct rd *s;
};

static void *
ring_produce(void *arg)
{
	struct ring *q = arg;
	struct ring_slot *sl;
	const void *p;
	size_t n;
	uint64_t in = 0;
	unsigned char *np;
	int rc;

	for (;;) {
		rc = src_next(q->s, &p, &n, &in, &q->perr);
		pthread_mutex_lock(&q->mu);
		while (rc > 0 && !q->stop && q->tail - q->head >= RING_SLOTS)
			pthread_cond_wait(&q->cv, &q->mu);
		if (q->stop) {
			pthread_mutex_unlock(&q->mu);
			break;
		}
		if (rc <= 0) {
			q->end = rc == 0 ? 1 : -1;
			pthread_cond_broadcast(&q->cv);
			pthread_mutex_unlock(&q->mu);
			break;
		}
		sl = &q->slot[q->tail % RING_SLOTS];
		pthread_mutex_unlock(&q->mu);
		/* the slot is free: the consumer is done with it */
		if (n > sl->cap) {
			if ((np = realloc(sl->p, n)) == NULL) {
				ov_err_set(&q->perr, OV_E_NOMEM,
					   "out of memory");
				pthread_mutex_lock(&q->mu);
				q->end = -1;
				pthread_cond_broadcast(&q->cv);
				pthread_mutex_unlock(&q->mu);
				break;
			}
			sl->p = np;
			sl->cap = n;
		}
		memcpy(sl->p, p, n);
		sl->n = n;
		sl->in = in;
		pthread_mutex_lock(&q->mu);
		q->tail++;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
	}
	return NULL;
}

/* Stop the producer and free the ring; fine at any point, and on NULL. */
static void
ring_free(struct ring *q)
{
	size_t i;

	if (q == NULL)
		return;
	if (q->started) {
		pthread_mutex_lock(&q->mu);
		q->stop = 1;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		pthread_join(q->th, NULL);
	}
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	for (i = 0; i < RING_SLOTS; i++)
		free(q->slot[i].p);
	free(q);
}

static enum ov_code
ring_start(struct rd *s)
{
	struct ring *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return ov_err_set(s->err, OV_E_NOMEM, "out of memory");
	q->s = s;
	if (pthread_mutex_init(&q->mu, NULL) != 0) {
		free(q);
		return ov_err_set(s->err, OV_E_NOMEM,
				  "cannot create a mutex");
	}
	if (pthread_cond_init(&q->cv, NULL) != 0) {
		pthread_mutex_destroy(&q->mu);
		free(q);
		return ov_err_set(s->err, OV_E_NOMEM,
				  "cannot create a condition variable");
	}
	s->ring = q;
	if (pthread_create(&q->th, NULL, ring_produce, q) != 0)
		return OV_OK; /* no thread: read_tar() reads in line */
	q->started = 1;
	return OV_OK;
}

/* read_tar() with a ring: the next block, as src_next() */
static int
ring_next(struct ring *q, const void **pp, size_t *np, uint64_t *in,
	  struct ov_err *err)
{
	struct ring_slot *sl;
	int rc;

	pthread_mutex_lock(&q->mu);
	if (q->held) {
		q->head++;
		q->held = 0;
		pthread_cond_broadcast(&q->cv);
	}
	while (q->head == q->tail && q->end == 0)
		pthread_cond_wait(&q->cv, &q->mu);
	if (q->head == q->tail) {
		rc = q->end > 0 ? 0 : -1;
		if (rc < 0)
			*err = q->perr;
	} else {
		sl = &q->slot[q->head % RING_SLOTS];
		*pp = sl->p;
		*np = sl->n;
		*in = sl->in;
		q->held = 1;
		rc = 1;
	}
	pthread_mutex_unlock(&q->mu);
	return rc;
}

/*
 * The tar reader's input: the next block of uncompressed bytes, shown to
 * the strict header reader first.
 */
static la_ssize_t
read_tar(struct archive *a, void *ctx, const void **buf)
{
	struct rd *s = ctx;
	const void *p = NULL;
	size_t n = 0;
	uint64_t in = s->raw_in;
	int rc;

	(void)a;
	*buf = NULL;
	if (s->raw_eof)
		return 0;
	if (s->ring != NULL && s->ring->started)
		rc = ring_next(s->ring, &p, &n, &in, s->err);
	else
		rc = src_next(s, &p, &n, &in, s->err);
	if (rc < 0) {
		s->src_failed = 1;
		return -1;
	}
	if (rc == 0) {
		s->raw_eof = 1;
		return 0;
	}
	s->raw_in = in;
	if (!s->tg_failed &&
	    ov_targuard_feed(s->tg, p, n, &s->tg_err) != OV_OK) {
		ov_err_wrap(&s->tg_err, "%s", s->ar->path);
		s->tg_failed = 1;
	}
	*buf = p;
	return (la_ssize_t)n;
}

/* After the tar reader's end: the rest of the stream, and the marker. */
static enum ov_code
check_end(struct rd *s)
{
	const struct ov_tg_entry *g;
	const void *p;
	char nb[SHOW_MAX + 8];

	while (!s->raw_eof)
		if (read_tar(s->a, s, &p) < 0)
			return s->err->code;
	if (s->tg_failed) {
		*s->err = s->tg_err;
		return s->err->code;
	}
	if ((g = ov_targuard_peek(s->tg)) != NULL)
		return ov_err_set(
		    s->err, OV_E_FORMAT,
		    "%s: entry %s: it follows the point where libarchive sees the end of the archive (tar readers disagree)",
		    s->ar->path, show(nb, sizeof(nb), g->name));
	if (ov_targuard_end(s->tg, s->err) != OV_OK)
		return ov_err_wrap(s->err, "%s", s->ar->path);
	return OV_OK;
}

/* libarchive's raw reader reads the file here (see struct rd, head) */
static la_ssize_t
raw_read(struct archive *a, void *ctx, const void **buf)
{
	struct rd *s = ctx;
	unsigned char *nh;
	ssize_t n;

	do
		n = read(s->fd, s->rbuf, READ_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read: %s", strerror(errno));
		return -1;
	}
	if (s->recording && n > 0) {
		if (s->nhead + (size_t)n > OV_ARCHIVE_MAX_HEAD ||
		    (nh = realloc(s->head, s->nhead + (size_t)n)) == NULL) {
			archive_set_error(a, ENOMEM,
			    "more than %d bytes read before the compression is known",
			    OV_ARCHIVE_MAX_HEAD);
			return -1;
		}
		memcpy(nh + s->nhead, s->rbuf, (size_t)n);
		s->head = nh;
		s->nhead += (size_t)n;
	}
	*buf = s->rbuf;
	return (la_ssize_t)n;
}

static enum ov_code
pass(struct rd *s, int fd)
{
	struct archive_entry *ae;
	char prev[SHOW_MAX + 8] = ""; /* the last entry, for messages */
	uint64_t next_header = 0;
	enum ov_code r;
	int rc;

	(void)fd; /* s->fd, read by raw_read() */
	if ((s->rbuf = malloc(READ_BLOCK)) == NULL)
		return ov_err_set(s->err, OV_E_NOMEM, "out of memory");
	s->recording = 1;
	if (archive_read_open(s->raw, s, NULL, raw_read, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(s->raw, &ae) != ARCHIVE_OK)
		return header_error(s, s->raw, "");
	s->recording = 0;
	if (archive_filter_count(s->raw) > 2)
		return ov_err_set(
		    s->err, OV_E_UNSUPPORTED,
		    "%s: nested compression (%s over %s) is not supported",
		    s->ar->path, archive_filter_name(s->raw, 0),
		    archive_filter_name(s->raw, 1));
	s->filter = archive_filter_name(s->raw, 0);
	s->raw_in = (uint64_t)archive_filter_bytes(s->raw, -1);
	if (archive_filter_code(s->raw, 0) == ARCHIVE_FILTER_ZSTD &&
	    (r = zsrc_new(s->head, s->nhead, &s->zs, s->ar->path, s->err)) !=
		OV_OK)
		return r;
	/*
	 * gzip too: libarchive 3.6's filter checks neither the trailer's
	 * CRC-32 and ISIZE nor what follows the last member, and zlib is
	 * the slow half of a .tar.gz pass (issue 9).
	 */
	if (archive_filter_code(s->raw, 0) == ARCHIVE_FILTER_GZIP &&
	    (r = ov_gzip_src_new(OV_GZIP_DEFAULT, s->head, s->nhead, &s->gz,
		 s->err)) != OV_OK)
		return r;
	/*
	 * Decompression gets a thread of its own when --jobs allows; a
	 * plain tar needs none (the kernel copies, the hash is the work).
	 */
	if (s->jobs > 1 && archive_filter_code(s->raw, 0) != ARCHIVE_FILTER_NONE &&
	    (r = ring_start(s)) != OV_OK)
		return r;
	if (archive_read_support_format_tar(s->a) != ARCHIVE_OK)
		return ov_err_set(s->err, OV_E_INTERNAL,
				  "%s: cannot set up libarchive's tar reader",
				  s->ar->path);
	if (archive_read_open(s->a, s, NULL, read_tar, NULL) != ARCHIVE_OK)
		return header_error(s, s->a, "");
	for (;;) {
		rc = archive_read_next_header(s->a, &ae);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc == ARCHIVE_WARN && charset_warning(s->a))
			rc = ARCHIVE_OK;
		if (rc != ARCHIVE_OK)
			return header_error(s, s->a, prev);
		if ((r = read_entry(s, ae)) != OV_OK)
			return r;
		show(prev, sizeof(prev), s->cur);
		if ((r = check_limits(s)) != OV_OK)
			return r;
		next_header =
		    ((uint64_t)archive_filter_bytes(s->a, 0) + TAR_BLOCK - 1) &
		    ~(uint64_t)(TAR_BLOCK - 1);
	}
	/*
	 * libarchive takes a tar cut at an entry boundary for a complete one;
	 * it consumes the zero blocks of the end-of-archive marker only when
	 * they are there.
	 */
	if ((uint64_t)archive_filter_bytes(s->a, 0) < next_header + TAR_BLOCK) {
		if (prev[0] == '\0')
			return ov_err_set(
			    s->err, OV_E_FORMAT,
			    "%s: truncated archive: no end-of-archive marker",
			    s->ar->path);
		return ov_err_set(
		    s->err, OV_E_FORMAT,
		    "%s: truncated archive: it ends after entry %s, without the end-of-archive marker",
		    s->ar->path, prev);
	}
	if ((r = check_end(s)) != OV_OK)
		return r;
	if ((s->ar->compression = strdup(s->filter)) == NULL)
		return ov_err_set(s->err, OV_E_NOMEM, "out of memory");
	return check_links(s);
}

enum ov_code
ov_archive_read(const char *path, const struct ov_archive_opts *opts,
		struct ov_archive **out, struct ov_err *err)
{
	static const struct ov_archive_opts defaults;
	struct ov_archive *ar = NULL;
	struct ov_err local;
	struct rd s;
	int fd = -1;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if (err == NULL)
		err = &local; /* the pass reads err->code back */
	if (opts == NULL)
		opts = &defaults;
	memset(&s, 0, sizeof(s));
	s.err = err;
	s.max_bytes = opts->max_bytes != 0 ? opts->max_bytes
					   : OV_ARCHIVE_DEFAULT_MAX_BYTES;
	s.max_ratio = opts->max_ratio != 0 ? opts->max_ratio
					   : OV_ARCHIVE_DEFAULT_MAX_RATIO;
	s.max_kept =
	    opts->max_kept != 0 ? opts->max_kept : OV_ARCHIVE_DEFAULT_MAX_KEPT;
	s.deep = opts->deep;
	s.keep_all = opts->keep_all;
	s.jobs = opts->jobs;
	s.progress = opts->progress;
	s.progress_ctx = opts->progress_ctx;
	s.spool = opts->spool;
	if ((ar = calloc(1, sizeof(*ar))) == NULL ||
	    (ar->path = strdup(path)) == NULL ||
	    (ar->slots = calloc(NSLOTS, sizeof(*ar->slots))) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	s.ar = ar;
	if ((r = ov_hash_new(OV_DIGEST_SHA256, &s.h256, err)) != OV_OK ||
	    (r = ov_hash_new(OV_DIGEST_SHA512, &s.h512, err)) != OV_OK ||
	    (r = ov_hash_new(OV_DIGEST_SHA256, &s.hdec, err)) != OV_OK)
		goto out;
	ar->deep = s.deep;
	if (s.deep && (s.obuf = malloc(OUT_BLOCK)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = open_file(path, &fd, &s.fsize, err)) != OV_OK)
		goto out;
	s.fd = fd;
	if ((s.raw = archive_read_new()) == NULL ||
	    (s.a = archive_read_new()) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((r = ov_targuard_new(&s.tg, err)) != OV_OK ||
	    (r = setup_reader(s.raw, path, err)) != OV_OK ||
	    (r = pass(&s, fd)) != OV_OK)
		goto out;
	if (s.progress != NULL)
		s.progress(s.progress_ctx, s.fsize, s.fsize);
	*out = ar;
	ar = NULL; /* transferred */
	r = OV_OK;
out:
	ring_free(s.ring); /* first: its thread reads s.raw, s.zs or s.gz */
	zsrc_free(s.zs);
	ov_gzip_src_free(s.gz);
	free(s.head);
	free(s.rbuf);
	if (s.a != NULL)
		archive_read_free(s.a);
	if (s.raw != NULL)
		archive_read_free(s.raw);
	ov_targuard_free(s.tg);
	if (fd >= 0)
		close(fd);
	if (s.zd != NULL)
		ZSTD_freeDStream(s.zd);
	free(s.obuf);
	ov_hash_free(s.hdec);
	ov_hash_free(s.h512);
	ov_hash_free(s.h256);
	ov_archive_free(ar);
	return r;
}

/* ------------------------------------------------------------------ */
/* Access */

void
ov_archive_free(struct ov_archive *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->ents[i].name);
		free(a->ents[i].data);
		free(a->ents[i].link);
		free(a->ents[i].deep_err);
	}
	for (i = 0; i < a->ndirs; i++)
		free(a->dirs[i]);
	free(a->ents);
	free(a->dirs);
	free(a->slots);
	free(a->compression);
	free(a->path);
	free(a);
}

const char *
ov_archive_path(const struct ov_archive *a)
{
	return a->path;
}

const char *
ov_archive_compression(const struct ov_archive *a)
{
	return a->compression != NULL ? a->compression : "none";
}

size_t
ov_archive_count(const struct ov_archive *a)
{
	return a->n;
}

const struct ov_archive_entry *
ov_archive_entry(const struct ov_archive *a, size_t i)
{
	return i < a->n ? &a->ents[i] : NULL;
}

const struct ov_archive_entry *
ov_archive_find(const struct ov_archive *a, const char *name)
{
	const struct ov_archive_entry *e;
	struct ov_err err;
	char *clean = NULL;

	if (ov_archive_clean_name(name, &clean, &err) != OV_OK)
		return NULL;
	e = lookup(a, clean);
	free(clean);
	return e;
}

int
ov_archive_deep(const struct ov_archive *a)
{
	return a->deep;
}
