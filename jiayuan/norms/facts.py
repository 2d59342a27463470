"""The interface between the rulebook and the apps that record what was done.

A rule (``rules/*.toml``) names a *fact*, e.g. ``"meetings.held"``, and a *check*, e.g.
``"count_at_least"``. The app that owns the records registers a provider for the fact in its own
``norms_facts.py`` module (imported by ``NormsConfig.ready``)::

    from jiayuan.norms.facts import Evidence, Facts, fact

    @fact("community.service_center")
    def service_center(subject, window, ctx):
        centre = MemberResidentServiceCenter.objects.filter(community=subject.place).first()
        if centre is None:
            return Facts(values={"area_m2": 0})
        return Facts(
            items=[Evidence(label=centre.name, url=centre.get_absolute_url(), date=centre.opened_on,
                            value=centre.area_m2)],
            values={"area_m2": centre.area_m2},
        )

A provider gets the ``Subject`` being judged, the ``Window`` (the dates one period of the rule
covers) and ``ctx``: the rule's fixed ``args`` merged with its effective parameters (defaults
with the overrides of the subject's area applied). It returns ``Facts``: the ``items`` that are
the evidence (each with a link to the record) and named numbers in ``values``. It reads only
what it is given (no user: evaluation is a statement about the subject, and who may see the
result is decided by the caller through the subject's scope), and it runs a fixed number of
queries whatever the size of the window.

Every fact name is declared in ``rules/facts.toml`` with a label and the module expected to
record it, so a rule whose module does not exist yet is reported as *not evaluable yet* with a
readable reason instead of being dropped, and a typo in a provider name fails a test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jiayuan.territory.models import Place


@dataclass(frozen=True)
class Subject:
    """What a rule is judged for: a place of the territory tree (a community, a street, ...)
    or, once the Party-organization module registers them, an organization. ``code`` is the
    territory code used for scoping and for finding parameter overrides (longest prefix wins)."""

    kind: str
    code: str
    name: str
    place: Place | None = None
    obj: Any = None  # the organization or other object when the subject is not a place

    @classmethod
    def for_place(cls, place: Place) -> Subject:
        return cls(kind=place.kind, code=place.code, name=place.name, place=place, obj=place)


@dataclass(frozen=True)
class Window:
    """The dates one period of a rule covers, both ends inclusive, with its label
    (``2026-07``, ``2026-Q3``, ``2026-H2``, ``2026``, ``2025-2026``, or the as-of date of a
    standing rule)."""

    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass
class Evidence:
    """One record a result rests on: what it is, where to open it, its date and, where the
    check compares a number, the number it contributed."""

    label: str
    url: str = ""
    date: dt.date | None = None
    value: Any = None
    # deadline-style checks: when the clock started and when the obligation was fulfilled
    start: dt.date | None = None
    done: dt.date | None = None

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "url": self.url,
            "date": self.date.isoformat() if self.date else None,
            "value": _plain(self.value),
            "start": self.start.isoformat() if self.start else None,
            "done": self.done.isoformat() if self.done else None,
        }


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return value


@dataclass
class Facts:
    """What a provider found: the evidence items and named numbers (``{"households": 630}``)."""

    items: list[Evidence] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Subject, Window, dict], Facts]


@dataclass(frozen=True)
class FactProvider:
    name: str
    func: Provider
    subject_kinds: frozenset[str]

    def __call__(self, subject: Subject, window: Window, ctx: dict) -> Facts:
        return self.func(subject, window, ctx)


_registry: dict[str, FactProvider] = {}


def fact(name: str, *, subjects: tuple[str, ...] = ("community",)) -> Callable[[Provider], Provider]:
    """Register ``func`` as the provider of fact ``name`` for the given subject kinds."""

    def decorator(func: Provider) -> Provider:
        if name in _registry and _registry[name].func is not func:
            raise ValueError(f"fact {name!r} is provided twice ({_registry[name].func} and {func})")
        _registry[name] = FactProvider(name=name, func=func, subject_kinds=frozenset(subjects))
        return func

    return decorator


def provider_for(name: str) -> FactProvider | None:
    return _registry.get(name)


def registered_facts() -> dict[str, FactProvider]:
    return dict(_registry)


# -- subjects that are not places ---------------------------------------------------------------
# The Party-organization module registers a resolver so that ``?subject=<organization code>``
# works; each resolver gets the code and returns a Subject (with ``code`` set to the
# organization's territory code for scoping) or None.
SubjectResolver = Callable[[str], "Subject | None"]
_resolvers: list[SubjectResolver] = []


def subject_resolver(func: SubjectResolver) -> SubjectResolver:
    if func not in _resolvers:
        _resolvers.append(func)
    return func


def resolve_subject(code: str) -> Subject | None:
    """A Subject for a code that is not a place code, from the registered resolvers."""
    for resolver in _resolvers:
        subject = resolver(code)
        if subject is not None:
            return subject
    return None
