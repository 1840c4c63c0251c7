"$OCIVET" verify --at "$AT" --config config/strict --signatures docker/registry "docker/save-classic.tar@$(cat docker/image-id)"
