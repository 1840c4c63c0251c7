/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ovtool: builds test fixtures with ocivet's own encoders. It writes OCI
 * layouts, images, indexes, Notary signature envelopes (JWS and COSE,
 * including deliberately broken but correctly signed ones) and signature
 * manifests. testdata/mkfixtures.sh drives it; it is not installed.
 *
 *   ovtool init DIR
 *   ovtool image DIR [--tag T] [--name N] [--docker] [--layer FILE]...
 *       [--compressed-layer GZ_OR_ZST:RAW]... (diff_id from RAW)
 *   ovtool index DIR [--tag T] [--name N] (DIGEST | MT,DIGEST,SIZE[,OS/ARCH])...
 *   ovtool children DIR DIGEST
 *   ovtool envelope (--layout DIR --target DIGEST | --descriptor MT,DIGEST,SIZE)
 *       --key KEY --chain PEM --format jws|cose --signing-time T
 *       [--scheme x509|sa] [--expiry T] [--agent A] [--attr NAME=VALUE[,crit]]
 *       [--alg NAME] [--protected-file F] [--payload-file F] -o OUT
 *   ovtool sigvalue --format jws|cose ENV -o OUT
 *   ovtool add-timestamp --format jws|cose ENV TOKEN -o OUT
 *   ovtool attach DIR --target DIGEST --envelope F --format jws|cose
 *       [--shape v2|v1|artifact] [--referrers-tag] [--no-entry] [--created T]
 *   ovtool pack DIR OUT.tar|OUT.tar.gz|OUT.tar.zst
 *       (DIR's files and directories, sorted, owner 0, time 0; anything
 *       else in DIR is an error)
 *   ovtool docker-save --oci|--classic DIR OUT.tar
 *       (the layout's images as docker save writes them; exit 3 when
 *       docker could not have saved them)
 *
 * Commands that create something print its descriptor "MT DIGEST SIZE".
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <cjson/cJSON.h>
#include <openssl/pem.h>

#include "buf.h"
#include "decomp.h"
#include "dmap.h"
#include "envelope.h"
#include "layout.h"
#include "layout_write.h"
#include "manifest.h"
#include "sign.h"
#include "source.h"
#include "timeutil.h"
#include "x509.h"

#define MAX_FILE (256 * 1024 * 1024)

