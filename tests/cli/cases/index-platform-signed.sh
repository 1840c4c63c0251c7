"$OCIVET" verify --at "$AT" --config config/strict "layouts/index@$(cat layouts/index.arm64)"
