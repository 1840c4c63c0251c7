/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet sign: sign images offline as `notation sign --oci-layout` does,
 * in a layout directory (updated in place, crash-safely) or, for any
 * SOURCE, into a detached signature bundle (--signatures-out), so that
 * archives are never rewritten.
 */
#include "config.h"

#include "cli.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "buf.h"
#include "bundle.h"
#include "layout_sign.h"
#include "manifest.h"
#include "ovlimits.h"
#include "sign.h"
#include "signkey.h"
#include "text.h"
#include "timeutil.h"
#include "tsa.h"
#include "tsreq.h"
#include "x509.h"

#define MAX_PASSPHRASE 1024
#define MAX_METADATA 64

enum {
	OPT_KEY = 256,
	OPT_CERT,
	OPT_SIGFORMAT,
	OPT_EXPIRY,
	OPT_METADATA,
	OPT_SCHEME,
	OPT_FORM,
	OPT_PLATFORMS,
	OPT_PASS_FILE,
	OPT_PASS_FD,
	OPT_PASS_ENV,
	OPT_AT,
	OPT_SIGOUT,
	OPT_TSQ,
	OPT_TSR,
	OPT_TSSTATE,
	OPT_TSAROOT,
};

static const struct option options[] = {
    {"key", required_argument, NULL, OPT_KEY},
    {"cert", required_argument, NULL, OPT_CERT},
    {"signature-format", required_argument, NULL, OPT_SIGFORMAT},
    {"expiry", required_argument, NULL, OPT_EXPIRY},
    {"user-metadata", required_argument, NULL, OPT_METADATA},
    {"signing-scheme", required_argument, NULL, OPT_SCHEME},
    {"manifest-form", required_argument, NULL, OPT_FORM},
    {"platforms", required_argument, NULL, OPT_PLATFORMS},
    {"passphrase-file", required_argument, NULL, OPT_PASS_FILE},
    {"passphrase-fd", required_argument, NULL, OPT_PASS_FD},
    {"passphrase-env", required_argument, NULL, OPT_PASS_ENV},
    {"at", required_argument, NULL, OPT_AT},
    {"signatures-out", required_argument, NULL, OPT_SIGOUT},
    {"timestamp-request", required_argument, NULL, OPT_TSQ},
    {"timestamp-response", required_argument, NULL, OPT_TSR},
    {"timestamp-state", required_argument, NULL, OPT_TSSTATE},
    {"tsa-root", required_argument, NULL, OPT_TSAROOT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

void
cli_sign_usage(FILE *f)
{
	fputs(
	    "usage: ocivet sign --key KEY --cert CHAIN [options] SOURCE\n"
	    "       ocivet sign --key KEY --cert CHAIN --timestamp-request OUT.tsq\n"
	    "                   [options] SOURCE\n"
	    "       ocivet sign --timestamp-response IN.tsr --timestamp-state STATE\n"
	    "                   [--tsa-root FILE] [--signatures-out OUT] SOURCE\n"
	    "\n"
	    "Sign the image SOURCE names (DIR:TAG, DIR@DIGEST; DIR alone: every\n"
	    "image) as notation does in an OCI layout. A layout directory is\n"
	    "updated in place; an archive is never rewritten: give\n"
	    "--signatures-out for a detached bundle that ocivet verify reads.\n"
	    "\n"
	    "  --key KEY             private key: PEM or DER, PKCS#8 or traditional,\n"
	    "                        RSA 2048/3072/4096 or EC P-256/384/521\n"
	    "  --cert CHAIN          certificate chain, leaf first (PEM or DER)\n"
	    "  --passphrase-file F   passphrase of an encrypted key: first line of F\n"
	    "  --passphrase-fd N     ... read from file descriptor N\n"
	    "  --passphrase-env VAR  ... from environment variable VAR\n"
	    "  --signature-format F  jws (default) or cose\n"
	    "  --signing-scheme S    notary.x509 (default) or\n"
	    "                        notary.x509.signingAuthority\n"
	    "  --expiry DURATION     signature expiry after the signing time: a\n"
	    "                        number with s, m, h or d, combined (1d12h)\n"
	    "  --user-metadata K=V   signed annotation of the payload (repeatable)\n"
	    "  --manifest-form FORM  config (default: notation 1.x finds it) or\n"
	    "                        artifact-type (notation 2's form)\n"
	    "  --platforms all       also sign each manifest of an image index\n"
	    "  --at TIME             signing time (RFC 3339; default: now); the\n"
	    "                        certificates must be valid then\n"
	    "  --signatures-out OUT  write a detached bundle (directory, .tar,\n"
	    "                        .tar.gz or .tar.zst) instead of changing SOURCE\n"
	    "  --timestamp-request OUT.tsq\n"
	    "                        sign, but write nothing yet: the RFC 3161\n"
	    "                        request for the signature to OUT.tsq and the\n"
	    "                        unfinished signature to its state file\n"
	    "  --timestamp-state F   the state file (default: OUT.tsq.state)\n"
	    "  --timestamp-response IN.tsr\n"
	    "                        finish: check the TSA's response to the state's\n"
	    "                        request, embed its token and write the signature\n"
	    "  --tsa-root FILE       also verify the response's token against these\n"
	    "                        TSA root certificates (PEM or DER)\n"
	    "  -h, --help            show this help\n"
	    "\n"
	    "Exit status: 0 signed, 2 usage error, refused key, certificate or\n"
	    "timestamp response, or unreadable input. See ocivet-sign(1).\n",
	    f);
}

/* Everything `sign` keeps, freed in one place. */
struct sign_cmd {
	const char *key, *cert, *pass_file, *pass_env, *at, *sigout;
	const char *tsq, *tsr, *tsstate, *tsaroot;
	int nsignopts; /* options that shape a new signature */
	long pass_fd;
	struct ov_layout_sign_opts o;
	struct ov_annotation md[MAX_METADATA];
	const char *expiry;
	char *pass;
	EVP_PKEY *pkey;
	STACK_OF(X509) *chain;
	struct ov_layout_signed *done;
	size_t ndone;
};

/* Seconds of a duration "1d12h30m"; 0 or -1 after a message. */
static int
parse_duration(const char *s, int64_t *out)
{
	int64_t total = 0, n, unit;
	const char *p = s;

	if (*p == '\0')
		goto bad;
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			goto bad;
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			n = n * 10 + (*p - '0');
			if (n > 100LL * 365 * 86400)
				goto bad;
		}
		switch (*p++) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		default:
			goto bad;
		}
		total += n * unit;
		if (total > 100LL * 365 * 86400)
			goto bad;
	}
	if (total == 0)
		goto bad;
	*out = total;
	return 0;
