"""Report exports: CSV and XLSX written row by row, never holding a whole export in memory.

* ``csv_stream(header, rows)`` yields UTF-8 text with a byte-order mark (Excel reads the
  Vietnamese letters right) in chunks of a few hundred rows;
* ``xlsx_stream(sheet, header, rows, types)`` writes with openpyxl's write-only workbook
  (rows go to a temporary file as they come) and yields the finished file in chunks;
  numbers are numbers, days are dates, percentages are numbers shown with one decimal;
* every text is in Unicode NFC.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import date
from typing import Any, Iterable, Iterator, Sequence

from domain.text import nfc

CHUNK_ROWS = 500
TEXT, INT, PERCENT, DAY = "text", "int", "percent", "day"


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    return value


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow([_clean(h) for h in header])
    n = 0
    for row in rows:
        writer.writerow(["" if v is None else _clean(v) for v in row])
        n += 1
        if n % CHUNK_ROWS == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def xlsx_stream(sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]], types: Sequence[str],
                chunk: int = 1 << 16) -> Iterator[bytes]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(nfc(sheet)[:31])
    bold = Font(bold=True)
    head = []
    for h in header:
        cell = WriteOnlyCell(ws, value=nfc(h))
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in rows:
        out = []
        for value, kind in zip(row, types):
            if value is None or value == "":
                out.append(None)
            elif kind == INT:
                out.append(int(value))
            elif kind == PERCENT:
                cell = WriteOnlyCell(ws, value=float(value))
                cell.number_format = "0.0"
                out.append(cell)
            elif kind == DAY:
                cell = WriteOnlyCell(ws, value=value if isinstance(value, date) else date.fromisoformat(str(value)))
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            else:
                out.append(_clean(str(value)))
        ws.append(out)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(path)
        with open(path, "rb") as fh:
            while data := fh.read(chunk):
                yield data
    finally:
        os.unlink(path)
