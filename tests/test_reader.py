import gzip
import io
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from reprints.config import OnError, ReadConfig
from reprints.errors import InputError
from reprints.io.reader import ReadStats, read_documents
from tests.conftest import write_jsonl

ROWS = [
    {"id": "a", "text": "first document text", "date": "2020-01-01", "extra": 1},
    {"id": "b", "text": "second document text"},
]


def ids(inputs, **kw):
    stats = ReadStats()
    cfg = ReadConfig(**kw)
    return [d.id for d in read_documents(inputs, cfg, stats)], stats


def test_folder_ids_are_relative_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text("hello there")
    (tmp_path / "a.txt").write_text("general kenobi")
    assert ids([tmp_path])[0] == ["a.txt", "sub/x.txt"]


def test_jsonl_fields_carried_through(tmp_path):
    docs = list(read_documents([write_jsonl(tmp_path / "c.jsonl", ROWS)]))
    assert docs[0].fields == {"date": "2020-01-01", "extra": 1}
    assert docs[0].date == "2020-01-01"


@pytest.mark.parametrize("suffix", ["jsonl.gz", "jsonl.zst"])
def test_compressed_jsonl(tmp_path, suffix):
    data = "".join(json.dumps(r) + "\n" for r in ROWS).encode()
    path = tmp_path / f"c.{suffix}"
    if suffix.endswith("gz"):
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(zstandard.ZstdCompressor().compress(data))
    assert ids([path])[0] == ["a", "b"]


def test_parquet_and_csv(tmp_path):
    pq.write_table(pa.Table.from_pylist(ROWS[1:]), tmp_path / "c.parquet")
    (tmp_path / "c.csv").write_text('id,text\nz,"a text, with comma\nand newline"\n')
    got, _ = ids([tmp_path / "c.parquet", tmp_path / "c.csv"])
    assert got == ["b", "z"]


def test_stdin(monkeypatch):
    data = "".join(json.dumps(r) + "\n" for r in ROWS).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert ids(["-"])[0] == ["a", "b"]


def test_custom_fields(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"key": "k1", "body": "some body text"}])
    assert ids([path], id_field="key", text_field="body")[0] == ["k1"]


def test_undecodable_file_is_decoded_with_replacement_and_named(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 au lait and more words")
    (tmp_path / "good.txt").write_text("good words here")
    got, stats = ids([tmp_path])
    assert got == ["bad.txt", "good.txt"]
    assert stats.changed["decoded_with_replacement"] == 1
    assert "bad.txt" in stats.messages[0]


def test_undecodable_file_skipped_with_on_error_skip(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9 au lait")
    (tmp_path / "good.txt").write_text("good words here")
    got, stats = ids([tmp_path], on_error=OnError.SKIP)
    assert got == ["good.txt"]
    assert stats.skipped["undecodable"] == 1


def test_empty_documents_are_skipped_and_counted(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [*ROWS, {"id": "e", "text": "  \n\t "}])
    got, stats = ids([path])
    assert got == ["a", "b"]
    assert stats.skipped["empty"] == 1


def test_malformed_line_names_file_and_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n{not json\n" + json.dumps(ROWS[1]) + "\n")
    with pytest.raises(InputError, match=r"c\.jsonl:2: malformed JSON"):
        ids([path])
    got, stats = ids([path], on_error=OnError.SKIP)
    assert got == ["a", "b"]
    assert stats.skipped["malformed"] == 1


def test_duplicate_id_names_both_places(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [ROWS[0], ROWS[1], ROWS[0]])
    with pytest.raises(
        InputError, match=r"c\.jsonl:3: duplicate id 'a', first seen at .*c\.jsonl:1"
    ):
        ids([path])
    assert ids([path], on_error=OnError.SKIP)[0] == ["a", "b"]


def test_missing_field(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"id": "x"}, ROWS[1]])
    with pytest.raises(InputError, match=r"c\.jsonl:1: missing field 'text'"):
        ids([path])
    got, stats = ids([path], on_error=OnError.SKIP)
    assert got == ["b"] and stats.skipped["missing_field"] == 1


def test_huge_document_is_capped(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"id": "h", "text": "word " * 10_000}, ROWS[1]])
    docs = list(read_documents([path], ReadConfig(max_chars=1000), stats := ReadStats()))
    assert len(docs[0].text) == 1000 and docs[1].id == "b"
    assert stats.changed["truncated_to_max_chars"] == 1


def test_unreadable_path(tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(InputError, match=r"nope\.jsonl"):
        ids([missing])
    good = write_jsonl(tmp_path / "c.jsonl", ROWS)
    got, stats = ids([missing, good], on_error=OnError.SKIP)
    assert got == ["a", "b"] and stats.skipped["unreadable"] == 1


def test_unknown_format(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"PK")
    with pytest.raises(InputError, match="unknown input format"):
        ids([path])


def test_jsonl_blocks_keep_line_numbers_and_long_lines(tmp_path):
    from reprints.io.reader import _read_jsonl, parse_lines

    rows = [json.dumps({"id": f"d{i}", "text": "word " * (i * 50 + 1)}) for i in range(40)]
    rows.insert(7, "")  # a blank line still counts
    rows[20] = "{not json"
    path = tmp_path / "c.jsonl"
    path.write_bytes(("\n".join(rows)).encode())  # no final newline
    parsed = [
        p
        for block in _read_jsonl(str(path), block_size=64)
        for p in parse_lines(block, ReadConfig(), keep_raw=True)
    ]
    assert len(parsed) == 40
    assert [p.where for p in parsed][:9] == [f"{path}:{n}" for n in (1, 2, 3, 4, 5, 6, 7, 9, 10)]
    bad = [p for p in parsed if p.error]
    assert [p.where for p in bad] == [f"{path}:21"]
    assert parsed[0].raw == rows[0].encode() + b"\n"  # raw lines kept byte for byte
    assert parsed[-1].raw == rows[-1].encode()  # the last line, without a newline, byte for byte
