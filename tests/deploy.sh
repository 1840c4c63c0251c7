#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# deploy/kubernetes/ (issue 11): the manifests parse, and the fields the
# example depends on hold: an Indexed Job whose completions, parallelism
# and SHARDS agree, the shard index from the completion index, the mirror
# mounted read-only, the trust ConfigMap and report volume the pods name
# exist, the merge reads what the shards write, the DaemonSet's selector
# matches its pods. Then the scripts of the pods run here, against a
# small mirror with the ConfigMap's configuration (a test CA in place of
# the placeholder): every shard, then the merge, must give the report of
# one unsharded run. No cluster or kubectl is needed (Debian has no
# kubeconform); needs python3-yaml (skipped without it).
set -u

: "${OCIVET:?}" "${OV_TESTDATA:?}"
src=$(cd "$(dirname "$0")/.." && pwd)
python3 -c 'import yaml' 2>/dev/null ||
	{ echo "deploy: python3-yaml needed" >&2; exit 77; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ocivet-deploy.XXXXXX")
[ -n "${OV_DEPLOY_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/mirror" "$work/reports"
# ocivet as the pods run it, at a fixed time (reports carry the time)
cat >"$work/bin/ocivet" <<WRAP
#!/bin/sh
if [ "\${1:-}" = verify ]; then
	shift
	exec "$OCIVET" verify --at 2026-01-01T00:00:00Z "\$@"
fi
exec "$OCIVET" "\$@"
WRAP
chmod 755 "$work/bin/ocivet"
cp -R "$OV_TESTDATA/layouts/jws" "$OV_TESTDATA/layouts/multi" \
	"$OV_TESTDATA/layouts/cose" "$OV_TESTDATA/layouts/tampered-layer" \
	"$work/mirror/"
cp "$OV_TESTDATA/archives/layout.tar.gz" "$work/mirror/"

python3 - "$src/deploy/kubernetes" "$work" \
	"$OV_TESTDATA/config/strict/truststore/x509/ca/test/root.crt" <<'PY' || exit 1
import glob, json, os, re, subprocess, sys
import yaml

d, work, root = sys.argv[1], sys.argv[2], sys.argv[3]
fail = []
def check(cond, msg):
    if not cond:
        fail.append(msg)

docs = {}
for f in sorted(glob.glob(os.path.join(d, "*.yaml"))):
    for doc in yaml.safe_load_all(open(f)):
        if doc is None:
            continue
        for k in ("apiVersion", "kind", "metadata"):
            check(k in doc, "%s: no %s" % (f, k))
        docs[(doc["kind"], doc["metadata"]["name"])] = doc
check(len(docs) == 5, "want 5 objects, got %s" % sorted(docs))

cm = docs.get(("ConfigMap", "ocivet-trust"))
pvc = docs.get(("PersistentVolumeClaim", "ocivet-reports"))
job = docs.get(("Job", "ocivet-verify"))
merge = docs.get(("Job", "ocivet-merge"))
ds = docs.get(("DaemonSet", "ocivet-node"))
if None in (cm, pvc, job, merge, ds):
    print("deploy: missing objects: %s" % sorted(docs))
    sys.exit(1)
check(job["apiVersion"] == "batch/v1" and ds["apiVersion"] == "apps/v1", "API versions")
json.loads(cm["data"]["trustpolicy.oci.json"])  # the policy is JSON

def pod(o):
    return o["spec"]["template"]["spec"]
def env(c):
    return {e["name"]: e for e in c.get("env", [])}
def mounts(p, c):
    vols = {v["name"]: v for v in p["volumes"]}
    return {m["mountPath"]: (m, vols[m["name"]]) for m in c["volumeMounts"]}

# the Indexed Job
js = job["spec"]
check(js.get("completionMode") == "Indexed", "job: completionMode is not Indexed")
jp = pod(job)
check(jp["restartPolicy"] == "Never", "job: restartPolicy")
c = jp["containers"][0]
e = env(c)
n = int(e["SHARDS"]["value"])
check(js["completions"] == n and js["parallelism"] == n,
      "job: completions %s, parallelism %s and SHARDS %d disagree" % (js["completions"], js["parallelism"], n))
check(e["SHARD"]["valueFrom"]["fieldRef"]["fieldPath"] ==
      "metadata.annotations['batch.kubernetes.io/job-completion-index']",
      "job: SHARD is not the completion index")
script = c["args"][0]
for want in ('--shard "$SHARD/$SHARDS"', "--recursive /mirror", "--format jsonl",
             '-o "$report"', "--config /etc/notation", "report=/reports/shard-$SHARD.jsonl"):
    check(want in script, "job: the command lacks %s" % want)
m = mounts(jp, c)
check(m["/mirror"][0].get("readOnly") is True and
      m["/mirror"][1]["persistentVolumeClaim"].get("readOnly") is True,
      "job: the mirror is not mounted read-only")
check(m["/etc/notation"][0].get("readOnly") is True, "job: trust not read-only")
check(m["/reports"][1]["persistentVolumeClaim"]["claimName"] == "ocivet-reports",
      "job: reports volume")
check(c["securityContext"].get("readOnlyRootFilesystem") is True, "job: root fs")
for p, cont in ((jp, c), (pod(ds), pod(ds)["containers"][0])):
    cmv = mounts(p, cont)["/etc/notation"][1]["configMap"]
    check(cmv["name"] == "ocivet-trust", "trust ConfigMap name")
    for it in cmv["items"]:
        check(it["key"] in cm["data"], "ConfigMap has no key %s" % it["key"])

# the merge reads what the shards write
mp = pod(merge)
mc = mp["containers"][0]
check(mounts(mp, mc)["/reports"][1]["persistentVolumeClaim"]["claimName"] == "ocivet-reports",
      "merge: reports volume")
check("/reports/shard-*.jsonl" in mc["args"][0] and "report merge" in mc["args"][0],
      "merge: does not merge /reports/shard-*.jsonl")

# the DaemonSet selects its own pods and reads from stdin
sel = ds["spec"]["selector"]["matchLabels"]
lab = ds["spec"]["template"]["metadata"]["labels"]
check(all(lab.get(k) == v for k, v in sel.items()), "daemonset: selector does not match")
check("ctr -n k8s.io images export -" in pod(ds)["containers"][0]["args"][0] and
      " -\n" in pod(ds)["containers"][0]["args"][0], "daemonset: no stream into ocivet -")

# run the pods' scripts here: the ConfigMap as /etc/notation, N shards
conf = os.path.join(work, "notation")
for it in pod(job)["volumes"][1]["configMap"]["items"]:
    path = os.path.join(conf, it["path"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = cm["data"][it["key"]]
    if it["key"].endswith(".crt"):
        data = open(root).read()  # the test CA for the placeholder
    open(path, "w").write(data)
def local(s):
    return (s.replace("/etc/notation", conf)
             .replace("--recursive /mirror", "--recursive " + work + "/mirror")
             .replace("/reports", work + "/reports"))
penv = dict(os.environ, PATH=work + "/bin:" + os.environ["PATH"], SHARDS=str(n))
for i in range(n):
    penv["SHARD"] = str(i)
    r = subprocess.run(["sh", "-c", local(script)], env=penv)
    check(r.returncode == 0, "shard %d: exit %d" % (i, r.returncode))
    check(os.path.exists(os.path.join(work, "reports", "shard-%d.jsonl" % i)), "shard %d: no report" % i)
r = subprocess.run(["sh", "-c", local(mc["args"][0])], env=penv)
check(r.returncode == 1, "merge: exit %d, want 1 (a tampered image)" % r.returncode)
merged = json.load(open(os.path.join(work, "reports", "mirror.json")))
whole = json.loads(subprocess.run(
    ["ocivet", "verify", "--config", conf, "--recursive", work + "/mirror", "--format", "json"],
    env=penv, capture_output=True).stdout)
drop = lambda x: {k: v for k, v in x.items() if k not in ("verified_at",)}
check(drop(merged) == drop(whole), "merge of the pods' reports differs from one run")
check(merged["summary"]["images"] >= 6, "too few images: %s" % merged["summary"])
# a pod that could not write its report (bad configuration) fails
penv["SHARD"] = "0"
r = subprocess.run(["sh", "-c", local(script).replace(conf, work + "/nowhere")], env=penv,
                   capture_output=True)
check(r.returncode == 2, "shard without configuration: exit %d, want 2" % r.returncode)
for f in fail:
    print("FAIL deploy: " + f)
print("deploy: %d objects, %d shards run" % (len(docs), n))
sys.exit(1 if fail else 0)
PY
