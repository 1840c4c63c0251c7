"$OCIVET" verify --at "$AT" --config config/strict layouts/jws@sha256:ABC
