"""Garrison's built-in detectors, one module each, registered as ``garrison.detectors`` entry
points: the fast tier (``signatures``, ``encoding``, ``secrets``, ``pii``, ``exfil``, ``canary``,
``unicode``) and the classifier tier (``prompt_guard``, ``hf_classifier``).

This package must never import its detector modules eagerly: the engine loads each one through
its entry point, only when configured.
"""
