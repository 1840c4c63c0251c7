/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Named limits on untrusted input. Hitting one is OV_E_LIMIT with a
 * message naming the limit. Defaults are documented in ocivet(1), LIMITS.
 * The limits of one reader live beside it: archives in archive.h
 * (OV_ARCHIVE_*), timestamp tokens in tsa.h (OV_TSA_*), revocation
 * material in revocation.h (OV_MAX_CRL*, OV_MAX_OCSP*).
 */
#ifndef OV_OVLIMITS_H
#define OV_OVLIMITS_H

#define OV_KIB ((size_t)1024)
#define OV_MIB (1024 * OV_KIB)

/* Sizes of whole documents read into memory. */
#define OV_MAX_LAYOUT_HEADER (64 * OV_KIB)  /* oci-layout */
#define OV_MAX_INDEX_JSON (32 * OV_MIB)     /* index.json */
#define OV_MAX_MANIFEST (4 * OV_MIB)        /* manifest or index blob (notation: 4 MiB) */
#define OV_MAX_ENVELOPE (4 * OV_MIB)        /* signature envelope blob */
#define OV_MAX_POLICY (4 * OV_MIB)          /* trust policy file */
#define OV_MAX_CERT_FILE (4 * OV_MIB)       /* one trust store file */
#define OV_MAX_PAYLOAD (1 * OV_MIB)         /* Notary payload inside an envelope */

/* Structure. */
#define OV_MAX_JSON_DEPTH 64        /* nesting of any JSON document */
#define OV_MAX_CBOR_DEPTH 16        /* nesting of a COSE envelope */
#define OV_MAX_CBOR_ITEMS 4096      /* data items in a COSE envelope */
#define OV_MAX_INDEX_DEPTH 8        /* image index inside image index ... */
#define OV_MAX_JOBS 64              /* --jobs: tasks the verifier runs at once */
#define OV_MAX_ZSTD_DECODERS 2      /* --deep: zstd layers decoded at once (8 MiB windows) */
#define OV_MAX_GRAPH_NODES 100000   /* manifests and indexes in one layout */
#define OV_MAX_DESCRIPTORS 100000   /* entries in one index or manifest */
#define OV_MAX_SIGNATURES 100       /* signatures evaluated per image (notation: 100) */
#define OV_MAX_CONFIG_MANIFESTS 100 /* bundle manifests tried for one docker image */
#define OV_MAX_CHAIN 16             /* certificates in one chain */
#define OV_MAX_STORE_CERTS 1000     /* certificates in one named trust store */
#define OV_X509_CACHE_MAX 256       /* decoded certificates a verifier keeps */
#define OV_X509_CACHE_DER OV_MIB    /* their DER bytes in all */
#define OV_MAX_STORE_FILES 1000     /* files in one named trust store */
#define OV_MAX_POLICY_STATEMENTS 1000

/* Decompressed bytes of one layer checked with --deep. */
#define OV_MAX_DECOMPRESSED ((uint64_t)64 << 30)

#endif
