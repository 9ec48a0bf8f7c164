"""`python -m benchmarks [--quick] [NAME ...]`: run the benchmarks, update docs/benchmarks.md."""

from __future__ import annotations

import argparse
import importlib

# name -> module under benchmarks/ with main(quick: bool); imported only when run.
BENCHMARKS = {
    "ingest": "ingest",
    "detectors": "detectors",
    "classifier": "classifier",
    "benign_real": "benign_real",
    "rules": "rules",
    "gateway": "gateway",
    "agentdojo": "agentdojo_guard",
    "intel": "intel",
    "correlation": "correlation",
    "actions": "actions",
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", help=f"any of: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke check")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(f"benchmarks.{BENCHMARKS[name]}")
        module.main(quick=args.quick)


if __name__ == "__main__":
    main()