bad:
	cli_errorf("--expiry: invalid duration \"%s\" (e.g. 30m, 12h, 3d)", s);
	return -1;
}

static int
parse_options(struct sign_cmd *c, int argc, char **argv)
{
	unsigned long long n;
	char *eq;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_KEY:
			c->key = optarg;
			break;
		case OPT_CERT:
			c->cert = optarg;
			break;
		case OPT_SIGFORMAT:
			c->nsignopts++;
			if (strcmp(optarg, "jws") == 0) {
				c->o.media_type = OV_MT_JWS;
			} else if (strcmp(optarg, "cose") == 0) {
				c->o.media_type = OV_MT_COSE;
			} else {
				cli_errorf("--signature-format: \"%s\" is neither jws nor cose", optarg);
				return -1;
			}
			break;
		case OPT_EXPIRY:
			c->nsignopts++;
			c->expiry = optarg;
			break;
		case OPT_METADATA:
			c->nsignopts++;
			if ((eq = strchr(optarg, '=')) == NULL ||
			    eq == optarg) {
				cli_errorf("--user-metadata: want KEY=VALUE, not \"%s\"", optarg);
				return -1;
			}
			if (c->o.nmetadata == MAX_METADATA) {
				cli_errorf("--user-metadata: at most %d", MAX_METADATA);
				return -1;
			}
			*eq = '\0';
			c->md[c->o.nmetadata].key = optarg;
			c->md[c->o.nmetadata++].value = eq + 1;
			break;
		case OPT_SCHEME:
			c->nsignopts++;
			c->o.scheme = ov_scheme_from_name(optarg);
			if (c->o.scheme == OV_SCHEME_UNKNOWN) {
				cli_errorf("--signing-scheme: \"%s\" is neither notary.x509 nor notary.x509.signingAuthority", optarg);
				return -1;
			}
			break;
		case OPT_FORM:
			c->nsignopts++;
			if (strcmp(optarg, "config") == 0) {
				c->o.shape = OV_SHAPE_CONFIG_TYPE;
			} else if (strcmp(optarg, "artifact-type") == 0) {
				c->o.shape = OV_SHAPE_ARTIFACT_TYPE_DATA;
			} else {
				cli_errorf("--manifest-form: \"%s\" is neither config nor artifact-type", optarg);
				return -1;
			}
			break;
		case OPT_PLATFORMS:
			c->nsignopts++;
			if (strcmp(optarg, "all") != 0) {
				cli_errorf("--platforms: only \"all\" is supported");
				return -1;
			}
			c->o.all_platforms = 1;
			break;
		case OPT_PASS_FILE:
			c->nsignopts++;
			c->pass_file = optarg;
			break;
		case OPT_PASS_FD:
			c->nsignopts++;
			if (cli_parse_number("--passphrase-fd", optarg, 0,
					     1024, &n) != 0)
				return -1;
			c->pass_fd = (long)n;
			break;
		case OPT_PASS_ENV:
			c->nsignopts++;
			c->pass_env = optarg;
			break;
		case OPT_AT:
			c->nsignopts++;
			c->at = optarg;
			break;
		case OPT_SIGOUT:
			c->sigout = optarg;
			break;
		case OPT_TSQ:
			c->tsq = optarg;
			break;
		case OPT_TSR:
			c->tsr = optarg;
			break;
		case OPT_TSSTATE:
			c->tsstate = optarg;
			break;
		case OPT_TSAROOT:
			c->tsaroot = optarg;
			break;
		case 'h':
			cli_sign_usage(stdout);
			return 1;
		default:
			return cli_option_error("sign", ch, argv);
		}
	}
	return 0;
}

