/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: tar archives (archive.c on libarchive, with gzip and zstd
 * by content) as OCI layout archives (archive_source.c, layout.c) and
 * docker save archives (docker.c). ov_archive_read takes a path, so the
 * input is written to a memfd and read through /proc/self/fd. Entry names
 * are normalised (cleaning one again changes nothing), and whatever layout
 * or docker images an archive holds are walked like the verifier does.
 */
#include "config.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "archive.h"
#include "docker.h"
#include "fuzz.h"
#include "layout.h"
#include "source.h"

#define MAX_IMAGES 8 /* images examined per input */

static const struct ov_archive_opts opts = {
    .max_bytes = 8 * 1024 * 1024, /* keep bombs quick */
    .deep = 1,
};

static void
check_entries(const struct ov_archive *a)
{
	const struct ov_archive_entry *e;
	struct ov_err err;
	char *clean = NULL;
	size_t i;

	for (i = 0; i < ov_archive_count(a); i++) {
		e = ov_archive_entry(a, i);
		FUZZ_ASSERT(e != NULL && e->name != NULL && e->size >= 0);
		FUZZ_ASSERT(ov_archive_find(a, e->name) != NULL);
		(void)ov_archive_resolve(a, e);
		if (ov_archive_clean_name(e->name, &clean, &err) == OV_OK) {
			FUZZ_ASSERT(strcmp(clean, e->name) == 0);
			free(clean);
			clean = NULL;
		}
	}
}

static void
check_docker(const struct ov_archive *a)
{
	struct ov_docker_image *imgs = NULL;
	struct ov_err err;
	size_t i, j, n = 0;
	enum ov_code r;

	if (!ov_docker_is_save(a))
		return;
	ov_err_clear(&err);
	r = ov_docker_images(a, &imgs, &n, &err);
	fuzz_check_err(r, &err);
	if (r != OV_OK)
		return;
	for (i = 0; i < n && i < MAX_IMAGES; i++) {
		ov_err_clear(&err);
		fuzz_check_err(ov_docker_check_layers(a, &imgs[i], &err), &err);
		for (j = 0; j < imgs[i].ntags; j++)
			free(ov_docker_repository(imgs[i].repo_tags[j]));
	}
	ov_docker_images_free(imgs, n);
}

static void
check_layout(struct ov_archive *a)
{
	struct ov_source *src = NULL;
	struct ov_layout *l = NULL;
	struct ov_target *t = NULL;
	struct ov_err err;
	size_t i, n = 0;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_archive_source(a, &src, &err); /* takes a, also on failure */
	fuzz_check_err(r, &err);
	if (r != OV_OK)
		return;
	ov_err_clear(&err);
	if (ov_layout_open(src, &l, &err) == OV_OK &&
	    ov_layout_images(l, &t, &n, &err) == OV_OK) {
		for (i = 0; i < n && i < MAX_IMAGES; i++) {
			ov_err_clear(&err);
			fuzz_check_err(ov_layout_check_tree(l, &t[i].desc,
							    &err),
				       &err);
		}
		ov_targets_free(t, n);
	}
	ov_layout_free(l);
	ov_source_close(src);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_archive *a = NULL;
	struct ov_err err;
	char path[64];
	size_t off = 0;
	ssize_t w;
	int fd, len;
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
	len = snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		close(fd);
		return 0;
	}
	ov_err_clear(&err);
	r = ov_archive_read(path, &opts, &a, &err);
	fuzz_check_err(r, &err);
	close(fd);
	if (r != OV_OK)
		return 0;
	check_entries(a);
	check_docker(a);
	if (ov_archive_find(a, "oci-layout") != NULL)
		check_layout(a); /* takes a */
	else
		ov_archive_free(a);
	return 0;
}
