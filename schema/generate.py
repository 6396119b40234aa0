#!/usr/bin/env python3
"""Generate the JSON Schemas (draft 2020-12) of the CodeTracer trace files, one per writer profile.

The per-profile differences (Float as number or string; Char, Variant, Thread*, BindVariable,
Assignment, DropVariables presence; Call.args optional) are expressed once here, and each output
file is self-contained so that any draft 2020-12 validator can use it without a schema registry.
Facts: /work/shared/reference/codetracer-format.md sections 2-7 and 15 (runtime_tracing 0.14.2 for
CodeTracer 25.11, codetracer_trace_types 0.19.0 for current CodeTracer).

Usage: generate.py [OUTDIR]   (default: the folder of this script). The test
`schema_generated_up_to_date` regenerates into a temporary folder and compares.
"""
import json
import os
import sys

BASE = "https://ctrecord.invalid/schema/1/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

U64_MAX = 2**64 - 1
I64_MIN, I64_MAX = -(2**63), 2**63 - 1

PROFILES = {
    "portable": "both CodeTracer 25.11 and current CodeTracer accept (writer profile "
                "CT_PROFILE_PORTABLE)",
    "codetracer-25.11": "CodeTracer 25.11.x accepts (runtime_tracing 0.14.2; writer profile "
                        "CT_PROFILE_CODETRACER_25_11)",
    "current": "current CodeTracer accepts (codetracer_trace_types 0.19.0; writer profile "
               "CT_PROFILE_CURRENT)",
}

# Rust's f64::from_str grammar (what >= 0.16.2 uses on the string): sign, then inf/infinity/nan
# in any case, or digits with optional fraction and exponent.
FLOAT_STRING = (r"^[+-]?(([iI][nN][fF]([iI][nN][iI][tT][yY])?)|([nN][aA][nN])|"
                r"(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?))$")
