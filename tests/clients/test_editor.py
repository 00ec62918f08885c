"""The shipped editor set-up, in the real yaml-language-server (the server behind VS Code's YAML extension).

The server comes from npm: ``.ci/run`` installs it into ``.ci/node`` (``npm install
--prefix .ci/node``); locally it is also found on PATH. The test speaks the
language server protocol over stdio, as an editor does: initialize, push the
``yaml.*`` settings of ``.vscode/settings.json``, open a demo multi-document
file (without its modeline, which covers the first document only) and read the
diagnostics the server publishes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from queue import Empty, Queue

import pytest
from conftest import REPO_ROOT

REPO = REPO_ROOT
SETTINGS = REPO / ".vscode" / "settings.json"
LOCAL = REPO / ".ci" / "node" / "node_modules" / ".bin" / "yaml-language-server"


def server() -> str:
    found = str(LOCAL) if LOCAL.exists() else shutil.which("yaml-language-server")
    if found is None and not os.environ.get("ITAMCTL_REQUIRE_CLIENTS"):
        pytest.skip("yaml-language-server is not installed (npm install --prefix .ci/node yaml-language-server@1); "
                    ".ci/run installs it and fails without it")
    if found is None:
        pytest.fail("yaml-language-server is not installed: `npm install --prefix .ci/node yaml-language-server@1` "
                    "(.ci/run does this)")
    return found


class Client:
    """A minimal LSP client: JSON-RPC messages with Content-Length headers over the server's stdio."""

    def __init__(self, command: list[str]) -> None:
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: Queue = Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def wait(self, wanted, timeout: float = 120) -> dict:
        while True:
            try:
                message = self.messages.get(timeout=timeout)
            except Empty:
                pytest.fail("yaml-language-server sent nothing in time")
            if "method" in message and "id" in message:  # a request from the server: answer it
                result = [self.settings] * len(message["params"].get("items", [])) \
                    if message["method"] == "workspace/configuration" else None
                self.send({"id": message["id"], "result": result})
                continue
            if wanted(message):
                return message

    def open(self, uri: str, text: str) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)


def start_server() -> Client:
    """The server, initialized for this repository with the ``yaml.*`` settings of .vscode/settings.json."""
    settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
    yaml_settings = {key.removeprefix("yaml."): value for key, value in settings.items() if key.startswith("yaml.")}
    client = Client([server(), "--stdio"])
    client.settings = yaml_settings
    client.request("initialize", {
        "processId": os.getpid(), "rootUri": REPO.as_uri(),
        "workspaceFolders": [{"uri": REPO.as_uri(), "name": "itamctl"}],
        "capabilities": {"workspace": {"configuration": True}, "textDocument": {"publishDiagnostics": {},
                                                                                "hover": {}}},
    })
    client.notify("initialized", {})
    client.notify("workspace/didChangeConfiguration", {"settings": {"yaml": yaml_settings}})
    return client


def test_vscode_settings_map_every_registry_file_to_the_schema_that_dispatches_on_kind():
    settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
    [(schema, globs)] = settings["yaml.schemas"].items()
    assert (REPO / schema).is_file() and json.loads((REPO / schema).read_text(encoding="utf-8"))["allOf"]
    assert "registry/**/*.yaml" in globs


def _document_starts(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line == "---"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["people.yaml", "vendors.yaml", "locations.yaml"])
def test_every_document_of_a_multi_document_file_gets_diagnostics(name):
    path = REPO / "registry" / name
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if not line.startswith("# yaml-language-server:")]
    starts = _document_starts(lines)
    assert len(starts) >= 2
    for offset, start in enumerate(starts):  # one unknown field in every document
        lines.insert(start + 1 + offset, "not_a_field: 1")
    starts = _document_starts(lines)
    text = "\n".join(lines) + "\n"

    client = start_server()
    try:
        uri = path.as_uri()
        client.open(uri, text)
        published = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri and m["params"]["diagnostics"])
    finally:
        client.close()
    diagnostics = published["params"]["diagnostics"]
    flagged = {d["range"]["start"]["line"] for d in diagnostics}
    bogus = {i for i, line in enumerate(lines) if line == "not_a_field: 1"}
    assert bogus <= flagged, (sorted(bogus - flagged), diagnostics[:3])
    per_document = [any(start < line < end for line in flagged)
                    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True)]
    assert all(per_document) and len(per_document) == len(starts)


@pytest.mark.slow
def test_hover_on_a_money_field_shows_the_fields_own_description():
    path = REPO / "registry" / "assets" / "laptop" / "LT-0002.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if not line.startswith("# yaml-language-server:")]
    line = next(i for i, text in enumerate(lines) if text.startswith("  cost:"))
    client = start_server()
    try:
        uri = path.as_uri()
        client.open(uri, "\n".join(lines) + "\n")
        client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": {"line": line, "character": 3}})
    finally:
        client.close()
    contents = json.dumps(hover["result"]["contents"])
    assert "Purchase price" in contents, contents
    assert "A non-negative number" not in contents
