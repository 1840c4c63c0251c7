"$OCIVET" crl urls --cert keys/crl-signer.chain.pem
