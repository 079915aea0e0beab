/* tapi3-demo-scenes-media.c: the media scenes (9 to 11) of "tapi3 demo"
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi3-demo-private.h"

/* Scene 9: recording across a handoff */

static void
s9_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_SOFTPHONE], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_AUDIO) &&
      app_register (demo, &demo->apps[APP_RECORDER], TRUE, FALSE,
                    TAPI_MEDIA_TYPE_AUDIO))
    step_done (demo);
}

static void
s9_caller_dials_with_tone (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];
  TapiTerminal *tone;

  demo->outgoing = app_create_call (demo, caller, "101");
  if (demo->outgoing == NULL)
    return;
  tone = app_create_terminal (demo, caller, demo->outgoing,
                              TAPI_TERMINAL_CLASS_TONE,
                              TAPI_TERMINAL_DIRECTION_CAPTURE);
  if (tone == NULL)
    return;
  tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (tone), 1000.0);
  if (!app_select_terminal (demo, caller, demo->outgoing, tone))
    return;
  demo->connect_op = start_connect (demo, caller, demo->outgoing);
  step_done (demo);
}

static void
s9_softphone_records (Demo *demo)
{
  demo->first_recording = recording_path (demo, "softphone.wav");
  if (app_record (demo, &demo->apps[APP_SOFTPHONE], demo->incoming,
                  demo->first_recording))
    step_done (demo);
}

static gboolean
s9_softphone_recording_ready (Demo *demo)
{
  return stream_has_state (demo->outgoing, TAPI_TERMINAL_DIRECTION_CAPTURE,
                           TAPI_STREAM_STATE_ACTIVE) &&
         stream_has_state (demo->incoming, TAPI_TERMINAL_DIRECTION_RENDER,
                           TAPI_STREAM_STATE_ACTIVE);
}

static void
s9_wait_softphone_recording (Demo *demo)
{
  step_wait (demo, s9_softphone_recording_ready,
             "the Caller's capture stream (tone) and the Softphone's render "
             "stream (recording) to become active");
}

static void
s9_record_1s (Demo *demo)
{
  meter_render_stream (demo, demo->incoming);
  step_sleep (demo, 1000, "1 s of recording");
}

static void
s9_check_softphone_level (Demo *demo)
{
  if (expect_loud_recording (demo, &demo->apps[APP_SOFTPHONE]))
    step_done (demo);
}

static void
s9_handoff_recorder (Demo *demo)
{
  step_wait_op (demo,
                start_handoff_direct (demo, &demo->apps[APP_SOFTPHONE],
                                      demo->incoming,
                                      app_info[APP_RECORDER].name),
                OP_OK);
}

static gboolean
s9_recorder_owns_ready (Demo *demo)
{
  TapiCall *recorder_call = last_notified (demo, APP_RECORDER);

  return recorder_call != NULL &&
         tapi_call_get_privilege (recorder_call) == TAPI_CALL_PRIVILEGE_OWNER &&
         tapi_call_get_privilege (demo->incoming) ==
           TAPI_CALL_PRIVILEGE_MONITOR &&
         !stream_has_state (demo->incoming, TAPI_TERMINAL_DIRECTION_RENDER,
                            TAPI_STREAM_STATE_ACTIVE);
}

static void
s9_wait_recorder_owns (Demo *demo)
{
  step_wait (demo, s9_recorder_owns_ready,
             "the Recorder to own the call, and the Softphone, now a monitor, "
             "to stop recording");
}

static void
s9_check_softphone_stopped (Demo *demo)
{
  demo->handed = g_object_ref (last_notified (demo, APP_RECORDER));
  if (expect_stream_state (demo, demo->incoming,
                           TAPI_TERMINAL_DIRECTION_RENDER,
                           TAPI_STREAM_STATE_STOPPED) &&
      expect_state (demo, demo->handed, TAPI_CALL_STATE_CONNECTED, -1))
    step_done (demo);
}

static void
s9_recorder_records (Demo *demo)
{
  demo->second_recording = recording_path (demo, "recorder.wav");
  if (app_record (demo, &demo->apps[APP_RECORDER], demo->handed,
                  demo->second_recording))
    step_done (demo);
}

static gboolean
s9_recorder_recording_ready (Demo *demo)
{
  return stream_has_state (demo->handed, TAPI_TERMINAL_DIRECTION_RENDER,
                           TAPI_STREAM_STATE_ACTIVE);
}

static void
s9_wait_recorder_recording (Demo *demo)
{
  step_wait (demo, s9_recorder_recording_ready,
             "the Recorder's render stream to become active");
}

static void
s9_record_2s (Demo *demo)
{
  meter_render_stream (demo, demo->handed);
  step_sleep (demo, 2000, "2 s of recording");
}

