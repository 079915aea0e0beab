/* tapi3-demo-scenes.c: the steps and scenes 1 to 8 of "tapi3 demo"
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi3-demo-private.h"

/* Shared steps */

static gboolean
is_offered (TapiCall *call)
{
  return call != NULL && tapi_call_get_state (call) == TAPI_CALL_STATE_OFFERING;
}

gboolean
has_state (TapiCall      *call,
           TapiCallState  state)
{
  return call != NULL && tapi_call_get_state (call) == state;
}

static void
caller_dials (Demo       *demo,
              const char *destination)
{
  App *caller = &demo->apps[APP_CALLER];

  demo->outgoing = app_create_call (demo, caller, destination);
  if (demo->outgoing == NULL)
    return;
  demo->connect_op = start_connect (demo, caller, demo->outgoing);
  step_done (demo);
}

static void
caller_dials_101 (Demo *demo)
{
  caller_dials (demo, "101");
}

static gboolean
softphone_offered_ready (Demo *demo)
{
  return is_offered (last_notified (demo, APP_SOFTPHONE));
}

void
wait_softphone_offered (Demo *demo)
{
  step_wait (demo, softphone_offered_ready,
             "the Softphone to be offered the call (owner handle, offering)");
}

void
check_softphone_owner (Demo *demo)
{
  demo->incoming = g_object_ref (last_notified (demo, APP_SOFTPHONE));
  if (expect_privilege (demo, demo->incoming, TAPI_CALL_PRIVILEGE_OWNER) &&
      expect_string (demo, demo->incoming, "caller-id-number",
                     tapi_call_get_caller_id_number (demo->incoming), "100"))
    step_done (demo);
}

void
answer_incoming (Demo *demo)
{
  App *app = app_of_call (demo, demo->incoming);

  step_wait_op (demo, start_answer (demo, app, demo->incoming), OP_OK);
}

static void
check_incoming_connected (Demo *demo)
{
  if (expect_state (demo, demo->incoming, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

void
wait_caller_connect (Demo *demo)
{
  step_wait_op (demo, demo->connect_op, OP_OK);
}

static void
check_outgoing_connected (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static gboolean
outgoing_disconnected_ready (Demo *demo)
{
  return has_state (demo->outgoing, TAPI_CALL_STATE_DISCONNECTED);
}

void
wait_outgoing_disconnected (Demo *demo)
{
  step_wait (demo, outgoing_disconnected_ready,
             "the Caller's call to be disconnected");
}

void
check_outgoing_normal (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL))
    step_done (demo);
}

void
incoming_hangs_up (Demo *demo)
{
  App *app = app_of_call (demo, demo->incoming);

  step_wait_op (demo, start_disconnect (demo, app, demo->incoming, "hang-up"),
                OP_OK);
}

void
caller_hangs_up (Demo *demo)
{
  step_wait_op (demo, start_disconnect (demo, &demo->apps[APP_CALLER],
                                        demo->outgoing, "hang-up"),
                OP_OK);
}

static gboolean
incoming_disconnected_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_DISCONNECTED);
}

static void
wait_incoming_disconnected (Demo *demo)
{
  step_wait (demo, incoming_disconnected_ready,
             "the answering application's call to be disconnected");
}

static void
check_incoming_normal (Demo *demo)
{
  if (expect_state (demo, demo->incoming, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL))
    step_done (demo);
}

void
register_softphone (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static void
register_softphone_colleague (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_COLLEAGUE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

#define SOFTPHONE_ANSWERS_CALL_FROM_100 \
  { APP_CALLER, "dials 101 from 100", caller_dials_101 }, \
  { APP_SOFTPHONE, NULL, wait_softphone_offered }, \
  { APP_SOFTPHONE, NULL, check_softphone_owner }, \
  { APP_SOFTPHONE, "answers", answer_incoming }, \
  { APP_SOFTPHONE, NULL, check_incoming_connected }, \
  { APP_CALLER, NULL, wait_caller_connect }, \
  { APP_CALLER, NULL, check_outgoing_connected }

/* Scene 1: an incoming call offered by priority */

static void
s1_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_RECEPTION], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_RECORDER], TRUE, FALSE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static void
s1_priority (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  App *reception = &demo->apps[APP_RECEPTION];

  if (!tapi_tapi_set_application_priority (reception->tapi,
                                           app_info[APP_RECEPTION].name,
                                           TAPI_MEDIA_TYPE_AUDIO, TRUE,
                                           &error))
    {
      step_fail (demo, "set_application_priority: expected success, got %s",
                 error->message);
      return;
    }
  demo->priority_set = TRUE;
  step_done (demo);
}