/* The passphrase from --passphrase-file, -fd or -env (one at most); its
 * first line. 0 or -1 after a message. */
static int
read_passphrase(struct sign_cmd *c)
{
	struct ov_buf b;
	struct ov_err err;
	const char *v;
	size_t n, given;
	enum ov_code r = OV_OK;

	given = (c->pass_file != NULL) + (c->pass_fd >= 0) +
		(c->pass_env != NULL);
	if (given == 0)
		return 0;
	if (given > 1) {
		cli_errorf("give the passphrase one way: --passphrase-file, --passphrase-fd or --passphrase-env");
		return -1;
	}
	if (c->pass_env != NULL) {
		if ((v = getenv(c->pass_env)) == NULL) {
			cli_errorf("--passphrase-env: %s is not set", c->pass_env);
			return -1;
		}
		if ((c->pass = strdup(v)) == NULL) {
			cli_errorf("out of memory");
			return -1;
		}
		return 0;
	}
	ov_buf_init(&b, MAX_PASSPHRASE);
	if (c->pass_file != NULL)
		r = ov_buf_read_file(&b, AT_FDCWD, c->pass_file, &err);
	else
		r = ov_buf_read_fd(&b, (int)c->pass_fd, "--passphrase-fd",
				   &err);
	if (r == OV_OK && (c->pass = malloc(b.len + 1)) == NULL)
		r = ov_err_set(&err, OV_E_NOMEM, "out of memory");
	if (r != OV_OK) {
		cli_errorf("passphrase: %s", err.msg);
		ov_buf_free(&b);
		return -1;
	}
	for (n = 0; n < b.len && b.data[n] != '\n' && b.data[n] != '\r'; n++)
		c->pass[n] = (char)b.data[n];
	c->pass[n] = '\0';
	OPENSSL_cleanse(b.data, b.len);
	ov_buf_free(&b);
	return 0;
}

