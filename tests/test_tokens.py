"""One tokenizer: the offset-keeping path finds exactly the fingerprint kernel's tokens, and its
offsets point at them in the original text."""

import numpy as np
import pytest
from benchmarks.stress import generate as stress
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reprints.sketch import kernel, markup
from reprints.sketch import shingles as sh
from reprints.sketch.kernel import sketch_texts
from reprints.sketch.minhash import Permutations
from reprints.text import tokens as tokens_module
from reprints.text.tokens import shingle_spans, tokenize
from tests.conftest import S000, S001, S002, SEEDS

PERMS = Permutations.create(16, seed=11)
HAVE_NUMBA = kernel._numba_kernel() is not None
BACKENDS = [
    "numpy",
    pytest.param("numba", marks=pytest.mark.skipif(not HAVE_NUMBA, reason="numba not installed")),
]

# pieces of text where tokenising or mapping offsets back is hard
TRICKY_PIECES = [
    *'aZq09 .,;!?"()“”«»—–…\t\n',
    *"\u0301\u0308\u0323\u0345\u0344\u0315\u3099\u309a\u0e4d",  # combining marks
    "e\u0301",
    "A\u030a",
    "o\u0308\u0304",
    "x\u0323\u0301",
    *"한국어가각\u1100\u1161\u11a8\u1112\u1175ㄱㅏㄳㅎㅣ\uffa1\uffc2\uffa4ﾡ",  # Hangul, all forms
    *"ｶﾞｷﾟﾞﾟ",  # half-width katakana and voiced sound marks
    *"東京北タワー\u3400\U00020000",  # CJK
    *"ＡＢＣ１２ｚ＇",  # full-width
    *"ﬁﬂﬃßẞİŉΣσς",  # ligatures and special case folding
    *"½㏂㍻⑴Ⅻ™℡㈱",  # characters NFKC expands into several tokens
    *"สวัสดีำ",  # Thai, with marks and SARA AM
    "नमस्ते",
    "ক্ষ",
    *"'’ʼ＇",  # apostrophes
    *"-\u00ad‐‑",  # hyphens
    "-\n",
    "-\r\n  ",
    " -\n",
    "- \t\r\nx",
    "'s",
    "\r\n",
    *"🎉👍🏽\u200d\ufe0f",  # emoji
    "\u00a0",
    *"\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters
    "x\u00ady",  # a soft hyphen inside a word
    *"аеоΗΟνКк",  # Cyrillic and Greek letters, look-alikes of Latin ones or not
    "wаtеr",
    # mojibake (UTF-8 read as Windows-1252 or Latin-1, once or twice) and HTML references
    *["â€™", "â€œ", "â€\x9d", "Ã©", "Ã", "Â", "Â\xa0", "Ã¢â‚¬â„¢", "Ð¼Ð¾", "ä¸­"],
    *["&#8217;", "&amp;", "&nbsp;", "&amp;#8217;", "&eacute;", "&#x2019;", "&nosuch;", "&", ";"],
    *["&#226;&#8364;&#8482;", "&Atilde;&copy;", "â€&#153;", "&notit;", "&#1;", "&#x7f;"],
    # Arabic, Persian and Hebrew: tatweel, harakat, hamza seats, letter forms, points; digits
    *["كـــتاب", "\u0640", "\u064e", "\u0651\u064f", "أ", "إ", "ى", "ی", "ک", "ة", "\u200c"],
    *["שָׁלוֹם", "\u05b8", "\u05be", "٢٠٢٤", "۱۴۰۳", "२०", "๒"],
    # markup an extraction leaves: links, images, references, tags, comments
    *["[", "]", "](", "![", "(https://x.com/a_(b)?c=1&d=2)", ")", ' "t")', "][1]", "][]"],
    *["\n[1]: https://x.com/r\n", "<a href='/x' class=y>", "</a>", "<p>", "<br/>", "<b and c>"],
    *["<!--", "-->", "<script>", "</script>", "<https://x.com>", "a < b", "[sic]"],
    # a JSON string's escapes; a text browser's link marks and list of addresses
    *["\\n", "\\u2019", '\\"', "\\\\", "\\ud83d\\ude00", "\\ud83d", "\\u00e9", "\\/"],
    *["[3]", "\n  3. https://a.com/x\n", "\n  4. https://b.com/y\n"],
]
any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=120)
tricky_text = st.lists(st.sampled_from(TRICKY_PIECES), max_size=40).map("".join)
mixed_text = st.lists(st.one_of(any_text, tricky_text), max_size=3).map("".join)
texts = st.one_of(any_text, tricky_text, mixed_text)