static gboolean
s1_offered_ready (Demo *demo)
{
  return is_offered (last_notified (demo, APP_RECEPTION)) &&
         last_notified (demo, APP_RECORDER) != NULL;
}

static void
s1_wait_offered (Demo *demo)
{
  step_wait (demo, s1_offered_ready,
             "the Reception to be offered the call (owner, offering) and the "
             "Recorder to get a monitor handle");
}

static void
s1_check_offered (Demo *demo)
{
  TapiCall *monitor = last_notified (demo, APP_RECORDER);

  demo->incoming = g_object_ref (last_notified (demo, APP_RECEPTION));
  if (!expect (demo, demo->apps[APP_SOFTPHONE].notified->len == 0,
               "the Softphone (lower priority) got a handle; expected none"))
    return;
  if (!expect_privilege (demo, demo->incoming, TAPI_CALL_PRIVILEGE_OWNER) ||
      !expect_privilege (demo, monitor, TAPI_CALL_PRIVILEGE_MONITOR) ||
      !expect_string (demo, demo->incoming, "caller-id-number",
                      tapi_call_get_caller_id_number (demo->incoming), "100"))
    return;
  step_done (demo);
}

static void
s1_check_softphone (Demo *demo)
{
  if (expect (demo, demo->apps[APP_SOFTPHONE].notified->len == 0,
              "the Softphone got a handle of the answered call; expected none"))
    step_done (demo);
}

static gboolean
s1_recorder_disconnected_ready (Demo *demo)
{
  return has_state (last_notified (demo, APP_RECORDER),
                    TAPI_CALL_STATE_DISCONNECTED);
}

static void
s1_wait_recorder (Demo *demo)
{
  step_wait (demo, s1_recorder_disconnected_ready,
             "the Recorder's monitor handle to see the call disconnected");
}

static void
s1_restore_priority (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  App *reception = &demo->apps[APP_RECEPTION];

  if (!tapi_tapi_set_application_priority (reception->tapi,
                                           app_info[APP_RECEPTION].name,
                                           TAPI_MEDIA_TYPE_AUDIO, FALSE,
                                           &error))
    {
      step_fail (demo, "set_application_priority (FALSE): expected success, "
                 "got %s", error->message);
      return;
    }
  demo->priority_set = FALSE;
  step_done (demo);
}

const Step demo_scene1[] = {
  { APP_SOFTPHONE, "Softphone, then Reception register as owners on 101; "
                   "Recorder as monitor", s1_register },
  { APP_RECEPTION, "puts itself first for audio (set_application_priority)",
    s1_priority },
  { APP_CALLER, "dials 101 from 100", caller_dials_101 },
  { APP_RECEPTION, NULL, s1_wait_offered },
  { APP_RECEPTION, NULL, s1_check_offered },
  { APP_RECEPTION, "answers", answer_incoming },
  { APP_RECEPTION, NULL, check_incoming_connected },
  { APP_CALLER, NULL, wait_caller_connect },
  { APP_CALLER, NULL, check_outgoing_connected },
  { APP_SOFTPHONE, NULL, s1_check_softphone },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_RECEPTION, NULL, wait_incoming_disconnected },
  { APP_RECEPTION, NULL, check_incoming_normal },
  { APP_RECORDER, NULL, s1_wait_recorder },
  { APP_RECEPTION, "gives up its priority", s1_restore_priority },
  { 0, NULL, NULL }
};

/* Scene 2: handoff by media type and by name */

