/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovtar: writes tar archives header by header, for the tar dialect cases
 * no tar program writes (testdata/adversarial/gen.sh), and lists an
 * archive as ocivet's archive reader sees it (tests/tar-agreement.sh).
 *
 *   ovtar OUT.tar < SCRIPT
 *   ovtar --list ARCHIVE
 *
 * SCRIPT has one command per line; tokens are separated by blanks and
 * may use \xNN, \n and \\ escapes; '#' starts a comment line.
 *
 *   file NAME PATH [OPT...]      a regular file with PATH's content
 *   text NAME STRING [OPT...]    a regular file with STRING as content
 *   dir NAME [OPT...]            a directory
 *   symlink NAME TARGET [OPT...] a symbolic link
 *   layout DIR                   DIR's files and directories, sorted,
 *                                skipping names already written
 *   pax KEY=VALUE... [-- OPT...] a pax extended header ('x')
 *   long L|K NAME                a GNU long name or long link header
 *   zero N                       N zero blocks
 *   end                          the end-of-archive marker (2 blocks)
 *   bytes STRING                 STRING, as it is
 *
 * OPT: gnu (GNU magic "ustar  \0"), v7 (no magic), version=XX,
 * prefix=P, star (the star trailer "tar\0" at byte 508), type=C,
 * size=N (the size written in the header, whatever the data),
 * sizefield=RAW and atime=RAW (the 12 raw bytes of those fields),
 * link=TARGET.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "buf.h"

#define BLOCK 512
#define MAX_TOK 64

