# Read-only, proven for ocivet crl: the sources, bundles, certificates and
# CRL files it reads are unchanged (content, type, mode, link count, size,
# modification time) by crl urls and crl show, including on inputs it
# refuses.
roots="layouts archives docker adversarial demo crl revocation keys"
snap() {
	find $roots -type f -exec sha256sum {} + | LC_ALL=C sort -k2
	find $roots -printf '%p %y %m %n %s %T@\n' | LC_ALL=C sort
}
snap >"$SCRATCH/before"
certs=
for f in keys/*.crt keys/*.pem revocation/certs/* revocation/chains/*; do
	certs="$certs --cert $f"
done
"$OCIVET" crl urls -v $certs layouts/crl layouts/crl-sa layouts/ts-jws \
	layouts/index archives/layout.tar archives/jws.tar.gz archives/jws.tar.zst \
	docker/registry docker/registry.tar demo/hello >/dev/null 2>&1
# crl urls stops at the first source it refuses: one each
for s in layouts/bad-index archives/bad-dotdot.tar archives/bomb.tar.gz \
    docker/save-classic.tar adversarial/layouts/index-nested \
    adversarial/layouts/jws-x5c-trailing adversarial/archives/pax-dotdot.tar; do
	"$OCIVET" crl urls -v "$s" >/dev/null 2>&1
done
"$OCIVET" crl show crl/*.crl crl/good/* revocation/crl/* >/dev/null 2>&1
"$OCIVET" crl show layouts/jws/index.json revocation/ocsp/leaf-good.der >/dev/null 2>&1
snap >"$SCRATCH/after"
if cmp -s "$SCRATCH/before" "$SCRATCH/after"; then
	echo "inputs unchanged"
else
	diff "$SCRATCH/before" "$SCRATCH/after" | head -20
fi
