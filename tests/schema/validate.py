#!/usr/bin/env python3
"""Validate trace folders against the JSON Schemas in schema/ (draft 2020-12, `jsonschema`).

  validate.py SCHEMA_DIR ours ROOT        every trace folder under ROOT (the test-traces
                                          convention of docs/testing.md); exit 77 when none
  validate.py SCHEMA_DIR upstream SHARED  the upstream traces with the profiles SOURCES.txt says
                                          they fit, and the ones they do not; exit 77 when absent
  validate.py SCHEMA_DIR cases DIR WANT   every case file in DIR must be accepted (WANT=valid) or
                                          rejected (WANT=invalid)
  validate.py SCHEMA_DIR check DIR [PROFILE]  one folder; prints the first error
  validate.py SCHEMA_DIR generated TMPDIR  schema/generate.py output equals the committed files

trace.json is read one event at a time (bounded memory), each event validated against
#/$defs/event of the profile's schema.
"""
import filecmp
import json
import os
import subprocess
import sys

import jsonschema

SKIP = 77
PROFILES = ("portable", "codetracer-25.11", "current")
CHUNK = 1 << 16

# Which profiles each upstream trace fits, from shared/upstream-traces/SOURCES.txt ("parse:"
# lines; 0.14.2 = codetracer-25.11, 0.19.0 = current; portable = both).
UPSTREAM = {
    "codetracer/db-backend-trace": PROFILES,
    "codetracer/loop-trace-25.11.1": PROFILES,
    "codetracer/m0_three_funcs": PROFILES,
    "codetracer/stylus-fund-trace": PROFILES,
    "codetracer-example-recordings/ruby-flow_test": PROFILES,
    "codetracer-example-recordings/python-flow_test": PROFILES,   # metadata and paths only
    "codetracer-ruby-recorder/addition": ("current",),
    "codetracer-ruby-recorder/addition-2025-09": PROFILES,
    "codetracer-ruby-recorder/more_types": ("current",),
    "runtime_tracing/trace_util-tests-data": ("current",),
}


def is_int(_checker, x):
    # JSON 1.0 is not an integer for serde; Python's json keeps the two apart.
    return isinstance(x, int) and not isinstance(x, bool)


Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", is_int))


class Schemas:
    def __init__(self, schema_dir):
        self.trace = {}
        self.event = {}
        for p in PROFILES:
            schema = load(os.path.join(schema_dir, "trace.%s.schema.json" % p))
            Validator.check_schema(schema)
            self.trace[p] = Validator(schema)
            # A validator for one event, resolving #/$defs against the whole profile schema.
            sub = dict(schema)
            sub.pop("items")
            sub.pop("type")
            sub["$ref"] = "#/$defs/event"
            self.event[p] = Validator(sub)
        meta = load(os.path.join(schema_dir, "trace_metadata.schema.json"))
        Validator.check_schema(meta)
        self.meta = Validator(meta)
        up = dict(meta)
        up.pop("allOf")
        up.pop("required")
        up["$ref"] = "#/$defs/upstream"
        self.meta_upstream = Validator(up)
        paths = load(os.path.join(schema_dir, "trace_paths.schema.json"))
        Validator.check_schema(paths)
        self.paths = Validator(paths)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def iter_array(path):
    """Yield (index, event, event_text) from a JSON array file without loading it whole."""
    dec = json.JSONDecoder()
    with open(path, encoding="utf-8") as f:
        buf, eof, pos = "", False, 0

        def fill():
            nonlocal buf, eof, pos
            more = f.read(CHUNK)
            buf = buf[pos:] + more
            pos = 0
            eof = not more

        def skip_ws():
            nonlocal pos
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n":
                    pos += 1
                if pos < len(buf) or eof:
                    return
                fill()

        fill()
        skip_ws()
        if buf[pos:pos + 1] != "[":
            raise ValueError("%s: not a JSON array" % path)
        pos += 1
        index = 0
        while True:
            skip_ws()
            if buf[pos:pos + 1] == "]":
                pos += 1
                skip_ws()
                if pos != len(buf):
                    raise ValueError("%s: data after the array" % path)
                return
            if index > 0:
                if buf[pos:pos + 1] != ",":
                    raise ValueError("%s: event %d: expected ',' or ']'" % (path, index))
                pos += 1
                skip_ws()
            while True:
                try:
                    event, end = dec.raw_decode(buf, pos)
                    # A number at the end of the buffer may continue in the next chunk.
                    if end < len(buf) or eof:
                        break
                except json.JSONDecodeError:
                    if eof:
                        raise
                fill()
            text = buf[pos:end]
            pos = end
            yield index, event, text
            index += 1


def first_error(validator, doc):
    if validator.is_valid(doc):   # the fast path; error search only for the rare failure
        return None
    err = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if err is None:
        return None
    where = "/".join(str(p) for p in err.absolute_path)
    return "%s: %s" % (where or "(top)", err.message[:300])


