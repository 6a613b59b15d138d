"""``report.html``: the clusters and the passages of every pair, in one self-contained page.

The report is built from the result files of a scan (``pairs.jsonl``, ``clusters.jsonl``,
``summary.json``: docs/schema.md) and the documents' texts, read again from the inputs that
``summary.json`` names; never from pipeline internals, so ``reprints report DIR`` rebuilds it
from a finished scan. Everything the page needs is in the file: the data as one JSON block, the
styles and the script inline, no network (a Content-Security-Policy forbids it). Text from the
documents is only ever set as text by the script (``textContent``), and the JSON block escapes
``<``, ``>`` and ``&``, so a document holding ``</script>`` or ``<img onerror=...>`` shows as
text and runs nothing.

Texts are what makes a report large. They are kept for the documents of the largest clusters
first, then of the pairs outside clusters, until ``max_text_chars``; past it the page still lists
every cluster and pair with its figures, and says what it left out and how to see the rest
(``reprints compare A B --input ...``, or a larger ``--max-text-chars``).
"""

from __future__ import annotations

import heapq
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from reprints.config import ReadConfig
from reprints.errors import InputError, OutputError
from reprints.io.reader import ReadStats, read_documents
from reprints.relations import Level, Relation

MAX_TEXT_CHARS = 20_000_000
"""Characters of document text a report holds at most (a browser opens it in a few seconds)."""
HISTOGRAM_BINS = 20
TOP_BOILERPLATE = 20
MAX_TITLE = 300
HEADLESS_CHROMIUM = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Flags for opening reports in headless Chromium (the browser tests and the render benchmark):
no sandbox (root in CI), no GPU, and none of the browser's own network traffic."""
_SPACES = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(slots=True)
class DocInfo:
    """What the report shows of one document: its metadata and, within the budget, its text."""

    id: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    lang: str | None = None
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "url": self.url,
            "lang": self.lang,
            "text": self.text,
        }


@dataclass(slots=True)
class Results:
    """The result files of one scan, as read (or as about to be written)."""

    summary: dict[str, Any]
    clusters: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def load_results(folder: Path) -> Results:
    """Read the result files of a finished scan; a missing or damaged file is an error naming it."""

    def rows(name: str, needed: tuple[str, ...]) -> list[dict[str, Any]]:
        path = folder / name
        try:
            with open(path, encoding="utf-8") as handle:
                out = [json.loads(line) for line in handle if line.strip()]
        except FileNotFoundError:
            raise InputError(str(path), "not found: is this the --out folder of a scan?") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"is not a reprints result file ({exc})") from None
        for line, row in enumerate(out, 1):
            missing = [f for f in needed if not isinstance(row, dict) or f not in row]
            if missing:
                raise InputError(f"{path}:{line}", f"has no field {', '.join(missing)}")
        return out

    path = folder / "summary.json"
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "not found: is this the --out folder of a scan?") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"is not a reprints summary ({exc})") from None
    return Results(
        summary,
        rows("clusters.jsonl", ("cluster", "canonical", "members")),
        rows("pairs.jsonl", ("a", "b", "relation")),
    )


def text_priority(results: Results) -> list[str]:
    """Document ids in the order their texts are kept: members of the largest clusters first
    (then by cluster name), then the documents of pairs outside clusters, in pair order.

    >>> r = Results({}, [{"cluster": "x", "members": ["x", "y"]},
    ...                  {"cluster": "a", "members": ["a", "b", "c"]}],
    ...             [{"a": "p", "b": "x"}, {"a": "q", "b": "r"}])
    >>> text_priority(r)
    ['a', 'b', 'c', 'x', 'y', 'p', 'q', 'r']
    """
    order: dict[str, None] = {}
    for cluster in sorted(results.clusters, key=lambda c: (-len(c["members"]), c["cluster"])):
        order.update(dict.fromkeys(cluster["members"]))
    for pair in results.pairs:
        order.update(dict.fromkeys((pair["a"], pair["b"])))
    return list(order)


