import gzip
import io
import json
import re
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


# -- the id rule: a string or an integer; an integer is its decimal string ------------------


def test_integer_id_is_its_decimal_string_and_other_types_are_errors(tmp_path):
    path = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {"id": 1, "text": "one as an integer"},
            {"id": "1", "text": "one as a string"},
            {"id": 1.0, "text": "one as a float"},
            {"id": 12345678901234567890123, "text": "a big integer"},
        ],
    )
    with pytest.raises(InputError, match=r"c\.jsonl:2: duplicate id '1', first seen at .*:1"):
        ids([path])
    got, stats = ids([path], on_error=OnError.SKIP)
    assert got == ["1", "12345678901234567890123"]
    assert stats.skipped == {"duplicate_id": 1, "bad_id": 1}


@pytest.mark.parametrize(
    ("value", "described"),
    [
        (1.0, "float 1.0"),
        (2.5, "float 2.5"),
        (True, "boolean true"),
        ([1], "list [1]"),
        ({"n": 1}, 'object {"n": 1}'),
        (None, "null"),
    ],
)
def test_id_that_is_not_a_string_or_an_integer(tmp_path, value, described):
    path = write_jsonl(tmp_path / "c.jsonl", [ROWS[0], {"id": value, "text": "some text"}])
    message = f"c.jsonl:2: id must be a string or an integer, got {described}"
    with pytest.raises(InputError, match=re.escape(message)):
        ids([path])
    got, stats = ids([path], on_error=OnError.SKIP)
    assert got == ["a"] and stats.skipped == {"bad_id": 1}


def test_empty_id_and_custom_id_field(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"id": "", "text": "some text"}])
    with pytest.raises(InputError, match=r"c\.jsonl:1: id is empty"):
        ids([path])
    path = write_jsonl(tmp_path / "k.jsonl", [{"key": 2.5, "body": "some text"}])
    with pytest.raises(InputError, match=r"k\.jsonl:1: key must be a string or an integer"):
        ids([path], id_field="key", text_field="body")


def test_parquet_ids_follow_the_rule(tmp_path):
    pq.write_table(
        pa.Table.from_pylist([{"id": 7, "text": "integer id"}, {"id": 8, "text": "another"}]),
        tmp_path / "i.parquet",
    )
    pq.write_table(pa.Table.from_pylist([{"id": 7.0, "text": "float id"}]), tmp_path / "f.parquet")
    assert ids([tmp_path / "i.parquet"])[0] == ["7", "8"]
    with pytest.raises(InputError, match=r"f\.parquet:row 1: id must be .* got float 7\.0"):
        ids([tmp_path / "f.parquet"])


def test_csv_ids_are_strings_and_meet_integer_ids(tmp_path):
    (tmp_path / "c.csv").write_text("id,text\n7,from the csv\n1.0,a float-looking id\n,no id\n")
    jsonl = write_jsonl(tmp_path / "c.jsonl", [{"id": 7, "text": "from the jsonl"}])
    with pytest.raises(InputError, match=r"c\.csv:4: id is empty"):
        ids([tmp_path / "c.csv", jsonl])
    got, stats = ids([tmp_path / "c.csv", jsonl], on_error=OnError.SKIP)
    assert got == ["7", "1.0"]  # "1.0" in a CSV is a string id; 7 in the JSONL is "7" again
    assert stats.skipped == {"bad_id": 1, "duplicate_id": 1}


# -- null and empty texts -------------------------------------------------------------------


def test_null_text_says_null_not_missing(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"id": "n", "text": None}, ROWS[1]])
    with pytest.raises(InputError, match=r"c\.jsonl:1: text is null"):
        ids([path])
    got, stats = ids([path], on_error=OnError.SKIP)
    assert got == ["b"] and stats.skipped == {"null_text": 1}
    path = write_jsonl(tmp_path / "k.jsonl", [{"id": "n", "body": None}])
    with pytest.raises(InputError, match=r"k\.jsonl:1: body is null"):
        ids([path], text_field="body")
    # an empty text is still "empty": skipped and counted, not an error
    path = write_jsonl(tmp_path / "e.jsonl", [{"id": "e", "text": ""}, ROWS[1]])
    got, stats = ids([path])
    assert got == ["b"] and stats.skipped == {"empty": 1}


def test_null_text_in_parquet(tmp_path):
    pq.write_table(pa.Table.from_pylist([{"id": "n", "text": None}]), tmp_path / "c.parquet")
    with pytest.raises(InputError, match=r"c\.parquet:row 1: text is null"):
        ids([tmp_path / "c.parquet"])


# -- JSON that the parser refuses without a JSONDecodeError -------------------------------


@pytest.mark.parametrize(
    "line", ['{"id": "h", "text": "t", "n": ' + "9" * 5000 + "}", "[" * 100_000 + "]" * 100_000]
)
def test_lines_json_refuses_are_malformed_not_a_crash(tmp_path, line):
    path = tmp_path / "c.jsonl"
    path.write_text(line + "\n" + json.dumps(ROWS[1]) + "\n")
    with pytest.raises(InputError, match=r"c\.jsonl:1: malformed JSON"):
        ids([path])
    got, stats = ids([path], on_error=OnError.SKIP)
    assert got == ["b"] and stats.skipped == {"malformed": 1}


# -- whole zstd streams of every shape are read whole, without a false alarm ---------------


def test_zstd_frames_of_every_shape_read_whole_and_a_cut_one_is_an_error(tmp_path):
    rows = [{"id": f"z{i}", "text": f"text number {i} " * 50} for i in range(400)]
    data = [("".join(json.dumps(r) + "\n" for r in rows[k::4])).encode() for k in range(4)]
    skippable = (0x184D2A53).to_bytes(4, "little") + (5).to_bytes(4, "little") + b"notes"
    blob = (
        zstandard.ZstdCompressor(write_checksum=True).compress(data[0])
        + skippable
        + zstandard.ZstdCompressor(write_content_size=False).compress(data[1])
        + zstandard.ZstdCompressor(level=19).compress(data[2])
        + zstandard.ZstdCompressor().compress(b"")
    )
    stream = io.BytesIO()
    with zstandard.ZstdCompressor().stream_writer(stream, closefd=False) as writer:
        writer.write(data[3])  # a streamed frame: no content size, blocks as written
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(blob + stream.getvalue())
    got, stats = ids([path])
    expected = [r["id"] for k in range(4) for r in rows[k::4]]
    assert got == expected and not stats.messages
    # the same stream less its last byte: an error, not 400 documents less a few
    path.write_bytes(blob + stream.getvalue()[:-1])
    with pytest.raises(InputError, match=r"c\.jsonl\.zst: damaged zstd data \(cut short"):
        ids([path])
