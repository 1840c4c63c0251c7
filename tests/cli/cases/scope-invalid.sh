"$OCIVET" verify --at "$AT" --config config/strict --scope Registry.Example/App layouts/jws:v1
