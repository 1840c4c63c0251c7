/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Distinguished names of x509.subject trusted identities (spec digest
 * E.6): a strict RFC 4514 string parser with notation's extra rules; the
 * conversion of a certificate subject, which mirrors what notation derives
 * from Go's pkix.Name.String() and go-ldap's ParseDN; subset matching.
 */
#include "config.h"

#include "dn.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "text.h"

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * RFC 4514 attributeType: descr (ALPHA *(ALPHA / DIGIT / "-")) or
 * numericoid (number 1*("." number), no leading zeros).
 */
static int
type_valid(const char *t, size_t n)
{
	size_t i, start;

	if (n == 0)
		return 0;
	if (is_alpha(t[0])) {
		for (i = 1; i < n; i++)
			if (!is_alpha(t[i]) && !is_digit(t[i]) && t[i] != '-')
				return 0;
		return 1;
	}
	if (memchr(t, '.', n) == NULL)
		return 0;
	for (i = 0; i < n;) {
		start = i;
		while (i < n && is_digit(t[i]))
			i++;
		if (i == start || (t[start] == '0' && i - start > 1))
			return 0;
		if (i < n && (t[i] != '.' || i + 1 == n))
			return 0;
		i++;
	}
	return 1;
}

void
ov_dn_free(struct ov_dn *dn)
{
	size_t i;

	if (dn == NULL)
		return;
	for (i = 0; i < dn->n; i++) {
		free(dn->attrs[i].type);
		free(dn->attrs[i].value);
	}
	free(dn->attrs);
	free(dn);
}

static const struct ov_dn_attr *
find(const struct ov_dn *dn, const char *type)
{
	size_t i;

	for (i = 0; i < dn->n; i++)
		if (strcmp(dn->attrs[i].type, type) == 0)
			return &dn->attrs[i];
	return NULL;
}

/*
 * Append an attribute, taking ownership of type and value (freed on
 * failure too; either may be NULL after a failed strdup). -1 when out of
 * memory. Callers bound n (OV_MAX_DN_ATTRS, or the nine short names).
 */
static int
add_attr(struct ov_dn *dn, char *type, char *value)
{
	struct ov_dn_attr *a = NULL;

	if (type != NULL && value != NULL)
		a = realloc(dn->attrs, (dn->n + 1) * sizeof(*a));
	if (a == NULL) {
		free(type);
		free(value);
		return -1;
	}
	dn->attrs = a;
	a[dn->n].type = type;
	a[dn->n].value = value;
	dn->n++;
	return 0;
}

/* The mandatory attributes, in notation's order. */
static const char *const mandatory[] = {"C", "ST", "O"};

static const char *
missing_mandatory(const struct ov_dn *dn)
{
	const struct ov_dn_attr *a;
	size_t i;

	for (i = 0; i < sizeof(mandatory) / sizeof(mandatory[0]); i++) {
		a = find(dn, mandatory[i]);
		if (a == NULL || a->value[0] == '\0')
			return mandatory[i];
	}
	return NULL;
}

/*
 * Parse the attribute type that starts at s[*pos] up to its '='. On
 * success *out is the type with S normalised to ST (caller frees) and
 * *pos indexes the character after the '='. On a syntax error, *why says
 * what is wrong.
 */
static enum ov_code
parse_type(const char *s, size_t *pos, char **out, const char **why,
	   struct ov_err *err)
{
	size_t i = *pos, t0, t1;