static void
s9_recorder_stops (Demo *demo)
{
  if (expect_loud_recording (demo, &demo->apps[APP_RECORDER]) &&
      app_stop_recording (demo, &demo->apps[APP_RECORDER], demo->handed))
    step_done (demo);
}

static void
s9_check_recordings (Demo *demo)
{
  App *recorder = &demo->apps[APP_RECORDER];

  if (!expect_stream_state (demo, demo->handed, TAPI_TERMINAL_DIRECTION_RENDER,
                            TAPI_STREAM_STATE_STOPPED) ||
      !expect_tone (demo, &demo->apps[APP_SOFTPHONE], demo->first_recording,
                    1000.0, 0.5) ||
      !expect_tone (demo, recorder, demo->second_recording, 1000.0, 1.5))
    return;
  timeline (demo, recorder, NULL, "its recording of the call: %s",
            demo->second_recording);
  step_done (demo);
}

static gboolean
handed_disconnected_ready (Demo *demo)
{
  return has_state (demo->handed, TAPI_CALL_STATE_DISCONNECTED);
}

static void
wait_handed_disconnected (Demo *demo)
{
  step_wait (demo, handed_disconnected_ready,
             "the handed-off call to be disconnected");
}

const Step demo_scene9[] = {
  { APP_SOFTPHONE, "Softphone registers as owner on 101, Recorder as monitor",
    s9_register },
  { APP_CALLER, "dials 101 from 100, sending a 1000 Hz tone (tone terminal "
                "on its capture stream)", s9_caller_dials_with_tone },
  { APP_SOFTPHONE, NULL, wait_softphone_offered },
  { APP_SOFTPHONE, NULL, check_softphone_owner },
  { APP_SOFTPHONE, "selects a file-recording terminal on its render stream",
    s9_softphone_records },
  { APP_SOFTPHONE, "answers", answer_incoming },
  { APP_CALLER, NULL, wait_caller_connect },
  { APP_SOFTPHONE, NULL, s9_wait_softphone_recording },
  { APP_SOFTPHONE, "records for 1 s", s9_record_1s },
  { APP_SOFTPHONE, NULL, s9_check_softphone_level },
  { APP_SOFTPHONE, "hands the call to org.example.Recorder by name",
    s9_handoff_recorder },
  { APP_RECORDER, NULL, s9_wait_recorder_owns },
  { APP_SOFTPHONE, NULL, s9_check_softphone_stopped },
  { APP_RECORDER, "selects a file-recording terminal on its render stream",
    s9_recorder_records },
  { APP_RECORDER, NULL, s9_wait_recorder_recording },
  { APP_RECORDER, "records for 2 s", s9_record_2s },
  { APP_RECORDER, "stops its render stream (the file is complete)",
    s9_recorder_stops },
  { APP_RECORDER, "checks both recordings for the 1000 Hz tone",
    s9_check_recordings },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_RECORDER, NULL, wait_handed_disconnected },
  { 0, NULL, NULL }
};

/* Scene 10: digits */

static gboolean
turn_on_digit_detection (Demo     *demo,
                         App      *app,
                         TapiCall *call)
{
  g_autoptr(GError) error = NULL;

  if (!tapi_call_media_control_detect_digits (TAPI_CALL_MEDIA_CONTROL (call),
                                              TAPI_DIGIT_MODE_DTMF, &error))
    {
      step_fail (demo, "%s: detect_digits (dtmf): expected success, got %s",
                 app->label, error->message);
      return FALSE;
    }
  g_string_truncate (demo->digits, 0);
  timeline (demo, app, call, "detects digits");
  return TRUE;
}

static gboolean
expect_digits (Demo       *demo,
               App        *app,
               const char *expected)
{
  if (!expect (demo, g_str_equal (demo->digits->str, expected),
               "%s detected \"%s\"; expected \"%s\", in that order",
               app->label, demo->digits->str, expected))
    return FALSE;
  timeline (demo, app, NULL, "detected %s, in order", demo->digits->str);
  return TRUE;
}

static void
s10_dial_dtmf (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];

  demo->outgoing = app_create_call (demo, caller, "dtmf:1234#");
  if (demo->outgoing == NULL ||
      !turn_on_digit_detection (demo, caller, demo->outgoing))
    return;
  step_wait_op (demo, start_connect (demo, caller, demo->outgoing), OP_OK);
}

static gboolean
s10_service_digits_ready (Demo *demo)
{
  return demo->digits->len >= strlen ("1234#");
}

static void
s10_wait_service_digits (Demo *demo)
{
  step_wait (demo, s10_service_digits_ready,
             "the five digits the dtmf:1234# service sends");
}

