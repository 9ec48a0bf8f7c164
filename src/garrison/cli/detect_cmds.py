"""Detection commands: scan, hunt, rules (list, lint, test, backtest), eval, train.

They run the same engines the server runs (detectors, the rule pack, the SQL compiler), offline
against files or the store, or through a running server's API when the embedded store is held by
it. Output is a readable table, or exact JSON with ``--json``; nothing here prompts.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import httpx
import orjson

from garrison.cli.main import fail, main, store_options
from garrison.config import Settings, load_settings
from garrison.errors import GarrisonError, InputError, StoreError, ValidationError
from garrison.model import Event
from garrison.model.alert import Alert

_SINCE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_since(text: str) -> datetime:
    """``30d``, ``12h``, ``15m`` back from now, or an RFC 3339 time."""
    match = _SINCE.match(text)
    if match:
        return datetime.now(UTC) - timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
    from garrison.model.event import parse_time

    return parse_time(text, "--since")


def echo_json(data: Any) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2, default=str).decode())


def merge_alerts(alerts: Sequence[Alert]) -> list[Alert]:
    """Fold alert deltas with the same id, as the store does."""
    from dataclasses import replace

    merged: dict[str, Alert] = {}
    for alert in alerts:
        old = merged.get(alert.id)
        if old is None:
            merged[alert.id] = alert
            continue
        merged[alert.id] = replace(
            old,
            first_seen=min(old.first_seen, alert.first_seen),
            last_seen=max(old.last_seen, alert.last_seen),
            event_count=old.event_count + alert.event_count,
            event_ids=tuple(dict.fromkeys(old.event_ids + alert.event_ids)),
        )
    return sorted(merged.values(), key=lambda a: (-a.severity.rank, a.first_seen))


# --- scan ---------------------------------------------------------------------------------------


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option("--json", "as_json", is_flag=True, help="print alerts as JSON")
@click.option("--findings", is_flag=True, help="also print every finding")
def scan(file: Path, config: Path | None, as_json: bool, findings: bool) -> None:
    """Run the whole detection stack over FILE (JSONL events or OTLP/JSON), no server needed."""
    from garrison.detect.stage import DetectionStage
    from garrison.telemetry.importer import check_file, iter_file

    async def run(settings: Settings) -> tuple[list[Alert], list[Any], int]:
        check_file(file, tenant="scan")
        events: list[Event] = []
        for chunk in iter_file(file, tenant="scan"):
            events.extend(chunk.events)
        events.sort(key=lambda e: e.time)
        stage = DetectionStage.from_settings(settings.detection)
        alerts: list[Alert] = []
        all_findings: list[Any] = []
        try:
            for event in events:
                found, raised = await stage.scan(event)
                alerts.extend(raised)
                all_findings.extend(found)
        finally:
            await stage.aclose()
        return merge_alerts(alerts), all_findings, len(events)

    try:
        settings = load_settings(config)
        alerts, found, n = asyncio.run(run(settings))
    except GarrisonError as exc:
        fail(exc)
    if as_json:
        data: dict[str, Any] = {"events": n, "alerts": [a.to_dict() for a in alerts]}
        if findings:
            data["findings"] = [f.to_dict() for f in found]
        echo_json(data)
        return
    click.echo(f"{n} events scanned, {len(alerts)} alerts")
    for a in alerts:
        where = a.entities.get("session_id") or a.entities.get("trace_id") or "-"
        click.echo(
            f"  [{a.severity.value:<8}] {a.title}  ({a.rule_id}; {a.event_count} events; {where})"
        )
    if findings:
        for f in found:
            if f.score > 0:
                click.echo(f"  finding {f.detector}/{f.label} {f.score:.2f} on {f.event_id}")


# --- hunt ---------------------------------------------------------------------------------------


def _api_error(response: httpx.Response) -> GarrisonError:
    try:
        message = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = response.text[:200]
    if response.status_code < 500:
        return InputError(f"the server answered {response.status_code}: {message}")
    return StoreError(f"the server answered {response.status_code}: {message}")


@main.command()
@store_options
@click.argument("sql")
@click.option("--server", default=None, help="query through a running server at this URL")
@click.option("--api-key", envvar="GARRISON_API_KEY", default=None, help="[env GARRISON_API_KEY]")
@click.option("--tenant", default="default", show_default=True, help="tenant (direct mode)")
@click.option("--limit", type=int, default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--jsonl", "as_jsonl", is_flag=True,
    help="one JSON object (column: value) per row, e.g. for garrison calibrate",
)  # fmt: skip
def hunt(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    sql: str,
    server: str | None,
    api_key: str | None,
    tenant: str,
    limit: int,
    as_json: bool,
    as_jsonl: bool,
) -> None:
    """Read-only SQL over the stored events, findings and alerts of one tenant.

    Tables: events, findings, alerts, alert_events. Writes are refused. With the embedded store
    and a server running, pass --server (DuckDB allows one process)."""
    try:
        if server:
            if not api_key:
                raise click.UsageError("--server needs --api-key (or GARRISON_API_KEY)")
            response = httpx.post(
                f"{server.rstrip('/')}/api/v1/hunt",
                json={"sql": sql, "limit": limit},
                headers={"Authorization": f"Bearer {api_key}"},
                timeout=120,
            )
            if response.status_code != 200:
                raise _api_error(response)
            data = response.json()
            columns, rows, truncated = data["columns"], data["rows"], data["truncated"]
        else:
            settings = load_settings(config, flags={"data_dir": data_dir, "store": store})
            columns, rows, truncated = asyncio.run(_hunt_direct(settings, tenant, sql, limit))
    except GarrisonError as exc:
        fail(exc)
    except httpx.HTTPError as exc:
        fail(StoreError(f"cannot reach {server}: {exc}"))
    if as_json:
        echo_json({"columns": columns, "rows": rows, "truncated": truncated})
        return
    if as_jsonl:
        for row in rows:
            click.echo(orjson.dumps(dict(zip(columns, row, strict=True)), default=str).decode())
        if truncated:
            click.echo(f"({len(rows)} rows, truncated at --limit)", err=True)
        return
    click.echo("\t".join(columns))
    for row in rows:
        click.echo("\t".join("" if v is None else str(v) for v in row))
    click.echo(f"({len(rows)} rows{', truncated' if truncated else ''})", err=True)


async def _hunt_direct(
    settings: Settings, tenant: str, sql: str, limit: int
) -> tuple[list[str], list[list[Any]], bool]:
    from garrison.store import open_store

    st = open_store(settings.store_url(), settings.data_dir)
    await st.open()
    try:
        result = await st.hunt(tenant, sql, limit=limit)
    finally:
        await st.aclose()
    return result.columns, [list(r) for r in result.rows], result.truncated


# --- rules --------------------------------------------------------------------------------------


@main.group()
def rules() -> None:
    """Detection rules (Sigma): list, lint, test samples, back-test over history."""


def _rule_paths(paths: Sequence[Path], config: Path | None = None) -> list[str]:
    if paths:
        return [str(p) for p in paths]
    from garrison.detect.stage import builtin_rules_path

    settings = load_settings(config)
    out = [str(builtin_rules_path())] if settings.detection.builtin_rules else []
    return out + [str(p) for p in settings.detection.rules]


@rules.command("list")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option("--json", "as_json", is_flag=True)
def rules_list(paths: tuple[Path, ...], as_json: bool) -> None:
    """Every rule: id, title, level, tags (the built-in pack and configured rules by default)."""
    from garrison.detect.rules import load_paths

    try:
        pack = load_paths(_rule_paths(paths))
    except GarrisonError as exc:
        fail(exc)
    items = [
        {"id": r.key, "title": r.title, "level": r.level, "tags": list(r.tags), "type": kind}
        for kind, group in (("rule", pack.rules), ("correlation", pack.correlations))
        for r in group
    ]
    if as_json:
        echo_json(items)
        return
    for item in items:
        click.echo(f"{item['id']}  [{item['level'] or '-'}]  {item['title']}")
    click.echo(f"({len(items)} rules)", err=True)


@rules.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--samples/--no-samples", default=True, help="also require match/no_match samples")
def rules_lint(paths: tuple[Path, ...], samples: bool) -> None:
    """Check rule files; prints file:line: severity: message, exits 1 on any error."""
    from garrison.detect.rules import lint_paths

    issues = lint_paths([str(p) for p in paths], samples=samples)
    for issue in issues:
        click.echo(str(issue))
    errors = sum(1 for i in issues if i.severity == "error")
    click.echo(f"{errors} errors, {len(issues) - errors} warnings", err=True)
    sys.exit(1 if errors else 0)


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--engine",
    "engines",
    multiple=True,
    type=click.Choice(["stream", "duckdb"]),
    default=("stream", "duckdb"),
    show_default=True,
)
def rules_test(paths: tuple[Path, ...], engines: tuple[str, ...]) -> None:
    """Run every rule's match / no_match samples (streaming and as DuckDB SQL)."""
    from garrison.detect.rules import Correlation, Rule, load_paths, run_samples

    try:
        pack = load_paths(_rule_paths(paths))
    except GarrisonError as exc:
        fail(exc)
    failures = []
    count = 0
    items: list[Rule | Correlation] = [*pack.rules, *pack.correlations]
    chosen = [e for e in ("stream", "duckdb") if e in engines]
    for item in items:
        count += len(item.samples)
        failures.extend(run_samples(item, rules=pack.rule, engines=chosen))
    for failure in failures:
        click.echo(str(failure))
    click.echo(f"{count - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


@rules.command("backtest")
@store_options
@click.argument("rule")
@click.option("--since", "since_text", default="30d", show_default=True)
@click.option("--server", default=None, help="run through a running server at this URL")
@click.option("--api-key", envvar="GARRISON_API_KEY", default=None)
@click.option("--tenant", default="default", show_default=True, help="tenant (direct mode)")
@click.option("--json", "as_json", is_flag=True)
def rules_backtest(
    config: Path | None,
    data_dir: Path | None,
    store: str | None,
    rule: str,
    since_text: str,
    server: str | None,
    api_key: str | None,
    tenant: str,
    as_json: bool,
) -> None:
    """What RULE (an id in the loaded pack, or a rule file) would have fired since --since."""
    try:
        since = parse_since(since_text)
        rule_text, rule_ref = _rule_source(rule, config)
        if server:
            if not api_key:
                raise click.UsageError("--server needs --api-key (or GARRISON_API_KEY)")
            response = httpx.post(
                f"{server.rstrip('/')}/api/v1/rules/backtest",
                json={"rule": rule_text, "ref": rule_ref, "since": since.isoformat()},
                headers={"Authorization": f"Bearer {api_key}"},
                timeout=300,
            )
            if response.status_code != 200:
                raise _api_error(response)
            result = response.json()
        else:
            settings = load_settings(config, flags={"data_dir": data_dir, "store": store})
            result = asyncio.run(_backtest_direct(settings, tenant, rule_text, rule_ref, since))
    except GarrisonError as exc:
        fail(exc)
    except httpx.HTTPError as exc:
        fail(StoreError(f"cannot reach {server}: {exc}"))
    if as_json:
        echo_json(result)
        return
    click.echo(
        f"{result['rule']}: {result['matches']} matching events since {result['since']} "
        f"({result['sessions']} sessions)"
    )
    for event_id in result["event_ids"][:20]:
        click.echo(f"  {event_id}")


def _rule_source(rule: str, config: Path | None) -> tuple[str, str | None]:
    """(YAML text of the rule file, the rule id to pick in it or None for the only rule)."""
    path = Path(rule)
    if path.is_file():
        return path.read_text(encoding="utf-8"), None
    from garrison.detect.rules import load_paths

    pack = load_paths(_rule_paths((), config))
    try:
        found = pack.rule(rule)
    except KeyError:
        found = next((c for c in pack.correlations if c.key == rule), None)  # type: ignore[assignment]
    if found is None or found.file is None:
        raise ValidationError(f"no rule {rule!r} in the loaded rules (give an id or a file)")
    return Path(found.file).read_text(encoding="utf-8"), found.key


async def _backtest_direct(
    settings: Settings, tenant: str, rule_text: str, rule_ref: str | None, since: datetime
) -> dict[str, Any]:
    from garrison.detect.backtest import backtest
    from garrison.store import open_store

    st = open_store(settings.store_url(), settings.data_dir)
    await st.open()
    try:
        return await backtest(st, tenant, rule_text, rule_ref, since, datetime.now(UTC))
    finally:
        await st.aclose()


# --- eval / train -------------------------------------------------------------------------------

# Detectors whose findings mean "this text is an attack on the model" (eval of the input side).
INPUT_SIGNAL = {"prompt_guard", "signatures", "encoding", "unicode", "hf_classifier"}


@main.command("eval")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--detector", default=None, help="evaluate one detector instead of the pipeline")
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option("--json", "as_json", is_flag=True)
def eval_command(file: Path, detector: str | None, config: Path | None, as_json: bool) -> None:
    """Detection quality on FILE.jsonl (text, label 1/0, optional channel, lang): ROC AUC,
    TPR at 1% FPR, precision/recall/F1/FPR at the configured thresholds, latency."""
    from garrison.detect.evaluate import evaluate, format_report, load_rows

    try:
        settings = load_settings(config)
        rows = load_rows(file)
        scorer, close = pipeline_scorer(settings, detector)
        try:
            report = evaluate(rows, scorer)
        finally:
            close()
    except GarrisonError as exc:
        fail(exc)
    if as_json:
        echo_json(eval_json(report.to_dict()))
    else:
        click.echo(format_report(report, title=f"{file} ({detector or 'default pipeline'})"))


EVAL_KEYS = (
    "n", "auc", "tpr_at_fpr_1pct", "precision", "recall", "f1", "fpr", "threshold",
    "latency_ms_p50", "latency_ms_p99",
)  # fmt: skip


def eval_json(report: dict[str, Any]) -> dict[str, Any]:
    """Exactly the documented keys, plus the same keys per channel."""
    overall = report.get("overall", report)
    out = {k: overall.get(k) for k in EVAL_KEYS}
    out["per_channel"] = {
        channel: {k: m.get(k) for k in EVAL_KEYS}
        for channel, m in (report.get("per_channel") or {}).items()
    }
    return out


def pipeline_scorer(settings: Settings, only: str | None) -> tuple[Any, Any]:
    """A (text, channel) → (score, threshold) scorer over the detection engine.

    The pipeline's score is the highest score among input-attack findings (classifier,
    signatures, encoded instructions, ASCII smuggling); its threshold is the classifier's for
    the channel (deterministic detectors report calibrated confidences on the same scale)."""
    from garrison.detect.engine import DetectionEngine
    from garrison.detect.evaluate import row_event

    detectors = dict(settings.detection.detectors)
    if only is not None:  # evaluate the one detector even if the config turned it off
        options = {k: v for k, v in (detectors.get(only) or {}).items() if k != "enabled"}
        detectors = {only: options}
    engine = DetectionEngine.from_config(detectors, timeout_s=settings.detection.timeout_ms / 1000)
    classifier = next((d for d in engine.detectors if hasattr(d, "score_text")), None)
    loop = asyncio.new_event_loop()
    considered = INPUT_SIGNAL if only is None else {only}

    def scorer(text: str, channel: str) -> tuple[float, float]:
        findings = loop.run_until_complete(engine.scan(row_event(text, channel)))
        score = max(
            (f.score for f in findings if f.detector in considered and f.status.value == "ok"),
            default=0.0,
        )
        threshold = 0.5
        if classifier is not None:
            threshold = float(classifier.threshold_for(channel))  # type: ignore[attr-defined]
        return score, threshold

    def close() -> None:
        loop.run_until_complete(engine.aclose())
        loop.close()

    return scorer, close


@main.command("calibrate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--detector", default="prompt_guard", show_default=True,
    help="the classifier whose thresholds to place (prompt_guard or hf_classifier)",
)  # fmt: skip
@click.option(
    "--fpr", "fpr", multiple=True, metavar="CHANNEL=RATE",
    help="target false-positive rate of a channel (user 0.01; retrieval, external, memory, "
    "tool 0.005); repeatable",
)  # fmt: skip
@click.option("--config", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option(
    "--gates", "with_gates", is_flag=True,
    help="also show what the cascade's text gate, and each step skip_benign can pick, keeps "
    "from the transformer on these rows (prompt_guard)",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True)
def calibrate_command(
    file: Path, detector: str, fpr: tuple[str, ...], config: Path | None, with_gates: bool,
    as_json: bool,
) -> None:  # fmt: skip
    """Place a classifier's per-channel thresholds on your own traffic: FILE.jsonl rows have
    `text`, optional `label` (0 benign, the default; 1 attack) and `channel`. Prints each
    channel's threshold at its target FPR, the FPR's 95 % upper bound, recall on labelled
    attacks, and the configuration that sets them. With --gates, also the share of the rows
    the cascade keeps from the transformer at its gate and at each step of the model's
    trade-off (the latency the `skip_benign` setting buys)."""
    from garrison.detect.calibrate import (
        calibrate_rows,
        config_snippet,
        format_calibration,
        format_gates,
        gates_on_rows,
        load_calibration_rows,
        parse_targets,
    )

    try:
        targets = parse_targets(fpr)
        settings = load_settings(config)
        rows = load_calibration_rows(file)
        score, close = classifier_scorer(settings, detector)
        try:
            result = calibrate_rows(rows, score, targets)
        finally:
            close()
        gates = None
        if with_gates:
            cascade = cascade_detector(settings, detector)
            gates = gates_on_rows(
                rows, cascade.lexical_inputs, cascade.gates, cascade.metadata.get("cascade"),
                cascade.metadata_path,
            )  # fmt: skip
    except GarrisonError as exc:
        fail(exc)
    if as_json:
        echo_json({
            "channels": {c: r.to_dict() for c, r in result.items()},
            "config": config_snippet(result, detector),
            **({"gates": {c: g.to_dict() for c, g in gates.items()}} if gates else {}),
        })  # fmt: skip
    else:
        click.echo(format_calibration(result, detector))
        if gates:
            click.echo("\n" + format_gates(gates))


def _configured_detector(settings: Settings, name: str) -> tuple[Any, dict[str, Any]]:
    """Detector plugin ``name`` and its options from the settings (``enabled`` left out)."""
    from garrison.plugins import load_plugin

    options = {k: v for k, v in (settings.detection.detectors.get(name) or {}).items()
               if k != "enabled"}  # fmt: skip
    return load_plugin("garrison.detectors", name), options


def cascade_detector(settings: Settings, name: str) -> Any:
    """Classifier detector ``name`` as configured, for its cascade: InputError unless it is
    ``prompt_guard`` (or a subclass) with a lexical tier."""
    from garrison.detect.detectors.classifier import PromptGuardDetector

    factory, options = _configured_detector(settings, name)
    if not (isinstance(factory, type) and issubclass(factory, PromptGuardDetector)):
        raise InputError(f"--gates: detector {name!r} has no cascade (prompt_guard has one)")
    built = factory(options)
    if built.lexical is None:
        raise InputError(
            f"--gates: {name} runs without its cascade (cascade: false, or a model directory "
            "without a lexical tier)"
        )
    return built


def classifier_scorer(settings: Settings, name: str) -> tuple[Any, Any]:
    """A (text, channel) -> (score, threshold) scorer of classifier detector ``name`` as
    configured, with its cascade off (the classifier's own score of every text)."""
    from garrison.detect.detectors.classifier import PromptGuardDetector
    from garrison.detect.engine import DetectionEngine

    factory, options = _configured_detector(settings, name)
    if isinstance(factory, type) and issubclass(factory, PromptGuardDetector):
        options["cascade"] = False
    engine = DetectionEngine.from_config({name: options})
    (built,) = engine.detectors
    if not hasattr(built, "score_text"):
        raise InputError(f"detector {name!r} is not a classifier: calibrate places the "
                         "thresholds of prompt_guard or hf_classifier")  # fmt: skip

    def close() -> None:
        asyncio.run(engine.aclose())

    return built.score_text, close


@main.command()
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def train(args: tuple[str, ...]) -> None:
    """Train the bundled classifier (needs the [train] extra: torch, transformers).

    Arguments are passed to `python -m garrison.detect.train` (see --help there)."""
    try:
        from garrison.detect.train import main as train_main
    except ImportError as exc:
        fail(InputError(f"training needs the [train] extra (pip install 'garrison[train]'): {exc}"))
    sys.exit(train_main(list(args)))
