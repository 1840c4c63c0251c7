"$OCIVET" inspect --envelope layouts/jws/blobs/sha256/a55583dcf2be4644b3c59be214fc17fb5a1dd4207771f880842125016466f7c3 \
    --envelope layouts/cose/blobs/sha256/560f7944ecedbf40bd05640222872d5e876a5cd1b89850e4f15d2da585597a5e
