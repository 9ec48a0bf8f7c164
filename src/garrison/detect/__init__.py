"""Detection: normalization, detectors (tiers 1–4), the rule engine and the detection stage.

Detectors report findings; rules turn findings and event fields into alerts. Nothing here
decides what happens to traffic — that is the guard's policy.
"""
