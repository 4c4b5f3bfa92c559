"""Claims: one short news-like text per pattern, with exact expected spans (must-find
and must-not-find), quote-mark handling, and a score floor on a small hand-annotated set."""

from __future__ import annotations

import re

import pytest

from presspack.annotate.batch import annotate
from presspack.claims import quote_spans
from presspack.config import load_config
from presspack.ingest.types import RawArticle
from presspack.normalize.text import normalize


def run(nlp, texts: list[str]) -> list[dict]:
    rules = load_config(None).text
    arts = [normalize(RawArticle(origin=f"t{i}", body=t), rules, max_chars=1_000_000) for i, t in enumerate(texts)]
    return [a for a in annotate(arts, nlp)]


@pytest.fixture(scope="module")
def claims_of(nlp):
    cache: dict[str, tuple[str, list[dict]]] = {}

    def _get(text: str) -> tuple[str, list[dict]]:
        if text not in cache:
            ann = run(nlp, [text])[0]
            cache[text] = (ann.article["text"], ann.claims)
        return cache[text]

    return _get


def find(claims: list[dict], content: str) -> dict | None:
    return next((c for c in claims if c["content_text"] == content), None)


# (text, speaker_text, cue_text, content_text, kind)
MUST_FIND = [
    ("The mayor said that the bridge would reopen in May.", "The mayor", "said", "that the bridge would reopen in May", "indirect"),
    ("Anna Berg, a local teacher, told reporters the school had no heating.", "Anna Berg", "told", "the school had no heating", "indirect"),
    ("The minister stressed that taxes would not rise.", "The minister", "stressed", "that taxes would not rise", "indirect"),
    ("The union warns that the strike could last weeks.", "The union", "warns", "that the strike could last weeks", "indirect"),
    ("Farmers believe the drought will get worse.", "Farmers", "believe", "the drought will get worse", "indirect"),
    ("The company wants to close two factories next year.", "The company", "wants", "to close two factories next year", "indirect"),
    ("Moscow believes the sanctions have failed.", "Moscow", "believes", "the sanctions have failed", "indirect"),
    ("The senator called for an inquiry into the contracts.", "The senator", "called for", "an inquiry into the contracts", "indirect"),
    ("The governor proposed a new tax on sugary drinks.", "The governor", "proposed", "a new tax on sugary drinks", "indirect"),
    ("Critics called the plan a disaster.", "Critics", "called", "the plan a disaster", "indirect"),
    # a passive object verb with its agent: the agent speaks, the passive subject is the content
    ("The new stadium plan has been endorsed by dozens of local papers.", "dozens of local papers", "endorsed",
     "The new stadium plan", "indirect"),
    ("The report, the auditors argued, was written in haste.", "the auditors", "argued", "The report, the auditors argued, was written in haste", "indirect"),
    ("“We will rebuild the station,” said Maria Lopez.", "Maria Lopez", "said", "We will rebuild the station", "direct"),
    ("The coach said the team was “ready for anything” after the win.", "The coach", "said", "the team was “ready for anything” after the win", "partial"),
    ("Police officers, who said the road was blocked, closed the area.", "who", "said", "the road was blocked", "indirect"),
    # modifiers of the cue verb after its object belong to the content
    ("The minister announced new rules for landlords last week.", "The minister", "announced", "new rules for landlords last week", "indirect"),
    ("The coach praised the players after the match, saying they had fought hard.", "The coach", "praised", "the players after the match", "indirect"),
    ("The coach praised the players after the match, saying they had fought hard.", "The coach", "saying", "they had fought hard", "indirect"),
    ("Anna Berg met the workers. “The plan is dead,” she said, adding that “nobody wants it anymore.”", "she", "said", "The plan is dead", "direct"),
    ("Anna Berg met the workers. “The plan is dead,” she said, adding that “nobody wants it anymore.”", "she", "adding", "nobody wants it anymore", "direct"),
    ("Voters know the economy is weak.", "Voters", "know", "the economy is weak", "indirect"),
    ("The mayor supports a ban on cars in the old town.", "The mayor", "supports", "a ban on cars in the old town", "indirect"),
    ("The Internet has also made it possible for people with odd ideas to find each other, she said.", "she", "said",
     "The Internet has also made it possible for people with odd ideas to find each other", "indirect"),
    # a comment set off by a comma at the end is no part of the content
    ("The government pledged to strengthen its army, reversing decades of caution.", "The government", "pledged", "to strengthen its army", "indirect"),
    ("The mayor said the plan would cost two million euros, which critics called too much.", "The mayor", "said", "the plan would cost two million euros", "indirect"),
    # a contrast set off by a comma is the writer's, not the speaker's
    ("The coach said the team had played well, although it lost the final.", "The coach", "said", "the team had played well", "indirect"),
    ("Anna Berg insisted the bridge was safe, though engineers had found cracks in it.", "Anna Berg", "insisted",
     "the bridge was safe", "indirect"),
    # a clause with its own subject on the cue verb says when it was said, not what
    ("The union condemned the closure while the ministers met in Brussels.", "The union", "condemned", "the closure", "indirect"),
    ("The mayor praised the firefighters after the fire was put out.", "The mayor", "praised", "the firefighters", "indirect"),
    ("The senator opposed the new permits until the mine was cleaned up.", "The senator", "opposed", "the new permits", "indirect"),
    ("The mayor praised the nurses when she visited the hospital.", "The mayor", "praised", "the nurses", "indirect"),
    # infinitives the parser conjoined to the cue verb are more of the content
    ("The mayor wants to double the size of the bus fleet, widen the ring road and build a new tram line.", "The mayor", "wants",
     "to double the size of the bus fleet, widen the ring road and build a new tram line", "indirect"),
    ("The minister declined to criticise the bank or even directly blame it for the crash.", "The minister", "declined",
     "to criticise the bank or even directly blame it for the crash", "indirect"),
    # an object and its predicate keep the verb's modifiers after them
    ("A former partner called him a master at putting together impossible deals.", "A former partner", "called",
     "him a master at putting together impossible deals", "indirect"),
    # a participial cue after a preposition takes the subject of the clause it is in
    ("The senator angered her party by calling the plan a disaster.", "The senator", "calling", "the plan a disaster", "indirect"),
    ("The newspaper quoted an aide as saying the talks had failed.", "The newspaper", "saying", "the talks had failed", "indirect"),
    # evidential and passive reporting: the whole clause is the content, the source the agent if any
    ("Sales of the new phone seem to have peaked in March.", None, "seem", "Sales of the new phone seem to have peaked in March", "indirect"),
    ("The minister is said to be planning a new budget.", None, "said", "The minister is said to be planning a new budget", "indirect"),
    ("The plan is believed by the police to have failed.", "the police", "believed", "The plan is believed by the police to have failed", "indirect"),
    ("It appears that the bridge will not reopen this year.", None, "appears", "that the bridge will not reopen this year", "indirect"),
    ("The union endorsed her on Monday.", "The union", "endorsed", "her", "indirect"),
    ("The mayor urged residents to stay at home.", "The mayor", "urged", "residents to stay at home", "indirect"),
    ("The emails prove that the minister knew about the deal.", "The emails", "prove", "that the minister knew about the deal", "indirect"),
    # a cue noun: as the subject of "be" with a that-clause, or a promise (whose: said) and its infinitive
    ("The council's argument was that the bridge had never been safe.", "The council", "argument",
     "that the bridge had never been safe", "indirect"),
    ("The market operator's promise to move its headquarters to London angered the unions.", "The market operator",
     "promise", "to move its headquarters to London", "indirect"),
    # a gerund complement of a speech verb is the content
    ("The minister admitted using the loophole for years.", "The minister", "admitted", "using the loophole for years", "indirect"),
    ("In three cases, drivers reported hearing a loud bang before the crash.", "drivers", "reported",
     "hearing a loud bang before the crash", "indirect"),
    # "accuse X, of Y, of Z": the preposition with the gerund
    ("The mayor accused Tom Reyes, of the Daily Post, of following him home.", "The mayor", "accused",
     "following him home", "indirect"),
    # a clause with content of its own after a comma is no closing cue
    ("The senator revealed, somewhat reluctantly, that she would vote for the bill, though she has not endorsed it.",
     "The senator", "revealed", "that she would vote for the bill", "indirect"),
    ("The coach has singled out two young players as possible captains.", "The coach", "singled out",
     "two young players as possible captains", "indirect"),
    # a passive trailing cue names no speaker, and is no clause of the sentence it closes
    ("Police found the trio counting ballots in a warehouse, the court was told.", None, "told",
     "Police found the trio counting ballots in a warehouse", "indirect"),
    # the object and its 'as' complement (also when the parser hangs 'as' on the object)
    ("Local farmers see the dam as a threat.", "Local farmers", "see", "the dam as a threat", "indirect"),
    ("Many voters see the new tax as a burden on families.", "Many voters", "see", "the new tax as a burden on families", "indirect"),
    ("The union described the offer as an insult.", "The union", "described", "the offer as an insult", "indirect"),
    # a quote ending in ? or ! is a sentence of its own; the speaker follows
    ("“Who will pay for the new stadium?” the councillor asked.", "the councillor", "asked", "Who will pay for the new stadium?", "direct"),
    ("“This is a scandal!” said Anna Berg.", "Anna Berg", "said", "This is a scandal!", "direct"),
    # a quote closed after a comma, ? or ! and followed by a speaker and a verb, whatever the
    # verb and however the parser linked them
    ("“We will fight this in court,” Dana Whitfield shot back.", "Dana Whitfield", "shot", "We will fight this in court", "direct"),
    ("“The budget is a fantasy,” Tom Reyes, 61, told the council on Monday.", "Tom Reyes", "told", "The budget is a fantasy", "direct"),
    ("“Where is the money?” the treasurer asked at the meeting on Tuesday.", "the treasurer", "asked", "Where is the money?", "direct"),
    ("The mayor spoke for an hour. “I have never seen anything like it,” she continued.", "she", "continued",
     "I have never seen anything like it", "direct"),
    ("The mayor spoke for an hour. “We have done our part and more,” continued the mayor.", "the mayor", "continued",
     "We have done our part and more", "direct"),
    ("“Nobody listens to the farmers anymore,” grumbled Tom Reyes, a dairy farmer.", "Tom Reyes", "grumbled",
     "Nobody listens to the farmers anymore", "direct"),
    # a word of the description the tagger took for a verb ("sevens"), only nouns and a name after it
    ("“Wales have the ability to win this cup,” said Wales sevens coach Tom Reyes.", "Wales sevens coach Tom Reyes", "said",
     "Wales have the ability to win this cup", "direct"),
    # when and where something was said is not part of it
    ("The mayor criticized the budget at a rally in Leeds.", "The mayor", "criticized", "the budget", "indirect"),
    ("The minister praised the nurses during a visit to the hospital on Friday.", "The minister", "praised", "the nurses", "indirect"),
    ("Ms Ortiz supported the Greens during her time on the council.", "Ms Ortiz", "supported", "the Greens", "indirect"),
    ("The judge rejected that argument in a ruling released on Thursday.", "The judge", "rejected", "that argument", "indirect"),
    # attitude verbs with their object
    ("Critics downplayed the risk of flooding.", "Critics", "downplayed", "the risk of flooding", "indirect"),
    ("The mayor loves the new park.", "The mayor", "loves", "the new park", "indirect"),
    # attitude adjectives after a copula: a clause, an infinitive or a prepositional object
    ("The union is confident that the strike will end soon.", "The union", "confident", "that the strike will end soon", "indirect"),
    ("Residents are eager to return to their homes.", "Residents", "eager", "to return to their homes", "indirect"),
    ("Many farmers remain critical of the new water rules.", "Many farmers", "critical of", "the new water rules", "indirect"),
    # a participle on a noun: the noun is the source
    ("Hundreds of letters urging the council to act arrived on Monday.", "letters", "urging", "the council to act", "indirect"),
    ("The board received dozens of emails opposing the new tax.", "emails", "opposing", "the new tax", "indirect"),
    # an infinitive cue completing an adjective takes the subject of its copula
    ("The mayor was quick to add that the park would stay open.", "The mayor", "add", "that the park would stay open", "indirect"),
    ("The senator was bold enough to criticize the war.", "The senator", "criticize", "the war", "indirect"),
    # a passive cue's speaker is its agent
    ("The mayor was asked by reporters whether she would run again.", "reporters", "asked", "whether she would run again", "indirect"),
    # a person's name in apposition to a subject that names nobody is the speaker
    ("Despite the rain, the mayor, Anna Berg, said the parade would go ahead.", "Anna Berg", "said", "the parade would go ahead", "indirect"),
    # ... also when the parser hangs the name on an organisation in the subject's phrase
    ("A former colleague at Orbis Bank, Helen Marsh, said the merger had been rushed.", "Helen Marsh", "said",
     "the merger had been rushed", "indirect"),
    # the object of "say"
    ("Most voters said yes.", "Most voters", "said", "yes", "indirect"),
    ("Many older voters said the same about the governor.", "Many older voters", "said", "the same about the governor", "indirect"),
    # a lead-in before the speaker is not the content; the clause after the verb is
    ("In a statement released after the vote, the senator said she was disappointed.", "the senator", "said", "she was disappointed", "indirect"),
    # a cue that is a verb phrase, whichever way the parser hangs the clause on it
    ("The minister made clear that the talks would continue.", "The minister", "made clear", "that the talks would continue", "indirect"),
    ("The general made it clear that the troops would stay.", "The general", "made it clear", "that the troops would stay", "indirect"),
    ("The mayor praised the plan, but she made clear that the city would not pay for it.", "she", "made clear", "that the city would not pay for it", "indirect"),
    # a cue inserted between commas: the whole sentence is the content
    ("It is no secret, the coach said, that the team needs a new striker.", "the coach", "said",
     "It is no secret, the coach said, that the team needs a new striker", "indirect"),
    ("The fire destroyed three houses on Main Street, police said on Friday, and two people were injured.", "police", "said",
     "The fire destroyed three houses on Main Street, police said on Friday, and two people were injured", "indirect"),
    # a verb phrase with a modal conjoined to the cue after its content is more of what was said
    ("Anna said she hoped to get her account back, and then would continue to spread her message.", "Anna", "said",
     "she hoped to get her account back, and then would continue to spread her message", "indirect"),
    # a finding in a poll or survey of its own: the poll is the source
    ("In a new poll, the mayor leads her rival by ten points.", "a new poll", "In", "the mayor leads her rival by ten points", "indirect"),
    # an evidential adverb reports its clause on someone's word, unnamed
    ("The mayor was reportedly on that trip with several other officials.", None, "reportedly",
     "The mayor was reportedly on that trip with several other officials", "indirect"),
    ("Reportedly, he made threats to co-workers and had been under investigation.", None, "Reportedly",
     "he made threats to co-workers and had been under investigation", "indirect"),
    # the 'as' complement of a see-verb wherever the parser hung it
    ("The mayor sees the council as captured by a hard-line philosophy.", "The mayor", "sees",
     "the council as captured by a hard-line philosophy", "indirect"),
    ("They see the senator as most likely to deliver it.", "They", "see", "the senator as most likely to deliver it", "indirect"),
    ("Experts see the elections held Sunday as a test of the generals.", "Experts", "see",
     "the elections held Sunday as a test of the generals", "indirect"),
    # a cue in an 'as' clause reports the clause it modifies
    ("As the mayor said, the bridge will reopen in May.", "the mayor", "said", "the bridge will reopen in May", "indirect"),
    ("But as Anna Berg points out in a column, doing interviews gives the mayor a huge advantage.", "Anna Berg", "points out",
     "doing interviews gives the mayor a huge advantage", "indirect"),
    ("As one official put it, the city is broke.", "one official", "put", "the city is broke", "indirect"),
    # a phrase head with its preposition from verb_preps
    ("As proof, she pointed to attacks on her campaign funded by two rich donors.", "she", "pointed to",
     "attacks on her campaign funded by two rich donors", "indirect"),
    # a verb of giving with something said as its object (cues.toml giving_verbs, said_objects)
    ("The minister gave a grim assessment of the economy.", "The minister", "gave", "a grim assessment of the economy", "indirect"),
    ("The senator told a joke about the weather.", "The senator", "told", "a joke about the weather", "indirect"),
    ("The minister offered to resign after the vote.", "The minister", "offered", "to resign after the vote", "indirect"),
    # an indirect question, also when the parser made it an adverbial clause
    ("A reporter asked the mayor if she had been preparing herself for a strike.", "A reporter", "asked",
     "if she had been preparing herself for a strike", "indirect"),
    ("The employer asked for proof of citizenship, and the workers left.", "The employer", "asked for",
     "proof of citizenship", "indirect"),
    # an object predicate the parser put inside the object, or whose object it read as a possessive
    ("Still, he called the mayor's public squabble with the police unusual.", "he", "called",
     "the mayor's public squabble with the police unusual", "indirect"),
    ("The senator later called her “third-rate” and left the room.", "The senator", "called", "her “third-rate”", "mixed"),
    # an inserted cue reports its host clause, not an infinitive of its own modifiers
    ("He was unable to find a single buyer for the tickets, he said, on condition of anonymity to speak freely about the mayor.",
     "he", "said", "He was unable to find a single buyer for the tickets", "indirect"),
    # a quote of a few words is speech when a speaker and a cue verb follow it
    ("The cashier was shaken by the talk. “Too much hate,” she said, blaming some of it on the mayor.",
     "she", "said", "Too much hate", "direct"),
    # '“A,” the email read.': the root closing the sentence is the verb, even tagged a noun
    ("The campaign wrote to its donors. “Friend, let me be blunt. I can beat the mayor. Tom can't,” the email read.",
     "the email", "read", "Friend, let me be blunt. I can beat the mayor. Tom can't", "direct"),
    # a cue verb the parser gave no subject, right after a name or plural noun it hung elsewhere
    ("It is a small part of the $40 million analysts say the new stadium will cost.", "analysts", "say",
     "the new stadium will cost", "indirect"),
    ("In a long interview with the editors of the Daily Courier Tom Reyes said that the port would close.", "Tom Reyes", "said",
     "that the port would close", "indirect"),
    # a dateline the parser made the subject: the name after the dash speaks
    ("LONDON (AP) — Prime Minister Tom Reyes said on Monday that the talks had failed.", "Prime Minister Tom Reyes", "said",
     "that the talks had failed", "indirect"),
    # a clause before a semicolon is a sentence of its own, not the content
    ("It’s an extremely unlikely scenario; the mayor’s team says she’ll continue her campaign later this week.",
     "the mayor’s team", "says", "she’ll continue her campaign later this week", "indirect"),
    # a cue verb the tagger read as a noun keeps its subject
    ("Now Sharp claims that the tax cut will pay for itself.", "Sharp", "claims", "that the tax cut will pay for itself", "indirect"),
    # a quote of two sentences: the cue sits in the sentence the quote closes
    ("“The city is in crisis mode. Total crisis mode,” said Ana Ruiz, a local organizer for the tenants union.",
     "Ana Ruiz", "said", "The city is in crisis mode. Total crisis mode", "direct"),
    ("“We will not stop this fight. Never,” Tom Hale said on Monday.", "Tom Hale", "said", "We will not stop this fight. Never", "direct"),
    # a reported clause the parser hung elsewhere: on an occasion before it, on a relative
    # clause of the addressee, or as a relative clause ("that" marks a complement)
    ("Ms Ford said after the hearing she would appeal the ruling.", "Ms Ford", "said", "she would appeal the ruling", "indirect"),
    ("He told reporters who had gathered outside the court that he was innocent.", "He", "told", "that he was innocent", "indirect"),
    ("In Lagos last week, she told a meeting of port workers that few ships would dock there this winter.",
     "she", "told", "that few ships would dock there this winter", "indirect"),
    # a participle after a reported clause goes on with what was said, unless it is a report
    ("The airline said it had cancelled 40 flights, affecting about 5,000 passengers.", "The airline", "said",
     "it had cancelled 40 flights, affecting about 5,000 passengers", "indirect"),
    ("The mayor said the bridge would reopen in May, contradicting the council's claim that it was unsafe.",
     "The mayor", "said", "the bridge would reopen in May", "indirect"),
    # a participle after a reported report is the reporter's, unless the reporter comes last
    ("Senator Ann Perdue said she did not believe the ads had hurt him, arguing that divisions in the party were the bigger hurdle.",
     "Senator Ann Perdue", "arguing", "that divisions in the party were the bigger hurdle", "indirect"),
    ("The union told members that it believes the offer is fair, saying that the firm cannot pay more.",
     "The union", "saying", "that the firm cannot pay more", "indirect"),
    ("Her neighbours have mocked the plan, calling it a folly, Ms Grant said.", "Her neighbours", "calling", "it a folly", "indirect"),
    # a dateline the parser made the subject is no speaker: the name after its dash is
    ("LONDON (Reuters) - Ana Ruiz said she would not resign over the report.", "Ana Ruiz", "said",
     "she would not resign over the report", "indirect"),
    ("New York (AFP) – Vice President Tom Hale on Monday hit the campaign trail, attacking the governor as unqualified.",
     "Vice President Tom Hale", "attacking", "the governor as unqualified", "indirect"),
    ("SPRINGFIELD, Ill. - Sen. Ana Ruiz on Saturday unveiled her budget.", "Sen. Ana Ruiz", "unveiled", "her budget", "indirect"),
    # an occasion does not speak: whoever holds it, makes it or owns it does
    ("The mayor gave a long speech on Monday attacking the budget.", "The mayor", "attacking", "the budget", "indirect"),
    ("Senator Mary Walsh's speech denouncing the tax drew loud applause.", "Senator Mary Walsh", "denouncing", "the tax", "indirect"),
    ("Fans of the show have taken out an advert in an attempt to persuade the network not to cancel it.", "Fans of the show",
     "persuade", "the network not to cancel it", "indirect"),
    # quote marks written as two apostrophes are quote marks
    ("But the new bridge ''has been a failure,'' Mr. Dorn said.", "Mr. Dorn", "said", "But the new bridge ''has been a failure", "partial"),
    # issuing is a cue when what is issued is something said
    ("The coach issued clear instructions to his players.", "The coach", "issued", "clear instructions to his players", "indirect"),
    ("Ms Reed voiced her concerns about the plan.", "Ms Reed", "voiced", "her concerns about the plan", "indirect"),
    # the preposition of "call for" marking an infinitive clause: the clause is the content, not the preposition
    ("Labour MPs have called for him to resign.", "Labour MPs", "called for", "him to resign", "indirect"),
    ("Campaigners are pushing for the law to be changed.", "Campaigners", "pushing for", "the law to be changed", "indirect"),
    ("The union made the case that the depot should stay open.", "The union", "made the case", "that the depot should stay open",
     "indirect"),
    # a statement or letter put out by someone: its participle reports, for the one who put it out
    ("The firm issued a statement saying it would appeal.", "The firm", "saying", "it would appeal", "indirect"),
    ("Ms Cole sent a letter urging councillors to reject the plan.", "Ms Cole", "urging", "councillors to reject the plan", "indirect"),
    ("A statement saying the talks had failed was read out.", "A statement", "saying", "the talks had failed", "indirect"),
    # a second complement the parser conjoined to the cue verb is part of the content
    ('The council issued a statement calling the test "a clear breach and in open defiance" of its rules.', "The council", "calling",
     'the test "a clear breach and in open defiance" of its rules', "partial"),
]


