/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Sign1 envelopes (signature-envelope-cose.md, RFC 9052 sections 3
 * and 4.2; spec digest B.2, B.4). A streaming walk bounds the input first
 * (depth, item count, definite lengths, tags, duplicate map keys, UTF-8)
 * before libcbor builds items; the protected header is kept as received
 * and the Sig_structure is built around those bytes, never re-encoded.
 * The header rules of RFC 9052 section 3 hold across both buckets.
 */
#include "config.h"

#include "envelope.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "buf.h"
#include "ovlimits.h"
#include "text.h"

#define W_ENV "cose envelope"
#define W_PROT "cose protected header"
#define W_UNPROT "cose unprotected header"

#define LABEL_ALG 1
#define LABEL_CRIT 2
#define LABEL_CTY 3
#define LABEL_KID 4
#define LABEL_IV 5
#define LABEL_PARTIAL_IV 6
#define LABEL_COUNTER_SIGNATURE 7
#define LABEL_COUNTER_SIGNATURE0 9
#define LABEL_COUNTER_SIGNATURE_V2 11
#define LABEL_COUNTER_SIGNATURE0_V2 12
#define LABEL_X5CHAIN 33

/* ---------------------------------------------------------------------
 * Streaming walk (libcbor callbacks record one event per decoded head).
 */

enum ev_type {
	EV_NONE,
	EV_UINT,
	EV_NEGINT,
	EV_BSTR,
	EV_TSTR,
	EV_ARRAY,
	EV_MAP,
	EV_TAG,
	EV_FLOAT,
	EV_SIMPLE,
	EV_INDEF,
	EV_BREAK,
};

struct ev {
	enum ev_type type;
	uint64_t v;
	const unsigned char *p;
	size_t n;
};

enum walk_mode {
	WALK_ENVELOPE, /* only the outer tag 18 at offset 0; no trailing data */
	WALK_PROTECTED, /* tags only on values of the top-level map */
	WALK_ANY,       /* any tags; data after the item is allowed */
};

struct frame {
	enum ev_type kind; /* EV_ARRAY, EV_MAP or EV_TAG */
	uint64_t total;    /* items the container holds (2 per map entry) */
	uint64_t left;     /* items still to come */
	size_t keybase;    /* first key of this map in the key list */
};

struct key {
	enum ev_type type;
	uint64_t v;
	const unsigned char *p;
	size_t n;
};

static void
ev_set(void *ctx, enum ev_type t, uint64_t v)
{
	struct ev *e = ctx;

	e->type = t;
	e->v = v;
}

static void
cb_uint8(void *c, uint8_t v)
{
	ev_set(c, EV_UINT, v);
}

static void
cb_uint16(void *c, uint16_t v)
{
	ev_set(c, EV_UINT, v);
}

static void
cb_uint32(void *c, uint32_t v)
{
	ev_set(c, EV_UINT, v);
}

static void
cb_uint64(void *c, uint64_t v)
{
	ev_set(c, EV_UINT, v);
}

static void
cb_negint8(void *c, uint8_t v)
{
	ev_set(c, EV_NEGINT, v);
}

static void
cb_negint16(void *c, uint16_t v)
{
	ev_set(c, EV_NEGINT, v);
}

static void
cb_negint32(void *c, uint32_t v)
{
	ev_set(c, EV_NEGINT, v);
}

static void
cb_negint64(void *c, uint64_t v)
{
	ev_set(c, EV_NEGINT, v);
}

static void
cb_bstr(void *c, cbor_data p, size_t n)
{
	struct ev *e = c;

	ev_set(c, EV_BSTR, n);
	e->p = p;
	e->n = n;
}

static void
cb_tstr(void *c, cbor_data p, size_t n)
{
	struct ev *e = c;

	ev_set(c, EV_TSTR, n);
	e->p = p;
	e->n = n;
}

static void
cb_indef(void *c)
{
	ev_set(c, EV_INDEF, 0);
}

static void
cb_array(void *c, size_t n)
{
	ev_set(c, EV_ARRAY, n);
}

static void
cb_map(void *c, size_t n)
{
	ev_set(c, EV_MAP, n);
}

static void
cb_tag(void *c, uint64_t v)
{
	ev_set(c, EV_TAG, v);
}

static void
cb_float(void *c, float f)
{
	(void)f;
	ev_set(c, EV_FLOAT, 0);
}

static void
cb_double(void *c, double d)
{
	(void)d;
	ev_set(c, EV_FLOAT, 0);
}

static void
cb_simple(void *c)
{
	ev_set(c, EV_SIMPLE, 0);
}

static void
cb_bool(void *c, bool b)
{
	(void)b;
	ev_set(c, EV_SIMPLE, 0);
}

static void
cb_break(void *c)
{
	ev_set(c, EV_BREAK, 0);
}

static void
set_callbacks(struct cbor_callbacks *cb)
{
	*cb = cbor_empty_callbacks;
	cb->uint8 = cb_uint8;
	cb->uint16 = cb_uint16;
	cb->uint32 = cb_uint32;
	cb->uint64 = cb_uint64;
	cb->negint8 = cb_negint8;
	cb->negint16 = cb_negint16;
	cb->negint32 = cb_negint32;
	cb->negint64 = cb_negint64;
	/* libcbor 0.8 names: byte_string is a definite string, *_start an
	 * indefinite one. */
	cb->byte_string = cb_bstr;
	cb->byte_string_start = cb_indef;
	cb->string = cb_tstr;
	cb->string_start = cb_indef;
	cb->array_start = cb_array;
	cb->indef_array_start = cb_indef;
	cb->map_start = cb_map;
	cb->indef_map_start = cb_indef;
	cb->tag = cb_tag;
	cb->float2 = cb_float;
	cb->float4 = cb_float;
	cb->float8 = cb_double;
	cb->undefined = cb_simple;
	cb->null = cb_simple;
	cb->boolean = cb_bool;
	cb->indef_break = cb_break;
}

