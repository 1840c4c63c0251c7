NOTATION_CONFIG=config/strict "$OCIVET" verify --at "$AT" layouts/jws:v1
