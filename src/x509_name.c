/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Printable names of X.509 certificates as notation shows them: Go's
 * pkix.Name.String() (RFC 4514 escaping with Go's attribute order and
 * labels), and names shortened for one-line messages.
 */
#include "config.h"

#include "x509.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "buf.h"
#include "digest.h"
#include "ovlimits.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Append value v (UTF-8, n bytes) escaped as Go's pkix.RDNSequence.String
 * does: ,+"\<>; always, # first, space first or last. Control bytes are
 * shown as \HH so that names cannot hide text in a terminal (Go prints
 * them raw).
 */
static enum ov_code
add_escaped(struct ov_buf *b, const unsigned char *v, size_t n)
{
	size_t i;
	unsigned char ch;
	enum ov_code r = OV_OK;

	for (i = 0; i < n && r == OV_OK; i++) {
		ch = v[i];
		if (ch < 0x20 || ch == 0x7f) {
			r = ov_buf_addf(b, NULL, "\\%02X", ch);
			continue;
		}
		if (strchr(",+\"\\<>;", ch) != NULL || (ch == '#' && i == 0) ||
		    (ch == ' ' && (i == 0 || i == n - 1)))
			r = ov_buf_add(b, "\\", 1, NULL);
		if (r == OV_OK)
			r = ov_buf_add(b, &ch, 1, NULL);
	}
	return r;
}

/* Append "label=value"; non-string values as #hex of their content. */
static enum ov_code
add_atv(struct ov_buf *b, const char *label, const ASN1_STRING *s)
{
	unsigned char *utf8 = NULL;
	char hex[3];
	int n, i;
	enum ov_code r;

	if ((r = ov_buf_addf(b, NULL, "%s=", label)) != OV_OK)
		return r;
	n = ASN1_STRING_to_UTF8(&utf8, s);
	if (n >= 0) {
		r = add_escaped(b, utf8, (size_t)n);
		OPENSSL_free(utf8);
		return r;
	}
	ERR_clear_error();
	r = ov_buf_add(b, "#", 1, NULL);
	for (i = 0; r == OV_OK && i < ASN1_STRING_length(s); i++) {
		ov_hex(ASN1_STRING_get0_data(s) + i, 1, hex);
		r = ov_buf_add(b, hex, 2, NULL);
	}
	return r;
}

/* The attributes Go's pkix.Name parses into fields, in String() order. */
static const struct {
	int nid;
	const char *label;
	int single; /* Go keeps only the last value */
} go_attrs[] = {
    {NID_serialNumber, "SERIALNUMBER", 1},
    {NID_commonName, "CN", 1},
    {NID_organizationalUnitName, "OU", 0},
    {NID_organizationName, "O", 0},
    {NID_postalCode, "POSTALCODE", 0},
    {NID_streetAddress, "STREET", 0},
    {NID_localityName, "L", 0},
    {NID_stateOrProvinceName, "ST", 0},
    {NID_countryName, "C", 0},
};

static int
go_attr_index(int nid)
{
	size_t i;

	for (i = 0; i < NELEMS(go_attrs); i++)
		if (go_attrs[i].nid == nid)
			return (int)i;
	return -1;
}

/* 1 when s is a string type Go's parser decodes (others it skips). */
static int
is_string(const ASN1_STRING *s)
{
	switch (ASN1_STRING_type(s)) {
	case V_ASN1_T61STRING:
	case V_ASN1_PRINTABLESTRING:
	case V_ASN1_UTF8STRING:
	case V_ASN1_BMPSTRING:
	case V_ASN1_IA5STRING:
	case V_ASN1_NUMERICSTRING:
		return 1;
	default:
		return 0;
	}
}

/*
 * Go's pkix.Name.String(): the attributes it knows in the fixed order
 * SERIALNUMBER, CN, OU, O, POSTALCODE, STREET, L, ST, C (several values of
 * one type joined with "+"), then every other attribute in reverse order
 * of appearance. For the usual C, ST, L, O, OU, CN order this is the
 * reverse order of appearance.
 */
char *
ov_x509_name(const X509_NAME *name)
{
	struct ov_buf b;
	const X509_NAME_ENTRY *ent;
	const ASN1_STRING *s;
	const ASN1_STRING *last;
	char oid[80];
	const char *label;
	size_t k;
	int i, n, nid, first = 1, joined;
	enum ov_code r = OV_OK;

	ov_buf_init(&b, 16 * OV_MIB);
	n = name == NULL ? 0 : X509_NAME_entry_count(name);
	for (k = 0; k < NELEMS(go_attrs); k++) {
		last = NULL;
		joined = 0;
		for (i = 0; i < n && r == OV_OK; i++) {
			ent = X509_NAME_get_entry(name, i);
			s = X509_NAME_ENTRY_get_data(ent);
			nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(ent));
			if (nid != go_attrs[k].nid || !is_string(s))
				continue;
			if (go_attrs[k].single) {
				last = s;
				continue;
			}
			r = ov_buf_adds(&b,
					first    ? ""
					: joined ? "+"
						 : ",",
					NULL);
			if (r == OV_OK)
				r = add_atv(&b, go_attrs[k].label, s);
			first = 0;
			joined = 1;
		}
		if (last != NULL && ASN1_STRING_length(last) > 0 &&
		    r == OV_OK) {
			r = ov_buf_adds(&b, first ? "" : ",", NULL);
			if (r == OV_OK)
				r = add_atv(&b, go_attrs[k].label, last);
			first = 0;
		}
	}
	for (i = n - 1; i >= 0 && r == OV_OK; i--) {
		ent = X509_NAME_get_entry(name, i);
		nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(ent));
		if (go_attr_index(nid) >= 0)
			continue;
		label = nid == NID_undef ? NULL : OBJ_nid2sn(nid);
		if (label == NULL) {
			(void)OBJ_obj2txt(oid, sizeof(oid),
					  X509_NAME_ENTRY_get_object(ent), 1);
			label = oid;
		}
		r = ov_buf_adds(&b, first ? "" : ",", NULL);
		if (r == OV_OK)
			r = add_atv(&b, label, X509_NAME_ENTRY_get_data(ent));
		first = 0;
	}
	if (r != OV_OK) {
		ov_buf_free(&b);
		return NULL;
	}
	return ov_buf_steal(&b);
}

const char *
ov_x509_show_name(const X509_NAME *name, char *buf, size_t size)
{
	char *s;
	size_t n;

	s = ov_x509_name(name);
	if (s == NULL) {
		memcpy(buf, "?", 2);
		return buf;
	}
	n = strlen(s);
	if (n < size) {
		memcpy(buf, s, n + 1);
	} else {
		/* cut at a UTF-8 character boundary */
		n = size - 4;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		memcpy(buf, s, n);
		memcpy(buf + n, "...", 4);
	}
	free(s);
	return buf;
}
