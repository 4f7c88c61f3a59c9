#!/usr/bin/env python3
"""Generate server/src/core/stdlibData.ts: top-level standard-library module names for Python 3.8 .. 3.14.

Usage (from the repository root):  python3 tools/gen-stdlib.py

The running interpreter's ``sys.stdlib_module_names`` (Python >= 3.10) is the anchor: its list is taken as
exact for its own minor version. Every other minor is derived from the anchor by walking the table of
documented additions and removals below (``CHANGES``), one minor at a time, outwards from the anchor.

Sources for the table: the "New Modules" and "Removed" sections of each "What's New in Python 3.x" page,
PEP 594 (removal of dead batteries, effective in 3.13), PEP 632 (distutils, removed in 3.12), and for the
private ``_``-prefixed modules CPython's ``Python/stdlib_module_names.h`` of each release. Private modules
are best effort: nobody imports them from application code, and the public names are what matter.

The output is written compactly: the anchor's list once, then for each other minor the names to add to it
and to remove from it. ``server/src/core/stdlib.ts`` expands these into one Set per minor (O(1) lookups).
"""
import os
import sys

MINORS = list(range(8, 15))

# CHANGES[m] = (added in 3.m, removed in 3.m), relative to 3.(m-1).
CHANGES = {
    9: (
        ["graphlib", "zoneinfo", "_zoneinfo", "_aix_support", "_bootsubprocess", "_peg_parser"],
        ["_dummy_thread", "dummy_threading"],
    ),
    10: (
        ["_statistics", "_typing"],
        ["formatter", "parser", "symbol", "_peg_parser", "_bootlocale"],
    ),
    11: (
        ["tomllib", "_tokenize"],
        ["binhex"],
    ),
    12: (
        ["_pydatetime", "_pylong", "_sha2", "_wmi"],
        ["asynchat", "asyncore", "distutils", "imp", "smtpd", "_sha256", "_sha512", "_bootsubprocess"],
    ),
    13: (
        [
            "_android_support", "_colorize", "_interpchannels", "_interpqueues", "_interpreters",
            "_ios_support", "_opcode_metadata", "_pyrepl", "_suggestions", "_sysconfig",
        ],
        [
            # PEP 594 dead batteries
            "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis",
            "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib",
            # and their private helpers, plus lib2to3 (deprecated since 3.11)
            "_crypt", "_msi", "lib2to3",
        ],
    ),
    14: (
        ["annotationlib", "compression", "_zstd", "_remote_debugging", "_py_warnings", "_types", "_hmac"],
        [],
    ),
}


def version_sets(anchor_minor, anchor):
    """Derive each minor's set by walking CHANGES outwards from the anchor."""
    sets = {anchor_minor: set(anchor)}
    current = set(anchor)
    for m in range(anchor_minor + 1, MINORS[-1] + 1):
        added, removed = CHANGES.get(m, ([], []))
        current = (current - set(removed)) | set(added)
        sets[m] = current
    current = set(anchor)
    for m in range(anchor_minor, MINORS[0], -1):
        # Undo 3.m's changes to get 3.(m-1).
        added, removed = CHANGES.get(m, ([], []))
        current = (current - set(added)) | set(removed)
        sets[m - 1] = current
    return sets


def ts_list(names, indent="  "):
    lines, line = [], indent
    for n in names:
        item = "'%s'," % n
        if len(line) + len(item) + 1 > 118:
            lines.append(line.rstrip())
            line = indent
        line += item + " "
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def main():
    if sys.version_info < (3, 10):
        sys.exit("gen-stdlib.py needs Python >= 3.10 (sys.stdlib_module_names)")
    anchor_minor = sys.version_info[1]
    anchor = set(sys.stdlib_module_names) | {"__future__"}
    sets = version_sets(anchor_minor, anchor)
    base = sorted(anchor)

    out = []
    out.append("// GENERATED FILE - do not edit by hand.")
    out.append("// Regenerate with `python3 tools/gen-stdlib.py` (the per-version change table lives in that script).")
    out.append("// Anchor: sys.stdlib_module_names of Python %d.%d.%d; other minors derived from documented changes."
               % sys.version_info[:3])
    out.append("")
    out.append("/** The minor version whose list `STDLIB_BASE` is (taken verbatim from that interpreter). */")
    out.append("export const STDLIB_BASE_MINOR = %d;" % anchor_minor)
    out.append("")
    out.append("/** Top-level standard-library module names of Python 3.`STDLIB_BASE_MINOR`, sorted. */")
    out.append("export const STDLIB_BASE: readonly string[] = [")
    out.append(ts_list(base))
    out.append("];")
    out.append("")
    out.append("/** For each minor 8..14: names to add to and remove from `STDLIB_BASE` to get that minor's list. */")
    out.append("export const STDLIB_DELTAS: Readonly<Record<number, { add: readonly string[]; remove: readonly string[] }>> = {")
    for m in MINORS:
        add = sorted(sets[m] - anchor)
        remove = sorted(anchor - sets[m])
        out.append("  %d: {" % m)
        out.append("    add: [%s]," % ", ".join("'%s'" % n for n in add))
        out.append("    remove: [%s]," % ", ".join("'%s'" % n for n in remove))
        out.append("  },")
    out.append("};")
    out.append("")

    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "server", "src", "core", "stdlibData.ts")
    with open(target, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    print("wrote %s (anchor 3.%d, %d base names)" % (os.path.normpath(target), anchor_minor, len(base)))


if __name__ == "__main__":
    main()
