"""Actions, exports and reports: webhooks, chat messages, SIEM exports, summaries, Navigator."""
