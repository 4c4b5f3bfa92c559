"""The corpus-wide quotation index: every mention (the quoted words of a claim) in a
private SQLite database on disk (package.spill.ScratchDB), clustered without comparing
all pairs.

- A form is a distinct word sequence; a node is what may become a quotation on its own:
  a form of SHINGLE (8) words or more, or a shorter form together with its resolved
  speaker (else its article), so that two people saying "no comment" stay apart.
- Nodes of 8 words or more are joined when they share a shingle (a run of 8 consecutive
  words): postings (shingle hash, node) in hash partitions on disk, each sorted alone
  (quotations.shingles), each shared shingle giving edges to its first node; union-find
  over node numbers.
- A node of MIN_FRAGMENT (5) to 7 words with a resolved speaker joins the quotation
  whose forms attributed to that speaker contain its words, when exactly one quotation
  does (hash windows of the speakers' long forms against the fragments' hashes, numpy).
- Then a node of MIN_SHORT (2) to 4 words whose mentions all have one resolved speaker
  is a fragment of the quotation whose forms of 5 words or more attributed to that
  speaker contain its words, when exactly one quotation does and no other quotation
  holds them, whoever said them (a phrase many people use is no evidence). It does not
  join it: it stays a quotation of its own that records the longer one (table
  `fragof`, written as quotations.fragment_of), since 2 to 4 words are too few to say
  that two articles quote the same thing. One-word quotes are never fragments.

Memory: the union-find array (8 bytes per node), the fragments' hash keys (16 or 32 bytes
per fragment, at most KEY_CHUNK fragments at once), one batch of forms, and one quotation's mentions
while its row is assembled; everything else is on disk.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np

from presspack.package.spill import ScratchDB
from presspack.quotations import words as W
from presspack.quotations.shingles import HashPartitions

BATCH = 4096
CACHE_KB = 16_384  # SQLite page cache of the index (KiB): bounded; the default 2 MB made every lookup in a large index a read
KEY_CHUNK = 2_000_000  # fragments whose keys are held at once (16 bytes a key, 2 for 2-4 words); more: sources scanned again
# fragments of 5 to 7 words: the node's tag is its speaker
FRAGMENTS = "SELECT nid, fh, nw, substr(tag, 3) AS skey FROM nodes WHERE tag LIKE 's:%' AND nid > ? ORDER BY nid"
# fragments of 2 to 4 words: nodes of one article whose mentions all have the same resolved speaker
SHORT_FRAGMENTS = (f"SELECT n.nid, n.fh, n.nw, min(m.skey) AS skey FROM nodes n JOIN mentions m ON m.node = n.nid "
                   f"WHERE n.nw BETWEEN {W.MIN_SHORT} AND {W.MIN_FRAGMENT - 1} AND n.nid > ? GROUP BY n.nid "
                   f"HAVING count(m.skey) = count(*) AND min(m.skey) = max(m.skey) ORDER BY n.nid")
DDL = (
    "CREATE TABLE arts (aid TEXT PRIMARY KEY, source TEXT, published TEXT) WITHOUT ROWID",
    # forms in the order they are first seen (rows appended, not scattered by hash), found by their key
    "CREATE TABLE forms (fid INTEGER PRIMARY KEY, fh INTEGER NOT NULL, nw INTEGER NOT NULL, words TEXT NOT NULL, display TEXT NOT NULL, "
    "hashes BLOB NOT NULL)",
    "CREATE UNIQUE INDEX forms_key ON forms (fh, nw)",
    "CREATE TABLE mentions (mid INTEGER PRIMARY KEY, aid TEXT NOT NULL, skey TEXT, sname TEXT, fh INTEGER NOT NULL, nw INTEGER NOT NULL, tag TEXT NOT NULL, node INTEGER)",
    "CREATE TABLE nodes (nid INTEGER PRIMARY KEY, fh INTEGER NOT NULL, nw INTEGER NOT NULL, tag TEXT NOT NULL, nm INTEGER, root INTEGER, variant TEXT, "
    "fid INTEGER NOT NULL)",
    "CREATE TABLE hits (fnid INTEGER NOT NULL, root INTEGER NOT NULL, anyone INTEGER NOT NULL)",
    "CREATE TABLE qids (root INTEGER PRIMARY KEY, qid TEXT NOT NULL)",
    # short fragments: the fragment's quotation (its root) and the root of the quotation it is part of; that one's quotation_id
    "CREATE TABLE fragof (root INTEGER PRIMARY KEY, of_root INTEGER NOT NULL)",
    "CREATE TABLE fragof_qid (root INTEGER PRIMARY KEY, qid TEXT NOT NULL)",
)
# the order of a quotation's mentions, earliest first: the first one's form gives the quotation_id
MENTION_ORDER = "a.published IS NULL, a.published, m.aid, m.mid"


ANYONE = np.uint64(0x9E3779B97F4A7C15)  # the "speaker" of a fragment's words alone, whoever said them


def speaker_hash(key: str) -> np.uint64:
    return np.uint64(int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8, person=b"speaker").digest(), "little"))


def node_tag(nw: int, skey: str | None, aid: str) -> str:
    """'' for a form of 8 words or more; else the speaker ('s:key') for a form of 4 to 7
    words with a resolved speaker, or the article ('a:id')."""
    if nw >= W.SHINGLE:
        return ""
    return f"s:{skey}" if skey and nw >= W.MIN_FRAGMENT else f"a:{aid}"


def quotation_id(words: str, tag: str) -> str:
    """`q` + 16 hex digits of the SHA-256 of the anchor node's words (and tag)."""
    key = words if not tag else f"{words}\x1f{tag}"
    return "q" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class UnionFind:
    """Disjoint sets over 1..n; the root of a set is its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent = array("q", range(n + 1))

    def find(self, x: int) -> int:
        p = self.parent
        root = x
        while p[root] != root:
            root = p[root]
        while p[x] != root:
            p[x], x = root, p[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


class QuotationIndex:
    """Mentions in, clusters out. add_articles / add_mentions while the tables are read,
    then cluster(), then quotations() and claim_links()."""

    def __init__(self) -> None:
        self.db = ScratchDB(*DDL)
        self.db.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        self.hasher = W.WordHasher()
        self.uf: UnionFind | None = None

    def close(self) -> None:
        self.db.close()

    def add_articles(self, rows: list[tuple[str, str | None, str | None]]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO arts VALUES (?, ?, ?)", rows)

    def add_mentions(self, rows: Iterator[tuple[int, str, str | None, str | None, str, str]]) -> None:
        """(row number in claims, article_id, speaker_key, speaker_name, content, kind)."""
        forms, mentions = [], []
        for mid, aid, skey, sname, content, kind in rows:
            pieces = W.quoted_pieces(content, kind)
            ws = W.normalize(pieces)
            if not ws:
                continue
            hs = self.hasher(ws)
            fh = W.to_signed(W.seq_hash(hs))
            display = W.PIECE_GAP.join(p.strip() for p in pieces)
            forms.append((fh, len(ws), " ".join(ws), display, hs.tobytes()))
            mentions.append((mid, aid, skey, sname, fh, len(ws), node_tag(len(ws), skey, aid)))
        self.db.executemany("INSERT OR IGNORE INTO forms (fh, nw, words, display, hashes) VALUES (?, ?, ?, ?, ?)", forms)
        self.db.executemany("INSERT INTO mentions (mid, aid, skey, sname, fh, nw, tag) VALUES (?, ?, ?, ?, ?, ?, ?)", mentions)
        self.db.commit()

    def cluster(self) -> None:
        """Nodes, shingle joins, fragment joins; the root of every node written back."""
        db = self.db
        db.execute("INSERT INTO nodes (fh, nw, tag, nm, fid) SELECT g.fh, g.nw, g.tag, g.c, f.fid FROM (SELECT fh, nw, tag, count(*) AS c, "
                   "min(mid) AS m FROM mentions GROUP BY fh, nw, tag) g JOIN forms f ON f.fh = g.fh AND f.nw = g.nw ORDER BY g.m")
        db.execute("CREATE UNIQUE INDEX nodes_key ON nodes (fh, nw, tag)")
        db.execute("UPDATE mentions SET node = (SELECT nid FROM nodes n WHERE n.fh = mentions.fh AND n.nw = mentions.nw AND n.tag = mentions.tag)")
        db.execute("CREATE INDEX mentions_node ON mentions (node, skey)")  # covering: a node's speakers without reading its mentions
        db.commit()
        n = int(db.execute("SELECT count(*) FROM nodes").fetchone()[0])
        self.uf = UnionFind(n)
        self._shingles()
        self._write_roots()
        self._fragments(FRAGMENTS, "tag = ''")
        self._write_roots()
        self._fragments(SHORT_FRAGMENTS, "tag NOT LIKE 'a:%'", anyone=True)
        self._fragment_of()
        db.execute("CREATE TABLE canon (root INTEGER PRIMARY KEY, nid INTEGER NOT NULL)")  # read in root order without a sort
        db.execute("INSERT INTO canon SELECT root, nid FROM (SELECT root, nid, row_number() OVER "
                   "(PARTITION BY root ORDER BY nw DESC, nm DESC, nid) AS rn FROM nodes) WHERE rn = 1")
        db.commit()

    def _shingles(self) -> None:
        """Union the long nodes that share a shingle: their (shingle, node) pairs through
        hash partitions on disk (quotations.shingles), each node to the first of each
        shingle it shares."""
        db, uf = self.db, self.uf
        assert uf is not None
        total = db.execute(f"SELECT coalesce(sum(nw - {W.SHINGLE - 1}), 0) FROM nodes WHERE tag = ''").fetchone()[0]
        parts = HashPartitions(int(total))
        try:
            cur = db.execute("SELECT n.nid, f.hashes FROM nodes n JOIN forms f ON f.fid = n.fid WHERE n.tag = '' ORDER BY n.nid")
            while batch := cur.fetchmany(BATCH):
                win, owner = W.batch_windows([np.frombuffer(b, dtype=np.uint64) for _, b in batch], W.SHINGLE)
                parts.add(win, np.array([nid for nid, _ in batch], dtype=np.int64)[owner])
            for nodes, firsts in parts.edges():
                for a, b in zip(nodes, firsts, strict=True):
                    uf.union(a, b)
        finally:
            parts.close()

    def _write_roots(self) -> None:
        uf = self.uf
        assert uf is not None
        self.db.executemany("UPDATE nodes SET root = ? WHERE nid = ?", ((uf.find(i), i) for i in range(1, len(uf.parent))))
        self.db.commit()

    def _fragment_keys(self, sql: str, after: int, anyone: bool) -> tuple[np.ndarray, np.ndarray, list[int], int]:
        """Sorted keys (fragment hash XOR speaker hash) of at most KEY_CHUNK fragments of
        `sql` ((nid, fh, nw, speaker key) by nid) after node `after`, their node numbers
        (negative for the keys of the fragment's words alone, XOR ANYONE, when `anyone`),
        the fragment lengths present and the last node read."""
        keys, nids, lengths, last = array("Q"), array("q"), set(), after
        for nid, fh, nw, skey in self.db.execute(f"{sql} LIMIT ?", (after, KEY_CHUNK)):
            h = np.uint64(fh & W._MASK)
            keys.append(int(h ^ speaker_hash(skey)))
            nids.append(nid)
            if anyone:
                keys.append(int(h ^ ANYONE))
                nids.append(-nid)
            lengths.add(nw)
            last = nid
        k = np.frombuffer(keys, dtype=np.uint64) if keys else np.empty(0, dtype=np.uint64)
        order = np.argsort(k, kind="stable")
        return k[order], (np.frombuffer(nids, dtype=np.int64) if nids else np.empty(0, dtype=np.int64))[order], sorted(lengths), last

    def _fragments(self, fragments: str, sources: str, anyone: bool = False) -> None:
        """Join each fragment node of `fragments` (SQL: nid, fh, nw, its one resolved
        speaker, by nid, from node ?) to the one quotation with a source form (nodes
        `sources`, a condition on the tag of a node or mention) that the same speaker is quoted saying and that
        holds its words in a row (none, or several quotations: it stays on its own).
        With `anyone`, also no other quotation may hold its words, whoever said them (a
        phrase many people use is no evidence of one statement). A fragment joins
        nothing else, so it never links two quotations. The fragment keys are read
        KEY_CHUNK at a time, the sources scanned once per chunk."""
        db = self.db
        db.execute("DELETE FROM hits")
        db.execute(f"CREATE TEMP TABLE fspk AS SELECT DISTINCT skey FROM ({fragments})", (0,))
        db.execute("CREATE UNIQUE INDEX fspk_key ON fspk (skey)")
        # the mentions read in their order (a mention carries its node's tag), not looked up node by node
        db.execute("CREATE TEMP TABLE cs AS SELECT DISTINCT node AS nid, skey FROM mentions NOT INDEXED "
                   f"WHERE ({sources}) AND skey IN (SELECT skey FROM fspk)")
        db.execute("CREATE INDEX cs_nid ON cs (nid, skey)")
        after = 0
        while True:
            keys, nids, lengths, after = self._fragment_keys(fragments, after, anyone)
            if not len(keys):
                break
            if anyone:  # every source form, its speakers (if any) from cs by the index, in nid order
                cur = db.execute("SELECT n.root, f.hashes, (SELECT group_concat(skey, char(31)) FROM cs WHERE cs.nid = n.nid) FROM nodes n "
                                 f"JOIN forms f ON f.fid = n.fid WHERE ({sources})")
            else:  # speakers grouped first (in nid order, by the index); no ORDER BY, so that no sort carries the forms' hashes
                cur = db.execute("SELECT n.root, f.hashes, s.sk FROM (SELECT nid, group_concat(skey, char(31)) AS sk FROM cs GROUP BY nid) s "
                                 "JOIN nodes n ON n.nid = s.nid JOIN forms f ON f.fid = n.fid")
            while batch := cur.fetchmany(BATCH):
                self._fragment_hits(batch, keys, nids, lengths, anyone)
        db.execute("DROP TABLE cs")
        db.execute("DROP TABLE fspk")
        db.commit()
        uf = self.uf
        assert uf is not None
        joins = db.execute("SELECT fnid, min(root) FROM hits GROUP BY fnid HAVING count(DISTINCT root) = 1 AND min(anyone) = 0")
        while batch := joins.fetchmany(BATCH):
            if anyone:  # a short fragment: recorded, not joined
                db.executemany("INSERT INTO fragof (root, of_root) VALUES (?, ?)", [(uf.find(f), r) for f, r in batch])
                continue
            for fnid, root in batch:
                uf.union(fnid, root)
        db.commit()

    def _fragment_of(self) -> None:
        """The quotation_id of each quotation that a short fragment is part of: that of the
        form of its earliest mention (MENTION_ORDER, as quotation rows are assembled)."""
        db = self.db
        cur = db.execute("SELECT e.root, f.words, n.tag FROM (SELECT n.root, m.node, row_number() OVER (PARTITION BY n.root "
                         f"ORDER BY {MENTION_ORDER}) AS rn FROM nodes n JOIN mentions m ON m.node = n.nid LEFT JOIN arts a ON a.aid = m.aid "
                         "WHERE n.root IN (SELECT of_root FROM fragof)) e JOIN nodes n ON n.nid = e.node JOIN forms f ON f.fid = n.fid "
                         "WHERE e.rn = 1")
        while batch := cur.fetchmany(64):  # one row per quotation with fragments, its words included
            db.executemany("INSERT INTO fragof_qid VALUES (?, ?)", [(root, quotation_id(words, tag)) for root, words, tag in batch])
        db.commit()

    def _fragment_hits(self, batch: list[tuple[int, bytes, str | None]], keys: np.ndarray, nids: np.ndarray, lengths: list[int],
                       anyone: bool) -> None:
        """Record (fragment node, root, 0) for every window of the long forms in `batch`
        ((root, word hashes, its speakers)) that is a fragment of one of its speakers,
        and with `anyone` (fragment node, root, 1) for every window that is a fragment's
        words, whoever said them."""
        arrays = [np.frombuffer(b, dtype=np.uint64) for _, b, _ in batch]
        roots = np.array([r for r, _, _ in batch], dtype=np.int64)
        spk = [[speaker_hash(k) for k in (sk.split("\x1f") if sk else [])] + ([ANYONE] if anyone else []) for _, _, sk in batch]
        count = np.array([len(x) for x in spk], dtype=np.int64)
        first = np.cumsum(count) - count  # where each form's speakers start in `flat`
        flat = np.array([h for x in spk for h in x], dtype=np.uint64)
        for k in lengths:
            win, owner = W.batch_windows(arrays, k)
            if not len(win):
                continue
            reps = count[owner]
            rep_owner = np.repeat(owner, reps)
            within = np.arange(len(rep_owner)) - np.repeat(np.cumsum(reps) - reps, reps)
            probe = np.repeat(win, reps) ^ flat[first[rep_owner] + within]
            lo, hi = np.searchsorted(keys, probe, "left"), np.searchsorted(keys, probe, "right")
            hit = hi > lo
            if hit.any():  # every fragment with that key (the same words of one speaker in several articles), not the first only
                n = (hi - lo)[hit]
                at = np.repeat(lo[hit], n) + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
                found = nids[at]
                pairs = np.unique(np.stack([np.abs(found), np.repeat(roots[rep_owner[hit]], n), (found < 0).astype(np.int64)], axis=1), axis=0)
                self.db.executemany("INSERT INTO hits VALUES (?, ?, ?)", pairs.tolist())

    def node_words(self, nid: int) -> tuple[list[str], str, str]:
        words, display, tag = self.db.execute("SELECT f.words, f.display, n.tag FROM nodes n JOIN forms f ON f.fid = n.fid "
                                              "WHERE n.nid = ?", (nid,)).fetchone()
        return words.split(" "), display, tag

    def cluster_rows(self) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
        """(root, its mentions as (node, aid, skey, sname, source, published, mid)),
        quotations in the order of their first node, mentions earliest first."""
        cur = self.db.execute(
            "SELECT n.root, m.node, m.aid, m.skey, m.sname, a.source, a.published, m.mid FROM mentions m NOT INDEXED JOIN nodes n ON n.nid = m.node "
            f"LEFT JOIN arts a ON a.aid = m.aid ORDER BY n.root, {MENTION_ORDER}")
        group: list[tuple[Any, ...]] = []
        current = None
        while batch := cur.fetchmany(BATCH):
            for row in batch:
                if row[0] != current and group:
                    yield current, group  # type: ignore[misc]
                    group = []
                current = row[0]
                group.append(row[1:])
        if group:
            yield current, group  # type: ignore[misc]

    def canonical_rows(self) -> Iterator[tuple[int, int, str, str, str, str | None]]:
        """(root, node, words, display, tag, fragment_of) of every quotation's canonical form
        (most words, then most mentions, then first) and the quotation_id of the quotation
        it is a short fragment of (else None), in the order of cluster_rows."""
        cur = self.db.execute("SELECT c.root, c.nid, f.words, f.display, n.tag, o.qid FROM canon c JOIN nodes n ON n.nid = c.nid "
                              "JOIN forms f ON f.fid = n.fid LEFT JOIN fragof p ON p.root = c.root LEFT JOIN fragof_qid o ON o.root = p.of_root "
                              "ORDER BY c.root")
        while batch := cur.fetchmany(64):
            yield from batch

    def unmatched_fragments(self) -> int:
        """Short fragments whose fragment_of is not the quotation_id that their quotation's
        row got (0 unless the two derivations of an id disagree)."""
        return int(self.db.execute("SELECT count(*) FROM fragof p LEFT JOIN fragof_qid o ON o.root = p.of_root "
                                   "LEFT JOIN qids q ON q.root = p.of_root WHERE q.qid IS NOT o.qid").fetchone()[0])

    def record(self, root: int, qid: str, variants: dict[int, str]) -> None:
        self.db.execute("INSERT INTO qids VALUES (?, ?)", (root, qid))
        if variants:
            self.db.executemany("UPDATE nodes SET variant = ? WHERE nid = ?", [(v, k) for k, v in variants.items()])
        self.db.wrote()

    def claim_links(self) -> Iterator[tuple[int, str, str | None]]:
        """(claims row number, quotation_id, variant) in row order."""
        self.db.commit()
        cur = self.db.execute("SELECT m.mid, q.qid, n.variant FROM mentions m JOIN nodes n ON n.nid = m.node JOIN qids q ON q.root = n.root ORDER BY m.mid")
        while batch := cur.fetchmany(BATCH):
            yield from batch
