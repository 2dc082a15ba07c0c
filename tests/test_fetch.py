"""`urbanscreen fetch` against a real local server that speaks PxWebApi 2.

The server (tests/pxwebapi_server.py) serves PX files of the reference server's test
database; no test reaches the internet and none mocks the HTTP client.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.cli import app
from urbanscreen.pcaxis import decode_px, flatten, parse_px
from urbanscreen.pxwebapi.client import ApiClient, ClientOptions, FetchError
from urbanscreen.pxwebapi.dataset import Dataset, Dimension, ResponseError, join
from urbanscreen.pxwebapi.fetch import FetchRequest, fetch_table, read_provenance
from urbanscreen.pxwebapi.provenance import Provenance
from urbanscreen.pxwebapi.selection import Selection, Where, split

from . import pxwebapi_server
from .pxwebapi_server import Fault, RunningApi

# TAB005: 291 regions (Sweden and its 290 municipalities) x 11 land uses x 1 content x
# 2 years = 6 402 cells.
ALL_TAB005 = ("--where", "REGION=*", "--where", "LANDUSECLASS=*")
TAB005_CELLS = 291 * 11 * 1 * 2


@pytest.fixture
def api() -> Iterator[RunningApi]:
    running = pxwebapi_server.start()
    yield running
    running.stop()


def fetch(runner: CliRunner, api: RunningApi, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["fetch", *args, "--api", api.url])
    return result.exit_code, result.stdout, result.stderr


def rows_of(path: Path) -> list[list[str]]:
    """The long rows `check` reads from a PX file."""
    text, _ = decode_px(path.read_bytes())
    return flatten(parse_px(text))[1]


def without_fetch_time(path: Path) -> str:
    return "\n".join(
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("CREATION-DATE=", "URBANSCREEN-FETCHED="))
    )


# -- the cell limit ------------------------------------------------------------------------


def test_a_selection_over_the_cell_limit_is_split_and_joined(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    api.state.max_cells = 1_000
    code, _, err = fetch(runner, api, "TAB005", "-o", str(tmp_path / "split.px"), *ALL_TAB005)
    assert code == 0, err
    # REGION is cut first: 1 000 // (11 x 2) = 45 regions a request, ceil(291 / 45) = 7.
    assert api.state.data_requests() == 7
    assert f"{TAB005_CELLS} cells in 7 requests" in err

    api.state.max_cells = 10_000
    code, _, err = fetch(runner, api, "TAB005", "-o", str(tmp_path / "whole.px"), *ALL_TAB005)
    assert code == 0, err
    assert api.state.data_requests() == 8  # one more: the whole table at once
    assert without_fetch_time(tmp_path / "split.px") == without_fetch_time(tmp_path / "whole.px")


def test_the_written_px_reads_as_the_servers_own_px(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    """The file fetch writes (from JSON-stat, in pieces) gives check the same rows as the
    PX the API itself writes for the same selection."""
    api.state.max_cells = 1_000
    ours = tmp_path / "ours.px"
    assert fetch(runner, api, "TAB005", "-o", str(ours), *ALL_TAB005)[0] == 0
    theirs = tmp_path / "theirs.px"
    api.state.max_cells = 10_000
    answer = httpx.get(
        f"{api.url}/tables/TAB005/data",
        params={
            "lang": "sv",
            "outputFormat": "px",
            "valuecodes[REGION]": "*",
            "valuecodes[LANDUSECLASS]": "*",
        },
    )
    theirs.write_bytes(answer.content)
    assert len(rows_of(ours)) == TAB005_CELLS
    assert rows_of(ours) == rows_of(theirs)
    # Upplands Väsby (0114), arable land (11), 2010 and 2015, as TAB005.px has them.
    assert ["0114 Upplands Väsby", "åkermark", "Land use, hectares", "2010", "1331"] in rows_of(
        ours
    )


def _selection(sizes: list[int]) -> Selection:
    dimensions = tuple(
        Dimension(
            code=f"D{i}",
            label=f"d{i}",
            codes=tuple(f"{i}.{j}" for j in range(n)),
            labels=tuple(f"{i}.{j}" for j in range(n)),
        )
        for i, n in enumerate(sizes)
    )
    return Selection(dimensions, (), "")


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 12), min_size=1, max_size=4),
    limit=st.integers(1, 2_000),
)
def test_split_covers_every_cell_once_and_keeps_each_piece_under_the_limit(
    sizes: list[int], limit: int
) -> None:
    selection = _selection(sizes)
    pieces = split(selection, limit)
    seen: list[tuple[str, ...]] = []
    for piece in pieces:
        cells = 1
        for codes in piece.values():
            cells *= len(codes)
        assert cells <= limit
        # The naive oracle: every combination of the piece, by brute force.
        combos: list[tuple[str, ...]] = [()]
        for codes in piece.values():
            combos = [(*combo, code) for combo in combos for code in codes]
        seen.extend(combos)
    assert len(seen) == len(set(seen)) == selection.cells
    if selection.cells <= limit:
        assert len(pieces) == 1


# -- limits on calls, faults and retries ---------------------------------------------------


def test_the_client_keeps_under_the_rate_limit(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    # 3 pieces of data + config, table and metadata: 6 calls where 4 fit in a second.
    api.state.max_cells, api.state.max_calls, api.state.time_window = 2_200, 4, 1
    started = time.monotonic()
    code, _, err = fetch(runner, api, "TAB005", "-o", str(tmp_path / "t.px"), *ALL_TAB005)
    assert code == 0, err
    assert api.state.data_requests() == 3
    assert api.state.refused == 0  # the server never had to say 429
    assert time.monotonic() - started >= 0.9  # the fifth call waited for the window


def test_429_waits_as_retry_after_says(runner: CliRunner, api: RunningApi, tmp_path: Path) -> None:
    api.state.faults.append(Fault(status=429, retry_after="1"))
    started = time.monotonic()
    code, _, err = fetch(runner, api, "TAB005", "-o", str(tmp_path / "t.px"), *ALL_TAB005)
    assert code == 0, err
    assert time.monotonic() - started >= 1.0
    assert api.state.log[0] == api.state.log[1] == ("GET", "/api/v2/config")  # asked again


def test_server_errors_are_retried_with_backoff(api: RunningApi, tmp_path: Path) -> None:
    api.state.faults.extend([Fault(status=503), Fault(status=502)])
    waits: list[float] = []
    options = ClientOptions(api=api.url, retries=2, backoff=0.5)
    with ApiClient(options, sleep=waits.append) as client:
        outcome = fetch_table(
            client,
            FetchRequest(
                "TAB005",
                tmp_path / "t.px",
                where=(Where("REGION", ("0180",)), Where("LANDUSECLASS", ("11",))),
                years="2015",
            ),
        )
    assert outcome.written
    assert waits == [0.5, 1.0]  # backoff doubles: 0.5 s, then 1 s


def test_server_errors_give_up_after_the_retries(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    api.state.faults.extend([Fault(status=503)] * 2)
    code, _, err = fetch(runner, api, "TAB005", "-o", str(tmp_path / "t.px"), "--retries", "1")
    assert code == 2
    assert "answered 503 Service Unavailable 2 times" in err
    assert "Traceback" not in err
    assert not (tmp_path / "t.px").exists()


def test_a_timeout_is_retried_then_reported(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    api.state.faults.append(Fault(delay=1.5))
    args = ("TAB005", "-o", str(tmp_path / "t.px"), *ALL_TAB005, "--timeout", "0.5")
    code, _, err = fetch(runner, api, *args, "--retries", "0")
    assert code == 2
    assert "did not answer within 0.5 s" in err

    api.state.faults.append(Fault(delay=1.5))
    code, _, err = fetch(runner, api, *args, "--retries", "1")
    assert code == 0, err


def test_no_network_is_exit_2_cannot_reach(runner: CliRunner, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = runner.invoke(
        app,
        [
            "fetch",
            "TAB005",
            "-o",
            str(tmp_path / "t.px"),
            "--retries",
            "0",
            "--api",
            f"http://127.0.0.1:{port}/api/v2",
        ],
    )
    assert result.exit_code == 2
    assert f"cannot reach http://127.0.0.1:{port}/api/v2" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("address", ["statistikdatabasen.scb.se/api/v2", "ftp://127.0.0.1/api"])
def test_an_address_that_cannot_work_is_not_retried(
    runner: CliRunner, tmp_path: Path, address: str
) -> None:
    result = runner.invoke(app, ["fetch", "TAB005", "-o", str(tmp_path / "t.px"), "--api", address])
    assert result.exit_code == 2
    assert f"error [invalid-option]: --api '{address}' is not an http(s) address" in result.stderr


def test_a_failed_download_never_replaces_a_good_file(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    target = tmp_path / "t.px"
    assert fetch(runner, api, "TAB005", "-o", str(target), *ALL_TAB005)[0] == 0
    good = target.read_bytes()
    api.state.max_cells = 1_000
    # The fourth of seven pieces fails for good: config, table and metadata pass first.
    api.state.faults.extend([Fault(), Fault(), Fault(), Fault(), Fault(), Fault()])
    api.state.faults.extend([Fault(status=500)] * 2)
    code, _, err = fetch(
        runner, api, "TAB005", "-o", str(target), *ALL_TAB005, "--force", "--retries", "1"
    )
    assert code == 2, err
    assert target.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.px"]  # no temporary file left


# -- the selection, checked before any data is asked for -----------------------------------


def test_an_unknown_table_is_404_and_exit_2(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    code, _, err = fetch(runner, api, "TAB999", "-o", str(tmp_path / "t.px"))
    assert code == 2
    assert "has no table 'TAB999'" in err
    assert "Node with id, TAB999 can not be found" in err  # the API's own detail
    assert "fetch --search" in err


def test_an_unknown_value_names_the_valid_ones_closest_first(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    code, _, err = fetch(
        runner,
        api,
        "TAB005",
        "-o",
        str(tmp_path / "t.px"),
        "--where",
        "REGION=0180x",
        "--where",
        "LANDUSECLASS=*",
    )
    assert code == 2
    assert "error [invalid-selection]: 'region' (REGION) has no value '0180x'" in err
    assert "closest first: 0180 (Stockholm), " in err
    assert api.state.data_requests() == 0  # checked against the metadata, not the data


def test_an_unknown_dimension_names_the_dimensions_closest_first(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    code, _, err = fetch(
        runner, api, "TAB005", "-o", str(tmp_path / "t.px"), "--where", "Regon=0180"
    )
    assert code == 2
    assert "'Regon': the table has no such dimension" in err
    assert "closest first: REGION (region), " in err


def test_a_value_may_be_named_by_its_label(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    target = tmp_path / "t.px"
    code, _, err = fetch(
        runner,
        api,
        "TAB005",
        "-o",
        str(target),
        "--where",
        "region=Stockholm,göteborg",
        "--where",
        "markanvändning=åkermark",
        "--years",
        "latest",
    )
    assert code == 0, err
    assert [row[0] for row in rows_of(target)] == ["0180 Stockholm", "1480 Göteborg"]
    assert {row[3] for row in rows_of(target)} == {"2015"}


def test_a_selection_that_misses_a_breakdown_is_refused(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    code, _, err = fetch(
        runner, api, "TAB005", "-o", str(tmp_path / "t.px"), "--where", "REGION=0180"
    )
    assert code == 2
    assert (
        "no values chosen for 'markanvändning' (LANDUSECLASS), a breakdown the table cannot "
        "leave out; its values: 11 (åkermark), 14 (betesmark)"
    ) in err
    assert "--where 'LANDUSECLASS=*'" in err
    assert not (tmp_path / "t.px").exists()


def test_a_breakdown_left_out_is_said_aloud(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    """TAB001 may leave out age (ELIMINATION "Total"): the API gives the total, and
    fetch says so rather than drop the breakdown in silence."""
    target = tmp_path / "t.px"
    code, _, err = fetch(
        runner,
        api,
        "TAB001",
        "-o",
        str(target),
        "--lang",
        "en",
        "--where",
        "REGION=SE",
        "--where",
        "SEX=T",
    )
    assert code == 0, err
    assert "note: 'age' (AGE) left out: the table gives its total 'Total'" in err
    assert len(rows_of(target)) == 3  # 1981, 1991, 2001


# -- unchanged releases and provenance -----------------------------------------------------


def test_an_unchanged_table_is_not_fetched_again(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    target = tmp_path / "t.px"
    assert fetch(runner, api, "TAB005", "-o", str(target), *ALL_TAB005)[0] == 0
    before = target.read_bytes()
    code, _, err = fetch(runner, api, "TAB005", "-o", str(target), *ALL_TAB005)
    assert code == 0
    assert "is current: table TAB005 is unchanged since 2023-05-25T15:42:00Z" in err
    assert api.state.data_requests() == 1 and target.read_bytes() == before

    code, _, err = fetch(runner, api, "TAB005", "-o", str(target), *ALL_TAB005, "--force")
    assert code == 0 and api.state.data_requests() == 2

    api.state.tables["TAB005"].updated = "2026-03-01T07:00:00Z"  # a new release
    code, _, err = fetch(runner, api, "TAB005", "-o", str(target), *ALL_TAB005)
    assert code == 0 and api.state.data_requests() == 3
    provenance = read_provenance(target)
    assert provenance is not None and provenance.updated == "2026-03-01T07:00:00Z"


def test_a_file_not_written_by_fetch_is_not_replaced(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    target = tmp_path / "downloaded.px"
    target.write_bytes(b"a download from the website, or anything else")
    args = ("TAB005", "-o", str(target), *ALL_TAB005)
    code, _, err = fetch(runner, api, *args)
    assert code == 2
    assert "exists and was not written by urbanscreen fetch: it is not replaced" in err
    assert target.read_bytes() == b"a download from the website, or anything else"
    assert api.state.log == []
    assert fetch(runner, api, *args, "--force")[0] == 0
    assert read_provenance(target) is not None


def test_a_table_without_an_updated_time_is_always_fetched_again() -> None:
    fetched = Provenance("https://x/api/v2", "T1", "A=*", "", "2026-01-01T00:00:00+00:00", "sv")
    assert not fetched.same_source(fetched)
    dated = replace(fetched, updated="2025-05-01T06:00:00Z")
    assert dated.same_source(replace(dated, fetched="2026-02-01T00:00:00+00:00"))
    assert not dated.same_source(replace(dated, selection="A=1"))


def test_the_library_fetches_as_the_command_does(api: RunningApi, tmp_path: Path) -> None:
    outcome = urbanscreen.fetch(
        "TAB005",
        tmp_path / "t.csv",
        where={"region": ["Stockholm", "1480"], "LANDUSECLASS": "11"},
        years="2010-2015",
        options=ClientOptions(api=api.url, lang="en"),
    )
    assert (outcome.written, outcome.cells, outcome.requests) == (True, 2 * 1 * 1 * 2, 1)
    provenance = read_provenance(tmp_path / "t.csv")
    assert provenance is not None
    assert (
        provenance.selection == "REGION=0180,1480; LANDUSECLASS=11; ContentsCode=*; TIME=2010-2015"
    )
    with pytest.raises(urbanscreen.UrbanscreenError, match="has no table 'NOPE'"):
        urbanscreen.fetch("NOPE", tmp_path / "n.px", options=ClientOptions(api=api.url))


def test_the_file_records_its_provenance(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    target = tmp_path / "t.px"
    fetch(
        runner,
        api,
        "TAB005",
        "-o",
        str(target),
        "--where",
        "REGION=0180,1480",
        "--where",
        "LANDUSECLASS=11",
        "--years",
        "latest",
    )
    provenance = read_provenance(target)
    assert provenance is not None
    assert (provenance.api, provenance.table, provenance.updated) == (
        api.url,
        "TAB005",
        "2023-05-25T15:42:00Z",
    )
    assert provenance.selection == "REGION=0180,1480; LANDUSECLASS=11; ContentsCode=*; TIME=latest"
    assert (provenance.attribution, provenance.license) == ("Källa: SCB", "CC BY 4.0")
    assert provenance.fetched.endswith("+00:00")


CRITERIA = """\
version = 1

