/* SPDX-License-Identifier: Apache-2.0 */
/* Distinguished names of trusted identities (spec digest E.6). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "dn.h"
#include "harness.h"

static const char *
get(const struct ov_dn *dn, const char *type)
{
	size_t i;

	for (i = 0; i < dn->n; i++)
		if (strcmp(dn->attrs[i].type, type) == 0)
			return dn->attrs[i].value;
	return NULL;
}

TEST(parse_simple)
{
	struct ov_dn *dn = NULL;
	struct ov_err err;

	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=acme", &dn, &err), &err);
	ASSERT_INT_EQ(dn->n, 3);
	ASSERT_STR_EQ(dn->attrs[0].type, "C");
	ASSERT_STR_EQ(dn->attrs[0].value, "US");
	ASSERT_STR_EQ(dn->attrs[1].type, "ST");
	ASSERT_STR_EQ(dn->attrs[2].value, "acme");
	ov_dn_free(dn);
	dn = NULL;

	/* spaces around types and values, ';' separator, S alias */
	ASSERT_OK(ov_dn_parse("  C = US ;  S=WA ,O = acme rockets  ; "
			      "L=Seattle,CN=Secure Builder 1",
			      &dn, &err),
		  &err);
	ASSERT_INT_EQ(dn->n, 5);
	ASSERT_STR_EQ(get(dn, "C"), "US");
	ASSERT_STR_EQ(get(dn, "ST"), "WA");
	ASSERT(get(dn, "S") == NULL);
	ASSERT_STR_EQ(get(dn, "O"), "acme rockets");
	ASSERT_STR_EQ(get(dn, "L"), "Seattle");
	ASSERT_STR_EQ(get(dn, "CN"), "Secure Builder 1");
	ov_dn_free(dn);
	dn = NULL;

	/* type names are kept as written (case-sensitive), OIDs allowed */
	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=x,cn=a,2.5.4.11=b,x-Y1=c", &dn,
			      &err),
		  &err);
	ASSERT_STR_EQ(get(dn, "cn"), "a");
	ASSERT_STR_EQ(get(dn, "2.5.4.11"), "b");
	ASSERT_STR_EQ(get(dn, "x-Y1"), "c");
	ASSERT(get(dn, "CN") == NULL);
	ov_dn_free(dn);
	dn = NULL;

	/* an empty value is allowed outside C, ST and O; so is '=' */
	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=x,OU=,CN=a=b", &dn, &err), &err);
	ASSERT_STR_EQ(get(dn, "OU"), "");
	ASSERT_STR_EQ(get(dn, "CN"), "a=b");
	ov_dn_free(dn);
}

TEST(parse_escapes)
{
	struct ov_dn *dn = NULL;
	struct ov_err err;

	ASSERT_OK(
	    ov_dn_parse("C=US,ST=WA,O=a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\=i,"
			"CN=\\ lead\\ ,OU=\\#hash,L=  x\\  ",
			&dn, &err),
	    &err);
	ASSERT_STR_EQ(get(dn, "O"), "a,b+c\"d\\e<f>g;h=i");
	ASSERT_STR_EQ(get(dn, "CN"), " lead ");
	ASSERT_STR_EQ(get(dn, "OU"), "#hash");
	ASSERT_STR_EQ(get(dn, "L"), "x ");
	ov_dn_free(dn);
	dn = NULL;

	/* hex pairs, in either case, forming UTF-8 */
	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=caf\\C3\\a9,CN=\\41\\2c", &dn,
			      &err),
		  &err);
	ASSERT_STR_EQ(get(dn, "O"), "caf\xc3\xa9");
	ASSERT_STR_EQ(get(dn, "CN"), "A,");
	ov_dn_free(dn);
	dn = NULL;

	/* raw UTF-8 passes through */
	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=caf\xc3\xa9", &dn, &err), &err);
	ASSERT_STR_EQ(get(dn, "O"), "caf\xc3\xa9");
	ov_dn_free(dn);
}

