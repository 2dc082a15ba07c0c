"""A local HTTP server that speaks PxWebApi 2 (PxAPI-2.yml of PxTools/PxApiSpecs) for tests.

It serves the PX files in tests/data/pxwebapi/ (from the reference server's test
database): ``/config``, ``/tables`` (with ``query``), ``/tables/{id}``,
``/tables/{id}/metadata`` (JSON-stat 2.0), and ``/tables/{id}/data`` by GET
(``valuecodes[VAR]=a,b``) or POST (a VariablesSelection) in json-stat2, px or csv.
Errors are RFC 7807 problems: 400 for a bad selection, 403 over the cell limit, 404 for an
unknown table, 429 over the rate limit (with Retry-After). Tests can queue faults
(a 503, a 429, a slow answer) and change a table's ``updated``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import product
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DATABASE = Path(__file__).parent / "data" / "pxwebapi"
PREFIX = "/api/v2"
_KEY = re.compile(r"^([A-Z0-9\-]+)(?:\[([a-z]+)\])?(?:\((.*)\))?$", re.IGNORECASE)


# -- PX files, every language ---------------------------------------------------------------


def _statements(text: str) -> Iterator[tuple[str, str]]:
    position = 0
    while True:
        equals = text.find("=", position)
        if equals < 0:
            return
        cursor, quoted = equals + 1, False
        while text[cursor] != ";" or quoted:
            quoted ^= text[cursor] == '"'
            cursor += 1
        yield text[position:equals].strip(), text[equals + 1 : cursor]
        position = cursor + 1


def _strings(raw: str) -> list[str]:
    """``"a","b"`` -> [a, b]; adjacent strings join ("long " "title"); bare tokens as typed."""
    items: list[str] = []
    current: str | None = None
    for quoted, comma, bare in re.findall(r'"([^"]*)"|(,)|([^\s",]+)', raw):
        if comma:
            items.append(current or "")
            current = None
        else:
            current = (current or "") + (quoted or bare)
    if current is not None:
        items.append(current)
    return items


@dataclass
class Variable:
    code: str
    label: str
    values: list[str]
    codes: list[str]
    elimination: str | None
    role: str | None
    codelists: list[Aggregation] = field(default_factory=list)
    # With a codelist applied: the positions in the file that each value sums.
    groups: list[list[int]] | None = None


@dataclass
class Aggregation:
    """A codelist of type Aggregation (a PxWeb .agg file per language): groups of values."""

    id: str
    domain: str
    names: dict[str, str]  # language -> the codelist's label
    codes: list[str]
    texts: dict[str, list[str]]  # language -> the groups' labels
    members: dict[str, list[str]]  # group code -> value codes of the table

    @classmethod
    def read(cls, paths: list[Path], domain: str) -> Aggregation:
        names: dict[str, str] = {}
        texts: dict[str, list[str]] = {}
        codes: list[str] = []
        members: dict[str, list[str]] = {}
        for path in paths:
            lang = path.stem.rpartition("-")[2]
            section = ""
            for line in path.read_bytes().decode("latin-1").splitlines():
                if line.startswith("["):
                    section = line.strip("[]")
                    continue
                key, _, value = line.partition("=")
                if section == "Aggreg":
                    if key == "Name":
                        names[lang] = value
                    elif key.isdigit() and value not in codes:
                        codes.append(value)
                elif section == "Aggtext":
                    texts.setdefault(lang, []).append(value)
                elif section and key.isdigit() and lang == "en":  # the groups: any language
                    members.setdefault(section, []).append(value)
        return cls("agg_Counties", domain, names, codes, texts, members)

    def apply(self, variable: Variable, lang: str) -> Variable:
        position = {code: i for i, code in enumerate(variable.codes)}
        groups = [[position[m] for m in self.members[code]] for code in self.codes]
        return Variable(
            variable.code,
            variable.label,
            self.texts[lang],
            list(self.codes),
            None,
            variable.role,
            [],
            groups,
        )


@dataclass
class PxTable:
    """One PX file: its keywords per language and its cells."""

    id: str
    keywords: dict[tuple[str, str, str], list[str]]
    cells: list[str]
    default_language: str
    updated: str
    aggregations: list[Aggregation] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> PxTable:
        text = path.read_bytes().decode("latin-1")
        keywords: dict[tuple[str, str, str], list[str]] = {}
        cells: list[str] = []
        for key, raw in _statements(text):
            match = _KEY.match(key)
            assert match, key
            keyword, lang, args = match.group(1), match.group(2) or "", match.group(3) or ""
            if keyword == "DATA":
                cells = [m.group(1) or m.group(2) for m in re.finditer(r'"([^"]*)"|(\S+)', raw)]
                break
            keywords[(keyword, lang, args.strip('"'))] = _strings(raw)
        default = keywords[("LANGUAGE", "", "")][0]
        stamp = keywords[next(k for k in keywords if k[0] == "LAST-UPDATED" and not k[1])][0]
        updated = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:14]}:00Z"
        return cls(keywords[("TABLEID", "", "")][0], keywords, cells, default, updated)

    def word(self, keyword: str, lang: str, arg: str = "") -> list[str]:
        key = (keyword, "" if lang == self.default_language else lang, arg)
        return self.keywords.get(key) or self.keywords.get((keyword, "", arg)) or []

    def variables(self, lang: str, codelists: dict[str, str] | None = None) -> list[Variable]:
        """The variables, with the ``codelists`` (variable code -> codelist id) applied."""
        names = self.word("STUB", lang) + self.word("HEADING", lang)
        default = self.default_language
        default_names = self.word("STUB", default) + self.word("HEADING", default)
        contents = (self.word("CONTVARIABLE", lang) or [""])[0]
        result = []
        for position, name in enumerate(names):
            timeval = self.word("TIMEVAL", lang, name)
            kind = (self.word("VARIABLE-TYPE", lang, name) or [""])[0]
            role = "time" if timeval or kind == "T" else "metric" if name == contents else None
            role = role or ("geo" if kind == "G" else None)
            values = self.word("VALUES", lang, name)
            codes = self.word("CODES", lang, name) or values
            eliminated = (self.word("ELIMINATION", lang, name) or [None])[0]
            elimination = codes[values.index(eliminated)] if eliminated in values else None
            code = (self.word("VARIABLECODE", lang, name) or [name])[0]
            domain = (self.keywords.get(("DOMAIN", "", default_names[position])) or [""])[0]
            offered = [a for a in self.aggregations if a.domain == domain]
            variable = Variable(code, name, values, codes, elimination, role, offered)
            wanted = (codelists or {}).get(code)
            if wanted is not None:
                found = [a for a in offered if a.id == wanted]
                if not found:
                    raise ApiError(
                        400, "Bad Request", f"Codelist {wanted} is not a codelist of {code}"
                    )
                variable = found[0].apply(variable, lang)
            result.append(variable)
        unknown = set(codelists or {}) - {v.code for v in result}
        if unknown:
            raise ApiError(400, "Bad Request", f"Variable {sorted(unknown)[0]} is not a variable")
        return result

    def title(self, lang: str) -> str:
        return self.word("TITLE", lang)[0]

    def info(self, lang: str) -> dict[str, Any]:
        times = [v for v in self.variables(lang) if v.role == "time"]
        return {
            "id": self.id,
            "label": self.title(lang),
            "description": "",
            "updated": self.updated,
            "firstPeriod": times[0].codes[0] if times else None,
            "lastPeriod": times[0].codes[-1] if times else None,
            "variableNames": [v.label for v in self.variables(lang)],
            "source": (self.word("SOURCE", lang) or [""])[0],
            "links": [{"rel": "self", "hreflang": lang, "href": f"{PREFIX}/tables/{self.id}"}],
        }


# -- the server ----------------------------------------------------------------------------


@dataclass
class Fault:
    """What the next request gets instead of its answer (or before it: a delay)."""

    status: int = 0
    retry_after: str | None = None
    delay: float = 0.0


@dataclass
class ApiState:
    tables: dict[str, PxTable]
    max_cells: int = 10_000
    max_calls: int = 1_000
    time_window: int = 10
    faults: deque[Fault] = field(default_factory=deque)
    log: list[tuple[str, str]] = field(default_factory=list)
    refused: int = 0  # 429s sent for the rate limit
    calls: deque[float] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def data_requests(self) -> int:
        return sum(1 for _, path in self.log if path.endswith("/data"))


class ApiError(Exception):
    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet in tests

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def _answer(self, method: str) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        with state.lock:
            state.log.append((method, url.path))
            fault = state.faults.popleft() if state.faults else None
            refused_for = self._rate_limited(state)
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.status:
            retry = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            phrase = HTTPStatus(fault.status).phrase
            self._problem(ApiError(fault.status, phrase, "a fault the test asked for"), retry)
            return
        if refused_for is not None:
            with state.lock:
                state.refused += 1
            detail = f"You have reached the threshold: {state.max_calls} requests per window"
            error = ApiError(429, "Too many requests", detail)
            self._problem(error, {"Retry-After": str(refused_for)})
            return
        try:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            content_type, payload = self._route(method, url.path, query, body)
        except ApiError as exc:
            self._problem(exc, {})
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _rate_limited(self, state: ApiState) -> int | None:
        now = time.monotonic()
        while state.calls and now - state.calls[0] >= state.time_window:
            state.calls.popleft()
        if len(state.calls) >= state.max_calls:
            return max(1, math.ceil(state.calls[0] + state.time_window - now))
        state.calls.append(now)
        return None

    def _problem(self, exc: ApiError, headers: dict[str, str]) -> None:
        payload = json.dumps({"title": exc.title, "status": exc.status, "detail": exc.detail})
        self.send_response(exc.status)
        self.send_header("Content-Type", "application/problem+json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload.encode())))
        self.end_headers()
        self.wfile.write(payload.encode())

    def _route(
        self, method: str, path: str, query: dict[str, str], body: bytes
    ) -> tuple[str, bytes]:
        state = self.server.state
        lang = query.get("lang", "en")
        if not path.startswith(PREFIX):
            raise ApiError(404, "Not Found", f"no resource {path}")
        parts = [unquote(p) for p in path[len(PREFIX) :].strip("/").split("/")]
        if parts == ["config"]:
            return "application/json", json.dumps(config(state)).encode()
        if parts == ["tables"]:
            return "application/json", json.dumps(search(state, query, lang)).encode()
        if parts[0] != "tables" or len(parts) > 3:
            raise ApiError(404, "Not Found", f"no resource {path}")
        table = state.tables.get(parts[1].upper())
        if table is None:
            raise ApiError(404, "Not Found", f"Node with id, {parts[1]} can not be found")
        if len(parts) == 2:
            return "application/json", json.dumps({"language": lang, **table.info(lang)}).encode()
        codelists = {
            k[len("codelist[") : -1]: v[-1]
            for k, v in parse_qs(urlsplit(self.path).query).items()
            if k.lower().startswith("codelist[")
        }
        if parts[2] == "metadata":
            variables = table.variables(lang, codelists)
            return "application/json", json.dumps(jsonstat(table, lang, variables)).encode()
        if parts[2] != "data":
            raise ApiError(404, "Not Found", f"no resource {path}")
        if method == "POST":
            items = json.loads(body or b'{"selection": []}')["selection"]
            selection = {item["variableCode"]: item["valueCodes"] for item in items}
            codelists = {i["variableCode"]: i["codelist"] for i in items if i.get("codelist")}
        else:
            codes = parse_qs(urlsplit(self.path).query)
            selection = {
                k[len("valuecodes[") : -1]: v[-1].split(",")
                for k, v in codes.items()
                if k.lower().startswith("valuecodes[")
            }
        cube = subset(table, table.variables(lang, codelists), selection, state.max_cells)
        cube.label = table.title(lang)
        output = query.get("outputFormat", "json-stat2")
        if output == "json-stat2":
            document = jsonstat(table, lang, cube.variables, cube.cells)
            return "application/json", json.dumps(document).encode()
        if output == "px":
            return "application/octet-stream", px_text(table, lang, cube).encode("utf-8")
        if output == "csv":
            return "text/csv", csv_text(cube).encode("utf-8")
        raise ApiError(400, "Bad Request", f"outputFormat {output} is not supported here")


def config(state: ApiState) -> dict[str, Any]:
    return {
        "apiVersion": "2.0.0",
        "appVersion": "test",
        "languages": [{"id": "en", "label": "English"}, {"id": "sv", "label": "Svenska"}],
        "defaultLanguage": "en",
        "maxDataCells": state.max_cells,
        "maxCallsPerTimeWindow": state.max_calls,
        "timeWindow": state.time_window,
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "sourceReferences": [
            {"language": "en", "text": "Source: Statistics Sweden"},
            {"language": "sv", "text": "Källa: SCB"},
        ],
        "defaultDataFormat": "json-stat2",
        "dataFormats": ["json-stat2", "csv", "px"],
    }


def search(state: ApiState, query: dict[str, str], lang: str) -> dict[str, Any]:
    words = query.get("query", "").casefold().split()
    size = int(query.get("pageSize", "100"))
    found = [
        table.info(lang)
        for table in state.tables.values()
        if all(w in f"{table.id} {table.title(lang)}".casefold() for w in words)
    ]
    return {
        "language": lang,
        "tables": found[:size],
        "page": {
            "pageNumber": 1,
            "pageSize": size,
            "totalElements": len(found),
            "totalPages": max(1, math.ceil(len(found) / size)),
        },
    }


@dataclass
class Cube:
    variables: list[Variable]  # with the chosen values only
    cells: list[str]
    label: str


def subset(
    table: PxTable, variables: list[Variable], selection: dict[str, list[str]], limit: int
) -> Cube:
    """The cells of ``selection``; a codelist's value sums the cells of its group."""
    known = {v.code for v in variables}
    for code in selection:
        if code not in known:
            raise ApiError(400, "Bad Request", f"Variable {code} is not a variable of the table")
    chosen: list[list[int]] = []
    for variable in variables:
        wanted = selection.get(variable.code)
        if wanted is None:
            if variable.elimination is not None:
                chosen.append([variable.codes.index(variable.elimination)])
            elif variable.role != "time" and len(variable.codes) > 1:
                raise ApiError(400, "Bad Request", f"Mandatory variable {variable.code} is missing")
            else:
                chosen.append(list(range(len(variable.codes))))
            continue
        if wanted == ["*"]:
            chosen.append(list(range(len(variable.codes))))
            continue
        for code in wanted:
            if code not in variable.codes:
                raise ApiError(
                    400,
                    "Bad Request",
                    f"Value, {code} is not a valid value code for variable {variable.code}",
                )
        chosen.append([i for i, c in enumerate(variable.codes) if c in set(wanted)])
    cells = math.prod(len(c) for c in chosen)
    if cells > limit:
        raise ApiError(403, "Forbidden", f"{cells} cells exceed the allowed {limit}")
    sizes = [len(table.variables(table.default_language)[i].codes) for i in range(len(variables))]
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(sizes))]
    groups = [v.groups or [[i] for i in range(len(v.codes))] for v in variables]
    out = []
    for index in product(*chosen):
        members = product(*(group[i] for group, i in zip(groups, index, strict=True)))
        found = [table.cells[sum(i * s for i, s in zip(m, strides, strict=True))] for m in members]
        out.append(found[0] if len(found) == 1 else _sum(found))
    # A variable left out and eliminated by its total value disappears from the answer.
    kept = [
        Variable(
            v.code,
            v.label,
            [v.values[i] for i in c],
            [v.codes[i] for i in c],
            v.elimination,
            v.role,
            v.codelists,
        )
        for v, c in zip(variables, chosen, strict=True)
        if v.code in selection or v.elimination is None
    ]
    return Cube(kept, out, "")


