"$OCIVET" inspect
