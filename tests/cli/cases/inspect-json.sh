"$OCIVET" inspect --format json layouts/ts-cose layouts/corrupt-envelope layouts/noncrit-attr
