/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the archive reader and the OCI layout source on top of
 * it: every format that must open, every safety rule with its message,
 * blob reads and checks through the source operations, deep digests,
 * limits, progress, and bounded memory on a 256 MiB archive. Fixtures in
 * testdata/archives (gen.sh); a few archives are written here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <zstd.h>

#include "archive.h"
#include "decomp.h"
#include "digest.h"
#include "harness.h"
#include "json.h"
#include "layout.h"
#include "manifest.h"
#include "ovlimits.h"
#include "source.h"

static char root[256];
static const char *self; /* argv[0], re-run for the memory test */

static const char *
arc(const char *name)
{
	static char p[1024];

	(void)snprintf(p, sizeof(p), "%s", testdata_path(name));
	return p;
}

static const char *
tmp(const char *name)
{
	static char p[512];

	(void)snprintf(p, sizeof(p), "%s/%s", root, name);
	return p;
}

/* ------------------------------------------------------------------ */
/* A minimal ustar writer for archives no fixture holds. */

static void
put_octal(char *f, size_t w, uint64_t v)
{
	char tmpb[32];

	(void)snprintf(tmpb, sizeof(tmpb), "%0*llo", (int)w - 1,
		       (unsigned long long)v);
	memcpy(f, tmpb, w - 1);
}

static void
tar_header(FILE *f, const char *name, uint64_t size, char type)
{
	unsigned char h[512];
	unsigned sum = 0;
	size_t i;

	memset(h, 0, sizeof(h));
	memcpy(h, name, strlen(name));
	put_octal((char *)h + 100, 8, 0644);
	put_octal((char *)h + 108, 8, 0);
	put_octal((char *)h + 116, 8, 0);
	put_octal((char *)h + 124, 12, size);
	put_octal((char *)h + 136, 12, 0);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (i = 0; i < sizeof(h); i++)
		sum += h[i];
	(void)snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	fwrite(h, 1, sizeof(h), f);
}

static void
tar_pad(FILE *f, uint64_t size)
{
	static const unsigned char zero[512];

	if (size % 512 != 0)
		fwrite(zero, 1, 512 - size % 512, f);
}

static void
tar_file(FILE *f, const char *name, const void *data, size_t n)
{
	tar_header(f, name, n, '0');
	fwrite(data, 1, n, f);
	tar_pad(f, n);
}

static void
tar_end(FILE *f)
{
	static const unsigned char zero[1024];

	fwrite(zero, 1, sizeof(zero), f);
}

/* ------------------------------------------------------------------ */

static enum ov_code
read_arc(const char *path, int deep, struct ov_archive **a, struct ov_err *e)
{
	struct ov_archive_opts o;

	memset(&o, 0, sizeof(o));
	o.deep = deep;
	return ov_archive_read(path, &o, a, e);
}

TEST(good_formats)
{
	static const struct {
		const char *file, *compression;
		size_t n;
	} cases[] = {
	    {"archives/layout.tar", "none", 10},
	    {"archives/layout.tar.gz", "gzip", 10},
	    {"archives/layout.tar.zst", "zstd", 10},
	    {"archives/jws.tar", "none", 0},
	    {"archives/jws.tar.gz", "gzip", 0},
	    {"archives/jws.tar.zst", "zstd", 0},
	    {"archives/docker-classic.tar", "none", 13},
	    {"archives/docker-oci.tar", "none", 8},
	};
	struct ov_archive *a = NULL;
	const struct ov_archive_entry *e;
	struct ov_err err;
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_OK(read_arc(arc(cases[i].file), 0, &a, &err), &err);
		ASSERT_STR_EQ(ov_archive_compression(a), cases[i].compression);
		/* 0: a copy of testdata/layouts/jws, whose blobs may change */
		if (cases[i].n != 0)
			ASSERT_INT_EQ(ov_archive_count(a), cases[i].n);
		ASSERT_STR_EQ(ov_archive_path(a), arc(cases[i].file));
		for (j = 0; j < ov_archive_count(a); j++) {
			e = ov_archive_entry(a, j);
			ASSERT(strncmp(e->name, "./", 2) != 0);
			ASSERT(e->name[strlen(e->name) - 1] != '/');
			if (e->has_named)
				ASSERT(ov_digest_equal(&e->named, &e->sha256));
		}
		ASSERT(ov_archive_entry(a, j) == NULL);
		ov_archive_free(a);
		a = NULL;
	}
}

TEST(kept_files)
{
	struct ov_archive *a = NULL;
	const struct ov_archive_entry *e;
	struct ov_err err;
	size_t i, json = 0;

	ASSERT_OK(read_arc(arc("archives/layout.tar"), 0, &a, &err), &err);
	/* any spelling finds the normalised name */
	ASSERT((e = ov_archive_find(a, "./index.json")) != NULL);
	ASSERT(e == ov_archive_find(a, "index.json"));
	ASSERT(e == ov_archive_find(a, ".//index.json"));
	ASSERT(ov_archive_find(a, "../index.json") == NULL);
	ASSERT(ov_archive_find(a, "blobs") ==
	       NULL); /* directories are not entries */
	ASSERT(e->data != NULL);
	ASSERT_INT_EQ(e->data[0], '{');
	ASSERT_INT_EQ(e->data[e->size], '\0');
	ASSERT((e = ov_archive_find(a, "oci-layout")) != NULL);
	ASSERT(e->data != NULL);
	/* JSON blobs (manifest, config, envelope, {}) kept; tars not */
	for (i = 0; i < ov_archive_count(a); i++) {
		e = ov_archive_entry(a, i);
		if (strncmp(e->name, "blobs/", 6) != 0)
			continue;
		if (e->data != NULL) {
			ASSERT_INT_EQ(e->data[0], '{');
			json++;
		}
		ASSERT(!e->over_limit);
		ASSERT(e->link == NULL);
		ASSERT(!e->has_decompressed);
	}
	ASSERT_INT_EQ(json, 5);
	ov_archive_free(a);
}