static void die(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("ovtool: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
check(enum ov_code r, const struct ov_err *e)
{
	if (r != OV_OK)
		die("%s", e->msg);
}

static void
slurp(const char *path, struct ov_buf *b)
{
	struct ov_err e;

	ov_buf_init(b, MAX_FILE);
	check(ov_buf_read_file(b, AT_FDCWD, path, &e), &e);
}

static void
spit(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die("%s: cannot write", path);
}

static void
print_desc(const struct ov_descriptor *d)
{
	printf("%s %s %lld\n", d->media_type, d->digest.str,
	    (long long)d->size);
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void
set_desc(struct ov_descriptor *d, const char *mt, const struct ov_digest *dg,
    size_t size)
{
	memset(d, 0, sizeof(*d));
	d->media_type = xstrdup(mt);
	d->digest = *dg;
	d->size = (int64_t)size;
}

static void
add_annotation(struct ov_descriptor *d, const char *k, const char *v)
{
	d->annotations = realloc(d->annotations,
	    (d->nannotations + 1) * sizeof(*d->annotations));
	if (d->annotations == NULL)
		die("out of memory");
	d->annotations[d->nannotations].key = xstrdup(k);
	d->annotations[d->nannotations].value = xstrdup(v);
	d->nannotations++;
}

static void
put_json(const char *dir, const char *mt, cJSON *doc,
    struct ov_descriptor *out)
{
	struct ov_digest dg;
	struct ov_err e;
	char *text = cJSON_PrintUnformatted(doc);

	if (text == NULL)
		die("out of memory");
	check(ov_layout_dir_put_blob(dir, text, strlen(text), &dg, &e), &e);
	set_desc(out, mt, &dg, strlen(text));
	free(text);
}

static cJSON *
desc_obj(const struct ov_descriptor *d)
{
	struct ov_err e;
	char *text;
	cJSON *o;

	check(ov_descriptor_json(d, &text, &e), &e);
	o = cJSON_Parse(text);
	free(text);
	if (o == NULL)
		die("out of memory");
	return o;
}

static void
tag_entry(struct ov_descriptor *d, const char *tag, const char *name)
{
	if (name != NULL)
		add_annotation(d, OV_ANN_IMAGE_NAME, name);
	if (tag != NULL)
		add_annotation(d, OV_ANN_REF_NAME, tag);
}

static void parse_descriptor(const char *s, struct ov_descriptor *d);

/* ---- init, image, index ------------------------------------------------- */

static int
cmd_init(int argc, char **argv)
{
	struct ov_err e;

	if (argc != 2)
		die("usage: ovtool init DIR");
	check(ov_layout_dir_init(argv[1], &e), &e);
	return 0;
}

static int
cmd_image(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"tag", required_argument, NULL, 't'},
	    {"name", required_argument, NULL, 'n'},
	    {"layer", required_argument, NULL, 'l'},
	    {"docker", no_argument, NULL, 'd'},
	    {"platform", required_argument, NULL, 'p'},
	    {"no-entry", no_argument, NULL, 'N'},
	    {"compressed-layer", required_argument, NULL, 'c'},
	    {NULL, 0, NULL, 0}};
	const char *tag = NULL, *name = NULL, *layers[64], *platform = NULL;
	size_t nlayers = 0, i;
	int ch, docker = 0, entry = 1;
	struct ov_descriptor cfgd, ld, md;
	struct ov_digest dg;
	struct ov_err e;
	struct ov_buf b;
	cJSON *cfg, *man, *arr, *diffs, *rootfs;
	char os[64] = "linux", arch[64] = "amd64";

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			tag = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'l':
		case 'c':
			/* --compressed-layer BLOB:RAW: the blob is stored, the
			 * diff_id is the digest of RAW */
			if (nlayers == 64)
				die("too many layers");
			layers[nlayers++] = optarg;
			break;
		case 'd':
			docker = 1;
			break;
		case 'p':
			platform = optarg;
			if (sscanf(platform, "%63[^/]/%63s", os, arch) != 2)
				die("--platform: want OS/ARCH");
			break;
		case 'N':
			entry = 0;
			break;
		default:
			die("usage: ovtool image DIR [--tag T] [--name N] [--layer FILE]...");
		}
	}
	if (optind != argc - 1)
		die("usage: ovtool image DIR [options]");
	const char *dir = argv[optind];

	/* Layers are stored as given; their diff_ids are their digests
	 * (uncompressed tar layers). */
	cfg = cJSON_CreateObject();
	cJSON_AddStringToObject(cfg, "architecture", arch);
	cJSON_AddStringToObject(cfg, "os", os);
	rootfs = cJSON_AddObjectToObject(cfg, "rootfs");
	cJSON_AddStringToObject(rootfs, "type", "layers");
	diffs = cJSON_AddArrayToObject(rootfs, "diff_ids");
	man = cJSON_CreateObject();
	cJSON_AddNumberToObject(man, "schemaVersion", 2);
	cJSON_AddStringToObject(man, "mediaType",
	    docker ? OV_MT_DOCKER_MANIFEST : OV_MT_OCI_MANIFEST);
	arr = cJSON_CreateArray();
	for (i = 0; i < nlayers; i++) {
		char *colon = strchr(layers[i], ':');
		const char *mt = docker
		    ? "application/vnd.docker.image.rootfs.diff.tar"
		    : "application/vnd.oci.image.layer.v1.tar";
		struct ov_digest diff;

		if (colon != NULL)
			*colon = '\0';
		slurp(layers[i], &b);
		check(ov_layout_dir_put_blob(dir, b.data, b.len, &dg, &e), &e);
		diff = dg;
		if (colon != NULL) {
			struct ov_buf raw;
			size_t n = strlen(layers[i]);
			slurp(colon + 1, &raw);
			check(ov_digest_of(OV_DIGEST_SHA256, raw.data, raw.len,
				  &diff, &e),
			    &e);
			ov_buf_free(&raw);
			if (n > 4 && strcmp(layers[i] + n - 4, ".zst") == 0)
				mt = "application/vnd.oci.image.layer.v1.tar+zstd";
			else
				mt = docker
				    ? "application/vnd.docker.image.rootfs.diff.tar.gzip"
				    : "application/vnd.oci.image.layer.v1.tar+gzip";
		}
		set_desc(&ld, mt, &dg, b.len);
		cJSON_AddItemToArray(arr, desc_obj(&ld));
		cJSON_AddItemToArray(diffs, cJSON_CreateString(diff.str));
		ov_descriptor_clear(&ld);
		ov_buf_free(&b);
	}
	put_json(dir,
	    docker ? "application/vnd.docker.container.image.v1+json"
		   : "application/vnd.oci.image.config.v1+json",
	    cfg, &cfgd);
	cJSON_AddItemToObject(man, "config", desc_obj(&cfgd));
	cJSON_AddItemToObject(man, "layers", arr);
	put_json(dir, docker ? OV_MT_DOCKER_MANIFEST : OV_MT_OCI_MANIFEST, man,
	    &md);
	if (platform != NULL)
		md.platform = xstrdup(platform);
	tag_entry(&md, tag, name);
	if (entry)
		check(ov_layout_dir_add_entry(dir, &md, &e), &e);
	print_desc(&md);
	ov_descriptor_clear(&cfgd);
	ov_descriptor_clear(&md);
	cJSON_Delete(cfg);
	cJSON_Delete(man);
	return 0;
}

