"$OCIVET" verify --at "$AT" --config adversarial/config/scope-star --signatures docker/registry -v docker/save-unsigned.tar:registry.example/docker/app:v1
