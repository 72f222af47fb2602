"""The last large id array of the list, kept on disk for the next start (Qt-free).

Reading the ordered ids of a million declarations takes SQLite a few hundred
milliseconds; reading them back from a file takes a few. A saved array is used only
while nothing it depends on changed: the query (filter and sort), the store's identity,
its write count (``meta.list_version``, bumped by triggers on every write to the
declarations) and its largest id, all read in the same transaction as the ids. Lists that
depend on plugin marks are never saved (marks change without touching the declarations).
"""
from __future__ import annotations

import json
import logging
import os
import sys
from array import array
from pathlib import Path
from typing import Any

from desktop.core.query import DeclarationFilter, Sort, filter_to_dict

log = logging.getLogger(__name__)

MIN_IDS = 50_000  # smaller answers come from SQLite quickly enough
FORMAT = 1


def cache_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".ids")


def query_key(flt: DeclarationFilter, sort: Sort) -> str | None:
    """The query as text, or None when its answer depends on plugin marks."""
    if flt.mark is not None or sort.column_key.startswith("mark:"):
        return None
    return json.dumps({"filter": filter_to_dict(flt.with_(title="")),
                       "sort": [sort.column_key, bool(sort.descending)]}, sort_keys=True, ensure_ascii=False)


class IdArrayCache:
    """One saved id array (the last large one) in ``path``."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def load(self, query: str, version: tuple[str, int, int]) -> array | None:
        """The saved ids of ``query`` at ``version``, or None."""
        try:
            with open(self.path, "rb") as f:
                header = json.loads(f.readline().decode("utf-8"))
                if (header.get("format") != FORMAT or header.get("query") != query
                        or header.get("version") != list(version) or header.get("byteorder") != sys.byteorder):
                    return None
                ids = array(str(header["typecode"]))
                data = f.read()
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        if len(data) != int(header.get("count", -1)) * ids.itemsize:
            return None
        ids.frombytes(data)
        return ids

    def save(self, query: str, version: tuple[str, int, int], ids: array) -> bool:
        if len(ids) < MIN_IDS:
            return False
        header: dict[str, Any] = {"format": FORMAT, "query": query, "version": list(version),
                                  "typecode": ids.typecode, "count": len(ids), "byteorder": sys.byteorder}
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(json.dumps(header).encode("utf-8") + b"\n")
                ids.tofile(f)
            os.replace(tmp, self.path)
        except OSError as exc:  # a cache only: the list works without it
            log.info("cannot save the list's id array: %s", exc)
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            return False
        return True
