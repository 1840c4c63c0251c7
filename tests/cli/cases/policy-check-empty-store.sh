# an empty store and a store that is a file are errors
cp -R certexpiry/config "$SCRATCH/c"
chmod -R u+w "$SCRATCH/c"
rm "$SCRATCH/c/truststore/x509/ca/old/expired.pem"
rm -r "$SCRATCH/c/truststore/x509/tsa/stamps"
echo x >"$SCRATCH/c/truststore/x509/tsa/stamps"
"$OCIVET" policy check --config "$SCRATCH/c" --at "$AT" 2>&1 | sed "s|$SCRATCH|SCRATCH|g"
