#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Bulk verification (issue 11): --recursive over a mirror-like tree with
# layouts, archives, a docker save with its bundle, an unreadable file, a
# non-layout directory and symbolic links; every result present, none
# twice, the same report for --jobs 1 and --jobs 4; registry names in
# the lists; SOURCE "-"; -o written whole; --shard N partitions the
# images exactly for N in 1..5 and `ocivet report merge` of the shards
# is the unsharded report.
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
command -v python3 >/dev/null 2>&1 || { echo "bulk: python3 needed" >&2; exit 77; }
AT=2026-01-01T00:00:00Z
ASUSER=
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || { echo "bulk: setpriv needed" >&2; exit 77; }
	ASUSER="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ocivet-bulk.XXXXXX")
[ -n "${OV_BULK_KEEP:-}" ] || trap 'chmod -R u+rwX "$work"; rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir "$work/out"
chmod 777 "$work/out" # ocivet may run as nobody and write reports here
fail=0
bad() { echo "FAIL $*"; fail=1; }

td=$OV_TESTDATA
m=$work/mirror
mkdir -p "$m/a" "$m/b/nested/deeper" "$m/docs" "$m/empty" "$m/z"
cp -R "$td/layouts/jws" "$m/a/jws"
cp -R "$td/layouts/named" "$m/a/named"
cp -R "$td/layouts/tampered-layer" "$m/a/tampered"
cp -R "$td/layouts/multi" "$m/b/nested/deeper/multi"
# a layout as `oras copy --to-oci-layout` or skopeo writes it for a full
# reference: org.opencontainers.image.ref.name holds registry/repo:tag
cp -R "$td/layouts/jws" "$m/z/pause"
sed 's|"org.opencontainers.image.ref.name":[^"]*"v1"|"org.opencontainers.image.ref.name": "mcr.microsoft.com/oss/kubernetes/pause:3.9"|' \
	"$td/layouts/jws/index.json" >"$m/z/pause/index.json"
grep -q pause:3.9 "$m/z/pause/index.json" || bad "could not name the layout"
cp "$td/archives/layout.tar.gz" "$m/b/layout.tar.gz"
cp "$td/archives/layout.tar.zst" "$m/b/nested/layout.tar.zst"
cp "$td/docker/save-classic.tar" "$m/b/save.tar"
echo "not an image" >"$m/docs/README.md"
cp "$td/archives/layout.tar" "$m/docs/unreadable.tar"
chmod 000 "$m/docs/unreadable.tar"
# links are not followed: out of the tree, and to a layout inside it
ln -s "$td/layouts" "$m/outside"
ln -s a/jws "$m/alias"
ln -s "$td/archives/layout.tar" "$m/b/link.tar"
# a layout's blobs/ is never searched, even when it holds archives
cp "$td/archives/layout.tar" "$m/a/jws/blobs/stray.tar"
chmod -R go+rX "$m"
chmod 000 "$m/docs/unreadable.tar"

run() {
	$ASUSER "$OCIVET" verify --at "$AT" --config "$td/config/strict" \
		--signatures "$td/docker/registry" "$@"
}

# -- every input, once, in a stable order; --jobs does not matter
run --jobs 1 --recursive "$m" --format json >"$work/j1.json" 2>"$work/j1.err"
echo $? >"$work/j1.exit"
run --jobs 4 --recursive "$m" --format json >"$work/j4.json" 2>"$work/j4.err"
echo $? >"$work/j4.exit"
for k in json err exit; do
	cmp -s "$work/j1.$k" "$work/j4.$k" ||
		bad "--recursive: $k differs between --jobs 1 and --jobs 4"
done
[ "$(cat "$work/j1.exit")" = 2 ] || bad "--recursive: exit $(cat "$work/j1.exit"), want 2 (an unreadable file)"
run --jobs 1 --recursive "$m" >"$work/t1.txt" 2>&1
run --jobs 4 --recursive "$m" >"$work/t4.txt" 2>&1
cmp -s "$work/t1.txt" "$work/t4.txt" || bad "--recursive: text differs between --jobs 1 and --jobs 4"
grep -q "symbolic links not followed" "$work/j1.err" || bad "--recursive: no warning about the links"
python3 - "$work/j1.json" "$m" <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
m = sys.argv[2]
got = [(x["source"], x["reference"], x["verified"]) for x in r["results"]]
want_sources = [
    m + "/a/jws", m + "/a/named", m + "/a/tampered",
    m + "/b/layout.tar.gz", m + "/b/save.tar",
    m + "/b/nested/layout.tar.zst", m + "/b/nested/deeper/multi",
    m + "/docs/unreadable.tar", m + "/z/pause",
]
sources = []
for s, _, _ in got:
    if s not in sources:
        sources.append(s)
ok = True
if sources != want_sources:
    print("FAIL --recursive: inputs\n  got  %s\n  want %s" % (sources, want_sources))
    ok = False
verdict = {x["reference"]: x["verified"] for x in r["results"]}
def want(ref, v):
    global ok
    if verdict.get(ref) is not v:
        print("FAIL --recursive: %s verified=%s, want %s" % (ref, verdict.get(ref), v))
        ok = False
want(m + "/a/jws:v1", True)
want(m + "/a/tampered:v1", False)
want(m + "/b/layout.tar.gz:v1", True)
want(m + "/docs/unreadable.tar", False)
if len(got) != len(set((s, ref) for s, ref, _ in got)):
    print("FAIL --recursive: a result twice")
    ok = False
# names operators know, in the lists
if "mcr.microsoft.com/oss/kubernetes/pause:3.9" not in r["passed_signed_images"]:
    print("FAIL names: pause:3.9 not in passed_signed_images: %s" % r["passed_signed_images"])
    ok = False