/* Look a digest up in a layout: its descriptor (media type, size). */
static void
lookup(const char *dir, const char *digest, struct ov_descriptor *out)
{
	struct ov_source *src;
	struct ov_layout *l;
	struct ov_target t;
	struct ov_digest d;
	struct ov_err e;

	check(ov_digest_parse(digest, &d, &e), &e);
	check(ov_source_open(dir, &src, &e), &e);
	check(ov_layout_open(src, &l, &e), &e);
	check(ov_layout_resolve_digest(l, &d, &t, &e), &e);
	set_desc(out, t.desc.media_type, &t.desc.digest, (size_t)t.desc.size);
	if (t.desc.platform != NULL)
		out->platform = xstrdup(t.desc.platform);
	ov_target_clear(&t);
	ov_layout_free(l);
	ov_source_close(src);
}

static int
cmd_index(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"tag", required_argument, NULL, 't'},
	    {"name", required_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0}};
	const char *tag = NULL, *name = NULL, *dir;
	struct ov_descriptor cd, id;
	struct ov_err e;
	cJSON *idx, *arr;
	int ch, i;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 't')
			tag = optarg;
		else if (ch == 'n')
			name = optarg;
		else
			die("usage: ovtool index DIR [--tag T] DIGEST...");
	}
	if (optind > argc - 2)
		die("usage: ovtool index DIR [--tag T] DIGEST...");
	dir = argv[optind];
	idx = cJSON_CreateObject();
	cJSON_AddNumberToObject(idx, "schemaVersion", 2);
	cJSON_AddStringToObject(idx, "mediaType", OV_MT_OCI_INDEX);
	arr = cJSON_AddArrayToObject(idx, "manifests");
	for (i = optind + 1; i < argc; i++) {
		/* DIGEST of a manifest in the layout's graph, or a manifest
		 * not (yet) reachable as MEDIATYPE,DIGEST,SIZE[,OS/ARCH] */
		if (strchr(argv[i], ',') != NULL) {
			char *pl = strrchr(argv[i], ',');
			parse_descriptor(argv[i], &cd);
			if (strchr(pl, '/') != NULL)
				cd.platform = xstrdup(pl + 1);
		} else {
			lookup(dir, argv[i], &cd);
		}
		if (cd.platform == NULL)
			cd.platform = xstrdup("linux/amd64");
		cJSON_AddItemToArray(arr, desc_obj(&cd));
		ov_descriptor_clear(&cd);
	}
	put_json(dir, OV_MT_OCI_INDEX, idx, &id);
	tag_entry(&id, tag, name);
	check(ov_layout_dir_add_entry(dir, &id, &e), &e);
	print_desc(&id);
	ov_descriptor_clear(&id);
	cJSON_Delete(idx);
	return 0;
}

/* List the blobs a manifest references: "config DIGEST", "layer DIGEST". */
static int
cmd_children(int argc, char **argv)
{
	struct ov_descriptor d;
	struct ov_source *src;
	struct ov_layout *l;
	struct ov_manifest *m;
	struct ov_buf b;
	struct ov_err e;
	size_t i;

	if (argc != 3)
		die("usage: ovtool children DIR DIGEST");
	lookup(argv[1], argv[2], &d);
	check(ov_source_open(argv[1], &src, &e), &e);
	check(ov_layout_open(src, &l, &e), &e);
	ov_buf_init(&b, 4 << 20);
	check(ov_layout_read_blob(l, &d, &b, &e), &e);
	check(ov_manifest_parse(b.data, b.len, d.media_type, "manifest", &m,
		  &e),
	    &e);
	if (m->has_config)
		printf("config %s\n", m->config.digest.str);
	for (i = 0; i < m->nchildren; i++)
		printf("%s %s\n", m->kind == OV_KIND_INDEX ? "manifest" : "layer",
		    m->children[i].digest.str);
	ov_manifest_free(m);
	ov_buf_free(&b);
	ov_layout_free(l);
	ov_source_close(src);
	ov_descriptor_clear(&d);
	return 0;
}

/* ---- envelopes ---------------------------------------------------------- */

static const char *
format_mt(const char *f)
{
	if (f == NULL)
		die("--format is required");
	if (strcmp(f, "jws") == 0)
		return OV_MT_JWS;
	if (strcmp(f, "cose") == 0)
		return OV_MT_COSE;
	die("--format: jws or cose");
	return NULL;
}

