from reprints.text.normalize import normalised_text, tokenize


def test_copying_noise_is_ignored():
    a = "The \u201cPrime Minister\u201d said \u2014 today \u2014 it\u2019s   over.\n"
    b = 'the "prime minister" SAID - today - it\'s over'
    assert normalised_text(tokenize(a)) == normalised_text(tokenize(b))


def test_nfkc_and_case():
    assert tokenize("ＦＵＬＬ width ﬁle").forms == ["full", "width", "file"]


def test_hyphenation_at_line_end_is_joined_and_offsets_cover_original():
    text = "the reduc-\ntion of rent"
    t = tokenize(text)
    assert t.forms == ["the", "reduction", "of", "rent"]
    assert text[t.starts[1] : t.ends[1]] == "reduc-\ntion"


def test_inline_hyphen_is_not_joined():
    assert tokenize("well-known").forms == ["well", "known"]


def test_offsets_point_into_original_text():
    text = "Déjà vu, “quoted” 東京タワー and ไทย"
    t = tokenize(text)
    assert [text[s:e] for s, e in zip(t.starts, t.ends, strict=True)][:3] == [
        "Déjà",
        "vu",
        "quoted",
    ]
    assert t.forms[:3] == ["déjà", "vu", "quoted"]


def test_scripts_without_spaces_give_character_tokens():
    assert tokenize("東京タワー").forms == ["東", "京", "タ", "ワ", "ー"]
    assert len(tokenize("สวัสดี").forms) == len("สวัสดี")
    assert all(len(f) == 1 for f in tokenize("北京欢迎你").forms)
