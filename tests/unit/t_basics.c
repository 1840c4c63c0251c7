/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the primitives: err, buf, b64, digest, json, timeutil,
 * and SOURCE argument parsing. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "buf.h"
#include "digest.h"
#include "err.h"
#include "harness.h"
#include "json.h"
#include "source.h"
#include "timeutil.h"

TEST(err_set_and_wrap)
{
	struct ov_err e;

	ASSERT_INT_EQ(ov_err_set(&e, OV_E_FORMAT, "bad %d", 7), OV_E_FORMAT);
	ASSERT_STR_EQ(e.msg, "bad 7");
	ASSERT_INT_EQ(ov_err_wrap(&e, "file %s", "x"), OV_E_FORMAT);
	ASSERT_STR_EQ(e.msg, "file x: bad 7");
	ASSERT_STR_EQ(ov_code_name(OV_E_DIGEST), "digest_mismatch");
	ASSERT(ov_code_is_verdict(OV_E_SIGNATURE));
	ASSERT(!ov_code_is_verdict(OV_E_IO));
	/* NULL error records are allowed */
	ASSERT_INT_EQ(ov_err_set(NULL, OV_E_IO, "x"), OV_E_IO);
}

TEST(err_sanitizes_control_characters)
{
	struct ov_err e;

	ov_err_set(&e, OV_E_FORMAT, "tag \"%s\"", "v1\n\033[31mVERIFIED");
	ASSERT_STR_EQ(e.msg, "tag \"v1??[31mVERIFIED\"");
	ov_err_wrap(&e, "in %s", "a\rb");
	ASSERT(strchr(e.msg, '\r') == NULL);
}

TEST(err_wrap_truncates)
{
	struct ov_err e;
	char big[600];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ov_err_set(&e, OV_E_IO, "%s", "inner");
	ov_err_wrap(&e, "%s", big);
	ASSERT_INT_EQ(strlen(e.msg), OV_ERR_MSG_MAX - 1);
}

TEST(buf_limit)
{
	struct ov_buf b;
	struct ov_err e;

	ov_buf_init(&b, 8);
	ASSERT_OK(ov_buf_add(&b, "1234", 4, &e), &e);
	ASSERT_OK(ov_buf_addf(&b, &e, "%d", 5678), &e);
	ASSERT_INT_EQ(b.len, 8);
	ASSERT_STR_EQ((char *)b.data, "12345678");
	ASSERT_CODE(ov_buf_add(&b, "9", 1, &e), OV_E_LIMIT, &e);
	ASSERT_INT_EQ(b.len, 8);
	ov_buf_free(&b);
}

TEST(buf_read_file_rules)
{
	struct ov_buf b;
	struct ov_err e;

	ov_buf_init(&b, 1 << 20);
	ASSERT_CODE(ov_buf_read_file(&b, AT_FDCWD, "/nonexistent/x", &e),
	    OV_E_NOTFOUND, &e);
	ASSERT_CODE(ov_buf_read_file(&b, AT_FDCWD, "/", &e), OV_E_IO, &e);
	ASSERT_STR_HAS(e.msg, "not a regular file");
	ov_buf_free(&b);
	ov_buf_init(&b, 4);
	ASSERT_CODE(ov_buf_read_file(&b, AT_FDCWD, testdata_path("README.md"),
			&e),
	    OV_E_LIMIT, &e);
	ov_buf_free(&b);
}

