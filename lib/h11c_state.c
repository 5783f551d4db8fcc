/*
 * state: the connection state machine (h11's _state).
 *
 * Two rules, as in h11: everything that affects states and transitions
 * lives here; and this file does not know which role is local, so the same
 * rules apply to what we send and what we receive.
 *
 * Each side has a state.  Events move a side along EVENT_TX below (one
 * cross-role entry: a client's Request moves the server from IDLE to
 * SEND_RESPONSE).  Then state-triggered transitions are applied until
 * nothing changes: pending protocol-switch proposals, keep-alive being
 * turned off, and the joint-state rules of JOINT_TX.
 */
#include "h11c_state.h"

#include <stdint.h>

/* Event keys: the public event types plus the three special ones. */
enum {
  K_REQUEST = H11C_EV_REQUEST,
  K_INFO = H11C_EV_INFORMATIONAL_RESPONSE,
  K_RESPONSE = H11C_EV_RESPONSE,
  K_DATA = H11C_EV_DATA,
  K_EOM = H11C_EV_END_OF_MESSAGE,
  K_CLOSED = H11C_EV_CONNECTION_CLOSED,
  K_REQUEST_FROM_CLIENT, /* (Request, CLIENT) for the server side */
  K_INFO_UPGRADE,        /* (InformationalResponse, _SWITCH_UPGRADE) */
  K_RESPONSE_CONNECT,    /* (Response, _SWITCH_CONNECT) */
  K_COUNT
};

#define S(x) ((uint8_t)(H11C_##x + 1)) /* 0 means "not allowed" */

static const uint8_t EVENT_TX[2][H11C_ERROR + 1][K_COUNT] = {
    [H11C_CLIENT] =
        {
            [H11C_IDLE] = {[K_REQUEST] = S(SEND_BODY), [K_CLOSED] = S(CLOSED)},
            [H11C_SEND_BODY] = {[K_DATA] = S(SEND_BODY), [K_EOM] = S(DONE)},
            [H11C_DONE] = {[K_CLOSED] = S(CLOSED)},
            [H11C_MUST_CLOSE] = {[K_CLOSED] = S(CLOSED)},
            [H11C_CLOSED] = {[K_CLOSED] = S(CLOSED)},
        },
    [H11C_SERVER] =
        {
            [H11C_IDLE] = {[K_CLOSED] = S(CLOSED),
                           [K_RESPONSE] = S(SEND_BODY),
                           [K_REQUEST_FROM_CLIENT] = S(SEND_RESPONSE)},
            [H11C_SEND_RESPONSE] = {[K_INFO] = S(SEND_RESPONSE),
                                    [K_RESPONSE] = S(SEND_BODY),
                                    [K_INFO_UPGRADE] = S(SWITCHED_PROTOCOL),
                                    [K_RESPONSE_CONNECT] =
                                        S(SWITCHED_PROTOCOL)},
            [H11C_SEND_BODY] = {[K_DATA] = S(SEND_BODY), [K_EOM] = S(DONE)},
            [H11C_DONE] = {[K_CLOSED] = S(CLOSED)},
            [H11C_MUST_CLOSE] = {[K_CLOSED] = S(CLOSED)},
            [H11C_CLOSED] = {[K_CLOSED] = S(CLOSED)},
        },
};

/* h11's STATE_TRIGGERED_TRANSITIONS: (client state, server state) -> the
 * one side that changes, and its new state. */
#define TO_CLIENT(x) ((uint8_t)(0x10 | (H11C_##x + 1)))
#define TO_SERVER(x) ((uint8_t)(0x20 | (H11C_##x + 1)))

static const uint8_t JOINT_TX[H11C_ERROR + 1][H11C_ERROR + 1] = {
    /* The server accepted the client's proposal. */
    [H11C_MIGHT_SWITCH_PROTOCOL][H11C_SWITCHED_PROTOCOL] =
        TO_CLIENT(SWITCHED_PROTOCOL),
    /* A side that closed or failed ends the other's keep-alive. */
    [H11C_CLOSED][H11C_DONE] = TO_SERVER(MUST_CLOSE),
    [H11C_CLOSED][H11C_IDLE] = TO_SERVER(MUST_CLOSE),
    [H11C_ERROR][H11C_DONE] = TO_SERVER(MUST_CLOSE),
    [H11C_DONE][H11C_CLOSED] = TO_CLIENT(MUST_CLOSE),
    [H11C_IDLE][H11C_CLOSED] = TO_CLIENT(MUST_CLOSE),
    [H11C_DONE][H11C_ERROR] = TO_CLIENT(MUST_CLOSE),
};

