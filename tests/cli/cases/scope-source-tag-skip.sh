"$OCIVET" verify --at "$AT" --config adversarial/config/scope-star -v adversarial/layouts/scope-spoof:registry.example/sandbox/scratch:v1