TEST(b64_strict)
{
	unsigned char *p = NULL;
	size_t n = 0;
	struct ov_err e;

	ASSERT_OK(ov_b64_decode("aGVsbG8=", 8, &p, &n, &e), &e);
	ASSERT_INT_EQ(n, 5);
	ASSERT_MEM_EQ(p, "hello", 5);
	free(p);
	ASSERT_CODE(ov_b64_decode("aGVsbG8", 7, &p, &n, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_b64_decode("aGVs bG8=", 9, &p, &n, &e), OV_E_FORMAT,
	    &e);
	ASSERT_CODE(ov_b64_decode("aG=sbG8=", 8, &p, &n, &e), OV_E_FORMAT,
	    &e);
	ASSERT_CODE(ov_b64_decode("aGVs_G8=", 8, &p, &n, &e), OV_E_FORMAT,
	    &e);
	ASSERT_OK(ov_b64url_decode("aGVsbG8", 7, &p, &n, &e), &e);
	ASSERT_INT_EQ(n, 5);
	free(p);
	ASSERT_OK(ov_b64url_decode("-_8", 3, &p, &n, &e), &e);
	ASSERT_INT_EQ(n, 2);
	ASSERT_INT_EQ(p[0], 0xfb);
	ASSERT_INT_EQ(p[1], 0xff);
	free(p);
	/* padding is not base64url */
	ASSERT_CODE(ov_b64url_decode("aGVsbG8=", 8, &p, &n, &e), OV_E_FORMAT,
	    &e);
	ASSERT_STR_HAS(e.msg, "illegal base64url data at input byte 7");
	ASSERT_CODE(ov_b64url_decode("a", 1, &p, &n, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_b64url_decode("ab+c", 4, &p, &n, &e), OV_E_FORMAT, &e);
	ASSERT_OK(ov_b64url_decode("", 0, &p, &n, &e), &e);
	ASSERT_INT_EQ(n, 0);
	free(p);
}

TEST(b64_roundtrip)
{
	unsigned char in[256], *p = NULL;
	size_t n, len;
	char *s;
	struct ov_err e;

	for (n = 0; n < sizeof(in); n++)
		in[n] = (unsigned char)(n * 37);
	for (len = 0; len < 10; len++) {
		s = ov_b64url_encode(in, len);
		ASSERT(s != NULL);
		ASSERT(strchr(s, '=') == NULL);
		ASSERT_OK(ov_b64url_decode(s, strlen(s), &p, &n, &e), &e);
		ASSERT_INT_EQ(n, len);
		ASSERT_MEM_EQ(p, in, len);
		free(p);
		free(s);
		s = ov_b64_encode(in, len);
		ASSERT_OK(ov_b64_decode(s, strlen(s), &p, &n, &e), &e);
		ASSERT_INT_EQ(n, len);
		free(p);
		free(s);
	}
}

TEST(digest_parse)
{
	struct ov_digest d, d2;
	struct ov_err e;
	const char *ok =
	    "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

	ASSERT_OK(ov_digest_parse(ok, &d, &e), &e);
	ASSERT_STR_EQ(d.str, ok);
	ASSERT_INT_EQ(d.len, 32);
	ASSERT_STR_EQ(ov_digest_hex(&d), ok + 7);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, "{}", 2, &d2, &e), &e);
	ASSERT(ov_digest_equal(&d, &d2));
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA256, "{ }", 3, &d2, &e), &e);
	ASSERT(!ov_digest_equal(&d, &d2));
	/* uppercase, wrong length, unknown or malformed algorithm */
	ASSERT_CODE(ov_digest_parse("sha256:44136FA355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
			&d, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_digest_parse("sha256:44136fa3", &d, &e), OV_E_FORMAT,
	    &e);
	ASSERT_CODE(ov_digest_parse("blake3:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
			&d, &e),
	    OV_E_UNSUPPORTED, &e);
	ASSERT_CODE(ov_digest_parse("SHA256:abc", &d, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_digest_parse("sha256", &d, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_digest_parse(":abc", &d, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_digest_parse("sha256:", &d, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_digest_parse("sha256:../../etc/passwd", &d, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_digest_parse("sha512:abcd", &d, &e), OV_E_FORMAT, &e);
}

TEST(hash_stream)
{
	struct ov_hash *h = NULL;
	struct ov_digest a, b;
	struct ov_err e;

	ASSERT_OK(ov_hash_new(OV_DIGEST_SHA512, &h, &e), &e);
	ASSERT_OK(ov_hash_update(h, "ab", 2, &e), &e);
	ASSERT_OK(ov_hash_update(h, "c", 1, &e), &e);
	ASSERT_OK(ov_hash_final(h, &a, &e), &e);
	ov_hash_free(h);
	ASSERT_OK(ov_digest_of(OV_DIGEST_SHA512, "abc", 3, &b, &e), &e);
	ASSERT(ov_digest_equal(&a, &b));
	ASSERT_STR_HAS(a.str, "sha512:ddaf35a193617aba");
}

TEST(json_strict)
{
	cJSON *j = NULL;
	struct ov_err e;
	const char *s = NULL;
	int64_t n = 0;
	char deep[300];
	size_t i;

	ASSERT_OK(ov_json_parse("{\"a\":\"x\",\"b\":3}", 15, "t", &j, &e), &e);
	ASSERT_OK(ov_json_string(j, "a", 1, "t", &s, &e), &e);
	ASSERT_STR_EQ(s, "x");
	ASSERT_OK(ov_json_int64(j, "b", 1, "t", &n, &e), &e);
	ASSERT_INT_EQ(n, 3);
	/* case-sensitive lookup */
	ASSERT(ov_json_get(j, "A") == NULL);
	ASSERT_CODE(ov_json_string(j, "b", 1, "t", &s, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_json_string(j, "zz", 1, "t", &s, &e), OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "missing required member \"zz\"");
	cJSON_Delete(j);

	ASSERT_CODE(ov_json_parse("{\"a\":1,\"a\":2}", 13, "t", &j, &e),
	    OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "duplicate member \"a\"");
	ASSERT_CODE(ov_json_parse("{\"o\":{\"k\":1,\"k\":1}}", 19, "t", &j,
			&e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_json_parse("{} x", 4, "t", &j, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_json_parse("{\"a\":\"\xff\"}", 9, "t", &j, &e),
	    OV_E_FORMAT, &e);
	ASSERT_STR_HAS(e.msg, "invalid UTF-8");
	ASSERT_CODE(ov_json_parse("{\"a\":\"x\\u0000y\"}", 16, "t", &j, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_json_parse("", 0, "t", &j, &e), OV_E_FORMAT, &e);
	ASSERT_CODE(ov_json_parse("{\"a\":", 5, "t", &j, &e), OV_E_FORMAT, &e);
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	for (i = 100; i < 200; i++)
		deep[i] = ']';
	ASSERT_CODE(ov_json_parse(deep, 200, "t", &j, &e), OV_E_LIMIT, &e);
	/* brackets inside strings do not count */
	memset(deep, '[', sizeof(deep));
	deep[0] = '"';
	deep[sizeof(deep) - 2] = '"';
	deep[sizeof(deep) - 1] = '\0';
	ASSERT_OK(ov_json_parse(deep, strlen(deep), "t", &j, &e), &e);
	cJSON_Delete(j);
	/* integers */
	ASSERT_OK(ov_json_parse("{\"n\":1.5,\"m\":-3}", 16, "t", &j, &e), &e);
	ASSERT_CODE(ov_json_int64(j, "n", 1, "t", &n, &e), OV_E_FORMAT, &e);
	ASSERT_OK(ov_json_int64(j, "m", 1, "t", &n, &e), &e);
	ASSERT_INT_EQ(n, -3);
	cJSON_Delete(j);
}

/* Parse a NUL-terminated document; 1 when it parses. */
static int
json_ok(const char *doc, struct ov_err *e)
{
	cJSON *j = NULL;
	enum ov_code r;

	r = ov_json_parse(doc, strlen(doc), "t", &j, e);
	cJSON_Delete(j);
	return r == OV_OK;
}

/*
 * Member names Go's encoding/json reads as one member: ASCII letters in
 * any case, U+212A KELVIN SIGN as k and U+017F LONG S as s (what
 * bytes.EqualFold and foldName do for ASCII names), and nothing else.
 */
TEST(json_case_fold)
{
	static const char *const known[] = {"digest", "mediaType", NULL};
	cJSON *j = NULL;
	const cJSON *o = NULL;
	struct ov_err e;
	const char *s = NULL, *which = NULL, *doc;

	ASSERT(ov_json_fold_equal("digest", "DiGeSt"));
	ASSERT(ov_json_fold_equal("key", "\xe2\x84\xaa" "ey"));
	ASSERT(ov_json_fold_equal("KEY", "\xe2\x84\xaa" "ey"));
	ASSERT(ov_json_fold_equal("size", "\xc5\xbf" "ize"));
	ASSERT(ov_json_fold_equal("SIZE", "\xc5\xbf" "ize"));
	ASSERT(!ov_json_fold_equal("digest", "d\xc4\xb0gest")); /* U+0130 */
	ASSERT(!ov_json_fold_equal("digest", "d\xc4\xb1gest")); /* U+0131 */
	ASSERT(!ov_json_fold_equal("digest", "digests"));
	ASSERT(!ov_json_fold_equal("a", ""));
	ASSERT(!ov_json_fold_equal("a_b", "a-b"));
	ASSERT(!ov_json_fold_equal("\xc3\xa9", "\xc3\x89")); /* é, É */

	/* two spellings in one object, named in document order */
	ASSERT(!json_ok("{\"digest\":1,\"Digest\":2}", &e));
	ASSERT_INT_EQ(e.code, OV_E_FORMAT);
	ASSERT_STR_HAS(e.msg,
	    "t: members \"digest\" and \"Digest\" differ only in letter case");
	ASSERT(!json_ok("{\"DIGEST\":1,\"x\":0,\"digest\":2}", &e));
	ASSERT_STR_HAS(e.msg, "members \"DIGEST\" and \"digest\"");
	ASSERT(!json_ok("{\"dige\\u017ft\":1,\"digest\":2}", &e));
	ASSERT_STR_HAS(e.msg,
	    "members \"dige\\u017ft\" and \"digest\" differ only in letter case");
	ASSERT(!json_ok("{\"key\":1,\"\xe2\x84\xaa" "ey\":2}", &e));
	ASSERT_STR_HAS(e.msg, "members \"key\" and \"\\u212aey\"");
	ASSERT(!json_ok("{\"\\u212aEY\":1,\"kEy\":2}", &e));
	/* in nested objects and arrays too */
	ASSERT(!json_ok("{\"a\":[{\"b\":{\"Ab\":1,\"aB\":1}}]}", &e));
	ASSERT(!json_ok("[{\"x\":1,\"X\":1}]", &e));
	/* an exact duplicate is still reported as one */
	ASSERT(!json_ok("{\"a\":1,\"A\":1,\"a\":2}", &e));
	ASSERT_STR_HAS(e.msg, "duplicate member \"a\"");
	/* not folded by Go: dotted and dotless i, other letters, '_' '-' */
	ASSERT(json_ok("{\"d\\u0130gest\":1,\"digest\":2,\"d\\u0131gest\":3}",
	    &e));
	ASSERT(json_ok("{\"\xc3\xa9\":1,\"\xc3\x89\":2,\"a_b\":3,\"a-b\":4}",
	    &e));
	/* maps (Go keeps both keys): annotations, labels, volumes */
	ASSERT(json_ok("{\"annotations\":{\"k\":\"1\",\"K\":\"2\"}}", &e));
	ASSERT(json_ok("{\"config\":{\"Labels\":{\"v\":\"1\",\"V\":\"2\"},"
		       "\"Volumes\":{\"/data\":{},\"/Data\":{}}}}",
	    &e));
	ASSERT(json_ok("{\"x\":[{\"annotations\":{\"k\":\"1\",\"K\":\"2\"}}]}",
	    &e));
	/* but only their keys, under their exact names */
	ASSERT(!json_ok("{\"annotations\":{\"k\":\"1\",\"k\":\"2\"}}", &e));
	ASSERT_STR_HAS(e.msg, "duplicate member \"k\"");
	ASSERT(!json_ok("{\"annotations\":{\"o\":{\"k\":1,\"K\":2}}}", &e));
	ASSERT(!json_ok("{\"Annotations\":{\"k\":\"1\",\"K\":\"2\"}}", &e));
	ASSERT(!json_ok("{\"labels\":{\"k\":\"1\",\"K\":\"2\"}}", &e));

	/* the typed accessors refuse a variant of the name they read */
	doc = "{\"Digest\":\"x\",\"size\":1}";
	ASSERT_OK(ov_json_parse(doc, strlen(doc), "t", &j, &e), &e);
	ASSERT_CODE(ov_json_string(j, "digest", 0, "t", &s, &e), OV_E_FORMAT,
	    &e);
	ASSERT_STR_HAS(e.msg,
	    "t: member \"Digest\" differs from a known member only in letter case (\"digest\")");
	ASSERT_CODE(ov_json_string(j, "digest", 1, "t", &s, &e), OV_E_FORMAT,
	    &e);
	ASSERT_STR_HAS(e.msg, "only in letter case");
	ASSERT_CODE(ov_json_object(j, "DIGEST", 0, "t", &o, &e), OV_E_FORMAT,
	    &e);
	ASSERT(o == NULL);
	ASSERT(ov_json_get(j, "digest") == NULL); /* lenient by design */
	ASSERT(s == NULL);
	ASSERT_OK(ov_json_string(j, "mediaType", 0, "t", &s, &e), &e);
	ASSERT(s == NULL);
	/* and the known-name check names both */
	ASSERT_STR_EQ(ov_json_case_variant(j, known, &which), "Digest");
	ASSERT_STR_EQ(which, "digest");
	ASSERT_CODE(ov_json_no_case_variant(j, known, "t", &e), OV_E_FORMAT,
	    &e);
	ASSERT_STR_HAS(e.msg, "member \"Digest\" differs from a known member");
	cJSON_Delete(j);
	doc = "{\"medi\\u0061Type\":1,\"\\u017fize\":1}";
	ASSERT_OK(ov_json_parse(doc, strlen(doc), "t", &j, &e), &e);
	ASSERT(ov_json_case_variant(j, known, NULL) == NULL);
	ASSERT_OK(ov_json_no_case_variant(j, known, "t", &e), &e);
	cJSON_Delete(j);
}

TEST(time_rfc3339)
{
	int64_t t;
	int frac = 0;
	char buf[OV_TIME_STR_MAX];
	struct ov_err e;

	ASSERT_OK(ov_time_parse("1970-01-01T00:00:00Z", &t, NULL, &e), &e);
	ASSERT_INT_EQ(t, 0);
	ASSERT_OK(ov_time_parse("2025-01-21T09:17:46Z", &t, NULL, &e), &e);
	ASSERT_INT_EQ(t, 1737451066);
	ASSERT_STR_EQ(ov_time_format(t, buf), "2025-01-21T09:17:46Z");
	ASSERT_OK(ov_time_parse("2023-03-14T16:10:02+08:00", &t, NULL, &e),
	    &e);
	ASSERT_STR_EQ(ov_time_format(t, buf), "2023-03-14T08:10:02Z");
	ASSERT_OK(ov_time_parse("2024-02-29T23:59:59.999-01:30", &t, &frac,
		      &e),
	    &e);
	ASSERT_INT_EQ(frac, 1);
	ASSERT_STR_EQ(ov_time_format(t, buf), "2024-03-01T01:29:59Z");
	ASSERT_STR_EQ(ov_time_format(-1, buf), "1969-12-31T23:59:59Z");
	ASSERT_CODE(ov_time_parse("2023-02-29T00:00:00Z", &t, NULL, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_time_parse("2023-01-01T00:00:00", &t, NULL, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_time_parse("2023-01-01 00:00:00Z", &t, NULL, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_time_parse("2023-01-01T24:00:00Z", &t, NULL, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_time_parse("2023-01-01T00:00:00Zx", &t, NULL, &e),
	    OV_E_FORMAT, &e);
	ASSERT_CODE(ov_time_parse("2023-01-01T00:00:00.Z", &t, NULL, &e),
	    OV_E_FORMAT, &e);
}

/* A fake file system for SOURCE parsing. */
static int
fake_exists(const char *path, void *ctx)
{
	const char **names = ctx;
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], path) == 0)
			return 1;
	return 0;
}

TEST(source_spec)
{
	static const char *fs[] = {"img", "dir:with:colons", "a", NULL};
	struct ov_source_spec s;
	struct ov_err e;
	void *ctx = fs;

	ASSERT_OK(ov_source_spec_parse("img", fake_exists, ctx, &s, &e), &e);
	ASSERT_STR_EQ(s.path, "img");
	ASSERT(s.tag == NULL && !s.has_digest);
	ov_source_spec_clear(&s);
	ASSERT_OK(ov_source_spec_parse("img:v1", fake_exists, ctx, &s, &e),
	    &e);
	ASSERT_STR_EQ(s.path, "img");
	ASSERT_STR_EQ(s.tag, "v1");
	ov_source_spec_clear(&s);
	ASSERT_OK(ov_source_spec_parse("img:localhost:5000/app:v1",
		      fake_exists, ctx, &s, &e),
	    &e);
	ASSERT_STR_EQ(s.tag, "localhost:5000/app:v1");
	ov_source_spec_clear(&s);
	ASSERT_OK(ov_source_spec_parse("dir:with:colons:v2", fake_exists, ctx,
		      &s, &e),
	    &e);
	ASSERT_STR_EQ(s.path, "dir:with:colons");
	ASSERT_STR_EQ(s.tag, "v2");
	ov_source_spec_clear(&s);
	ASSERT_OK(ov_source_spec_parse("img@sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
		      fake_exists, ctx, &s, &e),
	    &e);
	ASSERT(s.has_digest);
	ov_source_spec_clear(&s);
	ASSERT_CODE(ov_source_spec_parse("img@sha256:XYZ", fake_exists, ctx,
			&s, &e),
	    OV_E_USAGE, &e);
	ASSERT_CODE(ov_source_spec_parse("img:has space", fake_exists, ctx, &s,
			&e),
	    OV_E_USAGE, &e);
	ASSERT_CODE(ov_source_spec_parse("img:", fake_exists, ctx, &s, &e),
	    OV_E_USAGE, &e);
	ASSERT_CODE(ov_source_spec_parse("nope:v1", fake_exists, ctx, &s, &e),
	    OV_E_NOTFOUND, &e);
	ASSERT_CODE(ov_source_spec_parse("", fake_exists, ctx, &s, &e),
	    OV_E_USAGE, &e);
}

/* Syntax errors name line and column and what was expected (issue 10). */
TEST(json_syntax_messages)
{
	static const struct {
		const char *doc, *msg;
	} v[] = {
	    {"{\"a\": tru}",
		"t: invalid JSON at line 1, column 7: expected a value, found 't'"},
	    {"{\n  \"a\" 1}",
		"t: invalid JSON at line 2, column 7: expected ':' after the member name, found '1'"},
	    {"[1, 2",
		"t: invalid JSON at line 1, column 6: expected ',' or ']', found the end of the input"},
	    {"{\"a\": 1,}",
		"t: invalid JSON at line 1, column 9: expected a member name in double quotes, found '}'"},
	    {"{\"a\": [1,\n2,\n]}",
		"t: invalid JSON at line 3, column 1: expected a value, found ']'"},
	    {"{} x",
		"t: invalid JSON at line 1, column 4: expected the end of the document, found 'x'"},
	    {"{\"a\":1 \"b\":2}",
		"t: invalid JSON at line 1, column 8: expected ',' or '}', found '\"'"},
	};
	struct ov_err e;
	cJSON *j = NULL;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ASSERT_CODE(ov_json_parse(v[i].doc, strlen(v[i].doc), "t", &j,
				&e),
		    OV_E_FORMAT, &e);
		ASSERT_STR_EQ(e.msg, v[i].msg);
	}
}

int
main(void)
{
	RUN(err_set_and_wrap);
	RUN(json_syntax_messages);
	RUN(err_sanitizes_control_characters);
	RUN(err_wrap_truncates);
	RUN(buf_limit);
	RUN(buf_read_file_rules);
	RUN(b64_strict);
	RUN(b64_roundtrip);
	RUN(digest_parse);
	RUN(hash_stream);
	RUN(json_strict);
	RUN(json_case_fold);
	RUN(time_rfc3339);
	RUN(source_spec);
	return ov_test_done();
}
