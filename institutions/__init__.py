"""Training institutions (Lembaga Pelatihan): sites where vouchers are exchanged, redeem codes
used with a Prakerja face check, lessons followed and certificates issued."""
