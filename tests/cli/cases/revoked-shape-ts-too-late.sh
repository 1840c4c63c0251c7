"$OCIVET" verify --at "$AT" --config config/microsoft-shape layouts/ts-too-late:v1