static const struct bad_dn {
	const char *dn;
	enum ov_code code;
	const char *msg;
} bad_dns[] = {
    {"", OV_E_FORMAT, "distinguished name (DN) \"\" is empty"},
    {"   ", OV_E_FORMAT, "is empty"},
    {"C=US,ST=WA,O=#0403616263", OV_E_FORMAT,
     "unsupported distinguished name (DN) \"C=US,ST=WA,O=#0403616263\": notation does not support x509.subject identities containing \"=#\""},
    {"C=bad=#identity,O=LOL,ST=LOL", OV_E_FORMAT, "containing \"=#\""},
    {"C=US+ST=WA,O=x", OV_E_FORMAT,
     "distinguished name (DN) \"C=US+ST=WA,O=x\" has multi-valued RDN attributes, remove multi-valued RDN attributes as they are not supported"},
    {"C=US,ST=WA,O=x,O=y", OV_E_FORMAT,
     "has duplicate RDN attribute for \"O\", DN can only have unique RDN attributes"},
    {"C=US,S=WA,ST=OR,O=x", OV_E_FORMAT,
     "has duplicate RDN attribute for \"ST\""},
    {"C=US,O=x", OV_E_FORMAT,
     "distinguished name (DN) \"C=US,O=x\" has no mandatory RDN attribute for \"ST\", it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum"},
    {"ST=WA,O=x", OV_E_FORMAT, "has no mandatory RDN attribute for \"C\""},
    {"C=US,ST=WA", OV_E_FORMAT, "has no mandatory RDN attribute for \"O\""},
    {"C=,ST=WA,O=x", OV_E_FORMAT, "has no mandatory RDN attribute for \"C\""},
    {"c=US,st=WA,o=x", OV_E_FORMAT, "has no mandatory RDN attribute for \"C\""},
    {"C=US,ST=WA,O=x,", OV_E_FORMAT, "an RDN is not a type=value pair"},
    {"C=US,,ST=WA,O=x", OV_E_FORMAT, "an RDN is not a type=value pair"},
    {"C US,ST=WA,O=x", OV_E_FORMAT, "an RDN is not a type=value pair"},
    {"=US,ST=WA,O=x", OV_E_FORMAT, "invalid attribute type"},
    {"1C=US,ST=WA,O=x", OV_E_FORMAT, "invalid attribute type"},
    {"C=US,ST=WA,O=x,2.05.4=y", OV_E_FORMAT, "invalid attribute type"},
    {"C=US,ST=WA,O=x,2.=y", OV_E_FORMAT, "invalid attribute type"},
    {"C=US,ST=WA,O=x,C N=y", OV_E_FORMAT, "invalid attribute type"},
    {"C=US,ST=WA,O=a\\zz", OV_E_FORMAT,
     "parsing distinguished name (DN) \"C=US,ST=WA,O=a\\\\zz\" failed at offset 14: invalid escape sequence"},
    {"C=US,ST=WA,O=a\\", OV_E_FORMAT, "invalid escape sequence"},
    {"C=US,ST=WA,O=a\\4", OV_E_FORMAT, "invalid escape sequence"},
    {"C=US,ST=WA,O=a\\:", OV_E_FORMAT, "invalid escape sequence"},
    {"C=US,ST=WA,O=a\\C3", OV_E_FORMAT, "a value is not valid UTF-8"},
    {"C=US,ST=WA,O=a\\C0\\AF", OV_E_FORMAT, "a value is not valid UTF-8"},
    {"C=US,ST=WA,O=a\\00", OV_E_FORMAT, "escaped NUL byte"},
    {"C=US,ST=WA,O=a\"b", OV_E_FORMAT, "unescaped special character"},
    {"C=US,ST=WA,O=a<b", OV_E_FORMAT, "unescaped special character"},
    {"C=US,ST=WA,O=a>b", OV_E_FORMAT, "unescaped special character"},
    {"C=US,ST=WA,O= #x", OV_E_FORMAT, "must not start with an unescaped '#'"},
};

TEST(parse_bad)
{
	struct ov_dn *dn = NULL;
	struct ov_err err;
	size_t i;

	for (i = 0; i < sizeof(bad_dns) / sizeof(bad_dns[0]); i++) {
		ov_err_clear(&err);
		ASSERT_CODE(ov_dn_parse(bad_dns[i].dn, &dn, &err),
			    bad_dns[i].code, &err);
		ASSERT(dn == NULL);
		ASSERT_STR_HAS(err.msg, bad_dns[i].msg);
	}
}

