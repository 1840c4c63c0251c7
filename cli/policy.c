/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ocivet policy check: validate the trust policy and every trust store
 * it names, listing every problem (exit 2 on any error), with warnings
 * for ignored members, certificates that have expired or expire soon,
 * and statements an image's own scope cannot select. ocivet policy show:
 * the effective policy, statement by statement.
 */
#include "config.h"

#include "cli.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "confdir.h"
#include "inspect.h"
#include "ovlimits.h"
#include "policy.h"
#include "show.h"
#include "tbundle.h"
#include "text.h"
#include "truststore.h"

enum {
	OPT_CONFIG = 256,
	OPT_POLICY,
	OPT_TRUST_STORE,
	OPT_AT,
	OPT_FORMAT,
	OPT_WARN_DAYS,
	OPT_TRUST,
};

static const struct option options[] = {
	{"config", required_argument, NULL, OPT_CONFIG},
	{"trust", required_argument, NULL, OPT_TRUST},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"trust-store", required_argument, NULL, OPT_TRUST_STORE},
	{"at", required_argument, NULL, OPT_AT},
	{"warn-days", required_argument, NULL, OPT_WARN_DAYS},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

void
cli_policy_usage(FILE *f)
{
	fputs("usage: ocivet policy check [OPTIONS]\n"
	      "       ocivet policy show [OPTIONS]\n"
	      "\n"
	      "check: validate the trust policy and every trust store it names,\n"
	      "listing every problem; warn about ignored members, certificates\n"
	      "that have expired or expire soon, and statements that only --scope\n"
	      "can select. show: print the effective policy, statement by\n"
	      "statement.\n"
	      "\n"
	      "  --config DIR          notation configuration directory (default:\n"
	      "                        $NOTATION_CONFIG, $XDG_CONFIG_HOME/notation,\n"
	      "                        ~/.config/notation)\n"
	      "  --trust NAME|PATH     a trust bundle (ocivet-trust(1)) instead of --config\n"
	      "  --policy FILE         trust policy file (overrides the config's)\n"
	      "  --trust-store DIR     trust store holding x509/{ca,signingAuthority,tsa}/\n"
	      "  --at TIME             judge certificate expiry as of an RFC 3339\n"
	      "                        time instead of now\n"
	      "  --warn-days N         warn about certificates that expire within N\n"
	      "                        days (default: 30)\n"
	      "  --format text|json    output format (default: text)\n"
	      "  -h, --help            show this help\n"
	      "\n"
	      "Exit status: 0 no error (warnings allowed), 2 the policy or a trust\n"
	      "store has an error, or usage error. See ocivet-policy(1).\n",
	    f);
}

/* Everything a policy command keeps, freed in one place. */
struct policy_cmd {
	const char *config, *policy, *truststore, *at, *trust;
	struct ov_tbundle *tb; /* --trust */
	int expired_errors;    /* trust check: an expired certificate */
	int json;
	unsigned long long warn_days;
	int64_t now;
	struct ov_confdir conf;
	struct ov_policy *p;
	struct ov_policy_problems pr;
};

static void
cmd_free(struct policy_cmd *c)
{
	ov_policy_free(c->p);
	ov_policy_problems_clear(&c->pr);
	ov_confdir_clear(&c->conf);
	ov_tbundle_free(c->tb);
}

static int
parse_options(struct policy_cmd *c, const char *cmd, int argc, char **argv)
{
	int ch;

	c->warn_days = 30;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (ch) {
		case OPT_CONFIG:
			c->config = optarg;
			break;
		case OPT_TRUST:
			c->trust = optarg;
			break;
		case OPT_POLICY:
			c->policy = optarg;
			break;
		case OPT_TRUST_STORE:
			c->truststore = optarg;
			break;
		case OPT_AT:
			c->at = optarg;
			break;
		case OPT_WARN_DAYS:
			if (cli_parse_number("--warn-days", optarg, 0, 36500,
					     &c->warn_days) != 0)
				return -1;
			break;
		case OPT_FORMAT:
			if (cli_parse_format(optarg, &c->json) != 0)
				return -1;
			break;
		case 'h':
			cli_policy_usage(stdout);
			return 1;
		default:
			return cli_option_error(cmd, ch, argv);
		}
	}
	if (optind < argc) {
		cli_errorf("%s: unexpected argument \"%s\"", cmd, argv[optind]);
		cli_usage_hint(cmd);
		return -1;
	}
	if (cli_parse_time(c->at, &c->now) != 0 ||
	    cli_open_trust(c->trust, &c->config, &c->tb) != 0 ||
	    cli_resolve_config(c->config, c->policy, c->truststore, &c->conf) !=
		0)
		return -1;
	return 0;
}

