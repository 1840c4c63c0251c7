# every invalid-policy fixture: exit 2, each problem listed
for f in policy/bad-*.json; do
	"$OCIVET" policy check --policy "$f" \
	    --trust-store certexpiry/config/truststore --at "$AT"
	echo "exit $?"
done