static int64_t
parse_time(const char *s)
{
	struct ov_err e;
	int64_t t;

	check(ov_time_parse(s, &t, NULL, &e), &e);
	return t;
}

static void
parse_descriptor(const char *s, struct ov_descriptor *d)
{
	char mt[256], dg[200];
	long long size;
	struct ov_digest digest;
	struct ov_err e;

	if (sscanf(s, "%255[^,],%199[^,],%lld", mt, dg, &size) != 3)
		die("--descriptor: want MEDIATYPE,DIGEST,SIZE");
	check(ov_digest_parse(dg, &digest, &e), &e);
	set_desc(d, mt, &digest, (size_t)size);
}

static EVP_PKEY *
load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k;

	if (f == NULL)
		die("%s: cannot open", path);
	k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (k == NULL)
		die("%s: not a PEM private key", path);
	return k;
}

static STACK_OF(X509) *
load_chain(const char *path)
{
	STACK_OF(X509) *chain;
	struct ov_buf b;
	struct ov_err e;

	slurp(path, &b);
	check(ov_x509_load_certs(b.data, b.len, path, NULL, &chain, &e), &e);
	ov_buf_free(&b);
	return chain;
}

static enum ov_sig_alg
alg_by_name(const char *s)
{
	enum ov_sig_alg a = ov_sig_alg_from_jws(s);

	if (a == OV_ALG_UNKNOWN)
		die("--alg: unknown algorithm %s", s);
	return a;
}

static int
cmd_envelope(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"layout", required_argument, NULL, 'L'},
	    {"target", required_argument, NULL, 'T'},
	    {"descriptor", required_argument, NULL, 'D'},
	    {"key", required_argument, NULL, 'k'},
	    {"chain", required_argument, NULL, 'c'},
	    {"format", required_argument, NULL, 'f'},
	    {"scheme", required_argument, NULL, 's'},
	    {"signing-time", required_argument, NULL, 't'},
	    {"expiry", required_argument, NULL, 'x'},
	    {"agent", required_argument, NULL, 'a'},
	    {"attr", required_argument, NULL, 'A'},
	    {"alg", required_argument, NULL, 'g'},
	    {"alg-name", required_argument, NULL, 'G'},
	    {"protected-file", required_argument, NULL, 'P'},
	    {"payload-file", required_argument, NULL, 'y'},
	    {"annotation", required_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0}};
	const char *layout = NULL, *target = NULL, *keyp = NULL, *chainp = NULL;
	const char *fmt = NULL, *outp = NULL, *protp = NULL, *payp = NULL;
	struct ov_sign_request req;
	struct ov_sign_attr attrs[16];
	struct ov_descriptor d;
	struct ov_buf payload, prot, out;
	struct ov_err e;
	int ch, have_desc = 0;

	memset(&req, 0, sizeof(req));
	memset(&d, 0, sizeof(d));
	ov_buf_init(&payload, 1 << 20);
	ov_buf_init(&prot, 1 << 20);
	ov_buf_init(&out, 16 << 20);
	req.scheme = OV_SCHEME_X509;
	req.signing_time = -1;
	req.attrs = attrs;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'L':
			layout = optarg;
			break;
		case 'T':
			target = optarg;
			break;
		case 'D':
			parse_descriptor(optarg, &d);
			have_desc = 1;
			break;
		case 'k':
			keyp = optarg;
			break;
		case 'c':
			chainp = optarg;
			break;
		case 'f':
			fmt = optarg;
			break;
		case 's':
			if (strcmp(optarg, "x509") == 0)
				req.scheme = OV_SCHEME_X509;
			else if (strcmp(optarg, "sa") == 0)
				req.scheme = OV_SCHEME_SIGNING_AUTHORITY;
			else
				die("--scheme: x509 or sa");
			break;
		case 't':
			req.signing_time = parse_time(optarg);
			break;
		case 'x':
			req.has_expiry = 1;
			req.expiry = parse_time(optarg);
			break;
		case 'a':
			req.signing_agent = optarg;
			break;
		case 'A': {
			char *eq = strchr(optarg, '='), *c;
			if (eq == NULL || req.nattrs == 16)
				die("--attr NAME=VALUE[,crit]");
			*eq = '\0';
			attrs[req.nattrs].name = optarg;
			attrs[req.nattrs].value = eq + 1;
			attrs[req.nattrs].critical = 0;
			if ((c = strrchr(eq + 1, ',')) != NULL &&
			    strcmp(c, ",crit") == 0) {
				*c = '\0';
				attrs[req.nattrs].critical = 1;
			}
			req.nattrs++;
			break;
		}
		case 'g':
			req.alg = alg_by_name(optarg);
			break;
		case 'G':
			req.alg_name = optarg;
			break;
		case 'P':
			protp = optarg;
			break;
		case 'y':
			payp = optarg;
			break;
		case 'n': {
			char *eq = strchr(optarg, '=');
			if (eq == NULL)
				die("--annotation K=V");
			*eq = '\0';
			if (!have_desc)
				die("--annotation after --descriptor/--target");
			add_annotation(&d, optarg, eq + 1);
			break;
		}
		case 'o':
			outp = optarg;
			break;
		default:
			die("bad envelope option");
		}
		if (ch == 'T') {
			if (layout == NULL)
				die("--layout must come before --target");
			lookup(layout, target, &d);
			have_desc = 1;
		}
	}
	if (!have_desc || keyp == NULL || chainp == NULL || outp == NULL ||
	    req.signing_time < 0)
		die("envelope: --target or --descriptor, --key, --chain, --signing-time and -o are required");
	req.media_type = format_mt(fmt);
	req.key = load_key(keyp);
	req.chain = load_chain(chainp);
	if (payp != NULL) {
		ov_buf_free(&payload);
		slurp(payp, &payload);
	} else {
		check(ov_sign_payload(&d, &payload, &e), &e);
	}
	req.payload = payload.data;
	req.payload_len = payload.len;
	if (protp != NULL) {
		ov_buf_free(&prot);
		slurp(protp, &prot);
		req.protected_raw = prot.data;
		req.protected_raw_len = prot.len;
	}
	check(ov_sign_envelope(&req, &out, &e), &e);
	spit(outp, out.data, out.len);
	EVP_PKEY_free(req.key);
	sk_X509_pop_free(req.chain, X509_free);
	ov_descriptor_clear(&d);
	ov_buf_free(&payload);
	ov_buf_free(&prot);
	ov_buf_free(&out);
	return 0;
}