static void
s2_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_FAX], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_G3FAX) &&
      app_register (demo, &demo->apps[APP_RECORDER], TRUE, FALSE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static gboolean
s2_recorder_monitor_ready (Demo *demo)
{
  return last_notified (demo, APP_RECORDER) != NULL;
}

static void
s2_wait_recorder_monitor (Demo *demo)
{
  step_wait (demo, s2_recorder_monitor_ready,
             "the Recorder to get a monitor handle of the call");
}

static void
s2_set_media_type (Demo *demo)
{
  g_autoptr(GError) error = NULL;

  TapiCallMediaControl *media_control =
    TAPI_CALL_MEDIA_CONTROL (demo->incoming);

  if (!tapi_call_media_control_set_media_type (media_control,
                                               TAPI_MEDIA_TYPE_G3FAX, &error))
    {
      step_fail (demo, "set_media_type (g3fax): expected success, got %s",
                 error->message);
      return;
    }
  step_done (demo);
}

static gboolean
s2_media_type_seen_ready (Demo *demo)
{
  TapiCall *monitor = last_notified (demo, APP_RECORDER);

  return (tapi_call_get_media_types (monitor) & TAPI_MEDIA_TYPE_G3FAX) != 0;
}

static void
s2_wait_media_type_seen (Demo *demo)
{
  step_wait (demo, s2_media_type_seen_ready,
             "the Recorder to see the media type change to g3fax");
}

static void
s2_handoff_fax (Demo *demo)
{
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                   "handoff-indirect to g3fax",
                   tapi_basic_call_control_handoff_indirect_finish);

  tapi_basic_call_control_handoff_indirect_async (BCC (demo->incoming),
                                                  TAPI_MEDIA_TYPE_G3FAX, NULL,
                                                  op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static gboolean
s2_fax_owns_ready (Demo *demo)
{
  TapiCall *fax_call = last_notified (demo, APP_FAX);

  TapiCall *handles[] = { fax_call, demo->incoming,
                          last_notified (demo, APP_RECORDER) };

  if (fax_call == NULL ||
      tapi_call_get_privilege (demo->incoming) != TAPI_CALL_PRIVILEGE_MONITOR)
    return FALSE;

  /* One owner (Fax), two monitors (Softphone, Recorder), seen by all. */
  for (guint i = 0; i < G_N_ELEMENTS (handles); i++)
    if (tapi_call_get_number_of_owners (handles[i]) != 1 ||
        tapi_call_get_number_of_monitors (handles[i]) != 2)
      return FALSE;
  return TRUE;
}

static void
s2_wait_fax_owns (Demo *demo)
{
  step_wait (demo, s2_fax_owns_ready,
             "the Fax to get an owner handle, the Softphone's handle to "
             "become monitor, and every handle to count 1 owner and 2 "
             "monitors");
}

static void
s2_check_fax_owns (Demo *demo)
{
  demo->handed = g_object_ref (last_notified (demo, APP_FAX));
  if (expect_privilege (demo, demo->handed, TAPI_CALL_PRIVILEGE_OWNER) &&
      expect_state (demo, demo->handed, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_privilege (demo, demo->incoming, TAPI_CALL_PRIVILEGE_MONITOR) &&
      expect_state (demo, demo->incoming, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
s2_handoff_self (Demo *demo)
{
  step_wait_op (demo,
                start_handoff_direct (demo, &demo->apps[APP_FAX], demo->handed,
                                      app_info[APP_FAX].name),
                TAPI_ERROR_TARGET_SELF);
}

static void
s2_check_unchanged (Demo *demo)
{
  if (expect_privilege (demo, demo->handed, TAPI_CALL_PRIVILEGE_OWNER) &&
      expect_state (demo, demo->handed, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_privilege (demo, demo->incoming, TAPI_CALL_PRIVILEGE_MONITOR))
    step_done (demo);
}

static void
s2_handoff_recorder (Demo *demo)
{
  step_wait_op (demo,
                start_handoff_direct (demo, &demo->apps[APP_FAX], demo->handed,
                                      app_info[APP_RECORDER].name),
                OP_OK);
}

static gboolean
s2_recorder_owns_ready (Demo *demo)
{
  TapiCall *recorder_call = last_notified (demo, APP_RECORDER);

  return tapi_call_get_privilege (recorder_call) == TAPI_CALL_PRIVILEGE_OWNER &&
         tapi_call_get_privilege (demo->handed) == TAPI_CALL_PRIVILEGE_MONITOR;
}

static void
s2_wait_recorder_owns (Demo *demo)
{
  step_wait (demo, s2_recorder_owns_ready,
             "the Recorder's monitor handle to become owner and the Fax's "
             "handle to become monitor");
}

static void
s2_check_recorder_owns (Demo *demo)
{
  App *recorder = &demo->apps[APP_RECORDER];

  if (!expect (demo, recorder->notified->len == 1,
               "the Recorder got %u handles; expected its one monitor handle "
               "to become owner", recorder->notified->len))
    return;
  if (expect_state (demo, app_last_notified (recorder),
                    TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
s2_handoff_nobody (Demo *demo)
{
  step_wait_op (demo,
                start_handoff_direct (demo, &demo->apps[APP_RECORDER],
                                      last_notified (demo, APP_RECORDER),
                                      "org.example.Nobody"),
                TAPI_ERROR_TARGET_NOT_FOUND);
}

static gboolean
s2_dropped_ready (Demo *demo)
{
  return has_state (last_notified (demo, APP_RECORDER),
                    TAPI_CALL_STATE_DISCONNECTED) &&
         has_state (demo->outgoing, TAPI_CALL_STATE_DISCONNECTED);
}

static void
s2_wait_dropped (Demo *demo)
{
  step_wait (demo, s2_dropped_ready,
             "the call to be disconnected after the failed handoff (the "
             "Recorder's and the Caller's calls)");
}

static void
s2_check_dropped (Demo *demo)
{
  if (expect_state (demo, last_notified (demo, APP_RECORDER),
                    TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED))
    step_done (demo);
}

const Step demo_scene2[] = {
  { APP_SOFTPHONE, "Softphone registers as owner for audio on 101, Fax for "
                   "g3fax, Recorder as monitor", s2_register },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_RECORDER, NULL, s2_wait_recorder_monitor },
  { APP_SOFTPHONE, "hears a fax tone: sets the media type to g3fax",
    s2_set_media_type },
  { APP_RECORDER, NULL, s2_wait_media_type_seen },
  { APP_SOFTPHONE, "hands the call off to whoever takes g3fax",
    s2_handoff_fax },
  { APP_FAX, NULL, s2_wait_fax_owns },
  { APP_FAX, NULL, s2_check_fax_owns },
  { APP_FAX, "hands the call to itself (expect target-self)",
    s2_handoff_self },
  { APP_FAX, NULL, s2_check_unchanged },
  { APP_FAX, "hands the call to org.example.Recorder by name",
    s2_handoff_recorder },
  { APP_RECORDER, NULL, s2_wait_recorder_owns },
  { APP_RECORDER, NULL, s2_check_recorder_owns },
  { APP_RECORDER, "hands the call to org.example.Nobody (expect "
                  "target-not-found)", s2_handoff_nobody },
  { APP_RECORDER, NULL, s2_wait_dropped },
  { APP_RECORDER, NULL, s2_check_dropped },
  { 0, NULL, NULL }
};

/* Scene 3: blind transfer */

static void
s3_blind_transfer (Demo *demo)
{
  demo->pending_op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                             "blind-transfer to 102",
                             tapi_basic_call_control_blind_transfer_finish);
  tapi_basic_call_control_blind_transfer_async (BCC (demo->incoming), "102",
                                                NULL, op_done_cb,
                                                demo->pending_op);
  step_done (demo);
}

static gboolean
colleague_offered_ready (Demo *demo)
{
  return is_offered (last_notified (demo, APP_COLLEAGUE));
}

static void
wait_colleague_offered (Demo *demo)
{
  step_wait (demo, colleague_offered_ready,
             "the Colleague to be offered a call on 102");
}

static void
take_colleague_call (Demo       *demo,
                     const char *caller)
{
  demo->third = g_object_ref (last_notified (demo, APP_COLLEAGUE));
  if (expect_privilege (demo, demo->third, TAPI_CALL_PRIVILEGE_OWNER) &&
      expect_string (demo, demo->third, "caller-id-number",
                     tapi_call_get_caller_id_number (demo->third), caller))
    step_done (demo);
}

static void
s3_take_colleague_call (Demo *demo)
{
  take_colleague_call (demo, "100");
}

static void
answer_third (Demo *demo)
{
  step_wait_op (demo, start_answer (demo, app_of_call (demo, demo->third),
                                    demo->third),
                OP_OK);
}

static void
wait_pending_op (Demo *demo)
{
  step_wait_op (demo, demo->pending_op, OP_OK);
}

static gboolean
s3_transferred_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_DISCONNECTED) &&
         has_state (demo->third, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->outgoing, TAPI_CALL_STATE_CONNECTED) &&
         connected_to (demo->outgoing, "102");
}

static void
s3_wait_transferred (Demo *demo)
{
  step_wait (demo, s3_transferred_ready,
             "the Softphone's call disconnected, the Caller (100) connected "
             "to 102 and the Colleague's call connected");
}

static void
third_hangs_up (Demo *demo)
{
  step_wait_op (demo, start_disconnect (demo, app_of_call (demo, demo->third),
                                        demo->third, "hang-up"),
                OP_OK);
}

const Step demo_scene3[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101, Colleague on 102",
    register_softphone_colleague },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_SOFTPHONE, "blind-transfers the call to 102", s3_blind_transfer },
  { APP_COLLEAGUE, NULL, wait_colleague_offered },
  { APP_COLLEAGUE, NULL, s3_take_colleague_call },
  { APP_COLLEAGUE, "answers", answer_third },
  { APP_SOFTPHONE, NULL, wait_pending_op },
  { APP_CALLER, NULL, s3_wait_transferred },
  { APP_COLLEAGUE, "hangs up", third_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

/* Scene 4: consultation transfer */

static void
create_consultation (Demo       *demo,
                     const char *destination)
{
  demo->consultation = app_create_call (demo, &demo->apps[APP_SOFTPHONE],
                                        destination);
  if (demo->consultation != NULL)
    step_done (demo);
}

static void
s4_create_consultation (Demo *demo)
{
  create_consultation (demo, "102");
}

static void
s4_take_colleague_call (Demo *demo)
{
  take_colleague_call (demo, "101");
}

static void
s4_transfer (Demo *demo)
{
  demo->pending_op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                             "transfer",
                             tapi_basic_call_control_transfer_finish);
  tapi_basic_call_control_transfer_async (BCC (demo->incoming),
                                          demo->consultation, NULL,
                                          op_done_cb, demo->pending_op);
  step_done (demo);
}

static gboolean
incoming_held_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_HOLD);
}

static void
wait_incoming_held (Demo *demo)
{
  step_wait (demo, incoming_held_ready,
             "the Softphone's first call to go on hold");
}

static void
check_consultation_connected (Demo *demo)
{
  if (expect_state (demo, demo->consultation, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_state (demo, demo->incoming, TAPI_CALL_STATE_HOLD, -1))
    step_done (demo);
}

static void
finish_consultation (Demo           *demo,
                     TapiFinishMode  mode)
{
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->consultation,
                   mode == TAPI_FINISH_MODE_AS_TRANSFER ?
                     "finish as transfer" : "finish as conference",
                   tapi_basic_call_control_finish_finish);

  tapi_basic_call_control_finish_async (BCC (demo->consultation), mode, NULL,
                                        op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static void
s4_finish (Demo *demo)
{
  finish_consultation (demo, TAPI_FINISH_MODE_AS_TRANSFER);
}

static gboolean
s4_transferred_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_DISCONNECTED) &&
         has_state (demo->consultation, TAPI_CALL_STATE_DISCONNECTED) &&
         connected_to (demo->outgoing, "102") &&
         connected_to (demo->third, "100");
}

static void
s4_wait_transferred (Demo *demo)
{
  step_wait (demo, s4_transferred_ready,
             "both Softphone calls disconnected, the Caller seeing 102 and "
             "the Colleague seeing 100 in connected-id-number");
}

static void
s4_check_transferred (Demo *demo)
{
  timeline (demo, &demo->apps[APP_CALLER], demo->outgoing,
            "connected-id-number is %s",
            tapi_call_get_connected_id_number (demo->outgoing));
  timeline (demo, &demo->apps[APP_COLLEAGUE], demo->third,
            "connected-id-number is %s",
            tapi_call_get_connected_id_number (demo->third));
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_state (demo, demo->third, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static gboolean
third_disconnected_ready (Demo *demo)
{
  return has_state (demo->third, TAPI_CALL_STATE_DISCONNECTED);
}

static void
wait_third_disconnected (Demo *demo)
{
  step_wait (demo, third_disconnected_ready,
             "the Colleague's call to be disconnected");
}

static void
check_third_normal (Demo *demo)
{
  if (expect_state (demo, demo->third, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL))
    step_done (demo);
}

const Step demo_scene4[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101, Colleague on 102",
    register_softphone_colleague },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_SOFTPHONE, "creates a consultation call to 102",
    s4_create_consultation },
  { APP_SOFTPHONE, "starts a transfer (the first call goes on hold)",
    s4_transfer },
  { APP_SOFTPHONE, NULL, wait_incoming_held },
  { APP_COLLEAGUE, NULL, wait_colleague_offered },
  { APP_COLLEAGUE, NULL, s4_take_colleague_call },
  { APP_COLLEAGUE, "answers", answer_third },
  { APP_SOFTPHONE, NULL, wait_pending_op },
  { APP_SOFTPHONE, NULL, check_consultation_connected },
  { APP_SOFTPHONE, "finishes the transfer", s4_finish },
  { APP_SOFTPHONE, NULL, s4_wait_transferred },
  { APP_CALLER, NULL, s4_check_transferred },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_COLLEAGUE, NULL, wait_third_disconnected },
  { APP_COLLEAGUE, NULL, check_third_normal },
  { 0, NULL, NULL }
};

/* Scene 5: conference */

static void
s5_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_OPERATOR], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static void
s5_create_consultation (Demo *demo)
{
  create_consultation (demo, "103");
}

static void
s5_conference (Demo *demo)
{
  demo->pending_op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                             "conference",
                             tapi_basic_call_control_conference_finish);
  tapi_basic_call_control_conference_async (BCC (demo->incoming),
                                            demo->consultation, NULL,
                                            op_done_cb, demo->pending_op);
  step_done (demo);
}

