"$OCIVET" verify --at "$AT" --config config/audit layouts/wrong-eku:v1
