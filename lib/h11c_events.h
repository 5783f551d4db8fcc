/*
 * events: what h11 checks when an event object is built (its _events),
 * for the events we send: arguments, field names and values, the framing
 * fields, Host, method, target, status code, reason phrase and chunk
 * extension.  Uses headers, abnf and names.
 */
#ifndef H11C_EVENTS_H
#define H11C_EVENTS_H

#include "h11c.h"
#include "h11c_headers.h"
#include "h11c_names.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether every pointer of ev is usable (a slice with a length has a
 * base, fields come with an array) and its type is known: what separates
 * caller misuse (H11C_ERR_INVALID_ARGUMENT) from a malformed event. */
bool h11c__event_args_ok(const h11c_event *ev);

/* Checks ev (whose arguments are ok) as h11 does when the event is built,
 * where it is (nothing is copied), and sets *fi to what its fields say;
 * fi->normalised says whether h11 would store them changed.  Returns no
 * error, or the violation with its status hint. */
h11c__result h11c__event_check(const h11c_event *ev, h11c__framing_info *fi);

#endif /* H11C_EVENTS_H */
