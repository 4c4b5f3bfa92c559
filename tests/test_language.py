"""Language identification and routing: voting over chunks, short texts, declared and given languages."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from presspack.normalize.language import assign, identify, vote

EN = (
    "The city council voted on Wednesday to extend the night bus network to the eastern suburbs, "
    "after months of complaints from shift workers who said they had no way to get home."
)
DE = (
    "Der Stadtrat hat am Mittwoch beschlossen, das Nachtbusnetz auf die östlichen Vororte auszuweiten, "
    "nachdem sich Schichtarbeiter monatelang beklagt hatten, dass sie nachts nicht nach Hause kämen."
)
FR = (
    "Le conseil municipal a voté mercredi l'extension du réseau de bus de nuit vers la banlieue est, "
    "après des mois de plaintes de travailleurs postés qui ne pouvaient plus rentrer chez eux."
)


@pytest.mark.parametrize(("text", "code"), [(EN, "en"), (DE, "de"), (FR, "fr")])
def test_identify(text, code):
    got, confidence = identify(text)
    assert got == code and confidence > 0.9


def test_quote_in_another_language_does_not_flip_the_article():
    text = "\n\n".join([DE, '"We simply had no choice," said a British consultant.', DE.replace("Mittwoch", "Donnerstag")])
    assert identify(text)[0] == "de"


def test_mixed_text_is_noted():
    meta: dict = {}
    german = [DE, DE.replace("Mittwoch", "Montag"), DE.replace("Mittwoch", "Dienstag")]
    english = [EN, EN.replace("Wednesday", "Monday"), EN.replace("Wednesday", "Tuesday")]
    notes = assign(meta, "\n\n".join(german + english))
    assert meta["language"] in ("de", "en")
    assert len(notes) == 1 and notes[0].startswith("mixed languages:") and "de" in notes[0] and "en" in notes[0]


def test_too_few_letters():
    assert identify("2024 - 12:45 - 3:1 (2:0)") == (None, 0.0)


def test_short_text_uses_title_and_declared_language():
    assert vote("Rain expected") == {}  # too short to vote on
    meta = {"title": "Nachtbusse fahren bald auch in die Vororte"}
    assign(meta, "Der Stadtrat stimmte zu.")
    assert meta["language"] == "de"
    uncertain: dict = {"language_hint": "en-GB"}
    notes = assign(uncertain, "Talks in Kyiv: NATO chief")  # names and one function word
    assert uncertain == {"language": "en"} and "declaration" in notes[0]
    nothing: dict = {}
    notes = assign(nothing, "Talks in Kyiv: NATO chief")
    assert "language" not in nothing and "left null" in notes[0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Who is there?", "en"),  # too few letters for the model alone
        ("She has it.", "en"),
        ("My name is Ann.", "en"),  # the model alone is unsure
        ("Can you call me back?", "en"),
        ("Wo ist das Haus?", "de"),
        ("Il est parti hier.", "fr"),
    ],
)
def test_short_text_is_identified_by_its_function_words(text, code):
    meta: dict = {}
    assert assign(meta, text) == []
    assert meta["language"] == code and 0.5 <= meta["language_score"] < 1


@pytest.mark.parametrize("text", ["Angela Merkel in Paris", "Barack Obama", "OK", "Reuters, 2024", "", "Jana Novak (AP)"])
def test_short_text_without_a_clear_signal_stays_unidentified(text):
    meta: dict = {}
    assign(meta, text)
    assert "language" not in meta


def test_short_english_records_get_a_language_and_nlp(make_release):
    texts = ["Who is there? It is me.", "My name is Ann. I live here.", "Please call Tom Baker at noon."]
    result = make_release({"r.jsonl": "\n".join(json.dumps({"id": str(i), "text": t}) for i, t in enumerate(texts))})
    arts = pd.read_parquet(result.release_dir / "articles.parquet")
    assert list(arts["language"]) == ["en"] * 3
    assert (arts["n_tokens"] > 0).all()


def test_given_language_wins():
    meta = {"language": "fr", "language_hint": "de"}
    assert assign(meta, EN) == []
    assert meta == {"language": "fr"}


def test_routing_in_build(make_release):
    records = [
        {"id": "en", "text": EN + "\n\nMayor Lena Hoffmann said the first buses would run in March."},
        {"id": "de", "text": DE + "\n\nBürgermeisterin Lena Hoffmann sagte, die ersten Busse führen im März."},
        {"id": "given", "text": EN.replace("Wednesday", "Friday"), "language": "es"},
    ]
    result = make_release({"r.jsonl": "\n".join(json.dumps(r, ensure_ascii=False) for r in records)})
    arts = pd.read_parquet(result.release_dir / "articles.parquet").set_index("external_id")
    assert dict(arts["language"]) == {"en": "en", "de": "de", "given": "es"}
    ents = pd.read_parquet(result.release_dir / "entities.parquet")
    by_article = set(ents["article_id"])
    assert arts.loc["en", "article_id"] in by_article
    assert arts.loc["de", "article_id"] not in by_article and arts.loc["given", "article_id"] not in by_article
    assert arts.loc["de", "n_tokens"] == 0 and arts.loc["de", "n_sentences"] == 2  # paragraphs as sentences
    manifest = json.loads((result.release_dir / "manifest.json").read_text())
    notes = {n["article_id"]: n["note"] for n in manifest["files"][0]["notes"]}
    assert "no installed pipeline" in notes[arts.loc["de", "article_id"]]


def test_an_unpacked_copy_of_the_model_gives_the_same_identifier(tmp_path, monkeypatch):
    """A build with a cache keeps the model unpacked in the cache (no LZMA on later loads);
    the identifier made from the copy is the packed model's, array for array."""
    from presspack.normalize import langmodel

    packed = langmodel.identifier.__wrapped__()
    langmodel.keep_unpacked_copy_in(tmp_path / "models")
    try:
        first = langmodel.identifier.__wrapped__()  # writes the copy
        (copy,) = (tmp_path / "models").iterdir()
        assert copy == langmodel.unpacked_path(tmp_path / "models") and langmodel.copies_bytes(tmp_path) == copy.stat().st_size

        def no_lzma(*a, **k):
            raise AssertionError("the packed model was decompressed")

        monkeypatch.setattr(langmodel.lzma, "open", no_lzma)
        again = langmodel.identifier.__wrapped__()
        for ident in (first, again):
            assert (ident.nb_ptc == packed.nb_ptc).all() and (ident.nb_pc == packed.nb_pc).all()
            assert (ident.nb_classes, ident.tk_nextmove, ident.tk_row, ident.tk_output) == \
                (packed.nb_classes, packed.tk_nextmove, packed.tk_row, packed.tk_output)
        for text in ("Der Bundestag hat am Dienstag den Haushalt beschlossen.", "The council met on Tuesday evening."):
            assert again.rank(text)[:3] == packed.rank(text)[:3]
        monkeypatch.undo()
        copy.write_bytes(b"damaged")  # a damaged copy: the packed model, as py3langid loads it
        assert langmodel.identifier.__wrapped__().classify("Le conseil municipal a voté le budget.")[0] == "fr"
        assert not copy.exists()  # removed, to be written anew by the next load
        langmodel.identifier.__wrapped__()
        assert copy.stat().st_size > 60_000_000
        langmodel.remove_copies(tmp_path)
        assert langmodel.copies_bytes(tmp_path) == 0
    finally:
        langmodel.keep_unpacked_copy_in(None)


def test_function_words_of_an_unreadable_stop_word_list_are_none_and_bugs_surface(monkeypatch):
    from presspack.normalize import language

    assert "the" in language._function_words("en") and language._function_words("zzz") == frozenset()

    def broken(loader, module):
        raise ValueError("a bug")

    language._function_words.cache_clear()
    monkeypatch.setattr("importlib.machinery.SourceFileLoader.exec_module", broken)
    try:
        with pytest.raises(ValueError, match="a bug"):
            language._function_words("fr")

        def unreadable(loader, module):
            raise SyntaxError("not a plain list")

        monkeypatch.setattr("importlib.machinery.SourceFileLoader.exec_module", unreadable)
        assert language._function_words("it") == frozenset()
    finally:
        language._function_words.cache_clear()