TEST(clean_name)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
	    {"a", "a"},
	    {"./a", "a"},
	    {"a//b/", "a/b"},
	    {"./a/./b/.", "a/b"},
	    {"blobs/sha256/", "blobs/sha256"},
	    {"./", ""},
	};
	static const char *const bad[] = {"",     "/a",   "a/../b", "..",
					  "./..", "a/..", "//a"};
	char *o = NULL, *longname;
	struct ov_err err;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ASSERT_OK(ov_archive_clean_name(ok[i].in, &o, &err), &err);
		ASSERT_STR_EQ(o, ok[i].out);
		free(o);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_CODE(ov_archive_clean_name(bad[i], &o, &err),
			    OV_E_FORMAT, &err);
		ASSERT(o == NULL);
	}
	longname = malloc(OV_ARCHIVE_MAX_NAME + 2);
	ASSERT(longname != NULL);
	memset(longname, 'a', OV_ARCHIVE_MAX_NAME + 1);
	longname[OV_ARCHIVE_MAX_NAME + 1] = '\0';
	ASSERT_CODE(ov_archive_clean_name(longname, &o, &err), OV_E_FORMAT,
		    &err);
	free(longname);
	ASSERT_STR_HAS(err.msg, "longer than 1024 bytes");
}

/* Every safety rule: the code and the message naming archive and entry. */
TEST(unsafe_archives)
{
	static const struct {
		const char *file;
		enum ov_code code;
		const char *msg;
	} cases[] = {
	    {"bad-absolute.tar", OV_E_FORMAT,
	     "bad-absolute.tar: entry name /index.json is absolute"},
	    {"bad-dotdot.tar", OV_E_FORMAT,
	     "bad-dotdot.tar: entry name blobs/../index.json has a \"..\" component"},
	    {"bad-duplicate.tar", OV_E_FORMAT,
	     "bad-duplicate.tar: entry index.json: duplicate name (a second entry may not replace the first)"},
	    {"bad-duplicate-dot.tar", OV_E_FORMAT,
	     "bad-duplicate-dot.tar: entry index.json: duplicate name"},
	    {"bad-hardlink.tar", OV_E_FORMAT,
	     "bad-hardlink.tar: entry index2.json: hard link to index.json is not allowed"},
	    {"bad-fifo.tar", OV_E_FORMAT,
	     "bad-fifo.tar: entry index.json: a FIFO, which is not allowed"},
	    {"bad-device.tar", OV_E_FORMAT,
	     "bad-device.tar: entry null: a character device, which is not allowed"},
	    {"bad-symlink.tar", OV_E_FORMAT,
	     "bad-symlink.tar: entry blobs/sha256/a72fdde4d2bcc0f363c5c969d4e93e99efcc875e11dc442abe1d5fa13cec8306: symbolic link to 82b163d3062017b9c907041577cc2c7ad4a00cd29dfd180cdf64a2ef3e5e540e is not allowed"},
	    {"bad-docker-link.tar", OV_E_FORMAT,
	     "/layer.tar: symbolic link to ../../f0e523ca373706ab471aa9b750029185373152b12e577a39aa8c2b1913c89bf9/layer.tar is not allowed (only docker save's <id>/layer.tar may link, to a layer file of the archive): the target leaves the archive root"},
	    {"bad-docker-dangling.tar", OV_E_FORMAT,
	     "/layer.tar: symbolic link target 0000/layer.tar is not in the archive"},
	    {"bad-size-more.tar", OV_E_FORMAT,
	     "bad-size-more.tar: entry a: truncated tar archive"},
	    {"bad-size-less.tar", OV_E_FORMAT,
	     "bad-size-less.tar: after entry a: damaged tar archive"},
	    {"bad-truncated.tar", OV_E_FORMAT,
	     "bad-truncated.tar: entry a: truncated tar archive"},
	    {"bad-no-end.tar", OV_E_FORMAT,
	     "bad-no-end.tar: truncated archive: it ends after entry b, without the end-of-archive marker"},
	    {"bad-truncated.tar.gz", OV_E_FORMAT, "truncated gzip input"},
	    {"bad-sparse.tar", OV_E_FORMAT,
	     "bad-sparse.tar: entry blob: GNU sparse file (type 'S'): sparse files are not supported"},
	    {"bad.zip", OV_E_UNSUPPORTED,
	     "bad.zip: unknown archive format (not a tar archive, plain or compressed)"},
	    {"bad-notar.gz", OV_E_UNSUPPORTED, "unknown archive format"},
	    {"bad-raw.bin", OV_E_UNSUPPORTED, "unknown archive format"},
	    {"bad-nested.tar.gz.gz", OV_E_UNSUPPORTED,
	     "bad-nested.tar.gz.gz: nested compression (gzip over gzip) is not supported"},
	    {"bomb.tar.gz", OV_E_LIMIT,
	     "bomb.tar.gz: entry zeros: the archive expands more than 200 times"},
	    {"bomb.tar.zst", OV_E_LIMIT,
	     "bomb.tar.zst: entry zeros: the archive expands more than 200 times"},
	};
	struct ov_archive *a = NULL;
	struct ov_err err;
	char rel[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		(void)snprintf(rel, sizeof(rel), "archives/%s", cases[i].file);
		ASSERT_CODE(read_arc(arc(rel), 0, &a, &err), cases[i].code,
			    &err);
		ASSERT(a == NULL);
		ASSERT_STR_HAS(err.msg, cases[i].msg);
		ASSERT(strchr(err.msg, '\n') == NULL);
	}
}

TEST(not_a_file)
{
	struct ov_archive *a = NULL;
	struct ov_err err;

	ASSERT_CODE(read_arc(tmp("nonexistent.tar"), 0, &a, &err),
		    OV_E_NOTFOUND, &err);
	ASSERT_CODE(read_arc(root, 0, &a, &err), OV_E_IO, &err);
	ASSERT_STR_HAS(err.msg, "not a regular file");
	/* a FIFO must not block the reader */
	ASSERT(mkfifo(tmp("fifo"), 0600) == 0);
	ASSERT_CODE(read_arc(tmp("fifo"), 0, &a, &err), OV_E_IO, &err);
	ASSERT_STR_HAS(err.msg, "fifo: not a regular file");
	unlink(tmp("fifo"));
	/* empty file */
	fclose(fopen(tmp("empty"), "w"));
	ASSERT_CODE(read_arc(tmp("empty"), 0, &a, &err), OV_E_UNSUPPORTED,
		    &err);
	unlink(tmp("empty"));
}

