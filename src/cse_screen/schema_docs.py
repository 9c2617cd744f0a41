"""Field docstrings for JSON Schemas, read only when a schema is printed.

Field docstrings document the YAML and JSON formats (``cse-screen schema``). Pydantic can
read them itself (``use_attribute_docstrings``), but it does so by parsing the source of
every model class at import time, which cost about a fifth of the models' build time and so
slowed every command's start-up. We read them here instead, only for ``schema``.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from pydantic import BaseModel


def _docs_by_class(module: ModuleType) -> dict[str, dict[str, str]]:
    """``{class name: {field name: docstring}}`` for every class defined in ``module``."""
    tree = ast.parse(inspect.getsource(module))
    found: dict[str, dict[str, str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        docs: dict[str, str] = {}
        body = node.body
        for stmt, after in zip(body, body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[stmt.target.id] = inspect.cleandoc(after.value.value)
        found[node.name] = docs
    return found


def _field_docs(model: type[BaseModel], by_class: dict[str, dict[str, str]]) -> dict[str, str]:
    """Docstrings of ``model``'s fields, keyed by the name used in the schema (the alias)."""
    docs: dict[str, str] = {}
    # Walk the MRO base-first so a subclass's own docstring wins over an inherited one.
    for cls in reversed(model.__mro__):
        docs.update(by_class.get(cls.__name__, {}))
    return {(info.alias or name): docs[name] for name, info in model.model_fields.items() if name in docs}


def _models_in(modules: Iterable[ModuleType]) -> dict[str, type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
                models.setdefault(value.__name__, value)
    return models


def add_field_docs(schema: dict[str, Any], modules: Iterable[ModuleType]) -> dict[str, Any]:
    """Fill in ``description`` for properties from field docstrings in ``modules``.

    Args:
        schema: A JSON Schema from ``model_json_schema`` (definitions titled by class name).
        modules: The modules whose model classes appear in the schema.

    Returns:
        The same schema, changed in place, for convenience.
    """
    modules = list(modules)
    by_class: dict[str, dict[str, str]] = {}
    for module in modules:
        by_class.update(_docs_by_class(module))
    models = _models_in(modules)
    for definition in [schema, *schema.get("$defs", {}).values()]:
        model = models.get(str(definition.get("title", "")))
        if model is None:
            continue
        docs = _field_docs(model, by_class)
        for key, prop in definition.get("properties", {}).items():
            if key in docs and "description" not in prop:
                prop["description"] = docs[key]
    return schema
