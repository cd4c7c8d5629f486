"""Encrypted legacy workbooks (issue 14, item 1): an encrypted .xls opens with its password, a wrong password
says so, Excel's built-in password ("VelvetSweatshop") opens without asking, and password-protected files kactier
cannot decrypt (Excel 5.0/95, OpenDocument) are called password-protected, never damaged or "not a workbook".

The real encrypted files are in tests/data/encrypted (their sources and licences in its README.md); the
VelvetSweatshop .xls and .xlsx, and a second encrypted .ods, are built here (see each builder).
"""

from __future__ import annotations

import inspect
import io
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msoffcrypto
import olefile
import pytest
from conftest import run
from crafted import valid_workbook
from msoffcrypto.format.ooxml import OOXMLFile
from msoffcrypto.format.xls97 import Xls97File
from msoffcrypto.method.rc4_cryptoapi import DocumentRC4CryptoAPI
from test_hostile import assert_refused

from kactier.errors import ExitCode
from kactier.read.crypto import DEFAULT_PASSWORD
from kactier.read.opening import open_workbook

DATA = Path(__file__).parent / "data" / "encrypted"

# file, password, (sheet index, first cells of its used range)
ENCRYPTED_XLS = [
    pytest.param("rc4cryptoapi_password.xls", "Password1234_", id="rc4-cryptoapi"),
    pytest.param("35897-type4.xls", "freedom", id="rc4-cryptoapi-poi"),
    pytest.param("password.xls", "password", id="rc4"),
    pytest.param("xor-encryption-abc.xls", "abc", id="xor"),
    pytest.param("xor_password_123456789012345.xls", "123456789012345", id="xor-long-password"),
    # Excel 2002's: its Workbook stream is padded to 4096 bytes with zeros that are not whole records
    pytest.param("password_2002_40_xor.xls", "password", id="xor-padded-stream"),
]

CONTENT = {
    "35897-type4.xls": "hello there!",
    "xor-encryption-abc.xls": 1.0,
    "password.xls": "A ZIP bomb is a variant of mail-bombing.",
    "password_2002_40_xor.xls": 10.0,
}


def first_cells(path: Path, password: str | None) -> list[Any]:
    """Every non-empty cell of the first sheet, read as kactier reads the workbook."""
    book = open_workbook(path, password)
    cells = [cell for row in book.get_sheet_by_index(0).to_python() for cell in row if cell != ""]
    book.close()
    return cells


# -- the right password opens the file, a wrong one says it is wrong -------------------------------------------


@pytest.mark.parametrize(("name", "password"), ENCRYPTED_XLS)
def test_encrypted_xls_opens_with_its_password(name: str, password: str) -> None:
    cells = first_cells(DATA / name, password)

    assert cells, "the decrypted workbook reads as empty"
    if name in CONTENT:
        expected = CONTENT[name]
        assert any(
            cell == expected or (isinstance(cell, str) and cell.startswith(str(expected))) for cell in cells
        )


@pytest.mark.parametrize(("name", "password"), ENCRYPTED_XLS)
def test_encrypted_xls_on_the_command_line_reaches_the_sheet(
    name: str, password: str, tmp_path: Path
) -> None:
    """These are not customer sheets: reading gets as far as looking for the header, so it was decrypted."""
    source = shutil.copy(DATA / name, tmp_path / "locked.xls")

    result = run("validate", source, "--password", password)

    line = assert_refused(result, ExitCode.DATA, "no header row")
    assert "password-protected" not in line
    assert "wrong password" not in line
    assert "damaged" not in line


@pytest.mark.parametrize(("name", "password"), ENCRYPTED_XLS)
def test_wrong_password_for_an_xls_says_it_is_wrong(name: str, password: str, tmp_path: Path) -> None:
    source = shutil.copy(DATA / name, tmp_path / "locked.xls")

    result = run("validate", source, "--password", password + "x")

    line = assert_refused(result, ExitCode.NO_INPUT, "wrong password", "check it")
    assert "damaged" not in line
    assert password + "x" not in line


@pytest.mark.parametrize(("name", "password"), ENCRYPTED_XLS)
def test_encrypted_xls_without_a_password_asks_for_one(name: str, password: str, tmp_path: Path) -> None:
    source = shutil.copy(DATA / name, tmp_path / "locked.xls")

    result = run("validate", source)

    assert_refused(result, ExitCode.NO_INPUT, "password-protected", "--password", "KACTIER_PASSWORD")


def test_a_file_whose_password_is_not_the_default_asks_for_one(tmp_path: Path) -> None:
    """POI's 51832.xls: Excel's default password does not open it (POI: "Default password is invalid")."""
    source = shutil.copy(DATA / "51832.xls", tmp_path / "51832.xls")

    assert_refused(run("validate", source), ExitCode.NO_INPUT, "password-protected", "--password")
    assert_refused(run("validate", source, "--password", "guess"), ExitCode.NO_INPUT, "wrong password")


