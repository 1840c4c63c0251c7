"$OCIVET" verify --at "$AT" --config config/identity-other -v layouts/jws:v1
