"""Python rendered from spec/ by codegen (scripts/generate.sh); see ADR 5."""