def test_a_padded_stream_is_decrypted_whole() -> None:
    """The padding msoffcrypto-tool stops on (a stream of 4096 bytes whose records end at 4094) is what the
    fixture has, so the test above covers it."""
    ole = olefile.OleFileIO(str(DATA / "password_2002_40_xor.xls"))
    stream = ole.openstream("Workbook").read()
    ole.close()
    position = 0
    while position + 4 <= len(stream):
        position += 4 + struct.unpack_from("<HH", stream, position)[1]
    assert (len(stream), position) == (4096, 4094)
    assert first_cells(DATA / "password_2002_40_xor.xls", "password") == [1.0, 2.0, 10.0, 3.0, 4.0]


def test_the_key_is_verified_with_the_api_each_reader_has() -> None:
    """msoffcrypto-tool's .xls reader verifies the password itself and takes no ``verify_password`` (5.4 and 6);
    passing it was the TypeError reported as "damaged"."""
    assert "verify_password" not in inspect.signature(Xls97File.load_key).parameters
    assert "verify_password" in inspect.signature(OOXMLFile.load_key).parameters
    with (DATA / "password.xls").open("rb") as handle:
        office: Any = msoffcrypto.OfficeFile(handle)
        office.load_key(password="password")
        with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
            office.load_key(password="not it")


# -- Excel's built-in password -------------------------------------------------------------------------------------


def _keystream(password: str, salt: bytes, key_size: int, length: int) -> bytes:
    zeros = io.BytesIO(bytes(length))
    stream: io.BytesIO = DocumentRC4CryptoAPI.decrypt(password, salt, key_size, zeros, blocksize=1024)
    return stream.read()


# BOF, FilePass, UsrExcl, FileLock, InterfaceHdr, RRDInfo, RRDHead: never encrypted
_CLEAR = {2057, 47, 404, 405, 225, 406, 312}
_BOUNDSHEET = 133


def _encrypted_mask(stream: bytes) -> bytearray:
    """1 for every byte of a BIFF8 workbook stream that RC4 encrypts (MS-XLS 2.2.10), 0 for those left clear."""
    mask = bytearray(len(stream))
    position = 0
    while position + 4 <= len(stream):
        number, size = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if number not in _CLEAR:
            start = body + 4 if number == _BOUNDSHEET else body
            mask[start : body + size] = b"\x01" * (body + size - start)
        position = body + size
    return mask


def velvet_sweatshop_xls(tmp: Path) -> Path:
    """An RC4 CryptoAPI .xls re-keyed to Excel's built-in password, as Excel writes a workbook that is only
    write-protected: the bytes RC4 encrypted are XORed with the old key stream and then the new one (the salt is
    kept), and the FilePass verifier is re-encrypted the same way."""
    source = DATA / "rc4cryptoapi_password.xls"
    with source.open("rb") as handle:
        office: Any = Xls97File(handle)
        office.load_key(password="Password1234_")
        salt, key_size = office.salt, office.keySize
    path = shutil.copy(source, tmp / "velvet.xls")
    ole = olefile.OleFileIO(str(path), write_mode=True)
    stream = bytearray(ole.openstream("Workbook").read())
    change = bytes(
        a ^ b
        for a, b in zip(
            _keystream("Password1234_", salt, key_size, len(stream)),
            _keystream(DEFAULT_PASSWORD, salt, key_size, len(stream)),
            strict=True,
        )
    )
    for index, encrypted in enumerate(_encrypted_mask(bytes(stream))):
        if encrypted:
            stream[index] ^= change[index]
    # FilePass holds salt, encryptedVerifier (16 bytes), verifierHashSize (4), encryptedVerifierHash (20)
    verifier = stream.find(salt) + 16
    for offset, index in enumerate(range(verifier, verifier + 16)):
        stream[index] ^= change[offset]
    for offset, index in enumerate(range(verifier + 20, verifier + 40)):
        stream[index] ^= change[16 + offset]
    ole.write_stream("Workbook", bytes(stream))
    ole.close()
    return Path(path)


def test_an_xls_with_excels_default_password_opens_without_asking(tmp_path: Path) -> None:
    velvet = velvet_sweatshop_xls(tmp_path)
    # the fixture is what it should be: encrypted, with the default password
    with velvet.open("rb") as handle:
        office: Any = msoffcrypto.OfficeFile(handle)
        assert office.is_encrypted()
        with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
            office.load_key(password="Password1234_")
        office.load_key(password=DEFAULT_PASSWORD)

    assert first_cells(velvet, None) == first_cells(DATA / "rc4cryptoapi_password.xls", "Password1234_")
    line = assert_refused(run("validate", velvet), ExitCode.DATA, "no header row")
    assert "password-protected" not in line


