"""The schema of each subsystem beyond events and detection, one migration per module.

``store.migrations`` lists them in order; each module exports ``NAME``, ``DUCKDB`` and
``POSTGRES`` (the same change in each dialect). Until a release ships a migration it may still
change; after that, never (add a new one).
"""
