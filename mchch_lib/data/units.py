"""Units (หน่วย: a leader, group, network or community) and when two registrations are the same
one. The same rules decide across years (``matching``: is this year's unit an earlier year's?)
and within a year (``validate``: is one unit registered twice?):

- Leaders (ผู้นำ, a person): the same citizen ID (เลขประจำตัวประชาชน). A name is never enough
  for a person, two people can share one.
- Groups, networks and communities: the same standard and tambon, and a *normalized* name
  (pythainlp's normalization; Thai digits; spaces and dots; the words กลุ่ม and บ้าน dropped;
  หมู่ที่ 5 / หมู่ 5 / ม.5 written one way) whose similarity reaches :data:`THRESHOLD`; the
  numbers in the two names (a village's หมู่ที่) must agree, and two communities in different
  villages (หมู่ที่) are two communities.

Similarity is difflib's ratio of the normalized names (2 × matching characters / both
lengths). :data:`THRESHOLD` 0.85: a character or two typed differently in a name of 10 or more
characters (a left-out ์: 0.98) or a word added (ทอผ้า → ทอผ้าไหม: 0.92) stays above it, while
units of one tambon that differ in a word fall below: the same activity in another village
(อาชีพทอผ้าบ้านดอนแฝก / อาชีพทอผ้าบ้านหนองกลับ: 0.71), another activity in the same
village (about 0.5). :data:`CANDIDATE_FLOOR` 0.75 lists a likeness between the two for a
person to confirm, and leaves out the "same activity, another village" pairs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from difflib import SequenceMatcher

from mchch_lib.common import thai

#: Similarity of normalized names from which a unit is the same (when it is the only one).
THRESHOLD = 0.85
#: Similarity from which an earlier unit is listed as a candidate to confirm.
CANDIDATE_FLOOR = 0.75

_MOO = re.compile(r"(?:หมู่ที่|หมู่|ม\.)\s*(\d+)")
_TITLES = re.compile(r"^(?:นางสาว|นาง|นาย|น\.ส\.)\s*")
_DROP = re.compile(r"กลุ่ม|บ้าน|ตำบล|ต\.")
_PUNCT = re.compile(r"[\s.,\-()\"'/]+")


def _base(text: object) -> str:
    from pythainlp.util import normalize

    s = thai.clean_text(text) or ""
    return normalize(thai.to_arabic_digits(s)).lower()


def normalize_name(text: object, person: bool = False) -> str:
    """The name as compared (never NFKC: it would split sara am): pythainlp's normalization,
    Arabic digits, หมู่ที่/หมู่/ม. as ``ม``, the words กลุ่ม, บ้าน, ตำบล and ต. dropped,
    no spaces or dots; a person's title (นาย, นาง, นางสาว) dropped."""
    s = _base(text)
    if person:
        s = _TITLES.sub("", s)
    s = _MOO.sub(lambda m: f" ม{int(m[1])} ", s)
    return _PUNCT.sub("", _DROP.sub(" ", s))


def normalize_tambon(text: object) -> str:
    """A tambon (ตำบล) as compared: ``ต.``/``ตำบล`` prefix and spaces dropped."""
    s = re.sub(r"^(?:ตำบล|ต\.)\s*", "", _base(text).strip())
    return _PUNCT.sub("", s)


def _numbers(normalized: str) -> tuple[int, ...]:
    return tuple(sorted(int(n) for n in re.findall(r"\d+", normalized)))


def similarity(a: str, b: str) -> float:
    """Likeness of two *normalized* names, 0–1; 0 when both carry numbers that differ
    (หมู่ที่ 5 is not หมู่ที่ 6)."""
    na, nb = _numbers(a), _numbers(b)
    if na and nb and na != nb:
        return 0.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def other_village(standard: object, moo_a: object, moo_b: object) -> bool:
    """Two communities (ชุมชน) of different villages (หมู่ที่) are two communities."""
    known = all(isinstance(m, int | float) and m == m for m in (moo_a, moo_b))
    return standard == "community" and known and moo_a != moo_b


def registered_twice(units: list[dict]) -> list[list[int]]:
    """Groups (2 or more, each in the order given) of the positions of ``units`` that are one
    unit registered more than once: dicts with standard, name, citizen_id, tambon and moo.
    A leader by citizen ID only; any other unit by standard, tambon and a name similar
    enough, whatever its district (a unit registered by two districts is still one unit)."""
    parent = list(range(len(units)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        if u["standard"] == "leader":
            if u.get("citizen_id"):
                buckets[("leader", u["citizen_id"])].append(i)
        elif u.get("standard") and u.get("name") and u.get("tambon"):
            buckets[(u["standard"], normalize_tambon(u["tambon"]))].append(i)
    for (std, _), members in buckets.items():
        if std == "leader":
            for i in members[1:]:
                parent[i] = members[0]
            continue
        _join_similar(units, std, members, root, parent)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(units)):
        groups[root(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


#: Distinct names in one tambon and standard up to which every pair is compared; beyond it
#: (no tambon has that many units: a pasted block) only equal names are one unit.
MAX_COMPARED = 200


def _join_similar(units: list[dict], std: str, members: list[int], root, parent) -> None:
    """Join the units of one standard and tambon whose names are similar enough (and, for a
    community, whose villages agree): equal normalized names at once, then each pair of
    distinct names."""
    first: dict[tuple, int] = {}
    for i in members:
        moo = units[i].get("moo") if std == "community" else None
        key = (normalize_name(units[i]["name"]), moo if moo == moo else None)
        if key in first:
            parent[root(i)] = root(first[key])
        else:
            first[key] = i
    distinct = list(first.items())
    if len(distinct) > MAX_COMPARED:
        return
    for n, ((name_a, _), i) in enumerate(distinct):
        for (name_b, _), j in distinct[n + 1 :]:
            if (
                similarity(name_a, name_b) >= THRESHOLD
                and not other_village(std, units[i].get("moo"), units[j].get("moo"))
                and root(i) != root(j)
            ):
                a, b = root(i), root(j)
                parent[max(a, b)] = min(a, b)
