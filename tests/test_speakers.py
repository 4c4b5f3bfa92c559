"""Who said it: speakers resolved in text order, agreeing pronouns, speaker types and
roles, no date or number speakers, and rows that do not depend on the finders' order."""

from __future__ import annotations

import json

import pytest

from presspack.annotate.batch import annotate
from presspack.claims import extract
from presspack.claims.resolve import SPEAKER_TYPES
from presspack.config import load_config
from presspack.ingest.types import RawArticle
from presspack.normalize.text import normalize
from presspack.package import schemas


def _articles(texts: list[str]):
    rules = load_config(None).text
    return [normalize(RawArticle(origin=f"s{i}", body=t), rules, max_chars=1_000_000) for i, t in enumerate(texts)]


@pytest.fixture(scope="module")
def claims_of(nlp):
    cache: dict[str, list[dict]] = {}

    def _get(text: str) -> list[dict]:
        if text not in cache:
            cache[text] = next(iter(annotate(_articles([text]), nlp))).claims
        return cache[text]

    return _get


def by_content(claims: list[dict], words: str) -> dict:
    hit = [c for c in claims if words in c["content_text"]]
    assert len(hit) == 1, [(c["speaker_text"], c["content_text"]) for c in claims]
    return hit[0]


# (text, content words, speaker name) -- the pronoun agrees with its antecedent, also
# when the latest speaker is of the other gender
AGREEMENT = [
    ("Mr Blair said the talks had been useful. Ms Cooper attended the meeting on Monday. "
     "She said the deal was close.", "the deal was close", "Cooper"),
    ("Ms Cooper said the deal was close. Mr Blair arrived later in the evening. "
     "He said nothing had been agreed.", "nothing had been agreed", "Blair"),
    ("Michael Lamberty said the airline would appeal. Susan Hill, his lawyer, spoke to the court. "
     "She said the case was strong.", "the case was strong", "Susan Hill"),
]


@pytest.mark.parametrize("text,content,name", AGREEMENT)
def test_pronouns_agree_in_gender(claims_of, text, content, name):
    c = by_content(claims_of(text), content)
    assert c["speaker_text"] in ("He", "She") and c["speaker_name"] is not None and name in c["speaker_name"]
    assert c["speaker_type"] == "person"


def test_she_is_never_a_man_or_an_organisation(claims_of):
    """No woman mentioned before "She": no one, rather than the man who spoke."""
    c = by_content(claims_of("Mr Blair said the talks had been useful. The Acme Corporation agreed.\n\n"
                             "She said the deal was close."), "the deal was close")
    assert (c["speaker_name"], c["speaker_type"]) == (None, "unknown")


def test_no_date_or_number_speaker(claims_of):
    claims = claims_of("The firm said on 11 March 2004 that profits would rise by 20 percent. "
                       "Figures published in 2004 showed that sales fell by four million pounds.")
    firm = by_content(claims, "profits would rise")
    assert firm["speaker_text"] == "The firm" and firm["speaker_name"] is None and firm["speaker_type"] == "organisation"
    figures = by_content(claims, "sales fell")
    assert figures["speaker_name"] is None and figures["speaker_type"] == "document"
    for c in claims:
        assert c["speaker_name"] is None or not any(ch.isdigit() for ch in c["speaker_name"])


def test_organisation_description_takes_the_organisation_that_spoke(claims_of):
    claims = claims_of("Lufthansa said it would sue the German government. Germany rejected the claim.\n\n"
                       "The company said it would take the case to court in Frankfurt.")
    c = by_content(claims, "take the case to court")
    assert c["speaker_text"] == "The company" and c["speaker_name"] == "Lufthansa" and c["speaker_type"] == "organisation"


