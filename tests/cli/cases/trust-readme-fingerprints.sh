# every certificate of a shipped bundle is in its README with its SHA-256
# (DER) fingerprint, and every fingerprint there matches its file
cd ../bundles || exit 1
for b in */; do
	b=${b%/}
	find "$b/truststore" -type f | sort | while read -r f; do
		rel=${f#"$b"/}
		fp=$(openssl x509 -in "$f" -outform DER | sha256sum | cut -c1-64)
		if grep -F "\`$rel\`" "$b/README.md" | grep -q "\`$fp\`"; then
			echo "$b: $rel $fp ok"
		else
			echo "$b: $rel: fingerprint $fp is not the README's"
		fi
	done
done
