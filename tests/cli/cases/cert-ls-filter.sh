"$OCIVET" cert ls --trust-store certexpiry/config/truststore --at "$AT" --type ca --store old &&
"$OCIVET" cert ls --trust-store certexpiry/config/truststore --at "$AT" --type tsa --warn-days 5 &&
"$OCIVET" cert ls --trust-store pki/truststore --at "$AT" --type ca --store leaf
echo "exit $?"
