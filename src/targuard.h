/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tar dialect every mainstream reader agrees on (issue 8 item 1).
 *
 * libarchive, which reads archives for ocivet, and Go's archive/tar,
 * which reads them for docker, containerd, skopeo and podman, disagree
 * on entry names and sizes in several corners of the tar formats: GNU
 * sparse records, a pax path beside a GNU long name, several pax headers
 * for one entry, the star prefix field, lenient numeric fields, a lone
 * zero block, data after the end-of-archive marker. An archive that uses
 * such a corner can show ocivet one index.json and the importer another.
 *
 * The guard reads the same uncompressed tar stream as libarchive, byte
 * for byte, with a small strict header reader that accepts only POSIX
 * ustar/pax and GNU headers without those corners, and works out each
 * entry's name, type, size and link target the way Go's reader does.
 * The archive reader (archive.c) then requires libarchive's view of
 * every entry to equal the guard's: where they could differ, the archive
 * is refused with the entry and the reason.
 */

#ifndef OV_TARGUARD_H
#define OV_TARGUARD_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* One pax extended header: the largest accepted, in bytes */
#define OV_TARGUARD_MAX_PAX (64 * 1024)
/* zero bytes accepted after the end-of-archive marker (record padding) */
#define OV_TARGUARD_MAX_TRAILER ((uint64_t)1 << 20)

/* An entry as the guard reads it. */
struct ov_tg_entry {
	char *name;   /* full name: prefix, pax path or GNU long name */
	char *link;   /* link target for '1' and '2', else NULL */
	int64_t size; /* data bytes (0 for every type but '0') */
	char type;    /* '0' (also for '\0'), '1', '2', '3', '4', '5', '6' */
};

struct ov_targuard;

/* A guard for one stream. *out is the caller's (ov_targuard_free). */
enum ov_code ov_targuard_new(struct ov_targuard **out, struct ov_err *err);

void ov_targuard_free(struct ov_targuard *g);

/*
 * The next n bytes of the uncompressed tar stream. OV_E_FORMAT (or
 * OV_E_UNSUPPORTED, OV_E_LIMIT) with "entry NAME: reason" or "at byte N:
 * reason" when the stream leaves the agreed dialect.
 */
enum ov_code ov_targuard_feed(struct ov_targuard *g, const unsigned char *p,
			      size_t n, struct ov_err *err);

/* 1 once a header with a valid checksum was read: the stream is tar. */
int ov_targuard_tar_seen(const struct ov_targuard *g);

/*
 * The oldest entry read and not yet taken, or NULL when there is none
 * yet; ov_targuard_pop() drops it.
 */
const struct ov_tg_entry *ov_targuard_peek(const struct ov_targuard *g);
void ov_targuard_pop(struct ov_targuard *g);

/*
 * The stream has ended: it must have closed with the two zero blocks of
 * the end-of-archive marker, followed by nothing but zero bytes.
 */
enum ov_code ov_targuard_end(struct ov_targuard *g, struct ov_err *err);

#endif