/* RFC 3629 UTF-8 without U+0000 (labels and values become C strings). */
static int
valid_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (p[i] == 0 || (k = ov_utf8_len(p + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

static int
key_equal(const struct key *a, const struct key *b)
{
	if (a->type != b->type)
		return 0;
	if (a->type == EV_TSTR)
		return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
	return a->v == b->v;
}

static int
tag_allowed(enum walk_mode mode, size_t off, uint64_t tag, size_t depth,
	    const struct frame *top)
{
	switch (mode) {
	case WALK_ENVELOPE:
		return off == 0 && tag == 18;
	case WALK_PROTECTED:
		/* A value of the header map (parse_protected then allows only
		 * tag 1 on the time attributes), and one libcbor can load. */
		return depth == 1 && top->kind == EV_MAP &&
		       (top->total - top->left) % 2 == 1 &&
		       (tag <= 5 || tag >= 21);
	default:
		return 1;
	}
}

/* Record map key e (at offset off) for the map on top, rejecting repeats. */
static enum ov_code
add_key(struct key **keys, size_t *nkeys, size_t *cap, const struct frame *top,
	const struct ev *e, size_t off, const char *what, struct ov_err *err)
{
	struct key k, *nk;
	size_t i;

	if (e->type != EV_UINT && e->type != EV_NEGINT && e->type != EV_TSTR)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "%s: map key at offset %zu is not an integer or a text string",
		    what, off);
	k.type = e->type;
	k.v = e->v;
	k.p = e->p;
	k.n = e->n;
	for (i = top->keybase; i < *nkeys; i++)
		if (key_equal(&(*keys)[i], &k))
			return ov_err_set(err, OV_E_FORMAT,
					  "%s: duplicate map key at offset %zu",
					  what, off);
	if (*nkeys == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		if ((nk = realloc(*keys, *cap * sizeof(*nk))) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		*keys = nk;
	}
	(*keys)[(*nkeys)++] = k;
	return OV_OK;
}

/*
 * Walk the one CBOR item at the start of data without building it:
 * definite lengths only, at most OV_MAX_CBOR_DEPTH levels (tags count)
 * and OV_MAX_CBOR_ITEMS items, map keys int or tstr and unique, text
 * strings valid UTF-8, tags as mode allows. *used receives its length.
 */
static enum ov_code
walk(const unsigned char *data, size_t len, enum walk_mode mode,
     const char *what, size_t *used, struct ov_err *err)
{
	struct frame stack[OV_MAX_CBOR_DEPTH];
	struct cbor_callbacks cb;
	struct cbor_decoder_result res;
	struct key *keys = NULL;
	struct frame *top;
	struct ev e;
	size_t depth = 0, items = 0, off = 0, nkeys = 0, cap = 0, rest;
	uint64_t count;
	enum ov_code r = OV_E_INTERNAL;

	*used = 0;
	set_callbacks(&cb);
	for (;;) {
		top = depth > 0 ? &stack[depth - 1] : NULL;
		if (off >= len) {
			r = ov_err_set(err, OV_E_FORMAT,
				       "%s: truncated CBOR data at offset %zu",
				       what, off);
			goto out;
		}
		memset(&e, 0, sizeof(e));
		if (data[off] >= 0xc6 && data[off] <= 0xd4) {
			/* libcbor 0.8 refuses the one-byte heads of tags 6-20
			 * (unassigned when it was written), tag 18 included. */
			e.type = EV_TAG;
			e.v = data[off] - 0xc0u;
			res.status = CBOR_DECODER_FINISHED;
			res.read = 1;
		} else {
			res =
			    cbor_stream_decode(data + off, len - off, &cb, &e);
		}
		if (res.status == CBOR_DECODER_NEDATA) {
			r = ov_err_set(err, OV_E_FORMAT,
				       "%s: truncated CBOR data at offset %zu",
				       what, off);
			goto out;
		}
		if (res.status != CBOR_DECODER_FINISHED || e.type == EV_NONE ||
		    res.read == 0) {
			r = ov_err_set(err, OV_E_FORMAT,
				       "%s: malformed CBOR at offset %zu", what,
				       off);
			goto out;
		}
		if (++items > OV_MAX_CBOR_ITEMS) {
			r = ov_err_set(err, OV_E_LIMIT,
				       "%s: more than %d CBOR data items", what,
				       OV_MAX_CBOR_ITEMS);
			goto out;
		}
		if (e.type == EV_INDEF || e.type == EV_BREAK) {
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: indefinite-length CBOR item at offset %zu is not allowed",
			    what, off);
			goto out;
		}
		if (e.type == EV_TSTR && !valid_utf8(e.p, e.n)) {
			r = ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: invalid UTF-8 in the text string at offset %zu",
			    what, off);
			goto out;
		}
		if (top != NULL && top->kind == EV_MAP &&
		    (top->total - top->left) % 2 == 0 &&
		    (r = add_key(&keys, &nkeys, &cap, top, &e, off, what,
				 err)) != OV_OK)
			goto out;
		if (e.type == EV_TAG &&
		    !tag_allowed(mode, off, e.v, depth, top)) {
			r = ov_err_set(err, OV_E_FORMAT,
				       "%s: CBOR tag %" PRIu64
				       " at offset %zu isn't allowed",
				       what, e.v, off);
			goto out;
		}
		off += res.read;
		rest = len - off;
		if (e.type == EV_ARRAY || e.type == EV_MAP ||
		    e.type == EV_TAG) {
			/* Every item takes at least one byte. */
			if (e.type == EV_TAG)
				count = 1;
			else if (e.type == EV_ARRAY && e.v <= rest)
				count = e.v;
			else if (e.type == EV_MAP && e.v <= rest / 2)
				count = 2 * e.v;
			else {
				r = ov_err_set(
				    err, OV_E_FORMAT,
				    "%s: truncated CBOR data at offset %zu",
				    what, off);
				goto out;
			}
			if (count > 0) {
				if (depth == OV_MAX_CBOR_DEPTH) {
					r = ov_err_set(
					    err, OV_E_LIMIT,
					    "%s: CBOR nesting deeper than %d levels",
					    what, OV_MAX_CBOR_DEPTH);
					goto out;
				}
				stack[depth].kind = e.type;
				stack[depth].total = count;
				stack[depth].left = count;
				stack[depth].keybase = nkeys;
				depth++;
				continue;
			}
		}
		/* An item is complete; so is every container it completes. */
		while (depth > 0) {
			top = &stack[depth - 1];
			if (--top->left > 0)
				break;
			if (top->kind == EV_MAP)
				nkeys = top->keybase;
			depth--;
		}
		if (depth == 0)
			break;
	}
	if (mode != WALK_ANY && off != len) {
		r = ov_err_set(err, OV_E_FORMAT,
			       "%s: %zu trailing bytes after the CBOR data",
			       what, len - off);
		goto out;
	}
	*used = off;
	r = OV_OK;
out:
	free(keys);
	return r;
}

enum ov_code
ov_cbor_item_len(const void *data, size_t len, size_t *item_len,
		 struct ov_err *err)
{
	return walk(data, len, WALK_ANY, "cbor", item_len, err);
}

/* ---------------------------------------------------------------------
 * Items built by libcbor after the walk.
 */

struct label {
	int is_int;
	int64_t i;
	const char *s;
	size_t n;
};

static int
get_int(const cbor_item_t *it, int64_t *out)
{
	uint64_t v;

	if (!cbor_isa_uint(it) && !cbor_isa_negint(it))
		return 0;
	v = cbor_get_int(it);
	if (v > INT64_MAX)
		return 0;
	*out = cbor_isa_uint(it) ? (int64_t)v : -1 - (int64_t)v;
	return 1;
}

static int
get_label(const cbor_item_t *it, struct label *l)
{
	memset(l, 0, sizeof(*l));
	if (get_int(it, &l->i)) {
		l->is_int = 1;
		return 1;
	}
	if (cbor_isa_string(it) && cbor_string_is_definite(it)) {
		l->s = (const char *)cbor_string_handle(it);
		l->n = cbor_string_length(it);
		if (l->s == NULL)
			l->s = "";
		return 1;
	}
	return 0;
}

static int
label_is_str(const struct label *l, const char *s)
{
	return !l->is_int && l->n == strlen(s) && memcmp(l->s, s, l->n) == 0;
}

static int
label_is_int(const struct label *l, int64_t i)
{
	return l->is_int && l->i == i;
}

static int
label_eq(const struct label *a, const struct label *b)
{
	if (a->is_int != b->is_int)
		return 0;
	if (a->is_int)
		return a->i == b->i;
	return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* The label as text: "-65537", "io.cncf.notary.expiry". */
static char *
label_text(const struct label *l)
{
	char *s;

	if (l->is_int) {
		if ((s = malloc(24)) != NULL)
			(void)snprintf(s, 24, "%" PRId64, l->i);
		return s;
	}
	if ((s = malloc(l->n + 1)) != NULL) {
		memcpy(s, l->s, l->n);
		s[l->n] = '\0';
	}
	return s;
}

/* Copy a definite text string into a C string (the walk excluded NUL). */
static char *
text_dup(const cbor_item_t *it)
{
	struct label l;

	if (!cbor_isa_string(it) || !get_label(it, &l))
		return NULL;
	return label_text(&l);
}

static enum ov_code
bytes_dup(const cbor_item_t *it, struct ov_bytes *out, struct ov_err *err)
{
	size_t n = cbor_bytestring_length(it);

	out->p = NULL;
	out->n = 0;
	if ((out->p = malloc(n > 0 ? n : 1)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	if (n > 0)
		memcpy(out->p, cbor_bytestring_handle(it), n);
	out->n = n;
	return OV_OK;
}

static int
is_bstr(const cbor_item_t *it)
{
	return cbor_isa_bytestring(it) && cbor_bytestring_is_definite(it);
}

/* Printable rendering of an attribute value: text as is, else close to
 * CBOR diagnostic notation (RFC 8949 section 8). */
static enum ov_code
render(const cbor_item_t *it, struct ov_buf *b, int top, struct ov_err *err)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	struct cbor_pair *pairs;
	cbor_item_t **elems, *inner;
	uint64_t v;
	size_t i, n;
	char c[2];
	enum ov_code r = OV_OK;

	switch (cbor_typeof(it)) {
	case CBOR_TYPE_UINT:
		return ov_buf_addf(b, err, "%" PRIu64, cbor_get_int(it));
	case CBOR_TYPE_NEGINT:
		v = cbor_get_int(it);
		if (v == UINT64_MAX)
			return ov_buf_adds(b, "-18446744073709551616", err);
		return ov_buf_addf(b, err, "-%" PRIu64, v + 1);
	case CBOR_TYPE_BYTESTRING:
		p = cbor_bytestring_handle(it);
		n = cbor_bytestring_length(it);
		if ((r = ov_buf_adds(b, "h'", err)) != OV_OK)
			return r;
		for (i = 0; i < n && r == OV_OK; i++) {
			c[0] = hex[p[i] >> 4];
			c[1] = hex[p[i] & 15];
			r = ov_buf_add(b, c, 2, err);
		}
		return r != OV_OK ? r : ov_buf_adds(b, "'", err);
	case CBOR_TYPE_STRING:
		p = cbor_string_handle(it);
		n = cbor_string_length(it);
		if (top)
			return n > 0 ? ov_buf_add(b, p, n, err) : OV_OK;
		if ((r = ov_buf_adds(b, "\"", err)) != OV_OK)
			return r;
		for (i = 0; i < n && r == OV_OK; i++) {
			if (p[i] == '"' || p[i] == '\\')
				r = ov_buf_add(b, "\\", 1, err);
			if (r == OV_OK)
				r = ov_buf_add(b, &p[i], 1, err);
		}
		return r != OV_OK ? r : ov_buf_adds(b, "\"", err);
	case CBOR_TYPE_ARRAY:
		elems = cbor_array_handle(it);
		n = cbor_array_size(it);
		if ((r = ov_buf_adds(b, "[", err)) != OV_OK)
			return r;
		for (i = 0; i < n && r == OV_OK; i++) {
			if (i > 0)
				r = ov_buf_adds(b, ", ", err);
			if (r == OV_OK)
				r = render(elems[i], b, 0, err);
		}
		return r != OV_OK ? r : ov_buf_adds(b, "]", err);
	case CBOR_TYPE_MAP:
		pairs = cbor_map_handle(it);
		n = cbor_map_size(it);
		if ((r = ov_buf_adds(b, "{", err)) != OV_OK)
			return r;
		for (i = 0; i < n && r == OV_OK; i++) {
			if (i > 0)
				r = ov_buf_adds(b, ", ", err);
			if (r == OV_OK)
				r = render(pairs[i].key, b, 0, err);
			if (r == OV_OK)
				r = ov_buf_adds(b, ": ", err);
			if (r == OV_OK)
				r = render(pairs[i].value, b, 0, err);
		}
		return r != OV_OK ? r : ov_buf_adds(b, "}", err);
	case CBOR_TYPE_TAG:
		if ((r = ov_buf_addf(b, err, "%" PRIu64 "(",
				     cbor_tag_value(it))) != OV_OK)
			return r;
		inner = cbor_tag_item(it);
		r = render(inner, b, 0, err);
		cbor_decref(&inner);
		return r != OV_OK ? r : ov_buf_adds(b, ")", err);
	case CBOR_TYPE_FLOAT_CTRL:
		if (!cbor_float_ctrl_is_ctrl(it))
			return ov_buf_addf(b, err, "%g",
					   cbor_float_get_float(it));
		if (cbor_is_bool(it))
			return ov_buf_adds(b,
					   cbor_get_bool(it) ? "true" : "false",
					   err);
		if (cbor_is_null(it))
			return ov_buf_adds(b, "null", err);
		if (cbor_is_undef(it))
			return ov_buf_adds(b, "undefined", err);
		return ov_buf_addf(b, err, "simple(%u)",
				   (unsigned)cbor_ctrl_value(it));
	}
	return OV_OK;
}

/* Load data (already walked) into items. */
static enum ov_code
load(const unsigned char *data, size_t len, const char *what, cbor_item_t **out,
     struct ov_err *err)
{
	struct cbor_load_result res;
	cbor_item_t *it;

	*out = NULL;
	memset(&res, 0, sizeof(res));
	it = cbor_load(data, len, &res);
	if (it == NULL || res.error.code != CBOR_ERR_NONE || res.read != len) {
		if (it != NULL)
			cbor_decref(&it);
		if (res.error.code == CBOR_ERR_MEMERROR)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		return ov_err_set(err, OV_E_FORMAT,
				  "%s: malformed CBOR at offset %zu", what,
				  res.error.position);
	}
	*out = it;
	return OV_OK;
}

/* ---------------------------------------------------------------------
 * Rules of RFC 9052 section 3 for both buckets (go-cose
 * validateHeaderParameters, ensureIV): labels are int or tstr (and unique,
 * which walk() checks); kid, IV and Partial IV are byte strings, IV and
 * Partial IV never both; counter signatures (RFC 9338) are unprotected.
 * crit, alg and content type have their own checks below.
 */

static int
has_int_label(struct cbor_pair *pairs, size_t np, int64_t i)
{
	struct label l;
	size_t k;

	for (k = 0; k < np; k++)
		if (get_label(pairs[k].key, &l) && label_is_int(&l, i))
			return 1;
	return 0;
}

static enum ov_code
check_generic(struct cbor_pair *pairs, size_t np, int protected,
	      const char *what, struct ov_err *err)
{
	const char *name;
	struct label l;
	size_t i;
	int abbrev;

	for (i = 0; i < np; i++) {
		if (!get_label(pairs[i].key, &l))
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: labels must be integers or text strings",
			    what);
		if (!l.is_int)
			continue;
		switch (l.i) {
		case LABEL_KID:
		case LABEL_IV:
		case LABEL_PARTIAL_IV:
			if (is_bstr(pairs[i].value))
				break;
			if (l.i == LABEL_KID)
				name = "kid";
			else
				name = l.i == LABEL_IV ? "IV" : "Partial IV";
			return ov_err_set(err, OV_E_FORMAT,
					  "%s: %s (label %" PRId64
					  ") must be a byte string",
					  what, name, l.i);
		case LABEL_COUNTER_SIGNATURE:
		case LABEL_COUNTER_SIGNATURE0:
		case LABEL_COUNTER_SIGNATURE_V2:
		case LABEL_COUNTER_SIGNATURE0_V2:
			if (protected)
				return ov_err_set(
				    err, OV_E_FORMAT,
				    "%s: counter signature (label %" PRId64
				    ") is not allowed here",
				    what, l.i);
			abbrev = l.i == LABEL_COUNTER_SIGNATURE0 ||
				 l.i == LABEL_COUNTER_SIGNATURE0_V2;
			if (abbrev ? is_bstr(pairs[i].value)
				   : cbor_isa_array(pairs[i].value))
				break;
			return ov_err_set(
			    err, OV_E_FORMAT,
			    "%s: counter signature (label %" PRId64
			    ") must be %s",
			    what, l.i, abbrev ? "a byte string" : "an array");
		default:
			break;
		}
	}
	if (has_int_label(pairs, np, LABEL_IV) &&
	    has_int_label(pairs, np, LABEL_PARTIAL_IV))
		return ov_err_set(
		    err, OV_E_FORMAT,
		    "%s: IV (label 5) and Partial IV (label 6) must not both be present",
		    what);
	return OV_OK;
}

/*
 * RFC 9052 section 3: a label in both buckets is refused (go-cose does),
 * so no reader can take a value from the unsigned one; IV in one and
 * Partial IV in the other are refused too.
 */
static enum ov_code
check_disjoint(const cbor_item_t *prot, const cbor_item_t *unprot,
	       struct ov_err *err)
{
	struct cbor_pair *pp = cbor_map_handle(prot);
	struct cbor_pair *up = cbor_map_handle(unprot);
	size_t i, j, np = cbor_map_size(prot), nu = cbor_map_size(unprot);
	struct label a, b;
	char *t;

	for (i = 0; i < nu; i++) {
		if (!get_label(up[i].key, &b))
			continue; /* check_generic refused it */
		for (j = 0; j < np; j++) {
			if (!get_label(pp[j].key, &a) || !label_eq(&a, &b))
				continue;
			if ((t = label_text(&b)) == NULL)
				return ov_err_set(err, OV_E_NOMEM,
						  "out of memory");
			(void)ov_err_set(
			    err, OV_E_FORMAT,
			    W_UNPROT
			    ": label %.64s is also in the protected header",
			    t);
			free(t);
			return OV_E_FORMAT;
		}
	}
	if ((has_int_label(pp, np, LABEL_IV) &&
	     has_int_label(up, nu, LABEL_PARTIAL_IV)) ||
	    (has_int_label(pp, np, LABEL_PARTIAL_IV) &&
	     has_int_label(up, nu, LABEL_IV)))
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_ENV
		    ": IV (label 5) and Partial IV (label 6) must not both be present");
	return OV_OK;
}

/* ---------------------------------------------------------------------
 * Protected header.
 */

struct prot {
	const cbor_item_t *alg, *crit, *cty, *scheme, *st, *ast, *exp;
	const cbor_item_t *plugin, *minver;
};

static int
in_crit(const cbor_item_t *crit, const struct label *l)
{
	cbor_item_t **e = cbor_array_handle(crit);
	size_t i, n = cbor_array_size(crit);
	struct label c;

	for (i = 0; i < n; i++)
		if (get_label(e[i], &c) && label_eq(&c, l))
			return 1;
	return 0;
}

static int
in_crit_str(const cbor_item_t *crit, const char *s)
{
	struct label l;

	memset(&l, 0, sizeof(l));
	l.s = s;
	l.n = strlen(s);
	return in_crit(crit, &l);
}

/*
 * A time attribute: tag 1 (epoch-based date/time) holding an integer or a
 * float, which is truncated to seconds (notation-core-go parseTime).
 */
static enum ov_code
parse_time(const cbor_item_t *it, const char *name, int64_t *out,
	   struct ov_err *err)
{
	cbor_item_t *inner;
	double d;
	int ok = 0;

	if (!cbor_isa_tag(it))
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT ": invalid %s: invalid timeValue type",
				  name);
	if (cbor_tag_value(it) != 1)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_PROT
		    ": invalid %s: only Tag `1` Datetime CBOR object is supported",
		    name);
	inner = cbor_tag_item(it);
	if (get_int(inner, out)) {
		ok = 1;
	} else if (cbor_isa_float_ctrl(inner) &&
		   !cbor_float_ctrl_is_ctrl(inner)) {
		d = cbor_float_get_float(inner);
		if (isfinite(d) && d > -9.2e18 && d < 9.2e18) {
			*out = (int64_t)d;
			ok = 1;
		}
	}
	cbor_decref(&inner);
	if (!ok)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_PROT
		    ": invalid %s: tag 1 must hold an integer or a float",
		    name);
	return OV_OK;
}

