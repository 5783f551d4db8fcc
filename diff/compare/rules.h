/*
 * Explained disagreements: the known, intended differences between h11c and
 * Python h11 (diff/compare/known_differences.json) and the expected quirks of
 * the other parsers (diff/compare/peer_quirks.json).  The harness shows a
 * disagreement that one of these explains as such, with its reason; it never
 * drops it.
 *
 * Both files are lists of entries with an "id", a "class" (or a list of
 * classes: framing, acceptance, interpretation, status), "roles", a
 * summary and a reason ("why"), optional "rfc" and "risk" (a quirk that is
 * an attack vector in its own right), optional "inputs" (corpus files, relative
 * to the repository root, that show the entry) and an optional "match" rule
 * that says, in a machine-checkable way, which disagreements it explains:
 *
 *   "match": {"when": [PREDICATE, ...]}     all must hold
 *
 * In a known difference, "self" is h11c and "other" is h11py.  In a peer
 * quirk (which has "impls": the implementations with the quirk, and
 * optionally "against": the only implementations it is seen against),
 * "self" is the implementation with the quirk and "other" the one it
 * disagrees with.  Predicates (each an object with one key):
 *
 *   {"input_has": [S, ...]}        every S occurs in the input (ASCII
 *                                  case-insensitive)
 *   {"input_has_any": [S, ...]}    at least one S occurs
 *   {"input_lacks": [S, ...]}      no S occurs
 *   {"input_regex": RE}            the POSIX extended regular expression RE
 *                                  (case-insensitive) matches the input
 *                                  (NUL bytes read as \x01)
 *   {"input_not_regex": RE}        RE does not match
 *   {"input_regex_cs": RE}, {"input_not_regex_cs": RE}   the same,
 *                                  case-sensitive
 *   {"first_head_has": NAME}       the first head (up to its empty line) has
 *                                  a field line named NAME (any case, no
 *                                  whitespace before the colon)
 *   {"first_head_lacks": NAME}     it has none
 *   {"chunk_data_end_not_crlf": B} (B true) in the first chunked body, some
 *                                  chunk's data is followed by anything
 *                                  but CRLF
 *   {"self_outcome": [O, ...]}     self's outcome is one of these
 *   {"other_outcome": [O, ...]}    other's outcome is one of these
 *   {"self_hint": N}               self rejects with status hint N
 *   {"other_hint": N}              other rejects with status hint N
 *   {"more_messages": "self"|"other"}  that side has more messages
 *   {"self_messages": N}           self reports exactly N messages
 *   {"other_messages": N}          other reports exactly N messages
 *   {"method": [M, ...]}           (client role) the request's method
 *   {"min_length": N}              the input has at least N bytes
 *
 * An entry explains a disagreement of one of its classes, in one of its
 * roles, between its two sides, when the input is one of its "inputs" or
 * its match rule holds.  The first such entry (known differences first, in
 * file order) is the explanation.
 */
#ifndef H11C_DIFF_RULES_H
#define H11C_DIFF_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff/compare/compare.h"
#include "diff/model/verdict.h"

typedef enum rule_kind { RULE_KNOWN = 0, RULE_QUIRK = 1 } rule_kind;

typedef struct rule rule;
typedef struct rulebook rulebook;

/* NULL paths: the copies built into the program (the files as they were at
 * build time). */
int rulebook_load(rulebook **rb, const char *known_path,
                  const char *quirks_path, char *err, size_t errlen);
void rulebook_free(rulebook *rb);
size_t rulebook_count(const rulebook *rb);
const rule *rulebook_rule(const rulebook *rb, size_t i);

/* One input, prepared once for the predicates. */
typedef struct rule_input {
  const char *path; /* may be NULL */
  verdict_role role;
  const char *method; /* client role; NULL means GET */
  const uint8_t *data;
  size_t len;
  char *text;  /* NUL-terminated copy, NUL bytes as \x01 (lazy) */
  char *lower; /* the same, ASCII lower-cased (lazy) */
} rule_input;

void rule_input_init(rule_input *in, const char *path, verdict_role role,
                     const char *method, const uint8_t *data, size_t len);
void rule_input_free(rule_input *in);

/* The entry that explains the disagreement d between implementation a
 * (verdict va) and b (verdict vb), or NULL. */
const rule *rulebook_explain(const rulebook *rb, rule_input *in, const char *a,
                             const verdict *va, const char *b,
                             const verdict *vb, const diff_result *d);

rule_kind rule_get_kind(const rule *r);
const char *rule_id(const rule *r);
const char *rule_summary(const rule *r);
/* The reason ("why"); never NULL. */
const char *rule_why(const rule *r);
/* The RFC section, or NULL. */
const char *rule_rfc(const rule *r);
/* "smuggling", "response splitting" (a quirk that is an attack vector in
 * its own right), or NULL. */
const char *rule_risk(const rule *r);
/* "known difference" or "expected quirk". */
const char *rule_kind_label(const rule *r);

#endif /* H11C_DIFF_RULES_H */
