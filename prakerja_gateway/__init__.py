"""The programme office (Manajemen Pelaksana Prakerja): cards, saldo, OTP payments, partner APIs."""
