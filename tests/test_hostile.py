"""Broken and hostile files (SPEC §8): each ends in one actionable line and its exit code, with no traceback, no
crash and nothing written, within 1 GB of memory and 30 s; encrypted workbooks open with --password.

Every file is built here, in code: a valid workbook from XlsxWriter, then a copy with a zip member rewritten or
the zip directory patched (:mod:`crafted`). The memory bound is checked by running the command in a child
process under ``RLIMIT_AS`` = 1 GiB (python-calamine aborts the whole process on some of these files when
nothing checks them first).
"""

from __future__ import annotations

import io
import random
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from conftest import GIB, ZH_HEADERS, kactier_within_1_gib, run, write_workbook
from crafted import SHEET, add_to_sheet, members, patch_sizes, rewrite_member, valid_workbook, write_zip
from msoffcrypto.format.ooxml import OOXMLFile
from typer.testing import Result

from kactier.errors import ExitCode
from kactier.excel import column_letters


def assert_refused(result: Result, code: ExitCode, *needles: str) -> str:
    """One line on stderr, starting as every kactier error does, naming what is wrong; no traceback."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one error line, got:\n{result.stderr}"
    line = lines[0]
    assert line.startswith("kactier: error: "), line
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in line, f"{needle!r} not in {line!r}"
    assert result.exit_code == code, f"exit {result.exit_code} for: {line}"
    return line


# -- the corpus ---------------------------------------------------------------------------------------------------


def zero_byte(tmp: Path) -> Path:
    path = tmp / "empty.xlsx"
    path.touch()
    return path


def truncated(tmp: Path) -> Path:
    data = valid_workbook(tmp / "whole.xlsx").read_bytes()
    path = tmp / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def random_bytes(tmp: Path) -> Path:
    path = tmp / "noise.xlsx"
    path.write_bytes(random.Random(5).randbytes(4096))
    return path


def zip_without_workbook(tmp: Path) -> Path:
    return write_zip(tmp / "archive.xlsx", {"readme.txt": b"not a workbook", "data/a.bin": b"\x00" * 10})


def word_document(tmp: Path) -> Path:
    return write_zip(
        tmp / "letter.xlsx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    )


def csv_renamed(tmp: Path) -> Path:
    path = tmp / "export.xlsx"
    path.write_text("客户编号,客户名称\nC001,ABC公司\n", encoding="utf-8")
    return path


def html_renamed(tmp: Path) -> Path:
    path = tmp / "report.xlsx"
    path.write_text("<html><body><table><tr><td>客户编号</td></tr></table></body></html>", encoding="utf-8")
    return path


def csv_long_field(tmp: Path) -> Path:
    path = tmp / "long.csv"
    path.write_text("客户编号,客户名称\nC001," + "长" * 33_000 + "\n", encoding="utf-8")
    return path


def csv_too_many_rows(tmp: Path) -> Path:
    path = tmp / "huge.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("客户编号,客户名称,购买力评分\n")
        handle.writelines(f"C{i},公司,80\n" for i in range(1_048_576))
    return path


def pdf_renamed(tmp: Path) -> Path:
    path = tmp / "scan.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return path


def zip_bomb(tmp: Path) -> Path:
    """The sheet part inflates to 400 MB of blanks (about 1,000 times its compressed size)."""
    source = members(valid_workbook(tmp / "whole.xlsx"))
    path = tmp / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in source.items():
            if name != SHEET:
                archive.writestr(name, data)
                continue
            head, tail = data.split(b"</worksheet>")
            with archive.open(name, "w", force_zip64=True) as handle:
                handle.write(head)
                block = b" " * (1 << 20)
                for _ in range(400):
                    handle.write(block)
                handle.write(b"</worksheet>" + tail)
    return path


def sizes_lie_smaller(tmp: Path) -> Path:
    """The sheet claims 200 bytes; it inflates to more (a reader that trusts the claim reads past it)."""
    return patch_sizes(valid_workbook(tmp / "whole.xlsx"), tmp / "liar.xlsx", SHEET, uncompressed=200)


def styles_lie(tmp: Path) -> Path:
    return patch_sizes(
        valid_workbook(tmp / "whole.xlsx"), tmp / "liar.xlsx", "xl/styles.xml", uncompressed=10
    )


def sizes_lie_larger(tmp: Path) -> Path:
    """The sheet claims 3 GB."""
    return patch_sizes(valid_workbook(tmp / "whole.xlsx"), tmp / "liar.xlsx", SHEET, uncompressed=3 * GIB)


def far_cell(tmp: Path) -> Path:
    """One cell at XFD1048576, the last cell Excel has: the 5 KB file asks for 17 billion cells."""
    row = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "far.xlsx", row)


def far_cell_in_early_row(tmp: Path) -> Path:
    """A cell whose reference lies about its row (row 2 holding Z999999)."""
    source = valid_workbook(tmp / "whole.xlsx")
    return rewrite_member(
        source,
        tmp / "far.xlsx",
        SHEET,
        lambda d: d.replace(b'<c r="A2"', b'<c r="Z999999"><v>7</v></c><c r="A2"', 1),
    )


def far_cell_prefixed(tmp: Path) -> Path:
    """A namespace prefix on the cell (calamine ignores prefixes): the exact path places it."""
    row = '<row r="900000"><x:c r="XFD900000"><x:v>1</x:v></x:c></row>'
    far = add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "far0.xlsx", row)
    main = b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    return rewrite_member(
        far, tmp / "far.xlsx", SHEET, lambda d: d.replace(b"<worksheet ", b"<worksheet " + main, 1)
    )


def undeclared_prefix(tmp: Path) -> Path:
    row = '<row r="900000"><x:c r="XFD900000"><x:v>1</x:v></x:c></row>'
    return add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "far.xlsx", row)


def far_cell_attribute_order(tmp: Path) -> Path:
    row = '<row r="900000"><c s="0" r="XFD900000"><v>1</v></c></row>'
    return add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "far.xlsx", row)


def far_cell_tabbed(tmp: Path) -> Path:
    row = "<row r='900000'><c\tr = 'XFD900000'><v>1</v></c></row>"
    return add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "far.xlsx", row)


def beyond_last_row(tmp: Path) -> Path:
    row = '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'
    return add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "rows.xlsx", row)


def beyond_last_column(tmp: Path) -> Path:
    row = '<row r="4"><c r="XFE4"><v>1</v></c></row>'
    return add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "columns.xlsx", row)


def absurd_reference(tmp: Path) -> Path:
    row = '<row r="4"><c r="A99999999999999999999"><v>1</v></c></row>'
    return add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "absurd.xlsx", row)


def long_inline_text(tmp: Path) -> Path:
    text = "长" * 40_000
    row = f'<row r="4"><c r="A4" t="inlineStr"><is><t>C009</t></is></c><c r="B4" t="inlineStr"><is><t>{text}</t></is></c></row>'
    return add_to_sheet(valid_workbook(tmp / "whole.xlsx"), tmp / "long.xlsx", row)


def long_shared_text(tmp: Path) -> Path:
    """A shared string of 33,000 characters (XlsxWriter and openpyxl both cut text at 32,767: the part is edited)."""
    source = valid_workbook(tmp / "whole.xlsx")
    return rewrite_member(
        source,
        tmp / "long.xlsx",
        "xl/sharedStrings.xml",
        lambda d: d.replace("XYZ公司".encode(), b"x" * 33_000),
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)


def billion_laughs(tmp: Path) -> Path:
    def edit(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1]
        return BILLION_LAUGHS.encode() + body.replace(b"C001", b"&lol9;", 1)

    return rewrite_member(valid_workbook(tmp / "whole.xlsx"), tmp / "lol.xlsx", SHEET, edit)


def external_entity(tmp: Path) -> Path:
    def edit(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1]
        doctype = b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        return doctype + body

    return rewrite_member(valid_workbook(tmp / "whole.xlsx"), tmp / "xxe.xlsx", "xl/workbook.xml", edit)


def entity_in_shared_strings(tmp: Path) -> Path:
    doctype = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]>'
    return rewrite_member(
        valid_workbook(tmp / "whole.xlsx"),
        tmp / "sst.xlsx",
        "xl/sharedStrings.xml",
        lambda d: doctype + d.split(b"?>", 1)[1],
    )


def encrypted_member(tmp: Path) -> Path:
    data = bytearray(valid_workbook(tmp / "whole.xlsx").read_bytes())
    position = 0
    while (position := data.find(b"PK\x03\x04", position)) >= 0:  # local headers: flag bit 0 (encrypted)
        data[position + 6] |= 1
        position += 4
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:  # central directory
        data[position + 8] |= 1
        position += 4
    path = tmp / "zipcrypto.xlsx"
    path.write_bytes(bytes(data))
    return path


def duplicate_parts(tmp: Path) -> Path:
    source = members(valid_workbook(tmp / "whole.xlsx"))
    path = tmp / "twice.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in source.items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr(SHEET, source[SHEET].replace(b"ABC", b"XYZ"))
    return path


def workbook_part_missing(tmp: Path) -> Path:
    parts = members(valid_workbook(tmp / "whole.xlsx"))
    parts.pop("xl/workbook.xml")
    parts["xl/workbook.xml.bak"] = b"<workbook/>"
    parts["xl/worksheets/sheet1.xml"] = parts[SHEET]
    return write_zip(tmp / "nobook.xlsx", parts)


def malformed_workbook_xml(tmp: Path) -> Path:
    return rewrite_member(
        valid_workbook(tmp / "whole.xlsx"), tmp / "bad.xlsx", "xl/workbook.xml", lambda d: d[: len(d) // 2]
    )


def encrypted(tmp: Path, password: str = "s3cret") -> Path:
    plain = valid_workbook(tmp / "plain.xlsx")
    out = io.BytesIO()
    with plain.open("rb") as handle:
        OOXMLFile(handle).encrypt(password, out)
    path = tmp / "locked.xlsx"
    path.write_bytes(out.getvalue())
    plain.unlink()
    return path


CORPUS: list[tuple[str, Callable[[Path], Path], ExitCode, tuple[str, ...]]] = [
    ("zero-byte", zero_byte, ExitCode.NO_INPUT, ("empty (0 bytes)",)),
    ("truncated", truncated, ExitCode.NO_INPUT, ("damaged or incomplete", "wait and retry")),
    ("not a zip", random_bytes, ExitCode.NO_INPUT, ("neither a workbook", "save it as .xlsx")),
    ("zip, no workbook", zip_without_workbook, ExitCode.NO_INPUT, ("zip archive that holds no workbook",)),
    ("Word document", word_document, ExitCode.NO_INPUT, ("is a Word document",)),
    ("CSV renamed .xlsx", csv_renamed, ExitCode.NO_INPUT, ("CSV text", "rename it to export.csv")),
    ("HTML renamed .xlsx", html_renamed, ExitCode.NO_INPUT, ("web page (HTML)", "save it as .xlsx")),
    ("PDF renamed .xlsx", pdf_renamed, ExitCode.NO_INPUT, ("PDF document",)),
    ("CSV field over 32,767 characters", csv_long_field, ExitCode.NO_INPUT, ("line 2", "33,000 characters")),
    ("CSV over 1,048,576 rows", csv_too_many_rows, ExitCode.NO_INPUT, ("more than Excel's 1,048,576 rows",)),
    ("zip bomb", zip_bomb, ExitCode.NO_INPUT, ("zip bomb", "xl/worksheets/sheet1.xml")),
    ("sheet size lies (smaller)", sizes_lie_smaller, ExitCode.NO_INPUT, ("sizes lie", "sheet1.xml")),
    ("styles size lies", styles_lie, ExitCode.NO_INPUT, ("sizes lie", "styles.xml")),
    ("sheet size lies (larger)", sizes_lie_larger, ExitCode.NO_INPUT, ("sheet1.xml", "zip bomb")),
    ("cell at XFD1048576", far_cell, ExitCode.NO_INPUT, ("XFD1048576", "Ctrl+End")),
    ("cell lying about its row", far_cell_in_early_row, ExitCode.NO_INPUT, ("Z999999", "stray cells")),
    ("prefixed far cell", far_cell_prefixed, ExitCode.NO_INPUT, ("XFD900000",)),
    ("undeclared prefix", undeclared_prefix, ExitCode.NO_INPUT, ("not well-formed XML", "unbound prefix")),
    ("far cell, attribute order", far_cell_attribute_order, ExitCode.NO_INPUT, ("XFD900000",)),
    ("far cell, tabs and quotes", far_cell_tabbed, ExitCode.NO_INPUT, ("XFD900000",)),
    ("row 1,048,577", beyond_last_row, ExitCode.NO_INPUT, ("1,048,576 rows",)),
    ("column XFE", beyond_last_column, ExitCode.NO_INPUT, ("XFE4", "last column XFD")),
    ("absurd reference", absurd_reference, ExitCode.NO_INPUT, ("beyond Excel's 1,048,576 rows",)),
    (
        "40,000-character inline text",
        long_inline_text,
        ExitCode.NO_INPUT,
        ("B4", "40,000 characters", "32,767"),
    ),
    ("33,000-character shared text", long_shared_text, ExitCode.NO_INPUT, ("B3", "33,000 characters")),
    ("billion laughs", billion_laughs, ExitCode.NO_INPUT, ("DOCTYPE", "entity attack")),
    ("external entity", external_entity, ExitCode.NO_INPUT, ("DOCTYPE", "xl/workbook.xml")),
    ("entity in shared strings", entity_in_shared_strings, ExitCode.NO_INPUT, ("DOCTYPE", "sharedStrings")),
    (
        "encrypted zip members",
        encrypted_member,
        ExitCode.NO_INPUT,
        ("password-protected", "not an Excel workbook"),
    ),
    ("a part listed twice", duplicate_parts, ExitCode.NO_INPUT, ("lists a part twice",)),
    ("workbook part missing", workbook_part_missing, ExitCode.NO_INPUT, ("'xl/workbook.xml' is missing",)),
    (
        "workbook XML cut short",
        malformed_workbook_xml,
        ExitCode.NO_INPUT,
        ("not well-formed XML", "workbook.xml"),
    ),
    (
        "encrypted, no password",
        encrypted,
        ExitCode.NO_INPUT,
        ("password-protected", "--password", "KACTIER_PASSWORD"),
    ),
]


BIG_CASES = {"CSV over 1,048,576 rows", "zip bomb"}  # big files, marked slow


@pytest.mark.parametrize(
    ("builder", "code", "needles"),
    [pytest.param(*c[1:], id=c[0], marks=pytest.mark.slow if c[0] in BIG_CASES else ()) for c in CORPUS],
)
def test_refused_in_one_line(
    tmp_path: Path, builder: Callable[[Path], Path], code: ExitCode, needles: tuple[str, ...]
) -> None:
    source = builder(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    output = tmp_path / "out.xlsx"

    commands: list[list[str | Path]] = [["score", source, "-o", output], ["validate", source]]
    for command in commands:
        result = run(*command)

        line = assert_refused(result, code, source.name, *needles)
        assert len(line) < 400, line
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, not even a temporary file


def test_json_error_object(tmp_path: Path) -> None:
    result = run("score", far_cell(tmp_path), "--json")

    assert result.exit_code == ExitCode.NO_INPUT
    assert '"exit_code": 66' in result.stdout
    assert "XFD1048576" in result.stdout


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "score", far_cell(tmp_path))

    assert result.exit_code == ExitCode.NO_INPUT
    assert "Traceback" in result.stderr
    assert "InputError" in result.stderr


def test_a_dimension_that_lies_is_only_a_hint(tmp_path: Path) -> None:
    """A sheet claiming A1:XFD1048576 but holding three rows is read (the claim is never trusted)."""
    source = rewrite_member(
        valid_workbook(tmp_path / "whole.xlsx"),
        tmp_path / "claims.xlsx",
        SHEET,
        lambda d: d.replace(b'<dimension ref="A1:G3"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )
    assert b"XFD1048576" in members(source)[SHEET]
    output = tmp_path / "out.xlsx"

    result = run("score", source, "-o", output, "--quiet")

    assert result.exit_code == ExitCode.OK, result.output
    rows = list(openpyxl.load_workbook(output)["客户信息"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["C001", "C002"]


def test_cells_without_positions_take_the_exact_path(tmp_path: Path) -> None:
    """Rows and cells without an ``r`` are placed as calamine places them (one after the other)."""
    xml = (
        '<row r="4"><c r="A4" t="inlineStr"><is><t>C003</t></is></c><c t="inlineStr"><is><t>无位置公司</t></is></c>'
        "<c><v>60</v></c><c><v>61</v></c><c><v>62</v></c><c><v>63</v></c><c><v>64</v></c></row>"
        '<row><c t="inlineStr"><is><t>C004</t></is></c><c t="inlineStr"><is><t>下一行公司</t></is></c>'
        "<c><v>90</v></c><c><v>90</v></c><c><v>90</v></c><c><v>90</v></c><c><v>90</v></c></row>"
    )
    source = add_to_sheet(valid_workbook(tmp_path / "whole.xlsx"), tmp_path / "unplaced.xlsx", xml)
    output = tmp_path / "out.xlsx"

    result = run("score", source, "-o", output, "--quiet")

    assert result.exit_code == ExitCode.OK, result.output
    rows = list(openpyxl.load_workbook(output)["客户信息"].iter_rows(values_only=True))
    header = rows[0]
    tiers = {r[0]: (r[1], r[header.index("客户级别")]) for r in rows[1:]}
    assert tiers == {
        "C001": ("ABC公司", "A"),
        "C002": ("XYZ公司", "B"),
        "C003": ("无位置公司", "C"),
        "C004": ("下一行公司", "A"),
    }


def test_unplaced_far_cells_are_refused_on_the_exact_path(tmp_path: Path) -> None:
    cells = "".join("<c><v>1</v></c>" for _ in range(3000))
    xml = f'<row r="2000">{cells}</row>'
    source = add_to_sheet(valid_workbook(tmp_path / "whole.xlsx"), tmp_path / "wide.xlsx", xml)

    result = run("validate", source)

    assert_refused(result, ExitCode.NO_INPUT, "wide.xlsx", f"{column_letters(3000)}2000", "stray cells")


# -- passwords ----------------------------------------------------------------------------------------------------


def decrypt(path: Path, password: str) -> io.BytesIO:
    out = io.BytesIO()
    with path.open("rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        office.load_key(password=password, verify_password=True)
        office.decrypt(out)
    out.seek(0)
    return out


def test_encrypted_input_opens_with_the_password_and_the_output_is_encrypted(tmp_path: Path) -> None:
    source = encrypted(tmp_path, "s3cret")
    output = tmp_path / "graded.xlsx"

    result = run("score", source, "-o", output, "--password", "s3cret", "--quiet")

    assert result.exit_code == ExitCode.OK, result.output
    assert output.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an encrypted (OLE) workbook
    with pytest.raises(zipfile.BadZipFile):
        openpyxl.load_workbook(output)
    rows = list(openpyxl.load_workbook(decrypt(output, "s3cret"))["客户信息"].iter_rows(values_only=True))
    assert [(r[0], r[rows[0].index("客户级别")]) for r in rows[1:]] == [("C001", "A"), ("C002", "B")]


def test_password_from_the_environment(tmp_path: Path) -> None:
    source = encrypted(tmp_path, "env-pass")

    result = run("validate", source, env={"KACTIER_PASSWORD": "env-pass"})

    assert result.exit_code == ExitCode.OK, result.output


def test_wrong_password_is_a_clear_error(tmp_path: Path) -> None:
    source = encrypted(tmp_path, "right")

    result = run("score", source, "--password", "wrong")

    assert_refused(result, ExitCode.NO_INPUT, "locked.xlsx", "wrong password")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.xlsx"]


def test_password_encrypts_the_output_of_a_plain_input(tmp_path: Path) -> None:
    output = tmp_path / "graded.xlsx"

    result = run(
        "score", valid_workbook(tmp_path / "plain.xlsx"), "-o", output, "--password", "p4ss", "--quiet"
    )

    assert result.exit_code == ExitCode.OK, result.output
    book = openpyxl.load_workbook(decrypt(output, "p4ss"))
    assert "客户信息" in book.sheetnames


# -- memory and time, in a child process --------------------------------------------------------------------------


UNDER_LIMIT = [
    far_cell,
    far_cell_in_early_row,
    far_cell_prefixed,
    zip_bomb,
    billion_laughs,
    beyond_last_row,
    long_inline_text,
]


@pytest.mark.slow
@pytest.mark.parametrize("builder", UNDER_LIMIT, ids=[b.__name__ for b in UNDER_LIMIT])
def test_refused_within_1_gib_and_30_s(tmp_path: Path, builder: Callable[[Path], Path]) -> None:
    source = builder(tmp_path)
    started = time.monotonic()

    child = kactier_within_1_gib("score", source, "-o", tmp_path / "out.xlsx")

    assert time.monotonic() - started < 30
    assert child.returncode == ExitCode.NO_INPUT, child.stderr  # not -6 (SIGABRT) or -9, not a MemoryError
    assert "Traceback" not in child.stderr
    assert child.stderr.startswith("kactier: error: "), child.stderr


@pytest.mark.slow
def test_a_valid_workbook_runs_within_1_gib(tmp_path: Path) -> None:
    source = write_workbook(
        tmp_path / "many.xlsx",
        [ZH_HEADERS, *([f"C{i:05d}", f"公司{i}", 80, 70, 60, 90, 85] for i in range(5000))],
    )

    child = kactier_within_1_gib("score", source, "-o", tmp_path / "out.xlsx", "--quiet", timeout=60)

    assert child.returncode == ExitCode.OK, child.stderr