def _sum(cells: list[str]) -> str:
    try:
        return str(sum(int(cell) for cell in cells))
    except ValueError:
        return ".."


def jsonstat(
    table: PxTable, lang: str, variables: list[Variable], cells: list[str] | None = None
) -> dict[str, Any]:
    dimension = {}
    for v in variables:
        category: dict[str, Any] = {
            "index": {c: i for i, c in enumerate(v.codes)},
            "label": dict(zip(v.codes, v.values, strict=True)),
        }
        if v.role == "metric":
            units = (table.word("UNITS", lang) or [""])[0]
            category["unit"] = {c: {"base": units, "decimals": 0} for c in v.codes}
        extension: dict[str, Any] = {
            "elimination": v.elimination is not None,
            "show": "value",
            "codelists": [
                {"id": a.id, "label": a.names[lang], "type": "Aggregation", "links": []}
                for a in v.codelists
            ],
        }
        if v.elimination is not None:
            extension["eliminationValueCode"] = v.elimination
        dimension[v.code] = {"label": v.label, "category": category, "extension": extension}
    roles: dict[str, list[str]] = {}
    for v in variables:
        if v.role:
            roles.setdefault(v.role, []).append(v.code)
    values: list[float | None] = []
    status: dict[str, str] = {}
    for position, cell in enumerate(cells or []):
        try:
            values.append(float(cell) if "." in cell.strip(".") else int(cell))
        except ValueError:
            values.append(None)
            status[str(position)] = cell
    return {
        "version": "2.0",
        "class": "dataset",
        "label": table.title(lang),
        "source": (table.word("SOURCE", lang) or [""])[0],
        "updated": table.updated,
        "note": table.word("NOTE", lang),
        "role": roles,
        "id": [v.code for v in variables],
        "size": [len(v.codes) for v in variables],
        "dimension": dimension,
        "extension": {
            "px": {
                "tableid": table.id,
                "decimals": int((table.word("DECIMALS", lang) or ["0"])[0]),
                "contents": (table.word("CONTENTS", lang) or [""])[0],
                "matrix": (table.word("MATRIX", lang) or [table.id])[0],
                "language": lang,
            }
        },
        "value": values,
        **({"status": status} if status else {}),
    }


