"$OCIVET" verify --config ../bundles/demo demo/hello:v1