static void
s10_check_service_digits (Demo *demo)
{
  if (expect_digits (demo, &demo->apps[APP_CALLER], "1234#"))
    step_done (demo);
}

static void
s10_dial_101_detecting (Demo *demo)
{
  App *caller = &demo->apps[APP_CALLER];

  g_clear_object (&demo->outgoing);
  demo->outgoing = app_create_call (demo, caller, "101");
  if (demo->outgoing == NULL ||
      !turn_on_digit_detection (demo, caller, demo->outgoing))
    return;
  demo->connect_op = start_connect (demo, caller, demo->outgoing);
  step_done (demo);
}

static void
s10_softphone_sends (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  TapiCallMediaControl *media = TAPI_CALL_MEDIA_CONTROL (demo->incoming);

  if (!tapi_call_media_control_generate_digits (media, "42",
                                                TAPI_DIGIT_MODE_DTMF, &error))
    {
      step_fail (demo, "generate_digits (\"42\"): expected success, got %s",
                 error->message);
      return;
    }
  step_done (demo);
}

static gboolean
s10_softphone_digits_ready (Demo *demo)
{
  return demo->digits->len >= strlen ("42");
}

static void
s10_wait_softphone_digits (Demo *demo)
{
  step_wait (demo, s10_softphone_digits_ready,
             "the Caller to detect the two digits the Softphone sends");
}

static void
s10_check_softphone_digits (Demo *demo)
{
  if (expect_digits (demo, &demo->apps[APP_CALLER], "42"))
    step_done (demo);
}

