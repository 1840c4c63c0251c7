#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Offline and read-only, proven on the built binary:
#  a. system calls: strace -f over representative ocivet runs (layout
#     directories, archives, docker save with a bundle, --crl, --crl-cache,
#     --ocsp-response, --deep, timestamps, failures, crl urls and show,
#     bundle export) shows no networking system call at all, and no file
#     opened for writing, created, truncated, renamed, linked, removed or
#     chmod'ed (bundle export writes its output: only the network part
#     applies to it);
#  b. linking: ldd lists no networking or TLS library, and the binary
#     imports no socket or resolver function;
#  c. source: no call of a socket or resolver function, or of libcurl,
#     in src/.
# Without strace (or where ptrace is not allowed), b and c still run and
# the test is skipped (77) with a note.
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
src=${OV_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
AT=2026-01-01T00:00:00Z
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail=0

# --------------------------------------------------------------------------
# c. Source.
# --------------------------------------------------------------------------
netcalls='socket|socketpair|connect|bind|listen|accept|accept4|getaddrinfo|gethostbyname|gethostbyname2|gethostbyaddr|getnameinfo|res_query|res_search|sendto|sendmsg|recvfrom|recvmsg'
if grep -nE "(^|[^A-Za-z0-9_.>])($netcalls)[[:space:]]*\\(|curl_" \
    "$src"/src/*.[ch]; then
	echo "offline: src/ calls a networking function (see above)"
	fail=1
fi

# --------------------------------------------------------------------------
# b. Linking.
# --------------------------------------------------------------------------
netlibs='lib(ssl|curl|ldap|lber|gnutls|resolv|nss|systemd|sasl2|gssapi|krb5|nghttp|ssh|rtmp|cares|dbus|soup|microhttpd|zmq)'
if command -v ldd >/dev/null 2>&1; then
	if ! ldd "$OCIVET" >"$scratch/ldd" 2>&1; then
		echo "offline: ldd $OCIVET failed:"
		cat "$scratch/ldd"
		fail=1
	elif grep -E "(^|[[:space:]/])${netlibs}[.-]" "$scratch/ldd"; then
		echo "offline: $OCIVET links a networking library (see above)"
		fail=1
	fi
else
	echo "offline: note: ldd not found, link check skipped"
fi
if command -v nm >/dev/null 2>&1; then
	if nm -D --undefined-only "$OCIVET" 2>/dev/null |
	    awk '{ print $NF }' | sed 's/@.*//' |
	    grep -xE "$netcalls|getaddrinfo_a|curl_.*"; then
		echo "offline: $OCIVET imports a networking function (see above)"
		fail=1
	fi
fi

# --------------------------------------------------------------------------
# a. System calls.
# --------------------------------------------------------------------------
tracing=1
if ! command -v strace >/dev/null 2>&1; then
	echo "offline: note: strace not found (apt-get install strace): system calls not traced"
	tracing=0
elif ! strace -f -qq -o /dev/null true >/dev/null 2>&1; then
	echo "offline: note: strace cannot trace here (ptrace not allowed): system calls not traced"
	tracing=0
fi

# Every networking call, and every call that could change a file. The
# "?" ones do not exist on every architecture.
calls='%network,?open,openat,?openat2,?creat,?rename,renameat,?renameat2,?unlink,unlinkat,?rmdir,?mkdir,mkdirat,?mknod,mknodat,truncate,ftruncate,?chmod,fchmod,fchmodat,?fchmodat2,?chown,fchown,fchownat,?lchown,?link,linkat,?symlink,symlinkat,?utimes,utimensat'
# LeakSanitizer cannot run under ptrace; sanitizer builds trace without it.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS

# trace NAME WANT-EXIT MODE ARGS...: run ocivet ARGS under strace from
# testdata/; MODE is ro (no network, no writes) or net (no network)
n=0
trace() {
	t_name=$1 t_want=$2 t_mode=$3
	shift 3
	n=$((n + 1))
	log=$scratch/$t_name.log
	(cd "$OV_TESTDATA" && HOME=$scratch/home NOTATION_CONFIG='' XDG_CONFIG_HOME='' \
	    strace -f -qq -o "$log" -e trace="$calls" "$OCIVET" "$@") \
		>"$scratch/$t_name.out" 2>&1
	t_got=$?
	if [ "$t_got" != "$t_want" ]; then
		echo "offline: $t_name: exit $t_got, want $t_want: ocivet $*"
		head -5 "$scratch/$t_name.out" | sed 's/^/    /'
		fail=1
	fi
	# "PID name(args) = ret"; signal and exit lines start with --- / +++
	awk '$2 !~ /^(---|\+\+\+)/ { sub(/\(.*/, "", $2); print $2 }' "$log" |
		sort -u >"$scratch/$t_name.calls"
	if grep -vxE 'open|openat|openat2' "$scratch/$t_name.calls" |
	    grep -xE 'socket|socketpair|connect|bind|listen|accept4?|send(to|msg|mmsg)?|recv(from|msg|mmsg)?|shutdown|get(sock|peer)name|[gs]etsockopt' \
	    >"$scratch/$t_name.net"; then
		echo "offline: $t_name: networking system calls: $(tr '\n' ' ' <"$scratch/$t_name.net")"
		grep -E "^[0-9]+ +($(paste -sd'|' "$scratch/$t_name.net"))\\(" "$log" |
			head -5 | sed 's/^/    /'
		fail=1
	fi
	[ "$t_mode" = ro ] || return 0
	if grep -E '^[0-9]+ +(open|openat|openat2)\(' "$log" |
	    grep -E 'O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_TMPFILE' >"$scratch/$t_name.w"; then
		echo "offline: $t_name: files opened for writing:"
		head -5 "$scratch/$t_name.w" | sed 's/^/    /'
		fail=1
	fi
	if grep -E '^[0-9]+ +(creat|rename|renameat2?|unlink|unlinkat|rmdir|mkdir|mkdirat|mknod|mknodat|truncate|ftruncate|chmod|fchmod|fchmodat2?|chown|fchown|fchownat|lchown|link|linkat|symlink|symlinkat|utimes|utimensat)\(' \
	    "$log" >"$scratch/$t_name.m"; then
		echo "offline: $t_name: files changed:"
		head -5 "$scratch/$t_name.m" | sed 's/^/    /'
		fail=1
	fi
}

if [ $tracing = 1 ]; then
	V="verify --at $AT --config config/strict"
	# shellcheck disable=SC2086 # $V is a word list
	{
	trace layout-dir 0 ro $V layouts/jws layouts/ec-cose layouts/index
	trace layout-json 0 ro $V -v --format json layouts/cose:v1
	trace tar 0 ro $V archives/layout.tar
	trace tar-gz 0 ro $V archives/layout.tar.gz
	trace tar-zst-deep 0 ro $V --deep archives/layout.tar.zst
	trace dir-deep 0 ro $V --deep layouts/compressed
	trace docker-classic 0 ro $V --signatures docker/registry docker/save-classic.tar
	trace docker-oci-bundle-tar 0 ro $V --signatures docker/registry.tar --deep docker/save-oci.tar
	trace crl-files 0 ro $V --crl crl/good layouts/crl:v1 layouts/crl-sa:v1
	trace crl-cache 0 ro $V --crl-cache crl/cache layouts/crl:v1
	trace ocsp 0 ro $V --ocsp-response revocation/ocsp layouts/jws:v1
	trace timestamp 0 ro verify --at $AT --config config/tsa layouts/ts-jws:v1 layouts/ts-cose:v1
	trace policy-store 0 ro verify --at $AT --policy config/strict/trustpolicy.oci.json \
		--trust-store config/strict/truststore layouts/jws:v1
	# failures: a tampered layer, a bomb, a certificate that names a CRL
	# URL and a header that names a URL (x5u): nothing is fetched
	trace tampered 1 ro $V layouts/tampered-layer:v1 archives/layout-tampered.tar.gz
	trace bomb 1 ro $V archives/bomb.tar.gz
	trace crl-url-unfetched 1 ro $V layouts/crl:v1
	trace x5u-unfetched 1 ro $V adversarial/layouts/jws-jwk-x5u:v1
	trace crl-urls 0 ro crl urls -v layouts/crl layouts/crl-sa docker/registry.tar
	trace crl-urls-cert 0 ro crl urls --cert keys/crl-signer.chain.pem
	trace crl-show 0 ro crl show crl/good/root.crl crl/good/inter.crl crl/inter-revokes-leaf.crl
	trace help 0 ro help verify
	# bundle export writes its output: only the network rule applies
	trace bundle-dir 0 net bundle export -o "$scratch/bundle" layouts/jws layouts/index
	trace bundle-tar 0 net bundle export -o "$scratch/bundle.tar" docker/registry
	}
fi

if [ $fail != 0 ]; then
	echo "offline: FAILED"
	exit 1
fi
if [ $tracing = 0 ]; then
	echo "offline: source and link checks passed; skipped: no strace"
	exit 77
fi
echo "offline: $n traced runs: no network, no writes outside bundle export; source and link checks passed"