SPEAKER_KINDS = [
    ("A spokesman said the factory would close in June.", "the factory would close", "anonymous"),
    ("Sources close to the talks said a deal was near.", "a deal was near", "anonymous"),
    ("Critics say the plan is deeply flawed.", "the plan is deeply flawed", "group"),
    ("The report found that waiting times had doubled.", "waiting times had doubled", "document"),
    ("Angela Merkel said the euro was safe.", "the euro was safe", "person"),
    # one unnamed speaker is no group; an unnamed organisation is an organisation
    ("A neighbour said the fire started at night.", "the fire started at night", "anonymous"),
    ("A court ruled that the contract was void.", "the contract was void", "organisation"),
    ("A handful of residents said the road was unsafe.", "the road was unsafe", "group"),
    # people who speak for someone: "X's lawyers", "lawyers for X"
    ("His lawyers said the ban could not be enforced.", "the ban could not be enforced", "anonymous"),
    # an office (person_titles) is a person's
    ("The councillor said the road would close in May.", "the road would close in May", "person"),
]


@pytest.mark.parametrize("text,content,kind", SPEAKER_KINDS)
def test_speaker_type(claims_of, text, content, kind):
    c = by_content(claims_of(text), content)
    assert c["speaker_type"] == kind
    if kind in ("anonymous", "group", "document"):
        assert c["speaker_name"] is None  # no name the text does not give


def test_anonymous_speaker_keeps_the_organisation_it_speaks_for(claims_of):
    c = by_content(claims_of("A spokesman for Microsoft said the console would ship in May."), "the console would ship")
    assert c["speaker_type"] == "anonymous" and c["speaker_name"] == "Microsoft"


ROLES = [
    ("The party needs new ideas, Tory co-chairman Liam Fox said.", "The party needs new ideas", "Liam Fox", "Tory co-chairman"),
    ("Lord Falconer, the lord chancellor, said the reforms were overdue.", "the reforms were overdue", "Falconer", "lord chancellor"),
]


@pytest.mark.parametrize("text,content,name,role", ROLES)
def test_speaker_role(claims_of, text, content, name, role):
    c = by_content(claims_of(text), content)
    assert name in c["speaker_name"] and c["speaker_role"] == role and c["speaker_type"] == "person"


def test_continued_quote_takes_the_speaker_before_it_in_text_order(claims_of):
    claims = claims_of("“The bridge is not safe,” Angela Merkel said.\n\n“Nobody should drive over it until the engineers "
                       "have checked every beam.”\n\nThe council met on Monday.")
    c = by_content(claims, "Nobody should drive over it")
    assert c["speaker_name"] == "Angela Merkel" and c["method"] == "quote_continued"


ORDER_TEXT = ("“We will rebuild the station,” said Maria Lopez, the mayor. “It will take two years.”\n\n"
              "According to the council, the work starts in May. The union warns that the strike could last weeks, "
              "and its leader Tom Okafor said: “Nobody wants this.”\n\nShe reportedly left the city.")


