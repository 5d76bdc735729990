"""Framework files: the DESIGN §3 schema, YAML and Excel readers and writers, canonical identity."""
