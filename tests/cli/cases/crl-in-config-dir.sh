cp -r config/strict "$SCRATCH/c" && cp -r crl/good "$SCRATCH/c/crl" && "$OCIVET" verify --at "$AT" --config "$SCRATCH/c" layouts/crl:v1
