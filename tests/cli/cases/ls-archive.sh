"$OCIVET" ls archives/layout.tar.gz archives/jws.tar.zst
