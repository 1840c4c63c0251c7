"$OCIVET" verify --at "$AT" --config config/strict --signatures docker/registry -v docker/save-oci.tar