static enum ov_code
parse_alg(struct ov_envelope *env, const cbor_item_t *alg, struct ov_err *err)
{
	int64_t id;
	struct label l;

	if (alg == NULL)
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT ": missing algorithm (label 1)");
	if (get_int(alg, &id)) {
		if ((env->alg = ov_sig_alg_from_cose(id)) == OV_ALG_UNKNOWN)
			return ov_err_set(err, OV_E_UNSUPPORTED,
					  W_PROT
					  ": signature algorithm %" PRId64
					  " is not supported",
					  id);
		return OV_OK;
	}
	if (cbor_isa_string(alg) && get_label(alg, &l))
		return ov_err_set(
		    err, OV_E_UNSUPPORTED,
		    W_PROT ": signature algorithm \"%.*s\" is not supported",
		    (int)(l.n > 64 ? 64 : l.n), l.s);
	return ov_err_set(err, OV_E_FORMAT,
			  W_PROT ": algorithm (label 1) must be an integer");
}

static enum ov_code
parse_cty(struct ov_envelope *env, const cbor_item_t *cty, struct ov_err *err)
{
	const char *s, *slash;

	if (cty == NULL)
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT ": missing content type (label 3)");
	if (cbor_isa_uint(cty))
		return ov_err_set(err, OV_E_UNSUPPORTED,
				  W_PROT
				  ": content type %" PRIu64
				  " is not supported (want a media type)",
				  cbor_get_int(cty));
	if (!cbor_isa_string(cty))
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_PROT ": content type (label 3) must be a text string");
	if ((env->content_type = text_dup(cty)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	/* go-cose: non-empty, no surrounding spaces, type/subtype. */
	s = env->content_type;
	slash = strchr(s, '/');
	if (s[0] == '\0' || s[0] == ' ' || s[strlen(s) - 1] == ' ' ||
	    slash == NULL || strchr(slash + 1, '/') != NULL)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_PROT
		    ": content type \"%.64s\" is not of the form type/subtype",
		    s);
	return OV_OK;
}

