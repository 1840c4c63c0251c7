"$OCIVET" verify --at "$AT" --config config/scoped --scope registry.example/other layouts/jws:v1