EXAMPLES = [
    "",
    "The “quick” reduc-\ntion, 東京",
    "Driver’s",
    "ＡＢＣ",
    "Straße",
    "ab㏂ ½ x",
    "東\u0301京",
    "ㄱㅏ 가\u11a8 ｶﾞｷﾞ",
    "e\u0301te\u0301 O\u0308 ﬁle",
    "The QUICK brown fox's tail: it's a well-known reduc-\ntion, 東京 (Tokyo)!",
    "He said â€œwe donâ€™t knowâ€\x9d at SociÃ©tÃ© GÃ©nÃ©rale, Ã¢â‚¬â„¢",
    "He said &ldquo;we don&#8217;t know&rdquo; at AT&amp;T&nbsp;today &amp;#8217; R&D &nosuch;",
]


def exact_hash(hashes: np.ndarray) -> list[int]:
    """The kernel's 128-bit exact hash, from token hashes (the definition in sketch.shingles)."""
    n = np.uint64(len(hashes))
    i1 = np.arange(1, len(hashes) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h1 = np.add.reduce(sh.mix64(hashes + i1 * sh.K_EXACT_1), dtype=np.uint64)
        h2 = np.add.reduce(sh.mix64(hashes ^ (i1 * sh.K_EXACT_2)), dtype=np.uint64)
        return [
            int(sh.mix64(np.array([h1 ^ n]))[0]),
            int(sh.mix64(np.array([h2 + n * sh.K_EXACT_3]))[0]),
        ]


def spans(t) -> list[tuple[int, int]]:
    return list(zip(t.start.tolist(), t.end.tolist(), strict=True))


def assert_kernel_agrees(batch_texts: list[str], k: int, backend: str) -> None:
    # with k = 1 each shingle hash is a bijection of one token hash: equal shingles, equal tokens
    ones = sketch_texts(batch_texts, 1, PERMS, 1, backend=backend)
    batch = sketch_texts(batch_texts, k, PERMS, 1, backend=backend)
    for i, text in enumerate(batch_texts):
        t = tokenize(text)
        assert len(t) == ones.n_tokens[i] == batch.n_tokens[i]
        at = slice(ones.shingle_offsets[i], ones.shingle_offsets[i + 1])
        assert ones.shingles[at].tolist() == sh.shingle_hashes(t.hashes, 1).tolist()
        at = slice(batch.shingle_offsets[i], batch.shingle_offsets[i + 1])
        assert batch.shingles[at].tolist() == t.shingle_hashes(k).tolist()
        assert batch.exact[i].tolist() == exact_hash(t.hashes)
        starts, ends = shingle_spans(t, k)
        assert len(starts) == len(ends) == batch.shingle_offsets[i + 1] - batch.shingle_offsets[i]


def assert_offsets_exact(text: str) -> None:
    t = tokenize(text)
    start, end = t.start.tolist(), t.end.tolist()
    assert all(0 <= s < e <= len(text) for s, e in zip(start, end, strict=True))
    assert start == sorted(start) and end == sorted(end)
    for i in range(len(t) - 1):
        if start[i + 1] < end[i]:
            # spans overlap only on original text that prepares to parts of two tokens
            assert len(tokenize(text[start[i + 1] : end[i]])) >= 2
    for i, (s, e) in enumerate(zip(start, end, strict=True)):
        alone = (i == 0 or end[i - 1] <= s) and (i == len(t) - 1 or e <= start[i + 1])
        if alone:  # the original text of a token is that token, alone
            piece = tokenize(text[s:e])
            assert piece.hashes.tolist() == [t.hashes[i]], (text[s:e], t.forms[i])
    # the hashed form is the reference hash's input
    assert [sh.token_hash(f.encode("utf-8", "surrogatepass")) for f in t.forms] == t.hashes.tolist()


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4), st.integers(1, 6))
def test_offset_path_finds_the_kernels_tokens(backend, batch_texts, k):
    assert_kernel_agrees(batch_texts, k, backend)


@settings(max_examples=300, deadline=None)
@given(texts)
@example("ab㏂")
@example("東\u0301京")
def test_offsets_are_exact(text):
    assert_offsets_exact(text)


