# SPDX-License-Identifier: Apache-2.0
#
# Shell helpers shared by the test scripts (sourced, not run).

# With OV_VALGRIND=1, write DIR/ocivet, a wrapper that runs $OCIVET under
# valgrind (any error or definite leak exits 99), and point OCIVET at it.
ov_valgrind_wrap() {
	[ "${OV_VALGRIND:-}" = 1 ] || return 0
	cat >"$1/ocivet" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite,indirect "$OCIVET" "\$@"
WRAP
	chmod +x "$1/ocivet"
	OCIVET=$1/ocivet
}
