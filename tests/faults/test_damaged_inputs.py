"""Fault injection: damaged compressed, Parquet and CSV inputs are errors, never a shorter corpus.

Every damaged input is cut, corrupted or mislabelled on purpose. In ``raise`` mode reading stops
with an :class:`InputError` naming the file and how far it was read; with ``on_error=skip`` the
documents read before the damage are kept, the damage is counted under ``damaged_input`` with a
warning, and the other inputs are read whole.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from typer.testing import CliRunner

import reprints
from reprints.cli import app
from reprints.config import OnError, ReadConfig
from reprints.errors import InputError
from reprints.io.reader import ReadStats, read_documents

WORDS = [
    "harbour",
    "lantern",
    "cobble",
    "ledger",
    "almanac",
    "quarry",
    "meadow",
    "parish",
    "turnpike",
    "orchard",
    "ferry",
    "granary",
    "mill",
    "chapel",
    "tavern",
    "wharf",
    "market",
    "beacon",
    "furrow",
    "thatch",
    "spinney",
    "hamlet",
]


def rows(n: int, prefix: str = "d", seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {"id": f"{prefix}{i}", "text": " ".join(rng.choice(WORDS) for _ in range(120))}
        for i in range(n)
    ]


CORPUS = rows(300)  # about 300 kB: several zstd blocks, several gzip reads
IDS = [r["id"] for r in CORPUS]
OTHER = rows(5, prefix="other", seed=11)
OTHER_IDS = [r["id"] for r in OTHER]


def jsonl_bytes(records: list[dict[str, str]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


@pytest.fixture
def other(tmp_path: Path) -> Path:
    path = tmp_path / "other.jsonl"
    path.write_bytes(jsonl_bytes(OTHER))
    return path


def read_all(paths: list[Path], on_error: str = "raise") -> tuple[list[str], ReadStats]:
    stats = ReadStats()
    config = ReadConfig(on_error=OnError(on_error))
    return [d.id for d in read_documents(paths, config, stats)], stats


def read_until_error(path: Path) -> tuple[list[str], InputError]:
    """The ids read before the error, and the error."""
    got: list[str] = []
    with pytest.raises(InputError) as info:
        for doc in read_documents([path]):
            got.append(doc.id)
    return got, info.value


def lines_read(error: InputError) -> int:
    """How far the error says the file was read, in complete lines (0 before any data)."""
    if "before any data could be read" in error.problem:
        return 0
    found = re.search(
        r"after line ([\d,]+) \(([\d,]+) bytes of decompressed data read\)", error.problem
    )
    assert found, error.problem
    return int(found.group(1).replace(",", ""))


def check_raise(path: Path, kind: str, detail: str) -> list[str]:
    got, error = read_until_error(path)
    assert error.where == str(path)
    assert error.problem.startswith(f"damaged {kind} data (")
    assert re.search(detail, error.problem), error.problem
    # it says how far it read, and exactly the complete lines before the damage were read
    assert got == IDS[: lines_read(error)]
    return got


def check_skip(path: Path, other: Path, kind: str) -> list[str]:
    got, stats = read_all([path, other], on_error="skip")
    kept = got[: len(got) - len(OTHER_IDS)]
    assert kept == IDS[: len(kept)]  # what was read before the damage is kept ...
    assert got[len(kept) :] == OTHER_IDS  # ... and the other input is read whole
    assert stats.skipped == {"damaged_input": 1}  # the cut line is not "malformed"
    assert len(stats.messages) == 1
    assert stats.messages[0].startswith(f"skipped {path}: damaged {kind} data")
    return kept


def zstd_corpus() -> bytes:
    return zstandard.ZstdCompressor().compress(jsonl_bytes(CORPUS))


def gzip_corpus() -> bytes:
    return gzip.compress(jsonl_bytes(CORPUS), mtime=0)


# -- zstd ---------------------------------------------------------------------------------


ZSTD_CUTS = [0, 1, 4, 7, 100, 0.25, 0.5, 0.9, -4, -1]


def cut(data: bytes, at: float) -> bytes:
    if isinstance(at, float):
        return data[: int(len(data) * at)]
    return data[:at]


@pytest.mark.parametrize("at", ZSTD_CUTS)
def test_truncated_zst_is_an_error_naming_how_far(tmp_path, at):
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(cut(zstd_corpus(), at))
    check_raise(path, "zstd", r"cut short|the file is empty")


@pytest.mark.parametrize("at", ZSTD_CUTS)
def test_truncated_zst_is_skipped_keeping_what_was_read(tmp_path, other, at):
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(cut(zstd_corpus(), at))
    kept = check_skip(path, other, "zstd")
    assert len(kept) < len(IDS)


def test_truncated_zst_drops_the_cut_line_not_parses_it(tmp_path, other):
    # cut right after a closing brace: the cut line looks like a whole record but is not kept
    data = jsonl_bytes(CORPUS)
    end = data.index(b"}\n", len(data) // 2) + 1
    path = tmp_path / "c.jsonl.zst"
    whole = zstandard.ZstdCompressor().compress(data[:end])
    path.write_bytes(whole + b"\x28\xb5\x2f\xfd")  # the whole frame, then a frame cut short
    got, error = read_until_error(path)
    assert "the incomplete line" in error.problem
    assert got == IDS[: lines_read(error)]


@pytest.mark.parametrize("garbage", [b"garbage!", b"\x00" * 16, b"\x28\xb5\x2f\xfd\x04"])
def test_zst_with_garbage_appended(tmp_path, other, garbage):
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(zstd_corpus() + garbage)
    got = check_raise(path, "zstd", r"zstd|frame|cut short")
    assert got == IDS  # every document came before the garbage
    kept = check_skip(path, other, "zstd")
    assert kept == IDS  # every document came before the garbage


def test_corrupt_zst_block(tmp_path, other):
    data = bytearray(zstd_corpus())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(bytes(data))
    check_raise(path, "zstd", r"decompress|zstd|frame")
    check_skip(path, other, "zstd")


# -- gzip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("at", [0, 5, 20, 0.3, 0.7, -8, -1])
def test_truncated_gz(tmp_path, other, at):
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(cut(gzip_corpus(), at))
    check_raise(path, "gzip", r"cut short|the file is empty")
    check_skip(path, other, "gzip")  # a cut in the trailer loses no document, but is an error


def test_non_gzip_bytes_named_gz(tmp_path, other):
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(jsonl_bytes(CORPUS))
    assert check_raise(path, "gzip", r"not gzip at its start") == []
    assert check_skip(path, other, "gzip") == []


def test_corrupt_gz(tmp_path, other):
    # two members; the second one's first deflate block has the reserved block type
    half = len(CORPUS) // 2
    second = bytearray(gzip.compress(jsonl_bytes(CORPUS[half:]), mtime=0))
    second[10] = 0xFF
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl_bytes(CORPUS[:half]), mtime=0) + bytes(second))
    got = check_raise(path, "gzip", r"corrupt: Error -3 .*invalid block type")
    assert got == IDS[:half]
    assert check_skip(path, other, "gzip") == IDS[:half]


def test_gz_with_garbage_appended(tmp_path, other):
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip_corpus() + b"garbage")
    check_raise(path, "gzip", r"not gzip after the end of the compressed data")
    assert check_skip(path, other, "gzip") == IDS


# -- Parquet ------------------------------------------------------------------------------


def write_parquet(path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(CORPUS), path, row_group_size=100)


@pytest.mark.parametrize("content", ["truncated", "not parquet", "empty"])
def test_unreadable_parquet(tmp_path, other, content):
    path = tmp_path / "c.parquet"
    write_parquet(path)
    data = path.read_bytes()
    path.write_bytes(
        {"truncated": data[: len(data) // 2], "not parquet": b"id,text\na,b\n", "empty": b""}[
            content
        ]
    )
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: cannot read as Parquet"):
        read_all([path])
    got, stats = read_all([path, other], on_error="skip")
    assert got == OTHER_IDS
    assert stats.skipped == {"damaged_input": 1}
    assert str(path) in stats.messages[0]


def test_damaged_parquet_row_group(tmp_path, other):
    path = tmp_path / "c.parquet"
    write_parquet(path)
    column = pq.ParquetFile(path).metadata.row_group(1).column(1)
    start = column.dictionary_page_offset or column.data_page_offset
    data = bytearray(path.read_bytes())
    data[start : start + 6] = b"\xff" * 6  # the page header of row group 2's text column
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"row group 2 of 3 \(rows 101 to 200\) after 100 rows"):
        read_all([path])
    got, stats = read_all([path, other], on_error="skip")
    assert got == IDS[:100] + IDS[200:] + OTHER_IDS  # the other row groups are read
    assert stats.skipped == {"damaged_input": 1}


# -- CSV ----------------------------------------------------------------------------------


def check_csv(path: Path, other: Path, text: str, error: str, kept: list[str]) -> None:
    """A CSV with one malformed row: an error naming file and line, or with ``skip`` the row
    counted and every other row (and the other input) read."""
    path.write_text(text)
    with pytest.raises(InputError, match=error):
        read_all([path])
    got, stats = read_all([path, other], on_error="skip")
    assert got == [*kept, *OTHER_IDS]
    assert stats.skipped == {"malformed": 1}


def test_csv_unclosed_quote_is_an_error_not_one_huge_field(tmp_path, other):
    text = 'id,text\na,first text\nb,"never closed\nc,third text\n'
    error = r"c\.csv:3: malformed CSV .*never closed, lines 3 to 4"
    check_csv(tmp_path / "c.csv", other, text, error, ["a"])


def test_csv_row_with_more_fields_than_the_header(tmp_path, other):
    text = "id,text\na,cut, here by an unquoted comma\nb,second text\n"
    error = r"c\.csv:2: malformed CSV \(the row has 3 fields"
    check_csv(tmp_path / "c.csv", other, text, error, ["b"])


def test_csv_short_row_and_stray_quote(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('id,text\na\nb,"quoted"then more\nc,third text\n')
    with pytest.raises(InputError, match=r"c\.csv:2: malformed CSV \(the row has 1 fields"):
        read_all([path])
    got, stats = read_all([path], on_error="skip")
    assert got == ["c"]
    assert stats.skipped == {"malformed": 2}


def test_csv_undecodable_row_is_skipped_alone(tmp_path, other):
    path = tmp_path / "c.csv"
    path.write_bytes(b"id,text\na,caf\xe9 au lait\nb,good text\n")
    got, stats = read_all([path, other], on_error="skip")
    assert got == ["b", *OTHER_IDS]
    assert stats.skipped == {"undecodable": 1}
    assert "c.csv:2" in stats.messages[0]


# -- the public API and the command line -----------------------------------------------


def damaged_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (damaged file, what the error says)."""
    made: dict[str, tuple[Path, str]] = {}
    z = tmp_path / "cut.jsonl.zst"
    z.write_bytes(zstd_corpus()[:-1])
    made["truncated zst"] = (z, "damaged zstd data")
    g = tmp_path / "notgz.jsonl.gz"
    g.write_bytes(jsonl_bytes(CORPUS))
    made["non-gzip gz"] = (g, "damaged gzip data")
    p = tmp_path / "cut.parquet"
    write_parquet(p)
    p.write_bytes(p.read_bytes()[:-100])
    made["truncated parquet"] = (p, "cannot read as Parquet: the file is damaged or not")
    return made


