"""Parties never import each other's internals; the shared kernel imports no party.

- kernel (``marketplace`` modules other than the composition root) imports no party;
- the gateway imports only the kernel and the catalogue;
- storefronts and institutions reach the gateway only through ``prakerja_gateway.client``
  (and its signing helpers), never its models or services;
- only the composition root (``marketplace/__init__``, ``home``, ``cli``, ``database``) and the
  seeder (``catalog_seed``, which fills every party's tables) wire parties together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARTIES = ("prakerja_gateway", "platforms", "institutions", "catalog_seed")
COMPOSITION_ROOT = {"__init__", "home", "cli", "database"}
GATEWAY_PUBLIC = ("prakerja_gateway.client", "prakerja_gateway.signing")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


def _party(name: str) -> str:
    return name.split(".")[0]


KERNEL = [
    path
    for path in modules("marketplace")
    if not (path.parent.name == "marketplace" and path.stem in COMPOSITION_ROOT)
]


@pytest.mark.parametrize("path", KERNEL, ids=lambda p: str(p.relative_to(ROOT)))
def test_kernel_imports_no_party(path):
    assert not {name for name in imports_of(path) if _party(name) in PARTIES}


@pytest.mark.parametrize(
    "path", modules("prakerja_gateway"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_gateway_imports_only_the_kernel(path):
    for name in imports_of(path):
        assert _party(name) not in ("platforms", "institutions", "catalog_seed"), name
        if name.startswith("marketplace"):
            assert not name.startswith(("marketplace.home", "marketplace.cli")), name


@pytest.mark.parametrize(
    "path",
    [*modules("platforms"), *modules("institutions")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_storefronts_and_institutions_use_only_the_gateway_client(path):
    for name in imports_of(path):
        if name.startswith("prakerja_gateway"):
            assert name.startswith(GATEWAY_PUBLIC), f"{path}: imports {name}"
