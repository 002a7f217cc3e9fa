"""The error catalog: YAML data, its schema, and the loader that turns it into frozen models."""

from catalog.loader import CatalogError, Problem, check_catalog, load_catalog
from catalog.model import (
    UNLISTED,
    Catalog,
    Cause,
    Context,
    Entry,
    Escalation,
    FieldSpec,
    Resource,
    hidden_field,
)

__all__ = [
    "UNLISTED",
    "Catalog",
    "CatalogError",
    "Cause",
    "Context",
    "Entry",
    "Escalation",
    "FieldSpec",
    "Problem",
    "Resource",
    "check_catalog",
    "hidden_field",
    "load_catalog",
]
