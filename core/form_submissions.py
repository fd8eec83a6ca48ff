"""Wagtail's form submissions listing, with its CSV export guarded against formulas (core.csv_export)."""

from wagtail.contrib.forms.views import SubmissionsListView

from core.csv_export import safe_cell


class GuardedSubmissionsListView(SubmissionsListView):
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return safe_cell(value) if export_format == self.FORMAT_CSV else value