static int
cmd_sigvalue(int argc, char **argv)
{
	const char *fmt = NULL, *outp = NULL;
	struct ov_envelope *env;
	struct ov_buf b;
	struct ov_err e;
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:o:")) != -1) {
		if (ch == 'f')
			fmt = optarg;
		else if (ch == 'o')
			outp = optarg;
		else
			die("usage: ovtool sigvalue -f jws|cose ENV -o OUT");
	}
	if (optind != argc - 1 || outp == NULL)
		die("usage: ovtool sigvalue -f jws|cose ENV -o OUT");
	slurp(argv[optind], &b);
	check(ov_envelope_parse(format_mt(fmt), b.data, b.len, &env, &e), &e);
	spit(outp, env->sig.p, env->sig.n);
	ov_envelope_free(env);
	ov_buf_free(&b);
	return 0;
}

static int
cmd_add_timestamp(int argc, char **argv)
{
	const char *fmt = NULL, *outp = NULL;
	struct ov_buf env, tok, out;
	struct ov_err e;
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:o:")) != -1) {
		if (ch == 'f')
			fmt = optarg;
		else if (ch == 'o')
			outp = optarg;
		else
			die("usage: ovtool add-timestamp -f jws|cose ENV TOKEN -o OUT");
	}
	if (optind != argc - 2 || outp == NULL)
		die("usage: ovtool add-timestamp -f jws|cose ENV TOKEN -o OUT");
	slurp(argv[optind], &env);
	slurp(argv[optind + 1], &tok);
	ov_buf_init(&out, 16 << 20);
	check(ov_sign_attach_timestamp(format_mt(fmt), env.data, env.len,
		  tok.data, tok.len, &out, &e),
	    &e);
	spit(outp, out.data, out.len);
	ov_buf_free(&env);
	ov_buf_free(&tok);
	ov_buf_free(&out);
	return 0;
}

/* ---- signature manifests ------------------------------------------------ */

static char *
thumbprints(const struct ov_envelope *env)
{
	cJSON *a = cJSON_CreateArray();
	char hex[65], *s;
	size_t i;
	X509 *c;
	struct ov_err e;

	for (i = 0; i < env->ncerts; i++) {
		check(ov_x509_from_der(env->certs[i].p, env->certs[i].n, &c, &e),
		    &e);
		ov_x509_sha256(c, hex);
		X509_free(c);
		cJSON_AddItemToArray(a, cJSON_CreateString(hex));
	}
	s = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return s;
}

