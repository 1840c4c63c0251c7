for d in config/strict config/tsa config/scoped config/missing-store; do
	"$OCIVET" policy check --config "$d" --at "$AT"
	echo "exit $?"
done
