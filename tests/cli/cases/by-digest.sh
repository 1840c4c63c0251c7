"$OCIVET" verify --at "$AT" --config config/strict "layouts/jws@$(cat layouts/jws.digest)"
