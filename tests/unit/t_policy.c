/* SPDX-License-Identifier: Apache-2.0 */
/* Trust policy parsing, validation and statement selection (E.2-E.5, E.7). */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "ovlimits.h"
#include "policy.h"

static enum ov_code
parse_str(const char *json, struct ov_policy **p, struct ov_err *err)
{
	return ov_policy_parse(json, strlen(json), "trustpolicy.json", p, err);
}

static enum ov_code
load_fixture(const char *name, struct ov_policy **p, struct ov_err *err)
{
	struct ov_buf b;
	enum ov_code r;

	read_file_or_die(testdata_path(name), &b);
	r = ov_policy_parse(b.data, b.len, name, p, err);
	ov_buf_free(&b);
	return r;
}

TEST(names)
{
	enum ov_action a[OV_CHECK__COUNT];

	ASSERT_STR_EQ(ov_level_name(OV_LEVEL_STRICT), "strict");
	ASSERT_STR_EQ(ov_level_name(OV_LEVEL_PERMISSIVE), "permissive");
	ASSERT_STR_EQ(ov_level_name(OV_LEVEL_AUDIT), "audit");
	ASSERT_STR_EQ(ov_level_name(OV_LEVEL_SKIP), "skip");
	ASSERT_STR_EQ(ov_check_name(OV_CHECK_INTEGRITY), "integrity");
	ASSERT_STR_EQ(ov_check_name(OV_CHECK_AUTHENTICITY), "authenticity");
	ASSERT_STR_EQ(ov_check_name(OV_CHECK_AUTHENTIC_TIMESTAMP),
		      "authenticTimestamp");
	ASSERT_STR_EQ(ov_check_name(OV_CHECK_EXPIRY), "expiry");
	ASSERT_STR_EQ(ov_check_name(OV_CHECK_REVOCATION), "revocation");
	ASSERT_STR_EQ(ov_action_name(OV_ACTION_ENFORCE), "enforce");
	ASSERT_STR_EQ(ov_action_name(OV_ACTION_LOG), "log");
	ASSERT_STR_EQ(ov_action_name(OV_ACTION_SKIP), "skip");

	ov_level_actions(OV_LEVEL_STRICT, a);
	ASSERT_INT_EQ(a[OV_CHECK_INTEGRITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(a[OV_CHECK_AUTHENTICITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(a[OV_CHECK_AUTHENTIC_TIMESTAMP], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(a[OV_CHECK_EXPIRY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(a[OV_CHECK_REVOCATION], OV_ACTION_ENFORCE);
	ov_level_actions(OV_LEVEL_PERMISSIVE, a);
	ASSERT_INT_EQ(a[OV_CHECK_INTEGRITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(a[OV_CHECK_AUTHENTICITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(a[OV_CHECK_AUTHENTIC_TIMESTAMP], OV_ACTION_LOG);
	ASSERT_INT_EQ(a[OV_CHECK_EXPIRY], OV_ACTION_LOG);
	ASSERT_INT_EQ(a[OV_CHECK_REVOCATION], OV_ACTION_LOG);
	ov_level_actions(OV_LEVEL_AUDIT, a);
	ASSERT_INT_EQ(a[OV_CHECK_INTEGRITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(a[OV_CHECK_AUTHENTICITY], OV_ACTION_LOG);
	ASSERT_INT_EQ(a[OV_CHECK_AUTHENTIC_TIMESTAMP], OV_ACTION_LOG);
	ASSERT_INT_EQ(a[OV_CHECK_EXPIRY], OV_ACTION_LOG);
	ASSERT_INT_EQ(a[OV_CHECK_REVOCATION], OV_ACTION_LOG);
	ov_level_actions(OV_LEVEL_SKIP, a);
	ASSERT_INT_EQ(a[OV_CHECK_INTEGRITY], OV_ACTION_SKIP);
	ASSERT_INT_EQ(a[OV_CHECK_REVOCATION], OV_ACTION_SKIP);
}

TEST(full_policy)
{
	struct ov_policy *p = NULL;
	const struct ov_policy_statement *st;
	struct ov_err err;

	ASSERT_OK(load_fixture("policy/good-full.json", &p, &err), &err);
	ASSERT_STR_EQ(p->path, "policy/good-full.json");
	ASSERT_INT_EQ(p->n, 4);

	st = &p->statements[0];
	ASSERT_STR_EQ(st->name, "wabbit-networks-images");
	ASSERT_INT_EQ(st->nscopes, 2);
	ASSERT_STR_EQ(st->scopes[1],
		      "registry.acme-rockets.io/software/net-logger");
	ASSERT_INT_EQ(st->level, OV_LEVEL_STRICT);
	ASSERT_INT_EQ(st->custom, 0);
	ASSERT_INT_EQ(st->actions[OV_CHECK_REVOCATION], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(st->verify_timestamp, OV_VERIFY_TS_ALWAYS);
	ASSERT_INT_EQ(st->nstores, 2);
	ASSERT_INT_EQ(st->stores[0].type, OV_STORE_CA);
	ASSERT_STR_EQ(st->stores[0].name, "acme-rockets");
	ASSERT_INT_EQ(st->stores[1].type, OV_STORE_TSA);
	ASSERT_STR_EQ(st->stores[1].name, "acme-tsa");
	ASSERT_INT_EQ(st->any_identity, 0);
	ASSERT_INT_EQ(st->nidentities, 1);
	ASSERT_STR_EQ(
	    st->identity_strings[0],
	    "x509.subject: C=US, ST=WA, L=Seattle, O=acme-rockets.io, OU=Finance, CN=SecureBuilder");
	ASSERT_INT_EQ(st->identities[0]->n, 6);
	ASSERT_STR_EQ(st->identities[0]->attrs[5].type, "CN");
	ASSERT_STR_EQ(st->identities[0]->attrs[5].value, "SecureBuilder");
	ASSERT_INT_EQ(st->nother_identities, 0);

	st = &p->statements[1];
	ASSERT_STR_EQ(st->name, "custom-level");
	ASSERT_INT_EQ(st->level, OV_LEVEL_PERMISSIVE);
	ASSERT_INT_EQ(st->custom, 1);
	ASSERT_INT_EQ(st->actions[OV_CHECK_INTEGRITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(st->actions[OV_CHECK_AUTHENTICITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(st->actions[OV_CHECK_AUTHENTIC_TIMESTAMP], OV_ACTION_LOG);
	ASSERT_INT_EQ(st->actions[OV_CHECK_EXPIRY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(st->actions[OV_CHECK_REVOCATION], OV_ACTION_SKIP);
	ASSERT_INT_EQ(st->verify_timestamp, OV_VERIFY_TS_AFTER_CERT_EXPIRY);
	ASSERT_INT_EQ(st->nstores, 2); /* "ca:acme-rockets" given twice */
	ASSERT_INT_EQ(st->stores[1].type, OV_STORE_SIGNING_AUTHORITY);
	ASSERT_STR_EQ(st->stores[1].name, "wabbit");
	ASSERT_INT_EQ(st->nidentities, 2);
	ASSERT_INT_EQ(st->nother_identities, 1);
	ASSERT_STR_EQ(st->identities[1]->attrs[1].type, "ST"); /* S=OR */
	ASSERT_STR_EQ(st->identities[1]->attrs[1].value, "OR");

	st = &p->statements[2];
	ASSERT_INT_EQ(st->level, OV_LEVEL_SKIP);
	ASSERT_INT_EQ(st->actions[OV_CHECK_INTEGRITY], OV_ACTION_SKIP);
	ASSERT_INT_EQ(st->nstores, 0);
	ASSERT_INT_EQ(st->nidentities, 0);

	st = &p->statements[3];
	ASSERT_INT_EQ(st->level, OV_LEVEL_AUDIT);
	ASSERT_INT_EQ(st->actions[OV_CHECK_AUTHENTICITY], OV_ACTION_LOG);
	ASSERT_INT_EQ(st->any_identity, 1);
	ASSERT_INT_EQ(st->nidentities, 0);
	ASSERT_STR_EQ(st->scopes[0], "*");
	ov_policy_free(p);
}

TEST(other_good_fixtures)
{
	struct ov_policy *p = NULL;
	struct ov_err err;

	ASSERT_OK(load_fixture("policy/good-minimal.json", &p, &err), &err);
	ASSERT_INT_EQ(p->n, 1);
	ov_policy_free(p);
	p = NULL;
	ASSERT_OK(load_fixture("policy/good-skip-global.json", &p, &err), &err);
	ASSERT_INT_EQ(p->statements[0].level, OV_LEVEL_SKIP);
	ASSERT(ov_policy_select(p, "example.com/rep") == &p->statements[0]);
	ov_policy_free(p);
}

static const struct bad_case {
	const char *file;
	enum ov_code code;
	const char *msg;
} bad_cases[] = {
    {"bad-not-json.json", OV_E_FORMAT, "bad-not-json.json: invalid JSON"},
    {"bad-duplicate-key.json", OV_E_FORMAT, "duplicate member \"version\""},
    {"bad-not-object.json", OV_E_CONFIG,
     "bad-not-object.json: trust policy document must be a JSON object"},
    {"bad-version-missing.json", OV_E_CONFIG,
     "trust policy document has empty version, version must be specified"},
    {"bad-version-unsupported.json", OV_E_CONFIG,
     "trust policy document uses unsupported version \"2.0\""},
    {"bad-version-type.json", OV_E_CONFIG,
     "trust policy document: member \"version\" must be a string"},
    {"bad-no-statements.json", OV_E_CONFIG,
     "trust policy document can not have zero trust policy statements"},
    {"bad-statements-type.json", OV_E_CONFIG,
     "member \"trustPolicies\" must be an array"},
    {"bad-statement-type.json", OV_E_CONFIG,
     "bad-statement-type.json: trustPolicies[0]: must be an object"},
    {"bad-name-missing.json", OV_E_CONFIG,
     "trustPolicies[0]: a trust policy statement is missing a name, every statement requires a name"},
    {"bad-name-duplicate.json", OV_E_CONFIG,
     "multiple trust policy statements use the same name \"wabbit-networks-images\", statement names must be unique"},
    {"bad-case-variant.json", OV_E_CONFIG,
	"member \"Override\" must be spelled \"override\""},
    {"bad-case-variant-statement.json", OV_E_CONFIG,
	"member \"TrustStores\" must be spelled \"trustStores\""},
    {"bad-level-missing.json", OV_E_CONFIG,
     "trust policy statement \"wabbit-networks-images\" has invalid signatureVerification: signature verification level is empty or missing"},
    {"bad-level-invalid.json", OV_E_CONFIG,
     "invalid signature verification level \"Strict\""},
    {"bad-verification-type.json", OV_E_CONFIG,
     "member \"signatureVerification\" must be an object"},
    {"bad-override-integrity.json", OV_E_CONFIG,
     "\"integrity\" verification can not be overridden in custom signature verification"},
    {"bad-override-skip.json", OV_E_CONFIG,
     "\"expiry\" verification can not be skipped in custom signature verification"},
    {"bad-override-type.json", OV_E_CONFIG,
     "verification type \"signature\" in custom signature verification is not supported"},
    {"bad-override-action.json", OV_E_CONFIG,
     "verification action \"warn\" in custom signature verification is not supported"},
    {"bad-override-with-skip.json", OV_E_CONFIG,
     "signature verification level \"skip\" can't be used to customize signature verification"},
    {"bad-verify-timestamp.json", OV_E_CONFIG,
     "verifyTimestamp must be \"always\" or \"afterCertExpiry\", but got \"never\""},
    {"bad-skip-with-stores.json", OV_E_CONFIG,
     "is set to skip signature verification but configured with trust stores and/or trusted identities"},
    {"bad-skip-with-identities.json", OV_E_CONFIG,
     "is set to skip signature verification but configured with trust stores and/or trusted identities"},
    {"bad-missing-stores.json", OV_E_CONFIG,
     "trust policy statement \"wabbit-networks-images\" is either missing trust stores or trusted identities, both must be specified"},
    {"bad-missing-identities.json", OV_E_CONFIG,
     "is either missing trust stores or trusted identities, both must be specified"},
    {"bad-store-separator.json", OV_E_CONFIG,
     "trust policy statement \"wabbit-networks-images\" is missing separator in trust store value \"ca\". The required format is <TrustStoreType>:<TrustStoreName>"},
    {"bad-store-type.json", OV_E_CONFIG,
     "uses an unsupported trust store type \"CA\" in trust store value \"CA:wabbit-networks.io\""},
    {"bad-store-name.json", OV_E_CONFIG,
     "uses an unsupported trust store name \"wabbit/networks\" in trust store value \"ca:wabbit/networks\""},
    {"bad-store-element-type.json", OV_E_CONFIG,
     "member \"trustStores\" must be an array of strings"},
    {"bad-identity-empty.json", OV_E_CONFIG,
     "trust policy statement \"wabbit-networks-images\" has an empty trusted identity"},
    {"bad-identity-wildcard-mixed.json", OV_E_CONFIG,
     "uses a wildcard trusted identity '*', a wildcard identity cannot be used in conjunction with other values"},
    {"bad-identity-separator.json", OV_E_CONFIG,
     "trust policy statement \"wabbit-networks-images\" has trusted identity \"C=US, ST=WA, O=wabbit-network.io, OU=org1\" missing separator"},
    {"bad-identity-empty-value.json", OV_E_CONFIG,
     "has trusted identity \"x509.subject:\" without an identity value"},
    {"bad-identity-dn-mandatory.json", OV_E_CONFIG,
     "has trusted identity \"x509.subject: C=US, O=wabbit-networks.io\" with invalid identity value: distinguished name (DN) \" C=US, O=wabbit-networks.io\" has no mandatory RDN attribute for \"ST\""},
    {"bad-identity-dn-hex.json", OV_E_CONFIG,
     "notation does not support x509.subject identities containing \"=#\""},
    {"bad-identity-dn-multivalued.json", OV_E_CONFIG,
     "has multi-valued RDN attributes, remove multi-valued RDN attributes as they are not supported"},
    {"bad-identity-dn-duplicate.json", OV_E_CONFIG,
     "has duplicate RDN attribute for \"ST\""},
    {"bad-identity-overlap.json", OV_E_CONFIG,
     "has overlapping x509 trustedIdentities, \"x509.subject: C=US, ST=WA, O=wabbit-networks.io\" overlaps with \"x509.subject: C=US, ST=WA, O=wabbit-networks.io, CN=builder\""},
    {"bad-scopes-missing.json", OV_E_CONFIG,
     "trust policy statement \"wabbit-networks-images\" has zero registry scopes, it must specify registry scopes with at least one value"},
    {"bad-scope-wildcard-mixed.json", OV_E_CONFIG,
     "uses wildcard registry scope '*', a wildcard scope cannot be used in conjunction with other scope values"},
    {"bad-scope-format.json", OV_E_CONFIG,
     "bad-scope-format.json: trust policy statement \"wabbit-networks-images\": invalid registry scope \"Local/Img\": the repository must be lowercase"},
    {"bad-scope-wildcard-inside.json", OV_E_CONFIG,
     "invalid registry scope \"registry.wabbit-networks.io/*\": a wildcard is only valid as the whole scope"},
    {"bad-scope-duplicate.json", OV_E_CONFIG,
     "trust policy statement \"second\": registry scope \"registry.wabbit-networks.io/net-monitor\" is present in multiple trust policy statements, one registry scope value can only be associated with one statement (first in statement \"wabbit-networks-images\")"},
    {"bad-scope-duplicate-same.json", OV_E_CONFIG,
     "registry scope \"registry.wabbit-networks.io/net-monitor\" is present in multiple trust policy statements"},
    {"bad-scope-wildcard-twice.json", OV_E_CONFIG,
     "trust policy statement \"second\": registry scope \"*\" is present in multiple trust policy statements"},
};

TEST(bad_fixtures)
{
	struct ov_policy *p = NULL;
	struct ov_err err;
	char name[256];
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		(void)snprintf(name, sizeof(name), "policy/%s",
			       bad_cases[i].file);
		ov_err_clear(&err);
		ASSERT_CODE(load_fixture(name, &p, &err), bad_cases[i].code,
			    &err);
		ASSERT(p == NULL);
		ASSERT_STR_HAS(err.msg, bad_cases[i].msg);
		/* every message starts with the file name */
		ASSERT(strncmp(err.msg, name, strlen(name)) == 0);
		ASSERT(strchr(err.msg, '\n') == NULL);
	}
}

TEST(type_null_is_absent)
{
	struct ov_policy *p = NULL;
	struct ov_err err;

	/* JSON null reads as Go's zero value: an absent member. */
	ASSERT_OK(
	    parse_str("{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":"
		      "\"n\",\"registryScopes\":[\"*\"],"
		      "\"signatureVerification\":{\"level\":\"skip\","
		      "\"override\":null,\"verifyTimestamp\":null},"
		      "\"trustStores\":null,\"trustedIdentities\":null}]}",
		      &p, &err),
	    &err);
	ASSERT_INT_EQ(p->statements[0].custom, 0);
	ov_policy_free(p);
	p = NULL;
	/* An empty override object customises nothing, even with skip. */
	ASSERT_OK(parse_str("{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":"
			    "\"n\",\"registryScopes\":[\"*\"],"
			    "\"signatureVerification\":{\"level\":\"skip\","
			    "\"override\":{}}}]}",
			    &p, &err),
		  &err);
	ov_policy_free(p);
	p = NULL;
	ASSERT_CODE(
	    parse_str("{\"version\":\"1.0\",\"trustPolicies\":[{\"name\""
		      ":\"n\",\"registryScopes\":[\"*\"],"
		      "\"signatureVerification\":{\"level\":\"audit\","
		      "\"override\":{\"expiry\":1}}}]}",
		      &p, &err),
	    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "member \"override\" must map verification types to strings");
	/* Member names are case-sensitive, and a case variant of a known
	 * member (which notation would read as it) is refused. */
	ASSERT_CODE(parse_str("{\"Version\":\"1.0\",\"trustPolicies\":[]}", &p,
			      &err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg,
	    "member \"Version\" must be spelled \"version\"");
}

TEST(overrides)
{
	static const char fmt[] =
	    "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"n\","
	    "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":"
	    "\"%s\",\"override\":{%s}},\"trustStores\":[\"ca:s\"],"
	    "\"trustedIdentities\":[\"*\"]}]}";
	struct ov_policy *p = NULL;
	struct ov_err err;
	char doc[1024];
	const struct ov_policy_statement *st;

	(void)snprintf(
	    doc, sizeof(doc), fmt, "audit",
	    "\"authenticity\":\"enforce\",\"authenticTimestamp\":\"enforce\","
	    "\"expiry\":\"log\",\"revocation\":\"skip\"");
	ASSERT_OK(parse_str(doc, &p, &err), &err);
	st = &p->statements[0];
	ASSERT_INT_EQ(st->custom, 1);
	ASSERT_INT_EQ(st->actions[OV_CHECK_INTEGRITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(st->actions[OV_CHECK_AUTHENTICITY], OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(st->actions[OV_CHECK_AUTHENTIC_TIMESTAMP],
		      OV_ACTION_ENFORCE);
	ASSERT_INT_EQ(st->actions[OV_CHECK_EXPIRY], OV_ACTION_LOG);
	ASSERT_INT_EQ(st->actions[OV_CHECK_REVOCATION], OV_ACTION_SKIP);
	ov_policy_free(p);
	p = NULL;

	/* integrity may not appear even as "enforce", nor with a bad action
	 * (the action is checked first, as notation does) */
	(void)snprintf(doc, sizeof(doc), fmt, "strict",
		       "\"integrity\":\"bogus\"");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "verification action \"bogus\"");
	(void)snprintf(doc, sizeof(doc), fmt, "strict",
		       "\"authenticity\":\"skip\"");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg,
		       "\"authenticity\" verification can not be skipped");
	(void)snprintf(doc, sizeof(doc), fmt, "strict",
		       "\"authenticTimestamp\":\"skip\"");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg, "\"authenticTimestamp\" verification can not be skipped");
	/* keys are case-sensitive */
	(void)snprintf(doc, sizeof(doc), fmt, "strict",
		       "\"Revocation\":\"skip\"");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "verification type \"Revocation\"");
	ASSERT(p == NULL);
}

TEST(identities)
{
	static const char fmt[] =
	    "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"n\","
	    "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":"
	    "\"strict\"},\"trustStores\":[\"ca:s\"],"
	    "\"trustedIdentities\":[%s]}]}";
	struct ov_policy *p = NULL;
	struct ov_err err;
	char doc[1024];
	const struct ov_policy_statement *st;

	/* only non-x509 identities: valid, but nothing to match natively */
	(void)snprintf(
	    doc, sizeof(doc), fmt,
	    "\"nonX509Prefix:my-custom-identity\",\"x509.subject :C=US\"");
	ASSERT_OK(parse_str(doc, &p, &err), &err);
	st = &p->statements[0];
	ASSERT_INT_EQ(st->nidentities, 0);
	ASSERT_INT_EQ(st->nother_identities, 2);
	ASSERT_INT_EQ(st->any_identity, 0);
	ov_policy_free(p);
	p = NULL;

	/* distinct DNs do not overlap; the prefix is split at the first ':' */
	(void)snprintf(doc, sizeof(doc), fmt,
		       "\"x509.subject:C=US,O=SomeOrg,ST=WA\","
		       "\"x509.subject:C=IND,O=SomeOrg,ST=TS\","
		       "\"x509.subject:C=US,O=Some\\\\3AOrg,ST=WA,CN=a:b\"");
	ASSERT_OK(parse_str(doc, &p, &err), &err);
	st = &p->statements[0];
	ASSERT_INT_EQ(st->nidentities, 3);
	ASSERT_STR_EQ(st->identities[2]->attrs[1].value, "Some:Org");
	ASSERT_STR_EQ(st->identities[2]->attrs[3].value, "a:b");
	ov_policy_free(p);
	p = NULL;

	/* identical DNs overlap */
	(void)snprintf(doc, sizeof(doc), fmt,
		       "\"x509.subject:C=US,O=SomeOrg,ST=WA\","
		       "\"x509.subject: C=US, S=WA, O=SomeOrg\"");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "has overlapping x509 trustedIdentities");
	/* a spaces-only value */
	(void)snprintf(doc, sizeof(doc), fmt, "\"x509.subject:   \"");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "without an identity value");
	/* the wildcard twice is still "in conjunction with other values" */
	(void)snprintf(doc, sizeof(doc), fmt, "\"*\",\"*\"");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "uses a wildcard trusted identity '*'");
	/* a control character is escaped in the message */
	(void)snprintf(doc, sizeof(doc), fmt, "\"a\\nb\"");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg,
		       "trusted identity \"a\\x0ab\" missing separator");
	ASSERT(p == NULL);
}

TEST(select)
{
	struct ov_policy *p = NULL;
	struct ov_err err;

	ASSERT_OK(load_fixture("policy/good-full.json", &p, &err), &err);
	/* exact match beats "*" even though "*" is not listed first here */
	ASSERT(
	    ov_policy_select(p,
			     "registry.acme-rockets.io/software/net-logger") ==
	    &p->statements[0]);
	ASSERT(ov_policy_select(
		   p, "registry.wabbit-networks.io:5000/dev/net-monitor") ==
	       &p->statements[1]);
	ASSERT(ov_policy_select(p, "example.com/other") == &p->statements[3]);
	/* no normalisation: a prefix or a tag is a different scope */
	ASSERT(ov_policy_select(p, "registry.acme-rockets.io/software") ==
	       &p->statements[3]);
	ASSERT(ov_policy_select(p, NULL) == &p->statements[3]);
	ov_policy_free(p);
	p = NULL;

	ASSERT_OK(load_fixture("policy/good-minimal.json", &p, &err), &err);
	ASSERT(ov_policy_select(p, "registry.wabbit-networks.io/net-monitor") ==
	       &p->statements[0]);
	ASSERT(ov_policy_select(p, "registry.wabbit-networks.io/other") ==
	       NULL);
	ASSERT(ov_policy_select(p, "*") == NULL);
	ASSERT(ov_policy_select(p, NULL) == NULL);
	ov_policy_free(p);
}

TEST(scope_grammar)
{
	static const char *const good[] = {
	    "example.com/rep",
	    "example.com:8080/rep/rep2",
	    "domain/rep",
	    "10.10.10.10:8080/rep/rep2",
	    "localhost:5000/net-monitor",
	    "a/b",
	    "my-registry.example.com/a.b/c_d/e__f/g---h/0",
	    "A-1.Example.COM/x",
	};
	static const char *const bad[] = {
	    "local/myOCILayout",
	    "example.com",
	    "example.com/Rep",
	    "https://x/y",
	    "x/y:tag",
	    "x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	    "*x/y",
	    "*",
	    "",
	    "/rep",
	    "example.com/",
	    "example.com//rep",
	    "example.com/rep/",
	    "-example.com/rep",
	    "example-.com/rep",
	    "example..com/rep",
	    ".example.com/rep",
	    "example.com./rep",
	    "example.com:/rep",
	    "example.com:80a/rep",
	    "example.com:80:81/rep",
	    "exa_mple.com/rep",
	    "example.com/-rep",
	    "example.com/rep-",
	    "example.com/re..p",
	    "example.com/re___p",
	    "example.com/re._p",
	    "example.com/re-.p",
	    "example.com/_rep",
	    "example.com/re p",
	};
	struct ov_err err;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ASSERT_OK(ov_scope_validate(good[i], &err), &err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_CODE(ov_scope_validate(bad[i], &err), OV_E_CONFIG, &err);
		ASSERT_STR_HAS(err.msg, "invalid registry scope \"");
	}
	ASSERT_CODE(ov_scope_validate("example.com/Rep", &err), OV_E_CONFIG,
		    &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "invalid registry scope \"example.com/Rep\": the repository must be lowercase");
	ASSERT_CODE(ov_scope_validate("https://x/y", &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "invalid registry host name or port");
	ASSERT_CODE(ov_scope_validate("example.com", &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(err.msg, "expected <registry>/<repository>");
}

TEST(limits)
{
	struct ov_policy *p = NULL;
	struct ov_buf b;
	struct ov_err err;
	size_t i;

	ov_buf_init(&b, OV_MAX_POLICY);
	ASSERT_OK(ov_buf_adds(&b, "{\"version\":\"1.0\",\"trustPolicies\":[",
			      &err),
		  &err);
	for (i = 0; i <= OV_MAX_POLICY_STATEMENTS; i++)
		ASSERT_OK(
		    ov_buf_addf(&b, &err,
				"%s{\"name\":\"s%zu\",\"registryScopes\":[\"a/"
				"s%zu\"],\"signatureVerification\":{\"level\":"
				"\"skip\"}}",
				i ? "," : "", i, i),
		    &err);
	ASSERT_OK(ov_buf_adds(&b, "]}", &err), &err);
	ASSERT_CODE(ov_policy_parse(b.data, b.len, "big.json", &p, &err),
		    OV_E_LIMIT, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "big.json: trust policy document has more than 1000 trust policy statements");

	/* exactly the maximum is fine, and scope repeats are still found */
	ov_buf_reset(&b);
	ASSERT_OK(ov_buf_adds(&b, "{\"version\":\"1.0\",\"trustPolicies\":[",
			      &err),
		  &err);
	for (i = 0; i < OV_MAX_POLICY_STATEMENTS; i++)
		ASSERT_OK(
		    ov_buf_addf(&b, &err,
				"%s{\"name\":\"s%zu\",\"registryScopes\":[\"a/"
				"s%zu\"],\"signatureVerification\":{\"level\":"
				"\"skip\"}}",
				i ? "," : "", i, i == 999 ? (size_t)7 : i),
		    &err);
	ASSERT_OK(ov_buf_adds(&b, "]}", &err), &err);
	ASSERT_CODE(ov_policy_parse(b.data, b.len, "big.json", &p, &err),
		    OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "trust policy statement \"s999\": registry scope \"a/s7\" is present in multiple trust policy statements, one registry scope value can only be associated with one statement (first in statement \"s7\")");

	ov_buf_reset(&b);
	ASSERT_OK(ov_buf_adds(&b,
			      "{\"version\":\"1.0\",\"trustPolicies\":[{"
			      "\"name\":\"n\",\"signatureVerification\":{"
			      "\"level\":\"skip\"},\"registryScopes\":[",
			      &err),
		  &err);
	for (i = 0; i <= OV_MAX_POLICY_ENTRIES; i++)
		ASSERT_OK(ov_buf_addf(&b, &err, "%s\"a/s%zu\"", i ? "," : "",
				      i),
			  &err);
	ASSERT_OK(ov_buf_adds(&b, "]}]}", &err), &err);
	ASSERT_CODE(ov_policy_parse(b.data, b.len, "big.json", &p, &err),
		    OV_E_LIMIT, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "big.json: trust policy statement \"n\": member \"registryScopes\" has more than 1000 entries");
	ov_buf_free(&b);
	ASSERT(p == NULL);
}

/*
 * The upstream policies with expected.json's policy_patch applied, written
 * out inline: the mock policy (ng-mock-policy-*) with the given trustStores
 * and trustedIdentities, and the timestamp policy (ng-ts-policy-*) with the
 * given trustStores.
 */
static const char mock_fmt[] =
    "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":"
    "\"test-statement-name\",\"registryScopes\":["
    "\"registry.acme-rockets.io/software/net-monitor\"],"
    "\"signatureVerification\":{\"level\":\"strict\"},"
    "\"trustStores\":%s,\"trustedIdentities\":%s}]}";
static const char mock_stores[] =
    "[\"ca:valid-trust-store\",\"signingAuthority:valid-trust-store\"]";
static const char mock_identities[] =
    "[\"x509.subject:CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US\"]";
static const char ts_fmt[] =
    "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"test-timestamp\","
    "\"registryScopes\":[\"*\"],\"signatureVerification\":{\"level\":"
    "\"strict\",\"verifyTimestamp\":\"always\"},\"trustStores\":%s,"
    "\"trustedIdentities\":[\"*\"]}]}";

TEST(upstream_policies)
{
	const char *v;
	struct ov_policy *p = NULL;
	const struct ov_policy_statement *st;
	struct ov_err err;
	char mockpath[4096], tspath[4096], doc[1024];

	if ((v = vectors_path("notation-go/mock-envelopes/trustpolicy.json")) ==
	    NULL) {
		fprintf(stderr, "skipped: no upstream vectors\n");
		return;
	}
	(void)snprintf(mockpath, sizeof(mockpath), "%s", v);
	v = vectors_path("notation-go/timestamp/trustpolicy.json");
	(void)snprintf(tspath, sizeof(tspath), "%s", v);

	/* ng-mock-policy, ng-ts-policy */
	ASSERT_OK(ov_policy_load(mockpath, &p, &err), &err);
	st = ov_policy_select(p,
			      "registry.acme-rockets.io/software/net-monitor");
	ASSERT(st != NULL);
	ASSERT_STR_EQ(st->name, "test-statement-name");
	ASSERT_INT_EQ(st->nstores, 2);
	ASSERT_INT_EQ(st->stores[1].type, OV_STORE_SIGNING_AUTHORITY);
	ASSERT_INT_EQ(st->nidentities, 1);
	ASSERT_INT_EQ(st->identities[0]->n, 5);
	ov_policy_free(p);
	p = NULL;
	ASSERT_OK(ov_policy_load(tspath, &p, &err), &err);
	st = ov_policy_select(p, "registry.wabbit-networks.io/x");
	ASSERT(st != NULL);
	ASSERT_INT_EQ(st->stores[1].type, OV_STORE_TSA);
	ASSERT_INT_EQ(st->any_identity, 1);
	ov_policy_free(p);
	p = NULL;

	/* the inline copies of both documents are valid */
	(void)snprintf(doc, sizeof(doc), mock_fmt, mock_stores,
		       mock_identities);
	ASSERT_OK(parse_str(doc, &p, &err), &err);
	ov_policy_free(p);
	p = NULL;
	(void)snprintf(doc, sizeof(doc), ts_fmt,
		       "[\"ca:valid-trust-store\",\"tsa:test-timestamp\"]");
	ASSERT_OK(parse_str(doc, &p, &err), &err);
	ov_policy_free(p);
	p = NULL;

	/* ng-mock-policy-store-missing-separator */
	(void)snprintf(doc, sizeof(doc), mock_fmt,
		       "[\"ca:valid-trust-store-2\",\"signingAuthority\"]",
		       mock_identities);
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "is missing separator in trust store value \"signingAuthority\". The required format is <TrustStoreType>:<TrustStoreName>");
	/* ng-mock-policy-identity-missing-separator */
	(void)snprintf(doc, sizeof(doc), mock_fmt, mock_stores,
		       "[\"x509.subject\"]");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "trust policy statement \"test-statement-name\" has trusted identity \"x509.subject\" missing separator");
	/* ng-mock-policy-identity-empty-value */
	(void)snprintf(doc, sizeof(doc), mock_fmt, mock_stores,
		       "[\"x509.subject:\"]");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "trust policy statement \"test-statement-name\" has trusted identity \"x509.subject:\" without an identity value");
	/* ng-ts-policy-tsa-missing-separator */
	(void)snprintf(doc, sizeof(doc), ts_fmt,
		       "[\"ca:valid-trust-store\",\"tsa\"]");
	ASSERT_CODE(parse_str(doc, &p, &err), OV_E_CONFIG, &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "is missing separator in trust store value \"tsa\". The required format is <TrustStoreType>:<TrustStoreName>");
	ASSERT(p == NULL);
}

TEST(load)
{
	struct ov_policy *p = NULL;
	struct ov_err err;
	char dir[] = "/tmp/t_policy.XXXXXX", path[256], link[256];

	ASSERT_CODE(ov_policy_load("/nonexistent/trustpolicy.json", &p, &err),
		    OV_E_NOTFOUND, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "trust policy /nonexistent/trustpolicy.json is not present");
	ASSERT_OK(ov_policy_load(testdata_path("policy/good-minimal.json"), &p,
				 &err),
		  &err);
	ov_policy_free(p);
	p = NULL;

	ASSERT(mkdtemp(dir) != NULL);
	(void)snprintf(link, sizeof(link), "%s/trustpolicy.json", dir);
	(void)snprintf(path, sizeof(path), "%s",
		       testdata_path("policy/good-minimal.json"));
	ASSERT(symlink(path, link) == 0);
	ASSERT_CODE(ov_policy_load(link, &p, &err), OV_E_IO, &err);
	ASSERT_STR_HAS(err.msg, "symbolic link");
	ASSERT(unlink(link) == 0);
	ASSERT(mkdir(link, 0700) == 0);
	ASSERT_CODE(ov_policy_load(link, &p, &err), OV_E_IO, &err);
	ASSERT_STR_HAS(err.msg, "not a regular file");
	ASSERT(rmdir(link) == 0);
	/* an empty file is not JSON */
	ASSERT(close(open(link, O_WRONLY | O_CREAT | O_EXCL, 0600)) == 0);
	ASSERT_CODE(ov_policy_load(link, &p, &err), OV_E_FORMAT, &err);
	ASSERT_STR_HAS(err.msg, "trustpolicy.json: empty document");
	ASSERT(unlink(link) == 0);
	ASSERT(rmdir(dir) == 0);
	ASSERT(p == NULL);
}

/*
 * ov_policy_as_strict(st, base) for two statement bodies: base (NULL: the
 * policy has no "*" statement) gets registryScopes ["*"], st
 * ["registry.example/app"]. Each body is the JSON after "name", e.g.
 * "\"signatureVerification\":{\"level\":\"strict\"},...". Returns the
 * code; the reason is in err.
 */
static enum ov_code
as_strict(const char *base, const char *st, struct ov_err *err)
{
	struct ov_policy *p = NULL;
	const struct ov_policy_statement *b, *s;
	char doc[4096];
	enum ov_code r;
	int n;

	if (base != NULL)
		n = snprintf(
		    doc, sizeof(doc),
		    "{\"version\":\"1.0\",\"trustPolicies\":["
		    "{\"name\":\"wild\",\"registryScopes\":[\"*\"],%s},"
		    "{\"name\":\"app\",\"registryScopes\":"
		    "[\"registry.example/app\"],%s}]}",
		    base, st);
	else
		n = snprintf(doc, sizeof(doc),
			     "{\"version\":\"1.0\",\"trustPolicies\":["
			     "{\"name\":\"app\",\"registryScopes\":"
			     "[\"registry.example/app\"],%s}]}",
			     st);
	/* a broken set-up returns OV_E_INTERNAL, which no test expects */
	if (n <= 0 || (size_t)n >= sizeof(doc) ||
	    parse_str(doc, &p, err) != OV_OK)
		return OV_E_INTERNAL;
	b = ov_policy_select(p, NULL);
	s = ov_policy_select(p, "registry.example/app");
	r = OV_E_INTERNAL;
	/* a statement is as strict as itself */
	if (s == NULL || (b != NULL) != (base != NULL) || s == b ||
	    ov_policy_as_strict(s, s, err) != OV_OK ||
	    (b != NULL && ov_policy_as_strict(b, b, err) != OV_OK))
		goto out;
	ov_err_clear(err);
	r = ov_policy_as_strict(s, b, err);
	if ((r != OV_OK && r != OV_E_POLICY) ||
	    (r == OV_OK) != (err->msg[0] == '\0'))
		r = OV_E_INTERNAL;
out:
	ov_policy_free(p);
	return r;
}

#define SV(level) "\"signatureVerification\":{\"level\":\"" level "\"}"
#define SVO(level, ovr)                                                        \
	"\"signatureVerification\":{\"level\":\"" level                        \
	"\",\"override\":{" ovr "}}"
#define STORES(s) ",\"trustStores\":[" s "]"
#define IDS(s) ",\"trustedIdentities\":[" s "]"
#define ANY IDS("\"*\"")
#define CA STORES("\"ca:a\"")
#define ACME "\"x509.subject:C=US,ST=WA,O=Acme\""
#define ACME_CN "\"x509.subject:C=US,ST=WA,O=Acme,CN=builder\""
#define OTHER "\"x509.subject:C=US,ST=WA,O=Other\""

TEST(as_strict_levels)
{
	struct ov_err err;

	/* the same level, and stricter ones */
	ASSERT_OK(as_strict(SV("strict") CA ANY, SV("strict") CA ANY, &err),
		  &err);
	ASSERT_OK(as_strict(SV("permissive") CA ANY, SV("strict") CA ANY, &err),
		  &err);
	ASSERT_OK(as_strict(SV("audit") CA ANY, SV("permissive") CA ANY, &err),
		  &err);
	/* weaker levels, named by their first weaker check */
	ASSERT_CODE(as_strict(SV("strict") CA ANY, SV("skip"), &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "it skips signature verification");
	ASSERT_CODE(as_strict(SV("strict") CA ANY, SV("permissive") CA ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "authenticTimestamp is logged, not enforced");
	ASSERT_CODE(as_strict(SV("permissive") CA ANY, SV("audit") CA ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "authenticity is logged, not enforced");
	ASSERT_CODE(as_strict(SV("audit") CA ANY, SV("skip"), &err),
		    OV_E_POLICY, &err);
	/* a "*" statement that skips admits everything: anything is as
	 * strict, even another skip */
	ASSERT_OK(as_strict(SV("skip"), SV("skip"), &err), &err);
	ASSERT_OK(as_strict(SV("skip"),
			    SV("audit") STORES("\"ca:z\"") IDS(OTHER), &err),
		  &err);
}

TEST(as_strict_overrides)
{
	struct ov_err err;

	/* overrides count, not level names */
	ASSERT_CODE(as_strict(SV("strict") CA ANY,
			      SVO("strict", "\"revocation\":\"skip\"") CA ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "revocation is skipped, not enforced");
	ASSERT_CODE(as_strict(SV("permissive") CA ANY,
			      SVO("strict", "\"revocation\":\"skip\"") CA ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "revocation is skipped, not logged");
	ASSERT_OK(as_strict(SV("permissive") CA ANY,
			    SVO("strict", "\"revocation\":\"log\"") CA ANY,
			    &err),
		  &err);
	ASSERT_CODE(as_strict(SV("strict") CA ANY,
			      SVO("strict", "\"expiry\":\"log\"") CA ANY, &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "expiry is logged, not enforced");
	/* permissive raised to enforce everything is strict */
	ASSERT_OK(as_strict(SV("strict") CA ANY,
			    SVO("permissive",
				"\"authenticTimestamp\":\"enforce\","
				"\"expiry\":\"enforce\","
				"\"revocation\":\"enforce\"") CA ANY,
			    &err),
		  &err);
	/* a "*" statement weakened by an override */
	ASSERT_OK(as_strict(SVO("permissive", "\"revocation\":\"skip\"") CA ANY,
			    SVO("strict", "\"revocation\":\"skip\"") CA ANY,
			    &err),
		  &err);
	ASSERT_CODE(as_strict(SVO("strict", "\"revocation\":\"skip\"") CA ANY,
			      SVO("permissive", "\"revocation\":\"skip\"")
				  CA ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "authenticTimestamp is logged, not enforced");
	ASSERT_CODE(as_strict(SVO("audit", "\"authenticity\":\"enforce\"")
				  CA ANY,
			      SV("audit") CA ANY, &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "authenticity is logged, not enforced");
}

TEST(as_strict_stores)
{
	struct ov_err err;

	ASSERT_OK(as_strict(SV("strict") STORES("\"ca:a\",\"ca:b\"") ANY,
			    SV("strict") STORES("\"ca:b\"") ANY, &err),
		  &err);
	ASSERT_CODE(as_strict(SV("strict") CA ANY,
			      SV("strict") STORES("\"ca:a\",\"ca:other\"") ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "it trusts store \"ca:other\", which statement \"wild\" does not");
	/* the same name under another type is another store */
	ASSERT_CODE(as_strict(SV("strict") CA ANY,
			      SV("strict") STORES("\"signingAuthority:a\"") ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "it trusts store \"signingAuthority:a\", which statement \"wild\" does not");
	/* tsa stores: the same set, or none on both sides */
	ASSERT_OK(as_strict(SV("strict") STORES("\"ca:a\",\"tsa:t\"") ANY,
			    SV("strict") STORES("\"tsa:t\",\"ca:a\"") ANY,
			    &err),
		  &err);
	ASSERT_CODE(as_strict(SV("strict") CA ANY,
			      SV("strict") STORES("\"ca:a\",\"tsa:t\"") ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "its tsa trust stores are not those of statement \"wild\"");
	ASSERT_CODE(as_strict(SV("strict") STORES("\"ca:a\",\"tsa:t\"") ANY,
			      SV("strict") CA ANY, &err),
		    OV_E_POLICY, &err);
	ASSERT_CODE(as_strict(SV("strict") STORES("\"ca:a\",\"tsa:t\"") ANY,
			      SV("strict") STORES("\"ca:a\",\"tsa:u\"") ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_CODE(as_strict(SV("strict") STORES("\"ca:a\",\"tsa:t\"") ANY,
			      SV("strict")
				  STORES("\"ca:a\",\"tsa:t\",\"tsa:u\"") ANY,
			      &err),
		    OV_E_POLICY, &err);
	/* verifyTimestamp matters only with tsa stores */
	ASSERT_CODE(as_strict(SV("strict") STORES("\"ca:a\",\"tsa:t\"") ANY,
			      "\"signatureVerification\":{\"level\":\"strict\","
			      "\"verifyTimestamp\":\"afterCertExpiry\"}" STORES(
				  "\"ca:a\",\"tsa:t\"") ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "its verifyTimestamp \"afterCertExpiry\" is not the \"always\" of statement \"wild\"");
	ASSERT_OK(as_strict(SV("strict") CA ANY,
			    "\"signatureVerification\":{\"level\":\"strict\","
			    "\"verifyTimestamp\":\"afterCertExpiry\"}" CA ANY,
			    &err),
		  &err);
}

TEST(as_strict_identities)
{
	struct ov_err err;

	/* "*" on the "*" statement admits every identity of its stores */
	ASSERT_OK(as_strict(SV("strict") CA ANY, SV("strict") CA IDS(OTHER),
			    &err),
		  &err);
	ASSERT_CODE(as_strict(SV("strict") CA IDS(ACME), SV("strict") CA ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "it trusts any identity (\"*\"), statement \"wild\" only those it lists");
	/* a narrower identity (more attributes) admits fewer signers */
	ASSERT_OK(as_strict(SV("strict") CA IDS(ACME),
			    SV("strict") CA IDS(ACME_CN), &err),
		  &err);
	ASSERT_OK(as_strict(SV("strict") CA IDS(OTHER "," ACME),
			    SV("strict") CA IDS(ACME), &err),
		  &err);
	ASSERT_CODE(as_strict(SV("strict") CA IDS(ACME_CN),
			      SV("strict") CA IDS(ACME), &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "it trusts identity \"x509.subject:C=US,ST=WA,O=Acme\", which no trusted identity of statement \"wild\" covers");
	ASSERT_CODE(as_strict(SV("strict") CA IDS(ACME),
			      SV("strict") CA IDS(ACME_CN "," OTHER), &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg, "O=Other");
	/* an attribute absent from a subject compares as empty: OU= on the
	 * "*" statement does not cover an identity without OU */
	ASSERT_CODE(as_strict(SV("strict") CA IDS(
				  "\"x509.subject:C=US,ST=WA,O=Acme,OU=\""),
			      SV("strict") CA IDS(ACME), &err),
		    OV_E_POLICY, &err);
	ASSERT_OK(as_strict(SV("strict") CA IDS(ACME),
			    SV("strict") CA IDS(
				"\"x509.subject:C=US,ST=WA,O=Acme,OU=\""),
			    &err),
		  &err);
	/* identities notation ignores admit no one */
	ASSERT_OK(as_strict(SV("strict") CA IDS(ACME),
			    SV("strict") CA IDS("\"other.prefix:x\""), &err),
		  &err);
	/* stores and identities of a skipped "*" do not matter */
	ASSERT_OK(as_strict(SV("skip"), SV("strict") CA ANY, &err), &err);
}

TEST(as_strict_no_wildcard)
{
	struct ov_err err;

	/* without a "*" statement only full enforcement, any stores */
	ASSERT_OK(as_strict(NULL,
			    SV("strict") STORES("\"ca:x\",\"tsa:t\"")
				IDS(OTHER),
			    &err),
		  &err);
	ASSERT_OK(as_strict(NULL,
			    SVO("audit", "\"authenticity\":\"enforce\","
					 "\"authenticTimestamp\":\"enforce\","
					 "\"expiry\":\"enforce\","
					 "\"revocation\":\"enforce\"") CA ANY,
			    &err),
		  &err);
	ASSERT_CODE(as_strict(NULL, SV("skip"), &err), OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "it skips signature verification");
	ASSERT_CODE(as_strict(NULL, SV("permissive") CA ANY, &err), OV_E_POLICY,
		    &err);
	ASSERT_STR_EQ(err.msg, "authenticTimestamp is logged, not enforced");
	ASSERT_CODE(as_strict(NULL,
			      SVO("strict", "\"revocation\":\"log\"") CA ANY,
			      &err),
		    OV_E_POLICY, &err);
	ASSERT_STR_EQ(err.msg, "revocation is logged, not enforced");
}

/*
 * ov_policy_check lists every problem (issue 10): the first-error parse
 * and the check agree on the first one, the check goes on, unknown
 * members are warnings that name the member they are closest to.
 */
TEST(check_lists_every_problem)
{
	struct ov_policy_problems pr;
	struct ov_policy *p = NULL;
	struct ov_buf b;
	struct ov_err e, first;
	size_t i;

	read_file_or_die(testdata_path("policy/bad-many.json"), &b);
	ASSERT_CODE(ov_policy_parse(b.data, b.len, "m.json", &p, &e),
	    OV_E_CONFIG, &e);
	memcpy(&first, &e, sizeof(first));
	ASSERT_OK(ov_policy_check(b.data, b.len, "m.json", &p, &pr, &e), &e);
	ASSERT_INT_EQ(pr.nerrors, 5);
	ASSERT_STR_EQ(pr.errors[0], first.msg);
	ASSERT_STR_HAS(pr.errors[0], "\"wildcard\" is either missing");
	ASSERT_STR_HAS(pr.errors[1], "missing a name");
	ASSERT_STR_HAS(pr.errors[2], "\"strictest\"");
	ASSERT_STR_HAS(pr.errors[3], "same name \"missing-store\"");
	ASSERT_STR_HAS(pr.errors[4], "invalid registry scope");
	ASSERT_INT_EQ(pr.nwarnings, 3);
	ASSERT_STR_HAS(pr.warnings[1],
	    "unknown member \"trustStore\" is ignored (did you mean \"trustStores\"?)");
	/* the statements that parsed, for checking their trust stores */
	ASSERT(p != NULL);
	for (i = 0; i < p->n; i++)
		if (p->statements[i].name != NULL &&
		    strcmp(p->statements[i].name, "missing-store") == 0)
			break;
	ASSERT(i < p->n);
	ASSERT_INT_EQ(p->statements[i].nstores, 2);
	ov_policy_free(p);
	ov_policy_problems_clear(&pr);
	ov_buf_free(&b);

	/* a valid policy: no error, its unknown members as warnings */
	read_file_or_die(testdata_path("policy/good-full.json"), &b);
	ASSERT_OK(ov_policy_check(b.data, b.len, "f.json", &p, &pr, &e), &e);
	ASSERT_INT_EQ(pr.nerrors, 0);
	ASSERT(pr.nwarnings > 0);
	ASSERT(p != NULL && p->nwarnings == 0); /* moved to pr */
	ov_policy_free(p);
	ov_policy_problems_clear(&pr);
	ov_buf_free(&b);

	/* not JSON: one problem, no policy */
	ASSERT_OK(ov_policy_check("{", 1, "x.json", &p, &pr, &e), &e);
	ASSERT_INT_EQ(pr.nerrors, 1);
	ASSERT_STR_HAS(pr.errors[0], "line 1, column 2");
	ASSERT(p == NULL);
	ov_policy_problems_clear(&pr);
}

int
main(void)
{
	RUN(names);
	RUN(check_lists_every_problem);
	RUN(full_policy);
	RUN(other_good_fixtures);
	RUN(bad_fixtures);
	RUN(type_null_is_absent);
	RUN(overrides);
	RUN(identities);
	RUN(select);
	RUN(scope_grammar);
	RUN(limits);
	RUN(upstream_policies);
	RUN(load);
	RUN(as_strict_levels);
	RUN(as_strict_overrides);
	RUN(as_strict_stores);
	RUN(as_strict_identities);
	RUN(as_strict_no_wildcard);
	return ov_test_done();
}
