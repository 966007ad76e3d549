"""The presentation layer: what people read, made from the engine's exact numbers (see metrics/README.md)."""
