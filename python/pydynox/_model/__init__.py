"""The model layer's hand-written, I/O-free internals (ADR 5)."""
