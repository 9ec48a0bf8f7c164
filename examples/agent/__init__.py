"""A small mail agent guarded by Garrison (see docs/reference-architecture.md)."""
