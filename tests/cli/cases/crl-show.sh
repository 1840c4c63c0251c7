"$OCIVET" crl show crl/inter-revokes-leaf.crl crl/good/root.crl
