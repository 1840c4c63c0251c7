/* SPDX-License-Identifier: Apache-2.0 */
/* notation configuration directory discovery (spec digest E.1, E.2). */
#include "config.h"

#include "confdir.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "result.h"

void
ov_confdir_clear(struct ov_confdir *c)
{
	if (c == NULL)
		return;
	free(c->dir);
	free(c->policy);
	free(c->truststore);
	memset(c, 0, sizeof(*c));
}

static int
nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

enum ov_code
ov_confdir_resolve(const char *config, const char *policy, const char *store,
    const char *env_config, const char *env_xdg, const char *env_home,
    struct ov_confdir *out, struct ov_err *err)
{
	struct ov_confdir c;
	struct stat st;
	enum ov_code r = OV_OK;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if (policy == NULL || store == NULL) {
		if (nonempty(config))
			r = ov_set_str(&c.dir, err, "%s", config);
		else if (nonempty(env_config))
			r = ov_set_str(&c.dir, err, "%s", env_config);
		else if (nonempty(env_xdg))
			r = ov_set_str(&c.dir, err, "%s/notation", env_xdg);
		else if (nonempty(env_home))
			r = ov_set_str(&c.dir, err, "%s/.config/notation",
			    env_home);
		else
			r = ov_err_set(err, OV_E_CONFIG,
			    "no notation configuration directory: pass --config, or set NOTATION_CONFIG or HOME");
		if (r != OV_OK)
			goto out;
	}
	if (policy != NULL) {
		r = ov_set_str(&c.policy, err, "%s", policy);
	} else {
		if ((r = ov_set_str(&c.policy, err, "%s/trustpolicy.oci.json",
			 c.dir)) != OV_OK)
			goto out;
		/* notation: the legacy name only when the new one is absent */
		if (lstat(c.policy, &st) != 0) {
			if ((r = ov_set_str(&c.policy, err,
				 "%s/trustpolicy.json", c.dir)) != OV_OK)
				goto out;
			if (lstat(c.policy, &st) != 0) {
				r = ov_err_set(err, OV_E_CONFIG,
				    "no trust policy in %s: neither trustpolicy.oci.json nor trustpolicy.json exists (use --config or --policy)",
				    c.dir);
				goto out;
			}
		}
	}
	if (r != OV_OK)
		goto out;
	if (store != NULL)
		r = ov_set_str(&c.truststore, err, "%s", store);
	else
		r = ov_set_str(&c.truststore, err, "%s/truststore", c.dir);
	if (r != OV_OK)
		goto out;
	*out = c;
	memset(&c, 0, sizeof(c)); /* transferred */
out:
	ov_confdir_clear(&c);
	return r;
}
