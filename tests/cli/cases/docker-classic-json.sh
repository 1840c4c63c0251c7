"$OCIVET" verify --at "$AT" --config config/strict --signatures docker/registry.tar --format json docker/save-classic.tar:registry.example/docker/app:v1