static int
add(char ***list, size_t *n, char *s)
{
	struct ov_err err;

	if (ov_strlist_take(list, n, s, &err) != OV_OK) {
		cli_errorf("out of memory");
		return -1;
	}
	return 0;
}

/* Expired and soon-expiring certificates of one store. */
static int
check_expiry(struct policy_cmd *c, const char *store, STACK_OF(X509) *certs)
{
	struct ov_cert_desc d;
	struct ov_err err;
	char t[32];
	int i, rc = 0;
	int64_t left;

	for (i = 0; i < sk_X509_num(certs) && rc == 0; i++) {
		if (ov_cert_describe(sk_X509_value(certs, i), &d, &err) !=
		    OV_OK) {
			cli_errorf("out of memory");
			return -1;
		}
		left = d.not_after - c->now;
		if (left < 0 && c->expired_errors)
			rc = add(&c->pr.errors, &c->pr.nerrors,
			    ov_strf("%s: certificate \"%s\" (SHA-256 %.16s...) expired at %s",
				store, d.subject, d.sha256,
				show_time(d.not_after, t)));
		else if (left < 0)
			rc = add(&c->pr.warnings, &c->pr.nwarnings,
			    ov_strf("%s: certificate \"%s\" (SHA-256 %.16s...) expired at %s",
				store, d.subject, d.sha256,
				show_time(d.not_after, t)));
		else if ((uint64_t)left <= c->warn_days * 86400ULL)
			rc = add(
			    &c->pr.warnings, &c->pr.nwarnings,
			    ov_strf(
				"%s: certificate \"%s\" (SHA-256 %.16s...) expires at %s, in %lld days",
				store, d.subject, d.sha256,
				show_time(d.not_after, t),
				(long long)(left / 86400)));
		else if (d.not_before > c->now)
			rc = add(
			    &c->pr.warnings, &c->pr.nwarnings,
			    ov_strf(
				"%s: certificate \"%s\" (SHA-256 %.16s...) is not valid before %s",
				store, d.subject, d.sha256,
				show_time(d.not_before, t)));
		ov_cert_desc_clear(&d);
	}
	return rc;
}

static int
seen_store(const struct ov_policy *p, size_t si, size_t k)
{
	const struct ov_store_ref *r = &p->statements[si].stores[k];
	size_t i, j;

	for (i = 0; i <= si; i++)
		for (j = 0; j < p->statements[i].nstores; j++) {
			const struct ov_store_ref *o =
			    &p->statements[i].stores[j];
			if (i == si && j == k)
				return 0;
			if (o->type == r->type && strcmp(o->name, r->name) == 0)
				return 1;
		}
	return 0;
}

/* Every trust store the policy names, once each. */
static int
check_stores(struct policy_cmd *c)
{
	const struct ov_store_ref *r;
	STACK_OF(X509) *certs;
	struct ov_err err;
	char *who;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < c->p->n && rc == 0; i++)
		for (k = 0; k < c->p->statements[i].nstores && rc == 0; k++) {
			if (seen_store(c->p, i, k))
				continue;
			r = &c->p->statements[i].stores[k];
			if (ov_truststore_load(c->conf.truststore, r->type,
					       r->name, NULL, &certs,
					       &err) != OV_OK) {
				rc = add(&c->pr.errors, &c->pr.nerrors,
					 ov_strf("%s", err.msg));
				continue;
			}
			who = ov_strf("trust store \"%s\" of type \"%s\"",
				      r->name, ov_store_type_name(r->type));
			rc = who == NULL ? -1 : check_expiry(c, who, certs);
			free(who);
			sk_X509_pop_free(certs, X509_free);
		}
	return rc;
}

