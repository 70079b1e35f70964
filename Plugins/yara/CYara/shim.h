/*
 * shim.h -- libyara (Debian libyara-dev 4.2.3) for Swift.
 *
 * libyara's iteration helpers are macros, which Swift cannot import; the static inline
 * functions below are their equivalents.
 */
#ifndef THOR_CYARA_SHIM_H
#define THOR_CYARA_SHIM_H

#include <yara.h>
#include <string.h>

/* Index of a rule in rules->rules_table (stable for the life of the YR_RULES). */
static inline uint32_t cyara_rule_index(const YR_RULES *rules, const YR_RULE *rule) {
    return (uint32_t)(rule - rules->rules_table);
}

static inline uint32_t cyara_rule_count(const YR_RULES *rules) {
    uint32_t n = 0;
    const YR_RULE *rule;
    yr_rules_foreach(rules, rule) { n++; }
    return n;
}

static inline const YR_RULE *cyara_rule_at(const YR_RULES *rules, uint32_t index) {
    return &rules->rules_table[index];
}

static inline int cyara_rule_is_private(const YR_RULE *rule) { return RULE_IS_PRIVATE(rule) != 0; }
static inline const char *cyara_rule_identifier(const YR_RULE *rule) { return rule->identifier; }
static inline const char *cyara_rule_namespace(const YR_RULE *rule) { return rule->ns->name; }

/* Tags: a sequence of NUL-terminated names ended by an empty one; NULL when there are none. */
static inline const char *cyara_rule_first_tag(const YR_RULE *rule) {
    return (rule->tags != NULL && *rule->tags != '\0') ? rule->tags : NULL;
}
static inline const char *cyara_next_tag(const char *tag) {
    const char *next = tag + strlen(tag) + 1;
    return *next != '\0' ? next : NULL;
}

static inline const YR_META *cyara_rule_first_meta(const YR_RULE *rule) { return rule->metas; }
static inline const YR_META *cyara_next_meta(const YR_META *meta) {
    return META_IS_LAST_IN_RULE(meta) ? NULL : meta + 1;
}
static inline const char *cyara_meta_identifier(const YR_META *meta) { return meta->identifier; }
static inline const char *cyara_meta_string(const YR_META *meta) { return meta->string; }

static inline const YR_STRING *cyara_rule_first_string(const YR_RULE *rule) { return rule->strings; }
static inline const YR_STRING *cyara_next_string(const YR_STRING *s) {
    return STRING_IS_LAST_IN_RULE(s) ? NULL : s + 1;
}
static inline const char *cyara_string_identifier(const YR_STRING *s) { return s->identifier; }

/* First non-private match of a string in the scan that is reporting; NULL when none. */
static inline const YR_MATCH *cyara_skip_private(const YR_MATCH *m) {
    while (m != NULL && m->is_private) m = m->next;
    return m;
}
static inline const YR_MATCH *cyara_first_match(YR_SCAN_CONTEXT *ctx, const YR_STRING *s) {
    return cyara_skip_private(ctx->matches[s->idx].head);
}
static inline const YR_MATCH *cyara_next_match(const YR_MATCH *m) { return cyara_skip_private(m->next); }

/* Bytes in memory read through a YR_STREAM (yr_rules_load_stream) as fread reads a file: whole
 * items only, the count read. In C because libyara calls it once per arena relocation. */
typedef struct {
    const uint8_t *bytes;
    size_t size;
    size_t position;
} cyara_memory_stream;

static inline size_t cyara_memory_stream_read(void *destination, size_t size, size_t count, void *user_data) {
    cyara_memory_stream *stream = (cyara_memory_stream *)user_data;
    if (size == 0 || count == 0 || stream->position > stream->size) return 0;
    size_t items = (stream->size - stream->position) / size;
    if (items > count) items = count;
    memcpy(destination, stream->bytes + stream->position, items * size);
    stream->position += items * size;
    return items;
}

#endif