/*
 * crit: every listed label must be present (go-cose ensureCritical); the
 * Notary attributes that must be critical must be listed (notation-core-go
 * validateCritHeaders). Repeated entries are tolerated, as in notation.
 */
static enum ov_code
check_crit(struct cbor_pair *pairs, size_t np, const struct prot *h,
	   enum ov_scheme scheme, struct ov_err *err)
{
	const char *must[3];
	int need[3];
	char missing[256], *t;
	cbor_item_t **e;
	struct label l, k;
	size_t i, j, n, off;

	if (h->crit == NULL)
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT ": missing crit (label 2)");
	if (!cbor_isa_array(h->crit) || cbor_array_size(h->crit) == 0)
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT
				  ": crit (label 2) must be a non-empty array");
	e = cbor_array_handle(h->crit);
	n = cbor_array_size(h->crit);
	for (i = 0; i < n; i++) {
		if (!get_label(e[i], &l))
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": crit[%zu] must be an integer or a text string",
			    i);
		for (j = 0; j < np; j++)
			if (get_label(pairs[j].key, &k) && label_eq(&k, &l))
				break;
		if (j == np) {
			if ((t = label_text(&l)) == NULL)
				return ov_err_set(err, OV_E_NOMEM,
						  "out of memory");
			(void)
			    ov_err_set(err, OV_E_FORMAT,
				       W_PROT
				       ": critical header %.64s is not present",
				       t);
			free(t);
			return OV_E_FORMAT;
		}
	}
	must[0] = OV_HDR_SIGNING_SCHEME;
	need[0] = 1;
	must[1] = OV_HDR_EXPIRY;
	need[1] = h->exp != NULL;
	must[2] = OV_HDR_AUTHENTIC_SIGNING_TIME;
	need[2] = scheme == OV_SCHEME_SIGNING_AUTHORITY;
	missing[0] = '\0';
	for (i = 0, off = 0; i < 3; i++) {
		if (!need[i] || in_crit_str(h->crit, must[i]))
			continue;
		(void)snprintf(missing + off, sizeof(missing) - off, "%s%s",
			       off ? " " : "", must[i]);
		off = strlen(missing);
	}
	if (off > 0)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_PROT
		    ": these required headers are not marked as critical: [%s]",
		    missing);
	return OV_OK;
}

