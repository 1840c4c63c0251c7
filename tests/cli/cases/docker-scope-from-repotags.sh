"$OCIVET" verify --at "$AT" --config config/scoped --signatures docker/registry docker/save-classic.tar
