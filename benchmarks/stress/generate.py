"""A seeded adversarial corpus of web copy styles (same seed, same bytes).

    python benchmarks/stress/generate.py --docs 10000 --seed 1 --out benchmarks/stress/data/10k

writes, in ``--out``:

- ``docs.jsonl``: ``id``, ``text`` and, where the page has them, ``title``, ``date``, ``url``;
- ``gold.jsonl``: ``cluster`` (the original's id) and ``members`` for every cluster of two or
  more documents, as ``reprints eval`` reads it;
- ``styles.jsonl``: for every document its ``style``, ``role`` (``original``, ``copy``,
  ``site_page``, ``aggregator``, ``negative``), ``original`` (the id of the original it copies or
  is tested against), the expected ``relation`` to that original (``original`` for the original
  itself, else ``exact``, ``near_duplicate``, ``containment`` with ``container``, ``partial`` or
  ``none``), its gold ``cluster`` and ``related``: further expected relations (teasers of other
  articles, borrowed leads), each ``{"id", "relation"}``;
- ``meta.json``: the parameters and counts.

Expected relations are computed, not asserted: each planted document is a list of blocks
(``body`` copied from the original, ``own`` text of the page, ``teaser`` leads of other
articles, ``furniture`` of the site template); the relation is the one reprints defines
(``docs/design.md``: content Jaccard >= 0.6 near-duplicate, else one side holding >= 0.7 of the
other containment, or a copy taking half or more of its content and of its whole page from its
one source, its only source, contained in it; else >= 15 shared word 5-grams partial) on the
word 5-grams of everything but the site furniture, which an ideal boilerplate model discounts.
Styles are built so that the
intended relation holds with a margin; the gold cluster of an original is the original plus every
document whose relation to it joins (exact, near_duplicate, containment).

Articles are drawn from the grammar in ``prose.py``; dates follow ``--dates``: ``mixed`` (three
stories in four dated, originals always first and dated, copies dated or not), ``all`` or
``none`` (the canonical must then come from the text alone).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "benchmarks.stress"

from .prose import CITIES, FIRST, LAST, WEEKDAYS, Cast, Prose
from .sites import FOREIGN, Site, make_site, slug

JOINING = ("exact", "near_duplicate", "containment")
NEAR_J, CONTAIN, PARTIAL = 0.6, 0.7, 15
MAJORITY = 0.5  # the share of a copy its only source must make up to contain it
SHINGLE = 5
COMMON_DF = 5  # a 5-gram in this many originals is a stock phrase, not evidence of copying


Article = tuple[str | None, list[str]]
"""A real article given to the generator: its headline (None: it has none, a headline is
drawn) and its paragraphs."""
MIN_REAL_WORDS = 150
"""A real article shorter than this is not used: most styles need several paragraphs."""


_DATE_LINE = re.compile(r"(?i)published\b(?=.*\d)")
DATE_LINE_WORDS = 16
"""A ``Published ...`` line: the word, a number in the line (a date, a time) and at most
``DATE_LINE_WORDS`` words; "Published in 1990, the report ..." in a paragraph is prose."""


def read_articles(path: Path) -> list[Article]:
    """Real articles from a JSONL file of ``{"text": ...}`` rows: the first line is the headline
    where it reads as one (at most 25 words, no full stop at its end; else the article has none)
    and the other lines the paragraphs; a ``Published ...`` line is dropped (the generator
    prints its own date lines); articles under ``MIN_REAL_WORDS`` words or with fewer than five
    paragraphs are left out."""
    out: list[Article] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        lines = [x.strip() for x in json.loads(line)["text"].splitlines() if x.strip()]
        lines = [
            x for x in lines if not (_DATE_LINE.match(x) and len(x.split()) <= DATE_LINE_WORDS)
        ]
        if len(lines) < 6:  # a headline and five paragraphs
            continue
        head: str | None = lines[0]
        rest = lines[1:]
        if len(head.split()) > 25 or head.endswith("."):
            head, rest = None, lines
        if sum(len(p.split()) for p in rest) >= MIN_REAL_WORDS:
            out.append((head, rest))
    return out


# --- documents as blocks -------------------------------------------------------------------------
@dataclass
class Block:
    text: str
    kind: str  # body | own | teaser | furniture


@dataclass
class Story:
    """An original article: its cast, headline, byline and paragraphs, and where it ran."""

    cast: Cast
    headline: str
    byline: str
    paras: list[str]
    site: Site
    when: datetime
    doc_id: str = ""

    @property
    def lead(self) -> str:
        return self.paras[0]


@dataclass
class Doc:
    id: str
    blocks: list[Block]
    style: str
    role: str
    original: str
    when: datetime
    title: str | None = None
    url: str | None = None
    related: list[str] = field(default_factory=list)
    dating: str = "maybe"  # maybe | never | always
    teaser_safe: bool = True  # may its lead be used as a teaser elsewhere
    relation: str = ""
    container: str | None = None
    related_relations: list[dict[str, str]] = field(default_factory=list)
    date: str | None = None
    sep: str = "\n"

    @property
    def text(self) -> str:
        return self.sep.join(b.text for b in self.blocks if b.text)


_TOKEN = re.compile(r"[^\W_]+")
# what the evasion style writes for what it means: look-alike letters and invisible characters
LOOKALIKE = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
LOOKALIKE_CAPS = {"H": "Η", "T": "Т", "B": "В", "M": "М", "K": "К", "A": "Α", "E": "Ε", "O": "Ο"}
INVISIBLE = ("\u200b", "\u2060", "\ufeff")
SOFT_HYPHEN = "\u00ad"
_AS_SEEN = str.maketrans(
    {
        **{v: k for k, v in {**LOOKALIKE, **LOOKALIKE_CAPS}.items()},
        **dict.fromkeys([*INVISIBLE, SOFT_HYPHEN]),
    }
)


_MARKUP = re.compile(
    r"\]\(https://[^\s()]*\)|\]\[\d+\]|^\[\d+\]: \S+$|</?(?:a|p|h1)\b[^<>]*>", re.M
)


_JSON_ESCAPE = re.compile(r'\\(?:u([0-9a-fA-F]{4})|(["\\/])|([nrt]))')
_LINK_MARK = re.compile(r"(?<!\S)\[\d+\](?=\S)|^ *\d+\. https://\S+$", re.M)


def _unescaped(m: re.Match[str]) -> str:
    code, char, _ = m.groups()
    return chr(int(code, 16)) if code else char if char else " "


def tokens(text: str) -> list[str]:
    """The words a reader sees (look-alike letters, invisible characters, the mangled
    typography of the ``mangled`` style and the markup of the ``markup`` style read through)."""
    if "\\" in text:
        text = _JSON_ESCAPE.sub(_unescaped, text)
    if "](" in text or "<" in text or "][" in text:
        text = _MARKUP.sub(" ", text)
    if "[" in text:
        text = _LINK_MARK.sub("", text)
    if any(c in text for c in "&\u00c2\u00c3\u00e2"):  # what the manglings start with
        for mangled, char in _AS_TYPESET:
            text = text.replace(mangled, char)
    return _TOKEN.findall(text.translate(_AS_SEEN).lower().replace("'", "").replace("’", ""))


def shingles(toks: list[str]) -> set[str]:
    if len(toks) < SHINGLE:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1)}


def content(d: Doc) -> set[str]:
    """The word 5-grams of everything on the page but the site furniture."""
    return shingles(tokens(" ".join(x.text for x in d.blocks if x.kind != "furniture")))


def page(d: Doc) -> set[str]:
    """The word 5-grams of the page from its first to its last block of text: the furniture
    inside it counted (a paywall notice, "Article continues below"), not the site's template
    above and below it (header, menus, footer), which no page of another site holds."""
    kept = [k for k, x in enumerate(d.blocks) if x.kind != "furniture"]
    if not kept:
        return shingles(tokens(d.text))
    return shingles(tokens(" ".join(x.text for x in d.blocks[kept[0] : kept[-1] + 1])))


def relation(
    a: Doc, b: Doc, common: set[str] | frozenset[str] = frozenset(), only_source: bool = False
) -> tuple[str, str | None]:
    """The relation of ``a`` to ``b`` as an ideal boilerplate-aware reprint finder sees it.

    ``common``: 5-grams that recur in five or more unrelated originals (stock phrases of the
    grammar, like "said in a statement on"), which are no evidence of copying. ``only_source``:
    ``b`` is the only document ``a`` takes text from (it carries no teaser or lead of another
    article), so where ``b`` makes up most of ``a`` (``MAJORITY`` of its content and of its
    page, the furniture inside it counted but not its site's template above and below it),
    ``a`` is contained in it: one dominant source per document (issue 10), as a listicle
    keeping two thirds of its article under its own headings is.
    """
    if tokens(a.text) == tokens(b.text):
        return "exact", None
    sa, sb = content(a) - common, content(b) - common
    shared = len(sa & sb)
    if not sa or not sb:
        return "none", None
    jac = shared / len(sa | sb)
    a_in_b, b_in_a = shared / len(sa), shared / len(sb)
    if jac >= NEAR_J:
        return "near_duplicate", None
    if max(a_in_b, b_in_a) >= CONTAIN:
        return "containment", (b.id if a_in_b >= b_in_a else a.id)
    if only_source and a_in_b >= MAJORITY:
        whole_a, whole_b = page(a) - common, shingles(tokens(b.text)) - common
        if len(whole_a & whole_b) >= MAJORITY * len(whole_a):
            return "containment", b.id
    if shared >= PARTIAL:
        return "partial", None
    return "none", None


# --- text helpers -------------------------------------------------------------------------------
_SENT = re.compile(r'(?<=[.!?"])\s+(?=["A-Z])')
TYPO_KEYS = "etaoinshrdlu"
SYNONYMS = {
    "said": "stated",
    "residents": "locals",
    "percent": "per cent",
    "homes": "houses",
    "officials": "authorities",
    "plan": "proposal",
    "about": "around",
    "more": "over",
    "people": "individuals",
    "show": "reveal",
    "new": "fresh",
    "expected": "anticipated",
}


def sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text) if s]


def first_words(paras: list[str], n: int) -> str:
    words = " ".join(paras).split()
    return " ".join(words[:n])


def wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width=width, break_on_hyphens=False)


class Gen:
    """The corpus state: seeded draws, sites, ids, the clock and the pool of teaser targets."""

    def __init__(
        self,
        seed: int,
        dates: str,
        texts: list[Article] | None = None,
        date_lines: str = "site",
    ) -> None:
        self.rng = random.Random(f"reprints-stress:{seed}")
        self.date_lines = date_lines
        # real articles to use as the stories' headlines and paragraphs (``--texts``), drawn in
        # an order of their own so that the synthetic corpus of a seed keeps its bytes
        self.texts = list(texts or [])
        random.Random(f"reprints-stress-texts:{seed}").shuffle(self.texts)
        self.real_stories = 0
        self.prose = Prose(self.rng)
        self.dates = dates
        self.sites = [make_site(self.rng, self.prose) for _ in range(60)]
        self.mirrors = [
            make_site(self.rng, self.prose, lang=lang) for lang in sorted(FOREIGN) for _ in range(2)
        ]
        self.aggregators = [make_site(self.rng, self.prose, kind="aggregator") for _ in range(5)]
        self.wires = [
            ("Reuters", "Reuters"),
            ("AP", "The Associated Press"),
            ("AFP", "Agence France-Presse"),
            ("GNW", "Global News Wire"),
            ("PNA", "Pacific News Agency"),
        ]
        self.ids: set[str] = set()
        self.pool: list[Story] = []
        self.t0 = datetime(2023, 1, 2, 6, 0)

    # draws
    def pick(self, items: list):  # type: ignore[no-untyped-def]
        return items[self.rng.randrange(len(items))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def new_id(self) -> str:
        while True:
            i = f"d{self.rng.getrandbits(44):011x}"
            if i not in self.ids:
                self.ids.add(i)
                return i

    def site(self, avoid: Site | None = None) -> Site:
        while True:
            s = self.pick(self.sites)
            if s is not avoid:
                return s

    def clock(self) -> datetime:
        return self.t0 + timedelta(minutes=self.rng.randint(0, 700 * 24 * 60))

    def later(self, t: datetime, lo: int = 5, hi: int = 4 * 24 * 60) -> datetime:
        return t + timedelta(minutes=self.rng.randint(lo, hi))

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    # stories
    def story(
        self,
        topic: str | None = None,
        site: Site | None = None,
        words: int | None = None,
        cast: Cast | None = None,
        when: datetime | None = None,
    ) -> Story:
        c = cast or self.prose.cast(topic)
        real = self.real_article(words) if self.texts else None
        if real is not None:
            given, paras = real
            headline = given or self.prose.headline(c)
            self.real_stories += 1
        else:
            target = max(300, words or self.rng.randint(300, 820))
            paras = self.prose.paragraphs(c, target)
            headline = self.prose.headline(c)
        return Story(
            cast=c,
            headline=headline,
            byline=self.prose.byline(c),
            paras=paras,
            site=site or self.site(),
            when=when or self.clock(),
        )

    def real_article(self, words: int | None) -> Article | None:
        """The next real article not used yet, of about ``words`` words where a style asks for
        a length (within 0.7-1.5 times it); None when none is left (a synthetic story then)."""
        for k, (_, paras) in enumerate(self.texts):
            n = sum(len(p.split()) for p in paras)
            if words is None or 0.7 * words <= n <= 1.5 * words:
                return self.texts.pop(k)
        return None

    def page(
        self,
        s: Story,
        site: Site,
        when: datetime,
        *,
        paras: list[str] | None = None,
        headline: str | None = None,
        byline: str | None = None,
        kinds: list[str] | None = None,
        top: list[Block] | None = None,
        bottom: list[Block] | None = None,
        rail: list[Block] | None = None,
        furniture: bool = True,
        ads: bool = True,
    ) -> list[Block]:
        """An article page on ``site``: furniture, headline, byline, paragraphs, rail, footer."""
        paras = s.paras if paras is None else paras
        kinds = kinds or ["body"] * len(paras)
        blocks: list[Block] = []
        if furniture:
            if site.cookie and self.chance(0.5):
                blocks.append(Block(site.cookie, "furniture"))
            blocks += [Block(h, "furniture") for h in site.header]
        head = headline if headline is not None else s.headline
        blocks.append(Block(head.upper() if site.upper_headline else head, "body"))
        blocks.append(Block(byline if byline is not None else s.byline, "own"))
        # date lines: by site (some sites print them), or on the original's page only, as on
        # the `scraped` dev split (the page the story ran on first prints when it did)
        lined = site.dated_line if self.date_lines == "site" else when == s.when
        if lined and furniture:
            blocks.append(
                Block(f"Published {when:%B} {when.day}, {when:%Y} at {when:%H:%M}", "own")
            )
        blocks += top or []
        for k, (p, kind) in enumerate(zip(paras, kinds, strict=True)):
            blocks.append(Block(p, kind))
            if furniture and ads and k in (2, 6) and len(paras) > k + 2:
                blocks.append(Block(site.ads[k % len(site.ads)], "furniture"))
            if furniture and site.newsletter and k == 4 and len(paras) > 6:
                blocks.append(Block(site.newsletter, "furniture"))
        blocks += bottom or []
        if rail:
            blocks += rail
        if furniture:
            blocks += [Block(f, "furniture") for f in site.footer]
        return blocks

    def teaser(self, s: Story, words: int | None = None) -> str:
        lead = s.lead
        if words is not None and len(lead.split()) > words:
            lead = " ".join(lead.split()[:words]) + "…"
        return f"{s.headline}\n{lead}"

    def pool_teasers(self, k: int, avoid: set[str]) -> list[tuple[str, str | None]]:
        """``k`` teasers: leads of earlier originals (their ids) or of stories not in the corpus."""
        out: list[tuple[str, str | None]] = []
        for _ in range(k):
            if self.pool and self.chance(0.7):
                s = self.pick(self.pool)
                if s.doc_id not in avoid:
                    avoid.add(s.doc_id)
                    out.append((self.teaser(s, words=self.rng.randint(18, 30)), s.doc_id))
                    continue
            c = self.prose.cast()
            out.append(
                (f"{self.prose.headline(c)}\n{first_words([self.prose.lead(c)], 24)}…", None)
            )
        return out

    def noise(self, text: str, rate: float) -> str:
        """Scraping noise: a typo every ``1/rate`` words, doubled spaces, odd quotes."""
        words = text.split(" ")
        for i, w in enumerate(words):
            if len(w) > 3 and self.chance(rate):
                j = self.rng.randrange(1, len(w) - 1)
                words[i] = w[:j] + self.pick(list(TYPO_KEYS)) + w[j + 1 :]
        text = " ".join(words)
        if self.chance(0.3):
            text = text.replace(". ", ".  ")
        if self.chance(0.3):
            text = text.replace('"', "“", 1).replace('"', "”", 1)
        return text

    def doc(self, s: Story, style: str, role: str, original: str, when: datetime, blocks, **kw):  # type: ignore[no-untyped-def]
        site: Site = kw.pop("site", s.site)
        title = kw.pop("title", None)
        n = self.rng.randint(10000, 99999)
        url = site.url(title or s.headline, n, when.year, when.month) if self.chance(0.6) else None
        d = Doc(
            id=kw.pop("doc_id", None) or self.new_id(),
            blocks=blocks,
            style=style,
            role=role,
            original=original,
            when=when,
            title=(title or s.headline) if self.chance(0.5) else None,
            url=url,
            sep=site.sep,
            **kw,
        )
        return d

    def original(self, s: Story, style: str, blocks: list[Block] | None = None, **kw) -> Doc:  # type: ignore[no-untyped-def]
        s.doc_id = self.new_id()
        d = self.doc(
            s,
            style,
            "original",
            s.doc_id,
            s.when,
            blocks or self.page(s, s.site, s.when),
            doc_id=s.doc_id,
            **kw,
        )
        return d


# --- styles ---------------------------------------------------------------------------------------
Style = Callable[[Gen], list[Doc]]
STYLES: dict[str, tuple[Style, str]] = {}


def style(name: str, doc: str):  # type: ignore[no-untyped-def]
    def register(fn: Style) -> Style:
        STYLES[name] = (fn, doc)
        return fn

    return register


@style(
    "control", "exact copy, near copy with scraping noise, copy with teasers appended (dev-like)"
)
def s_control(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "control")
    docs = [o]
    if g.chance(0.7):
        e = g.doc(s, "control", "copy", o.id, g.later(s.when), list(o.blocks))
        docs.append(e)
    site = g.site(s.site)
    t = g.later(s.when)
    paras = [g.noise(p, 1 / 60) for p in s.paras]
    docs.append(g.doc(s, "control", "copy", o.id, t, g.page(s, site, t, paras=paras), site=site))
    site = g.site(s.site)
    t = g.later(s.when)
    teasers = [Block(x, "teaser") for x, _ in g.pool_teasers(g.rng.randint(3, 5), {o.id})]
    blocks = g.page(s, site, t, rail=[Block(site.rail_head, "furniture"), *teasers])
    docs.append(g.doc(s, "control", "copy", o.id, t, blocks, site=site))
    return docs


@style("pagination", "article split over 2-3 pages; each page is contained in the single-page view")
def s_pagination(g: Gen) -> list[Doc]:
    s = g.story(words=g.rng.randint(500, 820))
    o = g.original(s, "pagination")
    n = len(s.paras)
    k = min(g.rng.randint(2, 3), n // 4)
    cuts = [round(i * n / k) + g.rng.randint(-1, 1) for i in range(1, k)]
    parts = [s.paras[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    docs = [o]
    for i, part in enumerate(parts, start=1):
        t = g.later(s.when, 1, 60)
        nav = (
            f"Page {i} of {k}   "
            + ("« Previous   " if i > 1 else "")
            + ("Next page »" if i < k else "")
        )
        head = s.headline if i == 1 else f"{s.headline} (page {i})"
        blocks = g.page(s, s.site, t, paras=part, headline=head, bottom=[Block(nav, "furniture")])
        d = g.doc(s, "pagination", "copy", o.id, t, blocks)
        if d.url:
            d.url += f"?page={i}"
        docs.append(d)
    return docs


@style(
    "sidebar_trap",
    "every page of a site carries a rail whose teaser is the lead of X; a paywalled copy of X "
    "(that lead only) joins X, the site pages must not",
)
def s_sidebar_trap(g: Gen) -> list[Doc]:
    x = g.story()
    ox = g.original(x, "sidebar_trap", teaser_safe=False)
    docs = [ox]
    # the paywalled copy: headline and first paragraph, like the rail teaser
    site = g.site(x.site)
    t = g.later(x.when, 30, 600)
    pay = g.page(
        x,
        site,
        t,
        paras=[x.lead],
        bottom=[
            Block("Subscribe to read the full story. Already a subscriber? Log in", "furniture")
        ],
        ads=False,
    )
    docs.append(g.doc(x, "sidebar_trap", "copy", ox.id, t, pay, site=site))
    # other stories of the day in the same rail (originals elsewhere, no copies)
    others = [g.story(when=x.when - timedelta(minutes=g.rng.randint(10, 600))) for _ in range(3)]
    for s in others:
        docs.append(g.original(s, "sidebar_trap", teaser_safe=False))
    rail_stories = [x, *others]
    g.rng.shuffle(rail_stories)
    site = g.site(x.site)
    # the rail is part of the site's template that day: furniture on every page
    rail = [Block(site.rail_head, "furniture")]
    rail += [Block(g.teaser(s), "furniture") for s in rail_stories]
    for _ in range(g.rng.randint(10, 19)):
        t = g.later(x.when, 60, 36 * 60)
        s = g.story(site=site, when=t)
        s.doc_id = g.new_id()
        blocks = g.page(s, site, t, rail=rail)
        d = g.doc(s, "sidebar_trap", "site_page", ox.id, t, blocks, doc_id=s.doc_id)
        d.related = [o.doc_id for o in others]
        docs.append(d)
    return docs


@style("rails", "copies carrying right rails and related-links lists of other articles' teasers")
def s_rails(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "rails")
    docs = [o]
    for _ in range(g.rng.randint(1, 2)):
        site = g.site(s.site)
        t = g.later(s.when)
        avoid = {o.id}
        teasers = g.pool_teasers(g.rng.randint(3, 6), avoid)
        rail = [Block(site.rail_head, "furniture")] + [Block(x, "teaser") for x, _ in teasers]
        related = g.pool_teasers(g.rng.randint(2, 4), avoid)
        links = site.related_head + ": " + " | ".join(x.split("\n")[0] for x, _ in related)
        bottom = [Block(links, "teaser")]
        d = g.doc(
            s, "rails", "copy", o.id, t, g.page(s, site, t, bottom=bottom, rail=rail), site=site
        )
        d.related = [i for _, i in teasers if i]
        docs.append(d)
    return docs


@style(
    "borrowed_lead",
    "a copy of X opening with a local intro taken from article Y (its first 60 words)",
)
def s_borrowed_lead(g: Gen) -> list[Doc]:
    y = g.story()
    oy = g.original(y, "borrowed_lead")
    x = g.story(when=g.later(y.when, 10, 300))
    ox = g.original(x, "borrowed_lead")
    docs = [oy, ox]
    if g.chance(0.5):  # Y has a copy of its own, so that Y has a cluster to be glued to
        site = g.site(y.site)
        t = g.later(y.when)
        docs.append(g.doc(y, "borrowed_lead", "copy", oy.id, t, g.page(y, site, t), site=site))
    site = g.site(x.site)
    t = g.later(x.when)
    intro = Block(first_words(y.paras, 60), "own")
    d = g.doc(x, "borrowed_lead", "copy", ox.id, t, g.page(x, site, t, top=[intro]), site=site)
    d.related = [oy.id]
    docs.append(d)
    return docs


LOCAL_OUTROS = [
    "This story was originally published by {OUTLET} and is republished here with permission.",
    "Have a news tip? Email the newsdesk at news@{DOMAIN} or call {PHONE}.",
    "{NAME} of {OUTLET} contributed to this report.",
    "Do you have a view on this story? Write to letters@{DOMAIN}, including your full name and "
    "address.",
    "The {TOWN} Herald will be following this story. Check back for updates.",
]


@style("local_frame", "copies adding a local intro and an outro (credit line, tip line)")
def s_local_frame(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "local_frame")
    docs = [o]
    for _ in range(g.rng.randint(1, 3)):
        site = g.site(s.site)
        t = g.later(s.when)
        c = g.prose.cast(s.cast.topic, town=g.prose.town())
        intro = f"For readers in {c.town}: " + " ".join(
            g.prose.body_sentence(c, set()) for _ in range(g.rng.randint(1, 3))
        )
        outro = g.pick(LOCAL_OUTROS).format(
            OUTLET=s.site.name,
            DOMAIN=site.domain,
            PHONE=f"0{g.rng.randint(1000, 9999)} {g.rng.randint(100000, 999999)}",
            NAME=g.person(),
            TOWN=c.town,
        )
        top = [Block(intro, "own")] if g.chance(0.8) else []
        blocks = g.page(s, site, t, top=top, bottom=[Block(outro, "own")])
        docs.append(g.doc(s, "local_frame", "copy", o.id, t, blocks, site=site))
    return docs


@style("reordered", "copies with paragraphs moved (a re-edit that brings later paragraphs up)")
def s_reordered(g: Gen) -> list[Doc]:
    s = g.story(words=g.rng.randint(400, 820))
    o = g.original(s, "reordered")
    docs = [o]
    for _ in range(g.rng.randint(1, 2)):
        paras = list(s.paras)
        if g.chance(0.5):
            body = paras[1:]
            g.rng.shuffle(body)
            paras = [paras[0], *body]
        else:  # move a run of 2-4 paragraphs from the end up behind the lead
            k = g.rng.randint(2, 4)
            paras = [paras[0], *paras[-k:], *paras[1:-k]]
        site = g.site(s.site)
        t = g.later(s.when)
        docs.append(
            g.doc(s, "reordered", "copy", o.id, t, g.page(s, site, t, paras=paras), site=site)
        )
    return docs


@style(
    "pull_quote",
    "pull quotes: sentences of the article repeated inside it, in the copy or the original",
)
def s_pull_quote(g: Gen) -> list[Doc]:
    s = g.story(words=g.rng.randint(400, 820))

    def with_pulls(paras: list[str]) -> tuple[list[str], list[str]]:
        out, kinds = list(paras), ["body"] * len(paras)
        for _ in range(g.rng.randint(1, 3)):
            src = g.pick(sentences(g.pick(paras[1:])))
            at = g.rng.randint(2, len(out) - 1)
            out.insert(at, f"“{src.strip(chr(34))}”")
            kinds.insert(at, "body")
        return out, kinds

    if g.chance(0.3):  # the original carries the pull quotes, the copies do not
        paras, kinds = with_pulls(s.paras)
        o = g.original(s, "pull_quote", blocks=g.page(s, s.site, s.when, paras=paras, kinds=kinds))
        plain = True
    else:
        o = g.original(s, "pull_quote")
        plain = False
    docs = [o]
    for _ in range(g.rng.randint(1, 2)):
        site = g.site(s.site)
        t = g.later(s.when)
        paras, kinds = (list(s.paras), None) if plain else with_pulls(s.paras)
        blocks = g.page(s, site, t, paras=paras, kinds=kinds)
        docs.append(g.doc(s, "pull_quote", "copy", o.id, t, blocks, site=site))
    return docs


@style(
    "aggregator",
    "aggregator pages carrying the leads of several articles (partial to each, join none); "
    "sometimes one article also has a paywalled lead-only copy",
)
def s_aggregator(g: Gen) -> list[Doc]:
    stories = [g.story() for _ in range(g.rng.randint(4, 7))]
    docs = [g.original(s, "aggregator", teaser_safe=False) for s in stories]
    latest = max(s.when for s in stories)
    if g.chance(0.5):
        x = stories[0]
        site = g.site(x.site)
        t = g.later(x.when, 30, 600)
        pay = g.page(
            x,
            site,
            t,
            paras=[x.lead],
            bottom=[Block("This article is for subscribers only. Subscribe now", "furniture")],
        )
        docs.append(g.doc(x, "aggregator", "copy", docs[0].id, t, pay, site=site))
    pages: list[Doc] = []
    for _ in range(g.rng.randint(1, 2)):
        agg = g.pick(g.aggregators)
        chosen = g.rng.sample(stories, g.rng.randint(max(3, len(stories) - 2), len(stories)))
        chosen.sort(key=lambda s: s.when, reverse=True)
        blocks = [Block(h, "furniture") for h in agg.header]
        for s in chosen:
            blocks.append(Block(g.teaser(s), "teaser"))
            blocks.append(Block(f"Read more at {s.site.name}", "furniture"))
        blocks += [Block(f, "furniture") for f in agg.footer]
        t = g.later(latest, 10, 300)
        head = Story(stories[0].cast, f"Top stories {t:%d %B %Y}", "", [], agg, t)
        d = g.doc(head, "aggregator", "aggregator", chosen[0].doc_id, t, blocks, site=agg)
        d.related = [s.doc_id for s in chosen[1:]]
        pages.append(d)
    # two pages of mostly the same leads are measured against each other like any pair: the
    # later one's original is the earlier page (near duplicates join; the articles never do)
    pages.sort(key=lambda d: d.when)
    for later in pages[1:]:
        later.related.append(later.original)
        later.original = pages[0].id
        if later.when <= pages[0].when:  # drawn in the same minute: a copy comes after
            later.when = pages[0].when + timedelta(minutes=1)
    return docs + pages


COMMENT_OPENERS = [
    "Typical.",
    "About time.",
    "I live in {TOWN} and",
    "Nobody asked the people who actually live here.",
    "Read the article before commenting:",
    "My neighbour works for {ORG} and",
    "Same old story.",
    "Well said {NAME}.",
    "Does anyone know if",
    "Sorry but",
    "This is exactly what we warned about.",
    "Great reporting.",
]


@style("comments", "copies with a comment section appended (reader comments, replies, likes)")
def s_comments(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "comments")
    docs = [o]
    for _ in range(g.rng.randint(1, 2)):
        site = g.site(s.site)
        t = g.later(s.when)
        n = g.rng.randint(3, 25)
        bottom = [
            Block(f"{n} comments", "furniture"),
            Block("Sort by: Newest | Oldest", "furniture"),
        ]
        for _ in range(n):
            user = g.pick(FIRST).lower() + g.pick(["_", ".", ""]) + str(g.rng.randint(1, 999))
            ago = f"{g.rng.randint(1, 23)} hours ago"
            opener = g.pick(COMMENT_OPENERS).format(
                TOWN=s.cast.town, ORG=s.cast.org, NAME=s.cast.people[0][1]
            )
            body = opener + " " + g.prose.claim(s.cast, third_person=True) + "."
            if g.chance(0.3):
                body += " " + g.prose.quote(s.cast) + "."
            bottom.append(Block(f"{user} · {ago}", "own"))
            bottom.append(Block(body, "own"))
            bottom.append(Block(f"Reply · {g.rng.randint(0, 60)} likes", "furniture"))
        docs.append(
            g.doc(s, "comments", "copy", o.id, t, g.page(s, site, t, bottom=bottom), site=site)
        )
    return docs


@style("print_amp", "print and AMP variants of the publisher's own page, with another template")
def s_print_amp(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "print_amp")
    docs = [o]
    url = s.site.url(s.headline, g.rng.randint(10000, 99999), s.when.year, s.when.month)
    if g.chance(0.8):  # print view: no navigation, hard-wrapped lines, the URL at the foot
        t = g.later(s.when, 1, 600)
        blocks = [
            Block(f"Printed from {s.site.domain}   {t:%d/%m/%Y %H:%M}", "furniture"),
            Block(s.headline, "body"),
            Block(s.byline, "own"),
        ]
        blocks += [Block(wrap(p, g.rng.choice([64, 72, 80])), "body") for p in s.paras]
        blocks += [Block(f"Article URL: {url}", "own"), Block(s.site.footer[-1], "furniture")]
        d = g.doc(s, "print_amp", "copy", o.id, t, blocks)
        d.url = url + "?print=1"
        docs.append(d)
    t = g.later(s.when, 1, 600)
    amp = [
        Block(f"{s.site.name}  ☰", "furniture"),
        Block(s.headline, "body"),
        Block(s.byline, "own"),
    ]
    amp += [Block(p, "body") for p in s.paras]
    amp += [Block("View full site   Privacy   Terms", "furniture")]
    d = g.doc(s, "print_amp", "copy", o.id, t, amp)
    d.url = url.replace("https://", "https://amp.")
    docs.append(d)
    return docs


@style("wire", 'a wire story and its copies, with and without the dateline ("LONDON (Reuters) -")')
def s_wire(g: Gen) -> list[Doc]:
    short, agency = g.pick(g.wires)
    city = g.pick(CITIES).replace("-", " ").upper()
    s = g.story()
    s.byline = f"By {g.person()}"
    dateline = f"{city} ({short}) - "
    trailer = (
        f"(Reporting by {g.person()} in {city.title()}; additional reporting by {g.person()}; "
        f"editing by {g.person()})"
    )
    wire_site = make_site(g.rng, g.prose)
    wire_site.header = [f"{agency}  World  Business  Markets  Breakingviews  Video"]
    wire_site.footer = [f"Our Standards: The {agency} Trust Principles."]
    wire_site.cookie = wire_site.newsletter = None
    wire_site.dated_line = False
    s.site = wire_site
    lead = dateline + s.paras[0]
    hard = g.chance(0.3)  # the wire feed's fixed-width lines; copies reflow them
    paras = [lead, *s.paras[1:]]
    body = [wrap(p, 69) if hard else p for p in paras]
    blocks = g.page(s, wire_site, s.when, paras=body, bottom=[Block(trailer, "own")], ads=False)
    o = g.original(s, "wire", blocks=blocks)
    docs = [o]
    for _ in range(g.rng.randint(3, 8)):
        site = g.site()
        t = g.later(s.when, 5, 2 * 24 * 60)
        cparas = [lead if g.chance(0.5) else s.paras[0], *s.paras[1:]]
        if g.chance(0.25):
            cparas = cparas[: max(4, int(len(cparas) * g.rng.uniform(0.7, 0.9)))]
        if g.chance(0.3):
            cparas = [g.noise(p, 1 / 80) for p in cparas]
        head = s.headline if g.chance(0.7) else g.prose.headline(s.cast)
        by = g.pick([f"By {agency}", f"{agency} staff", s.byline, f"By {g.person()}, {agency}"])
        bottom = [Block(trailer, "own")] if g.chance(0.5) else []
        blocks = g.page(s, site, t, paras=cparas, headline=head, byline=by, bottom=bottom)
        docs.append(g.doc(s, "wire", "copy", o.id, t, blocks, site=site, title=head))
    return docs


@style(
    "press_release",
    "a press release reprinted by many outlets with their own intros (those join it) and quoted "
    "briefly by others (partial)",
)
def s_press_release(g: Gen) -> list[Doc]:
    s = g.story(topic="business", words=g.rng.randint(300, 560))
    c = s.cast
    wire = g.pick(["NewsWire", "PR Distribution", "Globe Release", "MarketWire Daily"])
    city = g.pick(CITIES).replace("-", " ")
    about = (
        f"About {c.org}: {c.org} is a {g.pick(['leading', 'family-owned', 'fast-growing'])} "
        f"{g.pick(['provider', 'maker', 'developer'])} of {c.slots['THING']} services based in "
        f"{c.town}, employing {g.rng.randint(80, 9000):,} people in {g.rng.randint(2, 40)} "
        f"countries. For more information visit www.{slug(c.org, 3).replace('-', '')}.com."
    )
    contact = (
        f"Media contact: {g.person()}, {g.pick(['Head of Communications', 'Press Office'])}, "
        f"press@{slug(c.org, 3).replace('-', '')}.com, +44 {g.rng.randint(1000, 9999)} "
        f"{g.rng.randint(100000, 999999)}"
    )
    when = s.when
    dl = f"{city}, {when:%B} {when.day}, {when:%Y} /{wire}/ -- "
    release = [dl + s.paras[0], *s.paras[1:]]
    site = make_site(g.rng, g.prose)
    site.header = [f"{wire}  News releases  Contact us  Send a release"]
    site.cookie = site.newsletter = None
    site.dated_line = False
    s.site = site
    blocks = [Block("FOR IMMEDIATE RELEASE", "furniture"), Block(s.headline, "body")]
    blocks += [Block(p, "body") for p in release]
    blocks += [Block(about, "body"), Block(contact, "own"), Block(f"SOURCE {c.org}", "own")]
    blocks += [Block(f, "furniture") for f in site.footer]
    o = g.original(s, "press_release", blocks=blocks)
    docs = [o]
    for _ in range(g.rng.randint(6, 20)):
        osite = g.site()
        t = g.later(when, 10, 3 * 24 * 60)
        if g.chance(0.65):  # mostly the release, framed by the outlet
            intro = (
                f"{c.org} on {g.pick(WEEKDAYS)} {g.pick(['announced', 'said', 'confirmed'])} "
                f"{g.pick(['the following', 'new plans', 'its latest results'])}. "
                + g.prose.body_sentence(c, set())
            )
            keep = release if g.chance(0.5) else release[: max(3, len(release) - 2)]
            kinds = ["body"] * len(keep)
            extra = [Block(about, "body")] if g.chance(0.5) else []
            outro = f"{osite.name} will update this story. " + g.prose.body_sentence(c, set())
            blocks = g.page(
                s,
                osite,
                t,
                paras=keep,
                kinds=kinds,
                byline=f"By {g.person()}",
                top=[Block(intro, "own")],
                bottom=[*extra, Block(outro, "own")],
            )
        else:  # the outlet's own story quoting a paragraph of the release
            own = g.prose.paragraphs(c, g.rng.randint(300, 500))
            quoted = g.pick(release[1:])
            at = g.rng.randint(2, len(own) - 1)
            paras = [*own[:at], f"In a statement, {c.org} said: {quoted}", *own[at:]]
            kinds = ["own"] * len(paras)
            blocks = g.page(
                s,
                osite,
                t,
                paras=paras,
                kinds=kinds,
                headline=g.prose.headline(c),
                byline=f"By {g.person()}",
            )
        docs.append(g.doc(s, "press_release", "copy", o.id, t, blocks, site=osite))
    return docs


@style("consent_banner", "copies wrapped in cookie-consent banners, newsletter boxes and ad slots")
def s_consent_banner(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "consent_banner")
    docs = [o]
    for _ in range(g.rng.randint(1, 2)):
        site = g.site(s.site)
        t = g.later(s.when)
        blocks = g.page(s, site, t)
        extra = [
            Block(site.cookie or g.pick(g.sites).cookie or "We use cookies. Accept", "furniture"),
            Block(
                "We've updated our Privacy Policy. Please take a moment to review it. Continue",
                "furniture",
            ),
        ]
        box = site.newsletter or g.pick([x for x in g.sites if x.newsletter]).newsletter
        pos = [i for i, b in enumerate(blocks) if b.kind == "body"]
        for at in sorted(g.rng.sample(pos[2:], min(3, len(pos) - 2)), reverse=True):
            blocks.insert(at, Block(box if g.chance(0.5) else g.pick(site.ads), "furniture"))
        docs.append(g.doc(s, "consent_banner", "copy", o.id, t, extra + blocks, site=site))
    return docs


@style("translated_title", "syndication under a translated title with the byline swapped")
def s_translated_title(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "translated_title")
    docs = [o]
    for _ in range(g.rng.randint(1, 3)):
        lang = g.pick(sorted(FOREIGN))
        f = FOREIGN[lang]
        site = g.pick([m for m in g.mirrors if m.lang == lang]) if g.chance(0.5) else g.site(s.site)
        t = g.later(s.when)
        title = g.pick(f["title"]).format(TOWN=s.cast.town)
        top = [Block(f"{f['source'].format(OUTLET=s.site.name)}", "own")] if g.chance(0.5) else []
        blocks = g.page(s, site, t, headline=title, byline=f["byline"], top=top)
        docs.append(g.doc(s, "translated_title", "copy", o.id, t, blocks, site=site, title=title))
    return docs


@style("liveblog", "a live blog, an earlier snapshot of it (undated) and an as-it-happened recap")
def s_liveblog(g: Gen) -> list[Doc]:
    c = g.prose.cast(g.pick(["weather", "politics", "sport", "transport", "crime"]))
    start = g.clock()
    n = g.rng.randint(12, 22)
    times = sorted(start + timedelta(minutes=g.rng.randint(0, 600)) for _ in range(n))
    used: set[str] = set()
    updates = [
        " ".join(g.prose.body_sentence(c, used) for _ in range(g.rng.randint(1, 3))) for _ in times
    ]
    tz = g.pick(["GMT", "BST", "CET", "ET"])
    head = "Live: " + g.prose.headline(c)
    s = Story(c, head, g.prose.byline(c), [g.prose.lead(c)], g.site(), start)

    def render(k: int, newest_first: bool, fmt: str) -> list[Block]:
        items = list(zip(times[:k], updates[:k], strict=True))
        if newest_first:
            items.reverse()
        out = [Block(s.paras[0], "body")]
        for when, text in items:
            stamp = f"{when:%H:%M} {tz}" if fmt == "24" else f"{when:%I.%M%p}".lower().lstrip("0")
            out += [Block(stamp, "body" if fmt == "24" else "own"), Block(text, "body")]
        return out

    paras_blocks = render(n, True, "24")
    top = [Block(f"Last updated {times[-1]:%H:%M} {tz}", "own")]
    o = g.original(
        s,
        "liveblog",
        blocks=g.page(s, s.site, start, paras=[], top=top, bottom=paras_blocks, ads=False),
    )
    docs = [o]
    k = int(n * g.rng.uniform(0.5, 0.75))
    snap = render(k, True, "24")
    top = [Block(f"Last updated {times[k - 1]:%H:%M} {tz}", "own")]
    t = g.later(start, 1, 30)
    blocks = g.page(s, s.site, t, paras=[], top=top, bottom=snap, ads=False)
    docs.append(g.doc(s, "liveblog", "copy", o.id, t, blocks, dating="never"))
    site = g.site(s.site)
    t = g.later(times[-1], 30, 600)
    recap = g.page(
        s,
        site,
        t,
        paras=[],
        headline="As it happened: " + head.removeprefix("Live: "),
        bottom=render(n, False, "24"),
    )
    docs.append(g.doc(s, "liveblog", "copy", o.id, t, recap, site=site))
    return docs


PHOTO_AGENCIES = ["Reuters", "AP Photo", "Getty Images", "AFP", "PA", "EPA", "Shutterstock"]


@style(
    "gallery",
    "image-caption and gallery pages: the article cut into slides with captions and credits",
)
def s_gallery(g: Gen) -> list[Doc]:
    s = g.story(words=g.rng.randint(350, 820))
    c = s.cast

    def caption() -> str:
        return (
            g.prose.fill(g.pick(GALLERY_CAPTIONS), c) + f" ({g.pick(PHOTO_AGENCIES)}/{g.person()})"
        )

    if g.chance(0.5):  # the original has a picture or two with captions
        paras = list(s.paras)
        kinds = ["body"] * len(paras)
        for _ in range(g.rng.randint(1, 2)):
            at = g.rng.randint(1, len(paras) - 1)
            paras.insert(at, caption())
            kinds.insert(at, "own")
        o = g.original(s, "gallery", blocks=g.page(s, s.site, s.when, paras=paras, kinds=kinds))
    else:
        o = g.original(s, "gallery")
    docs = [o]
    for _ in range(g.rng.randint(1, 2)):
        site = g.site(s.site)
        t = g.later(s.when)
        n = g.rng.randint(5, 14)
        slides: list[Block] = [Block(f"Gallery: {n} photos", "furniture")]
        per = max(1, len(s.paras) // n + 1)
        for i in range(n):
            chunk = s.paras[i * per : (i + 1) * per]
            slides.append(Block(f"Photo {i + 1} of {n}", "furniture"))
            slides.append(Block(caption(), "own"))
            slides += [Block(p, "body") for p in chunk]
            slides.append(Block("Next photo ›", "furniture"))
        rest = s.paras[n * per :]
        slides += [Block(p, "body") for p in rest]
        blocks = g.page(s, site, t, paras=[], bottom=slides)
        docs.append(g.doc(s, "gallery", "copy", o.id, t, blocks, site=site))
    return docs


GALLERY_CAPTIONS = [
    "Residents of {TOWN} gather outside the town hall on {DAY}.",
    "{P1} speaks to reporters in {TOWN}.",
    "A view of the {THING} in {TOWN} earlier this year.",
    "Protesters hold placards during a demonstration in {TOWN2}.",
    "Workers at the site near {TOWN} on {DAY} morning.",
    "{P2}, {P2R}, arrives for the meeting.",
    "The scene in {TOWN} after the announcement.",
    "Members of {ORG} during a visit to {TOWN2}.",
]
LISTICLE_HEADINGS = [
    "What happened",
    "Who is involved",
    "Why it matters",
    "What {P1L} said",
    "The numbers",
    "The background",
    "What critics say",
    "What happens next",
    "The reaction in {TOWN}",
    "The cost",
    "What {ORG} says",
    "The bigger picture",
]


@style(
    "listicle", "listicle rewraps: 'N things to know' with own headings over most of the article"
)
def s_listicle(g: Gen) -> list[Doc]:
    s = g.story(words=g.rng.randint(450, 820))
    o = g.original(s, "listicle")
    docs = [o]
    site = g.site(s.site)
    t = g.later(s.when)
    n = len(s.paras)
    keep = sorted(g.rng.sample(range(n), max(3, int(n * g.rng.uniform(0.7, 0.95)))))
    items = max(3, min(g.rng.randint(5, 10), len(keep) // 2))
    size = len(keep) / items
    groups = [keep[round(i * size) : round((i + 1) * size)] for i in range(items)]
    groups = [gr for gr in groups if gr]
    heads = g.rng.sample(LISTICLE_HEADINGS, len(groups))
    head = f"{len(groups)} things to know about {s.cast.town}'s {s.cast.slots['EVENT']}"
    intro = g.prose.fill(
        "Here is what we know so far about the {EVENT} in {TOWN}, and what it means for you.",
        s.cast,
    )
    bottom = [Block(intro, "own")]
    for k, (h, gr) in enumerate(zip(heads, groups, strict=True), start=1):
        bottom.append(Block(f"{k}. {g.prose.fill(h, s.cast)}", "own"))
        bottom += [Block(s.paras[i], "body") for i in gr]
    blocks = g.page(s, site, t, paras=[], headline=head, bottom=bottom)
    docs.append(g.doc(s, "listicle", "copy", o.id, t, blocks, site=site, title=head))
    return docs


SPAM_FURNITURE = [
    "Click here to claim your free bonus now!!!",
    "Best VPN deals 2024 | Cheap flights | Crypto signals",
    "Related searches: news today, latest news, breaking news, {TOWN} news",
    "Download our app for instant news alerts",
]


@style(
    "seo_spin",
    "SEO spam: sentences of the whole article reshuffled, a few words spun, keyword titles",
)
def s_seo_spin(g: Gen) -> list[Doc]:
    s = g.story(words=g.rng.randint(400, 820))
    o = g.original(s, "seo_spin")
    docs = [o]
    spam = make_site(g.rng, g.prose)
    spam.cookie = spam.newsletter = None
    for _ in range(g.rng.randint(1, 2)):
        order = list(s.paras)
        g.rng.shuffle(order)  # paragraphs spun, and the sentences inside half of them
        paras = []
        for p in order:
            sents = sentences(p)
            if g.chance(0.3):
                g.rng.shuffle(sents)
            words = " ".join(sents).split(" ")
            for i, w in enumerate(words):
                if w in SYNONYMS and g.chance(0.05):
                    words[i] = SYNONYMS[w]
            paras.append(" ".join(words))
        t = g.later(s.when, 60, 10 * 24 * 60)
        title = f"{s.headline} | {s.cast.town} News | Latest Updates {t:%Y}"
        fur = [Block(x.format(TOWN=s.cast.town), "furniture") for x in SPAM_FURNITURE]
        blocks = g.page(s, spam, t, paras=paras, headline=title, byline="Admin", bottom=fur[:2])
        blocks = fur[2:] + blocks
        docs.append(g.doc(s, "seo_spin", "copy", o.id, t, blocks, site=spam, title=title))
    return docs


def watermark(g: Gen, text: str, rate: float) -> str:
    """Zero-width characters inside about ``rate`` of the words (a site's copy watermark)."""
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and g.chance(rate):
            j = g.rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + g.pick(list(INVISIBLE)) + w[j:]
    return " ".join(words)


def hyphenation_hints(text: str) -> str:
    """Soft hyphens every four letters inside long words (a CMS's hyphenation hints)."""

    def hint(m: re.Match[str]) -> str:
        w = m.group(0)
        return SOFT_HYPHEN.join(w[k : k + 4] for k in range(0, len(w), 4))

    return re.sub(r"[^\W\d_]{9,}", hint, text)


def homoglyphs(g: Gen, text: str, rate: float) -> str:
    """Latin letters swapped for Cyrillic and Greek look-alikes in about ``rate`` of the words
    (a content farm's copy made so that no word matches the original's)."""
    words = text.split(" ")
    table = {**LOOKALIKE, **LOOKALIKE_CAPS}
    for i, w in enumerate(words):
        if g.chance(rate):
            words[i] = "".join(table.get(ch, ch) if g.chance(0.5) else ch for ch in w)
    return " ".join(words)


@style(
    "evasion",
    "copies that look the same but differ in bytes: zero-width watermarks inside words, soft "
    "hyphenation hints, Cyrillic and Greek look-alike letters (a content farm evading dedup)",
)
def s_evasion(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "evasion")
    docs = [o]
    makers: list[Callable[[str], str]] = [
        lambda p: watermark(g, p, 0.3),
        hyphenation_hints,
        lambda p: homoglyphs(g, p, 0.4),
    ]
    for make in makers:
        if g.chance(0.7):
            site = g.site(s.site)
            t = g.later(s.when)
            paras = [make(p) for p in s.paras]
            headline = make(s.headline) if g.chance(0.5) else s.headline
            blocks = g.page(s, site, t, paras=paras, headline=headline)
            docs.append(g.doc(s, "evasion", "copy", o.id, t, blocks, site=site))
    return docs


@style("mirror_lang", "mirror sites copying articles inside boilerplate in another language")
def s_mirror_lang(g: Gen) -> list[Doc]:
    mirror = g.pick(g.mirrors)
    docs = []
    for _ in range(g.rng.randint(2, 3)):
        s = g.story()
        o = g.original(s, "mirror_lang")
        docs.append(o)
        t = g.later(s.when)
        src = Block(mirror.extra["source"].format(OUTLET=s.site.name), "own")
        blocks = g.page(s, mirror, t, byline=mirror.extra["byline"], bottom=[src])
        docs.append(g.doc(s, "mirror_lang", "copy", o.id, t, blocks, site=mirror))
    return docs


@style(
    "same_topic",
    "hard negatives: different stories on one topic, town and site template, same officials, "
    "sometimes the same statement quoted",
)
def s_same_topic(g: Gen) -> list[Doc]:
    site = g.site()
    base = g.prose.cast()
    statement = None
    if g.chance(0.5):
        statement = f'In a statement, {base.org} said: "{g.prose.quote(base)}."'
    first = None
    docs = []
    when = g.clock()
    for _ in range(g.rng.randint(2, 4)):
        c = g.prose.cast(base.topic, town=base.town)
        c.org = base.org
        c.people[0] = base.people[0]
        c.slots = g.prose._slots(c)
        s = g.story(cast=c, site=site, when=when)
        when = g.later(when, 60 * 12, 60 * 24 * 20)
        if statement:
            s.paras.insert(g.rng.randint(2, len(s.paras) - 1), statement)
        if first is None:
            first = g.original(s, "same_topic")
            docs.append(first)
        else:
            s.doc_id = g.new_id()
            blocks = g.page(s, site, s.when)
            docs.append(
                g.doc(s, "same_topic", "negative", first.id, s.when, blocks, doc_id=s.doc_id)
            )
    return docs


@style(
    "digest",
    "a newsletter page carrying two to four whole articles, each syndicated on its own (it "
    "contains each and joins none), and an infinite-scroll page: an article with the next, "
    "shorter story appended whole (it joins the article and never glues the two stories)",
)
def s_digest(g: Gen) -> list[Doc]:
    # stories alike in length (none makes up most of the digest), then a longer one that makes
    # up most of the infinite-scroll page
    stories = sorted(
        (g.story(words=g.rng.randint(350, 550)) for _ in range(g.rng.randint(3, 4))),
        key=lambda s: -len(" ".join(s.paras)),
    )
    stories.insert(0, g.story(words=g.rng.randint(650, 820)))
    docs: list[Doc] = []
    for s in stories:  # each story and a copy of it elsewhere: a text with a life of its own
        o = g.original(s, "digest")
        site = g.site(s.site)
        t = g.later(s.when)
        paras = [g.noise(p, 1 / 80) for p in s.paras] if g.chance(0.5) else list(s.paras)
        copy = g.doc(s, "digest", "copy", o.id, t, g.page(s, site, t, paras=paras), site=site)
        docs += [o, copy]
    originals = docs[::2]
    # the digest: whole stories under their headlines, on a newsletter's template; a text of
    # its own (no story makes up most of it) that contains each
    carried = stories[1:]
    news = g.site()
    t = g.later(max(s.when for s in carried), 10, 300)
    blocks = [Block(h, "furniture") for h in news.header]
    blocks.append(Block(f"Your briefing for {t:%A} {t.day} {t:%B}: the stories of the day.", "own"))
    for s in carried:
        blocks.append(Block(s.headline, "body"))
        blocks += [Block(p, "body") for p in s.paras]
        blocks.append(Block(f"Read more at {s.site.name}", "furniture"))
    blocks += [Block(f, "furniture") for f in news.footer]
    head = Story(stories[0].cast, f"Briefing {t:%d %B %Y}", "", [], news, t)
    did = g.new_id()
    digest = g.doc(head, "digest", "original", did, t, blocks, site=news, doc_id=did)
    digest.teaser_safe = False
    digest.related = [o.id for o in originals[1:]]
    docs.append(digest)
    # infinite scroll: the long story's page with the shortest appended whole
    a, b = stories[0], stories[-1]
    site = g.site(a.site)
    t = g.later(max(a.when, b.when))
    appended = [Block("Next story", "furniture"), Block(b.headline, "body")]
    appended += [Block(p, "body") for p in b.paras]
    blocks = g.page(a, site, t, bottom=appended)
    scroll = g.doc(a, "digest", "copy", originals[0].id, t, blocks, site=site)
    scroll.related = [originals[-1].id]
    docs.append(scroll)
    return docs


@style(
    "home_page",
    "a site's home page carrying its three latest posts whole, none copied anywhere else (it "
    "contains each and joins none), beside the site's older posts",
)
def s_home_page(g: Gen) -> list[Doc]:
    docs: list[Doc] = []
    site = g.site()
    posts = [g.story(site=site, words=g.rng.randint(300, 400)) for _ in range(3)]
    older = [g.story(site=site) for _ in range(g.rng.randint(4, 8))]
    pages = [g.original(p, "home_page") for p in posts]
    docs += [g.original(p, "home_page") for p in older]
    t = g.later(max(p.when for p in posts), 10, 300)
    blocks = [Block(h, "furniture") for h in site.header]
    for p in posts:
        blocks.append(Block(p.headline, "body"))
        blocks += [Block(x, "body") for x in p.paras]
        blocks.append(Block("Comments (0) | Share this post", "furniture"))
    blocks += [Block(f, "furniture") for f in site.footer]
    hid = g.new_id()
    head = Story(posts[0].cast, f"{site.name}: latest posts", "", [], site, t)
    home = g.doc(head, "home_page", "original", hid, t, blocks, site=site, doc_id=hid)
    home.teaser_safe = False
    home.related = [d.id for d in pages]
    return docs + pages + [home]


TYPESET = {"'": "’", " - ": " — ", "(c)": "©"}
MANGLINGS = ("cp1252", "latin-1", "twice", "references")


def typeset(text: str) -> str:
    """``text`` as a CMS prints it: curly quotes and apostrophes, em dashes, a copyright sign."""
    parts = text.split('"')
    out = parts[0]
    for k, part in enumerate(parts[1:]):
        out += ("“" if k % 2 == 0 else "”") + part
    for plain, char in TYPESET.items():
        out = out.replace(plain, char)
    return out


def mangle(text: str, how: str) -> str:
    """``text`` as a scrape mangles it: its UTF-8 read as Windows-1252 (Latin-1 for the bytes
    Windows-1252 lacks), as Latin-1, as Windows-1252 twice, or its characters beyond ASCII
    written as HTML references (and ``&`` as ``&amp;``)."""
    if how == "references":
        return text.replace("&", "&amp;").encode("ascii", "xmlcharrefreplace").decode()
    if how == "twice":
        return mangle(mangle(text, "cp1252"), "cp1252")
    data = text.encode("utf-8")
    if how == "latin-1":
        return data.decode("latin-1")
    return "".join(
        (bytes([b]).decode("cp1252", errors="ignore") or chr(b)) if b >= 0x80 else chr(b)
        for b in data
    )


# what the mangled style writes for what it means, longest first
_AS_TYPESET = sorted(
    {(mangle(c, how), c) for c in "’“”—©&" for how in MANGLINGS} - {("&", "&")},
    key=lambda pair: -len(pair[0]),
)


@style(
    "mangled",
    "an article printed with curly quotes, apostrophes and dashes, and scrapes of it on other "
    "sites that decoded it wrongly (UTF-8 read as Windows-1252 or Latin-1, once or twice) or "
    "kept its characters as HTML references (near duplicates of it)",
)
def s_mangled(g: Gen) -> list[Doc]:
    s = g.story()
    s.headline, s.paras = typeset(s.headline), [typeset(p) for p in s.paras]
    o = g.original(s, "mangled")
    docs = [o]
    for how in MANGLINGS:
        if g.chance(0.6):
            site = g.site(s.site)
            t = g.later(s.when)
            paras = [mangle(p, how) for p in s.paras]
            blocks = g.page(s, site, t, paras=paras, headline=mangle(s.headline, how))
            docs.append(g.doc(s, "mangled", "copy", o.id, t, blocks, site=site))
    return docs


CONVERSIONS = ("markdown", "html", "reference", "lynx", "json")


def _address(g: Gen, site: Site, words: str) -> str:
    """A link's target as a page writes it: a long path and tracking parameters."""
    n = g.rng.randint(10000, 999999)
    tracking = g.pick(["", "?utm_source=feed&utm_medium=rss", "?ref=inline&amp;src=home"])
    section = g.pick(["news", "world", "business", "local"])
    return f"https://www.{site.domain}/{section}/{slug(words, 5)}-{n}{tracking}"


def convert(g: Gen, blocks: list[Block], site: Site, how: str) -> list[Block]:
    """``blocks`` as a crawler that keeps the page's markup writes them: Markdown with inline
    links over a few phrases, bold lead words and ``#`` headings (``markdown``), the same with
    its links as references defined at the end (``reference``), the HTML left in by a bad
    extraction (``html``), a text browser's dump (``lynx``: ``[3]words``, the addresses listed
    at the end), or the plain page encoded as a JSON string once more (``json``: ``\\n``,
    ``\\u2019`` written out; its separator too, :func:`json_escaped`). The words a reader sees
    are the page's; only the markup is added."""
    out: list[Block] = []
    definitions: list[str] = []

    def link(words: str) -> str:
        target = _address(g, site, words)
        if how == "html":
            return f'<a href="{target}" rel="noopener">{words}</a>'
        if how == "reference":
            definitions.append(f"[{len(definitions) + 1}]: {target}")
            return f"[{words}][{len(definitions)}]"
        if how == "lynx":  # the mark before the link's words, as lynx -dump writes it
            definitions.append(f"  {len(definitions) + 1}. {target}")
            return f"[{len(definitions)}]{words}"
        return f"[{words}]({target})"

    if how == "json":
        return [Block(json_escaped(b.text), b.kind) for b in blocks]

    headline_done = False
    for b in blocks:
        text = b.text
        if b.kind == "furniture" and text in site.header:  # navigation: every item a link
            text = " ".join(link(item) for item in re.split(r"\s{2,}| \| ", text) if item)
        elif b.kind == "body" and not headline_done:
            headline_done = True
            text = {"html": f"<h1>{text}</h1>", "lynx": text}.get(how, f"# {text}")
        elif b.kind == "body":
            words = text.split(" ")
            for _ in range(g.rng.randint(0, 2) if len(words) > 12 else 0):
                i = g.rng.randrange(0, len(words) - 4)
                j = i + g.rng.randint(1, 3)
                if any(c in " ".join(words[i:j]) for c in "[]<>()"):
                    continue
                words[i:j] = [link(" ".join(words[i:j]))]
            text = " ".join(words)
            if how == "html":
                text = f"<p>{text}</p>"
        out.append(Block(text, b.kind))
    if how in ("markdown", "reference") and g.chance(0.5):  # the picture, with its description
        image = f"https://cdn.{site.domain}/img/{g.rng.randint(1, 99999)}.jpg"
        picture = f"![{g.pick(PHOTO_AGENCIES)} picture]({image})"
        out.insert(min(len(out), 3), Block(picture, "furniture"))
    if how == "lynx" and definitions:
        out += [Block("References", "furniture"), Block("\n".join(definitions), "furniture")]
    else:
        out += [Block(d, "furniture") for d in definitions]
    return out


def json_escaped(text: str) -> str:
    """``text`` as a JSON string's body: what a scraper that encodes its text twice stores."""
    return json.dumps(text)[1:-1]


@style(
    "markup",
    "an article and crawls of it that kept its markup: Markdown with inline links to long "
    "addresses, links as references, the HTML tags of a bad extraction, a text browser's dump, "
    "or the text encoded as a JSON string twice (near duplicates)",
)
def s_markup(g: Gen) -> list[Doc]:
    s = g.story()
    o = g.original(s, "markup")
    docs = [o]
    for how in CONVERSIONS:
        if g.chance(0.6):
            site = g.site(s.site) if g.chance(0.5) else s.site  # the same page crawled, or a copy
            t = g.later(s.when)
            blocks = convert(g, g.page(s, site, t), site, how)
            d = g.doc(s, "markup", "copy", o.id, t, blocks, site=site)
            if how == "json":  # the separators between the page's blocks are escaped too
                d.sep = json_escaped(d.sep)
            docs.append(d)
    return docs


@style("background", "unrelated originals, a few a day on the same site template (no copies)")
def s_background(g: Gen) -> list[Doc]:
    site = g.site()
    return [g.original(g.story(site=site), "background") for _ in range(g.rng.randint(1, 4))]


# --- the corpus -----------------------------------------------------------------------------------
SHARE = {name: 1.0 for name in STYLES}  # share of documents, relative
SHARE.update({"background": 4.0, "sidebar_trap": 2.0, "press_release": 2.0, "control": 1.5})


def build(
    n: int,
    seed: int,
    styles: list[str],
    dates: str = "mixed",
    texts: list[Article] | None = None,
    date_lines: str = "site",
) -> list[Doc]:
    unknown = [s for s in styles if s not in STYLES]
    if unknown:
        raise SystemExit(f"unknown styles {unknown}; known: {', '.join(STYLES)}")
    g = Gen(seed, dates, texts, date_lines)
    docs: list[Doc] = []
    made: Counter[str] = Counter()
    order = [s for s in STYLES if s in styles]

    def commit(group: list[Doc], name: str) -> None:
        docs.extend(group)
        made[name] += len(group)
        for d in group:
            if d.role == "original" and d.teaser_safe:
                g.pool.append(_story_of(d))

    for name in order:  # one group of every style first
        commit(STYLES[name][0](g), name)
    if len(docs) > n:
        raise SystemExit(f"--docs {n} is too small for one group of each style ({len(docs)})")
    misses = 0
    while len(docs) < n and misses < 50:
        name = min(order, key=lambda s: (made[s] / SHARE[s], order.index(s)))
        group = STYLES[name][0](g)
        if len(docs) + len(group) > n:
            misses += 1
            made[name] += len(group)  # do not pick it again first
            continue
        commit(group, name)
    while len(docs) < n:  # fill the rest with single background originals
        docs.append(g.original(g.story(), "background"))
    _label(docs)
    _date(g, docs)
    g.rng.shuffle(docs)
    if texts:
        print(f"{g.real_stories} stories from real articles, {len(g.texts)} left unused")
    return docs


def _story_of(d: Doc) -> Story:
    """A pool entry: the teaser of an original is its headline and first body paragraph."""
    body = [b.text for b in d.blocks if b.kind == "body"]
    s = Story(
        cast=None, headline=body[0], byline="", paras=body[1:2] or body[:1], site=None, when=d.when
    )  # type: ignore[arg-type]
    s.doc_id = d.id
    return s


def _label(docs: list[Doc]) -> None:
    by_id = {d.id: d for d in docs}
    df: Counter[str] = Counter()
    for d in docs:
        if d.role == "original":
            df.update(content(d))
    common = {k for k, v in df.items() if v >= COMMON_DF}
    del df
    for d in docs:
        if d.role == "original":
            d.relation = "original"
        else:
            o = by_id[d.original]
            alone = not d.related and all(b.kind != "teaser" for b in d.blocks)
            d.relation, d.container = relation(d, o, common, only_source=alone)
        for r in d.related:
            other = by_id[r]
            rel, cont = relation(d, other, common)
            row = {"id": r, "relation": rel}
            if cont:
                row["container"] = cont
            d.related_relations.append(row)


def _fmt(t: datetime, rng: random.Random, date_only_ok: bool) -> str:
    r = rng.random()
    if date_only_ok and r < 0.2:
        return f"{t:%Y-%m-%d}"
    if r < 0.6:
        return f"{t:%Y-%m-%dT%H:%M:%SZ}"
    return f"{t:%Y-%m-%dT%H:%M:%S}+00:00"


def _date(g: Gen, docs: list[Doc]) -> None:
    """Originals dated first (when their story is dated), copies later or undated."""
    by_id = {d.id: d for d in docs}
    dated_story: dict[str, bool] = {}
    for d in docs:
        root = d.original
        if root not in dated_story:
            dated_story[root] = g.dates == "all" or (g.dates == "mixed" and g.chance(0.75))
    for d in docs:
        if not dated_story[d.original] or d.dating == "never":
            continue
        if d.role == "original":
            d.date = _fmt(d.when, g.rng, True)
            continue
        o = by_id[d.original]
        assert d.when > o.when, (d.id, d.style)
        if g.dates == "all" or g.chance(0.7):
            d.date = _fmt(d.when, g.rng, d.when.date() > o.when.date())
    # a page measured against another page (an aggregator against an aggregator) whose story
    # went undated stays undated too: nothing dated points to an undated original
    undated = True
    while undated:
        undated = False
        for d in docs:
            if d.role != "original" and d.date and not by_id[d.original].date:
                d.date = None
                undated = True


def write(docs: list[Doc], out: Path, meta: dict) -> None:  # type: ignore[type-arg]
    out.mkdir(parents=True, exist_ok=True)
    clusters: dict[str, list[str]] = {}
    for d in docs:
        if d.role == "original":
            clusters.setdefault(d.id, [d.id])
    for d in docs:
        if d.relation in JOINING:
            clusters.setdefault(d.original, [d.original]).append(d.id)
    gold = {k: v for k, v in clusters.items() if len(v) > 1}
    cluster_of = {m: k for k, v in gold.items() for m in v}
    with open(out / "docs.jsonl", "w", encoding="utf-8") as fh:
        for d in docs:
            row: dict[str, str] = {"id": d.id, "text": d.text}
            if d.title:
                row["title"] = d.title
            if d.date:
                row["date"] = d.date
            if d.url:
                row["url"] = d.url
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(out / "gold.jsonl", "w", encoding="utf-8") as fh:
        for k in sorted(gold):
            fh.write(json.dumps({"cluster": k, "members": gold[k]}) + "\n")
    with open(out / "styles.jsonl", "w", encoding="utf-8") as fh:
        for d in docs:
            srow: dict[str, object] = {
                "id": d.id,
                "style": d.style,
                "role": d.role,
                "original": d.original,
                "relation": d.relation,
            }
            if d.container:
                srow["container"] = d.container
            srow["cluster"] = cluster_of.get(d.id)
            if d.related_relations:
                srow["related"] = d.related_relations
            fh.write(json.dumps(srow) + "\n")
    counts = Counter(d.style for d in docs)
    relations = Counter(f"{d.style}:{d.relation}" for d in docs)
    meta = {
        **meta,
        "documents": len(docs),
        "gold_clusters": len(gold),
        "documents_per_style": dict(sorted(counts.items())),
        "relations_per_style": dict(sorted(relations.items())),
        "styles": {k: v[1] for k, v in STYLES.items()},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def generate(
    out: Path,
    n: int = 10000,
    seed: int = 1,
    styles: list[str] | None = None,
    dates: str = "mixed",
    texts: Path | None = None,
    date_lines: str = "site",
) -> list[Doc]:
    chosen = styles or list(STYLES)
    articles = read_articles(texts) if texts else None
    docs = build(n, seed, chosen, dates, articles, date_lines)
    meta = {"seed": seed, "docs": n, "dates": dates, "styles_chosen": chosen}
    if texts:
        meta["texts"] = str(texts)
    if date_lines != "site":
        meta["date_lines"] = date_lines
    write(docs, out, meta)
    return docs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--styles", default="", help=f"comma-separated subset of: {','.join(STYLES)}")
    ap.add_argument("--dates", choices=["mixed", "all", "none"], default="mixed")
    ap.add_argument(
        "--texts",
        type=Path,
        help="JSONL of real articles (a text a line: headline, then paragraphs) used for the "
        "stories before the grammar's (benchmarks/stress/real_texts.py writes one)",
    )
    ap.add_argument(
        "--date-lines",
        choices=["site", "originals"],
        default="site",
        help="which pages print a date line under the headline: those of sites that do "
        "(drawn per site), or the original's page only, with its exact copies (as on the "
        "scraped dev split)",
    )
    args = ap.parse_args(argv)
    styles = [s.strip() for s in args.styles.split(",") if s.strip()] or None
    docs = generate(args.out, args.docs, args.seed, styles, args.dates, args.texts, args.date_lines)
    counts = Counter(d.style for d in docs)
    print(
        f"{len(docs)} documents in {args.out}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )


if __name__ == "__main__":
    main()