@pytest.mark.parametrize("backend", BACKENDS)
def test_examples_and_seeds_agree_with_the_kernel(backend):
    seeds = [(SEEDS / name).read_text(encoding="utf-8") for name in (S000, S001, S002)]
    assert_kernel_agrees(EXAMPLES + seeds, 5, backend)
    for text in EXAMPLES + seeds:
        assert_offsets_exact(text)


def test_tokens_as_written_and_as_hashed():
    text = "The “quick” reduc-\ntion, 東京"
    t = tokenize(text)
    assert t.written == ["The", "quick", "reduc-\ntion", "東", "京"]
    assert t.forms == ["the", "quick", "reduction", "东", "京"]  # read as the simplified form
    assert spans(t) == [(0, 3), (5, 10), (12, 23), (25, 26), (26, 27)]
    for text, written, forms in [
        ("Driver’s", ["Driver’s"], ["drivers"]),
        ("ＡＢＣ", ["ＡＢＣ"], ["abc"]),
        ("Straße", ["Straße"], ["strasse"]),
        ("ＦＵＬＬ width ﬁle", ["ＦＵＬＬ", "width", "ﬁle"], ["full", "width", "file"]),
        ("well-known", ["well", "known"], ["well", "known"]),
        ("Déjà vu, “quoted”", ["Déjà", "vu", "quoted"], ["deja", "vu", "quoted"]),
        ("De\u0301ja\u0300 vu", ["De\u0301ja\u0300", "vu"], ["deja", "vu"]),
        ("Société Générale", ["Société", "Générale"], ["societe", "generale"]),
        (
            "Ελλάδα ёлка नमस्ते",
            ["Ελλάδα", "ёлка", "नमस्ते"],
            ["e\u03bb\u03bba\u03b4a", "e\u043bka", "नमस्ते"],
        ),
        ("ㄱㅏ ｶﾞ", ["ㄱㅏ", "ｶﾞ"], ["가", "ガ"]),
        ("ab㏂", ["ab㏂", "㏂"], ["aba", "m"]),
        ("½", ["½", "½"], ["1", "2"]),
    ]:
        t = tokenize(text)
        assert (t.written, t.forms) == (written, forms), text


def test_copying_noise_is_ignored():
    a = "The \u201cPrime Minister\u201d said \u2014 today \u2014 it\u2019s   over.\n"
    b = 'the "prime minister" SAID - today - it\'s over'
    assert tokenize(a).hashes.tolist() == tokenize(b).hashes.tolist()
    assert tokenize(a).written[-2:] == ["it\u2019s", "over"]


@pytest.mark.parametrize("how", stress.MANGLINGS)
def test_mangled_text_reads_as_the_text(how):
    """Mojibake and HTML character references, left in a scraped copy, break a word at every
    curly quote, apostrophe, dash and accented letter; each is read as the character it
    stands for, and every token's offsets still point at it as written."""
    for clean in [(SEEDS / name).read_text(encoding="utf-8") for name in (S000, S002)] + [
        "Le “Président” d’Électricité de France a dit — à Genève — qu’il n’y a «rien».",
        "Москва и Санкт-Петербург, 東京",
    ]:
        copy = stress.mangle(clean, how)
        assert copy != clean
        a, b = tokenize(clean), tokenize(copy)
        assert b.hashes.tolist() == a.hashes.tolist()
        # a run of mojibake is read whole: where it stands for several tokens (two Chinese
        # characters), each token's span is the run's
        assert all(x in kernel.unmangle(w) for x, w in zip(a.written, b.written, strict=True))
        if "東" not in clean:
            assert [kernel.unmangle(w) for w in b.written] == a.written
        assert_offsets_exact(copy)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_markup_is_blanked_in_place(text):
    """Blanking markup moves no character: the same length, the same line ends, and blanking
    again changes nothing (what the tokenizer and every later stage rely on)."""
    shown = markup.unmarked(text)
    assert len(shown) == len(text)
    ends = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
    kept = {i for i, c in enumerate(shown) if c in ends}
    assert {i for i, c in enumerate(text) if c in ends} <= kept  # an escaped \n adds one
    escaped = np.zeros(len(text) + 1, dtype=bool)
    for a, b in markup.escape_spans(text):
        escaped[a:b] = True
    # outside the escapes a character is kept or blanked, never read as another
    assert all(
        a == b or b in " \u200b" or escaped[i]
        for i, (a, b) in enumerate(zip(text, shown, strict=True))
    )
    assert markup.unmarked(shown) == shown


