/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a SOURCE holds, described without judging it (ocivet inspect and
 * ocivet ls): its images with their tags, platforms and signature
 * manifests, and each signature envelope's signed attributes, user
 * metadata, certificate chain and timestamp. Nothing here is verified or
 * trusted; parts that cannot be read are described by an error message.
 */
#ifndef OV_INSPECT_H
#define OV_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "archive.h"
#include "envelope.h"
#include "err.h"
#include "manifest.h"

/* One certificate as shown to an operator. */
struct ov_cert_desc {
	char *subject;
	char *issuer;
	char *serial; /* lowercase hex */
	char sha256[65];
	int64_t not_before;
	int64_t not_after;
};

/* One signature envelope. Members are NULL / 0 when absent. */
struct ov_sig_desc {
	char *digest;     /* signature manifest digest, NULL for --envelope */
	char *media_type; /* envelope media type */
	int64_t size;     /* envelope bytes */
	char *error;      /* why the envelope (or a part) is unreadable */
	int parsed;       /* the envelope parsed: the members below are set */
	const char *signing_scheme; /* static */
	const char *algorithm;      /* "PS256" ...; static */
	char *content_type;
	int64_t signing_time;
	int has_expiry;
	int64_t expiry;
	char *signing_agent;
	char *plugin;
	char *plugin_min_version;
	struct ov_attr *attrs; /* extended signed attributes */
	size_t nattrs;
	int has_target;              /* the payload parsed */
	struct ov_descriptor target; /* targetArtifact; its annotations are
				      * the user metadata */
	char *payload_error;
	struct ov_cert_desc *chain;
	size_t nchain;
	char *chain_error;
	int has_timestamp; /* a timestamp token is present */
	char *ts_error;    /* ... but cannot be read */
	int64_t ts_time;   /* genTime, seconds */
	int32_t ts_nsec;
	int64_t ts_accuracy_ms;
	char *tsa_subject;
	struct ov_cert_desc *ts_chain;
	size_t nts_chain;
};

/* An image or, under an index, a platform image. */
struct ov_image_desc {
	struct ov_descriptor desc;
	char **tags; /* ref.name / io.containerd.image.name / RepoTags */
	size_t ntags;
	char *error;                     /* the manifest cannot be read */
	struct ov_image_desc *platforms; /* children of an index */
	size_t nplatforms;
	struct ov_sig_desc *sigs;
	size_t nsigs;
};

struct ov_inventory {
	char *path; /* the SOURCE's path, a trailing '/' dropped */
	const char
	    *kind; /* "oci-layout", "oci-layout archive", "docker save" */
	struct ov_image_desc *images;
	size_t n;
};

/*
 * Describe what spec ("PATH", "PATH:TAG", "PATH@DIGEST") names. With
 * envelopes, every signature envelope is read and described, else only
 * the signature manifests are listed. opts may be NULL (defaults).
 * OV_E_NOTFOUND / OV_E_USAGE / OV_E_FORMAT ... when the SOURCE cannot be
 * read as a whole; problems of single images are in the descriptions.
 */
enum ov_code ov_inventory_read(const char *spec,
			       const struct ov_archive_opts *opts,
			       int envelopes, struct ov_inventory **out,
			       struct ov_err *err);

void ov_inventory_free(struct ov_inventory *inv);

/*
 * Describe an envelope (media type OV_MT_JWS or OV_MT_COSE) into out,
 * which is zeroed first. Only OV_E_NOMEM is returned; an unreadable
 * envelope is described by out->error. Clear with ov_sig_desc_clear().
 */
enum ov_code ov_sig_describe(const char *media_type, const void *data,
			     size_t len, struct ov_sig_desc *out,
			     struct ov_err *err);

void ov_sig_desc_clear(struct ov_sig_desc *s);

/* Describe one certificate into out (zeroed first); OV_E_NOMEM. Clear
 * with ov_cert_desc_clear(). */
enum ov_code ov_cert_describe(X509 *c, struct ov_cert_desc *out,
			      struct ov_err *err);

void ov_cert_desc_clear(struct ov_cert_desc *c);

#endif