@pytest.mark.parametrize("text,speaker,cue,content,kind", MUST_FIND)
def test_must_find(claims_of, text, speaker, cue, content, kind):
    full, claims = claims_of(text)
    c = find(claims, content)
    assert c is not None, [x["content_text"] for x in claims]
    assert c["speaker_text"] == speaker
    assert c["cue_text"] == cue
    assert c["kind"] == kind
    for p in ("speaker", "cue", "content"):
        if c[f"{p}_start"] is not None:
            assert full[c[f"{p}_start"]:c[f"{p}_end"]] == c[f"{p}_text"]


MUST_NOT_FIND = [
    # perception, outcome and forecast verbs are not cues (no one is said to have said it)
    "The governor is seen as the favourite in the race.",
    "Its film division saw profits slump 27% in the year.",
    "The company showed profits of four million pounds.",
    "The club's win at the weekend proves that it can beat anyone.",  # an outcome proves nothing anyone said
    "The plan to build a new bridge was approved in May.",  # nobody's promise
    "The problem is that nobody came.",  # no cue noun
    "The deal is expected to close in the spring.",
    "The expected rise in sales did not come.",
    "A late goal saw the home side leading as the match entered its final minutes.",
    "The world number two then showed his strength in the final set.",
    "The bridge was closed for repairs on Monday.",
    "The company said goodbye to its old headquarters.",  # an object that is no content
    "She walked to the station and took the first train.",
    "The museum holds the largest collection of maps in the region.",
    "The train was supposed to arrive at noon.",  # an obligation, not a report
    "The family enjoyed the concert in the park.",  # enjoying is no statement
    "It is certain that prices will rise.",  # nobody's belief
    "Make sure that the doors are locked.",
    "The voters made a clear choice in the spring.",  # 'make' without its cue phrase
    "The rain made it clear and cold by noon.",
    "“The bridge is closed for the winter.” Workers left the site on Monday.",  # a quote closed by a period
    "The so-called “peace plan,” the mayor walked away from it.",  # a short quote with no cue verb after it
    "The charity, called Hope for Leeds, opened a new shop.",  # a name, not a call for anything
    "Many clubs survived by offering family-friendly activities.",  # giving what is not said
    "As he left the room, the crowd cheered.",  # an 'as' clause without a cue
    "The senator slid in the polls after the debate.",  # the polls at large are no source
    "The vote was close. It shows the public do not care.",  # an outcome, not a document speaking
    "The city issued bonds to pay for the new bridge.",  # issuing what is not said
    "The actor will voice a talking horse in the film.",  # voice acting, not voicing a view
    "The museum is open to the public on Sundays.",  # open hours, not an open mind
    "Thousands of graduates are seeking work in the city.",  # seeking a thing is no statement
    "The club must answer a charge of misconduct.",  # answering a charge, not saying an answer
    "Firms must disclose their fees to customers.",  # disclosing figures, not a disclosure that ...
    "Most members voted for the new chairman.",  # a vote is an act, not a statement
    "Demand for ice cream rose in the heatwave.",  # demand in the market, not a statement
    "From the hill there is a fine view of the city centre.",  # a view of a place is no opinion voiced
    "Let's say you earn forty thousand pounds a year.",  # a supposition, nobody's report
    "Let us focus on how the money is spent.",
    "Lawyers made the case in court on Monday.",  # "make the case" reports only with its clause
]

