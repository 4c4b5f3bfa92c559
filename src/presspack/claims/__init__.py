"""Claims (who said what): finders propose candidates, one assembler builds the rows.

Finders (the rules over the dependency parse of the Doc the build made; the lexicon is
data, in data/cues.toml): reporting verbs with a clausal complement, a direct object, an
infinitive, an object predicate or a prepositional object as content (also in conjunction
and participial form, "..., stressing that ..."); cues inserted in their content ("That,
he argued, is why ...") or in an 'as' clause ("As the mayor said, ..."); "according to
X"; evidential adverbs ("reportedly"); findings "in a new poll"; quoted speech with a
nearby speaker, colon and dash layouts, headlines and transcripts (`NAME: ...`), block
quotes after "X added:". Each returns `Candidate`s (candidates.py): spans and the
finder's name, nothing resolved. The assembler (assemble.py) takes an article's
candidates in any order and, in text order, merges quote continuations, drops nested
reports and duplicates, resolves each speaker (resolve.py: entity, type, role) and builds
each row once (rows.py, its columns from schemas/claims.schema.json).

Modules, in the engine's flow: extract.py (the finders, claim_rows) > verbs.py (cue
verbs), predicates.py (raising and passive verbs, attitude adjectives, cue nouns),
phrases.py ("according to", "reportedly", "in a poll"), layouts.py (transcripts, block
quotes, the speaker of a quote) > assemble.py > resolve.py, rows.py > agreement.py (the
words resolution reads: genders, speaker nouns) > speakers.py (the speaker as written) > cues.py (the lexicon) > candidates.py > syntax.py >
quotes.py. Each imports only modules after it, so there is no cycle. targets.py (the
claim_entities rows) stands apart. spaCy itself is imported inside the two functions
that need an attribute id (LEMMA): it takes about a second to load, and importing
presspack.claims (as the build does for targets.py before any NLP) must not load it.
"""

from presspack.claims.candidates import Candidate
from presspack.claims.cues import lexicon
from presspack.claims.extract import claim_rows, quote_claim_rows, rule_candidates
from presspack.claims.quotes import quote_spans
from presspack.claims.resolve import Speaker, SpeakerResolver

__all__ = ["Candidate", "Speaker", "SpeakerResolver", "claim_rows", "lexicon", "quote_claim_rows", "quote_spans",
           "rule_candidates"]
