#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Cold-start instruction count of `ocivet verify` on a small signed
# layout (testdata/layouts/jws: one image, one JWS signature, strict
# policy), under valgrind --tool=callgrind (issue 9). Instructions, not
# time: the count hardly moves with the machine's load, so a regression
# shows on any machine. Not part of `make check`: `make bench` runs it.
#
#   bench/coldstart.sh [OCIVET]
#
# Prints "instructions N", the share of the dynamic loader, OpenSSL's
# initialisation and certificate decoding, and the OpenSSL floor
# (bench/floor.c: only the OpenSSL calls this verification needs; skipped
# when it does not compile). Exit 0: N is within the
# budget OV_COLD_BUDGET (default below); 1: over it; 2: set-up error;
# 77: valgrind is not installed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
ocivet=${1:-${OCIVET:-$top/src/ocivet}}
# The count measured when the budget was last set (18.18 M, 18.42 M with
# libisal.so to load; bench/README.md), plus 5%. The issue's goal, 5 M, is under the OpenSSL floor
# with OpenSSL 3.0 (bench/README.md, "Cold start").
budget=${OV_COLD_BUDGET:-19100000}

command -v valgrind >/dev/null 2>&1 || { echo "coldstart: valgrind not installed" >&2; exit 77; }
[ -x "$ocivet" ] || { echo "coldstart: $ocivet: not built" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ocivet-cold.XXXXXX")
trap 'rm -rf "$work"' EXIT

cd "$top/testdata"
valgrind --tool=callgrind --callgrind-out-file="$work/cg" \
	"$ocivet" verify --quiet --at 2026-01-01T00:00:00Z \
	--config config/strict layouts/jws >"$work/out" 2>"$work/err" || {
	echo "coldstart: ocivet verify failed:" >&2
	cat "$work/out" "$work/err" >&2
	exit 2
}
total=$(awk '/^summary:/ { print $2 }' "$work/cg")
[ -n "$total" ] || { echo "coldstart: no callgrind summary" >&2; exit 2; }
# inclusive counts of a few functions, for the breakdown
incl() {
	callgrind_annotate --inclusive=yes "$work/cg" 2>/dev/null |
		awk -v f="$1" 'index($0, f) { gsub(",", "", $1); print $1; exit }'
}
echo "instructions $total (budget $budget)"
for f in ':_dl_start ' ':OPENSSL_init_crypto ' ':EVP_MD_fetch ' \
	':d2i_X509 ' ':OSSL_DECODER_CTX_new_for_pkey '; do
	n=$(incl "$f")
	[ -n "$n" ] && printf '  %-32s %10s  %4.1f%%\n' "${f#:}" "$n" \
		"$(awk -v n="$n" -v t="$total" 'BEGIN { print 100 * n / t }')"
done
# shellcheck disable=SC2046
if ${CC:-cc} -O2 -o "$work/floor" "$here/floor.c" \
	$(pkg-config --cflags --libs libcrypto 2>/dev/null || echo -lcrypto) 2>/dev/null &&
	valgrind --tool=callgrind --callgrind-out-file="$work/cgf" \
		"$work/floor" keys/signer.chain.pem >/dev/null 2>&1; then
	floor=$(awk '/^summary:/ { print $2 }' "$work/cgf")
	printf 'OpenSSL floor %s (bench/floor.c): ocivet is %.2fx\n' "$floor" \
		"$(awk -v n="$total" -v f="$floor" 'BEGIN { print n / f }')"
fi
[ "$total" -le "$budget" ] || {
	echo "coldstart: $total instructions, over the budget of $budget" >&2
	exit 1
}