[scheme]
name = "Arable land"
lang = "sv"
rule = "all"

[[criteria]]
id = "arable"
label = "Arable land"
column = "Land use, hectares"
unit = "count"
op = ">"
threshold = 1000
"""


@pytest.mark.parametrize("suffix", [".px", ".csv"])
def test_check_carries_the_provenance_into_json_and_the_workbook(
    runner: CliRunner, api: RunningApi, tmp_path: Path, suffix: str
) -> None:
    target = tmp_path / f"land{suffix}"
    code, _, err = fetch(
        runner,
        api,
        "TAB005",
        "-o",
        str(target),
        "--where",
        "REGION=0114,0180,1480",
        "--where",
        "LANDUSECLASS=11",
        "--years",
        "latest",
    )
    assert code == 0, err
    criteria = tmp_path / "land.toml"
    criteria.write_text(CRITERIA, encoding="utf-8")
    report = tmp_path / "report.xlsx"
    result = runner.invoke(
        app,
        [
            "check",
            str(target),
            "--criteria",
            str(criteria),
            "--format",
            "json",
            "--output",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    provenance = document["input"]["provenance"]
    assert provenance["table"] == "TAB005" and provenance["attribution"] == "Källa: SCB"
    # Arable land 2015: Upplands Väsby 1 271 and Göteborg 2 907 ha exceed 1 000, Stockholm's
    # 196 does not.
    assert {d["id"]: d["qualifies"] for d in document["districts"]} == {
        "0114": True,
        "1480": True,
        "0180": False,
    }
    sheet = load_workbook(report)["Ursprung"]
    pairs = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert pairs["Källa (attribution)"] == "Källa: SCB"
    assert pairs["Licens"] == "CC BY 4.0"
    assert pairs["Tabell"] == "TAB005"
    assert pairs["Hämtad från (API)"] == api.url
    assert pairs["Tabellen uppdaterad"] == "2023-05-25T15:42:00Z"


# -- search, spec, usage -------------------------------------------------------------------


def test_search_lists_id_updated_period_and_title(runner: CliRunner, api: RunningApi) -> None:
    code, out, _ = fetch(runner, api, "--search", "land use", "--lang", "en")
    assert code == 0
    assert out.splitlines() == [
        "TAB005  2023-05-25  2010–2015    Land use in Sweden, hectares by region, land use, "
        "contents and year"
    ]


def test_search_knows_when_more_tables_match_than_a_page_holds(api: RunningApi) -> None:
    with ApiClient(ClientOptions(api=api.url, lang="en")) as client:
        tables, total = client.search("tab", page_size=2)
    assert ([t.id for t in tables], total) == (["TAB001", "TAB004"], 3)


def test_a_spec_fetches_every_table_of_a_release(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    spec = tmp_path / "sources.toml"
    spec.write_text(
        """\