if "registry.example/app:v1" not in r["passed_signed_images"]:
    print("FAIL names: io.containerd.image.name not used")
    ok = False
if r["failed_signed_images"] != sorted(r["failed_signed_images"]):
    print("FAIL names: failed_signed_images not sorted")
    ok = False
if r["summary"]["images"] != len(r["results"]) or r["summary"]["inputs"] != 9:
    print("FAIL summary: %s" % r["summary"])
    ok = False
sys.exit(0 if ok else 1)
PY
tail -n 1 "$work/t1.txt" | grep -Eq '^[0-9]+ verified, [0-9]+ failed \(1 could not be checked\), [0-9]+ skipped$' ||
	bad "text: no summary line: $(tail -n 1 "$work/t1.txt")"

# -- JSONL: a line per image, then the summary; the same results
run --jobs 4 --recursive "$m" --format jsonl -o "$work/out/r.jsonl" 2>/dev/null
[ $? = 2 ] || bad "jsonl: exit status"
python3 - "$work/out/r.jsonl" "$work/j1.json" <<'PY' || fail=1
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
full = json.load(open(sys.argv[2]))
res = [l for l in lines if l["type"] == "result"]
ok = lines[-1]["type"] == "summary" and sum(l["type"] == "summary" for l in lines) == 1
key = lambda x: (x["input"], x["ordinal"])
strip = lambda x: {k: v for k, v in x.items() if k not in ("type", "verified_at")}
if sorted(map(strip, res), key=key) != full["results"]:
    print("FAIL jsonl: results differ from the JSON report")
    ok = False
for k in ("summary", "passed_signed_images", "failed_signed_images", "skipped_images"):
    if lines[-1][k] != full[k]:
        print("FAIL jsonl: %s differs" % k)
        ok = False
sys.exit(0 if ok else 1)
PY
ls -a "$work/out" | grep -q '^\.r\.jsonl\.' && bad "-o: temporary file left behind"

# -- JUnit: well-formed, one testcase per image, the counts
run --recursive "$m" --format junit -o "$work/out/r.xml" 2>/dev/null
if command -v xmllint >/dev/null 2>&1; then
	xmllint --noout "$work/out/r.xml" || bad "junit: not well-formed"
fi
python3 - "$work/out/r.xml" "$work/j1.json" <<'PY' || fail=1
import json, sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot()
full = json.load(open(sys.argv[2]))
s = full["summary"]
suite = t.find("testsuite")
cases = suite.findall("testcase")
ok = len(cases) == s["images"] == int(t.get("tests"))
ok &= int(t.get("failures")) == s["failed"] == len([c for c in cases if c.find("failure") is not None])
ok &= int(t.get("errors")) == s["errors"] == len([c for c in cases if c.find("error") is not None])
ok &= int(t.get("skipped")) == s["skipped"]
if not ok:
    print("FAIL junit: counts %s vs %s" % (t.attrib, s))
sys.exit(0 if ok else 1)
PY

# -- --shard I/N partitions the images; merge equals the unsharded run
for n in 1 2 3 4 5; do
	i=0
	files=
	while [ $i -lt $n ]; do
		run --recursive "$m" --shard $i/$n --format jsonl \
			-o "$work/out/shard-$n-$i.jsonl" 2>/dev/null
		files="$files $work/out/shard-$n-$i.jsonl"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	"$OCIVET" report merge --format json $files >"$work/merged-$n.json"
	st=$?
	[ $st = 2 ] || bad "merge of $n shards: exit $st, want 2"
	python3 - "$work/merged-$n.json" "$work/j1.json" $files <<'PY' || fail=1
import json, sys
merged = json.load(open(sys.argv[1]))
full = json.load(open(sys.argv[2]))
seen = []
for f in sys.argv[3:]:
    for l in open(f):
        l = json.loads(l)
        if l["type"] == "result":
            seen.append((l["input"], l["ordinal"], l["reference"]))
ok = True
if len(seen) != len(set(seen)) or len(seen) != len(full["results"]):
    print("FAIL shard %d: %d results for %d images" % (len(sys.argv) - 3, len(seen), len(full["results"])))
    ok = False
drop = lambda d: {k: v for k, v in d.items() if k not in ("verified_at", "ocivet_version", "shard")}
if drop(merged) != drop(full):
    for k in full:
        if merged.get(k) != full[k]:
            print("FAIL merge of %d shards: %s differs" % (len(sys.argv) - 3, k))
    ok = False
sys.exit(0 if ok else 1)
PY
done
# a missing shard, or shards of different runs, cannot merge
"$OCIVET" report merge "$work/out/shard-3-0.jsonl" "$work/out/shard-3-2.jsonl" >/dev/null 2>"$work/merge.err"
[ $? = 2 ] && grep -q "shard 1 of 3" "$work/merge.err" || bad "merge: a missing shard was not refused"
"$OCIVET" report merge "$work/out/shard-2-0.jsonl" "$work/out/shard-3-1.jsonl" >/dev/null 2>&1
[ $? = 2 ] || bad "merge: shards of different counts were not refused"

# -- SOURCE "-" among others, and a failing input does not stop the rest
cat "$td/archives/layout.tar.zst" | $ASUSER "$OCIVET" verify --at "$AT" \
	--config "$td/config/strict" --jobs 4 "$m/a/jws" - "$m/no-such" \
	"$m/b/layout.tar.gz" >"$work/stdin.txt" 2>/dev/null
[ $? = 2 ] || bad "stdin among others: exit status"
[ "$(grep -c '^VERIFIED' "$work/stdin.txt")" = 3 ] || bad "stdin among others: $(cat "$work/stdin.txt")"

exit $fail
