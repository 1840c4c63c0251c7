"$OCIVET" ls docker/save-classic.tar docker/save-oci.tar docker/registry
