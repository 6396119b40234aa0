#!/usr/bin/env python3
"""Every public function is documented: each CT_EXTERN declaration of the public headers is
preceded by its own /** */ comment, or follows directly (no blank line) a group of declarations
whose comment starts with "Each",
and a function that returns a pointer or fills a `**` out-parameter says who owns it and how
long it lives. Usage: check_docs.py HEADER...; prints one line per problem, exits 1 if any."""
import re
import sys

OWNERSHIP = re.compile(r"static|borrowed|owned|owner|valid until|lives|live |outlive|freed|"
                       r"ct_\w+_free|ct_\w+_close|copied|NULL", re.I)
DECL = re.compile(r"CT_EXTERN\((?P<ret>[^)]*)\)\s*(?P<name>ct_\w+)\s*\((?P<params>[^;]*?)\)"
                  r"(\s*CT_WARN_UNUSED_RESULT)?\s*;", re.S)


def problems(path):
    text = open(path, encoding="utf-8").read()
    out = []
    for m in DECL.finditer(text):
        before = text[:m.start()].rstrip()
        comment = None
        walked = False
        # Walk back over directly preceding declarations of the same group (no blank line).
        while True:
            if before.endswith("*/"):
                start = before.rfind("/*")
                comment = before[start:]
                break
            line_start = before.rfind("\n") + 1
            last = before[line_start:]
            # a preceding line that belongs to a declaration (possibly multi-line)
            prev_decl = before.rfind("CT_EXTERN(")
            if prev_decl < 0 or "\n\n" in before[prev_decl:] or not last.strip():
                break
            before = before[:prev_decl].rstrip()
            walked = True
        line = text.count("\n", 0, m.start()) + 1
        where = "%s:%d: %s" % (path, line, m.group("name"))
        # A comment shared by a group of declarations must say so ("Each ...").
        if comment is not None and walked and not re.search(r"\bEach\b", comment):
            comment = None
        if comment is None or not comment.startswith("/**") and not re.search(r"\bEach\b",
                                                                             comment):
            out.append(where + ": no doc comment")
            continue
        returns_pointer = "*" in m.group("ret")
        fills_pointer = "**" in m.group("params")
        if (returns_pointer or fills_pointer) and not OWNERSHIP.search(comment):
            out.append(where + ": returns or fills a pointer; the comment does not say who owns "
                       "it or how long it lives")
    return out


def main():
    found = []
    for path in sys.argv[1:]:
        found += problems(path)
    for p in found:
        print(p)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
