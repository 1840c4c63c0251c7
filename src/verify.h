/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Verification: SOURCE -> images -> signatures -> envelope -> chain ->
 * trust policy, in the order notation applies it (signing-and-
 * verification-workflow.md; spec digest F.2-F.4), with every check's
 * outcome recorded in the result model. The verification time is a
 * parameter; nothing here reads the clock or prints.
 */
#ifndef OV_VERIFY_H
#define OV_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "archive.h"
#include "err.h"
#include "manifest.h"
#include "policy.h"
#include "result.h"

struct ov_revocation;

struct ov_verify_config {
	const char *policy_path;     /* trust policy file */
	const char *truststore_dir;  /* directory that holds x509/ */
	int64_t now;                 /* the verification time */
	size_t max_signatures;       /* per image; 0 means OV_MAX_SIGNATURES */
	/* CRLs and OCSP responses from disk (borrowed, may be NULL: then any
	 * certificate with revocation endpoints has an unknown status) */
	const struct ov_revocation *revocation;
	/* reading archives: limits, --deep, progress */
	struct ov_archive_opts archive;
	int deep;                    /* check layers against diff_ids */
	/* --trust-source-scope: a scope the image names may select any
	 * statement, not only one as strict as "*" (ov_policy_as_strict) */
	int trust_source_scope;
	/* --jobs: blobs hashed at once, on threads of the verifier's own
	 * pool; 0 or 1 hashes on the calling thread. The report is the
	 * same for every value. */
	unsigned jobs;
	/* --user-metadata: pairs every signature's user metadata (the
	 * payload's targetArtifact annotations) must hold, else it fails
	 * whatever the level (notation verify -m); borrowed */
	const struct ov_annotation *user_metadata;
	size_t nuser_metadata;
	/* --shard I/N: verify only the images whose manifest digest falls
	 * in shard shard_index of shard_count (SOURCEs that name no image:
	 * by the SOURCE string); shard_count 0 or 1 verifies all */
	unsigned shard_index;
	unsigned shard_count;
	/* --manifest-only: in a containerd store, layer blobs that are
	 * absent (discard_unpacked_layers) are not checked; such images
	 * are marked integrity "manifest-only" */
	int manifest_only;
	/* a containerd store: the node's platform, "os/arch[/variant]"
	 * (NULL: every platform present); borrowed */
	const char *platform;
};

struct ov_verifier;

/*
 * Load and validate the trust policy. Trust stores are read when a
 * statement first needs them. OV_E_CONFIG / OV_E_NOTFOUND / OV_E_FORMAT
 * from the policy are configuration errors.
 */
enum ov_code ov_verifier_new(const struct ov_verify_config *cfg,
    struct ov_verifier **out, struct ov_err *err);

void ov_verifier_free(struct ov_verifier *v);

const struct ov_policy *ov_verifier_policy(const struct ov_verifier *v);

/*
 * Add a detached signature bundle (--signatures): an OCI layout, a
 * directory or an archive, holding signature manifests, their blobs and
 * the signed manifests. Its signatures count for every image verified
 * afterwards, matched by subject.
 */
enum ov_code ov_verifier_add_bundle(struct ov_verifier *v, const char *path,
    struct ov_err *err);

/*
 * Verify every image that spec ("PATH", "PATH:TAG", "PATH@DIGEST") names
 * and append one result per image to rep. scope is --scope (NULL: a full
 * reference given as the tag, else derived from the image's annotations
 * or RepoTags, which may then only select a statement as strict as "*"
 * unless cfg.trust_source_scope). Problems with the input are recorded
 * in the results; only OV_E_NOMEM and OV_E_INTERNAL are returned.
 */
enum ov_code ov_verify_source(struct ov_verifier *v, const char *spec,
    const char *scope, struct ov_report *rep, struct ov_err *err);

/*
 * Called as each SOURCE of ov_verify_sources() finishes, with its index
 * and its results (borrowed for the call); on any thread, one call at a
 * time, in completion order.
 */
typedef void ov_verify_done_fn(void *ctx, size_t input,
    const struct ov_report *part);

/*
 * ov_verify_source() for n SOURCEs. With several jobs and several
 * SOURCEs, SOURCEs are verified at once on the verifier's threads (each
 * hashing its own blobs); else one at a time. The results are appended
 * to rep (NULL: only handed to done) in the order of specs, whatever the
 * order they finished in, each with its input index; done, if not NULL,
 * sees each SOURCE's results as they finish. Problems with an input are
 * results; only OV_E_NOMEM and OV_E_INTERNAL are returned.
 */
enum ov_code ov_verify_sources(struct ov_verifier *v,
    const char *const *specs, size_t n, const char *scope,
    struct ov_report *rep, ov_verify_done_fn *done, void *ctx,
    struct ov_err *err);

/*
 * An image about to be pulled (containerd's image verifier): target, the
 * descriptor name resolved to, verifies when the --signatures bundles
 * hold a signature of it that verifies under the statement for name's
 * repository scope (name is the operator's, as a SOURCE tag is). Its
 * content is not read: containerd checks it against the digest as it
 * fetches it. One result is appended to rep; only OV_E_NOMEM and
 * OV_E_INTERNAL are returned.
 */
enum ov_code ov_verify_pull(struct ov_verifier *v, const char *name,
    const struct ov_descriptor *target, struct ov_report *rep,
    struct ov_err *err);

/*
 * Evaluate one envelope (media type, bytes) as a signature of target
 * under statement st, filling s. Returns OV_OK when the evaluation ran
 * (the verdict is in s->verified), an operational code (e.g. OV_E_CONFIG
 * for an unusable trust store, with s still filled) otherwise.
 */
enum ov_code ov_verify_envelope(struct ov_verifier *v,
    const struct ov_policy_statement *st, const struct ov_descriptor *target,
    const char *media_type, const void *env, size_t len,
    struct ov_sig_result *s, struct ov_err *err);

/*
 * Every certificate verification of spec would evaluate: the chains of
 * all signatures of the images it names and the certificates in their
 * timestamp tokens, appended to certs (the caller frees them). Images and
 * signatures that cannot be read are skipped; only an unreadable SOURCE
 * is an error. Used by `ocivet crl urls`.
 */
enum ov_code ov_source_certificates(const char *spec, STACK_OF(X509) *certs,
    struct ov_err *err);

/*
 * The repository scope implied by an image name such as
 * "docker.io/library/alpine:3.20" or "registry.example/app@sha256:..."
 * (tag and digest dropped), or NULL when it does not form a valid scope.
 * malloc'd.
 */
char *ov_scope_from_name(const char *name);

/*
 * When path is a directory whose subdirectories are layouts, add them
 * and how to name them to e, the message that path is not a layout.
 * Only OV_E_NOMEM is returned (in err).
 */
enum ov_code ov_layouts_hint(const char *path, struct ov_err *e,
    struct ov_err *err);

#endif
