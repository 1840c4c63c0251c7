"$OCIVET" verify --at "$AT" --config config/permissive layouts/untrusted:v1
