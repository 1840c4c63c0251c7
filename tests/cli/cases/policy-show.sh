"$OCIVET" policy show --config certexpiry/config &&
"$OCIVET" policy show --config config/custom --format json