lang = "en"

[[table]]
id = "TAB005"
file = "land-use.px"
years = "latest"
where = { REGION = ["0180", "1480"], LANDUSECLASS = "*" }

[[table]]
id = "TAB001"
file = "population.csv"
where = { REGION = "SE", SEX = ["F", "M"] }

[[table]]
id = "TAB005"
file = "counties/arable.csv"
years = "2015"
codelist = { REGION = "agg_Counties" }
where = { REGION = "03", LANDUSECLASS = "11" }
""",
        encoding="utf-8",
    )
    data = tmp_path / "data" / "scb"  # created as needed
    code, _, err = fetch(runner, api, "--spec", str(spec), "-o", str(data))
    assert code == 0, err
    assert len(rows_of(data / "land-use.px")) == 2 * 11  # 2 regions x 11 land uses, 2015
    provenance = read_provenance(data / "population.csv")
    assert provenance is not None and provenance.lang == "en"
    assert provenance.selection == "REGION=SE; SEX=F,M; AGE=(total); ContentsCode=*; TIME=*"
    provenance = read_provenance(data / "counties" / "arable.csv")
    assert provenance is not None
    assert (
        provenance.selection
        == "REGION[agg_Counties]=03; LANDUSECLASS=11; ContentsCode=*; TIME=2015"
    )


def test_a_bad_spec_is_exit_2_with_its_path(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    spec = tmp_path / "sources.toml"
    spec.write_text('[[table]]\nid = "TAB005"\nfile = "x.xlsx"\n', encoding="utf-8")
    code, _, err = fetch(runner, api, "--spec", str(spec), "-o", str(tmp_path))
    assert code == 2
    assert "table.0.file: Value error, must end in .px or .csv" in err


def test_one_file_named_twice_by_a_spec_is_refused(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    # "./a.px" is "a.px": the second table would have replaced the first without a word.
    spec = tmp_path / "sources.toml"
    table = '[[table]]\nid = "TAB005"\nfile = "{}"\nwhere = {{ LANDUSECLASS = "*" }}\n'
    spec.write_text(table.format("a.px") + table.format("./a.px"), encoding="utf-8")
    code, _, err = fetch(runner, api, "--spec", str(spec), "-o", str(tmp_path / "out"))
    assert code == 2
    assert "two tables are written to 'a.px'" in err
    assert api.state.log == []


def test_the_output_format_comes_from_the_suffix(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    code, _, err = fetch(runner, api, "TAB005", "-o", str(tmp_path / "t.xlsx"))
    assert code == 2
    assert "cannot tell the format from the suffix '.xlsx'" in err
    assert api.state.log == []  # refused before any request


def test_help_imports_neither_httpx_nor_pandas() -> None:
    code = (
        "import sys; from urbanscreen.cli import app; "
        "assert 'httpx' not in sys.modules and 'pandas' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- the test server speaks the API as the specification describes --------------------------


def test_the_server_answers_px_csv_and_json_stat_and_problems(api: RunningApi) -> None:
    url = f"{api.url}/tables/TAB005/data"
    query = {"lang": "en", "valuecodes[REGION]": "0180", "valuecodes[LANDUSECLASS]": "11"}
    stat = httpx.get(url, params={**query, "outputFormat": "json-stat2"}).json()
    assert (stat["id"], stat["size"], stat["value"]) == (
        ["REGION", "LANDUSECLASS", "ContentsCode", "TIME"],
        [1, 1, 1, 2],
        [258, 196],
    )
    assert "DATA=\n258 196;" in httpx.get(url, params={**query, "outputFormat": "px"}).text
    csv_text = httpx.get(url, params={**query, "outputFormat": "csv"}).text
    assert csv_text.splitlines()[1] == 'Stockholm,arable land,"Land use, hectares",258,196'
    bad = httpx.get(url, params={**query, "valuecodes[REGION]": "9999"})
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["detail"] == "Value, 9999 is not a valid value code for variable REGION"
    api.state.max_cells = 1
    assert httpx.get(url, params=query).status_code == 403
    assert httpx.get(f"{api.url}/tables/NOPE").status_code == 404
    # Over the rate limit: 429 and how long to wait (the window is 10 s).
    api.state.max_calls = len(api.state.log)
    refused = httpx.get(f"{api.url}/config")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 10


def test_the_client_reports_a_refused_request(api: RunningApi) -> None:
    with ApiClient(ClientOptions(api=api.url)) as client, pytest.raises(FetchError) as caught:
        client.data("TAB005", {"REGION": ["9999"], "LANDUSECLASS": ["11"]})
    assert "refused the request with 400 Bad Request: Value, 9999 is not a valid" in str(
        caught.value
    )


# -- codelists -----------------------------------------------------------------------------

UPPSALA_COUNTY = ("0305", "0319", "0330", "0331", "0360", "0380", "0381", "0382")


def test_a_codelist_groups_the_values_as_the_api_does(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    """Counties (PxWeb's agg_Counties) sum their municipalities: Uppsala county (03) is the
    sum of its eight municipalities' arable land."""
    counties, municipalities = tmp_path / "counties.px", tmp_path / "municipalities.px"
    common = ("--where", "LANDUSECLASS=11", "--years", "2015")
    code, _, err = fetch(
        runner,
        api,
        "TAB005",
        "-o",
        str(counties),
        "--codelist",
        "REGION=agg_Counties",
        "--where",
        "REGION=03",
        *common,
    )
    assert code == 0, err
    code, _, err = fetch(
        runner,
        api,
        "TAB005",
        "-o",
        str(municipalities),
        "--where",
        f"REGION={','.join(UPPSALA_COUNTY)}",
        *common,
    )
    assert code == 0, err
    (county,) = rows_of(counties)
    assert county[0] == "03 Uppsala län"
    assert int(county[-1]) == sum(int(row[-1]) for row in rows_of(municipalities))
    provenance = read_provenance(counties)
    assert provenance is not None
    assert provenance.selection.startswith("REGION[agg_Counties]=03; ")


def test_an_unknown_codelist_names_the_tables_codelists(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    code, _, err = fetch(
        runner,
        api,
        "TAB005",
        "-o",
        str(tmp_path / "t.px"),
        "--codelist",
        "region=agg_County",
        "--lang",
        "en",
    )
    assert code == 2
    assert (
        "--codelist: 'region' (REGION) has no codelist 'agg_County'; closest first: "
        "agg_Counties (Counties)"
    ) in err


def _dimension(code: str, codes: str) -> Dimension:
    return Dimension(code, code.lower(), tuple(codes), tuple(codes))


def test_join_places_each_cell_by_its_codes_whatever_the_pieces_order() -> None:
    whole = (_dimension("R", "ab"), _dimension("T", "xy"))
    pieces = [
        Dataset("t", (_dimension("R", "b"), _dimension("T", "xy")), ("3", "4")),
        # A left-out dimension that comes back as its single total is dropped.
        Dataset(
            "t", (_dimension("R", "a"), _dimension("S", "t"), _dimension("T", "xy")), ("1", "..")
        ),
    ]
    assert join(pieces, whole).cells == ("1", "..", "3", "4")
    with pytest.raises(ResponseError, match="lacks the cell"):
        join(pieces[:1], whole)


def test_a_new_release_is_fetched_and_fails_the_baseline(
    runner: CliRunner, api: RunningApi, tmp_path: Path
) -> None:
    """The weekly job: fetch with the spec, check against the baseline; a quiet week passes,
    a release that moves a district exits 1 naming it."""
    spec = tmp_path / "sources.toml"
    spec.write_text(
        '[[table]]\nid = "TAB005"\nfile = "land.px"\nyears = "latest"\n'
        'where = { REGION = ["0114", "0180", "1480"], LANDUSECLASS = "11" }\n',
        encoding="utf-8",
    )
    criteria = tmp_path / "land.toml"
    criteria.write_text(CRITERIA, encoding="utf-8")
    data, baseline = tmp_path / "data", tmp_path / "baseline.json"
    data.mkdir()

    def weekly() -> tuple[int, str]:
        code, _, err = fetch(runner, api, "--spec", str(spec), "-o", str(data))
        assert code == 0, err
        check = runner.invoke(
            app,
            [
                "check",
                str(data / "land.px"),
                "--criteria",
                str(criteria),
                "--baseline",
                str(baseline),
            ],
        )
        return check.exit_code, check.stderr

    fetch(runner, api, "--spec", str(spec), "-o", str(data))
    first = runner.invoke(
        app, ["check", str(data / "land.px"), "--criteria", str(criteria), "--format", "json"]
    )
    baseline.write_text(first.stdout, encoding="utf-8")
    assert weekly()[0] == 0  # unchanged: nothing fetched, nothing moved

    # Stockholm (0180) is region 17 of 291; arable land (11) is land use 0 of 11; one content;
    # 2015 is year 1 of 2: cell ((17 x 11 + 0) x 1 + 0) x 2 + 1 = 375, 196 ha in TAB005.px.
    table = api.state.tables["TAB005"]
    assert table.cells[375] == "196"
    table.cells[375] = "1500"
    table.updated = "2026-06-01T06:00:00Z"
    code, err = weekly()
    assert code == 1  # Stockholm now has more than 1 000 ha: it entered
    assert "Stockholm" in err
