/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `ocivet sign`: signing the images of a SOURCE as `notation sign
 * --oci-layout` does (spec digest A.7, B.1): for each image an envelope,
 * the `{}` config and a signature manifest whose subject is the image,
 * then index.json entries. A layout directory is updated in place under
 * a lock, blobs first and index.json last (one atomic rename); any source
 * can instead be signed into a separate layout directory (the CLI then
 * writes a detached bundle from it), leaving the source untouched.
 */
#ifndef OV_LAYOUT_SIGN_H
#define OV_LAYOUT_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "digest.h"
#include "envelope.h"
#include "err.h"
#include "layout_write.h"
#include "manifest.h"

struct ov_signer;

struct ov_layout_sign_opts {
	const char *media_type;  /* OV_MT_JWS or OV_MT_COSE */
	enum ov_scheme scheme;
	int64_t signing_time;    /* also org.opencontainers.image.created */
	int has_expiry;
	int64_t expiry;
	struct ov_annotation *metadata; /* borrowed */ /* user metadata: payload
						 annotations */
	size_t nmetadata;
	enum ov_sig_shape shape; /* OV_SHAPE_CONFIG_TYPE (notation 1.x) or
				    OV_SHAPE_ARTIFACT_TYPE_DATA (v2) */
	int all_platforms;       /* an index: its manifests too */
	const char *agent;       /* io.cncf.notary.signingAgent, or NULL */
	int stop_after_blobs;    /* test hook: fail after writing the blobs,
				    before index.json (a crash there) */
	/*
	 * Two-step timestamping (tsreq.h). prepare: make the one envelope
	 * SOURCE names (exactly one signature, else OV_E_USAGE), hand it
	 * back in *prepared and *prepared_target and write nothing (SOURCE
	 * may then be any source). envelope: write this envelope (signed
	 * and stamped in the first step; the signer is not used) as the
	 * signature of the image whose digest is *envelope_target: PATH
	 * alone names it, and a tag or digest naming another image fails
	 * (OV_E_USAGE, the state is for another image).
	 */
	int prepare;
	struct ov_buf *prepared;
	struct ov_descriptor *prepared_target;
	const unsigned char *envelope;
	size_t envelope_len;
	const struct ov_digest *envelope_target;
};

/* One signature made. */
struct ov_layout_signed {
	char *reference;         /* "PATH:TAG", else "PATH@DIGEST" */
	struct ov_digest subject;
	struct ov_digest manifest; /* the signature manifest */
};

/*
 * Sign the images spec ("PATH", "PATH:TAG", "PATH@DIGEST"; PATH alone:
 * every image) names, with signer s and chain (leaf first, checked by
 * the caller). out_dir NULL: PATH must be a layout directory, updated in
 * place while holding an exclusive flock(2) on the directory (concurrent
 * signers wait); otherwise out_dir (an existing layout directory, see
 * ov_layout_dir_init()) receives the signed manifests (and the manifests
 * of indexes), an index.json entry per image and the signatures, and
 * PATH may be any source: nothing is written to it. *done gets what was
 * signed (free with ov_layout_signed_free()).
 */
enum ov_code ov_layout_sign(const char *spec, const char *out_dir,
			    const struct ov_signer *s, STACK_OF(X509) *chain,
			    const struct ov_layout_sign_opts *o,
			    struct ov_layout_signed **done, size_t *ndone,
			    struct ov_err *err);

void ov_layout_signed_free(struct ov_layout_signed *d, size_t n);

/*
 * Sign as ov_layout_sign() does into a temporary layout directory beside
 * out, then write it as the detached bundle out (ov_bundle_export(): the
 * signed manifests and the new signatures, in format, which is an enum
 * ov_bundle_format) and remove the temporary. SOURCE is only read: an
 * archive stays byte for byte as it was.
 */
enum ov_code ov_layout_sign_bundle(const char *spec, const char *out,
				   int format, const struct ov_signer *s,
				   STACK_OF(X509) *chain,
				   const struct ov_layout_sign_opts *o,
				   struct ov_layout_signed **done,
				   size_t *ndone, struct ov_err *err);

#endif