@pytest.mark.parametrize("how", stress.CONVERSIONS)
def test_marked_up_text_reads_as_the_text(how):
    """A page crawled into Markdown, with its links as references, with the HTML tags of a
    bad extraction left in, or dumped by a text browser: each link's target cut a sentence
    with eight or more tokens of address; or the page encoded as a JSON string once more. The
    markup is read past, so the words are the page's, and each token's offsets point at the
    word as written in the marked-up text."""
    gen = stress.Gen(5, "all")
    site = gen.site()
    sep = stress.json_escaped("\n") if how == "json" else "\n"
    for clean in [(SEEDS / name).read_text(encoding="utf-8") for name in (S000, S002)]:
        blocks = [stress.Block(p, "body") for p in clean.split("\n") if p.strip()]
        converted = stress.convert(gen, blocks, site, how)
        picture = [b.text for b in converted if b.text.startswith("![")]
        copy = sep.join(b.text for b in converted if not b.text.startswith("!["))
        a, b = tokenize(clean), tokenize(copy)
        assert ("https" in copy) != (how == "json") and "https" not in b.forms
        assert b.hashes.tolist() == a.hashes.tolist()
        assert_offsets_exact(copy)
        for line in picture:  # a picture reads as its description
            assert tokenize(line).written == line[2 : line.index("]")].split()


def test_prose_that_looks_like_markup_is_read_as_written():
    """Brackets and angle brackets in prose, citations, a tag name HTML does not know and a
    bare address in a sentence are what the text says."""
    for text in [
        "Profits rose [sic] as 3 < 4 and 5 > 2, see [1][2] and <Reuters> or www.example.org.",
        "He wrote: [citation needed](or not) and a <<quote>> then [x]: y without a line start",
        "Rated <b in 2023.\n\nThe agency said the outlook was stable.\n\nShares rose >3 percent.",
        "if x<b and y>z, <title of the paper>, <3",
        "As shown [1][2].\n[2]: Smith et al. 2020\n[Update]: Corrected",
    ]:
        assert markup.unmarked(text) == text


def test_a_json_escaped_page_reads_as_the_page():
    """A page stored as a JSON string's body once more reads as the page: its markup too (found
    in what the escapes stand for: PHP's ``<\\/a>``, Go's ``\\u003c``), characters written
    as several escapes together (mojibake), invisible ones as the kernel reads them. Prose with
    a raw line end or quote is no JSON string: its backslashes stay (``C:\\new``)."""
    import json

    page = (
        '<p>Hello <a href="https://x.com/a/b" title="T">you</a> &amp; SociÃ©tÃ© '
        'Bundes\u00adregierung don\u2019t [a](https://x.com/r "T") said</p>'
    )
    forms = tokenize(page).forms
    assert forms == ["hello", "you", "societe", "bundesregierung", "dont", "a", "said"]
    for encoded in [
        json.dumps(page)[1:-1],
        json.dumps(page, ensure_ascii=False)[1:-1],
        json.dumps(page)[1:-1].replace("/", "\\/"),  # PHP escapes slashes
        json.dumps(page)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e"),  # Go
    ]:
        assert tokenize(encoded).forms == forms, encoded
        assert_offsets_exact(encoded)
    prose = "Saved to C:\\new\\test, see \\theta.\nA second line"
    assert tokenize(prose).forms == [
        "saved",
        "to",
        "c",
        "new",
        "test",
        "see",
        "theta",
        "a",
        "second",
        "line",
    ]
    # a citation that links to its note stays a link: its address is read past
    assert tokenize("in 1998.[12](https://x.org/wiki/F#cite-12) the").forms == [
        "in",
        "1998",
        "12",
        "the",
    ]


def test_an_inline_tag_inside_a_word_joins_it():
    """A drop cap or a subscript is an inline tag inside a word: read as the word, never two;
    a block tag between two words still parts them. CRLF line ends read as LF ones."""
    assert tokenize('<span class="dropcap">T</span>he H<sub>2</sub>O').forms == ["the", "h2o"]
    assert tokenize("word</p><p>Next").forms == ["word", "next"]
    crlf = "See [the report][1].\r\n<a\r\nhref='/x'>here</a>\r\n[1]: https://x.com/r\r\n"
    assert tokenize(crlf).forms == tokenize(crlf.replace("\r\n", "\n")).forms
    assert tokenize(crlf).forms == ["see", "the", "report", "here"]