/* --key and --cert: read, decode and check against the signing time. */
static int
load_material(struct sign_cmd *c)
{
	struct ov_buf b;
	struct ov_err err;
	enum ov_code r;

	ov_buf_init(&b, OV_MAX_CERT_FILE);
	r = ov_buf_read_file(&b, AT_FDCWD, c->key, &err);
	if (r == OV_OK)
		r = ov_signkey_load(b.data, b.len, c->key, c->pass, &c->pkey,
				    &err);
	if (b.data != NULL)
		OPENSSL_cleanse(b.data, b.len);
	ov_buf_free(&b);
	if (r != OV_OK) {
		cli_errorf("--key: %s", err.msg);
		return -1;
	}
	ov_buf_init(&b, OV_MAX_CERT_FILE);
	r = ov_buf_read_file(&b, AT_FDCWD, c->cert, &err);
	if (r == OV_OK)
		r = ov_x509_load_certs(b.data, b.len, c->cert, NULL, &c->chain,
				       &err);
	ov_buf_free(&b);
	if (r != OV_OK) {
		cli_errorf("--cert: %s", err.msg);
		return -1;
	}
	if (ov_signkey_check(c->pkey, c->chain, c->o.signing_time, &err) !=
	    OV_OK) {
		cli_errorf("%s", err.msg);
		return -1;
	}
	if (c->o.has_expiry &&
	    ov_x509_check_valid_at(c->chain, c->o.expiry, "signature expiry",
				   &err) != OV_OK)
		cli_warnf("the signature outlives its certificate: %s", err.msg);
	return 0;
}

/* The format a --signatures-out name asks for (as bundle export). */
static int
bundle_format(const char *out)
{
	size_t n = strlen(out);

	if (n > 4 && strcmp(out + n - 4, ".tar") == 0)
		return OV_BUNDLE_TAR;
	if ((n > 7 && strcmp(out + n - 7, ".tar.gz") == 0) ||
	    (n > 4 && strcmp(out + n - 4, ".tgz") == 0))
		return OV_BUNDLE_TAR_GZ;
	if ((n > 8 && strcmp(out + n - 8, ".tar.zst") == 0) ||
	    (n > 5 && strcmp(out + n - 5, ".tzst") == 0))
		return OV_BUNDLE_TAR_ZST;
	return OV_BUNDLE_DIR;
}

/* Read all of path (at most max bytes) into b; 0 or -1 after a message. */
static int
read_input(struct ov_buf *b, size_t max, const char *opt, const char *path)
{
	struct ov_err err;

	ov_buf_init(b, max);
	if (ov_buf_read_file(b, AT_FDCWD, path, &err) != OV_OK) {
		cli_errorf("%s: %s", opt, err.msg);
		return -1;
	}
	return 0;
}

/*
 * The first step of an offline timestamp: sign SOURCE's one image in
 * memory, then write the state (the envelope and what finishing needs)
 * and the RFC 3161 request for its signature value. Nothing is written
 * to SOURCE.
 */
