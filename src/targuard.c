/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The strict tar header reader behind archive.c: see targuard.h. It reads
 * headers the way Go's archive/tar does (Reader.Next, readHeader,
 * parsePAX, mergePAX) and refuses every construct on which Go and
 * libarchive are known to, or could, read a different name, type or size:
 *
 *  - headers other than POSIX ustar ("ustar\0" "00") and GNU ("ustar "
 *    " \0"): v7 headers, and "ustar\0" with another version, which Go
 *    reads as ustar (with a prefix) and libarchive does not;
 *  - numeric fields that are not plain octal (or base-256) numbers: Go
 *    trims NULs and spaces on both sides, libarchive stops at the first
 *    non-digit, so "\0" "12" is 10 bytes for one and 0 for the other;
 *  - a star header (trailer "tar\0") whose prefix runs past 130 bytes:
 *    Go reads 131 bytes of prefix there, libarchive 155;
 *  - GNU headers whose atime or ctime field is not a number: Go then
 *    reads that area as a ustar prefix (its pre-1.8 compatibility);
 *  - entry types other than regular files, directories, symbolic links
 *    and the link/device types archive.c refuses with its own message
 *    (no GNU sparse, multi-volume, volume label, global pax, Solaris or
 *    vendor types, contiguous files);
 *  - two pax headers, two GNU long names or long links for one entry
 *    (Go keeps the last pax header only, libarchive merges them), and a
 *    pax path beside a GNU long name or a pax linkpath beside a GNU long
 *    link (Go prefers the GNU one);
 *  - pax records other than a known set of metadata: GNU.sparse.* (libarchive
 *    takes GNU.sparse.name as the name of any entry, Go only of a sparse
 *    one), SCHILY.realsize, hdrcharset and anything unknown; repeated or
 *    empty path, linkpath and size records; a size that is not a plain
 *    decimal number, or on an entry without data;
 *  - names and link targets that are not UTF-8 or hold control
 *    characters, and regular
 *    files named with a trailing "/" (which some readers take for
 *    directories);
 *  - a zero block not followed by a second one (libarchive stops at the
 *    first, Go fails, GNU tar goes on), and anything but zero bytes after
 *    the end-of-archive marker.
 */
#include "config.h"

#include "targuard.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define BLOCK 512
#define MAX_LONG 4096    /* GNU long name or long link data */
#define MAX_PENDING 8192 /* entries read ahead of libarchive */

enum state {
	ST_HEADER, /* collecting a header block */
	ST_DATA,   /* skipping entry data and padding */
	ST_META,   /* collecting pax or GNU long name data */
	ST_ZERO,   /* after one zero block: the second must follow */
	ST_END,    /* after the marker: zero bytes only */
};

struct ov_targuard {
	struct ov_err *err; /* during ov_targuard_feed() and _end() */
	enum state st;
	unsigned char blk[BLOCK];
	size_t nblk;
	uint64_t off;    /* stream bytes fed so far */
	uint64_t skip;   /* ST_DATA: bytes left; ST_META: padding left */
	uint64_t trail;  /* ST_END: bytes after the marker */
	int seen_header; /* a header with a valid checksum */
	char prev[168];  /* the last entry's name, for messages */
	/* ST_META: the special header being read */
	char mtype;
	unsigned char *mbuf;
	size_t mlen, mwant;
	/* special headers waiting for their entry */
	int has_pax, has_lname, has_llink;
	char *pax_path, *pax_link, *lname, *llink;
	int64_t pax_size; /* -1: none */
	/* entries read, not yet taken */
	struct ov_tg_entry *q;
	size_t qhead, qn, qcap;
};

static const char *const pax_metadata[] = {
    "mtime", "atime", "ctime", "uid", "gid", "uname", "gname", "comment",
    "SCHILY.fflags", "SCHILY.dev", "SCHILY.ino", "SCHILY.nlink",
    "SCHILY.acl.access", "SCHILY.acl.default", "SCHILY.acl.ace",
    "LIBARCHIVE.creationtime",
};

static const char *const pax_metadata_prefix[] = {
    "SCHILY.xattr.",
    "LIBARCHIVE.xattr.",
};

