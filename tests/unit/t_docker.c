/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for docker save archives: detection, manifest.json and the
 * configs in both formats, the layer digest chain (diff_ids), and the
 * repository a RepoTags entry names. Fixtures in testdata/archives
 * (gen.sh); malformed manifest.json files are written here.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "digest.h"
#include "docker.h"
#include "harness.h"

static char root[256];

/* the digests gen.sh gives the layer tars and configs */
#define L1                                                                     \
	"sha256:82b163d3062017b9c907041577cc2c7ad4a00cd29dfd180cdf64a2ef3e5e540e"
#define L2                                                                     \
	"sha256:476d756eb1f73356c78b3af444afef5d33a64ee2417db21542cf3121fed4ef6d"
#define CFG1 "caa1ebf00fb45b1aadfe670524a2db001ab25a3b2ac8ec9e045b186d30b881f5"
#define CFG2 "de520c0a2d21b3165942fd36f1e86893d696442b9fb543ef5eee304b2ee7581e"
#define ID1 "f0e523ca373706ab471aa9b750029185373152b12e577a39aa8c2b1913c89bf9"
#define ID2 "c7e3553a2457a9cb0e0bd43bca2ccc983041bed534e9dc2ddffd5639f25c54dc"
#define ID3 "7cf27a0b67ce649a23ad75d0f6d1574cf3a83047eaa3933674dfe5a59a0c86b7"

static const char *
tmp(const char *name)
{
	static char p[512];

	(void)snprintf(p, sizeof(p), "%s/%s", root, name);
	return p;
}

static struct ov_archive *
open_arc(const char *path)
{
	struct ov_archive *a = NULL;
	struct ov_err err;

	if (ov_archive_read(path, NULL, &a, &err) != OV_OK) {
		fprintf(stderr, "%s\n", err.msg);
		exit(99);
	}
	return a;
}

