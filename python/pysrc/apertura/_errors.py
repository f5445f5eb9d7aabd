"""Exception classes raised by apertura (the native module raises them too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence

__all__ = ["AperturaError", "EditionError", "InputError", "Problem", "RobustnessError", "UsageError"]


class AperturaError(Exception):
    """Base class of every apertura error.

    ``code`` is a stable machine-readable code (``"out_of_range"``, ``"unknown_edition"``,
    ``"invalid_weight"``...), the same in Rust, Python and JavaScript.

    Example:
        >>> import apertura
        >>> try:
        ...     apertura.Edition.load("mga-1999")
        ... except apertura.AperturaError as e:
        ...     print(e.code)
        unknown_edition
    """

    code: str

    def __init__(self, message: str, code: str = "error") -> None:
        super().__init__(message)
        self.code = code

    @property
    def message(self) -> str:
        """The message, with its location and code."""
        return str(self.args[0]) if self.args else ""


class UsageError(AperturaError, ValueError):
    """An invalid argument: unknown institution or node, bad weight, unknown option...

    Example:
        >>> import apertura
        >>> try:
        ...     apertura.score([{"id": "a", "tg": 1, "tc": 1, "pg": 1, "pc": 1}], colour="red")
        ... except apertura.UsageError as e:
        ...     print(e.code)
        invalid_option
    """


class EditionError(AperturaError, ValueError):
    """A methodology (edition) file that is malformed or inconsistent, or an unknown edition.

    ``edition`` is the edition id (or a best guess at it).

    Example:
        >>> import apertura
        >>> try:
        ...     apertura.Edition.from_str("id = 'x'")
        ... except apertura.EditionError as e:
        ...     print(e.code, e.edition)
        edition_parse x
    """

    edition: str

    def __init__(self, message: str, code: str = "error", edition: str = "") -> None:
        super().__init__(message, code)
        self.edition = edition


@dataclass(frozen=True)
class Problem:
    """One problem in the input data, with everything known about where it is.

    Example:
        >>> import apertura
        >>> try:
        ...     apertura.score([{"id": "a", "tg": 1.5, "tc": 1, "pg": 1, "pc": 1}])
        ... except apertura.InputError as e:
        ...     p = e.errors[0]
        ...     print(p.code, p.institution, p.item, p.value)
        out_of_range a tg 1.5
    """

    code: str
    """Stable code: ``out_of_range``, ``not_a_number``, ``not_finite``, ``missing_id``..."""
    message: str
    """What is wrong (without the location)."""
    text: str
    """The full message, with the location."""
    source: Optional[str] = None
    """File name or ``"input"``."""
    institution: Optional[str] = None
    """Institution id."""
    item: Optional[str] = None
    """Node (item, component, perspective...) id."""
    row: Optional[int] = None
    """1-based data row of the source (header not counted)."""
    column: Optional[str] = None
    """Column name as written in the source."""
    value: Optional[str] = None
    """The offending value as given."""

    def __str__(self) -> str:
        return self.text


class InputError(AperturaError, ValueError):
    """Input data that are malformed, out of range or inconsistent.

    Every problem found is in ``errors`` (a list of :class:`Problem`); the attributes
    ``code``, ``institution``, ``item``, ``row``, ``column``, ``value`` and ``source`` are
    those of the first.

    Example:
        >>> import apertura
        >>> try:
        ...     apertura.score([{"id": "a", "tg": 1.5, "tc": 1, "pg": 1, "pc": 1}])
        ... except apertura.InputError as e:
        ...     print(e.code, e.institution, e.item, e.row, e.column, e.value)
        out_of_range a tg 1 tg 1.5
    """

    errors: List[Problem]
    institution: Optional[str]
    item: Optional[str]
    row: Optional[int]
    column: Optional[str]
    value: Optional[str]
    source: Optional[str]

    def __init__(self, message: str, errors: Sequence[Mapping[str, Any]] = ()) -> None:
        problems = [p if isinstance(p, Problem) else Problem(**p) for p in errors]
        first = problems[0] if problems else None
        super().__init__(message, first.code if first else "error")
        self.errors = problems
        self.institution = first.institution if first else None
        self.item = first.item if first else None
        self.row = first.row if first else None
        self.column = first.column if first else None
        self.value = first.value if first else None
        self.source = first.source if first else None


class RobustnessError(AperturaError, ValueError):
    """A robustness analysis (:func:`apertura.uncertainty`, :func:`apertura.sensitivity`)
    that cannot run as asked, or that was stopped.

    A subclass of :class:`AperturaError` and ``ValueError`` (like :class:`InputError`),
    not of :class:`UsageError`: some of its causes lie in the data (a geometric mean that
    meets a zero) or in a design file rather than in an argument. ``code`` is one of
    ``invalid_factor`` (an unknown node or setting, a noise outside its range, a choice
    with one alternative, a factor that cannot change any score), ``invalid_design`` (a
    design with a missing or extra column, a value outside [0, 1), a sensitivity N that is
    not a power of two), ``geometric_zero`` (a geometric mean would meet a zero and no
    ``geometric_zeros`` policy was declared), ``invalid_option`` (options that do not fit
    together) or ``cancelled`` (the ``progress`` callable returned ``False``; Ctrl-C raises
    ``KeyboardInterrupt`` instead).

    ``factor`` names the factor (``w:tg``, ``agg:p``, ``w:*`` for every weight...),
    ``institution`` the institution, and for an imported design ``row`` (1-based, header not
    counted), ``column`` and ``value`` (as written) locate the cell; each is ``None`` when
    it does not apply. ``detail`` is the explanation without the location.

    Example:
        >>> import apertura
        >>> rows = [{"id": "a", "tg": 0.4, "tc": 0.6, "pg": 0.2, "pc": 0.2},
        ...         {"id": "b", "tg": 0.9, "tc": 0.1, "pg": 0.5, "pc": 0.5}]
        >>> try:
        ...     apertura.uncertainty(rows, weight_noise=1.0)
        ... except apertura.RobustnessError as e:
        ...     print(e.code, e.factor)
        invalid_factor w:*
    """

    detail: str
    factor: Optional[str]
    institution: Optional[str]
    row: Optional[int]
    column: Optional[str]
    value: Optional[str]

    def __init__(
        self,
        message: str,
        code: str = "error",
        detail: str = "",
        factor: Optional[str] = None,
        institution: Optional[str] = None,
        row: Optional[int] = None,
        column: Optional[str] = None,
        value: Optional[str] = None,
    ) -> None:
        super().__init__(message, code)
        self.detail = detail or message
        self.factor = factor
        self.institution = institution
        self.row = row
        self.column = column
        self.value = value