/* Archives written here: oddities no fixture tool produces. */
TEST(written_archives)
{
	struct ov_archive *a = NULL;
	const struct ov_archive_entry *e;
	struct ov_source *src = NULL;
	struct ov_digest d;
	struct ov_err err;
	struct ov_buf b;
	char name[256];
	FILE *f;
	size_t i;

	/* a directory entry with data */
	f = fopen(tmp("dirdata.tar"), "wb");
	memset(name, 'x', sizeof(name));
	tar_header(f, "blobs/", 256, '5');
	fwrite(name, 1, 256, f);
	tar_pad(f, 256);
	tar_end(f);
	fclose(f);
	ASSERT_CODE(read_arc(tmp("dirdata.tar"), 0, &a, &err), OV_E_FORMAT,
		    &err);
	/* libarchive reads no data for a directory: the data is no header */
	ASSERT_STR_HAS(err.msg,
		       "dirdata.tar: entry blobs/: a non-regular entry with 256 bytes of data");

	/* a directory and a file of the same name */
	f = fopen(tmp("dirfile.tar"), "wb");
	tar_header(f, "blobs/", 0, '5');
	tar_file(f, "blobs", "x", 1);
	tar_end(f);
	fclose(f);
	ASSERT_CODE(read_arc(tmp("dirfile.tar"), 0, &a, &err), OV_E_FORMAT,
		    &err);
	ASSERT_STR_HAS(err.msg, "entry blobs: duplicate name");

	/* more entries than OV_ARCHIVE_MAX_ENTRIES */
	f = fopen(tmp("many.tar"), "wb");
	for (i = 0; i <= OV_ARCHIVE_MAX_ENTRIES; i++) {
		(void)snprintf(name, sizeof(name), "f%zu", i);
		tar_header(f, name, 0, '0');
	}
	tar_end(f);
	fclose(f);
	ASSERT_CODE(read_arc(tmp("many.tar"), 0, &a, &err), OV_E_LIMIT, &err);
	ASSERT_STR_HAS(err.msg, "entry f16384: more than 16384 entries");
	unlink(tmp("many.tar"));

	/* control characters in a name never reach a message */
	f = fopen(tmp("ctl.tar"), "wb");
	tar_header(f, "a\nb", 0, '6');
	tar_end(f);
	fclose(f);
	ASSERT_CODE(read_arc(tmp("ctl.tar"), 0, &a, &err), OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg, "entry a?b: the name is not valid UTF-8");

	/* a non-ASCII name in a pax header (libarchive warns in C locale) */
	f = fopen(tmp("utf8.tar"), "wb");
	tar_header(f, "PaxHeader", 18, 'x');
	fwrite("18 path=caf\xc3\xa9.txt\n", 1, 18, f);
	tar_pad(f, 18);
	tar_file(f, "ignored", "x", 1);
	tar_end(f);
	fclose(f);
	ASSERT_OK(read_arc(tmp("utf8.tar"), 0, &a, &err), &err);
	ASSERT(ov_archive_find(a, "caf\xc3\xa9.txt") != NULL);
	ov_archive_free(a);
	a = NULL;

	/* other libarchive warnings fail the archive */
	f = fopen(tmp("badpax.tar"), "wb");
	tar_header(f, "PaxHeader", 18, 'x');
	fwrite("20 path=caf\xc3\xa9.txt\n", 1, 18, f);
	tar_pad(f, 18);
	tar_file(f, "ignored", "x", 1);
	tar_end(f);
	fclose(f);
	ASSERT_CODE(read_arc(tmp("badpax.tar"), 0, &a, &err), OV_E_FORMAT,
		    &err);
	ASSERT_STR_HAS(err.msg, "malformed pax record at offset 0");

	/* nothing but the end marker; an empty root file is kept */
	f = fopen(tmp("empty.tar"), "wb");
	tar_end(f);
	fclose(f);
	ASSERT_OK(read_arc(tmp("empty.tar"), 0, &a, &err), &err);
	ASSERT_INT_EQ(ov_archive_count(a), 0);
	ASSERT_CODE(ov_archive_source(a, &src, &err), OV_E_FORMAT, &err);
	f = fopen(tmp("zero.tar"), "wb");
	tar_file(f, "repositories", "", 0);
	tar_end(f);
	fclose(f);
	ASSERT_OK(read_arc(tmp("zero.tar"), 0, &a, &err), &err);
	ASSERT((e = ov_archive_find(a, "repositories")) != NULL);
	ASSERT(e->data != NULL);
	ASSERT_INT_EQ(e->size, 0);
	ov_archive_free(a);
	a = NULL;

	/* a sha512 blob: its name needs a pax header */
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA512, "{}", 2, &d, &err), &err);
	(void)snprintf(name, sizeof(name), "blobs/sha512/%s",
		       ov_digest_hex(&d));
	f = fopen(tmp("sha512.tar"), "wb");
	tar_file(f, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	{
		char rec[300];
		int len = (int)strlen(name) + 10, n;

		n = snprintf(rec, sizeof(rec), "%d path=%s\n", len, name);
		ASSERT_INT_EQ(n, len);
		tar_file(f, "PaxHeader", rec, (size_t)n);
		/* turn the last header into a pax one: rewrite its type */
		fseek(f, -(long)(512 + 512), SEEK_CUR);
		tar_header(f, "PaxHeader", (uint64_t)n, 'x');
		fseek(f, 0, SEEK_END);
	}
	tar_file(f, "ignored", "{}", 2);
	tar_end(f);
	fclose(f);
	ASSERT_OK(read_arc(tmp("sha512.tar"), 0, &a, &err), &err);
	(void)snprintf(name, sizeof(name), "blobs/sha512/%s",
		       ov_digest_hex(&d));
	ASSERT((e = ov_archive_find(a, name)) != NULL);
	ASSERT(e->has_named);
	ASSERT(ov_digest_equal(&e->named, &d));
	ASSERT_OK(ov_archive_source(a, &src, &err), &err);
	ASSERT_OK(src->ops->check_blob(src, &d, 2, &err), &err);
	ov_buf_init(&b, 1024);
	ASSERT_OK(src->ops->read_blob(src, &d, 2, &b, &err), &err);
	ASSERT_INT_EQ(b.len, 2);
	ov_buf_free(&b);
	ov_source_close(src);
}

