"$OCIVET" inspect docker/registry
