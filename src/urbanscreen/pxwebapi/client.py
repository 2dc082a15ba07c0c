"""An HTTP client for PxWebApi 2 that keeps to the API's limits.

It reads ``/config`` once for the cell limit and the rate limit, waits rather than
exceed the rate limit, waits as ``Retry-After`` says on 429, retries server errors and
timeouts a bounded number of times with exponential backoff, and turns every failure
into a one-line :class:`FetchError` (exit 2).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from urbanscreen import __version__
from urbanscreen.errors import OptionError, UrbanscreenError, shorten
from urbanscreen.pxwebapi import DEFAULT_API, DEFAULT_LANGUAGE
from urbanscreen.pxwebapi.dataset import Dataset, parse_dataset
from urbanscreen.pxwebapi.provenance import DEFAULT_ATTRIBUTION, DEFAULT_LICENSE

MAX_RETRY_AFTER = 300.0  # seconds; a longer wait is a failure, not a pause
MAX_WAITS_FOR_429 = 5
MAX_BACKOFF = 60.0  # seconds; the longest pause between retries after a fault
SEARCH_PAGE = 100
REPORT_DIFFERENCE = "if the live service differs from PxWebApi 2, see docs/fetch.md"


class FetchError(UrbanscreenError):
    """The API cannot be reached or refused the request."""

    code = "fetch-failed"


class TableNotFoundError(FetchError):
    """The API has no table by that id."""

    code = "table-not-found"


@dataclass(frozen=True)
class ClientOptions:
    """Where to fetch from and how patiently."""

    api: str = DEFAULT_API
    lang: str = DEFAULT_LANGUAGE
    timeout: float = 30.0  # seconds per request
    retries: int = 3  # after a server error or a timeout
    backoff: float = 1.0  # seconds before the first retry; doubled for each next one


@dataclass(frozen=True)
class ApiConfig:
    """The parts of ``/config`` a client must respect, and how to cite the data."""

    max_cells: int
    max_calls: int
    time_window: float
    api_version: str
    license: str = DEFAULT_LICENSE
    attributions: Mapping[str, str] = field(default_factory=dict)

    def attribution(self, lang: str) -> str:
        return self.attributions.get(lang) or DEFAULT_ATTRIBUTION


@dataclass(frozen=True)
class TableInfo:
    """One entry of ``/tables``: what ``fetch --search`` lists."""

    id: str
    label: str
    updated: str
    first_period: str
    last_period: str


class ApiClient:
    """Calls to one PxWebApi 2 service. Use as a context manager to close connections."""

    def __init__(
        self,
        options: ClientOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        _check_address(options.api)
        self.options = options
        self._sleep = sleep
        self._clock = clock
        self._http = httpx.Client(
            base_url=options.api.rstrip("/") + "/",
            timeout=options.timeout,
            headers={"User-Agent": f"urbanscreen/{__version__}", "Accept": "application/json"},
            follow_redirects=True,
        )
        self._config: ApiConfig | None = None
        self._calls: deque[float] = deque()  # when recent calls were answered

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    # -- endpoints ------------------------------------------------------------------------

    def config(self) -> ApiConfig:
        if self._config is None:
            body = self._json("GET", "config", what="the API's configuration")
            try:
                self._config = ApiConfig(
                    max_cells=int(body["maxDataCells"]),
                    max_calls=int(body["maxCallsPerTimeWindow"]),
                    time_window=float(body["timeWindow"]),
                    api_version=str(body.get("apiVersion", "")),
                    license=_license_name(str(body.get("license") or "")),
                    attributions={
                        str(ref["language"]): str(ref["text"])
                        for ref in body.get("sourceReferences") or ()
                    },
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise self._bad_answer("/config", exc) from exc
        return self._config

    def table(self, table_id: str) -> TableInfo:
        path = _table_path(table_id)
        body = self._json("GET", path, what=f"table {table_id}", table=table_id)
        return self._table_info(body, f"/{path}")

    def metadata(self, table_id: str, codelists: Mapping[str, str] | None = None) -> Dataset:
        """The table's dimensions, with ``codelists`` (dimension code -> codelist id) applied."""
        body = self._json(
            "GET",
            _table_path(table_id, "metadata"),
            what=f"table {table_id}",
            table=table_id,
            params={f"codelist[{code}]": codelist for code, codelist in (codelists or {}).items()},
        )
        return parse_dataset(body, f"{self.options.api}/tables/{table_id}/metadata")

    def data(
        self,
        table_id: str,
        query: Mapping[str, Sequence[str]],
        codelists: Mapping[str, str] | None = None,
    ) -> Dataset:
        """Cells of ``query`` (dimension code -> value codes, of ``codelists`` where given)
        as JSON-stat 2.0.

        POST, as the specification allows, so that thousands of area codes never make a
        URL too long for a proxy.
        """
        grouped = codelists or {}
        body = {
            "selection": [
                {
                    "variableCode": code,
                    "valueCodes": list(values),
                    **({"codelist": grouped[code]} if code in grouped else {}),
                }
                for code, values in query.items()
            ]
        }
        answer = self._json(
            "POST",
            _table_path(table_id, "data"),
            what=f"data of table {table_id}",
            table=table_id,
            params={"outputFormat": "json-stat2"},
            body=body,
        )
        return parse_dataset(answer, f"{self.options.api}/tables/{table_id}/data")

    def search(self, words: str, page_size: int = SEARCH_PAGE) -> tuple[list[TableInfo], int]:
        """Tables whose metadata match ``words`` (the first page of ``/tables?query=``), and
        how many match in all."""
        body = self._json(
            "GET",
            "tables",
            what="the table search",
            params={"query": words, "pageSize": str(page_size)},
        )
        tables = body.get("tables")
        if not isinstance(tables, list):
            raise self._bad_answer("/tables", ValueError("no 'tables' list"))
        page = body.get("page")
        total = page.get("totalElements") if isinstance(page, dict) else None
        found = [self._table_info(table, "/tables") for table in tables]
        return found, total if isinstance(total, int) else len(found)

    # -- transport ------------------------------------------------------------------------

    def _json(
        self,
        method: str,
        path: str,
        *,
        what: str,
        table: str | None = None,
        params: Mapping[str, str] | None = None,
        body: object = None,
    ) -> dict[str, Any]:
        response = self._send(method, path, what=what, table=table, params=params, body=body)
        try:
            answer = response.json()
        except ValueError as exc:
            raise self._bad_answer(f"/{path}", exc) from exc
        if not isinstance(answer, dict):
            raise self._bad_answer(f"/{path}", ValueError("not a JSON object"))
        return answer

    def _send(
        self,
        method: str,
        path: str,
        *,
        what: str,
        table: str | None,
        params: Mapping[str, str] | None,
        body: object,
    ) -> httpx.Response:
        query = {"lang": self.options.lang, **(params or {})}
        failures = waits = 0
        while True:
            self._wait_for_room()
            try:
                response = self._http.request(method, path, params=query, json=body)
            except httpx.TransportError as exc:  # timeouts included
                failures += 1
                if failures > self.options.retries:
                    raise self._unreachable(what, exc, failures) from exc
                self._back_off(failures)
                continue
            except httpx.RequestError as exc:  # a redirect loop, a body that does not decode
                raise FetchError(
                    f"{what}: the answer of {self.options.api} cannot be read "
                    f"({type(exc).__name__}: {shorten(str(exc), 120)})",
                    hint=REPORT_DIFFERENCE,
                ) from exc
            finally:
                self._calls.append(self._clock())
            status = response.status_code
            if status == 429:
                waits += 1
                wait = _retry_after(response.headers.get("Retry-After"), self.options.backoff)
                if waits > MAX_WAITS_FOR_429 or wait > MAX_RETRY_AFTER:
                    raise FetchError(
                        f"{what}: {self.options.api} keeps answering 429 Too Many Requests "
                        f"(asked to wait {wait:g} s)",
                        hint="try again later",
                    )
                self._sleep(wait)
            elif status >= 500:
                failures += 1
                if failures > self.options.retries:
                    raise FetchError(
                        f"{what}: {self.options.api} answered {status} "
                        f"{response.reason_phrase} {_times(failures)}{_detail(response)}",
                        hint="the service has trouble; try again later",
                    )
                self._back_off(failures)
            elif status == 404 and table is not None:
                raise TableNotFoundError(
                    f"{self.options.api} has no table {table!r}{_detail(response)}",
                    hint="find the table's id with urbanscreen fetch --search WORDS",
                )
            elif status >= 400:
                raise FetchError(
                    f"{what}: {self.options.api} refused the request with {status} "
                    f"{response.reason_phrase}{_detail(response)}",
                    hint=REPORT_DIFFERENCE,
                )
            else:
                return response

    def _unreachable(self, what: str, exc: httpx.TransportError, failures: int) -> FetchError:
        if isinstance(exc, httpx.TimeoutException):
            return FetchError(
                f"{what}: {self.options.api} did not answer within "
                f"{self.options.timeout:g} s, {_times(failures)} ({type(exc).__name__})",
                hint="try again later, or allow more time with --timeout",
            )
        reason = shorten(str(exc) or type(exc).__name__, 200)
        if isinstance(exc, httpx.ConnectError | httpx.ProxyError | httpx.UnsupportedProtocol):
            return FetchError(
                f"cannot reach {self.options.api}: {reason}",
                hint="check the network connection and the --api address",
            )
        return FetchError(  # reached, but the answer broke off: not a network to check
            f"{what}: the connection to {self.options.api} broke off {_times(failures)}: {reason}",
            hint="try again later, or with more --retries",
        )

    def _wait_for_room(self) -> None:
        """Wait until one more call fits in the API's window of calls.

        A call counts from when its answer came, which is later than when the server
        counted it: the client's window is never ahead of the server's.
        """
        config = self._config
        if config is None:
            return
        now = self._clock()
        while self._calls and now - self._calls[0] >= config.time_window:
            self._calls.popleft()
        if len(self._calls) >= config.max_calls:
            self._sleep(self._calls[0] + config.time_window - now)
            self._calls.popleft()

    def _back_off(self, failures: int) -> None:
        # Doubling, but never more than MAX_BACKOFF: many --retries stay a bounded wait.
        self._sleep(min(self.options.backoff * 2 ** min(failures - 1, 32), MAX_BACKOFF))

    def _table_info(self, body: object, where: str) -> TableInfo:
        if not isinstance(body, dict):
            raise self._bad_answer(where, TypeError("not a JSON object"))
        try:
            return TableInfo(
                id=str(body["id"]),
                label=str(body.get("label") or ""),
                updated=str(body.get("updated") or ""),
                first_period=str(body.get("firstPeriod") or ""),
                last_period=str(body.get("lastPeriod") or ""),
            )
        except KeyError as exc:
            raise self._bad_answer(where, exc) from exc

    def _bad_answer(self, where: str, exc: Exception) -> FetchError:
        return FetchError(
            f"{self.options.api}{where}: the answer is not what PxWebApi 2 describes "
            f"({type(exc).__name__}: {shorten(str(exc), 120)})",
            hint=REPORT_DIFFERENCE,
        )