/* The OCI layout source: files, blobs, checks, and the layout graph. */
TEST(source_ops)
{
	struct ov_source *src = NULL;
	struct ov_manifest *m = NULL;
	struct ov_layout *l = NULL;
	struct ov_target *imgs = NULL;
	struct ov_sigref *sigs = NULL;
	struct ov_digest md, bogus;
	struct ov_buf b, dg;
	struct ov_err err;
	size_t n = 0, nsig = 0, i;

	ov_buf_init(&dg, 256);
	read_file_or_die(arc("archives/layout.digest"), &dg);
	while (dg.len > 0 && dg.data[dg.len - 1] == '\n')
		dg.data[--dg.len] = '\0';
	ASSERT_OK(ov_digest_parse((char *)dg.data, &md, &err), &err);
	ov_buf_free(&dg);

	ASSERT_OK(ov_archive_open_source(arc("archives/layout.tar.gz"), NULL,
					 &src, &err),
		  &err);
	ASSERT_STR_EQ(src->ops->kind, "oci-archive");
	ASSERT(ov_archive_of_source(src) != NULL);
	ASSERT_STR_EQ(src->path, arc("archives/layout.tar.gz"));

	ov_buf_init(&b, OV_MAX_INDEX_JSON);
	ASSERT_OK(src->ops->read_file(src, "oci-layout", &b, &err), &err);
	ASSERT_STR_EQ((char *)b.data, "{\"imageLayoutVersion\":\"1.0.0\"}");
	ov_buf_free(&b);
	ASSERT_CODE(src->ops->read_file(src, "repositories", &b, &err),
		    OV_E_NOTFOUND, &err);
	ASSERT_STR_HAS(err.msg, "repositories: not found in archive");
	ov_buf_init(&b, 10);
	ASSERT_CODE(src->ops->read_file(src, "index.json", &b, &err),
		    OV_E_LIMIT, &err);
	ov_buf_free(&b);

	/* the manifest: read (kept), then check its config and layers */
	ov_buf_init(&b, OV_MAX_MANIFEST);
	ASSERT_OK(src->ops->read_blob(src, &md, 705, &b, &err), &err);
	ASSERT_OK(ov_manifest_parse(b.data, b.len, OV_MT_OCI_MANIFEST, "m", &m,
				    &err),
		  &err);
	ov_buf_free(&b);
	ASSERT_INT_EQ(m->nchildren, 3);
	ASSERT_OK(src->ops->check_blob(src, &m->config.digest, m->config.size,
				       &err),
		  &err);
	for (i = 0; i < m->nchildren; i++)
		ASSERT_OK(src->ops->check_blob(src, &m->children[i].digest,
					       m->children[i].size, &err),
			  &err);
	/* a layer is checked, never kept */
	ov_buf_init(&b, OV_MAX_MANIFEST);
	ASSERT_CODE(src->ops->read_blob(src, &m->children[0].digest,
					m->children[0].size, &b, &err),
		    OV_E_LIMIT, &err);
	ASSERT_STR_HAS(err.msg, "not kept in memory while reading archive");
	ASSERT_STR_HAS(err.msg, "(only JSON and COSE documents are)");
	/* wrong size, missing blob, buffer too small */
	ASSERT_CODE(src->ops->check_blob(src, &m->children[0].digest, 1, &err),
		    OV_E_DIGEST, &err);
	ASSERT_STR_HAS(err.msg,
		       "size 2560 does not match the descriptor size 1");
	ASSERT_OK(
	    ov_digest_parse(
		"sha256:0000000000000000000000000000000000000000000000000000000000000000",
		&bogus, &err),
	    &err);
	ASSERT_CODE(src->ops->check_blob(src, &bogus, 1, &err), OV_E_NOTFOUND,
		    &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "blob sha256:0000000000000000000000000000000000000000000000000000000000000000 is missing from archive ");
	ASSERT_STR_HAS(
	    err.msg,
	    "(expected blobs/sha256/0000000000000000000000000000000000000000000000000000000000000000)");
	ASSERT_CODE(src->ops->read_blob(src, &bogus, 1, &b, &err),
		    OV_E_NOTFOUND, &err);
	ov_buf_free(&b);
	ov_buf_init(&b, 100);
	ASSERT_CODE(src->ops->read_blob(src, &md, 705, &b, &err), OV_E_LIMIT,
		    &err);
	ov_buf_free(&b);
	ov_manifest_free(m);
	m = NULL;

	/* the layout graph over the archive, as for a directory */
	ASSERT_OK(ov_layout_open(src, &l, &err), &err);
	ASSERT_OK(ov_layout_images(l, &imgs, &n, &err), &err);
	ASSERT_INT_EQ(n, 1);
	ASSERT(ov_digest_equal(&imgs[0].desc.digest, &md));
	ASSERT_STR_EQ(imgs[0].tag, "v1");
	ASSERT_OK(ov_layout_check_tree(l, &imgs[0].desc, &err), &err);
	ASSERT_OK(ov_layout_signatures(l, &imgs[0].desc, 0, &sigs, &nsig, NULL, &err),
		  &err);
	ASSERT_INT_EQ(nsig, 1);
	ASSERT(sigs[0].m != NULL);
	ov_sigrefs_free(sigs, nsig);
	ov_targets_free(imgs, n);
	ov_layout_free(l);
	ov_source_close(src);
}

