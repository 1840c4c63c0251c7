"$OCIVET" cert show --at "$AT" certexpiry/config/truststore/x509/ca/ops/soon.pem &&
"$OCIVET" cert show --config certexpiry/config --at "$AT" --format json \
    sha256:C86BF39308F0DE19A459D2306BF374CFCB9B0A89EE1EEF2CB686AD0580E04080
"$OCIVET" cert show --config certexpiry/config --at "$AT" \
    0000000000000000000000000000000000000000000000000000000000000000
echo "exit $?"
"$OCIVET" cert show --at "$AT" no-such-file.pem
echo "exit $?"