# the first claim is the only one: no other report is read into the sentence
ONLY_CLAIM = [
    # a passive participle opening the sentence: the speaker was asked, by nobody named
    ("Asked about the vote, the mayor said it was fair.", ("the mayor", "said", "it was fair")),
    # a participle the parser made the subject: the speaker is the name after it
    ("Alarmed by the unrest in Ohio, Senator Paul Reyes, the minority leader, said that he spoke with Mr. Tate on Tuesday.",
     ("Senator Paul Reyes", "said", "that he spoke with Mr. Tate on Tuesday")),
    # the first clause parsed as the cue's complement: its subject goes on to speak
    ("Kasich jokingly offered the man a job, then says he will welcome advice from anyone.",
     ("Kasich", "says", "he will welcome advice from anyone")),
]


@pytest.mark.parametrize("text", MUST_NOT_FIND)
def test_must_not_find(claims_of, text):
    assert claims_of(text)[1] == []


@pytest.mark.parametrize("text,claim", ONLY_CLAIM)
def test_only_claim(claims_of, text, claim):
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims_of(text)[1]] == [claim]


def test_a_closing_cue_is_no_content_of_the_verb_before_it(claims_of):
    # the parser hangs "the court was told" on "found" as its clause
    _, claims = claims_of("Officers found the two men handling unsealed ballot papers in an empty warehouse during a night raid "
                          "in May 2003, the tribunal was told. The votes were counted later.")
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims] == [
        (None, "told", "Officers found the two men handling unsealed ballot papers in an empty warehouse during a night raid in May 2003")]


