"""The demo: a realistic simulated AI workload that ``make demo`` sends to a running Garrison.

It is a client of Garrison's public ingest surfaces (OTLP/HTTP and the REST events API) and
nothing else: it imports no server-side module and never writes to the store directly.
"""

from garrison.demo.workload import WorkloadSummary, run_workload

__all__ = ["WorkloadSummary", "run_workload"]
