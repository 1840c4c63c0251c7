"$OCIVET" verify --at "$AT" --policy config/identity/trustpolicy.oci.json --trust-store config/strict/truststore layouts/jws:v1
