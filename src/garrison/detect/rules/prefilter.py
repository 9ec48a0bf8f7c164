"""The literal prefilter of the streaming engine: which rules can possibly match an event.

Most events match no rule, and most rules need a literal in a text field to match: a
``contains`` value, or a string every match of a regex contains (``regex.required_literals``).
Each such need is an *atom*, "``literal`` occurs in the case-folded text of ``field``", or "the
event has a finding from ``detector``". Per event, one scan per field (Hyperscan, else
Aho-Corasick, else ``in`` for a handful of literals) finds the atoms present, and then:

- a rule runs only if one atom of its *need* is present: a set of atoms derived from its
  condition such that the rule cannot match without one (``and``: the most selective operand's;
  ``or``: the union of all operands'; under ``not``, or with an operand that needs nothing
  findable, there is none and the rule always runs);
- a check that needs literals (a regex, a glob) is skipped when none is present, and a
  case-insensitive ``contains`` check is answered from the scan alone.

It is exact: a case-folded literal of a test occurs in the case-folded text whenever the test
matches (``regex.fold`` maps character by character), so it never skips a rule that could
match; ``tests/detect/rules/test_prefilter.py`` runs the pack with and without it. This module
must never evaluate a rule's tests itself, nor log event content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, Literal

from garrison.detect.rules import condition as cond
from garrison.detect.rules.document import FieldSpec, Source
from garrison.detect.rules.matching import (
    WILD_MULTI,
    WILD_ONE,
    Check,
    ExistsTest,
    NumTest,
    RegexTest,
    StrTest,
    ValueTest,
)
from garrison.detect.rules.regex import NON_ASCII, fold, literal_cost, required_literals

if TYPE_CHECKING:
    from garrison.detect.rules.evaluate import EventView

Backend = Literal["auto", "hyperscan", "ahocorasick", "python"]
Need = frozenset[int] | None  # atoms one of which must be present; None: no such set
SMALL = 4  # up to this many literals in a field, ``in`` beats a scanner call
Hits = Callable[["EventView"], AbstractSet[int]]  # the atoms of one field found in an event
_NONE: frozenset[int] = frozenset()
_SEP = "\x00"  # between a field's texts: no literal contains NUL, so none spans two texts


def _hyperscan_scanner(literals: dict[str, int]) -> Callable[[str], set[int]]:
    import hyperscan

    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    items = list(literals.items())
    db.compile(
        expressions=[
            "".join(f"\\x{b:02x}" for b in s.encode("utf-8", "surrogatepass")).encode()
            for s, _ in items
        ],
        ids=[i for _, i in items],
        flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(items),
    )
    scan = db.scan

    def hyperscan_scan(text: str) -> set[int]:
        found: set[int] = set()
        add = found.add

        def on_match(id: int, start: int, end: int, flags: int, context: Any) -> None:
            add(id)

        # UTF-8 is self-synchronising: a literal's bytes occur in the text's bytes exactly when
        # the literal occurs in the text.
        scan(text.encode("utf-8", "surrogatepass"), match_event_handler=on_match)
        return found

    return hyperscan_scan


def _ahocorasick_scanner(literals: dict[str, int]) -> Callable[[str], set[int]]:
    import ahocorasick  # type: ignore[import-not-found]

    automaton = ahocorasick.Automaton()
    for s, i in literals.items():
        automaton.add_word(s, i)
    automaton.make_automaton()
    find = automaton.iter
    return lambda text: {i for _, i in find(text)}


def _python_scanner(literals: dict[str, int]) -> Callable[[str], set[int]]:
    pairs = tuple(literals.items())
    return lambda text: {i for s, i in pairs if s in text}


def make_scanner(literals: dict[str, int], backend: Backend) -> Callable[[str], AbstractSet[int]]:
    """A function giving the ids of ``literals`` (literal -> id) that occur in a text
    (``NON_ASCII``: any non-ASCII character)."""
    literals = dict(literals)
    non_ascii = literals.pop(NON_ASCII, None)
    if not literals:
        if non_ascii is None:
            return lambda text: _NONE
        only = frozenset({non_ascii})
        return lambda text: _NONE if text.isascii() else only
    scan = _scanner(literals, backend)
    if non_ascii is None:
        return scan

    def with_non_ascii(text: str) -> AbstractSet[int]:
        found = scan(text)
        return found if text.isascii() else {*found, non_ascii}

    return with_non_ascii


def _scanner(literals: dict[str, int], backend: Backend) -> Callable[[str], set[int]]:
    if backend == "python" or (backend == "auto" and len(literals) <= SMALL):
        return _python_scanner(literals)
    if backend in ("auto", "hyperscan"):
        try:
            return _hyperscan_scanner(literals)
        except ImportError:
            if backend == "hyperscan":
                raise
    return _ahocorasick_scanner(literals)


def _test_literals(test: ValueTest) -> frozenset[str] | None:
    """Case-folded strings one of which the field's folded text contains when ``test`` holds."""
    if isinstance(test, StrTest):
        if test.kind in ("eq", "prefix", "suffix", "contains"):
            text = test.text
        elif test.kind == "glob":
            runs = [p for p in test.parts if p not in (WILD_MULTI, WILD_ONE)]
            text = max(runs, key=len, default="")
        else:
            return None
        if not text:
            return None
        # A cased test sees the text as it is: its folded value is in the folded text.
        return frozenset({fold(text) if test.cased else text})
    if isinstance(test, RegexTest):
        found = required_literals(test.regex)
        if found is None or test.regex.ignore_case:
            return found
        return frozenset(fold(s) for s in found)
    return None


