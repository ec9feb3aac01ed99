"""config/README.md documents every key of the config schema, and no key the schema lacks.

Keys are written in their dotted form (`qc.hemolysis.numerator`). A map whose entries the
user names (``additionalProperties`` with properties of its own, such as the endpoints) is
written with the placeholder NAME: `survival.endpoints.NAME.time`. Every key that is not
itself a section of keys has a row in a table whose first column is "key"; that row names
the key's default and each of its allowed values (enum), in backticks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
DOCS = ROOT / "config" / "README.md"
PLACEHOLDER = "NAME"
# A dotted token in backticks: `counts.path`, `survival.endpoints.NAME.time`.
DOTTED = re.compile(r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+")
# Tokens such as `samples.tsv` name files, not keys.
FILE_SUFFIXES = frozenset({"tsv", "csv", "yaml", "yml", "json", "xlsx", "md", "txt", "py", "smk"})


@dataclass(frozen=True)
class Table:
    """A Markdown table: its header cells and its rows (each as its cells)."""

    header: list[str]
    rows: list[list[str]]


def schema_keys(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every property of the schema by dotted path, the entries of user-named maps under
    the placeholder (``survival.endpoints.NAME.time``)."""
    keys: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for name, child in (node.get("properties") or {}).items():
            path = f"{prefix}.{name}" if prefix else name
            keys[path] = child
            walk(child, path)
        entries = node.get("additionalProperties")
        if isinstance(entries, dict) and entries.get("properties"):
            walk(entries, f"{prefix}.{PLACEHOLDER}")

    walk(schema, "")
    return keys


def is_section(node: dict[str, Any]) -> bool:
    """A key that only groups other keys (`qc`, `validation.counts`): no row of its own."""
    return bool(node.get("properties"))


def enum_values(node: dict[str, Any]) -> list[Any]:
    """The allowed values a key lists, in its own enum or in its alternatives'."""
    values = list(node.get("enum", []))
    for branch in [*node.get("oneOf", []), *node.get("anyOf", [])]:
        values += branch.get("enum", [])
    return values


def as_written(value: Any) -> str:
    """A schema value as the docs write it in backticks (YAML spelling)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(", ", ": "))
    return str(value)


def prose(text: str) -> str:
    """The Markdown without its fenced code blocks (examples, not documentation)."""
    return re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)


def inline_code(text: str) -> set[str]:
    """Every `token` of the prose."""
    return set(re.findall(r"`([^`\n]+)`", prose(text)))


def tables(text: str) -> list[Table]:
    """The Markdown tables of the prose."""
    found: list[Table] = []
    block: list[list[str]] = []
    for line in [*prose(text).splitlines(), ""]:
        if line.lstrip().startswith("|"):
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            block.append(cells)
            continue
        if len(block) >= 2:
            found.append(Table(block[0], [row for row in block[2:] if row]))
        block = []
    return found


def key_rows(text: str) -> dict[str, list[str]]:
    """Key -> the text of its rows in the tables whose first column is "key" (the first
    cell of such a row is the key in backticks)."""
    rows: dict[str, list[str]] = {}
    for table in tables(text):
        if not table.header or table.header[0].lower() != "key":
            continue
        for row in table.rows:
            match = re.fullmatch(r"`([^`]+)`", row[0])
            if match:
                rows.setdefault(match.group(1), []).append(" | ".join(row))
    return rows


def documented_keys(text: str, top_level: set[str]) -> set[str]:
    """The config keys the docs name: every dotted token whose first part is a top-level
    key (file names left out), and every key that heads a row of a key table."""
    dotted = {
        token
        for token in inline_code(text)
        if DOTTED.fullmatch(token)
        and token.split(".")[0] in top_level
        and token.rsplit(".", 1)[-1] not in FILE_SUFFIXES
    }
    return dotted | set(key_rows(text))


def _load() -> tuple[dict[str, dict[str, Any]], str]:
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    return schema_keys(schema), DOCS.read_text(encoding="utf-8")


def _listed(items: list[str]) -> str:
    return "\n  " + "\n  ".join(items)


DOCS_NAME = DOCS.relative_to(ROOT)
SCHEMA_NAME = SCHEMA.relative_to(ROOT)


def test_the_schema_walk_finds_nested_and_named_keys():
    keys, _ = _load()
    expected = ["samples", "qc.hemolysis.numerator", "survival.endpoints.NAME.time", "validation.counts.kind"]
    missed = [key for key in expected if key not in keys]
    assert not missed, f"the schema walk misses {missed}; it found {sorted(keys)}"
    assert enum_values(keys["cohort.variables"]) == ["auto"]


def test_every_schema_key_is_in_the_docs_in_backticks():
    keys, docs = _load()
    written = inline_code(docs)
    missing = [key for key in keys if key not in written]
    assert not missing, f"{DOCS_NAME} does not name these config keys in backticks:{_listed(missing)}"


def test_every_key_that_is_not_a_section_has_a_row():
    keys, docs = _load()
    rows = key_rows(docs)
    missing = [key for key, node in keys.items() if not is_section(node) and key not in rows]
    assert not missing, f"{DOCS_NAME} has no table row (first column 'key') for:{_listed(missing)}"


def test_every_enum_value_is_in_its_keys_row():
    keys, docs = _load()
    rows = key_rows(docs)
    missing = [
        f"{key}: `{as_written(value)}`"
        for key, node in keys.items()
        for value in enum_values(node)
        if key in rows and not any(f"`{as_written(value)}`" in row for row in rows[key])
    ]
    assert not missing, f"allowed values missing from their key's row in {DOCS_NAME}:{_listed(missing)}"


def test_every_default_is_in_its_keys_row():
    keys, docs = _load()
    rows = key_rows(docs)
    missing = [
        f"{key}: `{as_written(node['default'])}`"
        for key, node in keys.items()
        if "default" in node
        and not is_section(node)
        and key in rows
        and not any(f"`{as_written(node['default'])}`" in row for row in rows[key])
    ]
    assert not missing, f"defaults missing from their key's row in {DOCS_NAME}:{_listed(missing)}"


def test_the_docs_name_no_key_the_schema_lacks():
    keys, docs = _load()
    top_level = {key for key in keys if "." not in key}
    unknown = sorted(documented_keys(docs, top_level) - set(keys))
    assert not unknown, (
        f"{DOCS_NAME} documents keys that are not in {SCHEMA_NAME} (removed or misspelt?):{_listed(unknown)}"
    )
