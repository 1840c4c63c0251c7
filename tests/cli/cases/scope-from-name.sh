"$OCIVET" verify --at "$AT" --config config/scoped -v layouts/named:v1
