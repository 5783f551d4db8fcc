/*
 * events: what h11 checks when an event object is built (its _events),
 * for the events we send: arguments, field names and values, the framing
 * fields, Host, method, target, status code, reason phrase and chunk
 * extension.  Uses headers, abnf, names and mem.
 */
#ifndef H11C_EVENTS_H
#define H11C_EVENTS_H

#include "h11c.h"
#include "h11c_headers.h"
#include "h11c_mem.h"
#include "h11c_names.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether every pointer of ev is usable (a slice with a length has a
 * base, fields come with an array) and its type is known: what separates
 * caller misuse (H11C_ERR_INVALID_ARGUMENT) from a malformed event. */
bool h11c__event_args_ok(const h11c_event *ev);

/* Checks ev (whose arguments are ok) as h11 does when the event is built,
 * and copies its fields into out, normalised as h11 stores them (see
 * h11c__headers_check()); raw_name is always set in the copies.  Sets *pn
 * to their count and *fi to what they say.  Returns no error, the
 * violation with its status hint, or H11C_REASON_NOMEM. */
h11c__result h11c__event_check(const h11c_event *ev, h11c__fields *out,
                               const h11c_mem *mem, size_t *pn,
                               h11c__framing_info *fi);

#endif /* H11C_EVENTS_H */
