"""Errors and warnings ronghe raises on purpose.

Every error a user can cause carries where it happened (file, sheet, row, column or indicator) and why,
so the CLI can print one line and exit non-zero instead of a traceback.
"""

from __future__ import annotations


class RongheError(Exception):
    """Base class of every error ronghe raises on purpose (the CLI prints these as one line)."""


class InputError(RongheError):
    """Bad input data, located as precisely as the input allows.

    >>> str(InputError("not a number", file="p.csv", row=7, column="gdp", value="abc"))
    "p.csv, row 7, column 'gdp': not a number (value 'abc')"
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        indicator: str | None = None,
        value: object = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.indicator = indicator
        self.value = value
        super().__init__(self.__str__())

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        if self.indicator is not None:
            parts.append(f"indicator {self.indicator!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        text = f"{loc}: {self.reason}" if loc else self.reason
        if self.value is not None:
            text += f" (value {self.value!r})"
        # one line, whatever a heading or file name holds (the CLI and logs print it as one)
        return text.replace("\r", "\\r").replace("\n", "\\n")


class MethodError(RongheError, ValueError):
    """A numeric method got input it is not defined for (non-positive values under a geometric mean,
    a non-reciprocal AHP matrix, mismatched shapes)."""


class FrameworkError(RongheError):
    """An indicator framework file is invalid or refers to something that does not exist."""


class RongheWarning(UserWarning):
    """A result was computed but a convention was applied that the user should know about
    (a constant indicator given weight 0, a shift applied, a series break)."""
