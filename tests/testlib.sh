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

# ov_containerd_start DIR: start a private containerd whose root, state,
# socket and log are under DIR (no CRI, no network where a network
# namespace can be made), and wait up to 10 s for it to answer. Sets
# OV_CTR ("ctr --address DIR/sock") and OV_CTD_PID. Returns 1 when it
# does not answer (DIR/log says why). ov_containerd_stop stops it; call
# it from the script's exit trap too (it does nothing when none runs).
ov_containerd_start() {
	mkdir -p "$1/root" "$1/state" || return 1
	cat >"$1/config.toml" <<TOML
version = 2
root = "$1/root"
state = "$1/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$1/sock"
[ttrpc]
  address = "$1/sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
TOML
	if unshare -n true 2>/dev/null; then
		unshare -n containerd --config "$1/config.toml" >"$1/log" 2>&1 &
	else
		containerd --config "$1/config.toml" >"$1/log" 2>&1 &
	fi
	OV_CTD_PID=$!
	OV_CTR="ctr --address $1/sock"
	_i=0
	while [ $_i -lt 50 ] && ! $OV_CTR version >/dev/null 2>&1; do
		sleep 0.2
		_i=$((_i + 1))
	done
	$OV_CTR version >/dev/null 2>&1
}

ov_containerd_stop() {
	[ -n "${OV_CTD_PID:-}" ] || return 0
	kill "$OV_CTD_PID" 2>/dev/null
	wait "$OV_CTD_PID" 2>/dev/null
	OV_CTD_PID=
}
