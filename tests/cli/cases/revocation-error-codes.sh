# A revoked certificate and one whose status no CRL decides have
# different error codes: revoked, revocation_unknown.
for crl in crl/inter-revokes-leaf.crl crl/inter-stale.crl; do
	"$OCIVET" verify --config config/strict --at "$AT" --crl "$crl" \
	    --format json layouts/crl:v1 | grep '^			"error_code"'
done
"$OCIVET" verify --config config/strict --at "$AT" --format json \
    layouts/crl:v1 | grep '^			"error_code"'