TEST(tampered_layer)
{
	struct ov_source *src = NULL;
	struct ov_layout *l = NULL;
	struct ov_target *imgs = NULL;
	struct ov_err err;
	size_t n = 0;

	ASSERT_OK(ov_archive_open_source(arc("archives/layout-tampered.tar.gz"),
					 NULL, &src, &err),
		  &err);
	ASSERT_OK(ov_layout_open(src, &l, &err), &err);
	ASSERT_OK(ov_layout_images(l, &imgs, &n, &err), &err);
	ASSERT_INT_EQ(n, 1);
	ASSERT_CODE(ov_layout_check_tree(l, &imgs[0].desc, &err), OV_E_DIGEST,
		    &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "blob sha256:82b163d3062017b9c907041577cc2c7ad4a00cd29dfd180cdf64a2ef3e5e540e: content does not match its digest (it hashes to sha256:");
	ov_targets_free(imgs, n);
	ov_layout_free(l);
	ov_source_close(src);
}

TEST(not_a_layout)
{
	struct ov_source *src = NULL;
	struct ov_archive *a = NULL;
	struct ov_err err;

	ASSERT_CODE(ov_archive_open_source(arc("archives/docker-classic.tar"),
					   NULL, &src, &err),
		    OV_E_FORMAT, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "docker-classic.tar: no OCI image layout in the archive (no oci-layout file at its root, nor in a top-level directory that holds every file)");
	ASSERT(src == NULL);
	ASSERT_CODE(ov_archive_open_source(arc("archives/bad.zip"), NULL, &src,
					   &err),
		    OV_E_UNSUPPORTED, &err);
	/* docker 25+ archives are layouts too */
	ASSERT_OK(read_arc(arc("archives/docker-oci.tar"), 0, &a, &err), &err);
	ASSERT_OK(ov_archive_source(a, &src, &err), &err);
	ASSERT(ov_archive_of_source(src) == a);
	ov_source_close(src);
}

/* The config's diff_ids, from the kept config blob of the layout. */
static int
diff_ids(const struct ov_archive *a, struct ov_digest *ids, size_t max)
{
	const struct ov_archive_entry *e;
	const cJSON *rootfs, *arr, *v;
	struct ov_err err;
	cJSON *j = NULL;
	size_t i, n = 0;

	for (i = 0; i < ov_archive_count(a); i++) {
		e = ov_archive_entry(a, i);
		if (e->data == NULL ||
		    strstr((char *)e->data, "diff_ids") == NULL)
			continue;
		if (ov_json_parse(e->data, (size_t)e->size, "config", &j,
				  &err) != OV_OK)
			return -1;
		rootfs = ov_json_get(j, "rootfs");
		arr = ov_json_get(rootfs, "diff_ids");
		cJSON_ArrayForEach(v, arr)
		{
			if (n < max && ov_digest_parse(v->valuestring, &ids[n],
						       &err) == OV_OK)
				n++;
		}
		cJSON_Delete(j);
		return (int)n;
	}
	return -1;
}

/*
 * A layout archived with its top directory (`tar cf images.tar images/`):
 * read below that directory, when it holds every file and oci-layout.
 */
static enum ov_code
top_source(const char *extra, struct ov_source **src, struct ov_err *err)
{
	static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
	static const char blob[] = "{\"a\":1}";
	struct ov_archive *a = NULL;
	enum ov_code r;
	FILE *f;

	*src = NULL;
	if ((f = fopen(tmp("top.tar"), "wb")) == NULL)
		return OV_E_IO;
	tar_header(f, "images/", 0, '5');
	tar_file(f, "images/oci-layout", layout, sizeof(layout) - 1);
	tar_file(f, "images/index.json", "{}", 2);
	/* sha256 of blob[] */
	tar_file(
	    f,
	    "images/blobs/sha256/"
	    "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
	    blob, sizeof(blob) - 1);
	if (extra != NULL)
		tar_file(f, extra, "{}", 2);
	tar_end(f);
	fclose(f);
	if ((r = read_arc(tmp("top.tar"), 0, &a, err)) != OV_OK)
		return r;
	return ov_archive_source(a, src, err);
}

TEST(top_directory)
{
	struct ov_source *src = NULL;
	struct ov_digest d;
	struct ov_buf b;
	struct ov_err err;

	ASSERT_OK(top_source(NULL, &src, &err), &err);
	ov_buf_init(&b, 1024);
	ASSERT_OK(src->ops->read_file(src, "index.json", &b, &err), &err);
	ASSERT_INT_EQ(b.len, 2);
	ov_buf_free(&b);
	ASSERT_OK(
	    ov_digest_parse(
		"sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862",
		&d, &err),
	    &err);
	ov_buf_init(&b, 1024);
	ASSERT_OK(src->ops->read_blob(src, &d, 7, &b, &err), &err);
	ASSERT_INT_EQ(b.len, 7);
	ov_buf_free(&b);
	ov_source_close(src);
	/* anything else at the root, or a second top directory: no layout */
	ASSERT_CODE(top_source("x.json", &src, &err), OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg, "no OCI image layout in the archive");
	ASSERT_CODE(top_source("other/x.json", &src, &err), OV_E_FORMAT, &err);
	/* a docker save there: docker load would not read its manifest.json */
	ASSERT_CODE(top_source("images/manifest.json", &src, &err), OV_E_FORMAT,
		    &err);
	ASSERT_STR_HAS(err.msg, "under a top-level directory");
	ASSERT(src == NULL);
}

