"$OCIVET" verify --at "$AT" --config config/tsa -v layouts/ts-jws:v1