/* Statements that only --scope (or --trust-source-scope) can select. */
static int
check_reach(struct policy_cmd *c)
{
	const struct ov_policy_statement *base = ov_policy_select(c->p, NULL);
	const struct ov_policy_statement *st;
	struct ov_err err;
	size_t i;

	if (base == NULL &&
	    add(&c->pr.warnings, &c->pr.nwarnings,
		ov_strf(
		    "%s: no statement has registry scope \"*\": an image is verified only when --scope, or a name it carries, selects a statement",
		    c->p->path)) != 0)
		return -1;
	for (i = 0; i < c->p->n; i++) {
		st = &c->p->statements[i];
		if (st == base || ov_policy_as_strict(st, base, &err) == OV_OK)
			continue;
		if (add(&c->pr.warnings, &c->pr.nwarnings,
			ov_strf(
			    "%s: trust policy statement \"%s\" is weaker than the \"*\" statement (%s): a scope the image names itself cannot select it, only --scope or --trust-source-scope",
			    c->p->path, st->name, err.msg)) != 0)
			return -1;
	}
	return 0;
}

static int
print_check(const struct policy_cmd *c)
{
	cJSON *o, *a;
	size_t i;

	if (c->json) {
		if ((o = cJSON_CreateObject()) == NULL ||
		    cJSON_AddStringToObject(o, "ocivet_version",
					    PACKAGE_VERSION) == NULL ||
		    cJSON_AddStringToObject(o, "trust_policy",
					    c->conf.policy) == NULL ||
		    cJSON_AddStringToObject(o, "trust_store",
					    c->conf.truststore) == NULL ||
		    cJSON_AddBoolToObject(o, "valid", c->pr.nerrors == 0) ==
			NULL ||
		    (a = cJSON_AddArrayToObject(o, "errors")) == NULL)
			goto nomem;
		for (i = 0; i < c->pr.nerrors; i++)
			if (!cJSON_AddItemToArray(a, cJSON_CreateString(
							 c->pr.errors[i])))
				goto nomem;
		if ((a = cJSON_AddArrayToObject(o, "warnings")) == NULL)
			goto nomem;
		for (i = 0; i < c->pr.nwarnings; i++)
			if (!cJSON_AddItemToArray(a, cJSON_CreateString(
							 c->pr.warnings[i])))
				goto nomem;
		return cli_json_print(o);
nomem:
		cJSON_Delete(o);
		cli_errorf("out of memory");
		return -1;
	}
	printf("trust policy: %s\ntrust store: %s\n", c->conf.policy,
	       c->conf.truststore);
	for (i = 0; i < c->pr.nerrors; i++)
		printf("error: %s\n", c->pr.errors[i]);
	for (i = 0; i < c->pr.nwarnings; i++)
		printf("warning: %s\n", c->pr.warnings[i]);
	printf("%zu error%s, %zu warning%s\n", c->pr.nerrors,
	       c->pr.nerrors == 1 ? "" : "s", c->pr.nwarnings,
	       c->pr.nwarnings == 1 ? "" : "s");
	return fflush(stdout) == 0 ? 0 : -1;
}