def collect_documents(
    documents: Iterable[Any], priority: list[str], max_text_chars: int
) -> dict[str, DocInfo]:
    """Metadata of every wanted document, and the texts of the most wanted ones that fit in
    ``max_text_chars`` (documents streamed once; memory bounded by the budget)."""
    rank = {doc_id: k for k, doc_id in enumerate(priority)}
    found: dict[str, DocInfo] = {}
    kept: list[tuple[int, str]] = []  # max-heap of kept texts by rank (negated)
    total = 0
    cutoff = len(priority)  # texts ranked at or past this no longer fit
    for doc in documents:
        k = rank.get(doc.id)
        if k is None:
            continue
        fields = doc.fields
        info = DocInfo(
            doc.id,
            _short(fields.get("title")),
            None if fields.get("date") is None else str(fields["date"]),
            None if fields.get("url") is None else str(fields["url"]),
            None if fields.get("lang") is None else str(fields["lang"]),
        )
        found[doc.id] = info
        if k >= cutoff or len(doc.text) > max_text_chars:
            continue
        info.text = doc.text
        total += len(doc.text)
        heapq.heappush(kept, (-k, doc.id))
        while total > max_text_chars:
            worst, worst_id = heapq.heappop(kept)
            cutoff = min(cutoff, -worst)
            dropped = found[worst_id]
            total -= len(dropped.text or "")
            dropped.text = None
    return found


def _short(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


def histogram(pairs: list[dict[str, Any]], relations: list[str]) -> dict[str, Any]:
    """Pairs by content Jaccard (``HISTOGRAM_BINS`` bins over [0, 1]) and relation.

    >>> h = histogram([{"relation": "partial", "jaccard": 0.12}, {"relation": "exact",
    ...                "jaccard": 1.0}], ["exact", "partial"])
    >>> h["counts"][0][-1], h["counts"][1][2]
    (1, 1)
    """
    counts = [[0] * HISTOGRAM_BINS for _ in relations]
    row = {rel: k for k, rel in enumerate(relations)}
    for pair in pairs:
        value = min(max(float(pair.get("jaccard", 0.0)), 0.0), 1.0)
        counts[row[pair["relation"]]][min(int(value * HISTOGRAM_BINS), HISTOGRAM_BINS - 1)] += 1
    return {
        "edges": [k / HISTOGRAM_BINS for k in range(HISTOGRAM_BINS + 1)],
        "relations": relations,
        "counts": counts,
    }


def boilerplate_passages(
    pairs: list[dict[str, Any]], docs: dict[str, DocInfo], top: int = TOP_BOILERPLATE
) -> list[dict[str, Any]]:
    """The passages most often discounted as boilerplate, with the number of documents each was
    discounted in (counted over the documents whose texts the report holds).

    >>> docs = {"x": DocInfo("x", text="Home | News\\nStory"),
    ...         "y": DocInfo("y", text="Home | News")}
    >>> pairs = [{"a": "x", "b": "y", "boilerplate": {"a": [[0, 11]], "b": [[0, 11]]}}]
    >>> boilerplate_passages(pairs, docs)
    [{'text': 'Home | News', 'docs': 2}]
    """
    seen: dict[str, set[str]] = {}
    for pair in pairs:
        for side in ("a", "b"):
            text = docs.get(pair[side], DocInfo("")).text
            spans = (pair.get("boilerplate") or {}).get(side) or []
            if text is None:
                continue
            per_doc = seen.setdefault(pair[side], set())
            for start, end in spans:
                passage = _SPACES.sub(" ", text[start:end]).strip()
                if passage:
                    per_doc.add(passage[:200] + ("…" if len(passage) > 200 else ""))
    counts = Counter(p for passages in seen.values() for p in passages)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"text": text, "docs": n} for text, n in ranked[:top] if n > 1]


_EVIDENCE = ("aligned", "added_in_a", "added_in_b", "boilerplate")


