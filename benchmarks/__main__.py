"""`python -m benchmarks [--quick] [NAME ...]`: run the benchmarks, update docs/benchmarks.md."""

from __future__ import annotations

import argparse

from benchmarks import classifier, detectors, ingest, rules

BENCHMARKS = {
    "ingest": ingest.main,
    "detectors": detectors.main,
    "classifier": classifier.main,
    "rules": rules.main,
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
        BENCHMARKS[name](quick=args.quick)


if __name__ == "__main__":
    main()