TEST(deep_digests)
{
	static const char *const files[] = {"archives/layout.tar",
					    "archives/layout.tar.gz",
					    "archives/layout.tar.zst"};
	struct ov_archive *a = NULL;
	const struct ov_archive_entry *e;
	struct ov_digest ids[3];
	struct ov_err err;
	size_t i, j, gz = 0, zs = 0;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ASSERT_OK(read_arc(arc(files[i]), 1, &a, &err), &err);
		ASSERT_INT_EQ(diff_ids(a, ids, 3), 3);
		for (j = 0; j < ov_archive_count(a); j++) {
			e = ov_archive_entry(a, j);
			if (ov_digest_equal(&e->sha256, &ids[0]))
				ASSERT(!e->has_decompressed); /* plain tar */
			if (!e->has_decompressed)
				continue;
			if (ov_digest_equal(&e->decompressed, &ids[1]))
				gz++;
			else if (ov_digest_equal(&e->decompressed, &ids[2]))
				zs++;
			else
				FAIL("%s: unexpected decompressed digest %s",
				     e->name, e->decompressed.str);
		}
		ov_archive_free(a);
		a = NULL;
	}
	ASSERT_INT_EQ(gz, 3);
	ASSERT_INT_EQ(zs, 3);

	/* without deep: no decompressed digests */
	ASSERT_OK(read_arc(arc("archives/layout.tar"), 0, &a, &err), &err);
	for (j = 0; j < ov_archive_count(a); j++)
		ASSERT(!ov_archive_entry(a, j)->has_decompressed);
	ov_archive_free(a);
}

/* ov_decomp_check_fd on a pipe, which can be read once only. */
static enum ov_code
check_pipe(const void *data, size_t len, const struct ov_digest *d,
    enum ov_compression expect, struct ov_digest *content,
    enum ov_code *ccode, struct ov_err *cerr, struct ov_err *err)
{
	int fds[2];
	enum ov_code r;

	if (pipe(fds) != 0)
		return ov_err_set(err, OV_E_IO, "pipe failed");
	if (write(fds[1], data, len) != (ssize_t)len) {
		close(fds[0]);
		close(fds[1]);
		return ov_err_set(err, OV_E_IO, "write failed");
	}
	close(fds[1]);
	r = ov_decomp_check_fd(fds[0], d, (int64_t)len, expect, 1 << 20,
	    "layer", content, ccode, cerr, NULL, err);
	close(fds[0]);
	return r;
}

TEST(decomp_one_pass)
{
	static const char text[] = "the layer's tar, compressed or not\n";
	static const unsigned char bad[] = {0x28, 0xb5, 0x2f, 0xfd,
					    0x00, 0x58, 0x01, 0x02};
	unsigned char z[256];
	struct ov_digest d, want, content;
	struct ov_err err, cerr;
	enum ov_code cc;
	size_t n;

	/* --deep: the blob digest and its content digest in one read */
	n = ZSTD_compress(z, sizeof(z), text, sizeof(text) - 1, 3);
	ASSERT(!ZSTD_isError(n));
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, z, n, &d, &err), &err);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, text, sizeof(text) - 1,
		      &want, &err),
	    &err);
	ASSERT_OK(check_pipe(z, n, &d, OV_COMP_ZSTD, &content, &cc, &cerr,
		      &err),
	    &err);
	ASSERT_INT_EQ(cc, OV_OK);
	ASSERT(ov_digest_equal(&content, &want));

	/* uncompressed: its digest is its content digest */
	ASSERT_OK(check_pipe(text, sizeof(text) - 1, &want, OV_COMP_NONE,
		      &content, &cc, &cerr, &err),
	    &err);
	ASSERT_INT_EQ(cc, OV_OK);
	ASSERT(ov_digest_equal(&content, &want));

	/* what the media type says is checked, after the blob digest */
	ASSERT_OK(check_pipe(text, sizeof(text) - 1, &want, OV_COMP_GZIP,
		      &content, &cc, &cerr, &err),
	    &err);
	ASSERT_INT_EQ(cc, OV_E_FORMAT);
	ASSERT_STR_HAS(cerr.msg,
	    "layer: its media type says gzip, but the content is uncompressed");

	/* a bad blob is a digest error, whatever its content */
	ASSERT_CODE(check_pipe(z, n, &want, OV_COMP_ZSTD, &content, &cc,
			&cerr, &err),
	    OV_E_DIGEST, &err);
	ASSERT_STR_HAS(err.msg, "content does not match its digest");

	/* corrupt data: the blob checks, its content does not */
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, bad, sizeof(bad), &d, &err),
	    &err);
	ASSERT_OK(check_pipe(bad, sizeof(bad), &d, OV_COMP_ZSTD, &content, &cc,
		      &cerr, &err),
	    &err);
	ASSERT_INT_EQ(cc, OV_E_FORMAT);
	ASSERT_STR_HAS(cerr.msg, "layer: ");
}

TEST(deep_bomb)
{
	struct ov_archive *a = NULL;
	struct ov_err err;

	/* checked only when decompressing */
	ASSERT_OK(read_arc(arc("archives/deep-bomb.tar"), 0, &a, &err), &err);
	ov_archive_free(a);
	a = NULL;
	ASSERT_CODE(read_arc(arc("archives/deep-bomb.tar"), 1, &a, &err),
		    OV_E_LIMIT, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "deep-bomb.tar: entry blobs/sha256/1ca7fae83eb6cf2b71e57439d5daa52a92fe2d6eead913dd6890c2c19fe2e9dc: deep: decompresses more than 200 times");
}

TEST(deep_corrupt)
{
	static const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00,
					   0x00, 0x00, 0x00, 0x00, 0x03,
					   0xff, 0xff, 0xff, 0xff};
	static const unsigned char zs[] = {0x28, 0xb5, 0x2f, 0xfd,
					   0x00, 0x58, 0x01, 0x02};
	struct ov_archive *a = NULL;
	struct ov_err err;
	FILE *f;

	f = fopen(tmp("gz.tar"), "wb");
	tar_file(f, "blobs/sha256/x", gz, sizeof(gz));
	tar_end(f);
	fclose(f);
	ASSERT_OK(read_arc(tmp("gz.tar"), 0, &a, &err), &err);
	ov_archive_free(a);
	a = NULL;
	/* corrupt gzip is the entry's, refused only if it is a layer */
	ASSERT_OK(read_arc(tmp("gz.tar"), 1, &a, &err), &err);
	ASSERT(ov_archive_find(a, "blobs/sha256/x") != NULL);
	ASSERT(!ov_archive_find(a, "blobs/sha256/x")->has_decompressed);
	ASSERT_STR_HAS(ov_archive_find(a, "blobs/sha256/x")->deep_err,
	    "gzip member 1: corrupt deflate data");
	ov_archive_free(a);
	a = NULL;

	f = fopen(tmp("zs.tar"), "wb");
	tar_file(f, "blobs/sha256/y", zs, sizeof(zs));
	tar_end(f);
	fclose(f);
	ASSERT_CODE(read_arc(tmp("zs.tar"), 1, &a, &err), OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg, "zs.tar: entry blobs/sha256/y: deep: ");
}

