"$OCIVET" verify --at "$AT" --config config/tsa layouts/ts-untrusted-tsa:v1
