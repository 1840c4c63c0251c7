/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File system helpers for the loaders of directories of material (trust
 * stores, CRL and OCSP directories): sorted directory listings.
 */
#ifndef OV_FSUTIL_H
#define OV_FSUTIL_H

#include <stddef.h>

#include "err.h"

/*
 * The names in the open directory dfd but "." and "..", sorted bytewise
 * (so every platform reads a directory in the same order); dfd stays
 * open. what starts the messages: OV_E_IO "<what>: <reason>", OV_E_LIMIT
 * "<what>: more than the limit of <max> files". *names (NULL when empty)
 * is malloc'd; free it with ov_strv_free().
 */
enum ov_code ov_dir_names(int dfd, const char *what, size_t max, char ***names,
			  size_t *n, struct ov_err *err);

#endif
