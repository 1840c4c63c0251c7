/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers every ocivet command shares: messages, options, output. */
#include "config.h"

#include "common.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "bundle.h"
#include "confdir.h"
#include "tbundle.h"
#include "text.h"
#include "timeutil.h"

void
cli_errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("ocivet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_warnf(const char *fmt, ...)
{
	va_list ap;

	fputs("ocivet: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_usage_hint(const char *cmd)
{
	size_t n = strcspn(cmd, " ");

	fprintf(stderr, "Run 'ocivet %.*s --help' for usage.\n", (int)n, cmd);
}

int
cli_option_error(const char *cmd, int ch, char **argv)
{
	if (ch == ':')
		cli_errorf("%s: option %s needs a value", cmd,
			   argv[optind - 1]);
	else
		cli_errorf("%s: unknown option %s", cmd, argv[optind - 1]);
	cli_usage_hint(cmd);
	return -1;
}

int
cli_parse_format(const char *arg, int *json)
{
	if (strcmp(arg, "json") == 0) {
		*json = 1;
	} else if (strcmp(arg, "text") == 0) {
		*json = 0;
	} else {
		cli_errorf("--format: unknown format \"%s\" (use text or json)",
			   arg);
		return -1;
	}
	return 0;
}

int
cli_parse_time(const char *at, int64_t *now)
{
	struct ov_err err;

	if (at == NULL) {
		*now = (int64_t)time(NULL);
		return 0;
	}
	if (ov_time_parse(at, now, NULL, &err) != OV_OK) {
		cli_errorf("--at: %s", err.msg);
		return -1;
	}
	return 0;
}

int
cli_parse_number(const char *opt, const char *arg, unsigned long long min,
		 unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || *arg == '-' ||
	    n < min || n > max) {
		cli_errorf(
		    "%s: expected a number from %llu to %llu, got \"%s\"", opt,
		    min, max, arg);
		return -1;
	}
	*out = n;
	return 0;
}

void
cli_trim_slashes(char *arg)
{
	size_t n = strlen(arg);

	while (n > 1 && arg[n - 1] == '/')
		arg[--n] = '\0';
}

int
cli_push_arg(const char ***list, size_t *n, const char *arg)
{
	const char **nl = realloc(*list, (*n + 1) * sizeof(*nl));

	if (nl == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	nl[(*n)++] = arg;
	*list = nl;
	return 0;
}

int
cli_resolve_config(const char *config, const char *policy, const char *store,
		   struct ov_confdir *out)
{
	struct ov_err err;

	if (ov_confdir_resolve(config, policy, store, getenv("NOTATION_CONFIG"),
			       getenv("XDG_CONFIG_HOME"), getenv("HOME"), out,
			       &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		return -1;
	}
	return 0;
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

int
cli_open_trust(const char *trust, const char **config, struct ov_tbundle **tb)
{
	static const char *const archives[] = {".tar", ".tar.gz", ".tgz",
		".tar.zst", ".tzst", NULL};
	const char *dir, *tmp;
	char *path = NULL;
	struct ov_err err;
	size_t i;
	int is_path = 0, rc = -1;

	*tb = NULL;
	if (trust == NULL)
		return 0;
	if (*config != NULL) {
		cli_errorf("--trust and --config exclude each other: a trust bundle is a configuration directory");
		return -1;
	}
	for (i = 0; archives[i] != NULL; i++)
		is_path |= has_suffix(trust, archives[i]);
	if (is_path || strchr(trust, '/') != NULL || strcmp(trust, ".") == 0 ||
	    strcmp(trust, "..") == 0) {
		path = strdup(trust);
	} else if (!ov_tbundle_name_valid(trust)) {
		cli_errorf("--trust: \"%s\" is neither a bundle name (lower-case letters, digits, \".\", \"_\", \"-\") nor a path (write ./%s for one here)",
		    trust, trust);
		return -1;
	} else {
		dir = getenv("OCIVET_BUNDLES");
		if (dir == NULL || *dir == '\0')
			dir = OV_BUNDLEDIR;
		path = ov_strf("%s/%s", dir, trust);
		if (path != NULL && access(path, F_OK) != 0) {
			cli_errorf("--trust: no trust bundle named \"%s\" in %s (give a path with a '/' for a bundle elsewhere)",
			    trust, dir);
			free(path);
			return -1;
		}
	}
	if (path == NULL) {
		cli_errorf("out of memory");
		return -1;
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (ov_tbundle_open(path, tmp, tb, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	*config = ov_tbundle_dir(*tb);
	rc = 0;
out:
	free(path);
	return rc;
}

int
cli_write_all(FILE *f, const struct ov_buf *b)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)
		return -1;
	return fflush(f);
}

int
cli_json_print(struct cJSON *root)
{
	char *text;
	int rc = 0;

	if (root == NULL || (text = cJSON_Print(root)) == NULL) {
		cJSON_Delete(root);
		cli_errorf("out of memory");
		return -1;
	}
	if (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF ||
	    fflush(stdout) != 0) {
		cli_errorf("writing the output: %s", strerror(errno));
		rc = -1;
	}
	free(text);
	cJSON_Delete(root);
	return rc;
}

int
cli_output_open(struct cli_output *o, const char *path)
{
	const char *slash;
	int fd = -1;

	memset(o, 0, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	o->path = path;
	slash = strrchr(path, '/');
	if (asprintf(&o->tmp, "%.*s.%s.XXXXXX",
		slash != NULL ? (int)(slash - path + 1) : 0, path,
		slash != NULL ? slash + 1 : path) < 0) {
		o->tmp = NULL;
		cli_errorf("out of memory");
		return -1;
	}
	if ((fd = mkstemp(o->tmp)) < 0 || fchmod(fd, 0644) != 0 ||
	    (o->f = fdopen(fd, "w")) == NULL) {
		cli_errorf("--output %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	return 0;
}

int
cli_output_commit(struct cli_output *o)
{
	FILE *f = o->f;

	o->f = NULL;
	if (f == NULL)
		return -1;
	if (f == stdout)
		return fflush(stdout) == 0 ? 0 : -1;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		return -1;
	}
	if (fclose(f) != 0 || rename(o->tmp, o->path) != 0)
		return -1;
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

void
cli_output_abort(struct cli_output *o)
{
	if (o->f != NULL && o->f != stdout)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
}

/* ---- trees of text ------------------------------------------------------ */

struct cli_node {
	char *text;
	struct cli_node **kids;
	size_t n;
	int *failed; /* the root's flag, shared by every node */
	int failed_root;
};

static struct cli_node *
node_new(const char *fmt, va_list ap, int *failed)
{
	struct cli_node *nd = calloc(1, sizeof(*nd));

	if (nd == NULL)
		return NULL;
	if ((nd->text = ov_vstrf(fmt, ap)) == NULL) {
		free(nd);
		return NULL;
	}
	nd->failed = failed != NULL ? failed : &nd->failed_root;
	return nd;
}

struct cli_node *
cli_tree_new(const char *fmt, ...)
{
	struct cli_node *nd;
	va_list ap;

	va_start(ap, fmt);
	nd = node_new(fmt, ap, NULL);
	va_end(ap);
	return nd;
}

struct cli_node *
cli_tree_add(struct cli_node *parent, const char *fmt, ...)
{
	struct cli_node *nd, **nk;
	va_list ap;

	if (parent == NULL)
		return NULL;
	va_start(ap, fmt);
	nd = node_new(fmt, ap, parent->failed);
	va_end(ap);
	if (nd == NULL ||
	    (nk = realloc(parent->kids, (parent->n + 1) * sizeof(*nk))) ==
		NULL) {
		cli_tree_free(nd);
		*parent->failed = 1;
		return NULL;
	}
	parent->kids = nk;
	nk[parent->n++] = nd;
	return nd;
}

void
cli_tree_free(struct cli_node *nd)
{
	size_t i;

	if (nd == NULL)
		return;
	for (i = 0; i < nd->n; i++)
		cli_tree_free(nd->kids[i]);
	free(nd->kids);
	free(nd->text);
	free(nd);
}

/* Print the children of nd, each line after prefix. */
static void
print_kids(const struct cli_node *nd, struct ov_buf *prefix)
{
	size_t i, len = prefix->len;
	int last;

	for (i = 0; i < nd->n; i++) {
		last = i + 1 == nd->n;
		printf("%.*s%s%s\n", (int)prefix->len,
		       prefix->data != NULL ? (char *)prefix->data : "",
		       last ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ",
		       nd->kids[i]->text);
		if (ov_buf_adds(prefix, last ? "    " : "\u2502   ", NULL) !=
		    OV_OK) {
			*nd->failed = 1;
			return;
		}
		print_kids(nd->kids[i], prefix);
		prefix->len = len;
	}
}

int
cli_tree_print(struct cli_node *root)
{
	struct ov_buf prefix;
	int rc = 0;

	if (root == NULL || *root->failed) {
		cli_tree_free(root);
		cli_errorf("out of memory");
		return -1;
	}
	ov_buf_init(&prefix, 1 << 20);
	printf("%s\n", root->text);
	print_kids(root, &prefix);
	ov_buf_free(&prefix);
	if (*root->failed) {
		cli_errorf("out of memory");
		rc = -1;
	} else if (fflush(stdout) != 0) {
		cli_errorf("writing the output: %s", strerror(errno));
		rc = -1;
	}
	cli_tree_free(root);
	return rc;
}

/*
 * The format an output name asks for: .tar, .tar.gz or .tgz, .tar.zst or
 * .tzst; -1 for other archive and compression suffixes, which would
 * otherwise become a directory of that name; else a directory.
 */
int
cli_format_of_name(const char *out)
{
	static const char *const refused[] =
	    {".tar.xz", ".tar.bz2", ".tar.lz4", ".tar.lzma", ".txz",
	     ".tbz",    ".tbz2",    ".zip",     ".gz",       ".zst",
	     ".xz",     ".bz2",     ".lz4",     ".7z",       NULL};
	size_t i;

	if (has_suffix(out, ".tar"))
		return OV_BUNDLE_TAR;
	if (has_suffix(out, ".tar.gz") || has_suffix(out, ".tgz"))
		return OV_BUNDLE_TAR_GZ;
	if (has_suffix(out, ".tar.zst") || has_suffix(out, ".tzst"))
		return OV_BUNDLE_TAR_ZST;
	for (i = 0; refused[i] != NULL; i++)
		if (has_suffix(out, refused[i]))
			return -1;
	return OV_BUNDLE_DIR;
}

int
cli_subcommand(const char *cmd, int argc, char **argv,
    const struct cli_sub *subs, void (*usage)(FILE *f))
{
	char names[256] = "";
	size_t i, n, len;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
	}
	for (n = 0; subs[n].name != NULL; n++)
		if (strcmp(argv[1], subs[n].name) == 0)
			return subs[n].run(argc - 1, argv + 1);
	/* "export", "ls or show", "create, check or show" */
	for (i = 0; i < n; i++) {
		len = strlen(names);
		(void)snprintf(names + len, sizeof(names) - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", subs[i].name);
	}
	cli_errorf("%s: unknown subcommand \"%s\" (%s)", cmd, argv[1], names);
	return CLI_EXIT_USAGE;
}
