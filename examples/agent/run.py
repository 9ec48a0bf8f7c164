"""Run the reference architecture offline: a fake model, Garrison (gateway + guard + pipeline)
in this process, and the mail agent, through two scenarios.

    python -m examples.agent.run

No network beyond 127.0.0.1; Garrison's data goes to a temporary directory.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from examples.agent.agent import INJECTED_INBOX, SUBTLE_INBOX, Mailbox, Outcome, run_agent
from examples.agent.fake_model import FakeModel

HERE = Path(__file__).resolve().parent
APP = "mail-agent"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def garrison_settings(data_dir: Path, upstream: str) -> Any:
    from garrison.config import load_settings

    policies = data_dir / "policies"
    policies.mkdir(parents=True, exist_ok=True)
    (policies / f"{APP}.yaml").write_text((HERE / "policy.yaml").read_text())
    return load_settings(
        None,
        env={},
        flags={
            "data_dir": data_dir,
            "gateway": {"upstream": upstream},
            "guard": {"policy_dir": str(policies)},
            "batch_max_wait_ms": 5,
        },
    )


def app_key(settings: Any) -> str:
    from garrison.store import open_store
    from garrison.web.auth import create_api_key

    async def make() -> str:
        store = open_store(settings.store_url(), settings.data_dir)
        await store.open()
        try:
            _, token = await create_api_key(
                store, tenant="fernhill", scopes=frozenset({"ingest", "read"}), app=APP
            )
            return token
        finally:
            await store.aclose()

    return asyncio.run(make())


class Garrison:
    def __init__(self, settings: Any, port: int) -> None:
        from garrison.web.app import build_pipeline, create_app

        app = create_app(settings, build_pipeline(settings))
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Garrison:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("Garrison did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def scenarios(data_dir: Path) -> dict[str, Outcome]:
    with FakeModel(free_port()) as model:
        settings = garrison_settings(data_dir, model.base_url)
        key = app_key(settings)
        with Garrison(settings, free_port()) as garrison:
            base = f"{garrison.url}/v1"
            benign = run_agent(base, key, Mailbox(), "Anything new in my inbox?")
            attacked = run_agent(base, key, Mailbox(INJECTED_INBOX), "Anything new in my inbox?")
            subtle = run_agent(base, key, Mailbox(SUBTLE_INBOX), "Anything new in my inbox?")
            return {"benign": benign, "attacked": attacked, "subtle": subtle}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = scenarios(Path(tmp))
    for name, outcome in results.items():
        print(f"== {name}")
        print(f"   answer:  {outcome.answer}")
        print(f"   blocked: {outcome.blocked}")
        print(f"   emails actually sent: {outcome.sent}")


if __name__ == "__main__":
    main()
