# Read-only, proven for verify: every input it reads (layout directories,
# archives, docker save archives, signature bundles, configuration
# directories, trust bundles, CRLs, CRL caches and OCSP responses, the
# adversarial corpus) has the same content, type, mode, link count, size
# and modification time before and after runs with every option.
roots="layouts archives docker adversarial demo config crl revocation keys ../bundles"
snap() {
	find $roots -type f -exec sha256sum {} + | LC_ALL=C sort -k2
	find $roots -printf '%p %y %m %n %s %T@\n' | LC_ALL=C sort
}
snap >"$SCRATCH/before"
srcs=$(ls -d layouts/*/ archives/* docker/*.tar adversarial/layouts/*/ \
	adversarial/archives/* adversarial/docker/* demo/hello)
# Every source with every option that reads a file, then the JSON report.
"$OCIVET" verify --at "$AT" --config config/strict --deep -q -v \
	--signatures docker/registry --signatures docker/registry.tar \
	--crl crl/good --crl-cache crl/cache --ocsp-response revocation/ocsp \
	--max-signatures 100 --max-ratio 200 --max-archive-size 64G $srcs >/dev/null 2>&1
"$OCIVET" verify --at "$AT" --config config/tsa --format json \
	--signatures docker/registry.tar $srcs >/dev/null 2>&1
# Every configuration directory and trust bundle; a policy and a trust
# store given apart.
for c in config/*/ ../bundles/*/; do
	"$OCIVET" verify --at "$AT" --config "$c" --scope registry.example/app \
		layouts/jws:v1 layouts/sa:v1 layouts/ts-jws:v1 >/dev/null 2>&1
done
"$OCIVET" verify --at "$AT" --policy config/tsa/trustpolicy.oci.json \
	--trust-store config/tsa/truststore layouts/ts-jws:v1 >/dev/null 2>&1
# Every CRL file, every CRL cache, the OCSP responses one by one.
crls=
for f in crl/*.crl crl/good/* revocation/crl/*; do crls="$crls --crl $f"; done
"$OCIVET" verify --at "$AT" --config config/strict $crls \
	layouts/crl:v1 layouts/crl-sa:v1 >/dev/null 2>&1
for d in crl/cache revocation/cache revocation/cache-revoked revocation/cache-delta; do
	"$OCIVET" verify --at "$AT" --config config/strict --crl-cache "$d" \
		layouts/crl:v1 >/dev/null 2>&1
done
ocsp=
for f in revocation/ocsp/*; do ocsp="$ocsp --ocsp-response $f"; done
"$OCIVET" verify --at "$AT" --config config/strict $ocsp layouts/jws:v1 >/dev/null 2>&1
snap >"$SCRATCH/after"
if cmp -s "$SCRATCH/before" "$SCRATCH/after"; then
	echo "inputs unchanged"
else
	diff "$SCRATCH/before" "$SCRATCH/after" | head -20
fi
