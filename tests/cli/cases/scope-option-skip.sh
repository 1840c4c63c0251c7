"$OCIVET" verify --at "$AT" --config adversarial/config/scope-star --scope registry.example/sandbox/scratch -v adversarial/layouts/scope-spoof
