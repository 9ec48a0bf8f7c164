"""The `garrison` command."""
