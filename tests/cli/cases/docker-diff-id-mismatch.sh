"$OCIVET" verify --at "$AT" --config config/strict --signatures docker/registry docker/save-tampered.tar
