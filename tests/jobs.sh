#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# --jobs does not change the output (issue 9): every CLI golden case
# (tests/cli/cases/*.sh) runs twice, its `ocivet verify` calls given
# --jobs 1 and then --jobs 4, and the two runs must have the same exit
# status, stdout and stderr. The golden files are not consulted: the
# cases only supply the sources, good and bad.
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
cases=$(cd "$(dirname "$0")/cli/cases" && pwd)
AT=2026-01-01T00:00:00Z
ASUSER=
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || { echo "jobs: setpriv needed" >&2; exit 77; }
	ASUSER="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ocivet-jobs.XXXXXX")
[ -n "${OV_JOBS_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# A wrapper per N that puts --jobs N after "verify".
for n in 1 4; do
	cat >"$work/ocivet-j$n" <<WRAP
#!/bin/sh
if [ "\${1:-}" = verify ]; then
	shift
	exec "$OCIVET" verify --jobs $n "\$@"
fi
exec "$OCIVET" "\$@"
WRAP
	chmod 755 "$work/ocivet-j$n"
done

fail=0
count=0
for f in "$cases"/*.sh; do
	name=$(basename "$f" .sh)
	grep -q 'verify' "$f" || continue
	for n in 1 4; do
		s=$work/$name.$n
		mkdir -p "$s/scratch"
		chmod 777 "$s/scratch"
		(cd "$OV_TESTDATA" && HOME=$s/scratch/home NOTATION_CONFIG= \
		    XDG_CONFIG_HOME= OCIVET=$work/ocivet-j$n OVTOOL=${OVTOOL:-} \
		    SCRATCH=$s/scratch AT=$AT ASUSER=$ASUSER sh "$f") \
			>"$s/stdout" 2>"$s/stderr"
		echo $? >"$s/exit"
	done
	count=$((count + 1))
	for k in exit stdout stderr; do
		if ! cmp -s "$work/$name.1/$k" "$work/$name.4/$k"; then
			echo "FAIL $name: $k differs between --jobs 1 and --jobs 4"
			diff -u "$work/$name.1/$k" "$work/$name.4/$k" | head -20
			fail=1
		fi
	done
	[ -n "${OV_JOBS_KEEP:-}" ] || rm -rf "$work/$name.1" "$work/$name.4"
done
echo "jobs: $count cases compared"
[ "$count" -gt 100 ] || { echo "jobs: too few cases ran" >&2; exit 1; }
exit $fail