# Standard padded base64 with canonical (zero) trailing bits, as base64 0.22 STANDARD decodes it.
BASE64 = (r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$")
UUID_V7 = r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def ref(name):
    return {"$ref": "#/$defs/" + name}


def record(props, optional=()):
    """An object with exactly these keys (unknown keys are rejected: see README.md)."""
    return {"type": "object", "properties": props,
            "required": [k for k in props if k not in optional],
            "additionalProperties": False}


def tagged(kind, props):
    """A ValueRecord variant: internally tagged by "kind"."""
    all_props = {"kind": {"const": kind}}
    all_props.update(props)
    return record(all_props)


def value_kinds(profile):
    """ValueRecord variants the profile carries (name -> fields)."""
    kinds = {
        "Int": {"i": ref("i64")},
        "Bool": {"b": {"type": "boolean"}},
        "String": {"text": {"type": "string"}},
        "Sequence": {"elements": {"type": "array", "items": ref("value")},
                     "is_slice": {"type": "boolean"}},
        "Tuple": {"elements": {"type": "array", "items": ref("value")}},
        "Struct": {"field_values": {"type": "array", "items": ref("value")}},
        "Reference": {"dereferenced": ref("value"), "address": ref("u64"),
                      "mutable": {"type": "boolean"}},
        "Raw": {"r": {"type": "string"}},
        "Error": {"msg": {"type": "string"}},
        "None": {},
        "BigInt": {"b": {"type": "string", "pattern": BASE64}, "negative": {"type": "boolean"}},
    }
    if profile == "codetracer-25.11":
        kinds["Float"] = {"f": {"type": "number"}}
    if profile == "current":
        kinds["Float"] = {"f": {"type": "string", "pattern": FLOAT_STRING}}
        kinds["Char"] = {"c": {"type": "string", "minLength": 1, "maxLength": 1}}
    if profile in ("codetracer-25.11", "current"):
        kinds["Variant"] = {"discriminator": {"type": "string"}, "contents": ref("value")}
    for props in kinds.values():
        props["type_id"] = ref("type_id")
    return kinds


def value_defs(profile):
    defs = {}
    kinds = value_kinds(profile)
    for name, props in kinds.items():
        defs["value_" + name] = tagged(name, props)
    # Dispatch on "kind" with if/then rather than oneOf: the same set of documents, but a
    # validator checks one variant instead of all of them, and reports that variant's error.
    defs["value"] = {
        "description": "ValueRecord (internally tagged by kind); Cell only inside CompoundValue",
        "type": "object", "required": ["kind"],
        "properties": {"kind": {"enum": sorted(kinds)}},
        "allOf": [{"if": {"properties": {"kind": {"const": n}}},
                   "then": ref("value_" + n)} for n in sorted(kinds)]}
    defs["value_Cell"] = tagged("Cell", {"place": ref("place")})
    seq = dict(kinds["Sequence"])
    seq["elements"] = {"type": "array", "items": {"oneOf": [ref("value"), ref("value_Cell")]}}
    defs["compound_sequence"] = dict(tagged("Sequence", seq),
                                     description="CompoundValue payload: a Sequence whose "
                                                 "elements may be Cells")
    return defs


def type_defs():
    field = record({"name": {"type": "string"}, "type_id": ref("type_id")})
    return {
        "type_kind": {"description": "TypeKind 0 Seq .. 33 Slice", "type": "integer",
                      "minimum": 0, "maximum": 33},
        "event_kind": {"description": "EventLogKind 0 Write .. 13 EvmEvent", "type": "integer",
                       "minimum": 0, "maximum": 13},
        "specific_info": {"oneOf": [
            record({"kind": {"const": "None"}}),
            record({"kind": {"const": "Struct"}, "fields": {"type": "array", "items": field}}),
            record({"kind": {"const": "Pointer"}, "dereference_type_id": ref("type_id")})]},
    }


def scalar_defs():
    u64 = {"type": "integer", "minimum": 0, "maximum": U64_MAX}
    return {
        "u64": u64,
        "i64": {"type": "integer", "minimum": I64_MIN, "maximum": I64_MAX},
        "path_id": dict(u64, description="index of an earlier Path event"),
        "function_id": dict(u64, description="index of an earlier Function event"),
        "type_id": dict(u64, description="index of an earlier Type event"),
        "variable_id": dict(u64, description="index of an earlier VariableName/Variable event"),
        "line": {"type": "integer", "minimum": I64_MIN, "maximum": I64_MAX},
        "place": {"type": "integer", "minimum": I64_MIN, "maximum": I64_MAX},
    }


def rvalue_def():
    """RValue, adjacently tagged (kind + data): codetracer_trace_types 0.19.0 only."""
    variants = [
        ("Simple", ref("variable_id")),
        ("Compound", {"type": "array", "items": ref("variable_id")}),
        ("Literal", None),
        ("FieldAccess", record({"receiver": ref("variable_id"), "field": {"type": "string"}})),
        ("IndexAccess", record({"receiver": ref("variable_id"), "index": ref("i64")})),
        ("FunctionReturn", record({"call_key": ref("i64")})),
    ]
    out = []
    for name, payload in variants:
        if payload is None:
            out.append(record({"kind": {"const": name}}))
        else:
            out.append(record({"kind": {"const": name}, "data": payload}))
    return {"oneOf": out}


def event_payloads(profile):
    """TraceLowLevelEvent variants the profile carries (name -> payload schema)."""
    fvr = record({"variable_id": ref("variable_id"), "value": ref("value")})
    args_optional = ("args",) if profile == "current" else ()
    ev = {
        "Step": record({"path_id": ref("path_id"), "line": ref("line")}),
        "Path": {"type": "string"},
        "VariableName": {"type": "string"},
        "Variable": {"type": "string", "description": "backward-compatible VariableName"},
        "Type": record({"kind": ref("type_kind"), "lang_type": {"type": "string"},
                        "specific_info": ref("specific_info")}),
        "Value": fvr,
        "Function": record({"path_id": ref("path_id"), "line": ref("line"),
                            "name": {"type": "string"}}),
        "Call": record({"function_id": ref("function_id"),
                        "args": {"type": "array", "items": fvr}}, optional=args_optional),
        "Return": record({"return_value": ref("value")}),
        "Event": record({"kind": ref("event_kind"), "metadata": {"type": "string"},
                         "content": {"type": "string"}}),
        "Asm": {"type": "array", "items": {"type": "string"}},
        "CompoundValue": record({"place": ref("place"), "value": ref("compound_sequence")}),
        "CellValue": record({"place": ref("place"), "value": ref("value")}),
        "AssignCompoundItem": record({"place": ref("place"), "index": ref("u64"),
                                      "item_place": ref("place")}),
        "AssignCell": record({"place": ref("place"), "new_value": ref("value")}),
        "VariableCell": record({"variable_id": ref("variable_id"), "place": ref("place")}),
        "DropVariable": ref("variable_id"),
    }
    if profile == "current":
        ev["BindVariable"] = record({"variable_id": ref("variable_id"), "place": ref("place")})
        ev["Assignment"] = record({"to": ref("variable_id"),
                                   "pass_by": {"enum": ["Value", "Reference"]},
                                   "from": ref("rvalue")})
        ev["DropVariables"] = {"type": "array", "items": ref("variable_id")}
        for name in ("ThreadStart", "ThreadExit", "ThreadSwitch"):
            ev[name] = ref("u64")
    return ev


def event_defs(profile):
    payloads = event_payloads(profile)
    defs = {"event_" + name: payload for name, payload in payloads.items()}
    defs["event"] = {
        "description": "TraceLowLevelEvent (externally tagged: one key naming the event, whose "
                       "payload is #/$defs/event_<name>). Unknown event names and DropLastStep "
                       "(fatal in every loader) are rejected.",
        "type": "object", "minProperties": 1, "maxProperties": 1,
        "propertyNames": {"enum": sorted(payloads)},
        "properties": {n: ref("event_" + n) for n in sorted(payloads)}}
    return defs


def trace_schema(profile):
    defs = {}
    defs.update(scalar_defs())
    defs.update(type_defs())
    defs.update(value_defs(profile))
    defs.update(event_defs(profile))
    if profile == "current":
        defs["rvalue"] = rvalue_def()
    return {
        "$schema": DRAFT,
        "$id": BASE + "trace.%s.schema.json" % profile,
        "title": "trace.json for profile %s" % profile,
        "description": "A JSON array of CodeTracer events that %s. Validate one event at a "
                       "time against #/$defs/event to stream a large file. Id references "
                       "and ordering are checked by `ctrecord validate`, not by this "
                       "schema." % PROFILES[profile],
        "type": "array",
        "items": ref("event"),
        "$defs": dict(sorted(defs.items())),
    }


def metadata_schema():
    props = {"recording_id": {"type": "string", "pattern": UUID_V7,
                              "description": "UUIDv7, lowercase, hyphenated"},
             "workdir": {"type": "string"}, "program": {"type": "string"},
             "args": {"type": "array", "items": {"type": "string"}}}
    upstream = {"description": "What CodeTracer 25.11 reads (workdir, program, args); other "
                               "recorders add keys, which loaders ignore",
                "type": "object", "properties": props,
                "required": ["workdir", "program", "args"]}
    return {
        "$schema": DRAFT,
        "$id": BASE + "trace_metadata.schema.json",
        "title": "trace_metadata.json",
        "description": "Written by ctrecord: recording_id, workdir, program and args, accepted "
                       "by every CodeTracer version. #/$defs/upstream is the looser shape of "
                       "other recorders' files (no recording_id).",
        "allOf": [ref("upstream")],
        "required": ["recording_id", "workdir", "program", "args"],
        "$defs": {"upstream": upstream},
    }


def paths_schema():
    return {
        "$schema": DRAFT,
        "$id": BASE + "trace_paths.schema.json",
        "title": "trace_paths.json",
        "description": "The payloads of the Path events in order (index = path_id).",
        "type": "array", "items": {"type": "string"},
    }


def outputs():
    out = {"trace.%s.schema.json" % p: trace_schema(p) for p in PROFILES}
    out["trace_metadata.schema.json"] = metadata_schema()
    out["trace_paths.schema.json"] = paths_schema()
    return out


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name, schema in outputs().items():
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            json.dump(schema, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