static FILE *out;
static char **written;
static size_t nwritten;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("ovtar: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Unescape in place; returns the length (the token may hold NULs). */
static size_t
unescape(char *s)
{
	char *o = s, *p = s;
	unsigned v;

	while (*p != '\0') {
		if (p[0] == '\\' && p[1] == 'x' && sscanf(p + 2, "%2x", &v) == 1) {
			*o++ = (char)v;
			p += 4;
		} else if (p[0] == '\\' && p[1] == 'n') {
			*o++ = '\n';
			p += 2;
		} else if (p[0] == '\\' && p[1] == '\\') {
			*o++ = '\\';
			p += 2;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return (size_t)(o - s);
}

struct hdr {
	const char *name;
	size_t name_len;
	char type;
	uint64_t size;
	int gnu, v7, star, size_set;
	const char *version, *prefix, *link;
	const char *sizefield, *atime;
	size_t sizefield_len, atime_len;
};

static void
options(struct hdr *h, char **tok, size_t ntok, size_t *lens)
{
	size_t i;

	for (i = 0; i < ntok; i++) {
		if (strcmp(tok[i], "gnu") == 0)
			h->gnu = 1;
		else if (strcmp(tok[i], "v7") == 0)
			h->v7 = 1;
		else if (strcmp(tok[i], "star") == 0)
			h->star = 1;
		else if (strncmp(tok[i], "version=", 8) == 0)
			h->version = tok[i] + 8;
		else if (strncmp(tok[i], "prefix=", 7) == 0)
			h->prefix = tok[i] + 7;
		else if (strncmp(tok[i], "link=", 5) == 0)
			h->link = tok[i] + 5;
		else if (strncmp(tok[i], "type=", 5) == 0)
			h->type = tok[i][5];
		else if (strncmp(tok[i], "size=", 5) == 0) {
			h->size = strtoull(tok[i] + 5, NULL, 10);
			h->size_set = 1;
		} else if (strncmp(tok[i], "sizefield=", 10) == 0) {
			h->sizefield = tok[i] + 10;
			h->sizefield_len = lens[i] - 10;
		} else if (strncmp(tok[i], "atime=", 6) == 0) {
			h->atime = tok[i] + 6;
			h->atime_len = lens[i] - 6;
		} else
			die("unknown option %s", tok[i]);
	}
}

static void
put_header(const struct hdr *h)
{
	unsigned char b[BLOCK];
	unsigned sum = 0;
	size_t i;

	memset(b, 0, sizeof(b));
	memcpy(b, h->name, h->name_len > 100 ? 100 : h->name_len);
	(void)snprintf((char *)b + 100, 8, "%07o", 0644);
	(void)snprintf((char *)b + 108, 8, "%07o", 0);
	(void)snprintf((char *)b + 116, 8, "%07o", 0);
	if (h->sizefield != NULL)
		memcpy(b + 124, h->sizefield,
		       h->sizefield_len > 12 ? 12 : h->sizefield_len);
	else
		(void)snprintf((char *)b + 124, 12, "%011llo",
			       (unsigned long long)h->size);
	(void)snprintf((char *)b + 136, 12, "%011o", 0);
	b[156] = (unsigned char)h->type;
	if (h->link != NULL)
		memcpy(b + 157, h->link,
		       strlen(h->link) > 100 ? 100 : strlen(h->link));
	if (h->gnu)
		memcpy(b + 257, "ustar  ", 8);
	else if (!h->v7) {
		memcpy(b + 257, "ustar", 6);
		memcpy(b + 263, h->version != NULL ? h->version : "00", 2);
	}
	if (!h->v7) {
		memcpy(b + 265, "root", 4);
		memcpy(b + 297, "root", 4);
	}
	if (h->prefix != NULL)
		memcpy(b + 345, h->prefix,
		       strlen(h->prefix) > 155 ? 155 : strlen(h->prefix));
	if (h->atime != NULL)
		memcpy(b + 345, h->atime, h->atime_len > 12 ? 12 : h->atime_len);
	if (h->star)
		memcpy(b + 508, "tar", 4);
	memset(b + 148, ' ', 8);
	for (i = 0; i < sizeof(b); i++)
		sum += b[i];
	(void)snprintf((char *)b + 148, 8, "%06o", sum);
	b[155] = ' ';
	fwrite(b, 1, sizeof(b), out);
}

static void
put_data(const void *p, size_t n)
{
	static const unsigned char zero[BLOCK];

	fwrite(p, 1, n, out);
	if (n % BLOCK != 0)
		fwrite(zero, 1, BLOCK - n % BLOCK, out);
}

static void
remember(const char *name)
{
	if ((written = realloc(written, (nwritten + 1) * sizeof(*written))) ==
		NULL ||
	    (written[nwritten] = strdup(name)) == NULL)
		die("out of memory");
	nwritten++;
}

static int
seen(const char *name)
{
	size_t i;

	for (i = 0; i < nwritten; i++)
		if (strcmp(written[i], name) == 0)
			return 1;
	return 0;
}

static void
entry(const char *name, size_t name_len, char type, const void *data,
      size_t n, char **opt, size_t nopt, size_t *lens)
{
	struct hdr h;

	memset(&h, 0, sizeof(h));
	h.name = name;
	h.name_len = name_len;
	h.type = type;
	h.size = n;
	options(&h, opt, nopt, lens);
	put_header(&h);
	if (n > 0)
		put_data(data, n);
	remember(name);
}

static void
file_entry(const char *name, const char *path, char **opt, size_t nopt,
	   size_t *lens)
{
	struct ov_buf b;
	struct ov_err e;

	ov_buf_init(&b, (size_t)1 << 28);
	if (ov_buf_read_file(&b, AT_FDCWD, path, &e) != OV_OK)
		die("%s", e.msg);
	entry(name, strlen(name), '0', b.data, b.len, opt, nopt, lens);
	ov_buf_free(&b);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DIR's files and directories under the name prefix rel ("" at the top) */
static void
layout(const char *dir, const char *rel)
{
	char path[8200], name[4096], **names = NULL;
	size_t n = 0, i;
	struct dirent *d;
	struct stat st;
	DIR *dp;

	(void)snprintf(path, sizeof(path), "%s%s%s", dir, rel[0] ? "/" : "",
		       rel);
	if ((dp = opendir(path)) == NULL)
		die("%s: cannot open", path);
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if ((names = realloc(names, (n + 1) * sizeof(*names))) ==
			NULL ||
		    (names[n++] = strdup(d->d_name)) == NULL)
			die("out of memory");
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		if (snprintf(name, sizeof(name), "%s%s%s", rel,
			     rel[0] ? "/" : "", names[i]) >= (int)sizeof(name) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, name) >=
			(int)sizeof(path))
			die("%s: name too long", names[i]);
		if (stat(path, &st) != 0)
			die("%s: cannot stat", path);
		if (S_ISDIR(st.st_mode)) {
			char dn[4100];

			(void)snprintf(dn, sizeof(dn), "%s/", name);
			if (!seen(dn))
				entry(dn, strlen(dn), '5', NULL, 0, NULL, 0,
				      NULL);
			layout(dir, name);
		} else if (!seen(name)) {
			file_entry(name, path, NULL, 0, NULL);
		}
		free(names[i]);
	}
	free(names);
}

/* pax KEY=VALUE... [-- OPT...] */
static void
pax(char **tok, size_t ntok, size_t *lens)
{
	char *data = NULL, rec[8192];
	size_t n = 0, i, len, d;
	struct hdr h;

	for (i = 0; i < ntok && strcmp(tok[i], "--") != 0; i++) {
		/* "LEN KEY=VALUE\n": LEN counts itself */
		for (len = lens[i] + 3, d = 1; len >= 10 * d; d *= 10)
			len++;
		(void)snprintf(rec, sizeof(rec), "%zu ", len);
		if (strlen(rec) + lens[i] + 1 != len || len >= sizeof(rec))
			die("pax record too long");
		memcpy(rec + strlen(rec), tok[i], lens[i]);
		rec[len - 1] = '\n';
		if ((data = realloc(data, n + len)) == NULL)
			die("out of memory");
		memcpy(data + n, rec, len);
		n += len;
	}
	memset(&h, 0, sizeof(h));
	h.name = "PaxHeaders/entry";
	h.name_len = strlen(h.name);
	h.type = 'x';
	h.size = n;
	if (i < ntok)
		options(&h, tok + i + 1, ntok - i - 1, lens + i + 1);
	put_header(&h);
	put_data(data, n);
	free(data);
}

static void
script(void)
{
	char line[65536], *tok[MAX_TOK], *p;
	size_t ntok, lens[MAX_TOK], i, n;
	static const unsigned char zero[BLOCK];
	long k;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		ntok = 0;
		p = line;
		while (ntok < MAX_TOK) {
			p += strspn(p, " \t\n");
			if (*p == '\0')
				break;
			tok[ntok++] = p;
			p += strcspn(p, " \t\n");
			if (*p != '\0')
				*p++ = '\0';
		}
		if (ntok == 0 || tok[0][0] == '#')
			continue;
		for (i = 1; i < ntok; i++)
			lens[i] = unescape(tok[i]);
		if (strcmp(tok[0], "file") == 0 && ntok >= 3)
			file_entry(tok[1], tok[2], tok + 3, ntok - 3, lens + 3);
		else if (strcmp(tok[0], "text") == 0 && ntok >= 3)
			entry(tok[1], lens[1], '0', tok[2], lens[2], tok + 3,
			      ntok - 3, lens + 3);
		else if (strcmp(tok[0], "dir") == 0 && ntok >= 2)
			entry(tok[1], lens[1], '5', NULL, 0, tok + 2, ntok - 2,
			      lens + 2);
		else if (strcmp(tok[0], "symlink") == 0 && ntok >= 3) {
			char lk[4200];

			(void)snprintf(lk, sizeof(lk), "link=%s", tok[2]);
			tok[2] = lk;
			lens[2] = strlen(lk);
			entry(tok[1], lens[1], '2', NULL, 0, tok + 2, ntok - 2,
			      lens + 2);
		} else if (strcmp(tok[0], "layout") == 0 && ntok == 2)
			layout(tok[1], "");
		else if (strcmp(tok[0], "pax") == 0)
			pax(tok + 1, ntok - 1, lens + 1);
		else if (strcmp(tok[0], "long") == 0 && ntok == 3) {
			struct hdr h;

			memset(&h, 0, sizeof(h));
			h.name = "././@LongLink";
			h.name_len = strlen(h.name);
			h.type = tok[1][0];
			h.size = lens[2] + 1;
			h.gnu = 1;
			put_header(&h);
			put_data(tok[2], lens[2] + 1);
		} else if (strcmp(tok[0], "zero") == 0 && ntok == 2) {
			for (k = strtol(tok[1], NULL, 10); k > 0; k--)
				fwrite(zero, 1, BLOCK, out);
		} else if (strcmp(tok[0], "end") == 0 && ntok == 1) {
			fwrite(zero, 1, BLOCK, out);
			fwrite(zero, 1, BLOCK, out);
		} else if (strcmp(tok[0], "bytes") == 0 && ntok == 2)
			fwrite(tok[1], 1, lens[1], out);
		else
			die("bad script line starting with %s", tok[0]);
	}
	n = 0;
	(void)n;
}

/* Regular files and symbolic links as ocivet's archive reader sees them:
 * "SIZE NAME" or "-> TARGET NAME", sorted by the caller. */
static int
list(const char *path)
{
	const struct ov_archive_entry *e;
	struct ov_archive *a = NULL;
	struct ov_err err;
	size_t i;

	if (ov_archive_read(path, NULL, &a, &err) != OV_OK) {
		fprintf(stderr, "ovtar: %s\n", err.msg);
		return 2;
	}
	for (i = 0; i < ov_archive_count(a); i++) {
		e = ov_archive_entry(a, i);
		if (e->link != NULL)
			printf("-> %s %s\n", e->link, e->name);
		else
			printf("%jd %s\n", (intmax_t)e->size, e->name);
	}
	ov_archive_free(a);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--list") == 0)
		return list(argv[2]);
	if (argc != 2 || argv[1][0] == '-')
		die("usage: ovtar OUT.tar < SCRIPT | ovtar --list ARCHIVE");
	if ((out = fopen(argv[1], "wb")) == NULL)
		die("%s: cannot create", argv[1]);
	script();
	if (fclose(out) != 0)
		die("%s: write error", argv[1]);
	return 0;
}
