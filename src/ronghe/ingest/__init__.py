"""Ingestion of yearbook tables: readers, the yearbook cell cleaner, units, region matching, layouts
and the validation report. Entry point: :func:`read_file`."""

from ronghe.ingest.catalogue import builtin_catalogue, catalogue_frame
from ronghe.ingest.cells import Cell, clean_cell
from ronghe.ingest.report import ValidationReport
from ronghe.ingest.tables import LAYOUTS, Ingested, read_file

__all__ = ["LAYOUTS", "Cell", "Ingested", "ValidationReport", "builtin_catalogue",
           "catalogue_frame", "clean_cell", "read_file"]