static int
timestamp_request(struct sign_cmd *c, const char *spec,
		  const struct ov_signer *signer)
{
	struct ov_buf env, q;
	struct ov_descriptor target;
	struct ov_tsreq_state st;
	struct ov_envelope *e = NULL;
	struct ov_err err;
	char *json = NULL, *statepath = NULL;
	const char *sp;
	int status = -1;

	ov_buf_init(&env, OV_MAX_ENVELOPE);
	ov_buf_init(&q, 64 * 1024);
	memset(&target, 0, sizeof(target));
	memset(&st, 0, sizeof(st));
	if ((sp = c->tsstate) == NULL) {
		if ((statepath = ov_strf("%s.state", c->tsq)) == NULL) {
			cli_errorf("out of memory");
			goto out;
		}
		sp = statepath;
	}
	if (strcmp(sp, c->tsq) == 0) {
		cli_errorf("--timestamp-state: the state and the request need two files");
		goto out;
	}
	c->o.prepare = 1;
	c->o.prepared = &env;
	c->o.prepared_target = &target;
	if (ov_layout_sign(spec, NULL, signer, c->chain, &c->o, &c->done,
			   &c->ndone, &err) != OV_OK) {
		cli_errorf("sign: %s", err.msg);
		goto out;
	}
	if (RAND_bytes(st.nonce, sizeof(st.nonce)) != 1) {
		cli_errorf("sign: no random nonce");
		goto out;
	}
	st.reference = c->done[0].reference;
	st.target_media_type = target.media_type;
	st.target = target.digest;
	st.target_size = target.size;
	st.media_type = c->o.media_type;
	st.shape = c->o.shape;
	st.envelope = env.data;
	st.envelope_len = env.len;
	if (ov_envelope_parse(c->o.media_type, env.data, env.len, &e, &err) !=
		OV_OK ||
	    ov_tsreq_query(e, st.nonce, &q, &err) != OV_OK ||
	    ov_tsreq_state_json(&st, &json, &err) != OV_OK) {
		cli_errorf("sign: %s", err.msg);
		goto out;
	}
	/* the state first: a request never exists without it */
	if (ov_file_write_atomic(sp, json, strlen(json), &err) != OV_OK ||
	    ov_file_write_atomic(c->tsq, q.data, q.len, &err) != OV_OK) {
		cli_errorf("sign: %s", err.msg);
		goto out;
	}
	printf("%s: timestamp request %s, state %s; finish with --timestamp-response\n",
	       c->done[0].reference, c->tsq, sp);
	status = 0;
out:
	ov_envelope_free(e);
	free(json);
	free(statepath);
	ov_descriptor_clear(&target);
	ov_buf_free(&env);
	ov_buf_free(&q);
	return status;
}

/*
 * The second step: check the TSA's response against the state, embed
 * its token and write the signature as a normal sign does.
 */
