mkdir -p "$HOME/.config" && cp -r config/strict "$HOME/.config/notation" && "$OCIVET" verify --at "$AT" layouts/jws:v1