static enum ov_code
parse_times(struct ov_envelope *env, const struct prot *h, struct ov_err *err)
{
	enum ov_code r;

	if (env->scheme == OV_SCHEME_X509) {
		if (h->ast != NULL)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": \"" OV_HDR_AUTHENTIC_SIGNING_TIME
			    "\" header must not be present for notary.x509 signing scheme");
		if (h->st == NULL)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": invalid signingTime: protected header \"" OV_HDR_SIGNING_TIME
			    "\" is missing");
		r = parse_time(h->st, "signingTime", &env->signing_time, err);
	} else {
		if (h->st != NULL)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": \"" OV_HDR_SIGNING_TIME
			    "\" header must not be present for notary.x509.signingAuthority signing scheme");
		if (h->ast == NULL)
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT
			    ": invalid authenticSigningTime: protected header \"" OV_HDR_AUTHENTIC_SIGNING_TIME
			    "\" is missing");
		r = parse_time(h->ast, "authenticSigningTime",
			       &env->signing_time, err);
	}
	if (r != OV_OK)
		return r;
	if (h->exp != NULL) {
		if ((r = parse_time(h->exp, "expiry", &env->expiry, err)) !=
		    OV_OK)
			return r;
		env->has_expiry = 1;
	}
	return OV_OK;
}