def report_data(results: Results, docs: dict[str, DocInfo], source: str) -> dict[str, Any]:
    """The JSON the page renders: documents by index, clusters, pairs with their evidence,
    the overview's figures and what was left out."""
    summary = results.summary
    wanted = text_priority(results)
    index = {doc_id: k for k, doc_id in enumerate(wanted)}
    infos = [docs.get(doc_id, DocInfo(doc_id)) for doc_id in wanted]
    cluster_of = {m: k for k, cluster in enumerate(results.clusters) for m in cluster["members"]}
    pairs_out: list[dict[str, Any]] = []
    changed: set[str] = set()
    cluster_pairs: list[list[int]] = [[] for _ in results.clusters]
    for k, pair in enumerate(results.pairs):
        a, b = pair["a"], pair["b"]
        together = cluster_of.get(a, -1) if cluster_of.get(a, -1) == cluster_of.get(b, -2) else -1
        has_text = infos[index[a]].text is not None and infos[index[b]].text is not None
        evidence = {name: pair[name] for name in _EVIDENCE if name in pair}
        moved = bool(evidence) and has_text
        moved = moved and not _fits(evidence, infos[index[a]], infos[index[b]])
        if moved:  # offsets past the end: the text is not the one the scan read
            changed.add(a if _reach(evidence, "a") > len(infos[index[a]].text or "") else b)
        pairs_out.append(
            {
                "a": index[a],
                "b": index[b],
                "relation": pair["relation"],
                "jaccard": pair.get("jaccard", 0.0),
                "containment_a_in_b": pair.get("containment_a_in_b", 0.0),
                "containment_b_in_a": pair.get("containment_b_in_a", 0.0),
                "why": pair.get("why", ""),
                "cluster": together,
                "evidence": evidence if evidence and has_text and not moved else None,
                # evidence there is, but not both texts: over the report's text budget
                "left_out": bool(evidence) and not has_text,
                "changed": moved,  # the inputs changed since the scan
            }
        )
        if together >= 0:
            cluster_pairs[together].append(k)
    clusters_out = []
    for k, cluster in enumerate(results.clusters):
        relations = Counter(results.pairs[p]["relation"] for p in cluster_pairs[k])
        clusters_out.append(
            {
                "cluster": cluster["cluster"],
                "canonical": index[cluster["canonical"]],
                "members": [index[m] for m in cluster["members"]],
                "why": cluster.get("why", ""),
                "relations": dict(relations),
                "pairs": cluster_pairs[k],
            }
        )
    for cluster in results.clusters:  # languages the scan detected, where the input gave none
        for doc_id, lang in (cluster.get("langs") or {}).items():
            info = infos[index[doc_id]]
            info.lang = info.lang or lang
    level = str(summary.get("level", "near"))
    try:
        joining = [str(r) for r in Level.parse(level).relations]
    except Exception:  # a level this version does not know: say nothing joins
        joining = []
    order = relation_order()
    seen = {p["relation"] for p in results.pairs}
    present = [r for r in order if r in seen] + sorted(seen - set(order))
    missing = sum(info.text is None for info in infos)
    notes = list(results.notes)
    if missing:
        notes.append(
            f"The texts of {missing} of {len(infos)} documents are not in this report "
            f"(over the limit of characters of text, or not found in the inputs): their pairs "
            "show figures but no passages. See one with `reprints compare A B --input INPUT`, or "
            "rebuild with `reprints report DIR --max-text-chars N`."
        )
    if changed:
        notes.append(
            f"{len(changed)} documents are shorter in the inputs than when they were scanned "
            f"(first: {min(changed)}): the inputs changed since the scan, and the passages of "
            "their pairs are not shown. Scan again to see them."
        )
    return {
        "meta": {
            "level": level,
            "documents": summary.get("documents", len(infos)),
            "clusters": len(results.clusters),
            "clustered_documents": summary.get("clustered_documents", len(cluster_of)),
            "pairs_by_relation": dict(Counter(p["relation"] for p in results.pairs)),
            "joining": joining,
            "relations": order,
            "source": source,
            "notes": notes,
            "texts_left_out": missing,
            "no_text": "The text of this document is not in the report (see the note on the "
            "overview).",
        },
        "docs": [info.to_dict() for info in infos],
        "clusters": clusters_out,
        "pairs": pairs_out,
        "histogram": histogram(results.pairs, present),
        "boilerplate": boilerplate_passages(results.pairs, docs),
    }


