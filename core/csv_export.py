"""CSV files the portal writes, guarded against spreadsheet formula injection.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel and
LibreOffice (`=HYPERLINK(...)`, `=cmd|...`): any text a person typed (a name, a feed's identifier, an
answer) is prefixed with an apostrophe, which spreadsheets show as text (OWASP "CSV injection").
Numbers stay numbers. Every CSV written by the portal goes through `writer()` or `safe_cell()`."""

import csv

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value`, made inert when it is text a spreadsheet would run as a formula."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


class GuardedWriter:
    """`csv.writer` whose every cell goes through `safe_cell`."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, **options) -> GuardedWriter:
    return GuardedWriter(file, **options)


class GuardedSubmissionsExportMixin:
    """For Wagtail form pages (before `AbstractEmailForm` in the bases): the submissions listing's CSV
    export is guarded too (Wagtail's XLSX export already turns formulas into text)."""

    def get_submissions_list_view_class(self):
        from core.form_submissions import GuardedSubmissionsListView  # a model module imports no view

        return GuardedSubmissionsListView
