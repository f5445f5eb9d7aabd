"""``apertura.catalogue``: a CKAN catalogue export scored into the open-data item ``tg.da``.

The rules and the arithmetic live in the Rust core (``observations::catalogue``, rules in
``core/catalogue/ckan.toml``); this module only reads the source and builds the frame.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any, Optional, Tuple, Union

from . import _apertura
from . import _frames
from ._errors import UsageError

ORGANIZATION_COLUMNS = (
    "id",
    "name",
    "datasets",
    "online",
    "free",
    "machine_readable",
    "open_licence",
    "up_to_date",
    "bulk",
    "open",
    "tg.da",
)
DATASET_COLUMNS = (
    "id",
    "name",
    "organization",
    "online",
    "free",
    "machine_readable",
    "bulk",
    "open_licence",
    "up_to_date",
    "open",
    "score",
    "license_id",
    "metadata_modified",
    "age_days",
    "formats",
    "row",
)


def _text(source: Any) -> Tuple[str, str]:
    """(JSON text, name for errors) of a path, JSON text, bytes, a file object or parsed JSON."""
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        with open(path, "rb") as f:
            return f.read().decode("utf-8"), os.path.basename(path)
    if isinstance(source, str):
        if source.lstrip()[:1] in ("{", "["):
            return source, "input"
        with open(source, "rb") as f:
            return f.read().decode("utf-8"), os.path.basename(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source).decode("utf-8"), "input"
    if hasattr(source, "read"):
        content = source.read()
        if isinstance(content, bytes):
            content = content.decode("utf-8")
        return content, os.path.basename(str(getattr(source, "name", "input")))
    if isinstance(source, (dict, list)):
        return json.dumps(source), "input"
    raise TypeError(
        "source must be a path, JSON text, bytes, a file object or parsed JSON (dict or list), "
        f"not {type(source).__name__}"
    )


def catalogue(
    source: Any,
    *,
    reference_date: Union[None, str, _dt.date] = None,
    max_age_days: Optional[int] = None,
    by: str = "organization",
    rules: Optional[str] = None,
    output: str = "auto",
) -> Any:
    """Scores a CKAN catalogue export: GODI-style answers per dataset, ``tg.da`` per organization.

    ``source`` is a CKAN ``package_search`` response (``{"success": true, "result":
    {"results": [...]}}``), ``{"results": [...]}`` or a list of packages: as a path, JSON
    text, bytes, a file object or already parsed (a dict or list). Each package (dataset) is
    answered ``online`` (a resource has a URL), ``free`` (assumed for a public CKAN),
    ``machine_readable`` (a resource with a URL has a machine-readable format),
    ``bulk`` (a file at a downloadable URL), ``open_licence`` (``license_id`` in CKAN's or
    the Open Definition's open licences, or Libre Uso MX) and ``up_to_date``
    (``metadata_modified`` at most ``max_age_days`` days, 365 by default, before the
    reference date). An organization's ``tg.da`` is the share of its datasets that are
    machine-readable and openly licensed. Every rule, with its provenance, is in
    ``core/catalogue/ckan.toml``; ``rules`` replaces the file (TOML text, every table).

    ``reference_date`` (a ``datetime.date`` or ``"YYYY-MM-DD"``) is the day ages are counted
    to; by default the latest ``metadata_modified`` in the export (never today's date).
    ``by`` is ``"organization"`` (one row per organization: ``id, name, datasets`` and the
    number of its datasets answering Yes to each question, ``open``, ``tg.da``) or
    ``"dataset"`` (one row per package with every answer, ``score``, ``license_id``,
    ``metadata_modified``, ``age_days``, ``formats``, ``row``). Returns a pandas DataFrame
    if pandas is installed (``output="auto"``), else a list of dicts; ``output=`` ``"pandas" |
    "polars" | "records"`` forces one. A DataFrame carries the reference date used in
    ``.attrs["reference_date"]`` (pandas).

    Raises ``InputError`` (bad export: every problem, located by source, row = package
    position, column = field such as ``resources[1].format``, institution = organization),
    ``EditionError`` (bad rules) or ``UsageError`` (bad argument).

    Example:
        >>> import apertura
        >>> export = {"result": {"results": [
        ...     {"name": "p", "organization": {"name": "shcp"}, "license_id": "mx-lu",
        ...      "metadata_modified": "2016-05-02T10:00:00",
        ...      "resources": [{"format": "CSV", "url": "https://datos.gob.mx/p.csv"}]}]}}
        >>> rows = apertura.catalogue(export, output="records")
        >>> [(r["id"], r["datasets"], r["open"], r["tg.da"]) for r in rows]
        [('shcp', 1, 1, 1.0)]
    """
    if by not in ("organization", "dataset"):
        raise UsageError(f"invalid_option: by must be 'organization' or 'dataset', not {by!r}", "invalid_option")
    if max_age_days is not None and (
        isinstance(max_age_days, bool) or not isinstance(max_age_days, int) or max_age_days < 0
    ):
        raise UsageError(
            f"invalid_option: max_age_days must be a whole number of days >= 0, not {max_age_days!r}",
            "invalid_option",
        )
    if isinstance(reference_date, _dt.datetime):
        reference_date = reference_date.date()
    ref = reference_date.isoformat() if isinstance(reference_date, _dt.date) else reference_date
    text, name = _text(source)
    result = _apertura.catalogue(text, name, reference_date=ref, max_age_days=max_age_days, rules=rules)
    rows = result["organizations"] if by == "organization" else result["datasets"]
    columns = ORGANIZATION_COLUMNS if by == "organization" else DATASET_COLUMNS
    kind = _frames.output_kind(output, _frames.RECORDS)
    frame = _frames.records_frame(rows, kind, columns)
    if kind == _frames.PANDAS:
        frame.attrs["reference_date"] = result["reference_date"]
    return frame