def _reach(evidence: dict[str, Any], side: str) -> int:
    """The largest offset the evidence gives into side ``side``'s text."""
    ends = [x[side][1] for x in evidence.get("aligned") or []]
    ends += [e for _, e in evidence.get(f"added_in_{side}") or []]
    ends += [e for _, e in (evidence.get("boilerplate") or {}).get(side) or []]
    return max(ends, default=0)


def _fits(evidence: dict[str, Any], a: DocInfo, b: DocInfo) -> bool:
    """Whether every offset of the evidence lies within the two texts as read now (a text that
    changed since the scan, and got shorter, does not fit; one of the same length is not seen)."""
    return _reach(evidence, "a") <= len(a.text or "") and _reach(evidence, "b") <= len(b.text or "")


def relation_order() -> list[str]:
    """Every registered relation, in the registry's order: first those that join clusters at
    some level, then those that never do (``partial``).

    >>> relation_order()[:3], relation_order()[-1]
    (['exact', 'near_duplicate', 'containment'], 'partial')
    """
    joins = {str(r) for name in Level.names() for r in Level.parse(name).relations}
    return sorted((str(r) for r in Relation.registered()), key=lambda name: name not in joins)


def render(data: dict[str, Any]) -> str:
    """The page: the template with the data as a JSON block that no text can break out of."""
    template = resources.files("reprints.output").joinpath("report.html").read_text("utf-8")
    payload = (
        _SURROGATE.sub(  # a lone surrogate cannot be written as UTF-8: one code point for one
            "\ufffd", json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        )
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    before, marker, after = template.partition("/*__DATA__*/")
    if not marker:
        raise OutputError("report.html", "the report template has no data marker")
    return before + payload + after


def read_config_of(summary: dict[str, Any]) -> ReadConfig:
    """How the scan read its inputs (``summary.json``'s ``read``), to read the same texts again."""
    read = summary.get("read") or {}
    return ReadConfig(
        id_field=read.get("id_field", "id"),
        text_field=read.get("text_field", "text"),
        # as the scan read them: the same records kept, the same bytes replaced
        on_error=read.get("on_error", "skip"),
        max_chars=int(read.get("max_chars", ReadConfig().max_chars)),
    )


def inputs_of(summary: dict[str, Any], folder: Path) -> list[str]:
    """The inputs a finished scan read, checked to be there still."""
    inputs = summary.get("inputs")
    if not inputs:
        raise InputError(
            str(folder / "summary.json"),
            "names no inputs (a scan of an older version): give them with --input",
        )
    return [str(i) for i in inputs]


def check_inputs(inputs: list[str], where: str) -> None:
    """Every input must still be there: a moved one is an error saying how to point at it."""
    for name in inputs:
        if name == "-":
            raise InputError(
                where,
                "the scan read standard input, which cannot be read again: "
                "give the inputs with --input",
            )
        if not Path(name).exists():
            raise InputError(
                name,
                f"named in {where} is not there any more (moved or deleted?): give the inputs "
                "with --input",
            )


def build_report(
    results: Results,
    inputs: list[str],
    read: ReadConfig,
    max_text_chars: int = MAX_TEXT_CHARS,
    source: str | None = None,
) -> str:
    """The report page of ``results``, the texts read again from ``inputs`` as ``read`` says
    (standard input, ``-``, cannot be: no texts from it); ``source`` names the inputs on the
    page (by default their file names)."""
    readable = [i for i in inputs if i != "-"]
    documents = read_documents(readable, read, ReadStats()) if readable else iter(())
    docs = collect_documents(documents, text_priority(results), max_text_chars)
    if source is None:
        source = ", ".join(Path(i).name for i in inputs)
    return render(report_data(results, docs, source))