enum ov_code
ov_targuard_new(struct ov_targuard **out, struct ov_err *err)
{
	struct ov_targuard *g;

	*out = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	g->pax_size = -1;
	*out = g;
	return OV_OK;
}

static void
entry_clear(struct ov_tg_entry *e)
{
	free(e->name);
	free(e->link);
	memset(e, 0, sizeof(*e));
}

static void
pending_clear(struct ov_targuard *g)
{
	free(g->pax_path);
	free(g->pax_link);
	free(g->lname);
	free(g->llink);
	g->pax_path = g->pax_link = g->lname = g->llink = NULL;
	g->has_pax = g->has_lname = g->has_llink = 0;
	g->pax_size = -1;
}

void
ov_targuard_free(struct ov_targuard *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = g->qhead; i < g->qhead + g->qn; i++)
		entry_clear(&g->q[i]);
	free(g->q);
	free(g->mbuf);
	pending_clear(g);
	free(g);
}

int
ov_targuard_tar_seen(const struct ov_targuard *g)
{
	return g->seen_header;
}

const struct ov_tg_entry *
ov_targuard_peek(const struct ov_targuard *g)
{
	return g->qn > 0 ? &g->q[g->qhead] : NULL;
}

void
ov_targuard_pop(struct ov_targuard *g)
{
	if (g->qn == 0)
		return;
	entry_clear(&g->q[g->qhead]);
	g->qhead++;
	g->qn--;
	if (g->qn == 0)
		g->qhead = 0;
}

/* ------------------------------------------------------------------ */
/* Messages */

