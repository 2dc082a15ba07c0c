"""`urbanscreen fetch` where a user or a server does something odd: every such run ends in
exit 2 with one clear line, never in an internal error or a request to another endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from urbanscreen.cli import app
from urbanscreen.pxwebapi.client import ApiClient, ClientOptions
from urbanscreen.pxwebapi.dataset import ResponseError, parse_dataset

from . import pxwebapi_server
from .pxwebapi_server import Fault, RunningApi

ONE_CELL = ("--where", "REGION=0180", "--where", "LANDUSECLASS=11")


@pytest.fixture
def api() -> Iterator[RunningApi]:
    running = pxwebapi_server.start()
    yield running
    running.stop()


def fetch(runner: CliRunner, url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["fetch", *args, "--api", url, "--retries", "0"])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("table", ["TAB005/metadata", "../config", "TAB005?lang=en#x"])
def test_a_table_id_is_one_path_segment(
    runner: CliRunner, api: RunningApi, tmp_path: Path, table: str
) -> None:
    """A '/', '?' or '#' in the id used to reach another endpoint (the metadata, /config)."""
    code, err = fetch(runner, api.url, table, "-o", str(tmp_path / "t.px"), *ONE_CELL)
    assert code == 2, err
    assert f"error [table-not-found]: {api.url} has no table {table!r}" in err
    assert [path for _, path in api.state.log][1:] == [f"/api/v2/tables/{_escaped(table)}"]


def _escaped(table: str) -> str:
    return table.replace("/", "%2F").replace("?", "%3F").replace("=", "%3D").replace("#", "%23")


@pytest.mark.parametrize("table", ["", " ", ".."])
def test_an_empty_table_id_is_a_usage_error(
    runner: CliRunner, api: RunningApi, tmp_path: Path, table: str
) -> None:
    code, err = fetch(runner, api.url, table, "-o", str(tmp_path / "t.px"))
    assert code == 2
    assert f"error [invalid-option]: {table!r} is not a table id" in err
    assert not any(path.startswith("/api/v2/tables") for _, path in api.state.log)


def test_years_that_name_no_period_are_a_selection_error(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    args = ("TAB005", "-o", str(tmp_path / "t.px"), *ONE_CELL, "--years", ",")
    code, err = fetch(runner, api.url, *args)
    assert code == 2, err
    said = "error [invalid-selection]: no values named for 'år' (TIME); its values: 2010, 2015"
    assert said in err
    assert api.state.data_requests() == 0


def test_a_spec_that_names_no_values_is_a_selection_error(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    spec = tmp_path / "sources.toml"
    spec.write_text(
        '[[table]]\nid = "TAB005"\nfile = "t.px"\nwhere = { REGION = [], LANDUSECLASS = "11" }\n',
        encoding="utf-8",
    )
    code, err = fetch(runner, api.url, "--spec", str(spec), "-o", str(tmp_path / "out"))
    assert code == 2, err
    assert "error [invalid-selection]: no values named for 'region' (REGION)" in err
    assert api.state.data_requests() == 0


def test_an_endless_timeout_is_a_usage_error(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    code, err = fetch(runner, api.url, "TAB005", "-o", str(tmp_path / "t.px"), "--timeout", "inf")
    assert code == 2
    assert "Invalid value for '--timeout'" in err
    assert api.state.log == []


def test_backoff_doubles_up_to_a_minute(api: RunningApi) -> None:
    api.state.faults.extend([Fault(status=503)] * 9)
    waits: list[float] = []
    with ApiClient(ClientOptions(api=api.url, retries=9), sleep=waits.append) as client:
        client.config()
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]


# -- servers that answer with something no PxWebApi 2 service should send ----------------------


class _Odd(BaseHTTPRequestHandler):
    """Every request gets ``server.answer``: status, headers and body."""

    server: _OddServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        status, headers, body = self.server.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value.replace("{path}", self.path))
        self.end_headers()
        self.wfile.write(body)


class _OddServer(ThreadingHTTPServer):
    daemon_threads = True
    answer: tuple[int, dict[str, str], bytes]


@pytest.fixture
def odd() -> Iterator[_OddServer]:
    server = _OddServer(("127.0.0.1", 0), _Odd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server: _OddServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/api/v2"


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        # A redirect to itself, for ever.
        (
            (302, {"Location": "{path}", "Content-Length": "0"}, b""),
            "error [fetch-failed]: the API's configuration: the answer of {url} cannot be read "
            "(TooManyRedirects",
        ),
        # Said to be gzip, but is not.
        (
            (200, {"Content-Encoding": "gzip", "Content-Length": "8"}, b"not gzip"),
            "error [fetch-failed]: the API's configuration: the answer of {url} cannot be read "
            "(DecodingError",
        ),
        # The answer stops half-way: the service was reached, the network is not the fault.
        (
            (200, {"Content-Length": "1000"}, b'{"maxDataCells": '),
            "error [fetch-failed]: the API's configuration: the connection to {url} broke off once",
        ),
    ],
)
def test_an_answer_that_cannot_be_read_is_exit_2(
    runner: CliRunner,
    odd: _OddServer,
    tmp_path: Path,
    answer: tuple[int, dict[str, str], bytes],
    said: str,
) -> None:
    odd.answer = answer
    code, err = fetch(runner, _url(odd), "TAB005", "-o", str(tmp_path / "t.px"))
    assert code == 2, err
    assert said.format(url=_url(odd)) in err
    assert "internal error" not in err and "cannot reach" not in err


def test_no_test_reaches_the_internet(runner: CliRunner, tmp_path: Path) -> None:
    """conftest's guard: a fetch without --api goes to a closed local port, not to SCB."""
    result = runner.invoke(app, ["fetch", "TAB005", "-o", str(tmp_path / "t.px"), "--retries", "0"])
    assert result.exit_code == 2
    assert "cannot reach https://statistikdatabasen.scb.se/api/v2: " in result.stderr
    assert "refused" in result.stderr  # by the closed port, not a name the DNS looked up


