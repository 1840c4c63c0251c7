/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rendering what src/inspect.h describes, shared by ocivet inspect, ls
 * and cert: trees of text (common.h) and JSON objects with stable keys
 * (ocivet-report(5)).
 */
#ifndef OV_CLI_SHOW_H
#define OV_CLI_SHOW_H

#include <stdint.h>

struct cJSON;
struct cli_node;
struct ov_cert_desc;
struct ov_inventory;
struct ov_sig_desc;

/* "YYYY-MM-DDThh:mm:ssZ" in a static buffer of the caller's. */
const char *show_time(int64_t t, char buf[32]);

/* A certificate under parent: its fingerprint, then subject, issuer,
 * serial and validity below it. */
struct cli_node *show_cert_tree(struct cli_node *parent,
				const struct ov_cert_desc *c);
struct cJSON *show_cert_json(const struct ov_cert_desc *c);

/* One signature under parent (details: everything ocivet inspect shows;
 * else its digest and media type). */
void show_sig_tree(struct cli_node *parent, const struct ov_sig_desc *s,
		   int details);
struct cJSON *show_sig_json(const struct ov_sig_desc *s, int details);

/* Every image of inv as one tree each, printed; 0 or -1. */
int show_inventory_text(const struct ov_inventory *inv, int details);

/* {"source", "kind", "images": [...]}; NULL when out of memory. */
struct cJSON *show_inventory_json(const struct ov_inventory *inv, int details);

#endif
