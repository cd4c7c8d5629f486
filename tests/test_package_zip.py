"""PackageZip deflates a big part in pieces on worker threads, and every reader sees the same bytes and CRC."""

from __future__ import annotations

import random
import zipfile
import zlib
from pathlib import Path

import pytest

from kactier.report import package_zip
from kactier.report.package_zip import PackageZip


def _xml_like(size: int) -> bytes:
    rng = random.Random(7)
    words = [
        f'<c r="A{i}" t="inlineStr"><is><t>客户{rng.randrange(10**6)}</t></is></c>'.encode()
        for i in range(5000)
    ]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words)
    return bytes(out[:size])


@pytest.mark.parametrize("level", [1, 6])
def test_a_big_part_is_deflated_in_pieces_and_reads_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, level: int
) -> None:
    monkeypatch.setattr(package_zip, "PIECE", 64 << 10)
    monkeypatch.setattr(package_zip, "usable_cores", lambda: 2)
    pieces: list[int] = []
    deflate = package_zip._deflate_piece

    def counted(data: bytes, at: int) -> bytes:
        pieces.append(len(data))
        return deflate(data, at)

    monkeypatch.setattr(package_zip, "_deflate_piece", counted)
    data = _xml_like((64 << 10) * 9 + 123)  # nine whole pieces and a short one
    part = tmp_path / "sheet1.xml"
    part.write_bytes(data)
    small = tmp_path / "styles.xml"
    small.write_bytes(b"<styleSheet/>")
    path = tmp_path / "book.xlsx"
    with PackageZip(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as package:
        package.write(part, "xl/worksheets/sheet1.xml")
        package.write(small, "xl/styles.xml")  # under two pieces: zipfile's own path
    assert pieces == [64 << 10] * 9 + [123]
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None  # every CRC checks
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert zlib.crc32(data) == info.CRC
        assert info.file_size == len(data)
        assert archive.read("xl/worksheets/sheet1.xml") == data
        assert archive.read("xl/styles.xml") == b"<styleSheet/>"
        raw = zlib.decompressobj(-15)
        with path.open("rb") as handle:
            handle.seek(info.header_offset + 30 + len(info.filename.encode()) + len(info.extra))
            stream = handle.read(info.compress_size)
        assert raw.decompress(stream) == data
        assert raw.eof  # one deflate stream, ended by its final block


def test_pieces_of_the_real_size_cost_almost_nothing_in_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package_zip, "usable_cores", lambda: 2)
    data = _xml_like(3 * package_zip.PIECE + 5)
    size = _zipped_alone(tmp_path, data)
    assert (
        size < len(package_zip.deflater_for(1).compress(data, 1)) * 1.002
    )  # as one stream of the same deflater


def test_on_one_core_a_big_part_is_zipped_as_zipfile_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package_zip, "PIECE", 64 << 10)
    monkeypatch.setattr(package_zip, "usable_cores", lambda: 1)
    monkeypatch.setattr(package_zip, "_deflate_piece", lambda data, level: pytest.fail("pieces on one core"))
    _zipped_alone(tmp_path, _xml_like(300_000))


def _zipped_alone(tmp_path: Path, data: bytes) -> int:
    """Zip ``data`` as the one part of a package at level 1, check it reads back whole, and return its size."""
    part = tmp_path / "sheet1.xml"
    part.write_bytes(data)
    with PackageZip(tmp_path / "book.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.write(part, "sheet1.xml")
    with zipfile.ZipFile(tmp_path / "book.xlsx") as archive:
        assert archive.read("sheet1.xml") == data
        return archive.getinfo("sheet1.xml").compress_size


def test_the_fast_levels_are_deflated_by_isa_l_and_the_others_by_zlib() -> None:
    """ISA-L is a dependency wherever it has a build (this machine's): level 1 must use it, level 6 zlib."""
    from isal import isal_zlib

    assert package_zip.deflater_for(1) is isal_zlib
    assert package_zip.deflater_for(6) is zlib
    data = _xml_like(200_000)
    piece = package_zip._deflate_piece(data, 6)
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    assert piece == compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    assert zlib.decompressobj(-15).decompress(package_zip._deflate_piece(data, 1)) == data
