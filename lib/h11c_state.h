/*
 * state: the connection state machine (h11's _state).  It knows no bytes
 * and not which role is ours: the same rules apply to what we send and
 * what we receive.  Uses only the public types.
 */
#ifndef H11C_STATE_H
#define H11C_STATE_H

#include "h11c.h"

#include <stdbool.h>

/* Protocol-switch proposals (h11's _SWITCH_UPGRADE, _SWITCH_CONNECT). */
enum { H11C__SWITCH_UPGRADE = 1 << 0, H11C__SWITCH_CONNECT = 1 << 1 };

typedef struct h11c__cstate {
  h11c_state states[2];
  bool keep_alive;
  unsigned pending_switch; /* H11C__SWITCH_* bits */
} h11c__cstate;

void h11c__cstate_init(h11c__cstate *cs);
/* The role's side is in ERROR (h11's process_error). */
void h11c__cstate_process_error(h11c__cstate *cs, h11c_role role);
void h11c__cstate_keep_alive_disabled(h11c__cstate *cs);
void h11c__cstate_switch_proposal(h11c__cstate *cs, unsigned proposal);
/* The role sends an event of the given type; server_switch is the
 * proposal a server's event accepts (0 if none).  Returns
 * H11C_REASON_NONE or why the event may not happen now (no state changes
 * then, except that a final response declines every proposal). */
h11c_reason h11c__cstate_process_event(h11c__cstate *cs, h11c_role role,
                                       h11c_event_type type,
                                       unsigned server_switch);
/* Both sides DONE -> IDLE, or H11C_REASON_NOT_REUSABLE. */
h11c_reason h11c__cstate_start_next_cycle(h11c__cstate *cs);

#endif /* H11C_STATE_H */