@pytest.mark.parametrize("text", [
    "He told the story he had heard as a child in Lagos.",
    "She said at the hearing she chaired on Monday.",
    "He told reporters on the day he won the election.",
])
def test_relative_clause_with_a_gap_is_no_content(claims_of, text):
    """A relative clause after a cue verb's object or occasion that lacks its object ("the
    story he had heard") or is about a time ("the day he won") is no reported clause."""
    _, claims = claims_of(text)
    assert not [c for c in claims if c["content_text"].startswith(("he ", "she "))], claims


@pytest.mark.parametrize(("text", "speaker", "verb", "content"), [
    ("The water board said in a statement that the lake was safe for swimming.", "The water board", "said", "that the lake was safe for swimming"),
    ("Mr Okafor wrote in a letter to members that the club would be sold.", "Mr Okafor", "wrote", "that the club would be sold"),
    ("The Port Authority said in a statement that Ms Dalby was wrong about the costs.", "The Port Authority", "said", "that Ms Dalby was wrong about the costs"),
    ("Police said in a statement that two men were arrested.", "Police", "said", "that two men were arrested"),
])
def test_said_in_a_statement(claims_of, text, speaker, verb, content):
    """The speaking happens in the cue noun: whether the parser hangs the clause on the
    verb or on the noun, the verb's subject is the speaker and the cue starts at the verb."""
    _, claims = claims_of(text)
    c = find(claims, content)
    assert c is not None, claims
    assert c["speaker_text"] == speaker and c["cue_text"].startswith(verb)
    assert len(claims) == 1


def test_according_to(claims_of):
    _, claims = claims_of("The fire started in the kitchen, according to the fire brigade.")
    c = find(claims, "The fire started in the kitchen")
    assert c is not None and c["cue_text"] == "according to" and c["speaker_text"] == "the fire brigade"


def test_according_to_covers_conjoined_clauses(claims_of):
    _, claims = claims_of("The plant closed in May and the workers moved to the city, according to the union.")
    c = find(claims, "The plant closed in May and the workers moved to the city")
    assert c is not None and c["speaker_text"] == "the union"


def test_according_to_closing_a_sentence_covers_the_sentence(claims_of):
    # the phrase hangs on the second clause ("while ..."), but reports the whole sentence
    _, claims = claims_of("Anna Berg has raised two million euros from donors, while Tom Reyes has raised six million, "
                          "according to the election office.")
    c = find(claims, "Anna Berg has raised two million euros from donors, while Tom Reyes has raised six million")
    assert c is not None and (c["speaker_text"], c["cue_text"]) == ("the election office", "according to")


def test_report_inside_a_content_is_not_a_claim_of_its_own(claims_of):
    _, claims = claims_of("The mayor said the council believes the plan will fail.")
    assert [(c["speaker_text"], c["content_text"]) for c in claims] == [("The mayor", "the council believes the plan will fail")]


def test_a_hedged_report_is_the_report(claims_of):
    _, claims = claims_of("Unions for the staff have reportedly expressed fears that 300 jobs would move to London.")
    assert [(c["speaker_text"], c["cue_text"], c["method"]) for c in claims] == [("Unions for the staff", "expressed", "cue_verb")]
    assert "300 jobs would move to London" in claims[0]["content_text"]
    _, claims = claims_of("The minister reportedly resigned on Friday.")
    assert [(c["cue_text"], c["speaker_type"]) for c in claims] == [("reportedly", "anonymous")]


def test_according_to_on_a_reported_clause(claims_of):
    _, claims = claims_of("The two delegates pledged to support the senator, according to the party.")
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims] == [
        ("the party", "according to", "The two delegates pledged to support the senator")]


def test_participial_cue(claims_of):
    _, claims = claims_of("The mayor resigned on Friday, saying that she had lost the trust of the council.")
    c = find(claims, "that she had lost the trust of the council")
    assert c is not None and c["cue_text"] == "saying" and c["speaker_text"] == "The mayor"


def test_quote_run_around_the_cue_is_one_content(claims_of):
    text = "“The water is safe to drink,” said Tom Reed. “We tested it twice this week.”"
    full, claims = claims_of(text)
    c = find(claims, "The water is safe to drink,” said Tom Reed. “We tested it twice this week")
    assert c is not None and c["kind"] == "direct" and c["speaker_text"] == "Tom Reed"
    assert find(claims, "We tested it twice this week.") is None


def test_cue_before_a_colon_opens_only_the_quote_after_it(claims_of):
    text = ("He argued: “The subject may be too political for a judge to touch.” "
            "He told the MPs: “Anything that undermines the courts worries me.”")
    full, claims = claims_of(text)
    told = [c for c in claims if c["cue_text"] == "told"]
    assert len(told) == 1 and told[0]["content_text"] == "Anything that undermines the courts worries me"
    argued = [c for c in claims if c["cue_text"] == "argued"]
    assert len(argued) == 1 and "too political" in argued[0]["content_text"] and "Anything" not in argued[0]["content_text"]


@pytest.mark.parametrize("text, cue, content", [
    ('Tom Reyes said: "The bridge is closed. It will stay closed." Anna Berg, the mayor, said, "We will reopen it in May."',
     "said", "We will reopen it in May"),
    ("“The budget is a fantasy.” She adds, “Nobody believes these numbers.”", "adds", "Nobody believes these numbers"),
])
def test_cue_before_a_comma_after_a_whole_quote_opens_only_the_quote_after_it(claims_of, text, cue, content):
    full, claims = claims_of(text)
    last = [c for c in claims if c["cue_text"] == cue and c["cue_start"] > full.index(".")]
    assert [c["content_text"] for c in last] == [content]


@pytest.mark.parametrize("text", [
    "“We will get justice in this case,” Tulsa police Chief Mark Doyle said Monday.",
    # the paragraph before makes the parser lose the verb's subject
    "The county is investigating the fire.\n“I can only make this promise to you: We will achieve justice in this town,” "
    "Tulsa police Chief Chuck Morgan said Monday.",
])
def test_quote_then_a_name_then_the_cue(claims_of, text):
    _, claims = claims_of(text)
    said = [c for c in claims if c["cue_text"] == "said"]
    assert len(said) == 1 and said[0]["content_text"].endswith(("We will get justice in this case", "We will achieve justice in this town")), claims
    assert said[0]["speaker_name"] is not None and said[0]["speaker_name"].endswith(("Doyle", "Morgan"))