def check_trace(schemas, path, profile):
    """First schema error of trace.json as a string, or None."""
    # Recorded traces repeat events byte for byte (the same Step line, the same local value), so
    # a bounded cache of texts already found valid saves most of jsonschema's time.
    seen = set()
    try:
        for index, event, text in iter_array(path):
            if text in seen:
                continue
            msg = first_error(schemas.event[profile], event)
            if not msg and len(text) < 4096:
                if len(seen) >= 100000:
                    seen.clear()
                seen.add(text)
            if msg:
                name = next(iter(event)) if isinstance(event, dict) and event else event
                return "%s: event %d (%s): %s" % (path, index, str(name)[:40], msg)
    except ValueError as e:
        return "%s: %s" % (path, e)
    return None


def check_folder(schemas, folder, profile, upstream=False):
    """Errors (a list) of one trace folder."""
    errors = []
    trace = os.path.join(folder, "trace.json")
    if os.path.exists(trace):
        msg = check_trace(schemas, trace, profile)
        if msg:
            errors.append(msg)
    elif not upstream:
        errors.append("%s: missing" % trace)
    meta = os.path.join(folder, "trace_metadata.json")
    if os.path.exists(meta):
        msg = first_error(schemas.meta_upstream if upstream else schemas.meta, load(meta))
        if msg:
            errors.append("%s: %s" % (meta, msg))
    elif not upstream:
        errors.append("%s: missing" % meta)
    paths = os.path.join(folder, "trace_paths.json")
    if os.path.exists(paths):
        msg = first_error(schemas.paths, load(paths))
        if msg:
            errors.append("%s: %s" % (paths, msg))
    elif not upstream:
        errors.append("%s: missing" % paths)
    return errors


def trace_folders(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if "trace.json" in filenames:
            yield dirpath


def folder_profile(folder):
    try:
        with open(os.path.join(folder, "profile"), encoding="utf-8") as f:
            profile = f.read().strip()
    except FileNotFoundError:
        return "portable"
    if profile not in PROFILES:
        raise SystemExit("%s/profile: unknown profile %r" % (folder, profile))
    return profile


def run_ours(schemas, root):
    folders = list(trace_folders(root)) if os.path.isdir(root) else []
    if not folders:
        print("no trace folders under %s (the unit tests write them)" % root)
        return SKIP
    failed = 0
    for folder in folders:
        profile = folder_profile(folder)
        errors = check_folder(schemas, folder, profile)
        print("%s %s [%s]" % ("FAIL" if errors else "ok  ", folder, profile))
        for e in errors:
            print("    " + e)
        failed += bool(errors)
    print("%d trace folders, %d failed" % (len(folders), failed))
    return 1 if failed else 0


def run_upstream(schemas, shared):
    base = os.path.join(shared, "upstream-traces")
    if not os.path.isdir(base):
        print("skipped: %s is absent" % base)
        return SKIP
    failed = 0
    for case, fits in sorted(UPSTREAM.items()):
        folder = os.path.join(base, case)
        if not os.path.isdir(folder):
            print("absent  %s" % case)
            continue
        has_trace = os.path.exists(os.path.join(folder, "trace.json"))
        for profile in PROFILES if has_trace else PROFILES[:1]:
            errors = check_folder(schemas, folder, profile, upstream=True)
            want_ok = profile in fits
            good = (not errors) == want_ok
            print("%s %s [%s] %s" % ("ok  " if good else "FAIL", case, profile,
                                     "accepted" if not errors else "rejected: " + errors[0]))
            failed += not good
    return 1 if failed else 0


def run_cases(schemas, folder, want):
    """Case files: {"why", "profile", "file": trace|metadata|paths, "document"}."""
    names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    if not names:
        print("no cases in %s" % folder)
        return 1
    failed = 0
    for name in names:
        case = load(os.path.join(folder, name))
        kind, profile, doc = case["file"], case.get("profile", "portable"), case["document"]
        if kind == "trace":
            msg = first_error(schemas.trace[profile], doc)
        elif kind == "metadata":
            msg = first_error(schemas.meta, doc)
        else:
            msg = first_error(schemas.paths, doc)
        good = (msg is None) == (want == "valid")
        print("%s %s [%s] %s" % ("ok  " if good else "FAIL", name, profile,
                                 msg or "accepted"))
        failed += not good
    print("%d cases, %d failed" % (len(names), failed))
    return 1 if failed else 0


def run_generated(schema_dir, tmp):
    """The committed schemas are what generate.py makes (so nobody edits the output by hand)."""
    os.makedirs(tmp, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(schema_dir, "generate.py"), tmp], check=True)
    made = sorted(n for n in os.listdir(tmp) if n.endswith(".json"))
    _, mismatch, errors = filecmp.cmpfiles(schema_dir, tmp, made, shallow=False)
    for name in mismatch + errors:
        print("FAIL %s differs from `schema/generate.py` output" % name)
    print("%d schema files checked" % len(made))
    return 1 if mismatch or errors or not made else 0


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    mode = argv[2]
    if mode == "generated":
        return run_generated(argv[1], argv[3])
    schemas = Schemas(argv[1])
    if mode == "ours":
        return run_ours(schemas, argv[3])
    if mode == "upstream":
        return run_upstream(schemas, argv[3])
    if mode == "cases":
        return run_cases(schemas, argv[3], argv[4])
    if mode == "check":
        profile = argv[4] if len(argv) > 4 else "portable"
        errors = check_folder(schemas, argv[3], profile)
        for e in errors:
            print(e)
        return 1 if errors else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
