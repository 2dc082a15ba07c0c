from __future__ import annotations

import pytest

from urbanscreen.pcaxis import PxError, decode_px, flatten, parse_px

SMALL = """CHARSET="ANSI";
CODEPAGE="{codepage}";
TITLE="Förvärvsfrekvens efter region, kön "
"och år";
CONTENTS="Förvärvsfrekvens";
STUB="region","kön";
HEADING="år";
VALUES("region")="Bergsjön","Hjällbo";
VALUES("kön")="män","kvinnor";
VALUES("år")="2011","2012";
CODES("region")="1480R001","1480R002";
DATA=
1 2
3 4
5 "..."
".." 8;
"""


def test_flattens_stub_slowest_heading_fastest() -> None:
    px = parse_px(SMALL.format(codepage="utf-8"))
    headers, rows = flatten(px)
    assert headers == ["region", "kön", "år", "tabellinnehåll", "värde"]
    assert rows[0] == ["1480R001 Bergsjön", "män", "2011", "Förvärvsfrekvens", "1"]
    assert rows[1][2:] == ["2012", "Förvärvsfrekvens", "2"]
    assert rows[2][:2] == ["1480R001 Bergsjön", "kvinnor"]
    assert [r[-1] for r in rows] == ["1", "2", "3", "4", "5", "...", "..", "8"]


def test_multi_line_strings_join() -> None:
    assert parse_px(SMALL.format(codepage="utf-8")).first("TITLE") == (
        "Förvärvsfrekvens efter region, kön och år"
    )


@pytest.mark.parametrize(("codepage", "encoding"), [("iso-8859-1", "latin-1"), ("utf-8", "utf-8")])
def test_codepage_is_honoured(codepage: str, encoding: str) -> None:
    data = SMALL.format(codepage=codepage).encode(encoding)
    text, used = decode_px(data)
    assert used == codepage
    assert "Hjällbo" in text


def test_translations_are_skipped() -> None:
    text = SMALL.format(codepage="utf-8").replace(
        'CODES("region")', 'VALUES[en]("region")="Bergsjon","Hjallbo";\nCODES("region")'
    )
    _, rows = flatten(parse_px(text))
    assert rows[0][0] == "1480R001 Bergsjön"


def test_truncated_data_is_reported() -> None:
    text = SMALL.format(codepage="utf-8").replace('".." 8;', '"..";')
    with pytest.raises(PxError, match="DATA has 7 values where STUB x HEADING make 8"):
        flatten(parse_px(text))


def test_unterminated_statement_has_a_line() -> None:
    with pytest.raises(PxError) as caught:
        parse_px('CHARSET="ANSI";\nTITLE="never ends\n')
    assert caught.value.line == 2


def test_sparse_keys_are_refused() -> None:
    with pytest.raises(PxError, match="KEYS"):
        parse_px(SMALL.format(codepage="utf-8").replace("DATA=", 'KEYS("region")=CODES;\nDATA='))


def test_unknown_codepage() -> None:
    with pytest.raises(PxError, match="CODEPAGE"):
        decode_px(b'CODEPAGE="klingon-8";\n')