	*out = NULL;
	while (s[i] == ' ')
		i++;
	t0 = i;
	while (s[i] != '\0' && s[i] != '=' && s[i] != ',' && s[i] != ';' &&
	       s[i] != '+')
		i++;
	*pos = i;
	if (s[i] != '=') {
		*why = "an RDN is not a type=value pair";
		return OV_E_FORMAT;
	}
	for (t1 = i; t1 > t0 && s[t1 - 1] == ' '; t1--)
		;
	if (!type_valid(s + t0, t1 - t0)) {
		*why = "invalid attribute type";
		return OV_E_FORMAT;
	}
	/* stateOrProvinceName 'S' is an alias for 'ST' */
	if (t1 - t0 == 1 && s[t0] == 'S')
		*out = strdup("ST");
	else
		*out = strndup(s + t0, t1 - t0);
	if (*out == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	*pos = i + 1;
	return OV_OK;
}

/*
 * Parse the value that starts at s[*pos] up to an unescaped ',', ';', '+'
 * or the end. On success *out is the unescaped value (caller frees) and
 * *pos indexes the terminator. On a syntax error, *why says what is wrong.
 */
static enum ov_code
parse_value(const char *s, size_t *pos, char **out, const char **why,
	    struct ov_err *err)
{
	size_t i = *pos, o = 0, keep = 0, n;
	char *v;
	int hi, lo;