/* ustar members, enough for small hand-made docker archives */
static void
tar_file(FILE *f, const char *name, const void *data, size_t n)
{
	static const unsigned char zero[512];
	unsigned char h[512];
	char num[32];
	unsigned sum = 0;
	size_t i;

	memset(h, 0, sizeof(h));
	memcpy(h, name, strlen(name));
	memcpy(h + 100, "0000644", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	(void)snprintf(num, sizeof(num), "%011zo", n);
	memcpy(h + 124, num, 11);
	memcpy(h + 136, "00000000000", 11);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (i = 0; i < sizeof(h); i++)
		sum += h[i];
	(void)snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	fwrite(h, 1, sizeof(h), f);
	fwrite(data, 1, n, f);
	if (n % 512 != 0)
		fwrite(zero, 1, 512 - n % 512, f);
}

/* A ustar symbolic link name -> target. */
static void
tar_link(FILE *f, const char *name, const char *target)
{
	unsigned char h[512];
	unsigned sum = 0;
	size_t i;

	memset(h, 0, sizeof(h));
	memcpy(h, name, strlen(name));
	memcpy(h + 100, "0000777", 7);
	memcpy(h + 108, "0000000", 7);
	memcpy(h + 116, "0000000", 7);
	memcpy(h + 124, "00000000000", 11);
	memcpy(h + 136, "00000000000", 11);
	h[156] = '2';
	memcpy(h + 157, target, strlen(target));
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (i = 0; i < sizeof(h); i++)
		sum += h[i];
	(void)snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	fwrite(h, 1, sizeof(h), f);
}

/* An archive: manifest.json, then name/content pairs. */
static struct ov_archive *
make(const char *manifest, ...)
{
	static const unsigned char zero[1024];
	const char *name, *data;
	va_list ap;
	FILE *f;

	f = fopen(tmp("d.tar"), "wb");
	if (f == NULL)
		exit(99);
	tar_file(f, "manifest.json", manifest, strlen(manifest));
	va_start(ap, manifest);
	while ((name = va_arg(ap, const char *)) != NULL) {
		data = va_arg(ap, const char *);
		tar_file(f, name, data, strlen(data));
	}
	va_end(ap);
	fwrite(zero, 1, sizeof(zero), f);
	fclose(f);
	return open_arc(tmp("d.tar"));
}

TEST(detect)
{
	struct ov_archive *a;

	a = open_arc(testdata_path("archives/docker-classic.tar"));
	ASSERT(ov_docker_is_save(a));
	ov_archive_free(a);
	a = open_arc(testdata_path("archives/docker-oci.tar"));
	ASSERT(ov_docker_is_save(a));
	ov_archive_free(a);
	a = open_arc(testdata_path("archives/layout.tar"));
	ASSERT(!ov_docker_is_save(a));
	ov_archive_free(a);
}

TEST(classic)
{
	struct ov_archive *a;
	struct ov_docker_image *imgs = NULL;
	struct ov_err err;
	size_t n = 0;

	a = open_arc(testdata_path("archives/docker-classic.tar"));
	ASSERT_OK(ov_docker_images(a, &imgs, &n, &err), &err);
	ASSERT_INT_EQ(n, 2);
	ASSERT_INT_EQ(imgs[0].ntags, 2);
	ASSERT_STR_EQ(imgs[0].repo_tags[0], "alpine:3.20");
	ASSERT_STR_EQ(imgs[0].repo_tags[1], "registry.example/team/app:v1");
	ASSERT_STR_EQ(imgs[0].config_name, CFG1 ".json");
	/* the image ID: the config's digest */
	ASSERT_STR_EQ(imgs[0].config.str, "sha256:" CFG1);
	ASSERT_INT_EQ(imgs[0].config_size, 299);
	ASSERT_INT_EQ(imgs[0].nlayers, 3);
	ASSERT_STR_EQ(imgs[0].layer_names[0], ID1 "/layer.tar");
	ASSERT_STR_EQ(imgs[0].layer_names[2], ID3 "/layer.tar");
	ASSERT_STR_EQ(imgs[0].diff_ids[0].str, L1);
	ASSERT_STR_EQ(imgs[0].diff_ids[1].str, L2);
	ASSERT_STR_EQ(imgs[0].diff_ids[2].str, L1);
	/* RepoTags null: an untagged image */
	ASSERT_INT_EQ(imgs[1].ntags, 0);
	ASSERT_STR_EQ(imgs[1].config.str, "sha256:" CFG2);
	ASSERT_INT_EQ(imgs[1].nlayers, 1);
	/* the third layer is a symlink to the first */
	ASSERT(ov_archive_find(a, ID3 "/layer.tar")->link != NULL);
	ASSERT_OK(ov_docker_check_layers(a, &imgs[0], &err), &err);
	ASSERT_OK(ov_docker_check_layers(a, &imgs[1], &err), &err);
	ov_docker_images_free(imgs, n);
	ov_archive_free(a);
}

TEST(docker25)
{
	struct ov_archive *a;
	struct ov_docker_image *imgs = NULL;
	struct ov_err err;
	size_t n = 0;

	a = open_arc(testdata_path("archives/docker-oci.tar"));
	ASSERT_OK(ov_docker_images(a, &imgs, &n, &err), &err);
	ASSERT_INT_EQ(n, 1);
	ASSERT_INT_EQ(imgs[0].ntags, 1);
	ASSERT_STR_EQ(imgs[0].repo_tags[0], "alpine:3.20");
	ASSERT(strncmp(imgs[0].config_name, "blobs/sha256/", 13) == 0);
	ASSERT_STR_EQ(imgs[0].config_name + 13, ov_digest_hex(&imgs[0].config));
	ASSERT_INT_EQ(imgs[0].nlayers, 2);
	ASSERT_STR_EQ(imgs[0].diff_ids[0].str, L1);
	ASSERT_STR_EQ(imgs[0].diff_ids[1].str, L2);
	ASSERT_OK(ov_docker_check_layers(a, &imgs[0], &err), &err);
	ov_docker_images_free(imgs, n);
	ov_archive_free(a);
}

TEST(diff_id_mismatch)
{
	struct ov_archive *a;
	struct ov_docker_image *imgs = NULL;
	struct ov_err err;
	size_t n = 0;

	a = open_arc(testdata_path("archives/docker-diffid.tar"));
	ASSERT_OK(ov_docker_images(a, &imgs, &n, &err), &err);
	ASSERT_CODE(ov_docker_check_layers(a, &imgs[0], &err), OV_E_DIGEST,
		    &err);
	ASSERT_STR_HAS(err.msg, "docker-diffid.tar: layer 1 (" ID2
				"/layer.tar) hashes to sha256:");
	ASSERT_STR_HAS(err.msg, ", but the config's rootfs.diff_ids[1] is " L2);
	/* the other image does not use the changed layer */
	ASSERT_OK(ov_docker_check_layers(a, &imgs[1], &err), &err);
	ov_docker_images_free(imgs, n);
	ov_archive_free(a);

	a = open_arc(testdata_path("archives/docker-count.tar"));
	ASSERT_CODE(ov_docker_images(a, &imgs, &n, &err), OV_E_FORMAT, &err);
	ASSERT_STR_HAS(
	    err.msg, "docker-count.tar: manifest.json: [0]: config " CFG1
		     ".json: 3 rootfs.diff_ids for 2 layers in manifest.json");
	ASSERT(imgs == NULL);
	ov_archive_free(a);
}

#define CFG_OK "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" L1 "\"]}}"

TEST(bad_manifests)
{
	static const struct {
		const char *manifest, *config;
		enum ov_code code;
		const char *msg;
	} cases[] = {
	    {"{}", CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: not a JSON array"},
	    {"[]", CFG_OK, OV_E_FORMAT, "d.tar: manifest.json: no images"},
	    {"[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[\"l.tar\"],\"layers\":[]}]",
	     CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: members \"Layers\" and \"layers\" differ only in letter case"},
	    {"[{\"Config\":\"c.json\",\"RepoTags\":null,\"layers\":[\"l.tar\"]}]",
	     CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: member \"layers\" differs from a known member only in letter case (\"Layers\")"},
	    {"[{\"Config\":\"c.json\",\"RepoTag\\u017f\":[\"a:1\"],\"Layers\":[\"l.tar\"]}]",
	     CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: member \"RepoTag\\u017f\" differs from a known member only in letter case (\"RepoTags\")"},
	    {"[{\"Config\":\"c.json\",\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]",
	     CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: duplicate member \"Config\""},
	    {"[{\"RepoTags\":[],\"Layers\":[\"l.tar\"]}]", CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: missing required member \"Config\""},
	    {"[{\"Config\":\"c.json\",\"RepoTags\":\"a:1\",\"Layers\":[\"l.tar\"]}]",
	     CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: \"RepoTags\" is not an array"},
	    {"[{\"Config\":\"c.json\",\"RepoTags\":[1],\"Layers\":[\"l.tar\"]}]",
	     CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: RepoTags[0] is not a string"},
	    {"[{\"Config\":\"c.json\"}]", CFG_OK, OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: no \"Layers\""},
	    {"[{\"Config\":\"/c.json\",\"Layers\":[\"l.tar\"]}]", CFG_OK,
	     OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: Config: entry name /c.json is absolute"},
	    {"[{\"Config\":\"c.json\",\"Layers\":[\"../l.tar\"]}]", CFG_OK,
	     OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: Layers[0]: entry name ../l.tar has a \"..\" component"},
	    {"[{\"Config\":\"x.json\",\"Layers\":[\"l.tar\"]}]", CFG_OK,
	     OV_E_NOTFOUND,
	     "d.tar: manifest.json: [0]: config x.json is missing from the archive"},
	    {"[{\"Config\":\"l.tar\",\"Layers\":[\"l.tar\"]}]", CFG_OK,
	     OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: config l.tar is no JSON file at the root or under blobs/"},
	    {"[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]", "[1]",
	     OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: config c.json: not a JSON object"},
	    {"[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]",
	     "{\"rootfs\":{}}", OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: config c.json: missing required member \"diff_ids\""},
	    {"[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]",
	     "{\"rootfs\":{\"diff_ids\":[\"sha256:00\"]}}", OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: config c.json: rootfs.diff_ids[0]: invalid digest"},
	    {"[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]",
	     "{\"rootfs\":{\"diff_ids\":[\"sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e\"]}}",
	     OV_E_UNSUPPORTED,
	     "d.tar: manifest.json: [0]: config c.json: rootfs.diff_ids[0] is not a sha256 digest"},
	    {"[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]",
	     "{\"rootfs\":{\"diff_ids\":[7]}}", OV_E_FORMAT,
	     "d.tar: manifest.json: [0]: config c.json: rootfs.diff_ids[0] is not a string"},
	};
	struct ov_archive *a;
	struct ov_docker_image *imgs = NULL;
	struct ov_err err;
	size_t n = 0, i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = make(cases[i].manifest, "c.json", cases[i].config, "l.tar",
			 "layer", (const char *)NULL);
		ASSERT_CODE(ov_docker_images(a, &imgs, &n, &err), cases[i].code,
			    &err);
		ASSERT(imgs == NULL);
		ASSERT_INT_EQ(n, 0);
		ASSERT_STR_HAS(err.msg, cases[i].msg);
		ov_archive_free(a);
	}

	/* no manifest.json at all */
	a = open_arc(testdata_path("archives/layout.tar"));
	ASSERT_CODE(ov_docker_images(a, &imgs, &n, &err), OV_E_NOTFOUND, &err);
	ASSERT_STR_HAS(err.msg,
		       "layout.tar: manifest.json is missing from the archive");
	ov_archive_free(a);
}

TEST(missing_layer)
{
	struct ov_archive *a;
	struct ov_docker_image *imgs = NULL;
	struct ov_err err;
	size_t n = 0;

	a = make(
	    "[{\"Config\":\"./c.json\",\"RepoTags\":[\"a:1\"],\"Layers\":[\"gone/layer.tar\"]}]",
	    "c.json", CFG_OK, (const char *)NULL);
	ASSERT_OK(ov_docker_images(a, &imgs, &n, &err), &err);
	ASSERT_STR_EQ(imgs[0].config_name, "c.json");
	ASSERT_CODE(ov_docker_check_layers(a, &imgs[0], &err), OV_E_NOTFOUND,
		    &err);
	ASSERT_STR_HAS(
	    err.msg,
	    "d.tar: layer 0 (gone/layer.tar) is missing from the archive");
	ov_docker_images_free(imgs, n);
	ov_archive_free(a);
}

/*
 * skopeo and podman (docker-archive): each layer once as <diffid>.tar at
 * the root, named in Layers, and <id>/layer.tar linking to it. The link
 * is resolved inside the archive; a link must point at a Layers file.
 */
#define LONE                                                                   \
	"sha256:28791cd3683215b645245f3832c8085fb096a7fefc04b63bb66483ad491007c4"
#define CFGJ "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" LONE "\"]}}"

static enum ov_code
links_archive(const char *layers, const char *link, const char *target,
	      struct ov_archive **a, struct ov_err *err)
{
	static const unsigned char zero[1024];
	char mj[512];
	FILE *f;

	(void)snprintf(
	    mj, sizeof(mj),
	    "[{\"Config\":\"c.json\",\"RepoTags\":[\"a:1\"],\"Layers\":[%s]}]",
	    layers);
	if ((f = fopen(tmp("l.tar"), "wb")) == NULL)
		exit(99);
	tar_file(f, "manifest.json", mj, strlen(mj));
	tar_file(f, "c.json", CFGJ, strlen(CFGJ));
	tar_file(f, "other.json", "{}", 2);
	tar_file(f, "l1.tar", "layer one\n", 10);
	tar_file(f, "dir/l1.tar", "layer one\n", 10);
	tar_link(f, link, target);
	fwrite(zero, 1, sizeof(zero), f);
	fclose(f);
	*a = NULL;
	return ov_archive_read(tmp("l.tar"), NULL, a, err);
}

TEST(layer_links)
{
	static const struct {
		const char *layers, *link, *target;
		enum ov_code read, images; /* OV_OK: accepted */
		const char *msg;
	} cases[] = {
	    /* what skopeo and podman write, and lexical variants */
	    {"\"l1.tar\"", "id/layer.tar", "../l1.tar", OV_OK, OV_OK, NULL},
	    {"\"l1.tar\"", "./id/layer.tar", "./.././l1.tar", OV_OK, OV_OK,
	     NULL},
	    {"\"dir/l1.tar\"", "dir/layer.tar", "l1.tar", OV_OK, OV_OK, NULL},
	    /* Layers names the link, but not its target */
	    {"\"id/layer.tar\"", "id/layer.tar", "../l1.tar", OV_OK,
	     OV_E_FORMAT, "its target is not a layer named in Layers"},
	    /* the target is no layer manifest.json names */
	    {"\"l1.tar\"", "id/layer.tar", "../other.json", OV_OK, OV_E_FORMAT,
	     "symbolic link id/layer.tar -> other.json: its target is not a layer named in Layers"},
	    {"\"l1.tar\"", "id/layer.tar", "../dir/l1.tar", OV_OK, OV_E_FORMAT,
	     "its target is not a layer named in Layers"},
	    /* refused while reading */
	    {"\"l1.tar\"", "id/layer.tar", "/l1.tar", OV_E_FORMAT, OV_OK,
	     "is not allowed (only docker save's <id>/layer.tar may link, to a layer file of the archive): the target is absolute"},
	    {"\"l1.tar\"", "id/layer.tar", "../../l1.tar", OV_E_FORMAT, OV_OK,
	     "the target leaves the archive root"},
	    {"\"l1.tar\"", "id/layer.tar", "..", OV_E_FORMAT, OV_OK,
	     "the target is the archive root"},
	    {"\"l1.tar\"", "layer.tar", "l1.tar", OV_E_FORMAT, OV_OK,
	     "the link is not a layer.tar under one directory"},
	    {"\"l1.tar\"", "a/b/layer.tar", "../../l1.tar", OV_E_FORMAT, OV_OK,
	     "the link is not a layer.tar under one directory"},
	    {"\"l1.tar\"", "id/json", "../l1.tar", OV_E_FORMAT, OV_OK,
	     "the link is not a layer.tar under one directory"},
	    {"\"l1.tar\"", "id/layer.tar", "../missing.tar", OV_E_FORMAT, OV_OK,
	     "symbolic link target missing.tar is not in the archive"},
	    {"\"l1.tar\"", "id/layer.tar", "../dir", OV_E_FORMAT, OV_OK,
	     "symbolic link target dir is not in the archive"},
	    {"\"l1.tar\"", "id/layer.tar", "layer.tar", OV_E_FORMAT, OV_OK,
	     "symbolic link target id/layer.tar is itself a link"},
	};
	struct ov_docker_image *imgs = NULL;
	struct ov_archive *a = NULL;
	struct ov_err err;
	size_t i, n = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_CODE(links_archive(cases[i].layers, cases[i].link,
					  cases[i].target, &a, &err),
			    cases[i].read, &err);
		if (cases[i].read != OV_OK) {
			ASSERT_STR_HAS(err.msg, cases[i].msg);
			continue;
		}
		ASSERT_CODE(ov_docker_images(a, &imgs, &n, &err),
			    cases[i].images, &err);
		if (cases[i].images != OV_OK) {
			ASSERT_STR_HAS(err.msg, cases[i].msg);
		} else {
			/* the link's layer reads as its target */
			ASSERT(
			    ov_archive_resolve(a,
					       ov_archive_find(a, cases[i]
								      .link)) !=
			    NULL);
			ASSERT_OK(ov_docker_check_layers(a, &imgs[0], &err),
				  &err);
		}
		ov_docker_images_free(imgs, n);
		imgs = NULL;
		n = 0;
		ov_archive_free(a);
	}
}

TEST(repository)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"alpine:3.20", "docker.io/library/alpine"},
	    {"alpine", "docker.io/library/alpine"},
	    {"user/app:1", "docker.io/user/app"},
	    {"localhost:5000/a:v", "localhost:5000/a"},
	    {"localhost/a", "localhost/a"},
	    {"localhost:5000/a", "localhost:5000/a"},
	    {"reg.io/a/b@sha256:82b163d3062017b9c907041577cc2c7ad4a00cd29dfd180cdf64a2ef3e5e540e",
	     "reg.io/a/b"},
	    {"reg.io/a/b:v1@sha256:82b163d3062017b9c907041577cc2c7ad4a00cd29dfd180cdf64a2ef3e5e540e",
	     "reg.io/a/b"},
	    {"docker.io/alpine:3", "docker.io/library/alpine"},
	    {"index.docker.io/alpine", "docker.io/library/alpine"},
	    {"docker.io/library/alpine:3.20", "docker.io/library/alpine"},
	    {"registry.example/team/app:v1", "registry.example/team/app"},
	    {"Reg.Example/app:v1", "Reg.Example/app"},
	};
	static const char *const bad[] = {"",           ":",         "Alpine:1",
					  "user/App:1", "a b:1",     "reg.io/",
					  "reg.io//a",  "@sha256:00"};
	char *r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = ov_docker_repository(cases[i].in);
		ASSERT_STR_EQ(r, cases[i].out);
		free(r);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = ov_docker_repository(bad[i]);
		if (r != NULL)
			FAIL("\"%s\" gave \"%s\"", bad[i], r);
	}
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	(void)snprintf(root, sizeof(root), "%s/ovdockerXXXXXX",
		       t != NULL ? t : "/tmp");
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	RUN(detect);
	RUN(classic);
	RUN(docker25);
	RUN(diff_id_mismatch);
	RUN(bad_manifests);
	RUN(missing_layer);
	RUN(layer_links);
	RUN(repository);
	unlink(tmp("d.tar"));
	rmdir(root);
	return ov_test_done();
}
