"$OCIVET" policy show --policy policy/bad-many.json --trust-store config/strict/truststore