static gboolean
operator_offered_ready (Demo *demo)
{
  return is_offered (last_notified (demo, APP_OPERATOR));
}

static void
s5_wait_operator_offered (Demo *demo)
{
  step_wait (demo, operator_offered_ready,
             "the Operator to be offered a call on 103");
}

static void
s5_take_operator_call (Demo *demo)
{
  demo->third = g_object_ref (last_notified (demo, APP_OPERATOR));
  if (expect_string (demo, demo->third, "caller-id-number",
                     tapi_call_get_caller_id_number (demo->third), "101"))
    step_done (demo);
}

static void
s5_finish (Demo *demo)
{
  finish_consultation (demo, TAPI_FINISH_MODE_AS_CONFERENCE);
}

static gboolean
s5_conference_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->consultation, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->outgoing, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->third, TAPI_CALL_STATE_CONNECTED);
}

static void
s5_wait_conference (Demo *demo)
{
  step_wait (demo, s5_conference_ready,
             "the held call to resume and all three parties (100, 101, 103) "
             "to be connected");
}

static void
s5_remove (Demo *demo)
{
  TapiBasicCallControl *control = BCC (demo->consultation);
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->consultation,
                   "remove-from-conference",
                   tapi_basic_call_control_remove_from_conference_finish);

  tapi_basic_call_control_remove_from_conference_async (control, NULL,
                                                        op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static gboolean
s5_removed_ready (Demo *demo)
{
  return has_state (demo->consultation, TAPI_CALL_STATE_DISCONNECTED) &&
         has_state (demo->third, TAPI_CALL_STATE_DISCONNECTED);
}

static void
s5_wait_removed (Demo *demo)
{
  step_wait (demo, s5_removed_ready,
             "the Softphone's call to 103 and the Operator's call to be "
             "disconnected");
}

static void
s5_check_removed (Demo *demo)
{
  if (expect_state (demo, demo->incoming, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_state (demo, demo->outgoing, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

const Step demo_scene5[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101, Operator on 103",
    s5_register },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_SOFTPHONE, "creates a consultation call to 103",
    s5_create_consultation },
  { APP_SOFTPHONE, "starts a conference (the first call goes on hold)",
    s5_conference },
  { APP_SOFTPHONE, NULL, wait_incoming_held },
  { APP_OPERATOR, NULL, s5_wait_operator_offered },
  { APP_OPERATOR, NULL, s5_take_operator_call },
  { APP_OPERATOR, "answers", answer_third },
  { APP_SOFTPHONE, NULL, wait_pending_op },
  { APP_SOFTPHONE, NULL, check_consultation_connected },
  { APP_SOFTPHONE, "joins everybody (finish as conference)", s5_finish },
  { APP_SOFTPHONE, NULL, s5_wait_conference },
  { APP_SOFTPHONE, "removes 103 from the conference", s5_remove },
  { APP_SOFTPHONE, NULL, s5_wait_removed },
  { APP_SOFTPHONE, NULL, s5_check_removed },
  { APP_SOFTPHONE, "hangs up", incoming_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

/* Scene 6: park and unpark */

static void
s6_park (Demo *demo)
{
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                   "park-indirect", NULL);

  demo->pending_op = op;
  tapi_basic_call_control_park_indirect_async (BCC (demo->incoming), NULL,
                                               park_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static void
s6_check_parked (Demo *demo)
{
  const char *orbit = demo->pending_op->park_address;
  gboolean valid = orbit != NULL && strlen (orbit) == 4 &&
                   g_str_has_prefix (orbit, "70") &&
                   g_ascii_isdigit (orbit[2]) && g_ascii_isdigit (orbit[3]);

  if (!expect (demo, valid, "park-indirect returned \"%s\"; expected an orbit "
               "7000-7099", str_or_empty (orbit)))
    return;
  demo->orbit = g_strdup (orbit);
  step_done (demo);
}

static void
s6_wait_softphone_disconnected (Demo *demo)
{
  step_wait (demo, incoming_disconnected_ready,
             "the Softphone's call to be disconnected after parking");
}

static void
s6_unpark (Demo *demo)
{
  App *colleague = &demo->apps[APP_COLLEAGUE];
  Op *op;

  demo->third = app_create_call (demo, colleague, demo->orbit);
  if (demo->third == NULL)
    return;
  op = op_new (demo, colleague, demo->third, "unpark",
               tapi_basic_call_control_unpark_finish);
  tapi_basic_call_control_unpark_async (BCC (demo->third), NULL, op_done_cb,
                                        op);
  step_wait_op (demo, op, OP_OK);
}

static gboolean
s6_unparked_ready (Demo *demo)
{
  return has_state (demo->third, TAPI_CALL_STATE_CONNECTED) &&
         has_state (demo->outgoing, TAPI_CALL_STATE_CONNECTED) &&
         connected_to (demo->third, "100");
}

static void
s6_wait_unparked (Demo *demo)
{
  step_wait (demo, s6_unparked_ready,
             "the Colleague (102) connected to the Caller (100)");
}

static void
s6_unpark_again (Demo *demo)
{
  App *colleague = &demo->apps[APP_COLLEAGUE];
  TapiCall *call = app_create_call (demo, colleague, demo->orbit);
  Op *op;

  if (call == NULL)
    return;
  op = op_new (demo, colleague, call, "unpark",
               tapi_basic_call_control_unpark_finish);
  tapi_basic_call_control_unpark_async (BCC (call), NULL, op_done_cb, op);
  g_object_unref (call);
  step_wait_op (demo, op, TAPI_ERROR_INVALID_PARK_ID);
}

const Step demo_scene6[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101", register_softphone },
  SOFTPHONE_ANSWERS_CALL_FROM_100,
  { APP_SOFTPHONE, "parks the call (park-indirect)", s6_park },
  { APP_SOFTPHONE, NULL, s6_check_parked },
  { APP_SOFTPHONE, NULL, s6_wait_softphone_disconnected },
  { APP_COLLEAGUE, "unparks the orbit from 102", s6_unpark },
  { APP_COLLEAGUE, NULL, s6_wait_unparked },
  { APP_COLLEAGUE, "unparks the now empty orbit again (expect "
                   "invalid-park-id)", s6_unpark_again },
  { APP_COLLEAGUE, "hangs up", third_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

/* Scene 7: pickup */

static void
pickup_from_colleague (Demo *demo,
                       int   expected)
{
  App *colleague = &demo->apps[APP_COLLEAGUE];
  TapiCall *call = app_create_call (demo, colleague, NULL);
  Op *op;

  if (call == NULL)
    return;
  if (expected == OP_OK)
    demo->third = g_object_ref (call);
  op = op_new (demo, colleague, call, "pickup in group 1",
               tapi_basic_call_control_pickup_finish);
  tapi_basic_call_control_pickup_async (BCC (call), "1", NULL, op_done_cb, op);
  g_object_unref (call);
  step_wait_op (demo, op, expected);
}

static void
s7_pickup (Demo *demo)
{
  pickup_from_colleague (demo, OP_OK);
}

static void
s7_take_softphone_call (Demo *demo)
{
  demo->incoming = g_object_ref (last_notified (demo, APP_SOFTPHONE));
  step_done (demo);
}

static gboolean
s7_picked_ready (Demo *demo)
{
  return has_state (demo->incoming, TAPI_CALL_STATE_DISCONNECTED) &&
         demo->connect_op->done;
}

static void
s7_wait_picked (Demo *demo)
{
  step_wait (demo, s7_picked_ready,
             "the Softphone's offering handle to be disconnected and the "
             "Caller's call to complete");
}

static void
s7_check_picked (Demo *demo)
{
  if (!op_matches (demo, demo->connect_op, OP_OK))
    return;
  if (expect_state (demo, demo->third, TAPI_CALL_STATE_CONNECTED, -1) &&
      expect_state (demo, demo->outgoing, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
s7_pickup_nothing (Demo *demo)
{
  pickup_from_colleague (demo, TAPI_ERROR_CALL_UNAVAILABLE);
}

const Step demo_scene7[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101 (and lets it ring)",
    register_softphone },
  { APP_CALLER, "dials 101 from 100", caller_dials_101 },
  { APP_SOFTPHONE, NULL, wait_softphone_offered },
  { APP_SOFTPHONE, NULL, s7_take_softphone_call },
  { APP_COLLEAGUE, "picks the ringing call up from 102 (group 1)", s7_pickup },
  { APP_COLLEAGUE, NULL, s7_wait_picked },
  { APP_COLLEAGUE, NULL, s7_check_picked },
  { APP_COLLEAGUE, "hangs up", third_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { APP_COLLEAGUE, "tries a pickup with nothing ringing (expect "
                   "call-unavailable)", s7_pickup_nothing },
  { 0, NULL, NULL }
};

/* Scene 8: busy, malformed destination, dial tone */

static void
s8_dial_busy (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];

  demo->outgoing = app_create_call (demo, caller, "busy");
  if (demo->outgoing == NULL)
    return;
  step_wait_op (demo, start_connect (demo, caller, demo->outgoing),
                TAPI_ERROR_DEST_BUSY);
}

static void
s8_check_busy (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY))
    step_done (demo);
}

static void
s8_malformed (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiCall) call = NULL;

  call = tapi_address_create_call (caller->address, "10#1 ?",
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  if (!expect (demo, call == NULL &&
               g_error_matches (error, TAPI_ERROR, TAPI_ERROR_INVALID_ADDRESS),
               "create_call (\"10#1 ?\"): expected invalid-address, got %s",
               call != NULL ? "a call" : error->message))
    return;
  timeline (demo, caller, NULL, "refused: %s", error->message);
  step_done (demo);
}

static void
s8_dial_tone (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];

  g_clear_object (&demo->outgoing);
  demo->outgoing = app_create_call (demo, caller, NULL);
  if (demo->outgoing == NULL)
    return;
  step_wait_op (demo, start_connect (demo, caller, demo->outgoing), OP_OK);
}

static void
s8_check_dial_tone (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_IN_PROGRESS, -1))
    step_done (demo);
}

static void
s8_dial (Demo *demo)
{
  Op *op = op_new (demo, &demo->apps[APP_CALLER], demo->outgoing,
                   "dial answer", tapi_basic_call_control_dial_finish);

  tapi_basic_call_control_dial_async (BCC (demo->outgoing), "answer", NULL,
                                      op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static void
s8_check_hung_up (Demo *demo)
{
  if (expect_state (demo, demo->outgoing, TAPI_CALL_STATE_DISCONNECTED,
                    TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL))
    step_done (demo);
}

const Step demo_scene8[] = {
  { APP_CALLER, "dials \"busy\" (expect dest-busy)", s8_dial_busy },
  { APP_CALLER, NULL, s8_check_busy },
  { APP_CALLER, "creates a call to \"10#1 ?\" (expect invalid-address)",
    s8_malformed },
  { APP_CALLER, "goes off-hook without a number (dial tone)", s8_dial_tone },
  { APP_CALLER, NULL, s8_check_dial_tone },
  { APP_CALLER, "dials \"answer\"", s8_dial },
  { APP_CALLER, NULL, check_outgoing_connected },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_CALLER, NULL, s8_check_hung_up },
  { 0, NULL, NULL }
};