static int
cmd_attach(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"target", required_argument, NULL, 'T'},
	    {"envelope", required_argument, NULL, 'E'},
	    {"format", required_argument, NULL, 'f'},
	    {"shape", required_argument, NULL, 's'},
	    {"referrers-tag", no_argument, NULL, 'R'},
	    {"no-entry", no_argument, NULL, 'N'},
	    {"created", required_argument, NULL, 'c'},
	    {NULL, 0, NULL, 0}};
	const char *target = NULL, *envp = NULL, *fmt = NULL, *created = NULL;
	enum ov_sig_shape shape = OV_SHAPE_ARTIFACT_TYPE;
	int ch, reftag = 0, entry = 1;
	struct ov_descriptor subject, envd, md;
	struct ov_envelope *env;
	struct ov_digest dg;
	struct ov_buf b;
	struct ov_err e;
	char *mtext, *tp, tagname[OV_DIGEST_MAX_STR];
	const char *dir, *mt;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'T':
			target = optarg;
			break;
		case 'E':
			envp = optarg;
			break;
		case 'f':
			fmt = optarg;
			break;
		case 's':
			if (strcmp(optarg, "v2") == 0)
				shape = OV_SHAPE_ARTIFACT_TYPE;
			else if (strcmp(optarg, "v1") == 0)
				shape = OV_SHAPE_CONFIG_TYPE;
			else if (strcmp(optarg, "artifact") == 0)
				shape = OV_SHAPE_OCI_ARTIFACT;
			else
				die("--shape: v2, v1 or artifact");
			break;
		case 'R':
			reftag = 1;
			break;
		case 'N':
			entry = 0;
			break;
		case 'c':
			created = optarg;
			break;
		default:
			die("bad attach option");
		}
	}
	if (optind != argc - 1 || target == NULL || envp == NULL)
		die("usage: ovtool attach DIR --target DIGEST --envelope F --format jws|cose");
	dir = argv[optind];
	mt = format_mt(fmt);
	lookup(dir, target, &subject);
	slurp(envp, &b);
	/* Broken envelopes are attached too, without thumbprints. */
	tp = NULL;
	if (ov_envelope_parse(mt, b.data, b.len, &env, &e) == OV_OK) {
		tp = thumbprints(env);
		ov_envelope_free(env);
	}
	check(ov_layout_dir_put_blob(dir, b.data, b.len, &dg, &e), &e);
	set_desc(&envd, mt, &dg, b.len);
	ov_buf_free(&b);
	if (shape != OV_SHAPE_OCI_ARTIFACT) {
		static const char empty[] = "{}";
		check(ov_layout_dir_put_blob(dir, empty, 2, &dg, &e), &e);
	}
	check(ov_signature_manifest_json(shape, &subject, &envd, tp, created,
		  &mtext, &e),
	    &e);
	check(ov_layout_dir_put_blob(dir, mtext, strlen(mtext), &dg, &e), &e);
	set_desc(&md,
	    shape == OV_SHAPE_OCI_ARTIFACT ? OV_MT_OCI_ARTIFACT
					   : OV_MT_OCI_MANIFEST,
	    &dg, strlen(mtext));
	free(mtext);
	md.artifact_type = xstrdup(OV_MT_NOTARY_SIGNATURE);
	if (reftag) {
		/* A referrers-tag-schema index "sha256-<hex>" instead of a
		 * plain index.json entry, as registries without the
		 * referrers API hold them. */
		cJSON *idx = cJSON_CreateObject(), *arr;
		struct ov_descriptor id;

		cJSON_AddNumberToObject(idx, "schemaVersion", 2);
		cJSON_AddStringToObject(idx, "mediaType", OV_MT_OCI_INDEX);
		arr = cJSON_AddArrayToObject(idx, "manifests");
		cJSON_AddItemToArray(arr, desc_obj(&md));
		put_json(dir, OV_MT_OCI_INDEX, idx, &id);
		(void)snprintf(tagname, sizeof(tagname), "%s-%s",
		    ov_digest_alg_name(subject.digest.alg),
		    ov_digest_hex(&subject.digest));
		add_annotation(&id, OV_ANN_REF_NAME, tagname);
		check(ov_layout_dir_add_entry(dir, &id, &e), &e);
		ov_descriptor_clear(&id);
		cJSON_Delete(idx);
	} else if (entry) {
		check(ov_layout_dir_add_entry(dir, &md, &e), &e);
	}
	print_desc(&md);
	free(tp);
	ov_descriptor_clear(&subject);
	ov_descriptor_clear(&envd);
	ov_descriptor_clear(&md);
	return 0;
}

/* ---- pack: a layout directory as a reproducible archive ----------------- */

