#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The JSON Schema of the verify report and of its JSON Lines
# (schema/report.schema.json) against real output: every fixture layout,
# archive and docker save, verified as a JSON report, as JSONL (each
# line), sharded and merged back. A member added to the report without
# the schema fails here (the schema allows no other members).
# Needs python3-jsonschema (skipped without it).
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
src=$(cd "$(dirname "$0")/.." && pwd)
python3 -c 'import jsonschema' 2>/dev/null ||
	{ echo "report-schema: python3-jsonschema needed" >&2; exit 77; }
AT=2026-01-01T00:00:00Z
work=$(mktemp -d "${TMPDIR:-/tmp}/ocivet-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT
td=$OV_TESTDATA

v() {
	"$OCIVET" verify --at "$AT" --config "$td/config/strict" \
		--signatures "$td/docker/registry" --recursive "$td/layouts" \
		--recursive "$td/archives" "$td/docker/save-classic.tar" \
		"$td/docker/save-oci.tar" "$@" 2>/dev/null
	[ $? -le 2 ] || echo "report-schema: verify $* crashed" >&2
}
v --format json >"$work/report.json"
v --format jsonl >"$work/report.jsonl"
v --format jsonl --shard 0/2 >"$work/s0.jsonl"
v --format jsonl --shard 1/2 >"$work/s1.jsonl"
"$OCIVET" report merge "$work/s0.jsonl" "$work/s1.jsonl" >"$work/merged.json"
"$OCIVET" report merge --format jsonl "$work/s0.jsonl" "$work/s1.jsonl" \
	>"$work/merged.jsonl"
# a docker save without its bundle, a policy that skips, -v: other shapes
"$OCIVET" verify --at "$AT" --config "$td/config/skip" --format json \
	"$td/layouts/jws" >"$work/skip.json" 2>/dev/null

python3 - "$src/schema/report.schema.json" "$work" <<'PY'
import json, os, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
val = jsonschema.Draft202012Validator(schema)
w = sys.argv[2]
fail = 0
docs = 0
def check(doc, what):
    global fail, docs
    docs += 1
    errs = sorted(val.iter_errors(doc), key=lambda e: e.path)
    if errs:
        fail = 1
        print("FAIL %s: %s at %s" % (what, errs[0].message[:300], list(errs[0].absolute_path)))
for f in ("report.json", "merged.json", "skip.json"):
    check(json.load(open(os.path.join(w, f))), f)
for f in ("report.jsonl", "s0.jsonl", "s1.jsonl", "merged.jsonl"):
    lines = open(os.path.join(w, f)).read().splitlines()
    for i, l in enumerate(lines):
        check(json.loads(l), "%s:%d" % (f, i + 1))
r = json.load(open(os.path.join(w, "report.json")))
if len(r["results"]) < 40 or r["summary"]["failed"] == 0 or r["summary"]["verified"] == 0:
    print("FAIL report-schema: too little output to mean anything: %s" % r["summary"])
    fail = 1
# the schema must refuse what it does not describe
bad = dict(r, unknown_member=1)
if val.is_valid(bad):
    print("FAIL report-schema: an unknown member passed")
    fail = 1
print("report-schema: %d documents validated" % docs)
sys.exit(fail)
PY