const Step demo_scene10[] = {
  { APP_CALLER, "dials dtmf:1234# from 100, detecting digits",
    s10_dial_dtmf },
  { APP_CALLER, NULL, s10_wait_service_digits },
  { APP_CALLER, NULL, s10_check_service_digits },
  { APP_CALLER, "hangs up", caller_hangs_up },
  { APP_CALLER, NULL, check_outgoing_normal },
  { APP_SOFTPHONE, "Softphone registers as owner on 101", register_softphone },
  { APP_CALLER, "dials 101 from 100, detecting digits",
    s10_dial_101_detecting },
  { APP_SOFTPHONE, NULL, wait_softphone_offered },
  { APP_SOFTPHONE, NULL, check_softphone_owner },
  { APP_SOFTPHONE, "answers", answer_incoming },
  { APP_CALLER, NULL, wait_caller_connect },
  { APP_SOFTPHONE, "sends the digits 42", s10_softphone_sends },
  { APP_CALLER, NULL, s10_wait_softphone_digits },
  { APP_CALLER, NULL, s10_check_softphone_digits },
  { APP_SOFTPHONE, "hangs up", incoming_hangs_up },
  { APP_CALLER, NULL, wait_outgoing_disconnected },
  { APP_CALLER, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};

/* Scene 11: fax detection and handoff by media type */

static void
s11_register (Demo *demo)
{
  if (app_register (demo, &demo->apps[APP_FAX], FALSE, TRUE,
                    TAPI_MEDIA_TYPE_G3FAX))
    step_done (demo);
}

static void
s11_dial_fax (Demo *demo)
{
  App *softphone = &demo->apps[APP_SOFTPHONE];
  g_autoptr(GError) error = NULL;
  TapiCallMediaControl *media;

  demo->outgoing = app_create_call (demo, softphone, "fax");
  if (demo->outgoing == NULL)
    return;
  media = TAPI_CALL_MEDIA_CONTROL (demo->outgoing);
  if (!tapi_call_media_control_monitor_media (media,
                                              TAPI_MEDIA_TYPE_G3FAX |
                                              TAPI_MEDIA_TYPE_DATAMODEM,
                                              &error))
    {
      step_fail (demo, "monitor_media (g3fax, datamodem): expected success, "
                 "got %s", error->message);
      return;
    }
  timeline (demo, softphone, demo->outgoing,
            "listens for fax and modem tones");
  step_wait_op (demo, start_connect (demo, softphone, demo->outgoing), OP_OK);
}

static gboolean
s11_detected_ready (Demo *demo)
{
  return (demo->detected & TAPI_MEDIA_TYPE_G3FAX) != 0;
}

static void
s11_wait_detected (Demo *demo)
{
  step_wait (demo, s11_detected_ready,
             "media-detected g3fax (the fax calling tone)");
}

static void
s11_check_detected (Demo *demo)
{
  TapiMediaType detected = tapi_call_get_detected_media_types (demo->outgoing);

  if (expect (demo, (detected & TAPI_MEDIA_TYPE_G3FAX) != 0,
              "the Softphone's call has detected-media-types 0x%x; expected "
              "g3fax among them", detected) &&
      expect (demo, (demo->detected & TAPI_MEDIA_TYPE_DATAMODEM) == 0,
              "a modem was detected in a fax calling tone"))
    step_done (demo);
}

static void
s11_set_media_type (Demo *demo)
{
  g_autoptr(GError) error = NULL;
  TapiCallMediaControl *media = TAPI_CALL_MEDIA_CONTROL (demo->outgoing);

  if (!tapi_call_media_control_set_media_type (media, TAPI_MEDIA_TYPE_G3FAX,
                                               &error))
    {
      step_fail (demo, "set_media_type (g3fax): expected success, got %s",
                 error->message);
      return;
    }
  step_done (demo);
}

static void
s11_handoff_fax (Demo *demo)
{
  Op *op = op_new (demo, &demo->apps[APP_SOFTPHONE], demo->outgoing,
                   "handoff-indirect to g3fax",
                   tapi_basic_call_control_handoff_indirect_finish);

  tapi_basic_call_control_handoff_indirect_async (BCC (demo->outgoing),
                                                  TAPI_MEDIA_TYPE_G3FAX, NULL,
                                                  op_done_cb, op);
  step_wait_op (demo, op, OP_OK);
}

static gboolean
s11_fax_owns_ready (Demo *demo)
{
  TapiCall *fax_call = last_notified (demo, APP_FAX);

  return fax_call != NULL &&
         tapi_call_get_privilege (fax_call) == TAPI_CALL_PRIVILEGE_OWNER &&
         tapi_call_get_privilege (demo->outgoing) ==
           TAPI_CALL_PRIVILEGE_MONITOR;
}

static void
s11_wait_fax_owns (Demo *demo)
{
  step_wait (demo, s11_fax_owns_ready,
             "the Fax to get an owner handle and the Softphone's handle to "
             "become monitor");
}

static void
s11_fax_records (Demo *demo)
{
  App *fax = &demo->apps[APP_FAX];

  demo->handed = g_object_ref (last_notified (demo, APP_FAX));
  if (!expect_state (demo, demo->handed, TAPI_CALL_STATE_CONNECTED, -1))
    return;
  demo->second_recording = recording_path (demo, "fax.wav");
  if (app_record (demo, fax, demo->handed, demo->second_recording))
    step_done (demo);
}

static void
s11_wait_fax_recording (Demo *demo)
{
  step_wait (demo, s9_recorder_recording_ready,
             "the Fax's render stream to become active");
}

static void
s11_record_4s (Demo *demo)
{
  /* The calling tone repeats every 3.5 s: 4 s hold one whole. */
  step_sleep (demo, 4000, "4 s of recording");
}

static void
s11_fax_stops (Demo *demo)
{
  if (app_stop_recording (demo, &demo->apps[APP_FAX], demo->handed))
    step_done (demo);
}

static void
s11_check_recording (Demo *demo)
{
  App *fax = &demo->apps[APP_FAX];

  if (!expect_stream_state (demo, demo->handed, TAPI_TERMINAL_DIRECTION_RENDER,
                            TAPI_STREAM_STATE_STOPPED) ||
      !expect_tone (demo, fax, demo->second_recording, 1100.0, 0.3))
    return;
  timeline (demo, fax, NULL, "its recording of the call: %s",
            demo->second_recording);
  step_done (demo);
}

static void
s11_fax_hangs_up (Demo *demo)
{
  step_wait_op (demo, start_disconnect (demo, &demo->apps[APP_FAX],
                                        demo->handed, "hang-up"),
                OP_OK);
}

const Step demo_scene11[] = {
  { APP_FAX, "Fax registers as owner for g3fax on 101", s11_register },
  { APP_SOFTPHONE, "dials fax from 101, listening for fax and modem tones "
                   "(monitor_media)", s11_dial_fax },
  { APP_SOFTPHONE, NULL, s11_wait_detected },
  { APP_SOFTPHONE, NULL, s11_check_detected },
  { APP_SOFTPHONE, "sets the media type to g3fax", s11_set_media_type },
  { APP_SOFTPHONE, "hands the call off to whoever takes g3fax",
    s11_handoff_fax },
  { APP_FAX, NULL, s11_wait_fax_owns },
  { APP_FAX, "selects a file-recording terminal on its render stream",
    s11_fax_records },
  { APP_FAX, NULL, s11_wait_fax_recording },
  { APP_FAX, "records for 4 s", s11_record_4s },
  { APP_FAX, "stops its render stream", s11_fax_stops },
  { APP_FAX, "checks the recording for the 1100 Hz calling tone",
    s11_check_recording },
  { APP_FAX, "hangs up", s11_fax_hangs_up },
  { APP_SOFTPHONE, NULL, wait_outgoing_disconnected },
  { APP_SOFTPHONE, NULL, check_outgoing_normal },
  { 0, NULL, NULL }
};
