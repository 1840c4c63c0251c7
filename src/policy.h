/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notation OCI trust policy, version 1.0 (trust-store-trust-policy.md
 * "Trust Policy"; spec digest E.2-E.5, E.7): parsing with every
 * validation rule notation applies, verification levels and overrides,
 * and the choice of the statement that applies to a repository scope.
 */
#ifndef OV_POLICY_H
#define OV_POLICY_H

#include <stddef.h>

#include "dn.h"
#include "err.h"
#include "truststore.h"

/* Entries of one registryScopes, trustStores or trustedIdentities array
 * (notation has no limit; OV_E_LIMIT beyond it). */
#define OV_MAX_POLICY_ENTRIES 1000

enum ov_level {
	OV_LEVEL_STRICT,
	OV_LEVEL_PERMISSIVE,
	OV_LEVEL_AUDIT,
	OV_LEVEL_SKIP,
};

/* The validations of a signature, in evaluation order. */
enum ov_check {
	OV_CHECK_INTEGRITY,
	OV_CHECK_AUTHENTICITY,
	OV_CHECK_AUTHENTIC_TIMESTAMP,
	OV_CHECK_EXPIRY,
	OV_CHECK_REVOCATION,
	OV_CHECK__COUNT
};

enum ov_action {
	OV_ACTION_ENFORCE,
	OV_ACTION_LOG,
	OV_ACTION_SKIP,
};

enum ov_verify_timestamp {
	OV_VERIFY_TS_ALWAYS,
	OV_VERIFY_TS_AFTER_CERT_EXPIRY,
};

struct ov_store_ref {
	enum ov_store_type type;
	char *name;
};

struct ov_policy_statement {
	char *name;
	char **scopes; /* "*" or "<registry>/<repository>" */
	size_t nscopes;
	enum ov_level level;
	int custom; /* an override was given */
	enum ov_action actions[OV_CHECK__COUNT];
	enum ov_verify_timestamp verify_timestamp;
	struct ov_store_ref *stores; /* duplicates removed */
	size_t nstores;
	int any_identity;          /* trustedIdentities is ["*"] */
	struct ov_dn **identities; /* parsed x509.subject entries */
	char **identity_strings;   /* the same entries as written */
	size_t nidentities;
	size_t nother_identities; /* entries with other prefixes (ignored) */
};

struct ov_policy {
	char *path; /* file name used in messages */
	struct ov_policy_statement *statements;
	size_t n;
	/* members notation ignores, by name ("unknown member \"trustStore\"
	 * ... is ignored (did you mean \"trustStores\"?)"): a typo must not
	 * pass silently */
	char **warnings;
	size_t nwarnings;
};

/* Everything wrong with a trust policy document (ov_policy_check). */
struct ov_policy_problems {
	char **errors;   /* each would make the policy unusable */
	size_t nerrors;
	char **warnings; /* ignored members */
	size_t nwarnings;
};

/*
 * Parse and validate a trust policy document. path names it in messages;
 * every error names the file and, where it applies, the statement.
 * OV_E_CONFIG for a document that breaks a rule, OV_E_FORMAT for one that
 * is not JSON.
 */
enum ov_code ov_policy_parse(const void *data, size_t len, const char *path,
			     struct ov_policy **out, struct ov_err *err);

/*
 * Read (a regular file, not a symlink, at most OV_MAX_POLICY bytes) and
 * parse. OV_E_NOTFOUND "trust policy <path> is not present" when missing.
 */
enum ov_code ov_policy_load(const char *path, struct ov_policy **out,
			    struct ov_err *err);

void ov_policy_free(struct ov_policy *p);

/*
 * ov_policy_parse() that does not stop at the first problem: the
 * document's errors, then one per statement that breaks a rule, then
 * every registry scope problem, in pr->errors; ignored members in
 * pr->warnings. *out gets the statements that parsed (those that did
 * not are left empty, name NULL when it was the problem) unless the
 * document has none: with pr->nerrors > 0 it is for checking trust
 * stores only, never for verification. Returns OV_OK unless out of
 * memory. Clear pr with ov_policy_problems_clear().
 */
enum ov_code ov_policy_check(const void *data, size_t len, const char *path,
			     struct ov_policy **out,
			     struct ov_policy_problems *pr, struct ov_err *err);

void ov_policy_problems_clear(struct ov_policy_problems *pr);

/*
 * The statement for scope: an exact registryScopes match, else the "*"
 * statement, else NULL. scope NULL matches only "*".
 */
const struct ov_policy_statement *ov_policy_select(const struct ov_policy *p,
						   const char *scope);

/*
 * May a repository scope that the image names itself (not one the
 * operator gave) select st? base is the policy's "*" statement, NULL when
 * it has none. OV_OK when st admits no signature base would not:
 *  - base is st, or base skips verification (it admits everything);
 *  - else st does not skip; each check's action is at least as strict as
 *    base's (enforce, then log, then skip; levels with their overrides);
 *    its ca and signingAuthority stores are among base's; its tsa stores
 *    are exactly base's, and when there are any, so is verifyTimestamp;
 *    and base trusts any identity, or every x509.subject identity of st
 *    holds every attribute of one of base's (st names fewer signers).
 * With no base, st must enforce every check. Otherwise OV_E_POLICY, with
 * the first difference in err ("expiry is logged, not enforced").
 */
enum ov_code ov_policy_as_strict(const struct ov_policy_statement *st,
				 const struct ov_policy_statement *base,
				 struct ov_err *err);

/*
 * Check a scope against notation's "<registry>/<repository>" grammar (no
 * tag, digest, scheme or '*'). OV_E_CONFIG "invalid registry scope ..."
 * when it does not match.
 */
enum ov_code ov_scope_validate(const char *scope, struct ov_err *err);

const char *ov_level_name(enum ov_level level);    /* "strict" ... */
const char *ov_check_name(enum ov_check check);    /* "integrity" ... */
const char *ov_action_name(enum ov_action action); /* "enforce" ... */

/* Actions of a level before overrides (spec digest E.4). */
void ov_level_actions(enum ov_level level,
		      enum ov_action actions[OV_CHECK__COUNT]);

#endif