static int
policy_check(int argc, char **argv)
{
	struct policy_cmd c;
	struct ov_buf b;
	struct ov_err err;
	int rc, status = CLI_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	ov_buf_init(&b, OV_MAX_POLICY);
	if ((rc = parse_options(&c, "policy check", argc, argv)) != 0) {
		status = rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		goto out;
	}
	if (ov_buf_read_file(&b, AT_FDCWD, c.conf.policy, &err) != OV_OK) {
		cli_errorf("trust policy %s", err.msg);
		goto out;
	}
	if (ov_policy_check(b.data != NULL ? (const void *)b.data : "", b.len,
			    c.conf.policy, &c.p, &c.pr, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	}
	/* stores of every statement that parsed; reach only when the
	 * whole policy is valid */
	if (c.p != NULL && (check_stores(&c) != 0 ||
			    (c.pr.nerrors == 0 && check_reach(&c) != 0)))
		goto out;
	if (print_check(&c) != 0)
		goto out;
	status = c.pr.nerrors > 0 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
out:
	ov_buf_free(&b);
	cmd_free(&c);
	return status;
}

int
cli_policy_check_conf(const struct ov_confdir *conf, int64_t now,
    unsigned long long warn_days, char ***errors, size_t *nerrors,
    char ***warnings, size_t *nwarnings)
{
	struct policy_cmd c;
	struct ov_buf b;
	struct ov_err err;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.conf = *conf;
	c.now = now;
	c.warn_days = warn_days;
	c.expired_errors = 1;
	ov_buf_init(&b, OV_MAX_POLICY);
	if (ov_buf_read_file(&b, AT_FDCWD, conf->policy, &err) != OV_OK) {
		rc = add(&c.pr.errors, &c.pr.nerrors,
		    ov_strf("trust policy %s", err.msg));
	} else if (ov_policy_check(b.data != NULL ? (const void *)b.data : "",
		       b.len, conf->policy, &c.p, &c.pr, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		goto out;
	} else {
		rc = c.p != NULL && (check_stores(&c) != 0 ||
				       (c.pr.nerrors == 0 &&
					   check_reach(&c) != 0))
		    ? -1
		    : 0;
	}
	if (rc != 0)
		goto out;
	*errors = c.pr.errors;
	*nerrors = c.pr.nerrors;
	*warnings = c.pr.warnings;
	*nwarnings = c.pr.nwarnings;
	memset(&c.pr, 0, sizeof(c.pr)); /* transferred */
out:
	memset(&c.conf, 0, sizeof(c.conf)); /* borrowed */
	ov_buf_free(&b);
	cmd_free(&c);
	return rc;
}

static int
show_statement_json(cJSON *arr, const struct ov_policy_statement *st)
{
	cJSON *o = cJSON_CreateObject(), *a, *acts;
	char *s;
	size_t i;
	int k;

	if (o == NULL || !cJSON_AddItemToArray(arr, o))
		return cJSON_Delete(o), -1;
	if (cJSON_AddStringToObject(o, "name", st->name) == NULL ||
	    (a = cJSON_AddArrayToObject(o, "registry_scopes")) == NULL)
		return -1;
	for (i = 0; i < st->nscopes; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(st->scopes[i])))
			return -1;
	if (cJSON_AddStringToObject(o, "level", ov_level_name(st->level)) ==
		NULL ||
	    cJSON_AddBoolToObject(o, "custom", st->custom) == NULL ||
	    (acts = cJSON_AddObjectToObject(o, "actions")) == NULL)
		return -1;
	for (k = 0; k < OV_CHECK__COUNT; k++)
		if (cJSON_AddStringToObject(acts, ov_check_name(k),
					    st->level == OV_LEVEL_SKIP
						? "skip"
						: ov_action_name(
						      st->actions[k])) == NULL)
			return -1;
	if (cJSON_AddStringToObject(o, "verify_timestamp",
				    st->verify_timestamp == OV_VERIFY_TS_ALWAYS
					? "always"
					: "afterCertExpiry") == NULL ||
	    (a = cJSON_AddArrayToObject(o, "trust_stores")) == NULL)
		return -1;
	for (i = 0; i < st->nstores; i++) {
		if ((s = ov_strf("%s:%s",
				 ov_store_type_name(st->stores[i].type),
				 st->stores[i].name)) == NULL)
			return -1;
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(s))) {
			free(s);
			return -1;
		}
		free(s);
	}
	if ((a = cJSON_AddArrayToObject(o, "trusted_identities")) == NULL)
		return -1;
	if (st->any_identity &&
	    !cJSON_AddItemToArray(a, cJSON_CreateString("*")))
		return -1;
	for (i = 0; i < st->nidentities; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(
						 st->identity_strings[i])))
			return -1;
	return 0;
}

