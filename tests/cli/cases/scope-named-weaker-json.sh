"$OCIVET" verify --at "$AT" --config adversarial/config/scope-star --format json adversarial/layouts/scope-spoof-refname
