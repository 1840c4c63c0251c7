"$OCIVET" verify --at "$AT" --config adversarial/config/scope-star --trust-source-scope --format json adversarial/layouts/scope-spoof