def _table_path(table_id: str, *rest: str) -> str:
    """``tables/{id}[/rest]`` with the id as one path segment: a ``/``, ``?`` or ``#`` in
    it can never reach another endpoint."""
    if not table_id.strip().strip("."):
        raise OptionError(
            f"{shorten(table_id)!r} is not a table id",
            hint="find the table's id with urbanscreen fetch --search WORDS",
        )
    return "/".join(("tables", quote(table_id, safe=""), *rest))


def _check_address(api: str) -> None:
    """An address that can never work is a usage error, not something to retry."""
    try:
        url = httpx.URL(api)
    except httpx.InvalidURL as exc:
        raise OptionError(f"--api {shorten(api)!r} is not a URL: {exc}") from exc
    if url.scheme not in {"http", "https"} or not url.host:
        raise OptionError(
            f"--api {shorten(api)!r} is not an http(s) address",
            hint=f"for SCB: --api {DEFAULT_API}",
        )


def _retry_after(header: str | None, default: float) -> float:
    """Seconds to wait: ``Retry-After`` is delta-seconds or an HTTP date."""
    if header is None:
        return default
    text = header.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return default
    return max(0.0, moment.timestamp() - time.time())


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _detail(response: httpx.Response) -> str:
    """The Problem's ``detail`` (RFC 7807) or ``title``, if the answer has one."""
    try:
        problem = response.json()
    except ValueError:
        return ""
    if not isinstance(problem, dict):
        return ""
    text = problem.get("detail") or problem.get("title")
    return f": {shorten(str(text), 200)}" if text else ""


def _license_name(license_url: str) -> str:
    """CC BY 4.0 for the Creative Commons URL SCB gives; any other licence as given."""
    if "creativecommons.org/licenses/by/4.0" in license_url:
        return DEFAULT_LICENSE
    return license_url or DEFAULT_LICENSE