static void
pack_tree(struct archive *a, const char *root, const char *rel)
{
	struct dirent **names;
	char path[8192], name[4096], buf[65536];
	int n, i;

	(void)snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	if ((n = scandir(path, &names, NULL, alphasort)) < 0)
		die("%s: cannot list", path);
	for (i = 0; i < n; i++) {
		struct archive_entry *e;
		struct stat st;
		const char *d = names[i]->d_name;

		if (strcmp(d, ".") == 0 || strcmp(d, "..") == 0) {
			free(names[i]);
			continue;
		}
		if ((size_t)snprintf(name, sizeof(name), "%s%s%s", rel,
			*rel ? "/" : "", d) >= sizeof(name) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", root, name) >=
			sizeof(path))
			die("%s/%s: name too long", rel, d);
		free(names[i]);
		if (lstat(path, &st) != 0)
			die("%s: cannot stat", path);
		if ((e = archive_entry_new()) == NULL)
			die("out of memory");
		archive_entry_set_pathname(e, name);
		archive_entry_set_mtime(e, 0, 0);
		if (S_ISDIR(st.st_mode)) {
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
			if (archive_write_header(a, e) != ARCHIVE_OK)
				die("%s: %s", name, archive_error_string(a));
			archive_entry_free(e);
			pack_tree(a, root, name);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			die("%s: not a regular file or directory", path);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, st.st_size);
		if (archive_write_header(a, e) != ARCHIVE_OK)
			die("%s: %s", name, archive_error_string(a));
		{
			int fd = open(path, O_RDONLY);
			ssize_t got;

			if (fd < 0)
				die("%s: cannot open", path);
			while ((got = read(fd, buf, sizeof(buf))) > 0)
				if (archive_write_data(a, buf, (size_t)got) != got)
					die("%s: %s", name,
					    archive_error_string(a));
			if (got < 0)
				die("%s: read error", path);
			close(fd);
		}
		archive_entry_free(e);
	}
	free(names);
}

/* A reproducible pax writer for out, compressed by its suffix. */
static struct archive *
open_writer(const char *out)
{
	struct archive *a;
	size_t n = strlen(out);
	int r;

	if ((a = archive_write_new()) == NULL ||
	    archive_write_set_format_pax_restricted(a) != ARCHIVE_OK)
		die("libarchive: cannot make a writer");
	if (n > 7 && strcmp(out + n - 7, ".tar.gz") == 0)
		r = archive_write_add_filter_gzip(a);
	else if (n > 8 && strcmp(out + n - 8, ".tar.zst") == 0)
		r = archive_write_add_filter_zstd(a);
	else if (n > 4 && strcmp(out + n - 4, ".tar") == 0)
		r = archive_write_add_filter_none(a);
	else
		r = ARCHIVE_FATAL;
	if (r != ARCHIVE_OK)
		die("%s: expected .tar, .tar.gz or .tar.zst (%s)", out,
		    archive_error_string(a) != NULL ? archive_error_string(a)
						    : "unknown suffix");
	if (archive_write_open_filename(a, out) != ARCHIVE_OK)
		die("%s: %s", out, archive_error_string(a));
	return a;
}

static void
close_writer(struct archive *a, const char *out)
{
	if (archive_write_close(a) != ARCHIVE_OK)
		die("%s: %s", out, archive_error_string(a));
	archive_write_free(a);
}

/* A regular file entry name holding data. */
static void
add_mem(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *e;

	if ((e = archive_entry_new()) == NULL)
		die("out of memory");
	archive_entry_set_pathname(e, name);
	archive_entry_set_mtime(e, 0, 0);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    (len > 0 && archive_write_data(a, data, len) != (la_ssize_t)len))
		die("%s: %s", name, archive_error_string(a));
	archive_entry_free(e);
}

static int
cmd_pack(int argc, char **argv)
{
	struct archive *a;

	if (argc != 3)
		die("usage: ovtool pack DIR OUT.tar|OUT.tar.gz|OUT.tar.zst");
	a = open_writer(argv[2]);
	pack_tree(a, argv[1], "");
	close_writer(a, argv[2]);
	return 0;
}

/*
 * docker-save: the images of a layout as `docker save` writes them.
 * --oci (Docker 25+): the layout itself with a manifest.json beside it;
 * --classic (Docker 24 and earlier): <config hex>.json, <layer hex>/layer.tar
 * and manifest.json, no signatures (they stay in the layout, a bundle).
 * Blobs are copied as they are on disk, tampered or not. Exit 3 when the
 * layout has an image docker could not have saved (an index, a
 * compressed or missing layer, no image config, a layout that cannot be
 * read).
 */
