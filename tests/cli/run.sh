#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# CLI golden tests. Each tests/cli/cases/NAME.sh is a shell snippet run
# with the current directory at testdata/ (read-only inputs) and these
# variables set:
#   OCIVET   the built ocivet binary
#   OVTOOL   the built fixture tool
#   SCRATCH  an empty directory the case may write to
#   AT       the fixed verification time, 2026-01-01T00:00:00Z
#   ASUSER   a command prefix that runs as an unprivileged user when the
#            tests run as root (root reads any file, whatever its mode)
# Its exit status, stdout and stderr are compared with NAME.exit (default
# 0), NAME.stdout and NAME.stderr (default empty). OV_UPDATE_GOLDEN=1
# rewrites the expectations instead; review the diff before committing.
# Run some cases: tests/cli/run.sh NAME...
# Cases run in parallel, OV_CLI_JOBS at a time (default: the number of
# processors); reports are printed in case order.
set -u

# One case, run by the parent through xargs: its report goes to
# $SCRATCH/.report, and "ok" to $SCRATCH/.ok when it passed.
if [ "${1:-}" = --case ]; then
	name=$2
	SCRATCH=$OV_CLI_SCRATCH/$name
	mkdir -p "$SCRATCH"
	export SCRATCH
	cases=$OV_CLI_CASES
	(cd "$OV_TESTDATA" && HOME=$SCRATCH/home NOTATION_CONFIG= \
	    XDG_CONFIG_HOME= sh "$cases/$name.sh") \
		>"$SCRATCH/.stdout" 2>"$SCRATCH/.stderr"
	echo $? >"$SCRATCH/.exit"
	if [ "${OV_UPDATE_GOLDEN:-}" = 1 ]; then
		for k in stdout stderr; do
			if [ -s "$SCRATCH/.$k" ]; then
				cp "$SCRATCH/.$k" "$cases/$name.$k"
			else
				rm -f "$cases/$name.$k"
			fi
		done
		if [ "$(cat "$SCRATCH/.exit")" = 0 ]; then
			rm -f "$cases/$name.exit"
		else
			cp "$SCRATCH/.exit" "$cases/$name.exit"
		fi
		: >"$SCRATCH/.ok"
		exit 0
	fi
	ok=1
	want_exit=0
	[ -f "$cases/$name.exit" ] && want_exit=$(cat "$cases/$name.exit")
	{
		if [ "$(cat "$SCRATCH/.exit")" != "$want_exit" ]; then
			echo "FAIL $name: exit $(cat "$SCRATCH/.exit"), want $want_exit"
			ok=0
		fi
		for k in stdout stderr; do
			want=$cases/$name.$k
			[ -f "$want" ] || want=/dev/null
			if ! diff -u "$want" "$SCRATCH/.$k" >"$SCRATCH/.diff"; then
				echo "FAIL $name: $k differs"
				sed 's/^/    /' "$SCRATCH/.diff" | head -40
				ok=0
			fi
		done
	} >"$SCRATCH/.report"
	[ $ok = 1 ] && : >"$SCRATCH/.ok"
	exit 0
fi

: "${OCIVET:?}" "${OV_TESTDATA:?}"
cases=$(cd "$(dirname "$0")/cases" && pwd)
AT=2026-01-01T00:00:00Z
ASUSER=
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || {
		echo "cli: running as root needs setpriv (util-linux)" >&2
		exit 99
	}
	ASUSER="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
export OCIVET AT OVTOOL ASUSER
scratch_root=$(mktemp -d)
# Cases that drop privileges (to test permission errors as root) must be
# able to reach their scratch directory.
chmod 755 "$scratch_root"
trap 'chmod -R u+w "$scratch_root" 2>/dev/null; rm -rf "$scratch_root"' EXIT

if [ $# -gt 0 ]; then
	list=$*
else
	list=$(cd "$cases" && ls *.sh | sed 's/\.sh$//')
fi

# OV_VALGRIND=1: run ocivet under valgrind; any error fails the case.
. "$(dirname "$0")/../testlib.sh"
ov_valgrind_wrap "$scratch_root"

# Offline: where a network namespace can be made (root in CI), every run
# of ocivet is in one with no interfaces (`unshare -n`), so a connection
# attempt could not succeed. Cases that drop privileges ($ASUSER) cannot
# unshare: as another user the wrapper runs ocivet directly.
if unshare -n true 2>/dev/null; then
	mkdir "$scratch_root/.offline"
	cat >"$scratch_root/.offline/ocivet" <<WRAP
#!/bin/sh
[ "\$(id -u)" = "$(id -u)" ] && exec unshare -n -- "$OCIVET" "\$@"
exec "$OCIVET" "\$@"
WRAP
	chmod 755 "$scratch_root/.offline" "$scratch_root/.offline/ocivet"
	OCIVET=$scratch_root/.offline/ocivet
else
	echo "cli: note: unshare -n is not available here; cases run with the host network"
fi

jobs=${OV_CLI_JOBS:-$(nproc 2>/dev/null || echo 2)}
OV_CLI_SCRATCH=$scratch_root OV_CLI_CASES=$cases
export OCIVET OV_CLI_SCRATCH OV_CLI_CASES
# shellcheck disable=SC2086 # list is a word list of case names
printf '%s\n' $list | xargs -P "$jobs" -n 1 sh "$0" --case

pass=0 fail=0
for name in $list; do
	if [ -f "$scratch_root/$name/.report" ]; then
		cat "$scratch_root/$name/.report"
	fi
	if [ -f "$scratch_root/$name/.ok" ]; then
		pass=$((pass + 1))
	else
		[ -s "$scratch_root/$name/.report" ] ||
			echo "FAIL $name: the case did not run"
		fail=$((fail + 1))
	fi
done
echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
