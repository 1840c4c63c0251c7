#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# ocivet sign's offline two-step timestamps (issue 13 item 4), end to end
# with the built binary, the test TSA of testdata/sign (gen.sh there) and
# `openssl ts -reply` as the TSA:
#   - round trips, JWS and COSE, layout and detached bundle: request,
#     reply, finish, then verify with a trust policy that verifies
#     timestamps, also after the signing certificate expired
#   - refusals before anything is written, each with its reason: a
#     response with another nonce, another imprint, a status other than
#     granted, a TSA certificate without the timeStamping EKU; a state
#     used for another image; a tampered state
#
#   OCIVET=src/ocivet OVTOOL=tests/tools/ovtool OV_TESTDATA=testdata \
#       sh tests/sign-timestamp.sh
set -u

: "${OCIVET:?}" "${OVTOOL:?}" "${OV_TESTDATA:?}"
case $OCIVET in /*) ;; *) OCIVET=$PWD/$OCIVET ;; esac
case $OVTOOL in /*) ;; *) OVTOOL=$PWD/$OVTOOL ;; esac
case $OV_TESTDATA in /*) ;; *) OV_TESTDATA=$PWD/$OV_TESTDATA ;; esac
AT=2026-01-01T00:00:00Z
# the signing certificates of testdata/sign expire 2125-01-01
LATER=2130-01-01T00:00:00Z
K=$OV_TESTDATA/sign
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# A fresh layout DIR with one image tagged v1.
mklayout() {
	echo "layer of $1" >"$work/layer"
	"$OVTOOL" init "$1" >/dev/null &&
	    "$OVTOOL" image "$1" --tag v1 --layer "$work/layer" | cut -d' ' -f2
}

# The test TSA (openssl ts -reply; genTime is the clock's, inside every
# certificate's fixed validity).
cat >"$work/ts.cnf" <<'CNF'
[tsa_config]
serial = ./tsaserial
crypto_device = builtin
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
signer_digest = sha256
CNF
echo 01 >"$work/tsaserial"
# reply QUERY OUT: the TSA's response
reply() {
	(cd "$work" && openssl ts -reply -config ts.cnf -section tsa_config \
	    -queryfile "$1" -signer "$K/tsa.crt" -inkey "$K/tsa.key" \
	    -chain "$K/tsa.crt" -out "$2" 2>/dev/null)
}

# a trust configuration trusting the signers and the TSA root, verifying
# timestamps always
conf=$work/conf
cp -R "$K/config" "$conf"
mkdir -p "$conf/truststore/x509/tsa/tsa"
cp "$K/tsa-root.crt" "$conf/truststore/x509/tsa/tsa/"
cat >"$conf/trustpolicy.oci.json" <<'JSON'
{
    "version": "1.0",
    "trustPolicies": [
        {
            "name": "timestamped",
            "registryScopes": [ "*" ],
            "signatureVerification": { "level": "strict", "verifyTimestamp": "always" },
            "trustStores": [ "ca:sign", "tsa:tsa" ],
            "trustedIdentities": [ "*" ]
        }
    ]
}
JSON

verify() {
	"$OCIVET" verify --config "$conf" "$@" >"$work/out" 2>&1
}

# request KEY LAYOUT-SPEC TSQ [options]: the first step
request() {
	key=$1 spec=$2 tsq=$3
	shift 3
	"$OCIVET" sign --key "$K/$key.key" --cert "$K/$key.crt" --at "$AT" \
	    --timestamp-request "$tsq" "$@" "$spec" >"$work/out" 2>&1
}

# --- round trips ------------------------------------------------------------
for c in "ec256 jws" "rsa2048 cose"; do
	set -- $c
	key=$1 fmt=$2
	l=$work/rt-$fmt
	mklayout "$l" >/dev/null
	cp "$l/index.json" "$work/index.before"
	request $key "$l:v1" "$work/$fmt.tsq" --signature-format $fmt ||
	    fail "$fmt request: $(cat "$work/out")"
	[ -s "$work/$fmt.tsq" ] && [ -s "$work/$fmt.tsq.state" ] ||
	    fail "$fmt: no request or state written"
	cmp -s "$l/index.json" "$work/index.before" ||
	    fail "$fmt: the request step changed the layout"
	openssl ts -query -in "$work/$fmt.tsq" -text >"$work/q.txt" 2>&1 ||
	    fail "$fmt: openssl does not read the request"
	grep -q "Certificate required: yes" "$work/q.txt" &&
	    grep -q "Nonce: 0x" "$work/q.txt" ||
	    fail "$fmt: request without certReq or nonce: $(cat "$work/q.txt")"
	reply "$work/$fmt.tsq" "$work/$fmt.tsr" || fail "$fmt: the TSA refused"
	"$OCIVET" sign --timestamp-response "$work/$fmt.tsr" \
	    --timestamp-state "$work/$fmt.tsq.state" \
	    --tsa-root "$K/tsa-root.crt" "$l" >"$work/out" 2>&1 ||
	    fail "$fmt finish: $(cat "$work/out")"
	grep -q "signed, signature manifest sha256:.*, timestamp .* by CN=tsa" \
	    "$work/out" || fail "$fmt finish said: $(cat "$work/out")"
	verify --at "$AT" "$l:v1" || fail "$fmt verify: $(cat "$work/out")"
	# the signing certificate has expired; the timestamp carries it
	verify -v --at "$LATER" "$l:v1" ||
	    fail "$fmt verify after expiry: $(cat "$work/out")"
	grep -q "authenticTimestamp  passed" "$work/out" ||
	    fail "$fmt: timestamp not verified: $(cat "$work/out")"
	"$OCIVET" verify --config "$K/config" --at "$LATER" "$l:v1" \
	    >/dev/null 2>&1 && fail "$fmt: verified after expiry without timestamp verification"
done

# without --tsa-root the token is checked against its own certificates;
# the state default name and a detached bundle for an archive
l=$work/arch
mklayout "$l" >/dev/null
"$OVTOOL" pack "$l" "$work/arch.tar"
sum=$(sha256sum <"$work/arch.tar")
request ec384 "$work/arch.tar:v1" "$work/arch.tsq" ||
    fail "archive request: $(cat "$work/out")"
reply "$work/arch.tsq" "$work/arch.tsr" || fail "archive: the TSA refused"
"$OCIVET" sign --timestamp-response "$work/arch.tsr" \
    --timestamp-state "$work/arch.tsq.state" \
    --signatures-out "$work/arch.sigs.tar" "$work/arch.tar:v1" \
    >"$work/out" 2>&1 || fail "archive finish: $(cat "$work/out")"
[ "$(sha256sum <"$work/arch.tar")" = "$sum" ] || fail "the archive was rewritten"
verify --at "$LATER" --signatures "$work/arch.sigs.tar" "$work/arch.tar:v1" ||
    fail "archive verify: $(cat "$work/out")"

# --- refusals ------------------------------------------------------------
l=$work/ref
mklayout "$l" >/dev/null
request ec256 "$l:v1" "$work/r.tsq" --timestamp-state "$work/r.state" ||
    fail "request: $(cat "$work/out")"
[ -e "$work/r.tsq.state" ] && fail "--timestamp-state ignored"
cp -R "$l" "$work/ref.before"
# refuse RESPONSE WANT: finishing fails saying WANT, and writes nothing
refuse() {
	"$OCIVET" sign --timestamp-response "$1" --timestamp-state "$work/r.state" \
	    "$l:v1" >"$work/out" 2>&1
	rc=$?
	[ $rc = 2 ] || fail "$1: exit $rc, want 2: $(cat "$work/out")"
	grep -q "$2" "$work/out" || fail "$1: want \"$2\": $(cat "$work/out")"
	grep -q "nothing written" "$work/out" || fail "$1: $(cat "$work/out")"
	diff -r "$l" "$work/ref.before" >/dev/null || fail "$1: the layout changed"
}
# the imprint of the request, and a request for it with another nonce
imprint=$(openssl asn1parse -inform DER -in "$work/r.tsq" |
    sed -n 's/.*OCTET STRING *\[HEX DUMP\]://p')
openssl ts -query -digest "$imprint" -sha256 -cert -out "$work/nonce.tsq" 2>/dev/null
reply "$work/nonce.tsq" "$work/nonce.tsr"
refuse "$work/nonce.tsr" "the nonce is not the request's"
# a timestamp of another message
echo other >"$work/other"
openssl ts -query -data "$work/other" -sha256 -cert -out "$work/imprint.tsq" 2>/dev/null
reply "$work/imprint.tsq" "$work/imprint.tsr"
refuse "$work/imprint.tsr" "message imprint is not the SHA256 of this signature"
# status rejection (badAlg: the TSA takes no SHA-1)
openssl ts -query -digest "$(printf '%040d' 0)" -sha1 -cert -out "$work/sha1.tsq" 2>/dev/null
reply "$work/sha1.tsq" "$work/rejected.tsr"
refuse "$work/rejected.tsr" "did not grant the request: status 2 (rejection)"
# a TSA certificate without the timeStamping EKU (openssl ts refuses to
# sign with it: the granted TSTInfo re-signed with openssl cms, wrapped
# in a TimeStampResp with status granted)
reply "$work/r.tsq" "$work/good.tsr"
openssl ts -reply -in "$work/good.tsr" -token_out -out "$work/good.tok" 2>/dev/null
openssl cms -verify -noverify -inform DER -in "$work/good.tok" \
    -out "$work/tstinfo.der" 2>/dev/null
openssl cms -sign -binary -nodetach -cades -nosmimecap -md sha256 \
    -econtent_type 1.2.840.113549.1.9.16.1.4 -in "$work/tstinfo.der" \
    -signer "$K/tsa-noeku.crt" -inkey "$K/tsa-noeku.key" -outform DER \
    -out "$work/noeku.tok" 2>/dev/null || fail "openssl cms -sign"
# TimeStampResp ::= SEQUENCE { SEQUENCE { INTEGER 0 }, token }
n=$(($(wc -c <"$work/noeku.tok") + 5))
{
	printf '\060\202'
	printf "\\$(printf %o $((n / 256)))\\$(printf %o $((n % 256)))"
	printf '\060\003\002\001\000'
	cat "$work/noeku.tok"
} >"$work/noeku.tsr"
refuse "$work/noeku.tsr" "must have and only have ExtKeyUsageTimeStamping"
# a TSA the root does not vouch for
"$OCIVET" sign --timestamp-response "$work/good.tsr" --timestamp-state "$work/r.state" \
    --tsa-root "$K/ec256.crt" "$l:v1" >"$work/out" 2>&1 &&
    fail "a response from an untrusted TSA was embedded"
diff -r "$l" "$work/ref.before" >/dev/null || fail "untrusted TSA: the layout changed"

# the state is bound to its image: another image, or the tag moved
echo moved >"$work/layer2"
"$OVTOOL" image "$l" --tag v2 --layer "$work/layer2" >/dev/null
"$OCIVET" sign --timestamp-response "$work/good.tsr" --timestamp-state "$work/r.state" \
    "$l:v2" >"$work/out" 2>&1 && fail "a state was applied to another image"
grep -q "the timestamp state is for sha256:" "$work/out" ||
    fail "another image: $(cat "$work/out")"
# a tampered state: the envelope no longer signs the target it names
sed 's/"digest":[^,]*/"digest": "sha256:'"$(printf '%064d' 0)"'"/' \
    "$work/r.state" >"$work/bad.state"
