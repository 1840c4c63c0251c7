# the version, and the gzip inflater built in (isa-l, or zlib without it)
"$OCIVET" --version | sed 's/^gzip inflater: \(isa-l\|zlib\)$/gzip inflater: INFLATER/'
