"""Claims (who said what): rules over the dependency parse of the Doc the build made.

Patterns (the lexicon is data, in data/cues.toml): reporting verbs with a clausal
complement, a direct object, an infinitive, an object predicate or a prepositional
object as content (also in conjunction and participial form, "..., stressing that ...");
cues inserted in their content ("That, he argued, is why ...") or in an 'as' clause ("As
the mayor said, ..."); "according to X"; evidential adverbs ("reportedly"); findings "in
a new poll"; quoted speech with a nearby speaker, colon and dash layouts, headlines and
transcripts (`NAME: ...`), block quotes after "X added:"; runs of quotes around an
interrupting cue, also across paragraphs.

Modules, in the engine's flow: extract.py runs the rules over a Doc (claim_rows,
quote_claim_rows); verbs.py (cue verbs), predicates.py (raising and passive verbs,
attitude adjectives, cue nouns), phrases.py ("according to", "reportedly", "in a poll")
and layouts.py (transcripts, block quotes, the speaker of a quote) are the rules; rows.py
builds a row (its columns from schemas/claims.schema.json) and makes the last pass;
speakers.py finds a cue's speaker and resolves it to an entity; cues.py holds the lexicon,
which tokens are cues and where their content sits; syntax.py small parse and span
helpers; quotes.py pairs quote marks. targets.py (the claim_entities rows) stands apart.
Each module imports only from modules after it in this order, so there is no cycle:
extract > verbs, predicates, phrases, layouts > rows > speakers > cues > syntax > quotes.
spaCy itself is imported inside the two functions that need an attribute id (LEMMA): it
takes about a second to load, and importing presspack.claims (as the build does for
targets.py before any NLP) must not load it.
"""

from presspack.claims.cues import lexicon
from presspack.claims.extract import claim_rows, quote_claim_rows
from presspack.claims.quotes import quote_spans
from presspack.claims.speakers import SpeakerResolver

__all__ = ["SpeakerResolver", "claim_rows", "lexicon", "quote_claim_rows", "quote_spans"]
