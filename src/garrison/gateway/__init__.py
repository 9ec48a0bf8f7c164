"""The guard gateway: OpenAI-compatible routes that check every exchange through the guard."""
