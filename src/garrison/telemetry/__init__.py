"""Telemetry in: OTLP/HTTP traces and logs mapped from the GenAI, OpenInference and OpenLLMetry
dialects onto Garrison's Event. Decoding only; receiving (HTTP) lives in ``garrison.web`` and
storing in ``garrison.store``. This package must never reach back into detection or storage.
"""

from garrison.telemetry.otlp import (
    DecodeResult,
    decode_logs,
    decode_traces,
    logs_response,
    traces_response,
)

__all__ = ["DecodeResult", "decode_logs", "decode_traces", "logs_response", "traces_response"]
