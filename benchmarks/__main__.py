"""`python -m benchmarks [--quick] [NAME ...]`: run the benchmarks, update docs/benchmarks.md."""

from __future__ import annotations

import argparse

from benchmarks import ingest

BENCHMARKS = {"ingest": ingest.main}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, []], default=[])
    parser.add_argument("--quick", action="store_true", help="smaller runs, for a smoke check")
    args = parser.parse_args()
    for name in args.names or list(BENCHMARKS):
        BENCHMARKS[name](quick=args.quick)


if __name__ == "__main__":
    main()