@pytest.mark.parametrize("text,content", [
    ("In an interview on the BBC's “Sunday Politics Hour,” the council leader said the bridge would reopen in May.",
     "the bridge would reopen in May"),
    ("On Tuesday's episode of “The Morning Desk With Ann Cole,” the mayor said the budget was balanced.", "the budget was balanced"),
    ("The charity is also taking part in “Clean Streets Day,” a day on which volunteers say they will pick up litter.",
     "they will pick up litter"),
])
def test_quoted_title_after_a_preposition_is_no_quote(claims_of, text, content):
    """The name of a show or an event in quote marks, after a preposition or a possessive,
    is nobody's words, even with a speaker and a cue after it."""
    _, claims = claims_of(text)
    assert [c["content_text"] for c in claims] == [content]


def test_quoted_words_after_as_are_still_speech(claims_of):
    _, claims = claims_of("The mayor described the plan as “Dead On Arrival,” aides said.")
    assert any("Dead On Arrival" in c["content_text"] for c in claims), claims


def test_quote_takes_the_cue_whose_phrase_holds_it(claims_of):
    """A participle opening the sentence is a cue of its own; the quote is what the
    verb it leads to says."""
    _, claims = claims_of("Lamenting their luck, fishermen in the town often say, “Poor harbour, so far from the sea and so close to the motorway.”")
    c = find(claims, "Poor harbour, so far from the sea and so close to the motorway")
    assert c is not None and (c["speaker_text"], c["cue_text"]) == ("fishermen in the town", "say"), claims


def test_quote_run_goes_on_after_an_interruption(claims_of):
    text = "“We tested the water twice,” said Tom Reed on the radio show “Morning Call” on Monday. “It is safe to drink.”"
    full, claims = claims_of(text)
    assert len(claims) == 1
    c = claims[0]
    assert c["content_text"].startswith("We tested the water twice") and c["content_text"].endswith("It is safe to drink")
    assert c["speaker_text"] == "Tom Reed" and c["kind"] == "direct"


def test_quote_across_paragraphs(claims_of):
    text = ("Lena Ortiz, the head of the clinic, described the night. “We had no power for six hours.\n\n"
            "“The nurses worked by torchlight until the generators came back,” she said.")
    full, claims = claims_of(text)
    spans = [(c["content_start"], c["content_end"]) for c in claims]
    whole = full.index("We had no power")
    assert any(s <= whole and full[s:e].endswith("generators came back") for s, e in spans), [c["content_text"] for c in claims]


def test_colon_and_dash_layouts(claims_of):
    _, claims = claims_of("Anna Berg: “The schools must stay open this winter.”")
    c = find(claims, "The schools must stay open this winter")
    assert c is not None and c["speaker_text"] == "Anna Berg" and c["cue_text"] == ":"
    _, claims = claims_of("“The schools must stay open this winter” – Anna Berg")
    c = find(claims, "The schools must stay open this winter")
    assert c is not None and c["speaker_text"] == "Anna Berg" and c["cue_text"] == "–"


_VOICES = ("We asked voters what they thought of the debate.\n\n"
           "Laura Mendes ― “Honestly, I was bored. Neither of them answered a question about housing.”\n\n"
           "Peter Okafor, 34 – ”It changed my mind. I will vote for the first time this year.”")

# Layouts of a quote or a paragraph and its speaker: (text, content, fields of its claim).
LAYOUTS = [
    # voices given as "Name – “...”", also with the quote opened by the closing mark
    (_VOICES, "Honestly, I was bored. Neither of them answered a question about housing",
     {"speaker_text": "Laura Mendes", "cue_text": "―", "kind": "direct"}),
    (_VOICES, "It changed my mind. I will vote for the first time this year",
     {"speaker_text": "Peter Okafor", "cue_text": "–", "kind": "direct"}),
    # a lead-in with a comma before the quote
    ("“We have waited for years,” said Ruth Adler, a farmer from the valley.\n\n"
     "She continued, “For us, the farmers of this valley, all we ask for is water next season.”",
     "For us, the farmers of this valley, all we ask for is water next season",
     {"speaker_text": "She", "cue_text": "continued", "speaker_name": "Ruth Adler"}),
    # a block quote without marks after a lead-in ending in a colon: that paragraph only
    ("The governor spoke to the press on Monday.\n\nThe governor added:\n\n"
     "It is typical of the council. They know nothing about the harbour.\n\nThen the meeting ended.",
     "It is typical of the council. They know nothing about the harbour",
     {"speaker_text": "The governor", "cue_text": "added", "kind": "direct"}),
    # headlines: a source noun, a name the parser did not recognise (read as a common noun),
    # proper nouns opening the article
    ("Poll: Reyes and Berg tied in the race for mayor.\n\nA new poll shows the two candidates level.",
     "Reyes and Berg tied in the race for mayor", {"speaker_text": "Poll", "cue_text": ":"}),
    ("Holt: “Never underestimate the voters.”\n\nTom Holt has some advice for his party.",
     "Never underestimate the voters", {"speaker_text": "Holt", "cue_text": ":", "speaker_name": "Tom Holt"}),
    ("Holt: My housing plans are not set in stone.\n\nThe mayor spoke on Monday.",
     "My housing plans are not set in stone", {"speaker_text": "Holt", "cue_text": ":"}),
    # a sentence of a speaker and a cue that says nothing of its own, then the quote
    ("The count went on into the night.\n\nAna Ruiz, the communications director for the party, said in a statement. "
     "“There are no paper ballots to recount. The caucuses were a unique event.”\n\nThe rival campaign disagreed.",
     "There are no paper ballots to recount. The caucuses were a unique event", {"speaker_text": "Ana Ruiz", "cue_text": "said"}),
    # ... also after a quote of someone else that ended its sentence
    ("Savers are wary of the banks.\n\n\"People have to deposit their money in the banks because crime is so high.\" "
     "Mr Valentine, who was born in the United States, agreed. \"If I have to save pesos there is not much problem, but I "
     "will think twice before I deposit dollars.\"\n\nThe rest is history.",
     "If I have to save pesos there is not much problem, but I will think twice before I deposit dollars",
     {"speaker_text": "Mr Valentine", "cue_text": "agreed"}),
    # a participle before the quote whose clause the parser hung on a verb inside the quote
    ("The row grew on Wednesday as more councillors joined in.\n\nTom Weaver did not seem impressed with the comments on "
     "Tuesday, telling reporters, “A lot of people said the governor should step down.”\n\nThe campaign did not reply.",
     "A lot of people said the governor should step down", {"speaker_text": "Tom Weaver", "cue_text": "telling"}),
    # a lead-in ending in a colon: its own verb (not one inside the quote), its subject (not a name
    # a few words before the colon), also before a quote opened with two apostrophes
    ("The row grew on Wednesday as more councillors joined in.\n\nCouncillor Lee Zeldin gave the idea a try in an interview "
     "with the BBC on Tuesday: “You can easily argue that the mayor is to blame for the flooding.”\n\nThe row went on.",
     "You can easily argue that the mayor is to blame for the flooding", {"speaker_text": "Councillor Lee Zeldin", "cue_text": "gave"}),
    ("The row grew on Wednesday as more councillors joined in.\n\nCouncillor Lee Zeldin gave the idea a try in an interview "
     "on Tuesday: ''The mayor is to blame for the flooding of the old town.''\n\nThe row went on.",
     "The mayor is to blame for the flooding of the old town", {"speaker_text": "Councillor Lee Zeldin", "cue_text": "gave"}),
    ("The show went on air at nine.\n\nThe host continued: “They are demanding this, and the moderator knows what happened "
     "to his rival.”\n\nThen the lights went out.", "They are demanding this, and the moderator knows what happened to his rival",
     {"speaker_text": "The host", "cue_text": "continued"}),
    # a quote paragraph signed in the next one
    ("Voters had their say after the speech.\n\n“The whole idea of a crooked candidate is something we hear about all the "
     "time, and it needs to stop.”\n\n-Michelle Marks, Philadelphia.\n\nThe polls open on Tuesday.",
     "The whole idea of a crooked candidate is something we hear about all the time, and it needs to stop",
     {"speaker_text": "Michelle Marks", "cue_text": "-"}),
    # a run of quotes around its cue is one content, also with two apostrophes for marks
    ("The debate went on into the evening.\n\n''The tax is not the sole factor,'' Mr. Hale continued, ''but it is something of "
     "a missing link.''\n\nThe room fell quiet.",
     "The tax is not the sole factor,'' Mr. Hale continued, ''but it is something of a missing link",
     {"speaker_text": "Mr. Hale", "cue_text": "continued"}),
]


@pytest.mark.parametrize("text,content,fields", LAYOUTS)
def test_layouts(claims_of, text, content, fields):
    _, claims = claims_of(text)
    c = find(claims, content)
    assert c is not None and {k: c[k] for k in fields} == fields, [x["content_text"] for x in claims]


