/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time values as int64 seconds since the Unix epoch (UTC): RFC 3339
 * parsing and printing, and civil-date conversion that does not depend on
 * the process time zone.
 */
#ifndef OV_TIMEUTIL_H
#define OV_TIMEUTIL_H

#include <stdint.h>

#include "err.h"

#define OV_TIME_STR_MAX 32

/*
 * Parse an RFC 3339 date-time with a mandatory offset ("Z" or +hh:mm).
 * Fractional seconds are accepted and truncated. *frac_out (may be NULL)
 * receives 1 when the value had a fractional part.
 */
enum ov_code ov_time_parse(const char *s, int64_t *out, int *frac_out,
    struct ov_err *err);

/* Format t as "YYYY-MM-DDThh:mm:ssZ" into out (OV_TIME_STR_MAX bytes). */
char *ov_time_format(int64_t t, char *out);

/* Seconds since the epoch of a UTC civil time; month 1-12, day 1-31. */
int64_t ov_time_from_civil(int64_t year, int month, int day, int hour,
    int min, int sec);

#endif
