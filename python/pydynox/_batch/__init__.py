"""Batch writers' I/O-free core (the classes themselves are generated: spec/model.yaml)."""