	*out = NULL;
	while (s[i] == ' ')
		i++;
	n = strlen(s + i);
	if ((v = malloc(n + 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (s[i] == '#') {
		*why = "a value must not start with an unescaped '#'";
		goto bad;
	}
	for (; s[i] != '\0' && s[i] != ',' && s[i] != ';' && s[i] != '+'; i++) {
		if (s[i] == '"' || s[i] == '<' || s[i] == '>') {
			*why =
			    "a value contains an unescaped special character";
			goto bad;
		}
		if (s[i] != '\\') {
			v[o++] = s[i];
			if (s[i] != ' ')
				keep = o;
			continue;
		}
		i++;
		if (s[i] != '\0' && strchr(" \"#+,;<=>\\", s[i]) != NULL) {
			v[o++] = s[i];
			keep = o;
			continue;
		}
		if ((hi = hexval(s[i])) < 0 || (lo = hexval(s[i + 1])) < 0) {
			*why = "invalid escape sequence";
			i--; /* point at the backslash */
			goto bad;
		}
		if (hi == 0 && lo == 0) {
			*why = "a value contains an escaped NUL byte";
			i--;
			goto bad;
		}
		v[o++] = (char)(hi << 4 | lo);
		keep = o;
		i++;
	}
	/* Unescaped trailing spaces are not part of the value. */
	v[keep] = '\0';
	if (!ov_utf8_valid(v, keep)) {
		*why = "a value is not valid UTF-8";
		goto bad;
	}
	*pos = i;
	*out = v;
	return OV_OK;
bad:
	*pos = i;
	free(v);
	return OV_E_FORMAT;
}

enum ov_code
ov_dn_parse(const char *s, struct ov_dn **out, struct ov_err *err)
{
	struct ov_dn *dn = NULL;
	struct ov_quote q1, q2;
	const char *why = NULL, *m;
	char *type = NULL, *value = NULL;
	size_t i = 0;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if (strstr(s, "=#") != NULL)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "unsupported distinguished name (DN) %s: notation does not support x509.subject identities containing \"=#\"",
		    ov_quote(&q1, s));
	if (s[strspn(s, " ")] == '\0')
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "distinguished name (DN) %s is empty, it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum",
		    ov_quote(&q1, s));
	if ((dn = calloc(1, sizeof(*dn))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (;;) {
		if (dn->n >= OV_MAX_DN_ATTRS) {
			r = ov_err_set(
			    err, OV_E_LIMIT,
			    "distinguished name (DN) %s has more than %d RDN attributes",
			    ov_quote(&q1, s), OV_MAX_DN_ATTRS);
			goto out;
		}
		if ((r = parse_type(s, &i, &type, &why, err)) != OV_OK)
			goto out;
		if ((r = parse_value(s, &i, &value, &why, err)) != OV_OK)
			goto out;
		if (s[i] == '+') {
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "distinguished name (DN) %s has multi-valued RDN attributes, remove multi-valued RDN attributes as they are not supported",
			    ov_quote(&q1, s));
			goto out;
		}
		if (find(dn, type) != NULL) {
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "distinguished name (DN) %s has duplicate RDN attribute for %s, DN can only have unique RDN attributes",
			    ov_quote(&q1, s), ov_quote(&q2, type));
			goto out;
		}
		r = add_attr(dn, type, value) == 0
			? OV_OK
			: ov_err_set(err, OV_E_NOMEM, "out of memory");
		type = value = NULL; /* transferred */
		if (r != OV_OK)
			goto out;
		if (s[i] == '\0')
			break;
		i++; /* ',' or ';' */
	}
	if ((m = missing_mandatory(dn)) != NULL) {
		r = ov_err_set(
		    err, OV_E_FORMAT,
		    "distinguished name (DN) %s has no mandatory RDN attribute for %s, it must contain 'C', 'ST' or 'S', and 'O' RDN attributes at a minimum",
		    ov_quote(&q1, s), ov_quote(&q2, m));
		goto out;
	}
	/* success */
	*out = dn;
	dn = NULL; /* transferred */
	r = OV_OK;
out:
	if (r == OV_E_FORMAT && why != NULL)
		(void)ov_err_set(
		    err, OV_E_FORMAT,
		    "parsing distinguished name (DN) %s failed at offset %zu: %s; it must follow RFC 4514",
		    ov_quote(&q1, s), i, why);
	free(type);
	free(value);
	ov_dn_free(dn);
	return r;
}

/* The attributes Go's pkix.Name.String() prints with a short name. */
static const struct {
	int nid;
	const char *type;
} short_names[] = {
    {NID_countryName, "C"},
    {NID_organizationName, "O"},
    {NID_organizationalUnitName, "OU"},
    {NID_commonName, "CN"},
    {NID_serialNumber, "SERIALNUMBER"},
    {NID_localityName, "L"},
    {NID_stateOrProvinceName, "ST"},
    {NID_streetAddress, "STREET"},
    {NID_postalCode, "POSTALCODE"},
};

static const char *
short_name(int nid)
{
	size_t i;

	for (i = 0; i < sizeof(short_names) / sizeof(short_names[0]); i++)
		if (short_names[i].nid == nid)
			return short_names[i].type;
	return NULL;
}

/*
 * One subject attribute as (short name, UTF-8 value). dn holds the ones
 * converted so far. *value is the caller's.
 */
static enum ov_code
convert_entry(const X509_NAME_ENTRY *e, const struct ov_dn *dn,
	      const char **type, char **value, struct ov_err *err)
{
	const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
	unsigned char *utf8 = NULL;
	char oid[80];
	struct ov_quote q;
	int nid = OBJ_obj2nid(obj), len;
	enum ov_code r = OV_E_INTERNAL;

	*value = NULL;
	if ((*type = short_name(nid)) == NULL) {
		if (nid != NID_undef && OBJ_nid2sn(nid) != NULL)
			(void)snprintf(oid, sizeof(oid), "%s", OBJ_nid2sn(nid));
		else if (OBJ_obj2txt(oid, sizeof(oid), obj, 1) <= 0)
			(void)snprintf(oid, sizeof(oid), "(unknown)");
		return ov_err_set(
		    err, OV_E_POLICY,
		    "certificate subject attribute %s cannot be matched against trusted identities",
		    oid);
	}
	if (find(dn, *type) != NULL)
		return ov_err_set(
		    err, OV_E_POLICY,
		    "certificate subject has more than one %s attribute, which cannot be matched against trusted identities",
		    *type);
	if ((len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e))) < 0)
		return ov_err_ssl(
		    err, OV_E_POLICY,
		    "certificate subject attribute %s: value is not a string",
		    *type);
	if (memchr(utf8, '\0', (size_t)len) != NULL) {
		r = ov_err_set(
		    err, OV_E_POLICY,
		    "certificate subject attribute %s: value contains a NUL byte",
		    *type);
		goto out;
	}
	if (strstr((const char *)utf8, "=#") != NULL) {
		r = ov_err_set(
		    err, OV_E_POLICY,
		    "certificate subject attribute %s value %s contains \"=#\", which notation does not support",
		    *type, ov_quote(&q, (const char *)utf8));
		goto out;
	}
	if ((*value = strdup((const char *)utf8)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	/* success */
	r = OV_OK;
out:
	OPENSSL_free(utf8);
	return r;
}

/*
 * "O=acme+CN=a": the multi-valued RDN that entry i belongs to, for a
 * message, in buf (OpenSSL's one-line form, cut to fit).
 */
static const char *
rdn_text(const X509_NAME *name, int i, char *buf, size_t len)
{
	const X509_NAME_ENTRY *e;
	const char *sn;
	int set = X509_NAME_ENTRY_set(X509_NAME_get_entry(name, i));
	int k, n = X509_NAME_entry_count(name);
	size_t off = 0;

	buf[0] = '\0';
	while (i > 0 &&
	       X509_NAME_ENTRY_set(X509_NAME_get_entry(name, i - 1)) == set)
		i--;
	for (k = i; k < n && off < len; k++) {
		e = X509_NAME_get_entry(name, k);
		if (X509_NAME_ENTRY_set(e) != set)
			break;
		sn = OBJ_nid2sn(OBJ_obj2nid(X509_NAME_ENTRY_get_object(e)));
		(void)snprintf(buf + off, len - off, "%s%s=...",
			       k > i ? "+" : "", sn != NULL ? sn : "?");
		off = strlen(buf);
	}
	return buf;
}

/*
 * notation renders the subject with Go (other attributes become
 * "<oid>=#<hex>", a repeated one a multi-valued RDN) and parses the text
 * with the identity rules, so each of those is an error here too. A
 * multi-valued RDN of distinct types ("O=acme+CN=a") is refused as well,
 * stricter than notation: Go's pkix.Name flattens it into single-valued
 * RDNs, but no identity can name it (the parser refuses "+"), so it is
 * matched by "*" only (HACKING.md, Decisions).
 */
enum ov_code
ov_dn_from_name(const X509_NAME *name, struct ov_dn **out, struct ov_err *err)
{
	struct ov_dn *dn = NULL;
	const char *type, *m;
	char *value = NULL, rdn[128];
	int i, n;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if ((dn = calloc(1, sizeof(*dn))) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	n = X509_NAME_entry_count(name);
	for (i = 0; i < n; i++) {
		if (i > 0 &&
		    X509_NAME_ENTRY_set(X509_NAME_get_entry(name, i)) ==
			X509_NAME_ENTRY_set(X509_NAME_get_entry(name, i - 1))) {
			r = ov_err_set(
			    err, OV_E_POLICY,
			    "certificate subject has a multi-valued RDN (%s), which cannot be matched against trusted identities",
			    rdn_text(name, i, rdn, sizeof(rdn)));
			goto out;
		}
		if ((r = convert_entry(X509_NAME_get_entry(name, i), dn, &type,
				       &value, err)) != OV_OK)
			goto out;
		if (add_attr(dn, strdup(type), value) != 0) {
			r = ov_err_set(err, OV_E_NOMEM, "out of memory");
			goto out;
		}
	}
	if ((m = missing_mandatory(dn)) != NULL) {
		r = ov_err_set(
		    err, OV_E_POLICY,
		    "certificate subject has no %s attribute; notation requires C, ST and O to match trusted identities",
		    m);
		goto out;
	}
	/* success */
	*out = dn;
	dn = NULL; /* transferred */
	r = OV_OK;
out:
	ov_dn_free(dn);
	return r;
}

/* An attribute absent from subject counts as the empty value, as in
 * notation's IsSubsetDN (a Go map lookup). */
int
ov_dn_is_subset(const struct ov_dn *identity, const struct ov_dn *subject)
{
	const struct ov_dn_attr *a;
	size_t i;

	for (i = 0; i < identity->n; i++) {
		a = find(subject, identity->attrs[i].type);
		if (strcmp(identity->attrs[i].value, a ? a->value : "") != 0)
			return 0;
	}
	return 1;
}

int
ov_dn_overlaps(const struct ov_dn *a, const struct ov_dn *b)
{
	return ov_dn_is_subset(a, b) || ov_dn_is_subset(b, a);
}
