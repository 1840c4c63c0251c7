/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: trust policy documents (ov_policy_parse, policy.c) with
 * their x509.subject identities (dn.c). A policy that parses has valid,
 * unique registry scopes (each selects its own statement), at most one
 * "*" statement, and identities that match themselves; each statement is
 * as strict as itself, and one found as strict as the "*" statement
 * enforces each check at least as strictly.
 */
#include "config.h"

#include "fuzz.h"
#include "policy.h"

static void
check_statement(const struct ov_policy *p, const struct ov_policy_statement *st)
{
	struct ov_err err;
	size_t i;

	FUZZ_ASSERT(st->name != NULL && st->nscopes > 0);
	FUZZ_ASSERT(ov_level_name(st->level) != NULL);
	for (i = 0; i < OV_CHECK__COUNT; i++) {
		FUZZ_ASSERT(ov_check_name((enum ov_check)i) != NULL);
		FUZZ_ASSERT(ov_action_name(st->actions[i]) != NULL);
	}
	for (i = 0; i < st->nscopes; i++) {
		if (strcmp(st->scopes[i], "*") == 0) {
			FUZZ_ASSERT(ov_policy_select(p, NULL) == st);
			continue;
		}
		FUZZ_ASSERT(ov_scope_validate(st->scopes[i], &err) == OV_OK);
		FUZZ_ASSERT(ov_policy_select(p, st->scopes[i]) == st);
	}
	for (i = 0; i < st->nstores; i++)
		FUZZ_ASSERT(st->stores[i].name != NULL &&
			    ov_store_name_valid(st->stores[i].name) &&
			    ov_store_type_name(st->stores[i].type) != NULL);
	for (i = 0; i < st->nidentities; i++) {
		FUZZ_ASSERT(st->identities[i] != NULL &&
			    st->identity_strings[i] != NULL);
		FUZZ_ASSERT(
		    ov_dn_is_subset(st->identities[i], st->identities[i]));
	}
	FUZZ_ASSERT(!st->any_identity || st->nidentities == 0);
	FUZZ_ASSERT(ov_policy_as_strict(st, st, &err) == OV_OK);
}

/* ov_policy_as_strict(st, base): a verdict, and a sound one. */
static void
check_as_strict(const struct ov_policy_statement *st,
		const struct ov_policy_statement *base)
{
	struct ov_err err;
	size_t k;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_policy_as_strict(st, base, &err);
	FUZZ_ASSERT(r == OV_OK || r == OV_E_POLICY);
	fuzz_check_err(r, &err);
	if (r != OV_OK || (base != NULL && base->level == OV_LEVEL_SKIP))
		return;
	FUZZ_ASSERT(st->level != OV_LEVEL_SKIP || st == base);
	for (k = 0; k < OV_CHECK__COUNT; k++)
		FUZZ_ASSERT(base != NULL ? st->actions[k] <= base->actions[k]
					 : st->actions[k] == OV_ACTION_ENFORCE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ov_policy *p = NULL;
	struct ov_err err;
	size_t i;
	enum ov_code r;

	ov_err_clear(&err);
	r = ov_policy_parse(data, size, "fuzz.json", &p, &err);
	fuzz_check_err(r, &err);
	FUZZ_ASSERT((r == OV_OK) == (p != NULL));
	if (p == NULL)
		return 0;
	FUZZ_ASSERT(p->n > 0);
	for (i = 0; i < p->n; i++) {
		check_statement(p, &p->statements[i]);
		check_as_strict(&p->statements[i], ov_policy_select(p, NULL));
	}
	(void)ov_policy_select(p, "registry.example/app");
	ov_policy_free(p);
	return 0;
}