TEST(limits)
{
	struct ov_archive_opts o;
	struct ov_archive *a = NULL;
	struct ov_source *src = NULL;
	struct ov_err err;
	struct ov_buf b;
	struct ov_digest md;

	/* raising the ratio lets the 64 MiB bomb through ... */
	memset(&o, 0, sizeof(o));
	o.max_ratio = 1000000;
	ASSERT_OK(ov_archive_read(arc("archives/bomb.tar.gz"), &o, &a, &err),
		  &err);
	ASSERT_INT_EQ(ov_archive_find(a, "zeros")->size, 64 << 20);
	ov_archive_free(a);
	a = NULL;
	/* ... but not past max_bytes */
	o.max_bytes = 1 << 20;
	ASSERT_CODE(ov_archive_read(arc("archives/bomb.tar.zst"), &o, &a, &err),
		    OV_E_LIMIT, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "bomb.tar.zst: entry zeros: the archive holds more than 1048576 bytes of data (the limit)");

	/* a kept-bytes budget too small for the manifest */
	memset(&o, 0, sizeof(o));
	o.max_kept = 100;
	ASSERT_OK(ov_archive_open_source(arc("archives/layout.tar"), &o, &src,
					 &err),
		  &err);
	ov_buf_init(&b, 256);
	read_file_or_die(arc("archives/layout.digest"), &b);
	b.data[71] = '\0';
	ASSERT_OK(ov_digest_parse((char *)b.data, &md, &err), &err);
	ov_buf_free(&b);
	/* over the budget, still checked */
	ASSERT_OK(src->ops->check_blob(src, &md, 705, &err), &err);
	ov_buf_init(&b, OV_MAX_MANIFEST);
	ASSERT_CODE(src->ops->read_blob(src, &md, 705, &b, &err), OV_E_LIMIT,
		    &err);
	ASSERT_STR_HAS(err.msg,
		       ": 705 bytes, not kept in memory while reading archive");
	ov_buf_free(&b);
	ASSERT(
	    ov_archive_find(
		ov_archive_of_source(src),
		"blobs/sha256/76d27046218e1f457ba66187582685d39f991c57ab0e723a18ff5382a9f1074a")
		->over_limit);
	/* small files still fit */
	ov_buf_init(&b, 256);
	ASSERT_OK(src->ops->read_file(src, "oci-layout", &b, &err), &err);
	ov_buf_free(&b);
	ov_source_close(src);
}

struct progress {
	int calls;
	uint64_t last, total;
	int backwards;
};

static void
on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;

	if (done < p->last)
		p->backwards = 1;
	p->calls++;
	p->last = done;
	p->total = total;
}

TEST(progress)
{
	struct ov_archive_opts o;
	struct ov_archive *a = NULL;
	struct progress p;
	struct ov_err err;
	struct stat st;

	memset(&o, 0, sizeof(o));
	memset(&p, 0, sizeof(p));
	o.progress = on_progress;
	o.progress_ctx = &p;
	ASSERT_OK(ov_archive_read(arc("archives/layout.tar.zst"), &o, &a, &err),
		  &err);
	ov_archive_free(a);
	ASSERT(stat(arc("archives/layout.tar.zst"), &st) == 0);
	ASSERT(p.calls >= 2); /* the first read, and the end */
	ASSERT(!p.backwards);
	ASSERT_INT_EQ(p.last, st.st_size);
	ASSERT_INT_EQ(p.total, st.st_size);
}

/* ------------------------------------------------------------------ */
/* Bounded memory: 256 MiB of data, half of it a zstd layer, with deep. */

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
fill(unsigned char *p, size_t n, uint64_t *seed)
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t v = xorshift(seed);
		memcpy(p + i, &v, 8);
	}
}

/*
 * The child side: "--big PATH PLAIN RAW" reads PATH with deep on and
 * checks both digests; "--baseline" only starts. A fresh process, so its
 * peak RSS is the reader's and not the test's.
 */
static int
big_child(int argc, char **argv)
{
	struct ov_archive_opts o;
	struct ov_archive *a = NULL;
	const struct ov_archive_entry *e, *z;
	struct progress p;
	struct ov_err err;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--baseline") == 0)
		return 0;
	if (argc != 5 || strcmp(argv[1], "--big") != 0)
		return 2;
	memset(&o, 0, sizeof(o));
	memset(&p, 0, sizeof(p));
	o.deep = 1;
	o.progress = on_progress;
	o.progress_ctx = &p;
	if (ov_archive_read(argv[2], &o, &a, &err) != OV_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 3;
	}
	e = ov_archive_find(a, "blobs/sha256/plain");
	z = ov_archive_find(a, "blobs/sha256/zstd");
	rc = 4;
	if (e == NULL || z == NULL)
		fprintf(stderr, "big: an entry is missing\n");
	else if (strcmp(e->sha256.str, argv[3]) != 0)
		fprintf(stderr, "big: plain: %s, want %s\n", e->sha256.str,
			argv[3]);
	else if (!z->has_decompressed ||
		 strcmp(z->decompressed.str, argv[4]) != 0)
		fprintf(stderr, "big: zstd content: %s, want %s\n",
			z->has_decompressed ? z->decompressed.str : "none",
			argv[4]);
	else if (p.backwards)
		fprintf(stderr, "big: progress went backwards\n");
	else if (p.calls < 2 ||
		 (uint64_t)p.calls < p.total / OV_ARCHIVE_PROGRESS_STEP)
		fprintf(stderr, "big: %d progress reports for %ju bytes\n",
			p.calls, (uintmax_t)p.total);
	else
		rc = 0;
	ov_archive_free(a);
	return rc;
}