def test_mojibake_written_as_references_keeps_tight_offsets():
    """References to the characters of mojibake (``don&#226;&#8364;&#8482;t``: a WordPress
    feed of a mangled page) are read in one stretch with the mojibake: each token's span is
    its own word, not the whole text (the tokenizer's last resort)."""
    text = "We don&#226;&#8364;&#8482;t know caf&Atilde;&copy; or donâ€&#153;t today &notit; x"
    t = tokenize(text)
    assert t.forms == ["we", "dont", "know", "cafe", "or", "dont", "today", "notit", "x"]
    assert t.written == [
        "We",
        "don&#226;&#8364;&#8482;t",
        "know",
        "caf&Atilde;&copy;",
        "or",
        "donâ€&#153;t",
        "today",
        "notit",
        "x",
    ]


def test_watermarks_and_look_alike_letters_are_read_as_they_show():
    """Zero-width characters inside words, soft hyphens and Cyrillic or Greek look-alikes (a copy
    made to evade dedup, or a site's hyphenation hints) hash as the plain text; offsets keep
    them."""
    plain = tokenize("The Hotel opens its Bundesregierung wing. Watermark copy.")
    evasive = "The ΗоtеI opens its Bundes\u00adregierung wing. Wa\u200bter\u2060mark сopy."
    t = tokenize(evasive.replace("I", "l"))  # a capital I for an l is out of scope: same text
    assert t.hashes.tolist() == plain.hashes.tolist()
    assert t.written[1] == "Ηоtеl" and t.written[4] == "Bundes\u00adregierung"
    assert t.written[6] == "Wa\u200bter\u2060mark"
    # a Russian text still reads as itself: its own copy matches, its tokens stay words
    ru = tokenize("Кот сидит на окне")
    assert ru.forms[0] == "kot" and len(ru) == 4
    assert tokenize("КОТ СИДИТ НА ОКНЕ").hashes.tolist() == ru.hashes.tolist()  # any case
    # Persian writes a zero-width non-joiner inside words, and the same words with a space
    assert tokenize("می\u200cخواهم").forms == tokenize("می خواهم").forms
    # a feed that strips accents copies the same words
    accented = tokenize("La Société Générale a annoncé un accord à Genève, dit Ελλάδα.")
    stripped = tokenize("La Societe Generale a annonce un accord a Geneve, dit ΕΛΛΑΔΑ.")
    assert accented.hashes.tolist() == stripped.hashes.tolist()
    # a soft hyphen at a line end still joins the word as a hyphen does
    assert tokenize("reduc\u00ad\ntion").forms == ["reduction"]


CYRILLIC_GREEK = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяαβγδεζηθικλμνξοπρστυφχψωάέήίόύώ "


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=CYRILLIC_GREEK, max_size=60))
def test_cyrillic_and_greek_read_alike_in_any_case(text: str) -> None:
    assert tokenize(text.upper()).hashes.tolist() == tokenize(text).hashes.tolist()


def test_scripts_without_spaces_give_character_tokens():
    assert tokenize("東京タワー").forms == ["东", "京", "タ", "ワ", "ー"]
    thai = tokenize("สวัสดี")
    assert thai.written == list("สวัสดี")  # marks too: each is a token of its own
    assert all(len(f) == 1 for f in tokenize("北京欢迎你").forms)


def test_shingle_spans_cover_their_tokens():
    text = "One two, three-\nfour five"
    t = tokenize(text)
    starts, ends = shingle_spans(t, 3)
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == [
        "One two, three-\nfour",
        "two, three-\nfour five",
    ]
    starts, ends = shingle_spans(t, 9)  # fewer tokens than a shingle: one shingle of all
    assert [text[s:e] for s, e in zip(starts, ends, strict=True)] == [text]
    assert [len(x) for x in shingle_spans(tokenize(" ... "), 3)] == [0, 0]


def test_mapping_falls_back_to_coarser_chunks(monkeypatch):
    text = "東京\u1100\u1161 ab"
    t = tokenize(text)
    assert spans(t) == [(0, 1), (1, 2), (2, 4), (5, 7)]
    # were the safe-boundary rule wrong about jamo, the check catches it: the tokens stay the
    # kernel's, their offsets widen to the enclosing chunk (cut before ASCII characters only)
    real = tokens_module._char_info
    monkeypatch.setattr(
        tokens_module, "_char_info", lambda code: (real(code)[0], True, real(code)[2])
    )
    wide = tokenize(text)
    assert wide.hashes.tolist() == t.hashes.tolist()
    assert spans(wide) == [(0, 4), (0, 4), (0, 4), (5, 7)]
