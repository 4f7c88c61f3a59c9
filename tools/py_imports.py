#!/usr/bin/env python3
"""Reference import extraction for pymono's differential test of its import scanner.

Reads Python file paths from argv (or one per line from stdin when no arguments are given), parses each file with
Python's own `ast`, and prints one JSON object to stdout mapping each path to either
  {"ok": true, "imports": [record, ...]}   or   {"ok": false, "error": "<SyntaxError text>"}.
A record is one `import` alias (`import a.b as c, d` gives two) or one `from` statement:
  {"module": str, "level": int, "names": [{"name", "line", "col"}] | null, "line": int, "col": int}
Lines are 0-based; columns are UTF-16 code units (converted from ast's UTF-8 byte offsets). For `import`, the
position is the alias's dotted name; for `from`, it is the first character of the module text (its dots or name),
found by skipping whitespace and backslash continuations after the `from` keyword. Records are in source order.
A leading UTF-8 BOM is dropped before parsing (as the tokenizer does), so columns on line 0 do not count it.
"""
import ast
import json
import sys


def utf16_col(line: bytes, byte_col: int) -> int:
    """UTF-16 length of the first `byte_col` bytes of `line`."""
    return len(line[:byte_col].decode("utf-8", "replace").encode("utf-16-le")) // 2


def module_start(lines, lineno: int, col: int):
    """Position (line index, byte col) of the module text after the `from` keyword at (lineno, col)."""
    i, c = lineno, col + 4
    while True:
        line = lines[i]
        while c < len(line) and line[c:c + 1] in (b" ", b"\t", b"\f"):
            c += 1
        if line[c:c + 1] == b"\\" and line[c + 1:].strip(b"\r\n") == b"":
            i, c = i + 1, 0
            continue
        return i, c


def scan(path: str):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        tree = ast.parse(data, filename=path)
    except (SyntaxError, ValueError) as e:
        return {"ok": False, "error": str(e)}
    lines = data.splitlines(keepends=True) or [b""]
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    nodes.sort(key=lambda n: (n.lineno, n.col_offset))
    out = []
    for n in nodes:
        if isinstance(n, ast.Import):
            for a in n.names:
                li = a.lineno - 1
                out.append({"module": a.name, "level": 0, "names": None, "line": li,
                            "col": utf16_col(lines[li], a.col_offset)})
        else:
            li, bc = module_start(lines, n.lineno - 1, n.col_offset)
            names = [{"name": a.name, "line": a.lineno - 1, "col": utf16_col(lines[a.lineno - 1], a.col_offset)}
                     for a in n.names]
            out.append({"module": n.module or "", "level": n.level, "names": names, "line": li,
                        "col": utf16_col(lines[li], bc)})
    return {"ok": True, "imports": out}


def main() -> None:
    paths = sys.argv[1:] or [p for p in sys.stdin.read().splitlines() if p]
    result = {}
    for p in paths:
        try:
            result[p] = scan(p)
        except OSError as e:
            result[p] = {"ok": False, "error": str(e)}
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