/* "entry NAME: ..." when the name is known, else "at byte N: ..." */
static enum ov_code __attribute__((format(printf, 4, 5)))
gerr(struct ov_targuard *g, enum ov_code code, const char *name,
     const char *fmt, ...)
{
	char msg[OV_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (name != NULL && name[0] != '\0')
		return ov_err_set(g->err, code, "entry %.160s: %s", name, msg);
	return ov_err_set(g->err, code, "the tar header at byte %ju: %s",
			  (uintmax_t)(g->off - BLOCK), msg);
}

/* ------------------------------------------------------------------ */
/* Header fields */

/*
 * A numeric field: base-256 (first byte 0x80, positive) or octal digits
 * after optional spaces, then only spaces and NULs; all spaces and NULs
 * is 0. Anything Go and libarchive could read differently is -1.
 */
static int64_t
number(const unsigned char *f, size_t len)
{
	uint64_t x = 0;
	size_t i = 0, nd = 0;

	if (f[0] & 0x80) {
		if (f[0] != 0x80)
			return -1; /* negative, or bits in the first byte */
		for (i = 1; i < len; i++) {
			if (x >> 55)
				return -1;
			x = (x << 8) | f[i];
		}
		return (int64_t)x;
	}
	while (i < len && f[i] == ' ')
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++, nd++) {
		if (x > ((uint64_t)INT64_MAX >> 3))
			return -1;
		x = (x << 3) | (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return -1;
	return (int64_t)x;
}

/* A NUL-terminated copy of a field (up to its first NUL). */
static char *
field_str(const unsigned char *f, size_t len)
{
	size_t n = 0;
	char *s;

	while (n < len && f[n] != '\0')
		n++;
	if ((s = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(s, f, n);
	s[n] = '\0';
	return s;
}

static int
all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/*
 * Valid UTF-8 without control characters. Any other byte string may be
 * converted or cut differently by another reader or locale.
 */
static int
printable(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			return 0;
	return ov_utf8_valid(s, (size_t)(p - s));
}

static int
checksum_ok(const unsigned char *b)
{
	int64_t want = number(b + 148, 8);
	int64_t u = 0, sg = 0;
	size_t i;

	if (want < 0 || (b[148] & 0x80))
		return 0;
	for (i = 0; i < BLOCK; i++) {
		unsigned char c = (i >= 148 && i < 156) ? ' ' : b[i];
		u += c;
		sg += (signed char)c;
	}
	return want == u || want == sg;
}

/* ------------------------------------------------------------------ */
/* pax extended headers */

static int
pax_is_metadata(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(pax_metadata) / sizeof(pax_metadata[0]); i++)
		if (strcmp(key, pax_metadata[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(pax_metadata_prefix) /
			    sizeof(pax_metadata_prefix[0]);
	     i++)
		if (strncmp(key, pax_metadata_prefix[i],
			    strlen(pax_metadata_prefix[i])) == 0 &&
		    key[strlen(pax_metadata_prefix[i])] != '\0')
			return 1;
	return 0;
}

/* a plain decimal size: digits, no sign, no leading zero, fits int64 */
static int64_t
pax_size(const char *v, size_t n)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 19 || (v[0] == '0' && n > 1))
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	return x > (uint64_t)INT64_MAX ? -1 : (int64_t)x;
}

static char *
dup_n(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* The records of the pax header in g->mbuf: "LEN KEY=VALUE\n" each. */
static enum ov_code
parse_pax(struct ov_targuard *g)
{
	const char *p = (const char *)g->mbuf, *end = p + g->mlen;
	const char *rec, *key, *eq, *val, *vend;
	char kb[64];
	size_t len, nd;

	while (p < end) {
		rec = p;
		len = 0;
		for (nd = 0; p < end && *p >= '0' && *p <= '9'; p++, nd++) {
			if (len > OV_TARGUARD_MAX_PAX)
				break;
			len = len * 10 + (size_t)(*p - '0');
		}
		if (nd == 0 || p >= end || *p != ' ' || len <= nd + 1 ||
		    len > (size_t)(end - rec) || rec[len - 1] != '\n')
			return gerr(g, OV_E_FORMAT, NULL,
				    "malformed pax record at offset %zu",
				    (size_t)(rec - (const char *)g->mbuf));
		key = p + 1;
		vend = rec + len - 1;
		if ((eq = memchr(key, '=', (size_t)(vend - key))) == NULL ||
		    eq == key || memchr(key, '\0', (size_t)(eq - key)) != NULL)
			return gerr(g, OV_E_FORMAT, NULL,
				    "malformed pax record at offset %zu",
				    (size_t)(rec - (const char *)g->mbuf));
		val = eq + 1;
		(void)snprintf(kb, sizeof(kb), "%.*s",
			       (int)((size_t)(eq - key) < 48 ? eq - key : 48),
			       key);
		p = rec + len;
#define IS(k) ((size_t)(eq - key) == strlen(k) && memcmp(key, k, strlen(k)) == 0)
		if (IS("path") || IS("linkpath")) {
			char **slot = IS("path") ? &g->pax_path : &g->pax_link;

			if (*slot != NULL)
				return gerr(g, OV_E_FORMAT, NULL,
					    "pax header repeats its %s record",
					    kb);
			if (val == vend || memchr(val, '\0', (size_t)(vend - val)))
				return gerr(g, OV_E_FORMAT, NULL,
					    "pax %s record is empty or holds a NUL byte",
					    kb);
			if ((*slot = dup_n(val, (size_t)(vend - val))) == NULL)
				return ov_err_set(g->err, OV_E_NOMEM,
						  "out of memory");
		} else if (IS("size")) {
			if (g->pax_size >= 0)
				return gerr(g, OV_E_FORMAT, NULL,
					    "pax header repeats its size record");
			g->pax_size = pax_size(val, (size_t)(vend - val));
			if (g->pax_size < 0)
				return gerr(g, OV_E_FORMAT, NULL,
					    "pax size record \"%.*s\" is not a plain decimal number",
					    (int)((vend - val) < 32 ? vend - val : 32),
					    val);
		} else if (!pax_is_metadata(kb) || (size_t)(eq - key) >= 48) {
			return gerr(
			    g, OV_E_FORMAT, NULL,
			    "pax record %s%s is not allowed (tar readers do not all interpret it alike)",
			    kb, (size_t)(eq - key) >= 48 ? "..." : "");
		}
#undef IS
	}
	return OV_OK;
}

/* The data of a GNU long name or long link: a name, then NULs only. */
static enum ov_code
parse_long(struct ov_targuard *g)
{
	size_t n = 0;
	char **slot = g->mtype == 'L' ? &g->lname : &g->llink;

	while (n < g->mlen && g->mbuf[n] != '\0')
		n++;
	if (n == 0 || !all_zero(g->mbuf + n, g->mlen - n))
		return gerr(g, OV_E_FORMAT, NULL,
			    "GNU long %s header is empty or has bytes after its NUL",
			    g->mtype == 'L' ? "name" : "link");
	if ((*slot = dup_n((const char *)g->mbuf, n)) == NULL)
		return ov_err_set(g->err, OV_E_NOMEM, "out of memory");
	return OV_OK;
}

/* ------------------------------------------------------------------ */
/* Headers */

static enum ov_code
push(struct ov_targuard *g, struct ov_tg_entry *e)
{
	void *p;
	size_t ncap;

	if (g->qn >= MAX_PENDING)
		return gerr(g, OV_E_LIMIT, e->name,
			    "more than %d entries read ahead", MAX_PENDING);
	if (g->qhead > 0 && g->qhead + g->qn == g->qcap) {
		memmove(g->q, g->q + g->qhead, g->qn * sizeof(*g->q));
		g->qhead = 0;
	}
	if (g->qhead + g->qn == g->qcap) {
		ncap = g->qcap == 0 ? 64 : g->qcap * 2;
		if ((p = realloc(g->q, ncap * sizeof(*g->q))) == NULL)
			return ov_err_set(g->err, OV_E_NOMEM, "out of memory");
		g->q = p;
		g->qcap = ncap;
	}
	g->q[g->qhead + g->qn] = *e;
	g->qn++;
	memset(e, 0, sizeof(*e));
	return OV_OK;
}

/* A header that starts a pax or GNU long name/link header's data. */
static enum ov_code
special(struct ov_targuard *g, char type, int64_t size)
{
	int64_t max = type == 'x' ? OV_TARGUARD_MAX_PAX : MAX_LONG;
	int *has = type == 'x' ? &g->has_pax
		   : type == 'L' ? &g->has_lname
				 : &g->has_llink;

	if (*has)
		return gerr(g, OV_E_FORMAT, NULL,
			    "a second %s header for the same entry",
			    type == 'x'   ? "pax"
			    : type == 'L' ? "GNU long name"
					  : "GNU long link");
	if (size > max)
		return gerr(g, OV_E_LIMIT, NULL,
			    "%s header of %jd bytes (at most %jd)",
			    type == 'x' ? "pax" : "GNU long name", (intmax_t)size,
			    (intmax_t)max);
	*has = 1;
	free(g->mbuf);
	if ((g->mbuf = malloc((size_t)size + 1)) == NULL)
		return ov_err_set(g->err, OV_E_NOMEM, "out of memory");
	g->mtype = type;
	g->mlen = 0;
	g->mwant = (size_t)size;
	g->skip = (BLOCK - (uint64_t)size % BLOCK) % BLOCK;
	g->st = ST_META;
	return OV_OK;
}

static enum ov_code
entry(struct ov_targuard *g, const unsigned char *b, char type, int64_t size,
      int ustar)
{
	struct ov_tg_entry e = {NULL, NULL, 0, 0};
	char *prefix = NULL, *name = NULL;
	size_t plen, nlen;
	enum ov_code r = OV_OK;

	if ((name = field_str(b, 100)) == NULL)
		goto nomem;
	if (ustar && b[345] != '\0') {
		if ((prefix = field_str(b + 345, 155)) == NULL)
			goto nomem;
		plen = strlen(prefix);
		if (plen > 130 && memcmp(b + 508, "tar", 4) == 0) {
			r = gerr(g, OV_E_FORMAT, name,
				 "star header with a %zu-byte name prefix (tar readers read 131 or 155 bytes of it)",
				 plen);
			goto out;
		}
		nlen = strlen(name);
		if ((e.name = malloc(plen + 1 + nlen + 1)) == NULL)
			goto nomem;
		memcpy(e.name, prefix, plen);
		e.name[plen] = '/';
		memcpy(e.name + plen + 1, name, nlen + 1);
	} else {
		e.name = name;
		name = NULL;
	}
	if (g->pax_path != NULL && g->lname != NULL) {
		r = gerr(g, OV_E_FORMAT, e.name,
			 "both a pax path (%.160s) and a GNU long name (%.160s): tar readers choose differently",
			 g->pax_path, g->lname);
		goto out;
	}
	if (g->pax_link != NULL && g->llink != NULL) {
		r = gerr(g, OV_E_FORMAT, e.name,
			 "both a pax linkpath and a GNU long link: tar readers choose differently");
		goto out;
	}
	if (g->pax_path != NULL || g->lname != NULL) {
		free(e.name);
		e.name = g->pax_path != NULL ? g->pax_path : g->lname;
		if (g->pax_path != NULL)
			g->pax_path = NULL;
		else
			g->lname = NULL;
	}
	if (!printable(e.name)) {
		r = gerr(g, OV_E_FORMAT, e.name,
			 "the name is not valid UTF-8 or holds control characters");
		goto out;
	}
	if (type == '1' || type == '2') {
		if (g->pax_link != NULL || g->llink != NULL) {
			e.link = g->pax_link != NULL ? g->pax_link : g->llink;
			if (g->pax_link != NULL)
				g->pax_link = NULL;
			else
				g->llink = NULL;
		} else if ((e.link = field_str(b + 157, 100)) == NULL) {
			goto nomem;
		}
		if (!printable(e.link)) {
			r = gerr(g, OV_E_FORMAT, e.name,
				 "the link target is not valid UTF-8 or holds control characters");
			goto out;
		}
	} else if (g->pax_link != NULL || g->llink != NULL) {
		r = gerr(g, OV_E_FORMAT, e.name,
			 "a link target on an entry that is no link");
		goto out;
	}
	if (g->pax_size >= 0) {
		if (type != '0') {
			r = gerr(g, OV_E_FORMAT, e.name,
				 "a pax size record on an entry without data");
			goto out;
		}
		size = g->pax_size;
	}
	if (type != '0' && size != 0) {
		r = gerr(g, OV_E_FORMAT, e.name,
			 "a non-regular entry with %jd bytes of data",
			 (intmax_t)size);
		goto out;
	}
	if (type != '5' && e.name[0] != '\0' &&
	    e.name[strlen(e.name) - 1] == '/') {
		r = gerr(g, OV_E_FORMAT, e.name,
			 "a name that ends in \"/\" on an entry that is no directory");
		goto out;
	}
	e.size = size;
	e.type = type;
	(void)snprintf(g->prev, sizeof(g->prev), "%.160s", e.name);
	pending_clear(g);
	g->skip = ((uint64_t)size + BLOCK - 1) / BLOCK * BLOCK;
	g->st = g->skip > 0 ? ST_DATA : ST_HEADER;
	r = push(g, &e);
	goto out;
nomem:
	r = ov_err_set(g->err, OV_E_NOMEM, "out of memory");
out:
	entry_clear(&e);
	free(prefix);
	free(name);
	return r;
}

static enum ov_code
header(struct ov_targuard *g)
{
	const unsigned char *b = g->blk;
	char type = (char)b[156], nb[104];
	int64_t size;
	int ustar, gnu;

	if (all_zero(b, BLOCK)) {
		if (g->has_pax || g->has_lname || g->has_llink)
			return gerr(g, OV_E_FORMAT, NULL,
				    "a pax or GNU long name header with no entry after it");
		g->st = ST_ZERO;
		return OV_OK;
	}
	(void)snprintf(nb, sizeof(nb), "%.100s", (const char *)b);
	if (!checksum_ok(b)) {
		if (g->prev[0] == '\0')
			return gerr(g, OV_E_FORMAT, NULL,
				    "not a tar header (bad checksum)");
		return ov_err_set(
		    g->err, OV_E_FORMAT,
		    "after entry %s: damaged tar archive (no valid header at byte %ju, where the size of that entry puts the next one)",
		    g->prev, (uintmax_t)(g->off - BLOCK));
	}
	g->seen_header = 1;
	ustar = memcmp(b + 257, "ustar\0" "00", 8) == 0;
	gnu = memcmp(b + 257, "ustar  \0", 8) == 0;
	if (!ustar && !gnu)
		return gerr(g, OV_E_FORMAT, nb,
			    "neither a POSIX ustar nor a GNU tar header (old v7 or unknown tar dialect)");
	if (gnu && ((b[345] != 0 && number(b + 345, 12) < 0) ||
		    (b[357] != 0 && number(b + 357, 12) < 0)))
		return gerr(g, OV_E_FORMAT, nb,
			    "GNU header whose atime or ctime is not a number (Go reads it as a name prefix)");
	if ((size = number(b + 124, 12)) < 0)
		return gerr(g, OV_E_FORMAT, nb,
			    "size field is not a plain octal number");
	switch (type) {
	case 'x':
	case 'L':
	case 'K':
		return special(g, type, size);
	case '\0':
		type = '0';
		break;
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
		break;
	case 'g':
		return gerr(g, OV_E_FORMAT, nb,
			    "global pax header (type 'g'), which tar readers apply differently");
	case 'S':
		return gerr(g, OV_E_FORMAT, nb,
			    "GNU sparse file (type 'S'): sparse files are not supported");
	default:
		if (type >= 0x20 && type < 0x7f)
			return gerr(g, OV_E_FORMAT, nb,
				    "entry type '%c', which importers skip or read differently",
				    type);
		return gerr(g, OV_E_FORMAT, nb,
			    "entry type 0x%02x, which importers skip or read differently",
			    (unsigned)(unsigned char)type);
	}
	return entry(g, b, type, size, ustar);
}

/* ------------------------------------------------------------------ */
/* The stream */

enum ov_code
ov_targuard_feed(struct ov_targuard *g, const unsigned char *p, size_t n,
		 struct ov_err *err)
{
	enum ov_code r;
	size_t take;

	g->err = err;
	while (n > 0) {
		switch (g->st) {
		case ST_HEADER:
		case ST_ZERO:
			take = BLOCK - g->nblk < n ? BLOCK - g->nblk : n;
			memcpy(g->blk + g->nblk, p, take);
			g->nblk += take;
			g->off += take;
			p += take;
			n -= take;
			if (g->nblk < BLOCK)
				break;
			g->nblk = 0;
			if (g->st == ST_ZERO) {
				if (!all_zero(g->blk, BLOCK))
					return gerr(
					    g, OV_E_FORMAT, NULL,
					    "a lone zero block before more entries (tar readers disagree on where the archive ends)");
				g->st = ST_END;
				break;
			}
			if ((r = header(g)) != OV_OK)
				return r;
			break;
		case ST_DATA:
			take = g->skip < n ? (size_t)g->skip : n;
			g->skip -= take;
			g->off += take;
			p += take;
			n -= take;
			if (g->skip == 0)
				g->st = ST_HEADER;
			break;
		case ST_META:
			if (g->mlen < g->mwant) {
				take = g->mwant - g->mlen < n ? g->mwant - g->mlen
							      : n;
				memcpy(g->mbuf + g->mlen, p, take);
				g->mlen += take;
			} else {
				take = g->skip < n ? (size_t)g->skip : n;
				g->skip -= take;
			}
			g->off += take;
			p += take;
			n -= take;
			if (g->mlen < g->mwant || g->skip > 0)
				break;
			g->st = ST_HEADER;
			r = g->mtype == 'x' ? parse_pax(g) : parse_long(g);
			free(g->mbuf);
			g->mbuf = NULL;
			if (r != OV_OK)
				return r;
			break;
		case ST_END:
			for (take = 0; take < n && p[take] == 0; take++)
				;
			if (take < n)
				return ov_err_set(
				    err, OV_E_FORMAT,
				    "data after the end-of-archive marker (at byte %ju), which some tar readers read as more entries",
				    (uintmax_t)(g->off + take));
			g->trail += n;
			g->off += n;
			if (g->trail > OV_TARGUARD_MAX_TRAILER)
				return ov_err_set(
				    err, OV_E_LIMIT,
				    "more than %ju bytes after the end-of-archive marker",
				    (uintmax_t)OV_TARGUARD_MAX_TRAILER);
			n = 0;
			break;
		}
	}
	return OV_OK;
}

enum ov_code
ov_targuard_end(struct ov_targuard *g, struct ov_err *err)
{
	g->err = err;
	switch (g->st) {
	case ST_END:
		return OV_OK;
	case ST_ZERO:
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "truncated archive: the end-of-archive marker is a single zero block");
	case ST_HEADER:
		if (g->nblk == 0)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "truncated archive: no end-of-archive marker");
		/* FALLTHROUGH */
	default:
		return ov_err_set(err, OV_E_FORMAT,
				  "truncated archive: it ends inside %s",
				  g->st == ST_DATA ? "an entry's data"
						   : "a header");
	}
}
