"$OCIVET" verify --at "$AT" --config adversarial/config/scope-star -v layouts/named:v1