def test_a_specs_api_that_cannot_work_is_named_with_its_path(
    runner: CliRunner, tmp_path: Path
) -> None:
    """It was reported as '--api …', an option the user never gave."""
    spec = tmp_path / "sources.toml"
    spec.write_text('api = "ftp://x"\n[[table]]\nid = "TAB005"\nfile = "t.px"\n', encoding="utf-8")
    result = runner.invoke(app, ["fetch", "--spec", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "error [invalid-sources]" in result.stderr
    assert "api: Value error, must be an http(s) address" in result.stderr
    assert "--api" not in result.stderr


@pytest.mark.parametrize(
    ("first", "second"), [("x.px", "x.px"), ("x.px", "./x.px"), ("x.px", "X.PX")]
)
def test_two_tables_of_a_spec_are_never_written_to_one_file(
    runner: CliRunner, tmp_path: Path, first: str, second: str
) -> None:
    """'./x.px' after 'x.px' silently replaced the first table's file."""
    spec = tmp_path / "sources.toml"
    spec.write_text(
        f'[[table]]\nid = "TAB005"\nfile = "{first}"\n'
        f'[[table]]\nid = "TAB001"\nfile = "{second}"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["fetch", "--spec", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"error [invalid-sources]: {spec}: two tables are written to 'x.px'" in result.stderr
    assert not (tmp_path / "out").exists()


def _one_dimension(values: str) -> object:
    """A JSON-stat 2.0 dataset of one dimension, its values as the API's JSON text."""
    return json.loads(
        '{"class": "dataset", "id": ["R"], "size": [2], "value": ' + values + ","
        ' "dimension": {"R": {"category": {"index": ["a", "b"]}}}}'
    )


def test_small_values_are_written_as_the_api_wrote_them() -> None:
    """1e-05 was written so, and check showed it as 0.0."""
    assert parse_dataset(_one_dimension("[0.00001, 12.5]"), "t").cells == ("0.00001", "12.5")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_a_value_that_is_not_finite_is_not_a_json_stat_answer(value: str) -> None:
    with pytest.raises(ResponseError, match="is not a finite number"):
        parse_dataset(_one_dimension(f"[1, {value}]"), "t")
