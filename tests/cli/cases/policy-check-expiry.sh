"$OCIVET" policy check --config certexpiry/config --at "$AT"