static int
cmd_docker_save(int argc, char **argv)
{
	const char *dir, *out;
	struct ov_source *src = NULL;
	struct ov_layout *l = NULL;
	struct ov_target *t = NULL;
	struct archive *a;
	cJSON *list = NULL;
	size_t n = 0, i, k;
	int classic, rc = 3;
	struct ov_err e;
	char path[4096], name[300];
	char *json;

	if (argc != 4 || (strcmp(argv[1], "--oci") != 0 &&
			     strcmp(argv[1], "--classic") != 0))
		die("usage: ovtool docker-save --oci|--classic DIR OUT.tar");
	classic = strcmp(argv[1], "--classic") == 0;
	dir = argv[2];
	out = argv[3];
	/* a layout that cannot be read is nothing docker could save */
	if (ov_source_open(dir, &src, &e) != OV_OK ||
	    ov_layout_open(src, &l, &e) != OV_OK ||
	    ov_layout_images(l, &t, &n, &e) != OV_OK || n == 0)
		goto out;
	list = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		const struct ov_manifest *m = ov_layout_manifest(l, &t[i].desc.digest);
		cJSON *o, *tags, *layers;

		if (m == NULL || m->kind != OV_KIND_MANIFEST || !m->has_config ||
		    m->config.media_type == NULL ||
		    (strcmp(m->config.media_type,
			 "application/vnd.oci.image.config.v1+json") != 0 &&
			strcmp(m->config.media_type,
			    "application/vnd.docker.container.image.v1+json") !=
			    0))
			goto out;
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(list, o); /* owned by list from here */
		(void)snprintf(name, sizeof(name), classic ? "%s.json"
							   : "blobs/sha256/%s",
		    ov_digest_hex(&m->config.digest));
		cJSON_AddStringToObject(o, "Config", name);
		tags = cJSON_AddArrayToObject(o, "RepoTags");
		if (t[i].tag != NULL) {
			char ref[300];
			(void)snprintf(ref, sizeof(ref), "ocivet.test/fixture:%s",
			    t[i].tag);
			cJSON_AddItemToArray(tags, cJSON_CreateString(ref));
		}
		layers = cJSON_AddArrayToObject(o, "Layers");
		for (k = 0; k < m->nchildren; k++) {
			const struct ov_descriptor *d = &m->children[k];
			if (ov_compression_of(d->media_type) != OV_COMP_NONE)
				goto out;
			(void)snprintf(path, sizeof(path), "%s/blobs/sha256/%s",
			    dir, ov_digest_hex(&d->digest));
			if (access(path, R_OK) != 0)
				goto out;
			(void)snprintf(name, sizeof(name),
			    classic ? "%s/layer.tar" : "blobs/sha256/%s",
			    ov_digest_hex(&d->digest));
			cJSON_AddItemToArray(layers, cJSON_CreateString(name));
		}
	}
	a = open_writer(out);
	if (!classic) {
		pack_tree(a, dir, "");
	} else {
		/* configs and layers, once each */
		struct ov_dmap seen = {0};
		for (i = 0; i < n; i++) {
			const struct ov_manifest *m =
			    ov_layout_manifest(l, &t[i].desc.digest);
			for (k = 0; k <= m->nchildren; k++) {
				const struct ov_descriptor *d =
				    k == 0 ? &m->config : &m->children[k - 1];
				struct ov_buf b;
				if (ov_dmap_get(&seen, &d->digest, NULL))
					continue;
				check(ov_dmap_put(&seen, &d->digest, 0, &e), &e);
				(void)snprintf(path, sizeof(path),
				    "%s/blobs/sha256/%s", dir,
				    ov_digest_hex(&d->digest));
				slurp(path, &b);
				(void)snprintf(name, sizeof(name),
				    k == 0 ? "%s.json" : "%s/layer.tar",
				    ov_digest_hex(&d->digest));
				add_mem(a, name, b.data, b.len);
				ov_buf_free(&b);
			}
		}
		ov_dmap_free(&seen);
	}
	json = cJSON_PrintUnformatted(list);
	add_mem(a, "manifest.json", json, strlen(json));
	free(json);
	close_writer(a, out);
	rc = 0;
out:
	cJSON_Delete(list);
	ov_targets_free(t, n);
	ov_layout_free(l);
	ov_source_close(src);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
	    {"init", cmd_init},
	    {"image", cmd_image},
	    {"index", cmd_index},
	    {"children", cmd_children},
	    {"envelope", cmd_envelope},
	    {"sigvalue", cmd_sigvalue},
	    {"add-timestamp", cmd_add_timestamp},
	    {"attach", cmd_attach},
	    {"pack", cmd_pack},
	    {"docker-save", cmd_docker_save},
	};
	size_t i;

	if (argc < 2)
		die("usage: ovtool COMMAND ... (see tests/tools/ovtool.c)");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	die("unknown command %s", argv[1]);
	return 1;
}