# Look-alikes of those layouts: (text, a cue no claim may have; None: no claim at all).
NOT_LAYOUTS = [
    ("The mayor has one goal – “a city where nobody sleeps on the street,” as she puts it.", "–"),  # a dash in a sentence
    ("The crowd was silent. As the band played, “nobody wants to leave this square” was written on a banner.", "played"),
    ("The names of the arrested men follow:\n\nJohn Smith, 45, of Leeds, and Tom Reyes, 51, of York.", None),  # no report verb
    ("Breaking news: the harbour is closed.", None),  # a label that names no source
    # a report inside a quote nobody is said to have spoken is no claim of whom it reports
    ("The match ended level after a long afternoon.\n\n“Anna was always hopeful about the club. She said nothing was perfect "
     "but the fans were loyal.”\n\nThe next game is on Saturday.", "said"),
    ("The comments on Tuesday drew anger from the opposition benches.", "comments on"),  # a date is no content
    ("“We will open the new library in the spring.”\n\n- Free parking for all visitors.", "-"),  # a list, not a signature
]


@pytest.mark.parametrize("text,cue", NOT_LAYOUTS)
def test_not_layouts(claims_of, text, cue):
    _, claims = claims_of(text)
    assert claims == [] if cue is None else all(c["cue_text"] != cue for c in claims)


def test_lead_in_with_a_colon_before_a_quote_paragraph(claims_of):
    _, claims = claims_of("The mayor spoke to reporters on Monday. She added:\n\n“The bridge will be rebuilt before the winter comes.”")
    c = find(claims, "The bridge will be rebuilt before the winter comes")
    assert c is not None and c["speaker_text"] == "She" and c["cue_text"] == "added" and c["kind"] == "direct"


def test_dash_layout_without_space_or_entity(claims_of):
    _, claims = claims_of("“The mayor must stop insulting the workers who keep this city running.”― Ana Ruiz.")
    c = find(claims, "The mayor must stop insulting the workers who keep this city running")
    assert c is not None and c["speaker_text"] == "Ana Ruiz" and c["cue_text"] == "―"


def test_no_claim_for_a_cue_inside_a_direct_quote(claims_of):
    _, claims = claims_of("“I think the vote will be close,” said Maria Lopez.")
    assert [c["cue_text"] for c in claims] == ["said"]


def test_speaker_resolution(claims_of):
    text = ("Russian President Vladimir Putin spoke in Moscow on Monday. The Russian President said the talks had failed. "
            "He added that new talks were possible.\n\n"
            "Hugh Hill, a doctor, said the hospital was full. The doctor said more staff were needed.")
    _, claims = claims_of(text)
    by_content = {c["content_text"]: c for c in claims}
    assert by_content["the talks had failed"]["speaker_name"] == "Vladimir Putin"
    assert by_content["that new talks were possible"]["speaker_text"] == "He"
    assert by_content["that new talks were possible"]["speaker_name"] == "Vladimir Putin"
    assert by_content["the hospital was full"]["speaker_text"] == "Hugh Hill"
    assert by_content["more staff were needed"]["speaker_name"] == "Hugh Hill"


@pytest.mark.parametrize("text,expected", [
    ("He said “we will win” and left.", ["we will win"]),
    ("He said «we will win» and left.", ["we will win"]),
    ("He said „we will win“ and left.", ["we will win"]),
    ("He said ''we will win'' and left.", ["we will win"]),
    ("He said \"we will win\" and left.", ["we will win"]),
    ("A stray “mark here.\n\nThe next paragraph has “a real quote” in it.", ["a real quote"]),
    # a quote opened with the closing mark, at the start of a paragraph or after a colon or dash
    ("”We will win,” he said.\n\nHe said: ”we will win” and left.", ["We will win", "we will win"]),
    ("Ana Ruiz – ”we will win”", ["we will win"]),
    # a quote closed with the opening mark after a word
    ("He said: “the rate is 51 percent.“\n\nNext.", ["the rate is 51 percent"]),
    # a closing mark elsewhere opens nothing
    ("He said ”we will win” and left.", []),
])
def test_quote_marks(text, expected):
    assert [text[s:e] for s, e in quote_spans(text)] == expected


# A small hand-annotated set (written for these tests): (text, [(speaker, cue, content)]).
GOLD = [
    ("The city council voted on Tuesday to close the old library. Mayor Jane Holt said the building was no longer safe. "
     "“We have no choice,” she said. Residents argued that the library could be repaired for less money.",
     [("Mayor Jane Holt", "said", "the building was no longer safe"), ("she", "said", "We have no choice"),
      ("Residents", "argued", "the library could be repaired for less money")]),
    ("Prices for bread rose by ten percent in March, according to the statistics office. "
     "Bakers blamed the cost of flour. The finance minister told parliament that prices would fall by summer.",
     [("the statistics office", "according to", "Prices for bread rose by ten percent in March"),
      ("The finance minister", "told", "prices would fall by summer")]),
    ("Tom Reed, a spokesman for the port, said that two ships had been delayed by the storm. "
     "He expects the harbour to reopen on Friday. The shipping company wants to avoid further delays.",
     [("Tom Reed", "said", "two ships had been delayed by the storm"), ("He", "expects", "the harbour to reopen on Friday"),
      ("The shipping company", "wants", "to avoid further delays")]),
    ("The opposition leader accused the government of hiding the report. "
     "“This is a cover-up,” said Karin Lund, who leads the opposition. Officials denied that any report had been hidden.",
     [("The opposition leader", "accused", "the government of hiding the report"), ("Karin Lund", "said", "This is a cover-up"),
      ("Officials", "denied", "any report had been hidden")]),
    ("The river flooded three villages overnight. Rescue teams reached the area in the morning. "
     "Scientists fear that such floods will become more common, and the regional government promised to build new dams.",
     [("Scientists", "fear", "such floods will become more common"), ("the regional government", "promised", "to build new dams")]),
]


