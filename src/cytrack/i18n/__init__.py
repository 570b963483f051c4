"""Every user-facing word, in Chinese (default) and English: one table per area of the program.

``core`` holds the labels, status and rhythm names and the date format; the other modules
hold the words of the reports, the exported 台账, the write commands and ``git-setup``.
"""

from cytrack.i18n.core import (
    DEFAULT_LANG,
    LABELS,
    LANGS,
    RHYTHM_NAMES,
    STATUS_NAMES,
    choose,
    current,
    format_date,
    label,
    lookup,
    status_name,
    use,
)
from cytrack.i18n.forms import FORM_WORDS, form_word
from cytrack.i18n.git import GIT_WORDS, git_word
from cytrack.i18n.help import HELP, METAVARS, help_text, metavar_text
from cytrack.i18n.messages import MESSAGES, message
from cytrack.i18n.office import OFFICE_WORDS, kind_word, office_word, reply_name
from cytrack.i18n.reports import REPORT_WORDS, days_text, report_word, zh_number
from cytrack.i18n.states import STATE_WORDS, light_name, lights_text, state_word
from cytrack.i18n.tables import TABLE_WORDS, table_word
from cytrack.i18n.writes import WRITE_WORDS, write_word

__all__ = [
    "DEFAULT_LANG", "HELP", "MESSAGES", "METAVARS", "metavar_text", "choose", "current", "help_text", "message", "use",
    "FORM_WORDS", "GIT_WORDS", "LABELS", "LANGS", "OFFICE_WORDS", "REPORT_WORDS", "RHYTHM_NAMES", "STATE_WORDS",
    "STATUS_NAMES", "TABLE_WORDS", "WRITE_WORDS", "days_text", "form_word", "format_date", "git_word", "label",
    "kind_word", "light_name", "lights_text", "lookup", "office_word", "reply_name", "report_word", "state_word",
    "status_name", "table_word", "write_word", "zh_number",
]
