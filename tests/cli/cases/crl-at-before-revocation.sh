"$OCIVET" verify --at 2025-07-15T00:00:00Z --config config/strict --crl crl/good/root.crl --crl crl/inter-revokes-leaf.crl layouts/crl:v1
