"$OCIVET" verify --at "$AT" --config adversarial/config/scope-star --trust-source-scope -v adversarial/layouts/scope-spoof