"$OCIVET" sign --timestamp-response "$work/good.tsr" --timestamp-state "$work/bad.state" \
    "$l" >"$work/out" 2>&1 && fail "a tampered state was used"
grep -q "the envelope signs sha256:.*, not the target" "$work/out" ||
    fail "tampered state: $(cat "$work/out")"
# and the good response does finish it
"$OCIVET" sign --timestamp-response "$work/good.tsr" --timestamp-state "$work/r.state" \
    "$l:v1" >"$work/out" 2>&1 || fail "finish after refusals: $(cat "$work/out")"
verify --at "$LATER" "$l:v1" || fail "verify after refusals: $(cat "$work/out")"

# options that belong to the other step
l=$work/opt
mklayout "$l" >/dev/null
request ec256 "$l:v1" "$work/o.tsq" --signing-scheme notary.x509.signingAuthority &&
    fail "a timestamp request for the signingAuthority scheme"
request ec256 "$l:v1" "$work/o.tsq" --signatures-out "$work/o.sigs" &&
    fail "--signatures-out with the request step"
"$OCIVET" sign --timestamp-response "$work/good.tsr" "$l" >/dev/null 2>&1 &&
    fail "--timestamp-response without --timestamp-state"
"$OCIVET" sign --key "$K/ec256.key" --cert "$K/ec256.crt" \
    --timestamp-response "$work/good.tsr" --timestamp-state "$work/r.state" \
    "$l" >/dev/null 2>&1 && fail "--key with --timestamp-response"
# a request covers one signature
"$OVTOOL" image "$l" --tag v2 --layer "$work/layer2" >/dev/null
request ec256 "$l" "$work/o.tsq" && fail "a request for two images"
grep -q "a timestamp request covers one signature" "$work/out" ||
    fail "two images: $(cat "$work/out")"

[ $fails = 0 ] || exit 1
echo "sign-timestamp.sh: ok"