# (text, content words, speaker name or None, speaker type): roles and unnamed speakers
# resolved to whom the text says, and no further
DESCRIBED = [
    # the role is named right after ("the economy minister" ... "economy minister X")
    ('"The economy is at a pause," the economy minister said. "Growth will be gentle but the recovery will continue," '
     "said economy minister Kenji Watanabe.", "The economy is at a pause", "Kenji Watanabe", "person"),
    # an unnamed spokesman named in the next sentence with the same role
    ("The cost could wipe out growth, according to a government spokesman. "
     '"Our nation is in peril," said Ahmed Rasheed, the chief government spokesman.', "wipe out growth", "Ahmed Rasheed", "person"),
    # a deputy mayor is not "the mayor"
    ("Deputy Mayor Nicola Grant told reporters the mayor would apologise. "
     "The mayor said he regretted nothing about the remarks.", "he regretted nothing", None, "person"),
    # "she" after an unnamed spokeswoman is that spokeswoman, not the man named in her claim
    ("A Treasury spokeswoman said Mr Hale had agreed to the plan. "
     '"The dispute is a narrow one," she said.', "The dispute is a narrow one", None, "anonymous"),
    # "the newspaper" is the paper that spoke (the NER takes "the Sunday Courier" for a person)
    ("The Sunday Courier said the bank's plan was evidence of its ambition. Both Acme Bank and Zenith Bank held talks. "
     "The newspaper also claimed the chief executive was frustrated.", "the chief executive was frustrated", None, "organisation"),
    # a bare role the article never gave: the person who speaks in its first sentence ...
    ("Michael Harlow has denied his party was split over the plan. The Tory leader said the team had agreed.",
     "the team had agreed", "Michael Harlow", "person"),
    # ... not a person the first sentence only mentions, nor one given another role
    ("Tony Blair faces questions after a week of talk about Gordon Brown. Meanwhile, the chancellor said the economy was strong.",
     "the economy was strong", None, "person"),
    ("Foreign Secretary Jack Straw said the rebate was safe. The chancellor said the budget would balance.",
     "the budget would balance", None, "person"),
    # someone's adviser is not that someone
    ("Chancellor Gordon Brown has said he will meet his rule. His former economic adviser said the margin was thin.",
     "the margin was thin", None, "person"),
    # a lead that describes before it names
    ("The country's top judge has revealed he clashed with ministers.\n\nLord Harwood said he would keep his veto.",
     "he clashed with ministers", "Harwood", "person"),
    ("The Tory leader has said taxes will fall. But Gordon Brown said that was nonsense.", "taxes will fall", None, "person"),
    # a person named inside a phrase whose head the parser made the title after the name
    ("Former welfare minister Frank Field MP said the plan was a mess.", "the plan was a mess", "Frank Field", "person"),
    # "the firm" is an organisation, never a place
    ("Oslo Freight reported higher profits. Trade through Norway rose. Its chief executive in Norway, Ola Berg, "
     "was pleased. The firm said growth would continue.", "growth would continue", "Oslo Freight", "organisation"),
    # a document's issuer is no place that modifies it
    ("UK media reports say the bid will come on Monday.", "the bid will come", None, "document"),
    ("A statement by Norvik Bank said the loan had been repaid.", "the loan had been repaid", "Norvik Bank", "document"),
    ("The lawsuit, filed in Ohio, alleges the firm misled investors.", "the firm misled investors", None, "document"),
    # a quantifier is a group of people, not an unknown speaker
    ("Many in the town said the plan would fail.", "the plan would fail", None, "group"),
    ("Some argue that the tax is unfair.", "the tax is unfair", None, "group"),
]

# a word split at a hyphen stays whole, and the phrase keeps its name ("Tory co" was a speaker)
HYPHENATED = [
    ("The plans are a mess, Tory co-chairman Peter Haldane said.", "The plans are a mess",
     "Tory co-chairman Peter Haldane", "Peter Haldane"),
    ("Peter Haldane spoke on Monday. The Tory co-chairman said Labour was worried.", "Labour was worried",
     "The Tory co-chairman", "Peter Haldane"),
    ("And ex-Labour health secretary Margaret Dunn remembered that the room was cold.", "the room was cold",
     "ex-Labour health secretary Margaret Dunn", "Margaret Dunn"),
]


@pytest.mark.parametrize("text,content,speaker,name", HYPHENATED)
def test_hyphenated_speaker_phrases(claims_of, text, content, speaker, name):
    c = by_content(claims_of(text), content)
    assert (c["speaker_text"], c["speaker_name"]) == (speaker, name), c


# "it" stands for an institution acting in the text, not a place it only mentions
IT_SPEAKERS = [
    ("Halden Motors reported a loss on Monday. The US carmaker has cut jobs at its plant in Ohio. "
     "It said sales would recover next year.", "sales would recover", "Halden Motors"),
    ("China has long opposed the plan. It said on Monday that the talks would fail.", "the talks would fail", "China"),
    ("Shoppers bought fewer records in Texas this year. It said the market would shrink.", "the market would shrink", None),
    # a country is "it", not "they"
    ("China has long opposed the plan. They said on Monday that the talks would fail.", "the talks would fail", None),
]


@pytest.mark.parametrize("text,content,name", IT_SPEAKERS)
def test_it_is_an_institution_that_acts(claims_of, text, content, name):
    c = by_content(claims_of(text), content)
    assert c["speaker_name"] == name, c


@pytest.mark.parametrize("text,content,name,kind", DESCRIBED)
def test_described_speakers(claims_of, text, content, name, kind):
    c = by_content(claims_of(text), content)
    assert c["speaker_type"] == kind, c
    if name is None:
        assert c["speaker_name"] is None or kind == "organisation" and "Bank" not in c["speaker_name"], c
    else:
        assert c["speaker_name"] is not None and name in c["speaker_name"], c