TEST(parse_limit)
{
	struct ov_dn *dn = NULL;
	struct ov_buf b;
	struct ov_err err;
	int i;

	ov_buf_init(&b, 4096);
	ASSERT_OK(ov_buf_adds(&b, "C=US,ST=WA,O=x", &err), &err);
	for (i = 3; i < OV_MAX_DN_ATTRS; i++)
		ASSERT_OK(ov_buf_addf(&b, &err, ",X%d=v", i), &err);
	ASSERT_OK(ov_dn_parse((char *)b.data, &dn, &err), &err);
	ASSERT_INT_EQ(dn->n, OV_MAX_DN_ATTRS);
	ov_dn_free(dn);
	dn = NULL;
	ASSERT_OK(ov_buf_adds(&b, ",Y=v", &err), &err);
	ASSERT_CODE(ov_dn_parse((char *)b.data, &dn, &err), OV_E_LIMIT, &err);
	ASSERT_STR_HAS(err.msg, "has more than 64 RDN attributes");
	ov_buf_free(&b);
}

/*
 * Build a name from alternating type and UTF-8 value strings. An empty
 * value is stored as a raw UTF8String: OpenSSL's string table refuses it.
 */
static X509_NAME *
make_name(const char *const *kv)
{
	X509_NAME *name = X509_NAME_new();

	for (; name != NULL && kv[0] != NULL; kv += 2)
		if (!X509_NAME_add_entry_by_txt(name, kv[0],
						*kv[1] != '\0'
						    ? MBSTRING_UTF8
						    : V_ASN1_UTF8STRING,
						(const unsigned char *)kv[1],
						-1, -1, 0)) {
			X509_NAME_free(name);
			return NULL;
		}
	return name;
}

static enum ov_code
from_kv(const char *const *kv, struct ov_dn **dn, struct ov_err *err)
{
	X509_NAME *name = make_name(kv);
	enum ov_code r;

	if (name == NULL)
		return ov_err_set(err, OV_E_INTERNAL, "make_name failed");
	r = ov_dn_from_name(name, dn, err);
	X509_NAME_free(name);
	return r;
}

TEST(from_name)
{
	static const char *const all[] = {"C",
					  "US",
					  "ST",
					  "WA",
					  "L",
					  "Seattle",
					  "O",
					  "acme",
					  "OU",
					  "Finance",
					  "CN",
					  "caf\xc3\xa9 =x",
					  "serialNumber",
					  "1234",
					  "street",
					  "1 Main St",
					  "postalCode",
					  "98101",
					  NULL};
	struct ov_dn *dn = NULL, *id = NULL;
	struct ov_err err;

	ASSERT_OK(from_kv(all, &dn, &err), &err);
	ASSERT_INT_EQ(dn->n, 9);
	ASSERT_STR_EQ(get(dn, "C"), "US");
	ASSERT_STR_EQ(get(dn, "ST"), "WA");
	ASSERT_STR_EQ(get(dn, "L"), "Seattle");
	ASSERT_STR_EQ(get(dn, "O"), "acme");
	ASSERT_STR_EQ(get(dn, "OU"), "Finance");
	ASSERT_STR_EQ(get(dn, "CN"), "caf\xc3\xa9 =x");
	ASSERT_STR_EQ(get(dn, "SERIALNUMBER"), "1234");
	ASSERT_STR_EQ(get(dn, "STREET"), "1 Main St");
	ASSERT_STR_EQ(get(dn, "POSTALCODE"), "98101");

	/* an identity with escapes matches the certificate's plain value */
	ASSERT_OK(ov_dn_parse("C=US, ST=WA, O=acme, CN=caf\\c3\\a9 \\=x,"
			      "POSTALCODE=98101",
			      &id, &err),
		  &err);
	ASSERT_INT_EQ(ov_dn_is_subset(id, dn), 1);
	ov_dn_free(id);
	ov_dn_free(dn);
}