def px_text(table: PxTable, lang: str, cube: Cube) -> str:
    def strings(items: list[str]) -> str:
        return ",".join(f'"{item}"' for item in items)

    names = [v.label for v in cube.variables]
    lines = [
        'CODEPAGE="utf-8";',
        f'LANGUAGE="{lang}";',
        f"DECIMALS={(table.word('DECIMALS', lang) or ['0'])[0]};",
        f'MATRIX="{table.id}";',
        f'TITLE="{table.title(lang)}";',
        f'CONTENTS="{(table.word("CONTENTS", lang) or [""])[0]}";',
        f'UNITS="{(table.word("UNITS", lang) or [""])[0]}";',
        f"STUB={strings(names[:-1])};",
        f"HEADING={strings(names[-1:])};",
    ]
    for v in cube.variables:
        lines.append(f'VALUES("{v.label}")={strings(v.values)};')
        lines.append(f'CODES("{v.label}")={strings(v.codes)};')
    lines.append(f'SOURCE="{(table.word("SOURCE", lang) or [""])[0]}";')
    lines.append("DATA=")
    width = len(cube.variables[-1].codes)
    for start in range(0, len(cube.cells), width):
        row = cube.cells[start : start + width]
        lines.append(
            " ".join(c if c.lstrip("-").replace(".", "", 1).isdigit() else f'"{c}"' for c in row)
        )
    return "\n".join(lines) + ";\n"


