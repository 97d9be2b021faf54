"""The native families: every module of this package that defines `FAMILY`
(or `FAMILIES`, a tuple, when it has a second, `last` phase).

Found by listing the package, so a new family is one new module and no shared list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache, lru_cache

from tfshift.native.family import Family

# Modules of the package that are machinery, not families.
_MACHINERY = frozenset({"family", "registry", "driver", "cli", "report", "names", "checkpoint",
                        "optimizers_table"})


@cache
def families() -> tuple[Family, ...]:
    import tfshift.native as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in _MACHINERY or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"tfshift.native.{info.name}")
        listed = getattr(module, "FAMILIES", None) or (getattr(module, "FAMILY", None),)
        found.extend(f for f in listed if isinstance(f, Family))
    return tuple(sorted(found, key=lambda f: (f.order, f.name)))


@lru_cache(maxsize=65536)
def claimed(name: str) -> bool:
    """Whether some family owns this TF1 name (the generic renamer leaves it alone)."""
    return any(f.claimed(name) for f in families())