static int
timestamp_finish(struct sign_cmd *c, const char *spec)
{
	struct ov_buf sb, rb, cb, token, stamped;
	struct ov_tsreq_state st;
	struct ov_tsa_result res;
	struct ov_envelope *e = NULL;
	struct ov_err err;
	STACK_OF(X509) *roots = NULL;
	char when[OV_TIME_STR_MAX];
	size_t i;
	int status = -1;
	enum ov_code r;

	memset(&st, 0, sizeof(st));
	memset(&res, 0, sizeof(res));
	ov_buf_init(&cb, OV_MAX_CERT_FILE);
	ov_buf_init(&token, OV_TSA_MAX_TOKEN);
	ov_buf_init(&stamped, OV_MAX_ENVELOPE);
	ov_buf_init(&rb, 0);
	if (read_input(&sb, OV_TSREQ_MAX_STATE, "--timestamp-state",
		       c->tsstate) != 0)
		goto out;
	if (ov_tsreq_state_parse(sb.data, sb.len, &st, &e, &err) != OV_OK) {
		cli_errorf("--timestamp-state: %s: %s", c->tsstate, err.msg);
		goto out;
	}
	if (read_input(&rb, OV_TSREQ_MAX_RESPONSE, "--timestamp-response",
		       c->tsr) != 0)
		goto out;
	if (c->tsaroot != NULL) {
		if (read_input(&cb, OV_MAX_CERT_FILE, "--tsa-root",
			       c->tsaroot) != 0)
			goto out;
		if (ov_x509_load_certs(cb.data, cb.len, c->tsaroot, NULL, &roots,
				       &err) != OV_OK) {
			cli_errorf("--tsa-root: %s", err.msg);
			goto out;
		}
	}
	if (ov_tsreq_check_response(rb.data, rb.len, &st, e, roots, &token,
				    &res, &err) != OV_OK) {
		cli_errorf("--timestamp-response: %s: %s; nothing written",
			   c->tsr, err.msg);
		goto out;
	}
	if (ov_sign_attach_timestamp(st.media_type, st.envelope,
				     st.envelope_len, token.data, token.len,
				     &stamped, &err) != OV_OK ||
	    ov_tsreq_chain(e, &c->chain, &err) != OV_OK) {
		cli_errorf("sign: %s", err.msg);
		goto out;
	}
	c->o.media_type = st.media_type;
	c->o.shape = st.shape;
	c->o.scheme = e->scheme;
	c->o.signing_time = e->signing_time;
	c->o.envelope = stamped.data;
	c->o.envelope_len = stamped.len;
	c->o.envelope_target = &st.target;
	if (c->sigout != NULL)
		r = ov_layout_sign_bundle(spec, c->sigout,
					  bundle_format(c->sigout), NULL,
					  c->chain, &c->o, &c->done, &c->ndone,
					  &err);
	else
		r = ov_layout_sign(spec, NULL, NULL, c->chain, &c->o, &c->done,
				   &c->ndone, &err);
	if (r != OV_OK) {
		cli_errorf("sign: %s", err.msg);
		goto out;
	}
	for (i = 0; i < c->ndone; i++)
		printf("%s: signed, signature manifest %s, timestamp %s%s%s\n",
		       c->done[i].reference, c->done[i].manifest.str,
		       ov_time_format(res.gen_time, when),
		       res.tsa_subject != NULL ? " by " : "",
		       res.tsa_subject != NULL ? res.tsa_subject : "");
	status = 0;
out:
	sk_X509_pop_free(roots, X509_free);
	ov_tsa_result_clear(&res);
	ov_envelope_free(e);
	ov_tsreq_state_clear(&st);
	ov_buf_free(&sb);
	ov_buf_free(&rb);
	ov_buf_free(&cb);
	ov_buf_free(&token);
	ov_buf_free(&stamped);
	return status;
}

/* Which options go with which step; 0 or -1 after a message. */
static int
check_timestamp_options(const struct sign_cmd *c)
{
	if (c->tsq != NULL && c->tsr != NULL) {
		cli_errorf("sign: --timestamp-request and --timestamp-response are two steps: give one");
		return -1;
	}
	if (c->tsq == NULL && c->tsr == NULL) {
		if (c->tsstate != NULL || c->tsaroot != NULL) {
			cli_errorf("sign: --%s goes with --timestamp-request or --timestamp-response",
				   c->tsstate != NULL ? "timestamp-state"
						      : "tsa-root");
			return -1;
		}
		return 0;
	}
	if (c->tsq != NULL) {
		if (c->sigout != NULL) {
			cli_errorf("sign: --signatures-out goes with the second step (--timestamp-response): the first writes no signature");
			return -1;
		}
		if (c->tsaroot != NULL) {
			cli_errorf("sign: --tsa-root goes with --timestamp-response");
			return -1;
		}
		if (c->o.scheme != OV_SCHEME_X509) {
			cli_errorf("sign: timestamps countersign notary.x509 signatures only; the signingAuthority scheme has none");
			return -1;
		}
		return 0;
	}
	if (c->tsstate == NULL) {
		cli_errorf("sign: --timestamp-response needs --timestamp-state (the state the request step wrote)");
		return -1;
	}
	if (c->key != NULL || c->cert != NULL || c->nsignopts != 0) {
		cli_errorf("sign: --timestamp-response finishes the signature the request step made: give no --key, --cert or signature options");
		return -1;
	}
	return 0;
}