@pytest.mark.parametrize("name", ["truncated zst", "non-gzip gz", "truncated parquet"])
def test_scan_api_skip_keeps_the_other_inputs(tmp_path, other, name):
    path, _ = damaged_inputs(tmp_path)[name]
    stats = ReadStats()
    result = reprints.scan([path, other], on_error="skip", workers=1, read_stats=stats)
    assert result.stats.skipped["damaged_input"] == 1
    assert set(OTHER_IDS) <= set(result.ids)
    assert set(result.ids) - set(OTHER_IDS) <= set(IDS)
    assert any(str(path) in m and "damaged" in m for m in stats.messages)


@pytest.mark.parametrize("name", ["truncated zst", "non-gzip gz", "truncated parquet"])
def test_scan_api_raise(tmp_path, other, name):
    path, says = damaged_inputs(tmp_path)[name]
    with pytest.raises(InputError, match=re.escape(f"{path}: {says}")):
        reprints.scan([other, path], workers=1)


@pytest.mark.parametrize("name", ["truncated zst", "non-gzip gz", "truncated parquet"])
def test_cli_scan_damaged_input_exits_2_naming_the_file(tmp_path, other, monkeypatch, name):
    path, says = damaged_inputs(tmp_path)[name]
    monkeypatch.chdir(tmp_path)  # short relative names: the console does not fold them
    runner = CliRunner()
    res = runner.invoke(app, ["scan", path.name, other.name, "--out", "o", "--workers", "1"])
    assert res.exit_code == 2, res.output
    assert f"error: {path.name}: {says}" in " ".join(res.output.split())
    res = runner.invoke(
        app,
        ["scan", path.name, other.name, "--out", "o", "--workers", "1", "--on-error", "skip"],
    )
    assert res.exit_code == 0, res.output
    assert "skipped: damaged input" in res.output