def test_rows_do_not_depend_on_the_finders_order(nlp, monkeypatch):
    """The same article with the rule families run in reverse order, and their candidates
    handed to the assembler reversed, gives the same rows."""
    first = [a.claims for a in annotate(_articles([ORDER_TEXT]), nlp)]
    forward = extract.rule_candidates

    def reversed_rules(doc, article, quotes, finders=extract.FINDERS):
        return list(reversed(forward(doc, article, quotes, tuple(reversed(finders)))))

    monkeypatch.setattr(extract, "rule_candidates", reversed_rules)
    second = [a.claims for a in annotate(_articles([ORDER_TEXT]), nlp)]
    assert first == second and len(first[0]) >= 4
    assert [c["claim_id"] for c in first[0]] == sorted((c["claim_id"] for c in first[0]),
                                                       key=lambda i: tuple(int(x) for x in i.rsplit("-c", 1)[1].split("-")))


def test_every_row_has_the_schemas_columns_and_allowed_values(claims_of):
    claims = claims_of(ORDER_TEXT)
    columns = schemas.column_names("claims")
    fields = {f["name"]: f for f in schemas.table_schema("claims")["fields"]}
    for c in claims:
        assert list(c) == list(columns)
        assert c["speaker_type"] in SPEAKER_TYPES
        assert c["method"] in fields["method"]["constraints"]["enum"]
    assert {c["method"] for c in claims} >= {"according_to", "cue_verb", "evidential"}


def test_score_of_own_sample_is_one_with_cueless_claims(tmp_path, nlp, config):
    """A release scored against its own sample: every figure 1.0, the triple too, also
    for a quote that goes on in a paragraph of its own (no cue of its own)."""
    from presspack.audit import sample, score
    from presspack.audit.load import load_gold
    from presspack.orchestrate import build

    src = tmp_path / "in.jsonl"
    text = ORDER_TEXT + ("\n\n“The bridge is not safe,” Angela Merkel said.\n\nThe council met on Monday.\n\n"
                         "“Nobody should drive over it until the engineers have checked every beam.”")
    src.write_text(json.dumps({"id": "a", "title": "Bridge", "text": text}) + "\n", encoding="utf-8")
    rel = build([src], tmp_path / "out", "1.0.0", config, nlp=nlp).release_dir
    exported = sample.export(rel, sample.draw(rel, 1, seed=1), tmp_path / "s")
    g = load_gold(exported["jsonl"], rel)
    res = score.score_report(rel, g)["claims"]
    assert any(c["cue_text"] is None for c in _claims(rel))
    assert {res[m]["f1"] for m in ("content", "source", "cue", "triple", "content_exact")} == {1.0}


def _claims(rel) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(rel / "claims.parquet").to_pylist()


def test_a_verb_conjoined_to_a_cue_verb_without_subject_has_the_same_speaker(nlp):
    # the parse spaCy gives some long sentences: the names hung on the phrase before them,
    # "call" with no subject and "describe" conjoined to it
    from spacy.tokens import Doc

    from presspack.claims.speakers import noun_before

    rows = [  # word, head, dep, tag, pos, entity
        ("After", 7, "prep", "IN", "ADP", "O"), ("the", 2, "det", "DT", "DET", "O"), ("war", 0, "pobj", "NN", "NOUN", "O"),
        (",", 2, "punct", ",", "PUNCT", "O"), ("Berg", 2, "conj", "NNP", "PROPN", "B-PERSON"),
        ("and", 4, "cc", "CC", "CCONJ", "O"), ("Reyes", 4, "conj", "NNP", "PROPN", "B-PERSON"),
        ("call", 7, "ROOT", "VBP", "VERB", "O"), ("them", 7, "dobj", "PRP", "PRON", "O"), ("liars", 7, "oprd", "NNS", "NOUN", "O"),
        ("and", 7, "cc", "CC", "CCONJ", "O"), ("describe", 7, "conj", "VB", "VERB", "O"), ("the", 13, "det", "DT", "DET", "O"),
        ("deal", 11, "dobj", "NN", "NOUN", "O"), ("as", 11, "prep", "IN", "ADP", "O"), ("a", 16, "det", "DT", "DET", "O"),
        ("crime", 14, "pobj", "NN", "NOUN", "O"), (".", 7, "punct", ".", "PUNCT", "O"),
    ]
    words, heads, deps, tags, pos, ents = (list(col) for col in zip(*rows))
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, ents=ents)
    assert [t.text for t in noun_before(doc[7])] == ["Reyes"]
    assert [t.text for t in noun_before(doc[11])] == ["Reyes"]


