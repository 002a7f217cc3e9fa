"""The error catalog: YAML data, its schema, and the loader that turns it into frozen models."""

from catalog.loader import CatalogError, Problem, check_catalog, load_catalog
from catalog.model import Catalog, Cause, Context, Entry, Escalation, FieldSpec, Resource, Unlisted

__all__ = [
    "Catalog",
    "CatalogError",
    "Cause",
    "Context",
    "Entry",
    "Escalation",
    "FieldSpec",
    "Problem",
    "Resource",
    "Unlisted",
    "check_catalog",
    "load_catalog",
]