#undef S
#undef TO_CLIENT
#undef TO_SERVER

void h11c__cstate_init(h11c__cstate *cs) {
  cs->states[H11C_CLIENT] = H11C_IDLE;
  cs->states[H11C_SERVER] = H11C_IDLE;
  cs->keep_alive = true;
  cs->pending_switch = 0;
}

static void fire_state_triggered(h11c__cstate *cs) {
  h11c_state *c = &cs->states[H11C_CLIENT], *s = &cs->states[H11C_SERVER];
  for (;;) {
    h11c_state c0 = *c, s0 = *s;
    if (cs->pending_switch && *c == H11C_DONE)
      *c = H11C_MIGHT_SWITCH_PROTOCOL;
    if (!cs->pending_switch && *c == H11C_MIGHT_SWITCH_PROTOCOL)
      *c = H11C_DONE;
    if (!cs->keep_alive) {
      if (*c == H11C_DONE)
        *c = H11C_MUST_CLOSE;
      if (*s == H11C_DONE)
        *s = H11C_MUST_CLOSE;
    }
    {
      uint8_t tx = JOINT_TX[*c][*s];
      if (tx)
        *((tx & 0x10) ? c : s) = (h11c_state)((tx & 0x0f) - 1);
    }
    if (*c == c0 && *s == s0)
      return;
  }
}

void h11c__cstate_process_error(h11c__cstate *cs, h11c_role role) {
  cs->states[role] = H11C_ERROR;
  fire_state_triggered(cs);
}

void h11c__cstate_keep_alive_disabled(h11c__cstate *cs) {
  cs->keep_alive = false;
  fire_state_triggered(cs);
}

void h11c__cstate_switch_proposal(h11c__cstate *cs, unsigned proposal) {
  cs->pending_switch |= proposal;
  fire_state_triggered(cs);
}

static h11c_reason fire_event(h11c__cstate *cs, h11c_role role, int key) {
  uint8_t next = EVENT_TX[role][cs->states[role]][key];
  if (!next)
    return H11C_REASON_BAD_EVENT_FOR_STATE;
  cs->states[role] = (h11c_state)(next - 1);
  return H11C_REASON_NONE;
}

h11c_reason h11c__cstate_process_event(h11c__cstate *cs, h11c_role role,
                                       h11c_event_type type,
                                       unsigned server_switch) {
  int key = (int)type;
  h11c_reason r;
  if (server_switch) {
    if (!(cs->pending_switch & server_switch))
      return H11C_REASON_NO_PENDING_PROPOSAL;
    key = server_switch == H11C__SWITCH_UPGRADE ? K_INFO_UPGRADE
                                                : K_RESPONSE_CONNECT;
  } else if (type == H11C_EV_RESPONSE) {
    /* A final response that does not switch declines every proposal. */
    cs->pending_switch = 0;
  }
  r = fire_event(cs, role, key);
  if (r != H11C_REASON_NONE)
    return r;
  if (type == H11C_EV_REQUEST) {
    r = fire_event(cs, H11C_SERVER, K_REQUEST_FROM_CLIENT);
    if (r != H11C_REASON_NONE)
      return r;
  }
  fire_state_triggered(cs);
  return H11C_REASON_NONE;
}

h11c_reason h11c__cstate_start_next_cycle(h11c__cstate *cs) {
  if (cs->states[H11C_CLIENT] != H11C_DONE ||
      cs->states[H11C_SERVER] != H11C_DONE)
    return H11C_REASON_NOT_REUSABLE;
  cs->states[H11C_CLIENT] = H11C_IDLE;
  cs->states[H11C_SERVER] = H11C_IDLE;
  return H11C_REASON_NONE;
}