static void
show_statement_tree(struct cli_node *root, const struct ov_policy_statement *st)
{
	struct cli_node *n = cli_tree_add(root, "statement \"%s\"", st->name);
	struct cli_node *a;
	size_t i;
	int k;

	a = cli_tree_add(n, "registry scopes");
	for (i = 0; i < st->nscopes; i++)
		cli_tree_add(a, "%s", st->scopes[i]);
	a = cli_tree_add(n, "level: %s%s", ov_level_name(st->level),
			 st->custom ? " (with overrides)" : "");
	for (k = 0; st->level != OV_LEVEL_SKIP && k < OV_CHECK__COUNT; k++)
		cli_tree_add(a, "%s: %s", ov_check_name(k),
			     ov_action_name(st->actions[k]));
	if (st->level == OV_LEVEL_SKIP)
		return;
	cli_tree_add(n, "verify timestamp: %s",
		     st->verify_timestamp == OV_VERIFY_TS_ALWAYS
			 ? "always"
			 : "afterCertExpiry");
	a = cli_tree_add(n, "trust stores");
	for (i = 0; i < st->nstores; i++)
		cli_tree_add(a, "%s:%s", ov_store_type_name(st->stores[i].type),
			     st->stores[i].name);
	a = cli_tree_add(n, "trusted identities");
	if (st->any_identity)
		cli_tree_add(a, "*");
	for (i = 0; i < st->nidentities; i++)
		cli_tree_add(a, "%s", st->identity_strings[i]);
}

int
cli_policy_show_json(cJSON *arr, const struct ov_policy *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (show_statement_json(arr, &p->statements[i]) != 0)
			return -1;
	return 0;
}

void
cli_policy_show_tree(struct cli_node *root, const struct ov_policy *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		show_statement_tree(root, &p->statements[i]);
}

static int
policy_show(int argc, char **argv)
{
	struct policy_cmd c;
	struct cli_node *root;
	struct ov_err err;
	cJSON *o = NULL, *a;
	size_t i;
	int rc, status = CLI_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_options(&c, "policy show", argc, argv)) != 0) {
		status = rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		goto out;
	}
	if (ov_policy_load(c.conf.policy, &c.p, &err) != OV_OK) {
		cli_errorf("%s", err.msg);
		fputs("Run 'ocivet policy check' to list every problem.\n",
		      stderr);
		goto out;
	}
	for (i = 0; i < c.p->nwarnings; i++)
		cli_warnf("%s", c.p->warnings[i]);
	if (c.json) {
		if ((o = cJSON_CreateObject()) == NULL ||
		    cJSON_AddStringToObject(o, "ocivet_version",
					    PACKAGE_VERSION) == NULL ||
		    cJSON_AddStringToObject(o, "trust_policy", c.conf.policy) ==
			NULL ||
		    cJSON_AddStringToObject(o, "trust_store",
					    c.conf.truststore) == NULL ||
		    (a = cJSON_AddArrayToObject(o, "statements")) == NULL) {
			cJSON_Delete(o);
			cli_errorf("out of memory");
			goto out;
		}
		for (i = 0; i < c.p->n; i++)
			if (show_statement_json(a, &c.p->statements[i]) != 0) {
				cJSON_Delete(o);
				cli_errorf("out of memory");
				goto out;
			}
		if (cli_json_print(o) != 0)
			goto out;
	} else {
		root = cli_tree_new("trust policy: %s", c.conf.policy);
		cli_tree_add(root, "trust store: %s", c.conf.truststore);
		for (i = 0; i < c.p->n; i++)
			show_statement_tree(root, &c.p->statements[i]);
		if (cli_tree_print(root) != 0)
			goto out;
	}
	status = CLI_EXIT_OK;
out:
	cmd_free(&c);
	return status;
}

int
cli_policy(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{"check", policy_check},
		{"show", policy_show},
		{NULL, NULL},
	};

	return cli_subcommand("policy", argc, argv, subs, cli_policy_usage);
}