static enum ov_code
get_plugin(const cbor_item_t *it, const cbor_item_t *crit, const char *name,
	   int nonblank, char **out, struct ov_err *err)
{
	const char *s;

	if (it == NULL)
		return OV_OK;
	if (!cbor_isa_string(it))
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT ": \"%s\" must be a text string",
				  name);
	if ((*out = text_dup(it)) == NULL)
		return ov_err_set(err, OV_E_NOMEM, "out of memory");
	for (s = *out; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'; s++)
		;
	if (nonblank && *s == '\0')
		return ov_err_set(err, OV_E_FORMAT, W_PROT ": \"%s\" is blank",
				  name);
	if (!in_crit_str(crit, name))
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT ": \"%s\" is not marked critical",
				  name);
	return OV_OK;
}

/* Find the header's known labels; the rest are extended attributes. */
static enum ov_code
classify(struct cbor_pair *pairs, size_t np, struct prot *h, struct ov_err *err)
{
	const char *names[6];
	const cbor_item_t **slots[6];
	struct label l;
	size_t i, j;

	memset(h, 0, sizeof(*h));
	names[0] = OV_HDR_SIGNING_SCHEME;
	slots[0] = &h->scheme;
	names[1] = OV_HDR_SIGNING_TIME;
	slots[1] = &h->st;
	names[2] = OV_HDR_AUTHENTIC_SIGNING_TIME;
	slots[2] = &h->ast;
	names[3] = OV_HDR_EXPIRY;
	slots[3] = &h->exp;
	names[4] = OV_HDR_PLUGIN;
	slots[4] = &h->plugin;
	names[5] = OV_HDR_PLUGIN_MIN_VERSION;
	slots[5] = &h->minver;
	for (i = 0; i < np; i++) {
		if (!get_label(pairs[i].key, &l))
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_PROT ": labels must be integers or text strings");
		if (label_is_int(&l, LABEL_ALG))
			h->alg = pairs[i].value;
		else if (label_is_int(&l, LABEL_CRIT))
			h->crit = pairs[i].value;
		else if (label_is_int(&l, LABEL_CTY))
			h->cty = pairs[i].value;
		for (j = 0; j < 6; j++)
			if (label_is_str(&l, names[j]))
				*slots[j] = pairs[i].value;
	}
	return OV_OK;
}

static int
is_known(const struct label *l)
{
	return label_is_int(l, LABEL_ALG) || label_is_int(l, LABEL_CRIT) ||
	       label_is_int(l, LABEL_CTY) ||
	       label_is_str(l, OV_HDR_SIGNING_SCHEME) ||
	       label_is_str(l, OV_HDR_SIGNING_TIME) ||
	       label_is_str(l, OV_HDR_AUTHENTIC_SIGNING_TIME) ||
	       label_is_str(l, OV_HDR_EXPIRY) ||
	       label_is_str(l, OV_HDR_PLUGIN) ||
	       label_is_str(l, OV_HDR_PLUGIN_MIN_VERSION);
}