def csv_text(cube: Cube) -> str:
    """PxWeb's CSV: the stub variables as columns, one column per heading value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    stub, heading = cube.variables[:-1], cube.variables[-1]
    writer.writerow([v.label for v in stub] + [f"{cube.label} {value}" for value in heading.values])
    width = len(heading.codes)
    for row, combination in enumerate(product(*(v.values for v in stub))):
        writer.writerow([*combination, *cube.cells[row * width : (row + 1) * width]])
    return out.getvalue()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ApiState


@dataclass
class RunningApi:
    """A server on 127.0.0.1 and its state; ``url`` is the API's base URL."""

    url: str
    state: ApiState
    server: _Server

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start(**settings: Any) -> RunningApi:
    tables = {path.stem.upper(): PxTable.read(path) for path in sorted(DATABASE.glob("*.px"))}
    # PxWeb's Counties aggregation groups the municipalities of TAB005's region domain.
    counties = Aggregation.read(sorted(DATABASE.glob("Counties-*.agg")), "Municipalites07")
    for table in tables.values():
        table.aggregations = [counties]
    state = ApiState(tables=tables, **settings)
    server = _Server(("127.0.0.1", 0), Handler)
    server.state = state
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return RunningApi(f"http://127.0.0.1:{server.server_address[1]}{PREFIX}", state, server)