def test_who_after_among_those_is_the_subject(claims_of):
    c = by_content(claims_of("Anna Berg is among those who have called for an apology."), "an apology")
    assert (c["speaker_text"], c["speaker_name"], c["speaker_type"]) == ("who", "Anna Berg", "person")


def test_a_pronoun_after_an_unnamed_questioner_is_the_person_who_answers(claims_of):
    text = 'Tom Reyes spoke at a forum on Monday. One questioner said the army had gone soft. "You are right, it has," he said.'
    claims = claims_of(text)
    assert by_content(claims, "the army had gone soft")["speaker_type"] == "anonymous"
    assert by_content(claims, "You are right")["speaker_name"] == "Tom Reyes"


@pytest.mark.parametrize("text", ["Lufthansa's lawyers said the ban could not be enforced.",
                                  "Lawyers for Lufthansa said the ban could not be enforced."])
def test_lawyers_of_an_organisation_speak_for_it(claims_of, text):
    c = by_content(claims_of(text), "the ban could not be enforced")
    assert (c["speaker_type"], c["speaker_name"]) == ("anonymous", "Lufthansa")


def _parsed(nlp, rows):
    from spacy.tokens import Doc

    words, heads, deps, tags, pos, ents = (list(col) for col in zip(*rows))
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, ents=ents)


def test_a_subject_the_parser_did_not_label_is_the_speaker(nlp):
    # parses spaCy gives: a name taken for a compound of the verb, a name left unattached
    # before "both", and a verb hung on the only noun of a sentence with no other verb
    from presspack.claims.speakers import speaker_tokens, subject

    compound = _parsed(nlp, [
        ("Reyes", 1, "compound", "NNP", "PROPN", "B-PERSON"), ("bristles", 1, "ROOT", "VBZ", "VERB", "O"),
        ("at", 1, "prep", "IN", "ADP", "O"), ("the", 4, "det", "DT", "DET", "O"), ("plan", 2, "pobj", "NN", "NOUN", "O"),
        (".", 1, "punct", ".", "PUNCT", "O"),
    ])
    unattached = _parsed(nlp, [
        ("Berg", 2, "dep", "NNP", "PROPN", "B-PERSON"), ("both", 2, "det", "DT", "DET", "O"),
        ("documents", 2, "ROOT", "VBZ", "VERB", "O"), ("the", 4, "det", "DT", "DET", "O"), ("boom", 2, "dobj", "NN", "NOUN", "O"),
        (".", 2, "punct", ".", "PUNCT", "O"),
    ])
    nominal = _parsed(nlp, [
        ("Years", 1, "npadvmod", "NNS", "NOUN", "O"), ("ago", 5, "advmod", "RB", "ADV", "O"), (",", 5, "punct", ",", "PUNCT", "O"),
        ("a", 5, "det", "DT", "DET", "O"), ("Herald", 5, "compound", "NNP", "PROPN", "B-ORG"), ("article", 5, "ROOT", "NN", "NOUN", "O"),
        ("hailed", 5, "acl", "VBD", "VERB", "O"), ("Reyes", 6, "dobj", "NNP", "PROPN", "B-PERSON"), (".", 5, "punct", ".", "PUNCT", "O"),
    ])
    assert [t.text for t in speaker_tokens(subject(compound[1]))] == ["Reyes"]
    assert [t.text for t in speaker_tokens(subject(unattached[2]))] == ["Berg"]
    assert [t.text for t in speaker_tokens(subject(nominal[6]))] == ["a", "Herald", "article"]
    # a past participle on a noun is no finite verb, and a date before the verb is no speaker
    participle = _parsed(nlp, [
        ("The", 1, "det", "DT", "DET", "O"), ("plan", 1, "ROOT", "NN", "NOUN", "O"), ("announced", 1, "acl", "VBN", "VERB", "O"),
        ("today", 2, "npadvmod", "NN", "NOUN", "B-DATE"), (".", 1, "punct", ".", "PUNCT", "O"),
    ])
    dated = _parsed(nlp, [
        ("Monday", 1, "compound", "NNP", "PROPN", "B-DATE"), ("said", 1, "ROOT", "VBD", "VERB", "O"), (".", 1, "punct", ".", "PUNCT", "O"),
    ])
    assert subject(participle[2]) is None
    assert subject(dated[1]) is None


