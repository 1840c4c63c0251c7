/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify --recursive DIR: the inputs a directory tree holds (a mirror
 * with one OCI layout per repository, a folder of archives), found in a
 * stable order without following symbolic links or entering layouts.
 */
#ifndef OV_WALK_H
#define OV_WALK_H

#include <stddef.h>

#include "err.h"

/* Directory levels below DIR searched, and inputs found in all. */
#define OV_MAX_WALK_DEPTH 32
#define OV_MAX_WALK_INPUTS 1000000
/* Entries in one directory of the tree. */
#define OV_MAX_WALK_ENTRIES 1000000

/*
 * Append to *paths (n entries, malloc'd; ov_strv_free()) every input
 * below dir, as "dir/a/b": each directory holding an oci-layout or
 * index.json file (a layout, or a broken one, so that it fails rather
 * than vanishes; it is not entered, so neither are its blobs/), each
 * regular file named like an archive (.tar, .tar.gz, .tgz, .tar.zst,
 * .tar.xz, .tar.bz2, .tar.lz4, .oci), and each directory that cannot be
 * opened (so that it fails too). Other directories are searched, in
 * bytewise name order, entries of a directory before its
 * subdirectories' (a plain depth-first order: the same tree always gives
 * the same list). Symbolic links below dir are never followed, so the
 * walk stays inside dir; *nlinks counts the links passed over. dir
 * itself may be a layout or an archive (then it is the one input).
 * OV_E_NOTFOUND when dir does not exist, OV_E_IO when it cannot be read,
 * OV_E_LIMIT past the limits above.
 */
enum ov_code ov_walk_inputs(const char *dir, char ***paths, size_t *n,
    size_t *nlinks, struct ov_err *err);

/* Does name end like an archive ocivet reads (see above)? */
int ov_walk_archive_name(const char *name);

#endif
