"$OCIVET" inspect archives/jws.tar.gz docker/save-oci.tar
