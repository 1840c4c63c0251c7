"$OCIVET" verify --at "$AT" --config config/scoped --scope registry.example/nope layouts/jws:v1