@pytest.mark.parametrize("text,speaker", [
    ("Anna Berg and Tom Reyes said the plan had failed.", "Anna Berg and Tom Reyes"),
    ("The trial of Ana Ruiz, Tom Reyes and Ali Khan opened on Monday. Ms Ruiz, Mr Reyes and Mr Khan deny "
     "taking the money.", "Ms Ruiz, Mr Reyes and Mr Khan"),
    # a list the parser read as one name ("Donald Trump and House Speaker Paul Ryan")
    ("The talks went on into the night.\n\nDonald Trump and House Speaker Paul Ryan pledged to work together despite "
     "their differences.", "Donald Trump and House Speaker Paul Ryan"),
])
def test_several_speakers_together_are_a_group_not_one_of_them(claims_of, text, speaker):
    c = next(c for c in claims_of(text) if c["speaker_text"] and c["speaker_text"].endswith(speaker.split()[-1]))
    assert (c["speaker_text"], c["speaker_type"], c["speaker_name"]) == (speaker, "group", None)


@pytest.mark.parametrize("text,speaker,name", [
    # one name with "and" or "&" in it is one speaker
    ("A blog is created every six seconds, says US think-tank Pew Internet & American Life.",
     "US think-tank Pew Internet & American Life", "Pew Internet & American Life"),
    ("Most shoppers now buy online, says research firm Marsh & McLennan.", "research firm Marsh & McLennan", "Marsh & McLennan"),
    # a list the parser hung on the head noun, not on its prepositional object, is not the speakers
    ("A spokesman for the Department for Culture, Media and Sport said there were no plans to sell the channel.",
     "A spokesman for the Department for Culture", "Department for Culture"),
])
def test_a_name_with_and_in_it_is_no_list_of_speakers(claims_of, text, speaker, name):
    c = claims_of(text)[0]
    assert (c["speaker_text"], c["speaker_name"]) == (speaker, name)


def test_a_role_given_in_another_sentence_is_not_the_names(claims_of):
    # "Birch Road, a witness said. The court ...": the court is not Birch Road, but the
    # organisation whose name holds the noun
    text = ("The case of three councillors came before the High Court of Justice on Monday. Police found the ballots "
            "in a warehouse on Birch Road, a witness said. The court heard that the ballots had been forged.")
    c = by_content(claims_of(text), "the ballots had been forged")
    assert (c["speaker_type"], c["speaker_name"]) == ("organisation", "High Court of Justice")


def test_a_bare_document_is_issued_by_whoever_the_article_says_issues_it(claims_of):
    text = ("Confidence among factory owners has weakened, the quarterly survey has found. In the Bank of Japan's "
            "December survey, the balance of firms reporting better conditions fell to 22.")
    c = by_content(claims_of(text), "Confidence among factory owners has weakened")
    assert (c["speaker_type"], c["speaker_name"]) == ("document", "Bank of Japan")
    two = text + " The IMF's survey, in contrast, showed a rise."
    c = by_content(claims_of(two), "Confidence among factory owners has weakened")
    assert (c["speaker_type"], c["speaker_name"]) == ("document", None)  # two issuers: the article does not say which
    other = text.replace("the quarterly survey", "a further survey")
    c = by_content(claims_of(other), "Confidence among factory owners has weakened")
    assert (c["speaker_type"], c["speaker_name"]) == ("document", None)  # another survey than the Bank's


