"""Keys, X.509 certificates, enrollment and revocation (DESIGN §5). Pure functions over cryptography
objects and bytes; the services keep them in the store."""