/* Run this program as a child; its peak RSS in KiB, -1 on failure. */
static long
child_rss(char *const *args)
{
	struct rusage ru;
	pid_t pid;
	int status;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		execv(self, args);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "child %s: status %d\n", args[1], status);
		return -1;
	}
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
		return -1;
	return ru.ru_maxrss;
}

TEST(bounded_memory)
{
	const size_t chunk = 1 << 20;
	size_t mib = 128, i;
	const char *env = getenv("OV_TEST_BIG_MIB");
	struct ov_hash *hplain = NULL, *hraw = NULL;
	struct ov_digest plain, raw;
	struct statvfs vfs;
	struct ov_err err;
	ZSTD_CCtx *cc = NULL;
	unsigned char *buf = NULL, *zbuf = NULL;
	uint64_t seed = 88172645463325252ull, zsize = 0;
	char a0[] = "t_archive", base_opt[] = "--baseline", big_opt[] = "--big";
	char *base_args[] = {a0, base_opt, NULL};
	char *big_args[] = {a0, big_opt, NULL, NULL, NULL, NULL};
	char path[512];
	long base, peak;
	FILE *z, *t;

	if (self == NULL || strchr(self, '/') == NULL ||
	    access(self, X_OK) != 0) {
		fprintf(stderr, "bounded_memory: skipped, cannot re-run %s\n",
			self != NULL ? self : "(null)");
		return;
	}
	if (env != NULL)
		mib = (size_t)strtoul(env, NULL, 10) / 2;
	if (statvfs(root, &vfs) != 0 || (uint64_t)vfs.f_bavail * vfs.f_frsize <
					    (uint64_t)(4 * mib + 64) << 20) {
		fprintf(stderr,
			"bounded_memory: skipped, not enough space in %s\n",
			root);
		return;
	}
	buf = malloc(chunk);
	zbuf = malloc(ZSTD_compressBound(chunk));
	cc = ZSTD_createCCtx();
	ASSERT(buf != NULL && zbuf != NULL && cc != NULL);
	ASSERT_OK(ov_hash_new(OV_DIGEST_SHA256, &hplain, &err), &err);
	ASSERT_OK(ov_hash_new(OV_DIGEST_SHA256, &hraw, &err), &err);

	/* the zstd layer first, to know its size for the tar header */
	z = fopen(tmp("big.zst"), "wb");
	ASSERT(z != NULL);
	(void)ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 1);
	for (i = 0; i < mib; i++) {
		ZSTD_inBuffer in;
		ZSTD_outBuffer out;
		size_t left;

		fill(buf, chunk, &seed);
		ASSERT_OK(ov_hash_update(hraw, buf, chunk, &err), &err);
		in.src = buf;
		in.size = chunk;
		in.pos = 0;
		do {
			out.dst = zbuf;
			out.size = ZSTD_compressBound(chunk);
			out.pos = 0;
			left = ZSTD_compressStream2(cc, &out, &in,
						    i + 1 == mib
							? ZSTD_e_end
							: ZSTD_e_continue);
			ASSERT(!ZSTD_isError(left));
			fwrite(zbuf, 1, out.pos, z);
			zsize += out.pos;
		} while (in.pos < in.size || (i + 1 == mib && left != 0));
	}
	fclose(z);
	ASSERT_OK(ov_hash_final(hraw, &raw, &err), &err);

	t = fopen(tmp("big.tar"), "wb");
	ASSERT(t != NULL);
	tar_header(t, "blobs/sha256/plain", (uint64_t)mib * chunk, '0');
	for (i = 0; i < mib; i++) {
		fill(buf, chunk, &seed);
		ASSERT_OK(ov_hash_update(hplain, buf, chunk, &err), &err);
		fwrite(buf, 1, chunk, t);
	}
	tar_header(t, "blobs/sha256/zstd", zsize, '0');
	z = fopen(tmp("big.zst"), "rb");
	ASSERT(z != NULL);
	while ((i = fread(buf, 1, chunk, z)) > 0)
		fwrite(buf, 1, i, t);
	fclose(z);
	unlink(tmp("big.zst"));
	tar_pad(t, zsize);
	tar_end(t);
	ASSERT(fclose(t) == 0);
	ASSERT_OK(ov_hash_final(hplain, &plain, &err), &err);
	ov_hash_free(hplain);
	ov_hash_free(hraw);
	ZSTD_freeCCtx(cc);
	free(zbuf);
	free(buf);

	(void)snprintf(path, sizeof(path), "%s", tmp("big.tar"));
	big_args[2] = path;
	big_args[3] = plain.str;
	big_args[4] = raw.str;
	base = child_rss(base_args);
	peak = child_rss(big_args);
	unlink(path);
	ASSERT(base > 0);
	ASSERT(peak > 0);
	fprintf(
	    stderr,
	    "bounded_memory: %zu MiB (half zstd, deep): peak RSS %ld KiB, at start %ld KiB\n",
	    2 * mib, peak, base);
	ASSERT(peak - base < 32 * 1024);
}

int
main(int argc, char **argv)
{
	const char *t = getenv("TMPDIR");

	if (argc > 1)
		return big_child(argc, argv);
	self = argv[0];
	(void)snprintf(root, sizeof(root), "%s/ovarchiveXXXXXX",
		       t != NULL ? t : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	RUN(good_formats);
	RUN(kept_files);
	RUN(clean_name);
	RUN(unsafe_archives);
	RUN(not_a_file);
	RUN(written_archives);
	RUN(source_ops);
	RUN(tampered_layer);
	RUN(not_a_layout);
	RUN(top_directory);
	RUN(deep_digests);
	RUN(decomp_one_pass);
	RUN(deep_bomb);
	RUN(deep_corrupt);
	RUN(limits);
	RUN(progress);
	RUN(bounded_memory);
	{
		char cmd[512];

		(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", root);
	}
	return ov_test_done();
}
