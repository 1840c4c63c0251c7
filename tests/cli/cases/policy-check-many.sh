# every problem of one document, and of the trust stores it names
"$OCIVET" policy check --policy policy/bad-many.json \
    --trust-store certexpiry/config/truststore --at "$AT"
