"$OCIVET" verify --at "$AT" --config config/tsa layouts/ts-too-late:v1