def _cost(atoms: frozenset[int], costs: dict[int, float]) -> float:
    return sum(costs[a] for a in atoms)


class Prefilter:
    """The atoms of a rule pack, and per field the scanner that finds which are present."""

    def __init__(self, backend: Backend = "auto") -> None:
        self.backend: Backend = backend
        self._literals: dict[str, dict[str, int]] = {}  # field -> folded literal -> atom
        self._specs: dict[str, FieldSpec] = {}
        self._detectors: dict[str, int] = {}  # detector id ("" for findings.labels) -> atom
        self._costs: dict[int, float] = {}
        self._scanners: dict[str, Hits] = {}

    # --- atoms -------------------------------------------------------------------------------

    def _atom(self, cost: float) -> int:
        atom = len(self._costs)
        self._costs[atom] = cost
        return atom

    def literal(self, spec: FieldSpec, text: str) -> int:
        table = self._literals.setdefault(spec.name, {})
        self._specs[spec.name] = spec
        atom = table.get(text)
        if atom is None:
            cheap = spec.source is Source.COLUMN and spec.name not in ("content", "tool.arguments")
            cost = 1.0 if cheap else literal_cost(frozenset({text}))
            atom = table[text] = self._atom(cost)
        return atom

    def detector(self, detector: str) -> int:
        atom = self._detectors.get(detector)
        if atom is None:
            atom = self._detectors[detector] = self._atom(0.3)
        return atom

    def best(self, needs: Iterable[Need]) -> Need:
        """The most selective of needs that must all hold (an ``and``)."""
        out: Need = None
        for n in needs:
            if n is not None and (out is None or _cost(n, self._costs) < _cost(out, self._costs)):
                out = n
        return out

    @staticmethod
    def either(needs: Iterable[Need]) -> Need:
        """The need of an ``or``: any operand's atom (none when one operand needs nothing)."""
        out: set[int] = set()
        for n in needs:
            if n is None:
                return None
            out |= n
        return frozenset(out)

    def test_need(self, spec: FieldSpec, test: ValueTest) -> Need:
        if spec.source in (Source.DETECTOR, Source.FINDINGS):
            if isinstance(test, StrTest | RegexTest | NumTest | ExistsTest):
                return frozenset({self.detector(spec.key or "")})
            return None  # null: absent
        literals = _test_literals(test)
        if literals is None:
            return None
        return frozenset(self.literal(spec, s) for s in literals)

    def check_need(self, check: Check) -> Need:
        """Atoms one of which must be present for ``check`` to match."""
        per_test = [self.either(self.test_need(s, t) for s in check.fields) for t in check.tests]
        return self.best(per_test) if check.all else self.either(per_test)

    def condition_need(self, node: cond.Cond, searches: dict[str, Need]) -> Need:
        if isinstance(node, cond.Ref):
            return searches[node.name]
        if isinstance(node, cond.Not):
            return None
        if isinstance(node, cond.And):
            return self.best(self.condition_need(n, searches) for n in node.nodes)
        if isinstance(node, cond.Or):
            return self.either(self.condition_need(n, searches) for n in node.nodes)
        needs = [searches[n] for n in node.names]
        return self.best(needs) if node.count is None else self.either(needs)

    # --- per event ---------------------------------------------------------------------------

    def hits(self, field: str) -> Hits:
        """The atoms of ``field`` present in an event (scanned once per event, then cached)."""
        key = ("hits", field)
        scanners = self._scanners  # filled by freeze(), after every rule is compiled

        def field_hits(view: EventView) -> AbstractSet[int]:
            cache = view.cache
            found = cache.get(key)
            if found is None:
                found = cache[key] = scanners[field](view)
            return found

        return field_hits

    def detector_hits(self, view: EventView) -> list[int]:
        detectors = self._detectors
        if not detectors or not view.findings:
            return []
        present = {f.detector for f in view.findings}
        present.add("")
        return [detectors[d] for d in present if d in detectors]

    def literal_fields(self, atoms: Iterable[int]) -> list[str]:
        """The fields whose scans can find any of ``atoms``."""
        atoms = set(atoms)
        return [name for name, table in self._literals.items() if atoms & set(table.values())]

    def has_detector_atoms(self, atoms: Iterable[int]) -> bool:
        return not set(atoms).isdisjoint(self._detectors.values())

    def attribute_key(self, field: str) -> str | None:
        spec = self._specs[field]
        return spec.key if spec.source is Source.ATTRIBUTE else None

    def freeze(self) -> None:
        """Build the scanners (once every rule's atoms are known)."""
        from garrison.detect.rules.evaluate import texts

        for name, table in self._literals.items():
            spec = self._specs[name]
            self._scanners[name] = _field_scanner(
                texts(spec, True),
                make_scanner(table, self.backend),
                spec.key if spec.source is Source.ATTRIBUTE else None,
            )


