/*
 * One trace.json event: an object with exactly one key naming the variant (serde's external
 * tagging), the variant carried by the profile, and its payload of the right shape. Then the
 * loader rules (validate_rules.c). DropLastStep, bare or as {"DropLastStep": null}, is refused
 * in every profile: every CodeTracer loader panics on it.
 */
#include "validate_impl.h"

#include <string.h>

static const ct__vfield STEP[] = {{"path_id", CT__V_PATH_ID, 0}, {"line", CT__V_I64, 0}};
static const ct__vfield TYPE[] = {{"kind", CT__V_TYPE_KIND, 0}, {"lang_type", CT__V_STR, 0},
                                  {"specific_info", CT__V_SPECIFIC_INFO, 0}};
static const ct__vfield VALUE[] = {{"variable_id", CT__V_VARIABLE_ID, 0},
                                   {"value", CT__V_VALUE, 0}};
static const ct__vfield FUNCTION[] = {{"path_id", CT__V_PATH_ID, 0}, {"line", CT__V_I64, 0},
                                      {"name", CT__V_STR, 0}};
/* args: required up to types 0.16.2, #[serde(default)] since 0.16.3. */
static const ct__vfield CALL[] = {{"function_id", CT__V_FUNCTION_ID, 0},
                                  {"args", CT__V_ARGS, CT__P_CURRENT}};
static const ct__vfield RETURN[] = {{"return_value", CT__V_VALUE, 0}};
static const ct__vfield EVENT[] = {{"kind", CT__V_EVENT_KIND, 0}, {"metadata", CT__V_STR, 0},
                                   {"content", CT__V_STR, 0}};
static const ct__vfield BIND[] = {{"variable_id", CT__V_VARIABLE_ID, 0},
                                  {"place", CT__V_I64, 0}};
static const ct__vfield ASSIGNMENT[] = {{"to", CT__V_VARIABLE_ID, 0},
                                        {"pass_by", CT__V_PASS_BY, 0},
                                        {"from", CT__V_RVALUE, 0}};
static const ct__vfield COMPOUND[] = {{"place", CT__V_I64, 0}, {"value", CT__V_COMPOUND, 0}};
static const ct__vfield CELL[] = {{"place", CT__V_I64, 0}, {"value", CT__V_VALUE, 0}};
static const ct__vfield ITEM[] = {{"place", CT__V_I64, 0}, {"index", CT__V_U64, 0},
                                  {"item_place", CT__V_I64, 0}};
static const ct__vfield ASSIGN_CELL[] = {{"place", CT__V_I64, 0},
                                         {"new_value", CT__V_VALUE, 0}};
static const ct__vfield VARIABLE_CELL[] = {{"variable_id", CT__V_VARIABLE_ID, 0},
                                           {"place", CT__V_I64, 0}};

#define REC(name, profiles, f) {name, profiles, CT__V_RECORD, f, sizeof f / sizeof f[0]}
#define RAW(name, profiles, type) {name, profiles, type, NULL, 0}

/* Indexed by ct_event_type. */
static const struct event_spec {
    const char *name;
    unsigned profiles;
    unsigned char payload;      /* CT__V_RECORD: an object with `fields` */
    const ct__vfield *fields;
    size_t nfields;
} EVENTS[CT_EV_COUNT] = {
    REC("Step", CT__P_ALL, STEP),
    RAW("Path", CT__P_ALL, CT__V_STR),
    RAW("VariableName", CT__P_ALL, CT__V_STR),
    RAW("Variable", CT__P_ALL, CT__V_STR),
    REC("Type", CT__P_ALL, TYPE),
    REC("Value", CT__P_ALL, VALUE),
    REC("Function", CT__P_ALL, FUNCTION),
    REC("Call", CT__P_ALL, CALL),
    REC("Return", CT__P_ALL, RETURN),
    REC("Event", CT__P_ALL, EVENT),
    RAW("Asm", CT__P_ALL, CT__V_STRS),
    REC("BindVariable", CT__P_CURRENT, BIND),
    REC("Assignment", CT__P_CURRENT, ASSIGNMENT),
    RAW("DropVariables", CT__P_CURRENT, CT__V_VARIABLE_IDS),
    REC("CompoundValue", CT__P_ALL, COMPOUND),
    REC("CellValue", CT__P_ALL, CELL),
    REC("AssignCompoundItem", CT__P_ALL, ITEM),
    REC("AssignCell", CT__P_ALL, ASSIGN_CELL),
    REC("VariableCell", CT__P_ALL, VARIABLE_CELL),
    RAW("DropVariable", CT__P_ALL, CT__V_VARIABLE_ID),
    RAW("ThreadStart", CT__P_CURRENT, CT__V_U64),
    RAW("ThreadExit", CT__P_CURRENT, CT__V_U64),
    RAW("ThreadSwitch", CT__P_CURRENT, CT__V_U64),
    RAW("DropLastStep", 0, CT__V_STR),
};

const char *ct_event_type_name(ct_event_type type)
{
    return (unsigned)type < CT_EV_COUNT ? EVENTS[type].name : "?";
}

static int find_event(const char *name)
{
    int i;
    for (i = 0; i < CT_EV_COUNT; i++)
        if (!strcmp(EVENTS[i].name, name))
            return i;
    return -1;
}

static const char *profile_name(unsigned bit)
{
    return bit == CT__P_PORTABLE ? "portable" : bit == CT__P_25_11 ? "codetracer-25.11"
                                                                   : "current";
}

static ct_status check_payload(ct__vstate *st, const struct event_spec *spec,
                               const cJSON *payload)
{
    if (spec->payload == CT__V_RECORD)
        return ct__vcheck_record(st, payload, spec->fields, spec->nfields, NULL);
    return ct__vcheck(st, payload, spec->payload);
}

static ct_status drop_last_step(ct__vstate *st)
{
    st->name = "DropLastStep";
    return ct__vfail(st, "DropLastStep makes every CodeTracer loader panic");
}

ct_status ct__vevent(ct__vstate *st, cJSON *event)
{
    const struct event_spec *spec;
    int type;
    st->name = NULL;
    ct__vwhere_pop(st, 0);
    if (cJSON_IsString(event) && !strcmp(event->valuestring, "DropLastStep"))
        return drop_last_step(st);
    if (!cJSON_IsObject(event) || !event->child || event->child->next)
        return ct__vfail(st, "expected an object with exactly one key (the event name)");
    type = find_event(event->child->string);
    if (type < 0)
        return ct__vfail(st, "unknown event \"%.64s\"", event->child->string);
    spec = &EVENTS[type];
    st->name = spec->name;
    if (type == CT_EV_DROP_LAST_STEP)
        return drop_last_step(st);
    if (st->event_depth > CT__SERDE_MAX_EVENT_DEPTH)
        return ct__vfail(st, "nested %u levels deep; serde_json stops at 127 with the trace "
                             "array", st->event_depth);
    if (!(spec->profiles & st->profile_bit))
        return ct__vfail(st, "%s is not loadable in profile %s", spec->name,
                         profile_name(st->profile_bit));
    CT_TRY(check_payload(st, spec, event->child));
    CT_TRY(ct__vrules(st, (ct_event_type)type, event->child));
    st->report->per_type[type]++;
    return CT_OK;
}