def test_an_xlsx_with_excels_default_password_is_scored_without_asking(tmp_path: Path) -> None:
    plain = valid_workbook(tmp_path / "plain.xlsx")
    velvet = tmp_path / "velvet.xlsx"
    with plain.open("rb") as handle, velvet.open("wb") as out:
        OOXMLFile(handle).encrypt(DEFAULT_PASSWORD, out)
    output = tmp_path / "graded.xlsx"

    result = run("score", velvet, "-o", output, "--quiet")

    assert result.exit_code == ExitCode.OK, result.output
    assert zipfile.is_zipfile(output)  # no password was given, so none is set on the output


def test_a_given_password_is_used_and_the_default_is_not_tried_instead(tmp_path: Path) -> None:
    velvet = velvet_sweatshop_xls(tmp_path)

    assert_refused(run("validate", velvet, "--password", "other"), ExitCode.NO_INPUT, "wrong password")


# -- password-protected files kactier cannot decrypt ---------------------------------------------------------------


def test_an_encrypted_excel_95_workbook_is_password_protected(tmp_path: Path) -> None:
    """SheetJS's biff5/password_2002_40_xor.xls: a ``Book`` stream with FILEPASS (XOR obfuscation)."""
    source = shutil.copy(DATA / "biff5_password_2002_40_xor.xls", tmp_path / "old.xls")

    line = assert_refused(run("validate", source), ExitCode.NO_INPUT, "password-protected", "--password")
    assert "damaged" not in line
    assert "not a workbook" not in line
    line = assert_refused(
        run("validate", source, "--password", "password"), ExitCode.NO_INPUT, "password-protected"
    )
    assert "cannot decrypt" in line
    assert "save it without the password" in line


def encrypted_ods(tmp: Path) -> Path:
    """An .ods laid out as LibreOffice saves one with a password: ``mimetype`` first and stored, and a manifest
    giving content.xml and styles.xml ``encryption-data`` (AES-256-CBC, PBKDF2); their bytes are ciphertext."""
    manifest = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2"
  manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="3241">
  <manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k"
   manifest:checksum="4bGqUvlqPv2oVD2TbMtTrLdZWTP3tR4mqNlwFGgrP3c=">
   <manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc"
    manifest:initialisation-vector="2mu2bQYVnFLYtwZXLWx1Cw=="/>
   <manifest:start-key-generation manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#sha256"
    manifest:key-size="32"/>
   <manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32"
    manifest:iteration-count="100000" manifest:salt="0Bv8QbBk9L3cOZrkNHfkwQ=="/>
  </manifest:encryption-data>
 </manifest:file-entry>
</manifest:manifest>
"""
    path = tmp / "locked.ods"
    noise = bytes((index * 131 + 7) % 256 for index in range(2048))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", noise, zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", noise[::-1], zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def saved_by_libreoffice(tmp: Path) -> Path:
    """An .ods LibreOffice 7.4 saved with the password "s3cret" (see tests/data/encrypted/README.md)."""
    return Path(shutil.copy(DATA / "libreoffice_password_s3cret.ods", tmp / "locked.ods"))


@pytest.mark.parametrize("build", [saved_by_libreoffice, encrypted_ods], ids=["libreoffice", "crafted"])
def test_a_password_protected_ods_is_password_protected(
    build: Callable[[Path], Path], tmp_path: Path
) -> None:
    source = build(tmp_path)

    line = assert_refused(run("validate", source), ExitCode.NO_INPUT, "password-protected", "--password")
    assert "OpenDocument spreadsheet" in line
    assert "damaged" not in line
    line = assert_refused(
        run("validate", source, "--password", "s3cret"), ExitCode.NO_INPUT, "cannot decrypt"
    )
    assert "s3cret" not in line


def test_the_same_words_as_an_encrypted_xlsx_without_a_password(tmp_path: Path) -> None:
    plain = valid_workbook(tmp_path / "plain.xlsx")
    xlsx = tmp_path / "locked.xlsx"
    with plain.open("rb") as handle, xlsx.open("wb") as out:
        OOXMLFile(handle).encrypt("s3cret", out)
    old = shutil.copy(DATA / "biff5_password_2002_40_xor.xls", tmp_path / "old.xls")

    def words(line: str) -> str:
        return line.split(": ", 2)[2].split(" is password-protected")[1]

    lines = [
        assert_refused(run("validate", path), ExitCode.NO_INPUT)
        for path in (xlsx, old, saved_by_libreoffice(tmp_path))
    ]
    assert len({words(line) for line in lines}) == 1, lines