def test_a_name_the_ner_missed_is_the_one_entity_it_ends_or_a_group(nlp):
    from presspack.claims.resolve import SpeakerResolver

    text = "Group Vantor owns the bank. Vantor says the sale was illegal. Only 7% of those asked agree. Bratislavans say so."
    article = _articles([text])[0]
    org = {"start": 0, "end": 12, "label": "ORG", "entity_key": "org:group-vantor", "canonical": "Group Vantor", "text": "Group Vantor"}
    resolver = SpeakerResolver(nlp(text), article, [org])

    def at(words, after=0):
        s = text.index(words, after)
        return resolver.resolve((s, s + len(words)))

    assert (at("Vantor", 12).key, at("Vantor", 12).type) == ("org:group-vantor", "organisation")
    assert at("Only 7% of those asked").type == "group"
    assert (at("Bratislavans").type, at("Bratislavans").name) == ("group", None)

    text = "The Northern Irish FA backed the plan. The English FA says the dates are too late."
    irish = {"start": 4, "end": 21, "label": "ORG", "entity_key": "org:northern-irish-fa", "canonical": "Northern Irish FA",
             "text": "Northern Irish FA"}
    resolver = SpeakerResolver(nlp(text), _articles([text])[0], [irish])
    assert resolver.resolve((text.index("The English FA"), text.index(" says"))).key is None  # another FA


def test_the_name_in_the_phrase_wins_over_a_role_given_to_another(claims_of):
    text = "The Gibraltar government welcomed the talks. Spain's socialist government said it would put its ambitions on hold."
    c = by_content(claims_of(text), "it would put its ambitions on hold")
    assert c["speaker_name"] == "Spain"


def test_a_first_person_outside_quotes_is_no_one_the_text_merely_mentions(claims_of):
    """"I" in a column or a readers' comment is its writer, whom the text does not name: not
    the last person it mentions (not even one inside the claim), nor someone who spoke
    paragraphs before."""
    claims = claims_of("“We will win the cup,” said Tom Reyes.\n\nThe award went to Anna Berg in March.\n\n"
                       "Personally I wanted Will Young to win, but nobody asked me.")
    c = by_content(claims, "Will Young to win")
    assert (c["speaker_text"], c["speaker_name"], c["speaker_type"]) == ("I", None, "unknown")


@pytest.mark.parametrize(("text", "name"), [
    # the article's protagonist (the one it opens with), though others are named since
    ("Sara Lind ran a perfect race to beat Anna Ruiz and Maria Lopez. But the 34-year-old would not say whether she would "
     "run in Madrid.", "Sara Lind"),
    # else the person subject of the sentence before
    ("Anna Ruiz praised the coach. Tom Reyes won the race in Leeds on Sunday. \u201cI am qualified now,\u201d said the "
     "28-year-old.", "Tom Reyes"),
    # a pronoun subject before: someone the text already refers to, not a name to guess
    ("Producer Tom Reyes said the show would go ahead. He played down fears that Ana Ruiz would swear on air. The "
     "40-year-old comic has promised not to swear during the show.", None),
])
def test_an_age_description_is_the_person_the_text_is_about(claims_of, text, name):
    c = next(c for c in claims_of(text) if "year-old" in (c["speaker_text"] or ""))
    assert c["speaker_name"] == name
    if name is not None:
        assert c["speaker_type"] == "person"


def test_a_quote_of_a_report_with_the_same_cue_is_no_claim_of_its_own(nlp, monkeypatch):
    """A finder that proposes the quote inside a report's content with the report's own
    cue and speaker ("The mayor said the plan was “a disgrace to the city” ...") adds no
    row: it is that claim, not a second one."""
    from presspack.claims.candidates import Candidate

    text = "The mayor said the plan was \u201ca disgrace to the city\u201d and would fail."
    first = next(iter(annotate(_articles([text]), nlp))).claims
    report = next(c for c in first if c["cue_text"] == "said")
    forward = extract.rule_candidates
    qs = text.index("a disgrace")
    piece = Candidate(content=(qs, qs + len("a disgrace to the city")), finder="quote",
                      cue=(report["cue_start"], report["cue_end"]), source=(report["speaker_start"], report["speaker_end"]))

    def with_piece(doc, article, quotes, finders=extract.FINDERS):
        return [*forward(doc, article, quotes, finders), piece]

    monkeypatch.setattr(extract, "rule_candidates", with_piece)
    assert next(iter(annotate(_articles([text]), nlp))).claims == first
