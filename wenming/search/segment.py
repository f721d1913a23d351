"""Chinese word segmentation for the search index: jieba plus the office's
own vocabulary (data/userdict.txt).

Documents and queries go through the same segmenter. A document also
carries the dictionary words found inside its longer words (新时代文明实践
→ 文明实践, 实践 …), so a query for a shorter word still finds it; a query
is cut into its longest words only, which keeps precision.
"""

import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

USER_DICT = Path(__file__).resolve().parent / "data" / "userdict.txt"
MAX_TOKEN = 64
MAX_QUERY = 200
MAX_TERMS = 32
# Runs of letters and digits. Underscores and punctuation separate words,
# as they do in SQLite's unicode61 tokenizer and PostgreSQL's parser, so
# each token reaches either database as exactly one word.
_WORD = re.compile(r"[^\W_]+")
_QUOTES = re.compile(r"[\"“”„]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """The jieba tokenizer, loaded once per process on first use (its
    dictionary takes about a second to load)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                tk.load_userdict(str(USER_DICT))
                _tokenizer = tk
    return _tokenizer


def _parts(word):
    for part in _WORD.findall(word.lower()):
        yield part[:MAX_TOKEN]


def _inner_words(tk, word):
    if len(word) < 3 or len(word) > 16 or word.isascii():
        return
    for n in range(2, len(word)):
        for i in range(len(word) - n + 1):
            piece = word[i:i + n]
            if tk.FREQ.get(piece):
                yield piece


def index_tokens(text):
    """Text → space-separated words for the full-text index."""
    tk = tokenizer()
    out = []
    for word in tk.cut(text or ""):
        for part in _parts(word):
            out.append(part)
            out.extend(_inner_words(tk, part))
    return " ".join(out)


def segment_pairs(pairs):
    """[(title, body), …] → [(title_tokens, body_tokens), …]; picklable for
    worker processes."""
    return [(index_tokens(t), index_tokens(b)) for t, b in pairs]


def query_words(text):
    tk = tokenizer()
    return [part for word in tk.cut(text or "") for part in _parts(word)]


@dataclass
class Phrase:
    text: str  # as it must appear, lower-cased
    words: list  # what the full-text index is asked for; the text is then checked


def _anchors(words):
    """The words of a phrase that the index is asked for (the phrase itself
    is then checked on the text). Single characters are left out: inside a
    longer text they are usually part of a longer word (评 in 测评标准), and
    the index holds only the dictionary words found inside longer ones."""
    return [w for w in words if len(w) >= 2] or words


@dataclass
class Query:
    terms: list = field(default_factory=list)
    phrases: list = field(default_factory=list)

    @property
    def words(self):
        """Every word the full-text index must hold, without repeats."""
        seen = dict.fromkeys(self.terms)
        for p in self.phrases:
            seen.update(dict.fromkeys(p.words))
        return list(seen)[:MAX_TERMS]

    @property
    def needles(self):
        """Strings to highlight: phrases and words, longest first."""
        found = {p.text for p in self.phrases} | set(self.terms)
        return sorted(found, key=len, reverse=True)

    def __bool__(self):
        return bool(self.words)


def parse_query(text):
    """A user's query: words, and phrases in "…" or “…” that must appear as
    written. Anything else that search engines treat as syntax (AND, *, -,
    parentheses) is plain text here; an unmatched quote is ignored."""
    text = _CONTROL.sub(" ", (text or "")[:MAX_QUERY])
    pieces = _QUOTES.split(text)
    query = Query()
    for i, piece in enumerate(pieces):
        quoted = i % 2 == 1 and i < len(pieces) - 1
        if not quoted:
            query.terms += [w for w in query_words(piece) if w not in query.terms]
            continue
        phrase = _CJK_GAP.sub("", " ".join(piece.split())).lower()
        words = query_words(phrase)
        if words:
            query.phrases.append(Phrase(phrase, _anchors(words)))
    return query
