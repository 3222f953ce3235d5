"""Exact, fast re-implementation of better_profanity 0.7.0's matching rules (private helper).

better_profanity expands every listed word into its leetspeak variants (``VaryingString``: each
character may be written as any member of its ``CHARS_MAPPING`` entry, e.g. "a" as "@", "*" or
"4") and walks the text character by character, re-scanning the next words at every word end.
That costs ~0.4 ms per character. The rules it implements are, precisely:

* a *token* is a maximal run of its ``ALLOWED_CHARACTERS`` (ASCII letters and digits, ``@ $ * " '``
  and ~5 800 alphabetic Unicode characters); everything else separates tokens;
* a token matches when its ``str.lower()`` is a variant of a listed word (whole token only, so
  "Scunthorpe" and "assessment" never match);
* a token followed by a separator also matches together with up to ``max_words`` next tokens
  (the largest number of separator characters in any listed word, 5 for the default list): the
  concatenation with no separators ("f u c k ..." -> "fuck") or with the separators as written
  ("blow job", "s-h-i-t") is looked up, shortest first;
* quirks kept on purpose: nothing matches when the first token starts at the text's last
  character, and a one-character token at the very end of the text is never a "next word"
  (so "f u c k" alone is not caught, "f u c k off" is).

Here the listed words sit in a character trie and a token is fed through it as a small
non-deterministic automaton (a text character may stand for several word characters: "*" for any
vowel, "l" for "l" or "i"), so no variant is ever expanded. Token states are memoised.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

_TERMINAL = ""  # trie key holding a terminal node's tags (no character is the empty string)
_CACHE_LIMIT = 50_000

Node = dict


@dataclass(frozen=True, slots=True)
class WordMatch:
    start: int
    end: int
    tags: frozenset[str]


class WordMatcher:
    """Listed words (each with tags saying which lists it came from) matched the better_profanity way."""

    def __init__(
        self,
        words: Mapping[str, Collection[str]],
        char_map: Mapping[str, Iterable[str]],
        allowed_characters: Collection[str],
    ) -> None:
        self._mask = _Mask(frozenset(allowed_characters))
        # reverse of the character map: which word characters a text character may stand for
        reverse: dict[str, set[str]] = {}
        for word_char, written in char_map.items():
            for text_char in written:
                reverse.setdefault(text_char, set()).add(word_char)
        for text_char, word_chars in reverse.items():
            if text_char not in char_map:  # an unmapped word character is only ever written as itself
                word_chars.add(text_char)
        self._reverse = {c: "".join(sorted(ws)) for c, ws in reverse.items()}
        self._root: Node = {}
        self.max_words = 1  # better_profanity starts at 1 and raises it to the most separators in a word
        for word, tags in words.items():
            word = word.lower()
            node = self._root
            for char in word:
                node = node.setdefault(char, {})
            node[_TERMINAL] = frozenset(node.get(_TERMINAL, frozenset())) | frozenset(tags)
            self.max_words = max(self.max_words, sum(char not in allowed_characters for char in word))
        self._cache: dict[str, tuple[list[Node], frozenset[str]]] = {}

    def contains(self, text: str) -> bool:
        """The answer better_profanity's ``contains_profanity`` gives for the same word list."""
        return next(self.matches(text), None) is not None

    def matches(self, text: str, active: Collection[str] | None = None) -> Iterator[WordMatch]:
        """Every match in reading order, as better_profanity censors them (tokens inside a
        multi-word match are consumed). ``active`` restricts terminals to words with one of
        those tags (None: any)."""
        tokens = self.tokens(text)
        if not tokens or tokens[0][0] >= len(text) - 1:
            return
        # a one-character token at the very end is never a "next word" (better_profanity quirk)
        followers = tokens[:-1] if tokens[-1][0] >= len(text) - 1 else tokens
        k = 0
        while k < len(tokens):
            start, end = tokens[k]
            states, tags = self._lookup(text[start:end].lower())
            if states:
                if end < len(text):  # followed by a separator: try the next words first
                    found = self._combination(text, followers, k, active)
                    if found is not None:
                        last, tags = found
                        yield WordMatch(start, followers[last][1], tags)
                        k = last + 1
                        continue
                tags = _active(tags, active)
                if tags:
                    yield WordMatch(start, end, tags)
            k += 1

    def tokens(self, text: str) -> list[tuple[int, int]]:
        """Spans of better_profanity's tokens (runs of its allowed characters)."""
        # one translate marks token characters "a" and separators " "; splitting the mask on " "
        # gives the runs in C (no regex at all: a class of ~5 900 code points cost ~0.5 µs a character)
        spans, position = [], 0
        for run in text.translate(self._mask).split(" "):
            if run:
                spans.append((position, position + len(run)))
                position += len(run) + 1
            else:
                position += 1
        return spans

    def lookup(self, word: str, active: Collection[str] | None = None) -> frozenset[str]:
        """Tags of the listed word ``word`` is a variant of (empty when none); ``word`` is lowercased."""
        return _active(self._lookup(word.lower())[1], active)

    def _lookup(self, lowered: str) -> tuple[list[Node], frozenset[str]]:
        """Trie states after reading `lowered` (empty: no listed word starts so), and the tags of
        the words it completes. Memoised: common words and repeated runs cost one dict lookup."""
        found = self._cache.get(lowered)
        if found is None:
            states = self._feed([self._root], lowered)
            found = (states, _terminal_tags(states))
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[lowered] = found
        return found

    def clear_cache(self) -> None:
        self._cache.clear()

    def _combination(
        self, text: str, followers: list[tuple[int, int]], k: int, active: Collection[str] | None
    ) -> tuple[int, frozenset[str]] | None:
        """Index of the last token of the shortest multi-word match starting at token k, with its tags."""
        start, previous_end = followers[k]
        # the chains (joined, and with their separators) advance from the trie states already
        # reached, so each further token costs only its own characters
        joined = spaced = self._lookup(text[start:previous_end].lower())[0]
        for index in range(k + 1, min(k + 1 + self.max_words, len(followers))):
            start, end = followers[index]
            tags: frozenset[str] = frozenset()
            if joined:
                joined = self._feed(joined, text[start:end].lower())
                tags |= _active(_terminal_tags(joined), active)
            if spaced:
                spaced = self._feed(spaced, text[previous_end:end].lower())
                tags |= _active(_terminal_tags(spaced), active)
            if tags:
                return index, tags
            if not joined and not spaced:
                return None
            previous_end = end
        return None

    def _feed(self, states: list[Node], chars: str) -> list[Node]:
        reverse = self._reverse
        for char in chars:
            following = []
            for node in states:
                for word_char in reverse.get(char, char):
                    child = node.get(word_char)
                    if child is not None:
                        following.append(child)
            if not following:
                return following
            states = following  # a trie: distinct nodes have distinct children, no duplicates arise
        return states


def _terminal_tags(states: list[Node]) -> frozenset[str]:
    tags: frozenset[str] = frozenset()
    for node in states:
        tags |= node.get(_TERMINAL, frozenset())
    return tags


def _active(tags: frozenset[str], active: Collection[str] | None) -> frozenset[str]:
    return tags if active is None or not tags else tags.intersection(active)


class _Mask(dict):
    """str.translate table: better_profanity's allowed characters to "a", all others to " "."""

    def __init__(self, allowed: frozenset[str]) -> None:
        super().__init__((code, "a" if chr(code) in allowed else " ") for code in range(0x250))
        self._allowed = allowed

    def __missing__(self, code: int) -> str:
        value = "a" if chr(code) in self._allowed else " "
        if len(self) < _CACHE_LIMIT:  # a post of rare characters must not grow it without bound
            self[code] = value
        return value