static enum ov_code
add_attrs(struct ov_envelope *env, struct cbor_pair *pairs, size_t np,
	  const cbor_item_t *crit, struct ov_err *err)
{
	struct ov_buf b;
	struct label l;
	char *name = NULL, *value = NULL;
	size_t i;
	enum ov_code r = OV_OK;

	for (i = 0; i < np && r == OV_OK; i++) {
		(void)get_label(pairs[i].key, &l);
		if (is_known(&l))
			continue;
		if ((name = label_text(&l)) == NULL)
			return ov_err_set(err, OV_E_NOMEM, "out of memory");
		if (cbor_isa_tag(pairs[i].value)) {
			r = ov_err_set(err, OV_E_FORMAT,
				       W_PROT ": label %.64s: CBOR tag %" PRIu64
					      " isn't allowed",
				       name, cbor_tag_value(pairs[i].value));
			free(name);
			return r;
		}
		ov_buf_init(&b, 4 * OV_MAX_ENVELOPE);
		if ((r = render(pairs[i].value, &b, 1, err)) == OV_OK) {
			if ((value = ov_buf_steal(&b)) == NULL)
				r = ov_err_set(err, OV_E_NOMEM,
					       "out of memory");
			else
				r = ov_envelope_add_attr(env, name, value,
							 in_crit(crit, &l),
							 err);
		}
		ov_buf_free(&b);
		free(name);
		free(value);
		name = value = NULL;
	}
	return r;
}

/* Parse the protected header; *out is its map, for check_disjoint(). */
static enum ov_code
parse_protected(struct ov_envelope *env, const unsigned char *p, size_t n,
		cbor_item_t **out, struct ov_err *err)
{
	cbor_item_t *map = NULL;
	struct cbor_pair *pairs;
	struct prot h;
	char *scheme = NULL;
	size_t np, used;
	enum ov_code r;

	if (n == 0 || p[0] >> 5 != CBOR_TYPE_MAP)
		return ov_err_set(err, OV_E_FORMAT,
				  W_PROT ": not a serialized map");
	if ((r = walk(p, n, WALK_PROTECTED, W_PROT, &used, err)) != OV_OK ||
	    (r = load(p, n, W_PROT, &map, err)) != OV_OK)
		return r;
	pairs = cbor_map_handle(map);
	np = cbor_map_size(map);
	if ((r = check_generic(pairs, np, 1, W_PROT, err)) != OV_OK ||
	    (r = classify(pairs, np, &h, err)) != OV_OK ||
	    (r = parse_alg(env, h.alg, err)) != OV_OK ||
	    (r = parse_cty(env, h.cty, err)) != OV_OK)
		goto out;
	if (h.scheme == NULL || !cbor_isa_string(h.scheme)) {
		r = ov_err_set(err, OV_E_FORMAT,
			       W_PROT ": \"" OV_HDR_SIGNING_SCHEME
				      "\" is missing or not a text string");
		goto out;
	}
	if ((scheme = text_dup(h.scheme)) == NULL) {
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((env->scheme = ov_scheme_from_name(scheme)) == OV_SCHEME_UNKNOWN) {
		r = ov_err_set(err, OV_E_UNSUPPORTED,
			       W_PROT
			       ": signing scheme \"%.64s\" is not supported",
			       scheme);
		goto out;
	}
	if ((r = check_crit(pairs, np, &h, env->scheme, err)) != OV_OK ||
	    (r = parse_times(env, &h, err)) != OV_OK ||
	    (r = get_plugin(h.plugin, h.crit, OV_HDR_PLUGIN, 1, &env->plugin,
			    err)) != OV_OK ||
	    (r = get_plugin(h.minver, h.crit, OV_HDR_PLUGIN_MIN_VERSION, 0,
			    &env->plugin_min_version, err)) != OV_OK ||
	    (r = add_attrs(env, pairs, np, h.crit, err)) != OV_OK)
		goto out;
	*out = map;
	map = NULL; /* transferred */
	r = OV_OK;
out:
	free(scheme);
	if (map != NULL)
		cbor_decref(&map);
	return r;
}

/* ---------------------------------------------------------------------
 * Unprotected header and the whole message.
 */

static enum ov_code
parse_unprotected(struct ov_envelope *env, const cbor_item_t *map,
		  struct ov_err *err)
{
	struct cbor_pair *pairs = cbor_map_handle(map);
	size_t i, n, np = cbor_map_size(map);
	const cbor_item_t *x5 = NULL;
	cbor_item_t **certs;
	struct label l;
	enum ov_code r;

	if ((r = check_generic(pairs, np, 0, W_UNPROT, err)) != OV_OK)
		return r;
	for (i = 0; i < np; i++) {
		(void)get_label(pairs[i].key, &l);
		if (label_is_int(&l, LABEL_X5CHAIN)) {
			x5 = pairs[i].value;
		} else if (label_is_int(&l, LABEL_CRIT)) {
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_UNPROT ": crit (label 2) is not allowed here");
		} else if (label_is_str(&l, OV_HDR_TIMESTAMP)) {
			if (!is_bstr(pairs[i].value))
				return ov_err_set(err, OV_E_FORMAT,
						  W_UNPROT
						  ": \"" OV_HDR_TIMESTAMP
						  "\" must be a byte string");
			if ((r = bytes_dup(pairs[i].value, &env->timestamp,
					   err)) != OV_OK)
				return r;
		} else if (label_is_str(&l, OV_HDR_SIGNING_AGENT)) {
			if (!cbor_isa_string(pairs[i].value))
				return ov_err_set(err, OV_E_FORMAT,
						  W_UNPROT
						  ": \"" OV_HDR_SIGNING_AGENT
						  "\" must be a text string");
			if ((env->signing_agent = text_dup(pairs[i].value)) ==
			    NULL)
				return ov_err_set(err, OV_E_NOMEM,
						  "out of memory");
		}
	}
	/* notation reads x5chain (RFC 9360) only as an array of bstr from
	 * the unprotected header. */
	if (x5 == NULL || !cbor_isa_array(x5) || cbor_array_size(x5) == 0)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_UNPROT
		    ": certificate chain is not present (want x5chain, label 33, as an array of byte strings)");
	certs = cbor_array_handle(x5);
	n = cbor_array_size(x5);
	for (i = 0; i < n; i++) {
		if (!is_bstr(certs[i]))
			return ov_err_set(
			    err, OV_E_FORMAT,
			    W_UNPROT
			    ": certificate chain is not present (x5chain[%zu] is not a byte string)",
			    i);
		if ((r = ov_envelope_add_cert(env,
					      cbor_bytestring_handle(certs[i]),
					      cbor_bytestring_length(certs[i]),
					      err)) != OV_OK)
			return ov_err_wrap(err, W_UNPROT ": x5chain[%zu]", i);
	}
	return OV_OK;
}

