"""The shape of a 填报表, shared by its writer and its reader, and whose rows a unit's form holds."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from cytrack.core.query import Filters, select
from cytrack.core.state import State
from cytrack.i18n import LANGS, form_word
from cytrack.ledger.errors import UsageError
from cytrack.ledger.model import Commitment, Ledger, Office

FORM_VERSION = "1"
META_SHEET = "cytrack"  # the hidden sheet; found again by MARKER in A1 when renamed
MARKER = "cytrack 填报表"

# Read-only columns (from the ledger, locked), then the columns a department fills in.
READ_ONLY = ("reply", "id", "title", "quote", "role", "due", "current", "last", "light")
INPUTS = ("note", "percent", "status", "evidence", "by", "date")
COLUMNS = READ_ONLY + INPUTS
TITLE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1

_SPACE = re.compile(r"[\s*＊]+")


def header_text(lang: str, key: str) -> str:
    """The header of column ``key`` in a form written in ``lang``."""
    return form_word(lang, f"col_{key}")


def normal_header(text: str) -> str:
    """A header as compared on import: full-width forms folded, spaces and asterisks dropped, case folded."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def header_keys() -> dict[str, str]:
    """Every header a form may carry, in any language (normalised), to its column key."""
    return {normal_header(header_text(lang, key)): key for lang in LANGS for key in COLUMNS}


class UnitForm(NamedTuple):
    """One unit's form: the unit's name and its open commitments as of the day, in ledger order."""

    unit: str
    states: list[State]


def is_lead(c: Commitment, unit: str) -> bool:
    return unit.casefold() in c.lead.casefold()


def _open(ledger: Ledger | Office, as_of: date, owners: Sequence[str]) -> list[State]:
    return [st for st in select(ledger, as_of, Filters(owners=owners)) if not st.closed]


def _name_for(owner: str, states: list[State]) -> str:
    """The unit's full name when ``owner`` (matched as ``list --owner`` does) names exactly one; else as typed."""
    wanted = owner.strip().casefold()
    names = {o for st in states for o in st.commitment.owners if wanted in o.casefold()}
    exact = [o for o in names if o.casefold() == wanted]
    if exact:
        return exact[0]
    return names.pop() if len(names) == 1 else owner.strip()


def unit_forms(ledger: Ledger | Office, as_of: date, owners: Sequence[str], lang: str) -> list[UnitForm]:
    """The forms to write: one per ``--owner`` (its open commitments, lead or co-owner), or one per
    unit that owns an open commitment when no owner is given, in the order units first appear.

    The states carry the ids a form shows: qualified (``KEY/ID``) when the ledger holds several replies.
    """
    if not owners:
        everything = _open(ledger, as_of, ())
        units = dict.fromkeys(o for st in everything for o in st.commitment.owners if o)
        return [UnitForm(unit, [st for st in everything if unit in st.commitment.owners]) for unit in units]
    forms = []
    for owner in owners:
        if not owner.strip():
            raise UsageError(form_word(lang, "empty_owner"))
        states = _open(ledger, as_of, [owner])
        if not states:
            raise UsageError(form_word(lang, "no_open", owner=owner.strip()))
        forms.append(UnitForm(_name_for(owner, states), states))
    return forms


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def file_name(unit: str) -> str:
    """``<unit>填报.xlsx`` with the characters file systems refuse replaced by ``_``."""
    return _UNSAFE.sub("_", unit).strip(". ") + "填报.xlsx"


def unit_sheet_name(unit: str) -> str:
    """A worksheet name for ``unit``: at most 31 characters, none of ``[]:*?/\\``."""
    title = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", unit).strip("'") or "填报"
    return title[:31]
