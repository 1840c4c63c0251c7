"$OCIVET" verify --at "$AT" --config config/strict docker/save-oci.tar