def _words(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


def test_score_floor(nlp):
    anns = run(nlp, [t for t, _ in GOLD])
    tp = tp_triple = n_pred = n_gold = 0
    for ann, (_, gold) in zip(anns, GOLD):
        preds = ann.claims
        n_pred += len(preds)
        n_gold += len(gold)
        used = set()
        for speaker, cue, content in gold:
            g = _words(content)
            for k, p in enumerate(preds):
                w = _words(p["content_text"])
                if k in used or len(g & w) * 2 < len(g) or len(g & w) * 2 < len(w):
                    continue
                used.add(k)
                tp += 1
                tp_triple += p["cue_text"] == cue and (p["speaker_text"] or "") == speaker
                break
    precision, recall = tp / n_pred, tp / n_gold
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.90, (precision, recall)
    assert tp_triple / n_gold >= 0.90


def test_transcript_layout(claims_of):
    _, claims = claims_of("Local radio interviewed the mayor on Monday.\n\nHOLT: The budget will be balanced by next spring.")
    c = find(claims, "The budget will be balanced by next spring")
    assert c is not None and c["speaker_text"] == "HOLT" and c["cue_text"] == ":"


def test_quoted_transcript_layout(claims_of):
    _, claims = claims_of('A partial transcript follows:\n\n"HOLT: What did you make of the budget?\n\n'
                          '"MARSH: Well, the question really should be why the plan was late."')
    c = find(claims, "Well, the question really should be why the plan was late.")
    assert c is not None and c["speaker_text"] == "MARSH" and c["cue_text"] == ":", claims


def test_quote_after_a_short_direct_quote_goes_on_with_its_report(claims_of):
    text = ("Ann Reed watched the count on Monday.\n\n“It is over,” she said of the election, in which she was "
            "sure the senator would win by a wide margin in every county of the state and the whole country would "
            "at last see the truth about the years of waste. “In my head, anyway.”")
    c = next((c for c in claims_of(text)[1] if "In my head, anyway" in c["content_text"]), None)
    assert c is not None and (c["speaker_text"], c["speaker_name"], c["cue_text"]) == ("she", "Ann Reed", "said"), claims_of(text)[1]


def test_noun_cue(claims_of):
    _, claims = claims_of("His claim that the mine was safe turned out to be false.")
    c = find(claims, "that the mine was safe")
    assert c is not None and c["cue_text"] == "claim" and c["speaker_text"] == "His"


def test_noun_cue_with_a_prepositional_content(claims_of):
    _, claims = claims_of("Anna Berg's criticism of the new budget was sharp.")
    c = find(claims, "the new budget")
    assert c is not None and c["cue_text"] == "criticism of" and c["speaker_text"] == "Anna Berg"


def test_demand_with_a_that_clause_is_a_noun_cue(claims_of):
    _, claims = claims_of("The regulator's demand that the show be pulled angered its fans.")
    c = find(claims, "that the show be pulled")
    assert c is not None and c["cue_text"] == "demand" and c["speaker_text"] == "The regulator"


def test_belief_noun_with_a_that_clause(claims_of):
    _, claims = claims_of("Her suspicion that the vote was rigged proved wrong.")
    c = find(claims, "that the vote was rigged")
    assert c is not None and c["cue_text"] == "suspicion" and c["speaker_text"] == "Her"


def test_noun_cue_voiced_by_the_subject(claims_of):
    _, claims = claims_of("The senator made the claim that taxes would fall.")
    c = find(claims, "that taxes would fall")
    assert c is not None and c["cue_text"] == "claim" and c["speaker_text"] == "The senator"
    _, claims = claims_of("The senator rejected the claim that taxes would fall.")
    c = find(claims, "that taxes would fall")
    assert c is None or c["speaker_text"] != "The senator"


def test_possessive_speaker_without_s(claims_of):
    _, claims = claims_of("Mr. Holt's warning that the dam could break came too late.")
    c = find(claims, "that the dam could break")
    assert c is not None and c["speaker_text"] == "Mr. Holt"


def test_inserted_cue_stops_before_a_comment_on_the_speaker(claims_of):
    text = "The harbour will not reopen before June, said Anna Berg, a spokeswoman who works for the port."
    _, claims = claims_of(text)
    c = find(claims, "The harbour will not reopen before June")
    assert c is not None and c["speaker_text"] == "Anna Berg", [x["content_text"] for x in claims]


def test_second_cue_hung_on_the_reported_clause(claims_of):
    """"She said she admires X and praised Y": the parser hangs "praised" on the reported
    clause; it is the speaker's second report, not part of the first content."""
    _, claims = claims_of("She said she admires his courage and praised their shared goals.")
    got = sorted((c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims)
    assert got == [("She", "praised", "their shared goals"), ("She", "said", "she admires his courage")]
    _, claims = claims_of("She said she admires his courage and wants to meet him.")
    assert [c["content_text"] for c in claims] == ["she admires his courage and wants to meet him"]


def test_according_to_in_the_middle_and_before_an_aside(claims_of):
    _, claims = claims_of("But, according to the survey, most parents drive their children to school.")
    c = find(claims, "most parents drive their children to school")
    assert c is not None and c["speaker_text"] == "the survey", [x["content_text"] for x in claims]
    _, claims = claims_of("The new tax would raise two billion euros a year, according to the treasury - a small part of the budget.")
    c = find(claims, "The new tax would raise two billion euros a year")
    assert c is not None and c["speaker_text"] == "the treasury", [x["content_text"] for x in claims]


def test_quote_goes_on_with_the_report_before_it(claims_of):
    """A quote opening the sentence after a report of the same paragraph is more of what
    the speaker said: one content when the words in between are few."""
    _, claims = claims_of("But the new bridge ''has been a failure,'' Mr. Dorn said. ''Nobody wants to use it anymore.''")
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims] == [
        ("Mr. Dorn", "said", "But the new bridge ''has been a failure,'' Mr. Dorn said. ''Nobody wants to use it anymore")]


def test_quote_after_an_indirect_report_is_a_claim_of_its_own(claims_of):
    """A quote after a report in the speaker's own words is what the same speaker said, with
    the same cue, but not one content with the report: the report is indirect, the quote
    direct."""
    _, claims = claims_of('The council leader, Mary Obi, said the depot would close in March. "We have no money left. '
                          'The budget is gone."')
    assert [(c["speaker_text"], c["cue_text"], c["content_text"], c["kind"]) for c in claims] == [
        ("Mary Obi", "said", "the depot would close in March", "indirect"),
        ("Mary Obi", "said", "We have no money left. The budget is gone", "direct")]


def test_quote_after_a_second_report_keeps_the_speaker(claims_of):
    """"“A,” she said, adding that B. “C.”": C is hers too, with the cue of A."""
    _, claims = claims_of("“The plan is dead,” Lena Ortiz said, adding that the council had voted against it. "
                          "“Nobody wants it anymore.”")
    c = find(claims, "Nobody wants it anymore")
    assert c is not None and (c["speaker_text"], c["cue_text"]) == ("Lena Ortiz", "said"), claims


def test_quote_after_a_report_with_a_quoted_word_is_the_speakers(claims_of):
    """A quote after a report that only quotes a word ("referring to the “cross-sell”
    drive") is no more of that report's content: it is a claim of its own, with the
    speaker and cue of her quote before it."""
    _, claims = claims_of("“This is wrong,” Ms Berg said. “You cut jobs to lift the share price” and your own pay, she said, "
                          "referring to the “cross-sell” drive. “You went on TV to blame the staff.”")
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims] == [
        ("Ms Berg", "said", "This is wrong"),
        ("she", "said", "“You cut jobs to lift the share price” and your own pay"),
        ("she", "referring to", "the “cross-sell” drive"),
        ("she", "said", "You went on TV to blame the staff")]


def test_first_words_of_a_quote_are_no_subject_of_its_cue(claims_of):
    """"''That, sadly,'' the coach said, ''is ...''": the parser makes "That" a second
    subject of "said"; the speaker is the coach and the quote is one content."""
    _, claims = claims_of("''That, sadly,'' the coach said, ''is what happens when you stop running.''")
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims] == [
        ("the coach", "said", "That, sadly,'' the coach said, ''is what happens when you stop running.''")]


def test_speaker_after_a_quote_keeps_its_possessive(claims_of):
    """'“A!” the mayor's niece, Anna Berg, shouted': the niece speaks, not the mayor."""
    _, claims = claims_of("“This is a big day for our town!” the mayor's niece, Anna Berg, shouted to the crowd.")
    assert [(c["speaker_text"], c["speaker_name"], c["cue_text"]) for c in claims] == [
        ("the mayor's niece", "Anna Berg", "shouted")]


def test_appearance_gives_way_to_the_quote_inside_it(claims_of):
    """"X appeared tired, saying: “...”": the quote with its own cue is the claim, not an
    appearance that swallows it; a report with "is said to" stays a claim of its own."""
    _, claims = claims_of('Ms Dale, 71, appeared not to have enjoyed her time in the jungle saying: "I\'m a wreck, '
                          'I need a vacation, this was hell". But she was pleased.')
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims] == [
        ("Ms Dale", "saying", "I'm a wreck, I need a vacation, this was hell")]
    _, claims = claims_of("Mr Hale is said to have told colleagues that he would resign.")
    assert [(c["method"], c["cue_text"]) for c in claims] == [("raising", "said")]


def test_quote_after_a_long_interruption_keeps_the_speaker(claims_of):
    """When the speaker's description between the two parts is long, the second quote is
    a content of its own, with the speaker and cue of the report before it."""
    text = ("“Rents are too high,” said Ana Ruiz, a former organizer for the tenants union of the northern districts "
            "of the city who now runs a small food bank near the old harbour and a shelter for families. "
            "“Nobody can pay them.”")
    _, claims = claims_of(text)
    c = find(claims, "Nobody can pay them")
    assert c is not None, [x["content_text"] for x in claims]
    assert c["speaker_text"] == "Ana Ruiz" and c["cue_text"] == "said"


@pytest.mark.parametrize("text", [
    # a quote inside a sentence of its own is not a continuation of the report before
    "The mayor said the plan was sound. As the union put it, the plan is ''a gift to the developers of the city.''",
    # the speaker's second report in between: the quote is not merged into the first
    "“The plan is dead,” she said, adding that the council had voted against it. “Nobody wants it anymore.”",
])
def test_quote_not_merged_with_the_report_before(claims_of, text):
    _, claims = claims_of(text)
    first = min(claims, key=lambda c: c["content_start"])
    assert "anymore" not in first["content_text"] and "developers" not in first["content_text"]


def test_according_to_at_the_end_of_a_paragraph(claims_of):
    _, claims = claims_of("Some 40 percent of parents said they drive their children to school, according to a survey published in May.\n\n"
                          "The city plans new bus lines.")
    c = find(claims, "Some 40 percent of parents said they drive their children to school")
    assert c is not None and c["speaker_text"] == "a survey" and c["cue_text"] == "according to", [x["content_text"] for x in claims]


@pytest.mark.parametrize("text,content,speaker", [
    ("Mr Holt was told that the permit had been refused.", "that the permit had been refused", None),  # the hearer
    ("The minister was accused of misleading parliament.", "misleading parliament", None),  # the target
    ("The mayor was told by officials that the bridge was unsafe.", "that the bridge was unsafe", "officials"),
    ("The actor was quoted as saying that the film was his best.", "that the film was his best", "The actor"),
])
def test_the_subject_of_a_passive_cue_is_not_the_speaker(claims_of, text, content, speaker):
    c = find(claims_of(text)[1], content)
    assert c is not None and c["speaker_text"] == speaker, claims_of(text)[1]


