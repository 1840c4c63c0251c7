"$OCIVET" verify --at "$AT" --config config/tsa-after -v layouts/ts-untrusted-tsa:v1
