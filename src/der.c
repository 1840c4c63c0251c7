/* SPDX-License-Identifier: Apache-2.0 */
/* Strict DER TLV reading (X.690 8.1, 10.1). */
#include "config.h"

#include "der.h"

int
ov_der_next(struct ov_der *d, unsigned char *tag, struct ov_der *in,
	    struct ov_der *full)
{
	size_t len = 0, hdr = 2, k, nb;

	if (d->n < 2 || (d->p[0] & 0x1f) == 0x1f)
		return 0;
	*tag = d->p[0];
	if (d->p[1] < 0x80) {
		len = d->p[1];
	} else {
		nb = d->p[1] & 0x7f;
		if (nb == 0 || nb > 4 || d->n < 2 + nb || d->p[2] == 0)
			return 0;
		for (k = 0; k < nb; k++)
			len = (len << 8) | d->p[2 + k];
		if (len < 0x80)
			return 0; /* not minimal: BER, not DER */
		hdr += nb;
	}
	if (len > d->n - hdr)
		return 0;
	in->p = d->p + hdr;
	in->n = len;
	if (full != NULL) {
		full->p = d->p;
		full->n = hdr + len;
	}
	d->p += hdr + len;
	d->n -= hdr + len;
	return 1;
}

int
ov_der_peek(const struct ov_der *d, unsigned char tag)
{
	return d->n > 0 && d->p[0] == tag;
}