static enum ov_code
put_head(struct ov_buf *b, unsigned major, uint64_t v, struct ov_err *err)
{
	unsigned char h[9];
	size_t n = cbor_encode_uint(v, h, sizeof(h));

	h[0] |= (unsigned char)(major << 5);
	return ov_buf_add(b, h, n, err);
}

/* RFC 9052 section 4.4: Sig_structure for COSE_Sign1, external_aad h''. */
static enum ov_code
build_tbs(struct ov_envelope *env, const struct ov_bytes *prot,
	  struct ov_err *err)
{
	struct ov_buf b;
	enum ov_code r;

	ov_buf_init(&b, 2 * OV_MAX_ENVELOPE);
	if ((r = put_head(&b, CBOR_TYPE_ARRAY, 4, err)) != OV_OK ||
	    (r = put_head(&b, CBOR_TYPE_STRING, 10, err)) != OV_OK ||
	    (r = ov_buf_add(&b, "Signature1", 10, err)) != OV_OK ||
	    (r = put_head(&b, CBOR_TYPE_BYTESTRING, prot->n, err)) != OV_OK ||
	    (r = ov_buf_add(&b, prot->p, prot->n, err)) != OV_OK ||
	    (r = put_head(&b, CBOR_TYPE_BYTESTRING, 0, err)) != OV_OK ||
	    (r = put_head(&b, CBOR_TYPE_BYTESTRING, env->payload.n, err)) !=
		OV_OK ||
	    (r = ov_buf_add(&b, env->payload.p, env->payload.n, err)) != OV_OK)
		goto out;
	env->tbs.n = b.len;
	if ((env->tbs.p = (unsigned char *)ov_buf_steal(&b)) == NULL)
		r = ov_err_set(err, OV_E_NOMEM, "out of memory");
out:
	ov_buf_free(&b);
	return r;
}

enum ov_code
ov_cose_parse(const void *data, size_t len, struct ov_envelope **out,
	      struct ov_err *err)
{
	const unsigned char *d = data;
	cbor_item_t *msg = NULL, *protmap = NULL, **parts;
	struct ov_envelope *env = NULL;
	struct ov_bytes prot = {NULL, 0};
	size_t used;
	enum ov_code r = OV_E_INTERNAL;

	*out = NULL;
	if (len > OV_MAX_ENVELOPE)
		return ov_err_set(err, OV_E_LIMIT,
				  W_ENV ": larger than %zu bytes",
				  OV_MAX_ENVELOPE);
	/* go-cose: COSE_Sign1_Tagged only, i.e. tag 18 and a 4-array. */
	if (len < 2 || d[0] != 0xd2 || d[1] != 0x84)
		return ov_err_set(
		    err, OV_E_FORMAT,
		    W_ENV
		    ": invalid COSE_Sign1_Tagged object (want tag 18 and an array of 4)");
	/* libcbor 0.8 cannot load tag 18's head: load the array after it. */
	if ((r = walk(d, len, WALK_ENVELOPE, W_ENV, &used, err)) != OV_OK ||
	    (r = load(d + 1, len - 1, W_ENV, &msg, err)) != OV_OK)
		return r;
	parts = cbor_array_handle(msg);
	if ((r = ov_envelope_new(OV_MT_COSE, &env, err)) != OV_OK)
		goto out;
	env->pss_salt = OV_PSS_SALT_DIGEST;
	if (!is_bstr(parts[0])) {
		r = ov_err_set(err, OV_E_FORMAT,
			       W_ENV
			       ": protected header must be a byte string");
		goto out;
	}
	if (!cbor_isa_map(parts[1])) {
		r = ov_err_set(err, OV_E_FORMAT,
			       W_ENV ": unprotected header must be a map");
		goto out;
	}
	/* libcbor's cbor_is_null() asserts on a float: check ctrl first */
	if (cbor_isa_float_ctrl(parts[2]) &&
	    cbor_float_ctrl_is_ctrl(parts[2]) && cbor_is_null(parts[2])) {
		r = ov_err_set(err, OV_E_UNSUPPORTED,
			       W_ENV ": detached payload is not supported");
		goto out;
	}
	if (!is_bstr(parts[2]) || !is_bstr(parts[3])) {
		r = ov_err_set(err, OV_E_FORMAT,
			       W_ENV
			       ": payload and signature must be byte strings");
		goto out;
	}
	if (cbor_bytestring_length(parts[2]) > OV_MAX_PAYLOAD) {
		r = ov_err_set(err, OV_E_LIMIT,
			       W_ENV ": payload is larger than %zu bytes",
			       OV_MAX_PAYLOAD);
		goto out;
	}
	if ((r = bytes_dup(parts[0], &prot, err)) != OV_OK ||
	    (r = bytes_dup(parts[2], &env->payload, err)) != OV_OK ||
	    (r = bytes_dup(parts[3], &env->sig, err)) != OV_OK)
		goto out;
	if ((r = parse_protected(env, prot.p, prot.n, &protmap, err)) !=
		OV_OK ||
	    (r = parse_unprotected(env, parts[1], err)) != OV_OK ||
	    (r = check_disjoint(protmap, parts[1], err)) != OV_OK ||
	    (r = build_tbs(env, &prot, err)) != OV_OK ||
	    (r = ov_envelope_check(env, W_ENV, err)) != OV_OK)
		goto out;
	/* success */
	*out = env;
	env = NULL; /* transferred */
	r = OV_OK;
out:
	free(prot.p);
	ov_envelope_free(env);
	if (protmap != NULL)
		cbor_decref(&protmap);
	cbor_decref(&msg);
	return r;
}
