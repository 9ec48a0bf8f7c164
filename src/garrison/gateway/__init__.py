"""The guard gateway: OpenAI-compatible routes that check every exchange through the guard."""

# ``garrison.config`` imports ``garrison.gateway.settings``, which needs ``SecretRef`` from
# ``garrison.config``: importing the config here first makes either import order work.
import garrison.config  # noqa: F401