def test_according_to_a_pronoun_inside_a_report(claims_of):
    """"X noted that A, according to him, B": the pronoun is X, whose report already says
    who; "according to him" makes no claim of its own."""
    _, claims = claims_of("The minister blamed the unions for the strike, noting that the new offer does not include, "
                          "according to him, any cut in wages.")
    assert not any(c["cue_text"] == "according to" for c in claims), [(c["speaker_text"], c["content_text"]) for c in claims]
    assert any(c["cue_text"] == "noting" and c["speaker_text"] == "The minister" for c in claims)


def test_quote_paragraph_goes_on_with_the_speaker_before(claims_of):
    """A paragraph that is only a quote, right after a quote paragraph with a speaker and
    a cue: the same speaker goes on, and the claim takes that speaker and cue."""
    for text in ("“The bridge is not safe,” Ana Ruiz said.\n\n“Nobody should drive over it until the engineers have checked every beam.”",
                 "“The bridge is not safe,” said Ana Ruiz, the head of the council. “We will close it on Monday.”\n\n"
                 "“Nobody should drive over it until the engineers have checked every beam.”"):
        _, claims = claims_of(text)
        c = find(claims, "Nobody should drive over it until the engineers have checked every beam")
        assert c is not None and (c["speaker_text"], c["cue_text"], c["kind"]) == ("Ana Ruiz", "said", "direct"), claims
    # a paragraph of narration in between: no speaker is carried over
    _, claims = claims_of("“The bridge is not safe,” Ana Ruiz said.\n\nThe council met on Monday.\n\n"
                          "“Nobody should drive over it until the engineers have checked every beam.”")
    c = find(claims, "Nobody should drive over it until the engineers have checked every beam")
    assert c is None or (c["cue_text"], c["speaker_text"], c["speaker_name"], c["speaker_type"]) == (None, None, None, "unknown")
    # the same with a speaker the NER knows: still nobody's (narration came between)
    _, claims = claims_of("“The bridge is not safe,” Angela Merkel said.\n\nThe council met on Monday.\n\n"
                          "“Nobody should drive over it until the engineers have checked every beam.”")
    assert find(claims, "The bridge is not safe")["speaker_name"] == "Angela Merkel"
    c = find(claims, "Nobody should drive over it until the engineers have checked every beam")
    assert c is None or (c["cue_text"], c["speaker_text"], c["speaker_name"], c["speaker_type"]) == (None, None, None, "unknown")


@pytest.mark.parametrize("between", ["speaking of the mayor’s health", "referring to the new budget"])
def test_quote_goes_on_past_what_the_speaker_spoke_of(claims_of, between):
    """"“A,” said X, speaking of Y. “B.”": saying what the quote was about is no second
    report; B goes on with A in one content, with X's cue, and "speaking of" is no claim."""
    _, claims = claims_of(f"“This is in their heads. It worries them,” said Tom Caddell, {between}. "
                          "“It is one of the things that keep them awake.”")
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims] == [
        ("Tom Caddell", "said", f"This is in their heads. It worries them,” said Tom Caddell, {between}. "
                                "“It is one of the things that keep them awake")]
    # a second report in between ("adding that ...") still keeps the quotes apart
    _, claims = claims_of("“This is in their heads,” said Tom Caddell, adding that the staff had noticed it. "
                          "“It is one of the things that keep them awake.”")
    assert find(claims, "This is in their heads") is not None and find(claims, "that the staff had noticed it") is not None


def test_a_noun_phrase_misparsed_as_a_clause_before_the_cue_is_no_content(nlp):
    """"CSI's co-producer, Carla Mendes, said the episode would ...": spaCy can make the
    description a clause before "said" (headed by the noun "-"); the content is the
    clause after the cue, not the description."""
    from spacy.tokens import Doc

    from presspack.claims.cues import content_child

    rows = [  # word, head, dep, tag, pos: the parse spaCy gave for such a sentence
        ("CSI", 2, "poss", "NNP", "PROPN"), ("'s", 0, "case", "POS", "PART"), ("co", 3, "nsubj", "NN", "NOUN"),
        ("-", 9, "ccomp", "NN", "NOUN"), ("producer", 3, "punct", "NN", "NOUN"), (",", 9, "punct", ",", "PUNCT"),
        ("Carla", 7, "compound", "NNP", "PROPN"), ("Mendes", 9, "nsubj", "NNP", "PROPN"), (",", 7, "punct", ",", "PUNCT"),
        ("said", 9, "ROOT", "VBD", "VERB"), ("the", 11, "det", "DT", "DET"), ("episode", 13, "nsubj", "NN", "NOUN"),
        ("would", 13, "aux", "MD", "AUX"), ("darken", 9, "ccomp", "VB", "VERB"), (".", 9, "punct", ".", "PUNCT"),
    ]
    words, heads, deps, tags, pos = (list(col) for col in zip(*rows))
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=pos, lemmas=[w.lower() for w in words[:9]] + ["say"] + [w.lower() for w in words[10:]])
    found = content_child(doc[9])
    assert found is not None and found[0].text == "darken"


def test_speaker_description_misparsed_as_a_clause(claims_of):
    """"Name, a Town, State, rabbi helping ..., said ...": the parser may read the
    description as a clause before the cue; the name is still the speaker and the clause
    after the cue the content."""
    _, claims = claims_of("Jacob Stern, a Miami, Fla., rabbi helping to organize the vigil, said he and other rabbis were alarmed about the attacks.")
    assert [(c["speaker_text"], c["cue_text"], c["content_text"]) for c in claims] == [
        ("Jacob Stern", "said", "he and other rabbis were alarmed about the attacks")]


def test_participle_of_a_speech_verb_ends_the_content(claims_of):
    """", telling a paper that ...": a second report, not part of the first content, also
    when the parser hung what follows on the first cue."""
    _, claims = claims_of("The mayor said he had no plans to resign, telling a local paper that “we fixed the roads, we cut the taxes” "
                          "and that voters were happy.")
    c = find(claims, "he had no plans to resign")
    assert c is not None and c["speaker_text"] == "The mayor" and c["cue_text"] == "said", [x["content_text"] for x in claims]
    assert any(x["cue_text"] == "telling" for x in claims)
    assert not any("telling" in x["content_text"] for x in claims)


@pytest.mark.parametrize(("text", "content"), [
    ("The mayor said that the bridge would reopen in May.", "that the bridge would reopen in May"),
    ("Reporters asked whether the mayor would run again.", "whether the mayor would run again"),
    ("The mayor said the bridge would reopen in May.", "the bridge would reopen in May"),  # no complementizer
    ("The mayor said that was the end of it.", "that was the end of it"),  # "that" is the subject
    ("The coach said: \u201cWe will win.\u201d", "We will win"),  # a quote keeps its marks out
])
def test_a_content_takes_in_its_complementizer(claims_of, text, content):
    """A reported clause starts at its "that", "whether" or "if" (as PARC 3.0 and PolNeAR
    draw a content); nothing else moves its start."""
    _, claims = claims_of(text)
    assert [c["content_text"] for c in claims] == [content]
    full = claims[0]
    assert text[full["content_start"]:full["content_end"]] == content


def test_pronoun_goes_on_with_the_subject_of_the_sentences_before(claims_of):
    """"But she was pleased with actress X. "A," she said.": the pronoun continues the
    person the sentences before were about (their subjects, through a pronoun), not the
    woman named last in an object."""
    text = ("Ann Reed, 71, has become the first contestant to leave the island show. "
            "Reed appeared tired after three weeks in the camp. "
            "But she was pleased to have made peace with actress Jo Hale, her former sister-in-law. "
            "\u201cThat alone was worth the trip,\u201d she said.")
    _, claims = claims_of(text)
    c = find(claims, "That alone was worth the trip")
    assert c is not None and c["speaker_text"] == "she" and c["speaker_name"] == "Ann Reed", claims


@pytest.mark.parametrize("text", [
    # a rank before a role of two words: the deputy is not the prime minister
    "Deputy Prime Minister Ana Ruiz hosted the dinner on Friday. The prime minister said the talks had gone well.",
    # a role only near the name, not right before it, is not given to it
    "Critics said the prime minister should sack Mr Tom Hale after the vote. The prime minister said the plan was sound.",
    # the speaker's own rank: the shadow home secretary is not the home secretary
    "Home Secretary Ann Reed announced the plan on Monday. The shadow home secretary said it would fail.",
])
def test_a_role_goes_only_to_whom_the_article_gives_that_role(claims_of, text):
    _, claims = claims_of(text)
    last = max(claims, key=lambda c: c["content_start"])
    assert last["speaker_text"].lower().startswith("the ") and last["speaker_name"] is None, claims
