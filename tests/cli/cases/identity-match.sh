"$OCIVET" verify --at "$AT" --config config/identity layouts/jws:v1
