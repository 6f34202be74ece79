"""SSO ("Login dengan Prakerja"), Prakerja's side: the consent page and the SSO API."""
