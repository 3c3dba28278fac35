"""The local SAPI test server (``nq-sapi-testserver``, built from ``sapi-testserver/``) for the
Python tests: the same server the Rust and C tests use, started as a child process on an
ephemeral port of 127.0.0.1 and scripted over its ``/_nq/`` control routes.

The binary is ``$NQ_SAPI_TESTSERVER`` when set, else ``target/release/nq-sapi-testserver`` or
``target/debug/nq-sapi-testserver`` of this checkout (``make python-test`` builds the release one).
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "nq-test-token"
QPU_SOLVER = "NQ_Chimera_C4"
HYBRID_SOLVER = "NQ_Hybrid_BQM"
MISSING_QUBITS = (13, 42, 97)
PEGASUS_SOLVER = "NQ_Pegasus_P4"
PEGASUS_MISSING_QUBITS = (40, 111, 200)


def binary() -> Path:
    explicit = os.environ.get("NQ_SAPI_TESTSERVER")
    if explicit:
        return Path(explicit)
    for profile in ("release", "debug"):
        path = ROOT / "target" / profile / "nq-sapi-testserver"
        if path.exists():
            return path
    raise RuntimeError(
        "nq-sapi-testserver not found: run `cargo build --release -p neuroquant-sapi-testserver` "
        "(make python-test does) or set NQ_SAPI_TESTSERVER"
    )


class SapiServer:
    """A running test server; ``scenario(...)`` replaces its behaviour (and forgets problems and
    the request log), ``log()`` and ``problems()`` read what it saw."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [str(binary())], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("NQ_SAPI_ENDPOINT="):
            self.close()
            raise RuntimeError(f"nq-sapi-testserver printed {line!r}")
        self.endpoint = line.split("=", 1)[1]
        self.base = self.endpoint[: -len("sapi/")]
        self.metadata_endpoint = self.base + "metadata/v1/"
        self.token = TOKEN

    def _control(self, method: str, route: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + "_nq/" + route, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def scenario(self, **fields: Any) -> None:
        self._control("POST", "scenario", fields)

    def log(self) -> list[dict[str, Any]]:
        """The SAPI requests received since the last ``scenario`` (control requests left out)."""
        return [e for e in self._control("GET", "log") if e["route"] != "control"]

    def routes(self) -> list[str]:
        return [entry["route"] for entry in self.log()]

    def problems(self) -> list[dict[str, Any]]:
        return list(self._control("GET", "problems"))

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