def _field_scanner(
    get: Callable[[EventView], list[str]],
    scan: Callable[[str], AbstractSet[int]],
    attribute: str | None,
) -> Hits:
    def scanner(view: EventView) -> AbstractSet[int]:
        if attribute is not None and attribute not in view.event.attributes:
            return _NONE
        values = get(view)
        if not values:
            return _NONE
        return scan(values[0] if len(values) == 1 else _SEP.join(values))

    return scanner


def gate(
    prefilter: Prefilter, check: Check, matcher: Callable[[EventView], Any]
) -> Callable[[EventView], Any]:
    """``matcher`` for ``check``, skipped or answered by the scan where that is exact."""
    fields = {s.name for s in check.fields}
    if any(s.source not in (Source.COLUMN, Source.ATTRIBUTE) for s in check.fields):
        return matcher
    tests = check.tests
    if all(isinstance(t, StrTest) and t.kind == "contains" and not t.cased for t in tests):
        # The folded text contains a folded value exactly when the scan found it.
        per_test = [
            frozenset(prefilter.literal(s, t.text) for s in check.fields)  # type: ignore[union-attr]
            for t in tests
        ]
        hits = [prefilter.hits(f) for f in sorted(fields)]
        if check.all:
            return _all_found(per_test, hits)
        return _any_found(frozenset().union(*per_test), hits)
    if not any(
        isinstance(t, RegexTest) or (isinstance(t, StrTest) and t.kind == "glob") for t in tests
    ):
        return matcher
    need = prefilter.check_need(check)
    if need is None:
        return matcher
    hits = [prefilter.hits(f) for f in sorted(fields)]
    found_any = _any_found(need, hits)
    return lambda view: found_any(view) and matcher(view)


def _any_found(atoms: frozenset[int], hits: Sequence[Hits]) -> Callable[[EventView], bool]:
    disjoint = atoms.isdisjoint
    if len(hits) == 1:
        (h,) = hits
        return lambda view: not disjoint(h(view))
    return lambda view: any(not disjoint(h(view)) for h in hits)


def _all_found(
    per_test: Sequence[frozenset[int]], hits: Sequence[Hits]
) -> Callable[[EventView], bool]:
    def all_found(view: EventView) -> bool:
        found: set[int] = set()
        for h in hits:
            found |= h(view)
        return all(not atoms.isdisjoint(found) for atoms in per_test)

    return all_found
