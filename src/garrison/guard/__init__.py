"""The guard: per-app policy over detectors, and the mitigations it applies (see ``api``)."""
