"""Old and unusual workbooks that other readers open are read; formats no maintained reader reads are named.

Issue 14, items 2 and 3: Excel 5.0/95 (BIFF5), ``Book``/``BOOK`` workbook streams, .xlsb chart sheets, Excel 4.0
macro sheets, zip parts with backslash paths, ``<dimension>`` refs that are not ranges, far cells that carry a
style but no value, a sparse legacy sheet refused before any parser lays it out, and a reader killed for memory.
Real files come from tests/data/corpus (see its README for sources and licences); the rest are built here.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from conftest import EN_HEADERS, WORKED_EXAMPLE, kactier_within_1_gib, run, sheet_values
from crafted import SHEET, members, rewrite_member, valid_workbook, write_zip
from legacy_files import CORPUS, biff5_workbook, renamed_stream

from kactier.errors import ExitCode, InputError, Phrase
from kactier.read import biff, legacy
from kactier.read.opening import open_input

LEGACY = Path(__file__).parent / "data" / "legacy"
# (customer, composite, tier) of the worked example, as every format must grade it
GRADED = [("C001", 85, "A"), ("C002", 81, "B")]


def graded(output: Path) -> list[tuple[str, float, str]]:
    rows = sheet_values(output)
    header = rows[0]
    at = {name: header.index(name) for name in ("客户编号", "综合得分", "客户级别")}
    return [(r[at["客户编号"]], r[at["综合得分"]], r[at["客户级别"]]) for r in rows[1:] if r[0]]


def scored(source: Path, tmp_path: Path) -> list[tuple[str, float, str]]:
    output = tmp_path / "out.xlsx"
    result = run("score", source, "-o", output, "--quiet")
    assert result.exit_code == ExitCode.OK, result.stderr
    return graded(output)


def one_line(result_stderr: str) -> str:
    lines = result_stderr.strip().splitlines()
    assert len(lines) == 1, result_stderr
    return lines[0]


# -- Excel 5.0/95 and renamed workbook streams ---------------------------------------------------------------------


def test_an_excel_95_workbook_is_graded_as_its_xlsx_would_be(tmp_path: Path) -> None:
    # Western code page: calamine decodes BIFF5 text byte by byte, so GBK (936) text comes out garbled
    rows: list[list[object]] = [
        list(EN_HEADERS),
        *([f"C00{i + 1}", f"Company {i + 1}", *r[2:]] for i, r in enumerate(WORKED_EXAMPLE)),
    ]
    source = biff5_workbook(tmp_path / "customers.xls", "Customers", rows, codepage=1252)
    output = tmp_path / "out.xlsx"
    result = run("score", source, "-o", output, "--quiet")
    assert result.exit_code == ExitCode.OK, result.stderr
    values = sheet_values(output)
    at = {name: values[0].index(name) for name in ("Customer ID", "Score", "Tier")}
    assert [(r[at["Customer ID"]], r[at["Score"]], r[at["Tier"]]) for r in values[1:3]] == GRADED


def test_real_excel_95_files_open(tmp_path: Path) -> None:
    for name in ("poi/testEXCEL_95.xls", "poi/testEXCEL_5.xls", "calamine/biff5_write.xls"):
        with open_input(CORPUS / name) as opened:
            assert opened.sheet_names(), name


@pytest.mark.parametrize("stream", ["Book", "BOOK"])
def test_a_workbook_stream_named_book_is_read(tmp_path: Path, stream: str) -> None:
    source = renamed_stream(LEGACY / "worked_example.xls", tmp_path / "renamed.xls", stream)
    assert scored(source, tmp_path)[:2] == GRADED


def test_calamines_capitalised_book_stream_file_opens() -> None:
    result = run("score", CORPUS / "calamine/capitalized_wbook_stream.xls")
    assert result.exit_code == ExitCode.DATA  # read: it holds no customer sheet
    assert "no header row found" in one_line(result.stderr)


# -- chart sheets, macro sheets --------------------------------------------------------------------------------------


def test_an_xlsb_with_a_chart_sheet_reads_its_worksheets() -> None:
    result = run("score", CORPUS / "calamine/any_sheets.xlsb")
    assert result.exit_code == ExitCode.DATA, result.stderr  # read: no customer header in its sheets
    assert "sheet 'Visible'" in one_line(result.stderr)


MACRO_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="str"><f>HALT()</f><v>客户编号</v></c></row></sheetData></xm:macrosheet>'
)


def with_macro_sheet(source: Path, target: Path) -> Path:
    """A copy of ``source`` with an Excel 4.0 macro sheet listed first in the workbook, as Excel saves one."""
    parts = members(source)
    parts["xl/macrosheets/sheet1.xml"] = MACRO_SHEET.encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdM1" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
        b'Target="macrosheets/sheet1.xml"/></Relationships>',
    )
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<sheets>", b'<sheets><sheet name="Macro1" sheetId="9" r:id="rIdM1"/>'
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/macrosheets/sheet1.xml" '
        b'ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>',
    )
    return write_zip(target, parts)


def test_a_workbook_with_an_excel_4_macro_sheet_is_graded_without_it(tmp_path: Path) -> None:
    source = with_macro_sheet(valid_workbook(tmp_path / "plain.xlsx"), tmp_path / "macro.xlsm")
    with open_input(source) as opened:
        assert opened.sheet_names() == ["客户信息"]  # the macro sheet is never offered as data
    assert scored(source, tmp_path) == GRADED
    assert (
        source.read_bytes() == with_macro_sheet(tmp_path / "plain.xlsx", tmp_path / "again.xlsm").read_bytes()
    )


@pytest.mark.parametrize("name", ["poi/xlmmacro.xlsm", "poi/64420.xlsm", "sheetjs/BlankSheetTypes.xlsm"])
def test_real_macro_sheet_workbooks_open(name: str) -> None:
    result = run("score", CORPUS / name)
    assert result.exit_code == ExitCode.DATA, result.stderr  # read: they hold no customer sheet
    assert "Macro" not in one_line(result.stderr)  # no macro sheet among the sheets looked at


def test_an_xlsb_with_a_macro_sheet_is_named_as_unsupported() -> None:
    result = run("score", CORPUS / "sheetjs/BlankSheetTypes.xlsb")
    assert result.exit_code == ExitCode.NO_INPUT
    assert "Excel 4.0 macro sheet" in one_line(result.stderr)


# -- zip paths and dimensions ---------------------------------------------------------------------------------------


def test_parts_stored_with_backslash_paths_are_read(tmp_path: Path) -> None:
    parts = members(valid_workbook(tmp_path / "plain.xlsx"))
    source = write_zip(
        tmp_path / "windows.xlsx", {name.replace("/", "\\"): data for name, data in parts.items()}
    )
    assert scored(source, tmp_path) == GRADED


@pytest.mark.parametrize("name", ["calamine/issue_530.xlsx", "poi/49609.xlsx"])
def test_real_backslash_path_workbooks_open(name: str) -> None:
    with open_input(CORPUS / name) as opened:
        assert opened.sheet_names()


@pytest.mark.parametrize("rels", [None, b'<?xml version="1.0" encoding="UTF-8"?>\nCORRUPTED'])
def test_missing_or_damaged_package_relationships_are_supplied(tmp_path: Path, rels: bytes | None) -> None:
    parts = members(valid_workbook(tmp_path / "plain.xlsx"))
    if rels is None:
        del parts["_rels/.rels"]
    else:
        parts["_rels/.rels"] = rels
    assert scored(write_zip(tmp_path / "rootless.xlsx", parts), tmp_path) == GRADED


def test_pois_workbook_with_corrupted_relationships_opens() -> None:
    with open_input(CORPUS / "poi/xlsx-corrupted.xlsx") as opened:
        assert opened.sheet_names() == ["Sheet1", "Sheet2"]


@pytest.mark.parametrize("ref", ["1:4", "", "A:C", "A1:G"])
def test_a_dimension_that_is_not_a_range_is_only_a_hint(tmp_path: Path, ref: str) -> None:
    source = rewrite_member(
        valid_workbook(tmp_path / "plain.xlsx"),
        tmp_path / "dimension.xlsx",
        SHEET,
        lambda xml: xml.replace(b'<dimension ref="A1:G3"/>', f'<dimension ref="{ref}"/>'.encode()),
    )
    assert f'<dimension ref="{ref}"/>'.encode() in members(source)[SHEET]
    assert scored(source, tmp_path) == GRADED


# -- far cells without values ---------------------------------------------------------------------------------------


def test_far_cells_with_a_style_but_no_value_do_not_count(tmp_path: Path) -> None:
    styled = "".join(f'<row r="{r}"><c r="XFD{r}" s="0"/></row>' for r in (1048575, 1048576))
    source = rewrite_member(
        valid_workbook(tmp_path / "plain.xlsx"),
        tmp_path / "styled.xlsx",
        SHEET,
        lambda xml: xml.replace(b"</sheetData>", styled.encode() + b"</sheetData>").replace(
            b'<dimension ref="A1:G3"/>', b'<dimension ref="A1:XFD1048576"/>'
        ),
    )
    assert scored(source, tmp_path) == GRADED


def test_a_far_cell_with_a_value_is_still_refused(tmp_path: Path) -> None:
    source = rewrite_member(
        valid_workbook(tmp_path / "plain.xlsx"),
        tmp_path / "far.xlsx",
        SHEET,
        lambda xml: xml.replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        ),
    )
    result = run("score", source)
    assert result.exit_code == ExitCode.NO_INPUT
    assert "XFD1048576" in one_line(result.stderr)


def test_calamines_styled_sheet_to_xfd1048576_is_read() -> None:
    result = run("score", CORPUS / "calamine/issue_174.xlsx")
    assert result.exit_code == ExitCode.DATA, result.stderr  # read: its header is not a customer header
    assert "no header row found" in one_line(result.stderr)


@pytest.mark.slow
def test_a_legacy_sheet_with_four_corner_cells_is_refused_within_1_gib(tmp_path: Path) -> None:
    child = kactier_within_1_gib("score", CORPUS / "poi/51535.xls", "-o", tmp_path / "o.xlsx")
    assert child.returncode == ExitCode.NO_INPUT, child.stderr
    line = one_line(child.stderr)
    assert "65,536 rows x 256 columns but holds only 4 cells" in line
    assert "delete the stray cells" in line


def test_a_reader_out_of_memory_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "PROBE_MEMORY", 300 * 1024**2)  # calamine needs ~540 MB for this sheet
    with pytest.raises(InputError) as caught:
        legacy.probe(CORPUS / "poi/51535.xls", None, Phrase("what.xls"))
    message = caught.value.message("en")
    assert "needs more memory than kactier lets its reader use (0.3 GB)" in message
    assert "damaged" not in message
    assert "内存" in caught.value.message("zh")


# -- formats no maintained reader reads -----------------------------------------------------------------------------

UNSUPPORTED = {
    "sheetjs/1904__1900.slk": "SYLK",
    "sheetjs/ErrorTypes.dif": "DIF",
    "sheetjs/LO7322.fods": "flat OpenDocument",
    "sheetjs/CRLFR9.WK1": "Lotus 1-2-3",
    "sheetjs/CRLFR9.WK3": "Lotus 1-2-3",
    "sheetjs/minimal_112.numbers": "Apple Numbers",
    "poi/testEXCEL_3.xls": "Excel 2.x-4.0",
    "poi/testEXCEL_4.xls": "Excel 2.x-4.0",
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_an_unsupported_format_is_named_never_read_as_csv(name: str) -> None:
    result = run("score", CORPUS / name, "--lang", "en")
    assert result.exit_code == ExitCode.NO_INPUT
    line = one_line(result.stderr)
    assert UNSUPPORTED[name] in line
    assert "save it as .xlsx" in line
    assert "header" not in line
    zh = run("score", CORPUS / name, "--lang", "zh")
    assert "不支持这种格式" in one_line(zh.stderr)


def test_biff2_and_sylk_made_here_are_named(tmp_path: Path) -> None:
    biff2 = tmp_path / "old.xls"
    biff2.write_bytes(b"\x09\x00\x04\x00\x02\x00\x10\x00" + b"\x0a\x00\x00\x00")
    sylk = tmp_path / "data.csv"  # a SYLK file behind a CSV name is still SYLK
    sylk.write_text('ID;PWXL;N;E\nC;Y1;X1;K"客户编号"\nE\n', encoding="utf-8")
    assert "Excel 2.x-4.0" in one_line(run("score", biff2, "--lang", "en").stderr)
    assert "SYLK" in one_line(run("score", sylk, "--lang", "en").stderr)


def test_a_semicolon_csv_whose_header_starts_id_p_is_read_as_csv(tmp_path: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text("ID;Product;Amount\nC001;Acme;80\n", encoding="utf-8")
    result = run("score", source, "--lang", "en")
    assert result.exit_code == ExitCode.DATA  # read: it lacks the customer name column
    assert "required column missing" in one_line(result.stderr)


def test_a_biff_stream_cut_inside_a_record_is_left_to_the_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    cut = struct.pack("<HHHH", 0x0809, 8, 0x0600, 0x0010)[:7]  # a worksheet BOF whose body is cut short
    with pytest.raises(struct.error):
        biff.sheet_extents(cut)
    biff.check_extents(CORPUS / "poi/testEXCEL_95.xls", None)  # a sound file passes
    monkeypatch.setattr(biff, "_workbook_stream", lambda source: cut)
    biff.check_extents(CORPUS / "poi/testEXCEL_95.xls", None)  # the cut stream: no error here
    assert [e.name for e in biff.sheet_extents(_stream(CORPUS / "poi/testEXCEL_95.xls"))] == [
        "Feuil1",
        "Feuil2",
        "Feuil3",
    ]


def _stream(path: Path) -> bytes:
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        data: bytes = ole.openstream("Book").read()
    return data