int
cli_sign(int argc, char **argv)
{
	struct sign_cmd c;
	struct ov_signer signer;
	struct ov_err err;
	const char *fault;
	int64_t dur;
	size_t i;
	int rc, status = CLI_EXIT_USAGE;
	enum ov_code r;

	memset(&c, 0, sizeof(c));
	c.pass_fd = -1;
	c.o.media_type = OV_MT_JWS;
	c.o.scheme = OV_SCHEME_X509;
	c.o.shape = OV_SHAPE_CONFIG_TYPE;
	c.o.metadata = c.md;
	c.o.agent = "ocivet/" PACKAGE_VERSION;
	if ((rc = parse_options(&c, argc, argv)) != 0)
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	if (check_timestamp_options(&c) != 0)
		return CLI_EXIT_USAGE;
	if (c.tsr != NULL) {
		if (optind != argc - 1) {
			cli_errorf("sign: give one SOURCE");
			cli_usage_hint("sign");
			return CLI_EXIT_USAGE;
		}
		cli_trim_slashes(argv[optind]);
		status = timestamp_finish(&c, argv[optind]) == 0
			     ? CLI_EXIT_OK
			     : CLI_EXIT_USAGE;
		if (status == CLI_EXIT_OK && fflush(stdout) != 0)
			status = CLI_EXIT_USAGE;
		goto out;
	}
	if (c.key == NULL || c.cert == NULL) {
		cli_errorf("sign: --key and --cert are required");
		cli_usage_hint("sign");
		return CLI_EXIT_USAGE;
	}
	if (optind != argc - 1) {
		cli_errorf("sign: give one SOURCE");
		cli_usage_hint("sign");
		return CLI_EXIT_USAGE;
	}
	cli_trim_slashes(argv[optind]);
	if (cli_parse_time(c.at, &c.o.signing_time) != 0)
		goto out;
	if (c.expiry != NULL) {
		if (parse_duration(c.expiry, &dur) != 0)
			goto out;
		c.o.has_expiry = 1;
		c.o.expiry = c.o.signing_time + dur;
	}
	/* test hook (tests/sign.sh): a crash after the blobs */
	fault = getenv("OCIVET_TEST_SIGN_FAULT");
	c.o.stop_after_blobs = fault != NULL && strcmp(fault, "after-blobs") == 0;
	if (read_passphrase(&c) != 0 || load_material(&c) != 0)
		goto out;
	if ((r = ov_signer_from_key(c.pkey, &signer, &err)) != OV_OK) {
		cli_errorf("--key: %s", err.msg);
		goto out;
	}
	if (c.tsq != NULL) {
		if (timestamp_request(&c, argv[optind], &signer) == 0 &&
		    fflush(stdout) == 0)
			status = CLI_EXIT_OK;
		goto out;
	}
	if (c.sigout != NULL)
		r = ov_layout_sign_bundle(argv[optind], c.sigout,
					  bundle_format(c.sigout), &signer,
					  c.chain, &c.o, &c.done, &c.ndone,
					  &err);
	else
		r = ov_layout_sign(argv[optind], NULL, &signer, c.chain, &c.o,
				   &c.done, &c.ndone, &err);
	if (r != OV_OK) {
		cli_errorf("sign: %s", err.msg);
		goto out;
	}
	for (i = 0; i < c.ndone; i++)
		printf("%s: signed, signature manifest %s\n",
		       c.done[i].reference, c.done[i].manifest.str);
	if (fflush(stdout) != 0)
		goto out;
	status = CLI_EXIT_OK;
out:
	ov_layout_signed_free(c.done, c.ndone);
	sk_X509_pop_free(c.chain, X509_free);
	EVP_PKEY_free(c.pkey);
	if (c.pass != NULL) {
		OPENSSL_cleanse(c.pass, strlen(c.pass));
		free(c.pass);
	}
	return status;
}
