"$OCIVET" verify --at "$AT" --config config/tsa layouts/ts-other-message:v1
