"""Actions, exports and reports: webhooks, chat messages, SIEM exports, summaries, Navigator."""

# The settings module needs garrison.config's SecretRef, and garrison.config imports the
# settings module: loading garrison.config first makes either import order work.
import garrison.config as _config  # noqa: F401