TEST(from_name_bad)
{
	static const char *const email[] =
	    {"C", "US", "ST", "WA", "O", "x", "emailAddress", "a@example.com",
	     NULL};
	static const char *const uid[] = {"C", "US",  "ST", "WA", "O",
					  "x", "UID", "u1", NULL};
	static const char *const dc[] = {"DC", "com", "C", "US", "ST",
					 "WA", "O",   "x", NULL};
	static const char *const two_ou[] = {"C",  "US", "ST", "WA", "O", "x",
					     "OU", "a",  "OU", "b",  NULL};
	static const char *const two_cn[] = {"C",  "US", "ST", "WA", "O", "x",
					     "CN", "a",  "CN", "b",  NULL};
	static const char *const no_st[] = {"C",  "US", "O", "x",
					    "CN", "y",  NULL};
	static const char *const empty_o[] = {"C", "US", "ST", "WA",
					      "O", "",   NULL};
	static const char *const hex[] = {"C", "US", "ST",      "WA", "O",
					  "x", "CN", "Bad=#CN", NULL};
	static const char *const none[] = {NULL};
	struct ov_dn *dn = NULL;
	struct ov_err err;

	ASSERT_CODE(from_kv(email, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "certificate subject attribute emailAddress cannot be matched against trusted identities");
	ASSERT_CODE(from_kv(uid, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg, "attribute UID cannot be matched");
	ASSERT_CODE(from_kv(dc, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg, "attribute DC cannot be matched");
	ASSERT_CODE(from_kv(two_ou, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg,
		       "certificate subject has more than one OU attribute");
	ASSERT_CODE(from_kv(two_cn, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg, "more than one CN attribute");
	ASSERT_CODE(from_kv(no_st, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg, "certificate subject has no ST attribute");
	ASSERT_CODE(from_kv(empty_o, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg, "certificate subject has no O attribute");
	ASSERT_CODE(from_kv(hex, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg,
		       "attribute CN value \"Bad=#CN\" contains \"=#\"");
	ASSERT_CODE(from_kv(none, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_HAS(err.msg, "has no C attribute");
	ASSERT(dn == NULL);
}

TEST(from_name_unknown_oid)
{
	X509_NAME *name = X509_NAME_new();
	struct ov_dn *dn = NULL;
	struct ov_err err;

	ASSERT(name != NULL);
	ASSERT(X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
					  (const unsigned char *)"US", -1, -1,
					  0));
	ASSERT(X509_NAME_add_entry_by_txt(name, "1.3.6.1.4.1.99999.1",
					  MBSTRING_ASC,
					  (const unsigned char *)"v", -1, -1,
					  0));
	ASSERT_CODE(ov_dn_from_name(name, &dn, &err), OV_E_POLICY, &err);
	X509_NAME_free(name);
	ASSERT_STR_HAS(err.msg,
		       "attribute 1.3.6.1.4.1.99999.1 cannot be matched");
}

/* "O=acme+CN=a": Go flattens it, but no identity can name it. */
TEST(from_name_multivalued)
{
	X509_NAME *name = X509_NAME_new();
	struct ov_dn *dn = NULL, *id = NULL;
	struct ov_err err;

	ASSERT(name != NULL);
	ASSERT(X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
					  (const unsigned char *)"US", -1, -1,
					  0));
	ASSERT(X509_NAME_add_entry_by_txt(name, "ST", MBSTRING_ASC,
					  (const unsigned char *)"WA", -1, -1,
					  0));
	ASSERT(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					  (const unsigned char *)"acme", -1, -1,
					  0));
	/* set -1: into the RDN of the entry before */
	ASSERT(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					  (const unsigned char *)"a", -1, -1,
					  -1));
	ASSERT_INT_EQ(X509_NAME_entry_count(name), 4);
	ASSERT_CODE(ov_dn_from_name(name, &dn, &err), OV_E_POLICY, &err);
	ASSERT_STR_EQ(
	    err.msg,
	    "certificate subject has a multi-valued RDN (O=...+CN=...), which cannot be matched against trusted identities");
	ASSERT(dn == NULL);
	/* the identity it would have matched once flattened */
	ASSERT_OK(ov_dn_parse("C=US, ST=WA, O=acme, CN=a", &id, &err), &err);
	ov_dn_free(id);
	X509_NAME_free(name);
}

TEST(subset_overlap)
{
	struct ov_dn *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
	struct ov_err err;

	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=acme", &a, &err), &err);
	ASSERT_OK(ov_dn_parse("O=acme,CN=builder,ST=WA,C=US", &b, &err), &err);
	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=Acme", &c, &err), &err);
	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=acme,OU=", &d, &err), &err);
	ASSERT_OK(ov_dn_parse("C=US,ST=WA,O=acme,CN=other", &e, &err), &err);

	ASSERT_INT_EQ(ov_dn_is_subset(a, b), 1);
	ASSERT_INT_EQ(ov_dn_is_subset(b, a), 0);
	ASSERT_INT_EQ(ov_dn_is_subset(a, a), 1);
	ASSERT_INT_EQ(ov_dn_is_subset(c, b), 0); /* case-sensitive values */
	/* as in notation, an empty value matches an absent attribute */
	ASSERT_INT_EQ(ov_dn_is_subset(d, b), 1);
	ASSERT_INT_EQ(ov_dn_is_subset(e, b), 0);

	ASSERT_INT_EQ(ov_dn_overlaps(a, b), 1);
	ASSERT_INT_EQ(ov_dn_overlaps(b, a), 1);
	ASSERT_INT_EQ(ov_dn_overlaps(a, c), 0);
	ASSERT_INT_EQ(ov_dn_overlaps(b, e), 0);
	ASSERT_INT_EQ(ov_dn_overlaps(a, d), 1);
	ov_dn_free(a);
	ov_dn_free(b);
	ov_dn_free(c);
	ov_dn_free(d);
	ov_dn_free(e);
}

static X509 *
load_cert(const char *path)
{
	BIO *bio = BIO_new_file(path, "r");
	X509 *x = NULL;

	if (bio != NULL)
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return x;
}

/* notation-go TestVerifyX509TrustedIdentities (ng-identity-*). */
TEST(upstream_identity)
{
	static const struct {
		const char *identity;
		int match;
	} cases[] = {
	    {"C=US,O=SomeOrg,ST=WA", 1},  /* ng-identity-0 */
	    {"C=IND,O=SomeOrg,ST=TS", 0}, /* ng-identity-5 */
	    {"C=LOL,O=LOL,ST=LOL", 0},    /* ng-identity-7 */
	    {"C=US,ST=WA,O=SomeOrg,OU=SomeOU,CN=SomeCN,L=Seattle", 1},
	    {"C=US,ST=WA,O=SomeOrg,CN=someCN", 0},
	};
	const char *path;
	struct ov_dn *subject = NULL, *id = NULL;
	struct ov_err err;
	X509 *x;
	size_t i;

	if ((path = vectors_path("notation-go/identity/signing-cert.pem")) ==
	    NULL) {
		fprintf(stderr, "skipped: no upstream vectors\n");
		return;
	}
	ASSERT((x = load_cert(path)) != NULL);
	ASSERT_OK(ov_dn_from_name(X509_get_subject_name(x), &subject, &err),
		  &err);
	X509_free(x);
	ASSERT_INT_EQ(subject->n, 6);
	ASSERT_STR_EQ(get(subject, "CN"), "SomeCN");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_OK(ov_dn_parse(cases[i].identity, &id, &err), &err);
		ASSERT_INT_EQ(ov_dn_is_subset(id, subject), cases[i].match);
		ov_dn_free(id);
		id = NULL;
	}
	ov_dn_free(subject);
	subject = NULL;

	/* ng-identity-8: the identity itself does not parse */
	ASSERT_CODE(ov_dn_parse("C=bad=#identity,O=LOL,ST=LOL", &id, &err),
		    OV_E_FORMAT, &err);

	/* ng-identity-9: the subject CN=Bad=#CN cannot be converted */
	path = vectors_path("notation-go/identity/bad-cert.pem");
	ASSERT((x = load_cert(path)) != NULL);
	ASSERT_CODE(ov_dn_from_name(X509_get_subject_name(x), &subject, &err),
		    OV_E_POLICY, &err);
	X509_free(x);
	ASSERT_STR_HAS(
	    err.msg,
	    "certificate subject attribute CN value \"Bad=#CN\" contains \"=#\"");
	ASSERT(subject == NULL);
}

int
main(void)
{
	RUN(parse_simple);
	RUN(parse_escapes);
	RUN(parse_bad);
	RUN(parse_limit);
	RUN(from_name);
	RUN(from_name_bad);
	RUN(from_name_unknown_oid);
	RUN(from_name_multivalued);
	RUN(subset_overlap);
	RUN(upstream_identity);
	return ov_test_done();
}
