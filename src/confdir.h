/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The notation configuration directory (spec digest E.1, E.2): where the
 * trust policy and the trust store are, so an existing notation set-up
 * works unchanged.
 */
#ifndef OV_CONFDIR_H
#define OV_CONFDIR_H

#include "err.h"

struct ov_confdir {
	char *dir;        /* configuration directory, NULL when not needed */
	char *policy;     /* trust policy file */
	char *truststore; /* directory holding x509/ */
};

/*
 * Resolve the configuration. config is --config; policy and store are
 * --policy and --trust-store (each overrides the directory's file).
 * env_config, env_xdg and env_home are $NOTATION_CONFIG,
 * $XDG_CONFIG_HOME and $HOME (any may be NULL). The directory is config,
 * else $NOTATION_CONFIG, else $XDG_CONFIG_HOME/notation, else
 * $HOME/.config/notation. Its policy is trustpolicy.oci.json, or, only
 * when that does not exist, trustpolicy.json. OV_E_CONFIG when no policy
 * is found.
 */
enum ov_code ov_confdir_resolve(const char *config, const char *policy,
    const char *store, const char *env_config, const char *env_xdg,
    const char *env_home, struct ov_confdir *out, struct ov_err *err);

void ov_confdir_clear(struct ov_confdir *c);

#endif
