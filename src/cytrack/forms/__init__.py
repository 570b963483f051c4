"""填报表: forms sent to the departments, and the progress they send back (contract §9).

``layout`` fixes the form's columns and picks each unit's open commitments; ``workbook``
writes a unit's form as .xlsx; ``read`` reads a form back from .xlsx or .csv as any office
suite saved it; ``plan`` turns its rows into progress entries checked against the ledger;
``preview`` shows them.  Writing goes through ``cytrack.store`` (``ProgressBatch``); this
package may import ``core``, ``ledger``, ``render`` and ``i18n``, and ``store`` for the
rules of a progress entry, never the other way round.
"""
