"""Training institutions (Lembaga Pelatihan). Built in a later issue."""
