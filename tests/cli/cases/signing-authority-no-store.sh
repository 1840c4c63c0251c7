"$OCIVET" verify --at "$AT" --config config/no-sa layouts/sa:v1
