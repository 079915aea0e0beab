/* test-terminals.c: terminal classes, their elements and their messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <string.h>

#include <gst/app/app.h>
#include <gst/gst.h>

#include "tapi-test-helper.h"

#include "tapi-device-terminal.h"
#include "tapi-null-terminal.h"
#include "tapi-terminal-factory.h"
#include "tapi-terminal-private.h"
#include "tapi-test-audio.h"

static char *tmp_dir;

static void
setup (void)
{
  g_autoptr(GError) error = NULL;

  gst_init (NULL, NULL);
  tmp_dir = g_dir_make_tmp ("tapi-terminals-XXXXXX", &error);
  tapi_test_assert_no_error (&error);
}

static void
teardown (void)
{
  tapi_test_remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
  tapi_test_teardown ();
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static TapiTerminal *
new_terminal (const char            *terminal_class,
              TapiTerminalDirection  direction)
{
  g_autoptr(GError) error = NULL;
  TapiTerminal *terminal;

  terminal = tapi_terminal_new_dynamic (terminal_class, TAPI_MEDIA_TYPE_AUDIO,
                                        direction, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (TAPI_IS_TERMINAL (terminal));

  return terminal;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* A pipeline around a terminal's element, with the bus messages passed to
 * the terminal as a stream would. */
typedef struct
{
  TapiTerminal *terminal;
  GstElement   *pipeline;
  GstElement   *element;
  guint         watch;
  guint         handled;       /* messages the terminal said end its media */
  GstMessageType handled_types;
  gboolean      eos;
  guint         errors;
  char         *first_error;
} Run;

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  Run *run = user_data;

  if (tapi_terminal_handle_message (run->terminal, message))
    {
      run->handled++;
      run->handled_types |= GST_MESSAGE_TYPE (message);
    }

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      run->eos = TRUE;
      break;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        if (run->first_error == NULL)
          run->first_error = g_strdup (error->message);
        run->errors++;
        break;
      }
    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

/* Builds "<terminal element> ! <description>" for a capture terminal, or
 * "<description> ! <terminal element>" for a render terminal. */
static void
run_init (Run          *run,
          TapiTerminal *terminal,
          const char   *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstElement) chain = NULL;
  gboolean capture =
    tapi_terminal_get_direction (terminal) == TAPI_TERMINAL_DIRECTION_CAPTURE;

  memset (run, 0, sizeof *run);
  run->terminal = g_object_ref (terminal);
  run->pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));

  run->element = tapi_terminal_create_element (terminal, &error);
  tapi_test_assert_no_error (&error);
  ck_assert (GST_IS_ELEMENT (run->element));
  ck_assert_msg (g_object_is_floating (run->element),
                 "A terminal's element must be a floating reference");
  gst_bin_add (GST_BIN (run->pipeline), run->element);

  chain = gst_parse_bin_from_description (description, TRUE, &error);
  tapi_test_assert_no_error (&error);
  g_object_set (chain, "name", "chain", NULL);
  gst_bin_add (GST_BIN (run->pipeline), gst_object_ref (chain));

  if (capture)
    ck_assert (gst_element_link_pads (run->element, "src", chain, "sink"));
  else
    ck_assert (gst_element_link_pads (chain, "src", run->element, "sink"));

  bus = gst_element_get_bus (run->pipeline);
  run->watch = gst_bus_add_watch (bus, bus_cb, run);
}

static void
run_clear (Run *run)
{
  if (run->pipeline != NULL)
    gst_element_set_state (run->pipeline, GST_STATE_NULL);
  g_clear_handle_id (&run->watch, g_source_remove);
  gst_clear_object (&run->pipeline);
  g_clear_object (&run->terminal);
  g_clear_pointer (&run->first_error, g_free);
}

static GstStateChangeReturn
run_play (Run *run)
{
  return gst_element_set_state (run->pipeline, GST_STATE_PLAYING);
}

static void
run_play_ok (Run *run)
{
  ck_assert_int_ne (run_play (run), GST_STATE_CHANGE_FAILURE);
}

/* Ends a live pipeline: EOS from its sources, then the EOS message. */
static void
run_finish (Run *run)
{
  gst_element_send_event (run->pipeline, gst_event_new_eos ());
  tapi_test_wait_for (run->eos || run->errors > 0);
  ck_assert_msg (run->errors == 0, "The pipeline failed: %s", run->first_error);
}

/* Sends EOS into a pad of the chain, as a stream does when it stops. */
static void
run_send_eos (Run        *run,
              GstElement *element,
              const char *pad_name)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (element, pad_name);

  ck_assert (pad != NULL);
  ck_assert (gst_pad_send_event (pad, gst_event_new_eos ()));
}

static GstElement *
run_chain (Run *run)
{
  return gst_bin_get_by_name (GST_BIN (run->pipeline), "chain");
}

/* tapi_terminal_new_dynamic() */

typedef struct
{
  const char            *terminal_class;
  TapiTerminalDirection  direction;
  GType                (*get_type) (void);
  const char            *name;
} DynamicCase;

static const DynamicCase dynamic_cases[] = {
  { TAPI_TERMINAL_CLASS_FILE_RECORDING, TAPI_TERMINAL_DIRECTION_RENDER,
    tapi_file_recording_terminal_get_type, "File recording" },
  { TAPI_TERMINAL_CLASS_FILE_PLAYBACK, TAPI_TERMINAL_DIRECTION_CAPTURE,
    tapi_file_playback_terminal_get_type, "File playback" },
  { TAPI_TERMINAL_CLASS_TONE, TAPI_TERMINAL_DIRECTION_CAPTURE,
    tapi_tone_terminal_get_type, "Tone 1000 Hz" },
  { TAPI_TERMINAL_CLASS_MEDIA_STREAM, TAPI_TERMINAL_DIRECTION_CAPTURE,
    tapi_media_stream_terminal_get_type, "Media stream (capture)" },
  { TAPI_TERMINAL_CLASS_MEDIA_STREAM, TAPI_TERMINAL_DIRECTION_RENDER,
    tapi_media_stream_terminal_get_type, "Media stream (render)" },
  { TAPI_TERMINAL_CLASS_NULL, TAPI_TERMINAL_DIRECTION_CAPTURE,
    tapi_null_terminal_get_type, "Null (capture)" },
  { TAPI_TERMINAL_CLASS_NULL, TAPI_TERMINAL_DIRECTION_RENDER,
    tapi_null_terminal_get_type, "Null (render)" },
};

START_TEST (test_new_dynamic)
{
  const DynamicCase *c = &dynamic_cases[_i];
  g_autoptr(TapiTerminal) terminal = new_terminal (c->terminal_class,
                                                    c->direction);
  g_autofree char *name = NULL;
  g_autofree char *terminal_class = NULL;
  TapiTerminalType terminal_type;
  TapiMediaType media_type;
  TapiTerminalDirection direction;
  TapiTerminalState state;

  ck_assert_msg (G_OBJECT_TYPE (terminal) == c->get_type (),
                 "%s made a %s", c->terminal_class, G_OBJECT_TYPE_NAME (terminal));
  ck_assert_str_eq (tapi_terminal_get_terminal_class (terminal),
                    c->terminal_class);
  ck_assert_int_eq (tapi_terminal_get_terminal_type (terminal),
                    TAPI_TERMINAL_TYPE_DYNAMIC);
  ck_assert_int_eq (tapi_terminal_get_media_type (terminal),
                    TAPI_MEDIA_TYPE_AUDIO);
  ck_assert_int_eq (tapi_terminal_get_direction (terminal), c->direction);
  ck_assert_int_eq (tapi_terminal_get_state (terminal),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);
  ck_assert_str_eq (tapi_terminal_get_name (terminal), c->name);

  g_object_get (terminal,
                "name", &name,
                "terminal-class", &terminal_class,
                "terminal-type", &terminal_type,
                "media-type", &media_type,
                "direction", &direction,
                "state", &state,
                NULL);
  ck_assert_str_eq (name, c->name);
  ck_assert_str_eq (terminal_class, c->terminal_class);
  ck_assert_int_eq (terminal_type, TAPI_TERMINAL_TYPE_DYNAMIC);
  ck_assert_int_eq (media_type, TAPI_MEDIA_TYPE_AUDIO);
  ck_assert_int_eq (direction, c->direction);
  ck_assert_int_eq (state, TAPI_TERMINAL_STATE_NOT_IN_USE);
}
END_TEST

typedef struct
{
  const char            *terminal_class;
  TapiMediaType          media_type;
  TapiTerminalDirection  direction;
  TapiError              code;
} BadCase;

static const BadCase bad_cases[] = {
  { NULL, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_TERMINAL_CLASS },
  { "", TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_TERMINAL_CLASS },
  { "bogus", TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_TERMINAL_CLASS },
  { "Tone", TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_TERMINAL_CLASS },
  { TAPI_TERMINAL_CLASS_MICROPHONE, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_TERMINAL_CLASS },
  { TAPI_TERMINAL_CLASS_SPEAKERS, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_RENDER, TAPI_ERROR_INVALID_TERMINAL_CLASS },
  /* The class is checked first */
  { "bogus", TAPI_MEDIA_TYPE_VIDEO, TAPI_TERMINAL_DIRECTION_NONE, TAPI_ERROR_INVALID_TERMINAL_CLASS },
  /* Then the media type: exactly audio */
  { TAPI_TERMINAL_CLASS_TONE, TAPI_MEDIA_TYPE_VIDEO, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_MEDIA_TYPE },
  { TAPI_TERMINAL_CLASS_TONE, TAPI_MEDIA_TYPE_NONE, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_MEDIA_TYPE },
  { TAPI_TERMINAL_CLASS_TONE, TAPI_MEDIA_TYPE_UNKNOWN, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_MEDIA_TYPE },
  { TAPI_TERMINAL_CLASS_NULL, TAPI_MEDIA_TYPE_AUDIO | TAPI_MEDIA_TYPE_VIDEO, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_MEDIA_TYPE },
  { TAPI_TERMINAL_CLASS_FILE_RECORDING, TAPI_MEDIA_TYPE_G3FAX, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_MEDIA_TYPE },
  /* Then the direction */
  { TAPI_TERMINAL_CLASS_FILE_RECORDING, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_CAPTURE, TAPI_ERROR_INVALID_DIRECTION },
  { TAPI_TERMINAL_CLASS_FILE_PLAYBACK, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_RENDER, TAPI_ERROR_INVALID_DIRECTION },
  { TAPI_TERMINAL_CLASS_TONE, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_RENDER, TAPI_ERROR_INVALID_DIRECTION },
  { TAPI_TERMINAL_CLASS_TONE, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_BIDIRECTIONAL, TAPI_ERROR_INVALID_DIRECTION },
  { TAPI_TERMINAL_CLASS_MEDIA_STREAM, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_BIDIRECTIONAL, TAPI_ERROR_INVALID_DIRECTION },
  { TAPI_TERMINAL_CLASS_MEDIA_STREAM, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_MULTITRACK_MIXED, TAPI_ERROR_INVALID_DIRECTION },
  { TAPI_TERMINAL_CLASS_NULL, TAPI_MEDIA_TYPE_AUDIO, TAPI_TERMINAL_DIRECTION_NONE, TAPI_ERROR_INVALID_DIRECTION },
  { TAPI_TERMINAL_CLASS_NULL, TAPI_MEDIA_TYPE_AUDIO, 42, TAPI_ERROR_INVALID_DIRECTION },
  { TAPI_TERMINAL_CLASS_NULL, TAPI_MEDIA_TYPE_AUDIO, -1, TAPI_ERROR_INVALID_DIRECTION },
};

START_TEST (test_new_dynamic_errors)
{
  const BadCase *c = &bad_cases[_i];
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTerminal) terminal = NULL;

  terminal = tapi_terminal_new_dynamic (c->terminal_class, c->media_type,
                                        c->direction, &error);
  ck_assert_msg (terminal == NULL,
                 "Made a terminal of class %s, media type 0x%x, "
                 "direction %d",
                 c->terminal_class, c->media_type, c->direction);
  tapi_test_assert_error (&error, c->code);

  /* No error location is fine too */
  terminal = tapi_terminal_new_dynamic (c->terminal_class, c->media_type,
                                        c->direction, NULL);
  ck_assert (terminal == NULL);
}
END_TEST

/* Base class */

START_TEST (test_state)
{
  g_autoptr(TapiTerminal) terminal = new_terminal (TAPI_TERMINAL_CLASS_NULL,
                                                   TAPI_TERMINAL_DIRECTION_RENDER);
  guint notified = 0;

  g_signal_connect (terminal, "notify::state", G_CALLBACK (count_notify_cb),
                    &notified);

  tapi_terminal_set_state (terminal, TAPI_TERMINAL_STATE_NOT_IN_USE);
  ck_assert_uint_eq (notified, 0);
  tapi_terminal_set_state (terminal, TAPI_TERMINAL_STATE_IN_USE);
  ck_assert_int_eq (tapi_terminal_get_state (terminal),
                    TAPI_TERMINAL_STATE_IN_USE);
  ck_assert_uint_eq (notified, 1);
  tapi_terminal_set_state (terminal, TAPI_TERMINAL_STATE_IN_USE);
  ck_assert_uint_eq (notified, 1);
  tapi_terminal_set_state (terminal, TAPI_TERMINAL_STATE_NOT_IN_USE);
  ck_assert_int_eq (tapi_terminal_get_state (terminal),
                    TAPI_TERMINAL_STATE_NOT_IN_USE);
  ck_assert_uint_eq (notified, 2);
}
END_TEST

START_TEST (test_no_element)
{
  g_autoptr(TapiTerminal) terminal = g_object_new (TAPI_TYPE_TERMINAL, "name",
                                                    "Plain", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstElement *element;

  /* A terminal without a class of its own has no element and no
   * messages. */
  element = tapi_terminal_create_element (terminal, &error);
  ck_assert (element == NULL);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);

  message = gst_message_new_eos (NULL);
  ck_assert (!tapi_terminal_handle_message (terminal, message));
}
END_TEST

START_TEST (test_names_follow_properties)
{
  g_autoptr(TapiTerminal) tone = new_terminal (TAPI_TERMINAL_CLASS_TONE,
                                               TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) recording =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_RECORDING,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  g_autoptr(TapiTerminal) playback =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  const char *one[] = { "/music/hold.ogg", NULL };
  const char *two[] = { "/music/a.wav", "/music/b.wav", NULL };
  guint tone_notified = 0, recording_notified = 0;

  g_signal_connect (tone, "notify::name", G_CALLBACK (count_notify_cb),
                    &tone_notified);
  g_signal_connect (recording, "notify::name", G_CALLBACK (count_notify_cb),
                    &recording_notified);

  tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (tone), 440.0);
  ck_assert_str_eq (tapi_terminal_get_name (tone), "Tone 440 Hz");
  ck_assert_uint_eq (tone_notified, 1);
  g_object_set (tone, "frequency", 852.5, NULL);
  ck_assert_str_eq (tapi_terminal_get_name (tone), "Tone 852.5 Hz");
  ck_assert_uint_eq (tone_notified, 2);
  /* Another property leaves the name alone */
  tapi_tone_terminal_set_volume (TAPI_TONE_TERMINAL (tone), 0.1);
  ck_assert_uint_eq (tone_notified, 2);

  tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (recording),
                                              "/var/spool/calls/call-17.wav");
  ck_assert_str_eq (tapi_terminal_get_name (recording),
                    "Recording to call-17.wav");
  ck_assert_uint_eq (recording_notified, 1);
  tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (recording), NULL);
  ck_assert_str_eq (tapi_terminal_get_name (recording), "File recording");
  ck_assert_uint_eq (recording_notified, 2);

  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (playback), one);
  ck_assert_str_eq (tapi_terminal_get_name (playback), "Playing hold.ogg");
  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (playback), two);
  ck_assert_str_eq (tapi_terminal_get_name (playback), "Playing 2 files");
}
END_TEST

START_TEST (test_bare_construction)
{
  /* Made without tapi_terminal_new_dynamic(), e.g. from a binding, a
   * terminal still knows its class and a direction it can take. */
  g_autoptr(TapiTerminal) recording =
    g_object_new (TAPI_TYPE_FILE_RECORDING_TERMINAL, NULL);
  g_autoptr(TapiTerminal) tone = g_object_new (TAPI_TYPE_TONE_TERMINAL, NULL);

  ck_assert_str_eq (tapi_terminal_get_terminal_class (recording),
                    TAPI_TERMINAL_CLASS_FILE_RECORDING);
  ck_assert_int_eq (tapi_terminal_get_direction (recording),
                    TAPI_TERMINAL_DIRECTION_RENDER);
  ck_assert_int_eq (tapi_terminal_get_terminal_type (recording),
                    TAPI_TERMINAL_TYPE_DYNAMIC);
  ck_assert_str_eq (tapi_terminal_get_name (recording), "File recording");
  ck_assert_str_eq (tapi_terminal_get_terminal_class (tone),
                    TAPI_TERMINAL_CLASS_TONE);
  ck_assert_int_eq (tapi_terminal_get_direction (tone),
                    TAPI_TERMINAL_DIRECTION_CAPTURE);
  ck_assert_str_eq (tapi_terminal_get_name (tone), "Tone 1000 Hz");
}
END_TEST

START_TEST (test_class_properties)
{
  g_autoptr(TapiTerminal) tone = new_terminal (TAPI_TERMINAL_CLASS_TONE,
                                               TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) playback =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) media =
    new_terminal (TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  const char *list[] = { "a.wav", "file:///tmp/b.ogg", NULL };
  g_auto(GStrv) got_list = NULL;
  double frequency, volume;
  gboolean loop;
  guint rate, notified = 0;

  ck_assert_double_eq (tapi_tone_terminal_get_frequency (TAPI_TONE_TERMINAL (tone)), 1000.0);
  ck_assert_double_eq (tapi_tone_terminal_get_volume (TAPI_TONE_TERMINAL (tone)), 0.5);
  g_signal_connect (tone, "notify::volume", G_CALLBACK (count_notify_cb),
                    &notified);
  g_object_set (tone, "frequency", 2000.0, "volume", 0.25, NULL);
  g_object_get (tone, "frequency", &frequency, "volume", &volume, NULL);
  ck_assert_double_eq (frequency, 2000.0);
  ck_assert_double_eq (volume, 0.25);
  ck_assert_uint_eq (notified, 1);
  tapi_tone_terminal_set_volume (TAPI_TONE_TERMINAL (tone), 0.25);
  ck_assert_uint_eq (notified, 1);

  ck_assert (tapi_file_playback_terminal_get_play_list (TAPI_FILE_PLAYBACK_TERMINAL (playback)) == NULL);
  ck_assert (!tapi_file_playback_terminal_get_loop (TAPI_FILE_PLAYBACK_TERMINAL (playback)));
  g_object_set (playback, "play-list", list, "loop", TRUE, NULL);
  g_object_get (playback, "play-list", &got_list, "loop", &loop, NULL);
  ck_assert (g_strv_equal ((const char * const *) got_list, list));
  ck_assert (loop);

  ck_assert_uint_eq (tapi_media_stream_terminal_get_sample_rate (TAPI_MEDIA_STREAM_TERMINAL (media)), 8000);
  g_object_set (media, "sample-rate", 16000u, NULL);
  g_object_get (media, "sample-rate", &rate, NULL);
  ck_assert_uint_eq (rate, 16000);
}
END_TEST

/* Tone */

START_TEST (test_tone)
{
  g_autoptr(TapiTerminal) terminal = new_terminal (TAPI_TERMINAL_CLASS_TONE,
                                                   TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autofree char *path = tmp_path ("tone.wav");
  g_autoptr(GstElement) chain = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiTestAudio) audio = NULL;
  const float *samples;
  double amplitude;
  Run run;

  run_init (&run, terminal,
            "audioconvert ! audioresample ! "
            "audio/x-raw,rate=16000,channels=1 ! wavenc ! filesink name=file");
  chain = run_chain (&run);
  sink = gst_bin_get_by_name (GST_BIN (chain), "file");
  g_object_set (sink, "location", path, NULL);

  run_play_ok (&run);
  tapi_test_spin (1000);
  /* Both change the playing tone at once */
  tapi_tone_terminal_set_frequency (TAPI_TONE_TERMINAL (terminal), 1500.0);
  tapi_tone_terminal_set_volume (TAPI_TONE_TERMINAL (terminal), 0.125);
  tapi_test_spin (1000);
  run_finish (&run);
  ck_assert_uint_eq (run.handled, 0);
  run_clear (&run);

  tapi_test_audio_assert_wav_header (path);
  audio = tapi_test_audio_load (path, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_uint_eq (audio->rate, 16000);
  ck_assert_msg (tapi_test_audio_duration (audio) > 1.8 &&
                 tapi_test_audio_duration (audio) < 2.5,
                 "The tone lasted %.2f s", tapi_test_audio_duration (audio));

  tapi_test_audio_assert_tone_in (audio, 0.1, 0.9, 1000.0);
  tapi_test_audio_assert_tone_in (audio, 1.2, 1.8, 1500.0);

  /* The volume is the amplitude */
  samples = audio->samples + (gsize) (0.2 * audio->rate);
  amplitude = sqrt (tapi_goertzel_power_hann (samples, audio->rate / 2, audio->rate, 1000.0));
  ck_assert_msg (fabs (amplitude - 0.5) < 0.03, "Amplitude %.3f at volume 0.5",
                 amplitude);
  samples = audio->samples + (gsize) (1.3 * audio->rate);
  amplitude = sqrt (tapi_goertzel_power_hann (samples, audio->rate / 2, audio->rate, 1500.0));
  ck_assert_msg (fabs (amplitude - 0.125) < 0.01,
                 "Amplitude %.3f at volume 0.125", amplitude);
}
END_TEST

/* File recording */

static void
record_tone (const char *path,
             double      frequency,
             guint       milliseconds)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_RECORDING,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  g_autofree char *description = NULL;
  Run run;

  tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (terminal), path);
  description =
    g_strdup_printf ("audiotestsrc is-live=true freq=%g samplesperbuffer=160 ! "
                     "audio/x-raw,rate=8000,channels=1 ! "
                     "audioconvert ! audioresample",
                     frequency);
  run_init (&run, terminal, description);
  run_play_ok (&run);
  tapi_test_spin (milliseconds);

  /* As a stream stops: EOS into the terminal, then down */
  run_send_eos (&run, run.element, "sink");
  ck_assert_msg (run.errors == 0, "The recording failed: %s", run.first_error);
  gst_element_set_state (run.pipeline, GST_STATE_NULL);
  tapi_test_spin (50);
  ck_assert_uint_eq (run.handled, 0);
  run_clear (&run);
}

START_TEST (test_recording_wav)
{
  g_autofree char *path = tmp_path ("recording.wav");
  g_autoptr(TapiTestAudio) audio = NULL;
  g_autoptr(GError) error = NULL;

  record_tone (path, 700.0, 1000);

  tapi_test_audio_assert_wav_header (path);
  audio = tapi_test_audio_load (path, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (tapi_test_audio_duration (audio) > 0.7 &&
                 tapi_test_audio_duration (audio) < 1.4,
                 "Recorded %.2f s", tapi_test_audio_duration (audio));
  tapi_test_audio_assert_tone_in (audio, 0.0, -1.0, 700.0);
}
END_TEST

START_TEST (test_recording_ogg)
{
  g_autofree char *ogg = tmp_path ("recording.ogg");
  g_autofree char *opus = tmp_path ("recording.OPUS");
  g_autofree char *contents = NULL;
  gsize size;

  record_tone (ogg, 700.0, 1000);
  ck_assert (g_file_get_contents (ogg, &contents, &size, NULL));
  ck_assert (size > 4 && memcmp (contents, "OggS", 4) == 0);
  tapi_test_audio_assert_tone (ogg, 700.0);

  record_tone (opus, 1200.0, 600);
  tapi_test_audio_assert_tone (opus, 1200.0);
}
END_TEST

START_TEST (test_recording_bad_file_name)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_RECORDING,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  const char *bad[] = { "/tmp/call.mp3", "/tmp/call", "/tmp/wav", "/tmp/.wav.d/call", "" };
  g_autoptr(GError) error = NULL;
  GstElement *element;

  element = tapi_terminal_create_element (terminal, &error);
  ck_assert (element == NULL);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (terminal), bad[i]);
      element = tapi_terminal_create_element (terminal, &error);
      ck_assert_msg (element == NULL, "Made an element to record to “%s”",
                     bad[i]);
      tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);
    }
}
END_TEST

START_TEST (test_recording_unwritable)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_RECORDING,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  g_autofree char *path = tmp_path ("no-such-directory/recording.wav");
  g_autoptr(GstElement) chain = NULL;
  g_autoptr(GstMessage) foreign = NULL;
  g_autoptr(GError) foreign_error = g_error_new_literal (GST_RESOURCE_ERROR,
                                                         GST_RESOURCE_ERROR_FAILED,
                                                         "Not the terminal's");
  Run run;

  tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (terminal), path);
  run_init (&run, terminal, "audiotestsrc is-live=true ! audioconvert");

  /* An error of another element is not the terminal's */
  chain = run_chain (&run);
  foreign = gst_message_new_error (GST_OBJECT (chain), foreign_error, NULL);
  ck_assert (!tapi_terminal_handle_message (terminal, foreign));

  ck_assert_int_eq (run_play (&run), GST_STATE_CHANGE_FAILURE);
  tapi_test_wait_for (run.errors > 0);
  tapi_test_spin (50);
  ck_assert_msg (run.handled >= 1, "The write error was not the terminal's");
  ck_assert_msg (run.handled_types == GST_MESSAGE_ERROR, "Handled messages of types 0x%x",
                 run.handled_types);
  ck_assert (!g_file_test (path, G_FILE_TEST_EXISTS));
  run_clear (&run);
}
END_TEST

/* File playback */

/* Plays the terminal into a WAV file at 8 kHz; returns the playback's
 * wall-clock time in seconds, until the end of the play list. */
typedef struct
{
  GstClockTime next_pts;
  guint        discontinuities;
  guint        buffers;
} Timeline;

static GstPadProbeReturn
timeline_probe_cb (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  Timeline *timeline = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  ck_assert (GST_BUFFER_PTS_IS_VALID (buffer));
  ck_assert (GST_BUFFER_DURATION_IS_VALID (buffer));
  if (timeline->buffers > 0)
    {
      GstClockTimeDiff jump = GST_CLOCK_DIFF (timeline->next_pts,
                                              GST_BUFFER_PTS (buffer));

      if (ABS (jump) > GST_MSECOND)
        timeline->discontinuities++;
    }
  timeline->next_pts = GST_BUFFER_PTS (buffer) + GST_BUFFER_DURATION (buffer);
  timeline->buffers++;

  return GST_PAD_PROBE_OK;
}

static void
playback_run_init (Run        *run,
                   TapiTerminal *terminal,
                   const char *output,
                   Timeline   *timeline)
{
  g_autoptr(GstElement) chain = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstPad) pad = NULL;

  run_init (run, terminal,
            "audioconvert name=convert ! audioresample ! "
            "audio/x-raw,format=S16LE,rate=8000,channels=1 ! wavenc ! filesink name=file");
  chain = run_chain (run);
  sink = gst_bin_get_by_name (GST_BIN (chain), "file");
  g_object_set (sink, "location", output, NULL);

  pad = gst_element_get_static_pad (run->element, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, timeline_probe_cb,
                     timeline, NULL);
}

/* The play list does not end the pipeline: finish the output file. */
static void
playback_run_finish (Run *run)
{
  g_autoptr(GstElement) chain = run_chain (run);
  g_autoptr(GstElement) convert = gst_bin_get_by_name (GST_BIN (chain),
                                                        "convert");

  run_send_eos (run, convert, "sink");
  tapi_test_wait_for (run->eos);
  run_clear (run);
}

START_TEST (test_playback)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autofree char *input = tmp_path ("input.wav");
  g_autofree char *output = tmp_path ("output.wav");
  const char *play_list[] = { input, NULL };
  g_autoptr(TapiTestAudio) audio = NULL;
  g_autoptr(GError) error = NULL;
  Timeline timeline = { 0 };
  gint64 start;
  double elapsed;
  Run run;

  tapi_test_audio_write_tone_wav (input, 700.0, 0.8, 16000, 0.5);
  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (terminal), play_list);

  playback_run_init (&run, terminal, output, &timeline);
  start = g_get_monotonic_time ();
  run_play_ok (&run);
  tapi_test_wait_for (run.handled > 0 || run.errors > 0);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  ck_assert_msg (run.errors == 0, "Playback failed: %s", run.first_error);
  ck_assert_uint_eq (run.handled, 1);
  ck_assert_int_eq (run.handled_types, GST_MESSAGE_ELEMENT);

  /* In real time, as a call needs it */
  ck_assert_msg (elapsed >= 0.7 && elapsed < 1.6, "0.8 s played in %.2f s",
                 elapsed);

  /* The end is reported once and the terminal stays quiet */
  tapi_test_spin (200);
  ck_assert_uint_eq (run.handled, 1);
  ck_assert_uint_eq (timeline.discontinuities, 0);
  playback_run_finish (&run);

  audio = tapi_test_audio_load (output, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (fabs (tapi_test_audio_duration (audio) - 0.8) < 0.02,
                 "Played %.3f s of 0.8 s", tapi_test_audio_duration (audio));
  tapi_test_audio_assert_tone_in (audio, 0.0, -1.0, 700.0);
}
END_TEST

START_TEST (test_playback_list)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autofree char *first = tmp_path ("first.wav");
  g_autofree char *second = tmp_path ("second.wav");
  g_autofree char *output = tmp_path ("output.wav");
  g_autofree char *second_uri = g_filename_to_uri (second, NULL, NULL);
  const char *play_list[] = { first, second_uri, NULL };
  g_autoptr(TapiTestAudio) audio = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) low = NULL;
  g_autoptr(GArray) high = NULL;
  g_autofree char *low_ranges = NULL;
  g_autofree char *high_ranges = NULL;
  Timeline timeline = { 0 };
  Run run;

  /* Two formats, two rates */
  tapi_test_audio_write_tone_wav (first, 700.0, 0.5, 16000, 0.5);
  tapi_test_audio_write_tone_wav (second, 1100.0, 0.5, 8000, 0.5);
  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (terminal), play_list);

  playback_run_init (&run, terminal, output, &timeline);
  run_play_ok (&run);
  tapi_test_wait_for (run.handled > 0 || run.errors > 0);
  ck_assert_msg (run.errors == 0, "Playback failed: %s", run.first_error);
  ck_assert_int_eq (run.handled_types, GST_MESSAGE_ELEMENT);
  ck_assert_msg (timeline.discontinuities == 0,
                 "The files are not on one timeline: %u jumps",
                 timeline.discontinuities);
  playback_run_finish (&run);

  audio = tapi_test_audio_load (output, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (fabs (tapi_test_audio_duration (audio) - 1.0) < 0.03,
                 "Played %.3f s of 1 s", tapi_test_audio_duration (audio));
  tapi_test_audio_assert_tone_in (audio, 0.05, 0.45, 700.0);
  tapi_test_audio_assert_tone_in (audio, 0.55, 0.95, 1100.0);

  /* One after the other, without a gap */
  low = tapi_test_audio_find_tone (audio, 700.0);
  high = tapi_test_audio_find_tone (audio, 1100.0);
  low_ranges = tapi_test_audio_ranges_to_string (low);
  high_ranges = tapi_test_audio_ranges_to_string (high);
  ck_assert_msg (low->len == 1 && high->len == 1,
                 "700 Hz at %s, 1100 Hz at %s", low_ranges, high_ranges);
  ck_assert_msg (g_array_index (high, TapiTestAudioRange, 0).start -
                 g_array_index (low, TapiTestAudioRange, 0).end < 0.03,
                 "700 Hz at %s, 1100 Hz at %s", low_ranges, high_ranges);
}
END_TEST

START_TEST (test_playback_loop)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autofree char *input = tmp_path ("input.wav");
  g_autofree char *output = tmp_path ("output.wav");
  const char *play_list[] = { input, NULL };
  g_autoptr(TapiTestAudio) audio = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ranges_string = NULL;
  Timeline timeline = { 0 };
  double duration;
  Run run;

  tapi_test_audio_write_tone_wav (input, 900.0, 0.3, 8000, 0.5);
  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (terminal), play_list);
  tapi_file_playback_terminal_set_loop (TAPI_FILE_PLAYBACK_TERMINAL (terminal),
                                        TRUE);

  playback_run_init (&run, terminal, output, &timeline);
  run_play_ok (&run);
  tapi_test_spin (1200);
  ck_assert_msg (run.handled == 0 && run.errors == 0,
                 "A looping play list ended (%u, %s)", run.handled,
                 run.first_error);

  /* Without loop, the list ends after the file being played */
  tapi_file_playback_terminal_set_loop (TAPI_FILE_PLAYBACK_TERMINAL (terminal),
                                        FALSE);
  tapi_test_wait_for (run.handled > 0 || run.errors > 0);
  ck_assert_msg (run.errors == 0, "Playback failed: %s", run.first_error);
  ck_assert_int_eq (run.handled_types, GST_MESSAGE_ELEMENT);
  ck_assert_uint_eq (timeline.discontinuities, 0);
  playback_run_finish (&run);

  audio = tapi_test_audio_load (output, &error);
  tapi_test_assert_no_error (&error);
  duration = tapi_test_audio_duration (audio);
  /* At least two whole loops; a loaded machine may play fewer than the
   * wall-clock time allows, never parts of one. */
  ck_assert_msg (duration >= 0.59 && duration <= 1.81 &&
                 fabs (duration / 0.3 - round (duration / 0.3)) < 0.05,
                 "Played %.3f s: not whole loops of 0.3 s", duration);
  ranges = tapi_test_audio_find_tone (audio, 900.0);
  ranges_string = tapi_test_audio_ranges_to_string (ranges);
  ck_assert_msg (ranges->len == 1 &&
                   tapi_test_audio_ranges_total (ranges) > duration - 0.05,
                 "900 Hz at %s of %.2f s", ranges_string, duration);
}
END_TEST

START_TEST (test_playback_missing_file)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autofree char *missing = tmp_path ("missing.wav");
  g_autofree char *output = tmp_path ("output.wav");
  const char *play_list[] = { missing, NULL };
  Timeline timeline = { 0 };
  Run run;

  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (terminal), play_list);
  playback_run_init (&run, terminal, output, &timeline);
  run_play (&run);
  tapi_test_wait_for (run.errors > 0);
  tapi_test_spin (50);
  ck_assert_msg (run.handled >= 1,
                 "The missing file was not the terminal's error");
  ck_assert_int_eq (run.handled_types, GST_MESSAGE_ERROR);
  run_clear (&run);
}
END_TEST

START_TEST (test_playback_bad_file_later)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autofree char *good = tmp_path ("good.wav");
  g_autofree char *text = tmp_path ("text.wav");
  g_autofree char *output = tmp_path ("output.wav");
  const char *play_list[] = { good, text, NULL };
  Timeline timeline = { 0 };
  Run run;

  tapi_test_audio_write_tone_wav (good, 700.0, 0.2, 8000, 0.5);
  ck_assert (g_file_set_contents (text, "This is not audio at all.\n", -1, NULL));
  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (terminal), play_list);
  playback_run_init (&run, terminal, output, &timeline);
  run_play_ok (&run);
  tapi_test_wait_for (run.errors > 0);
  tapi_test_spin (50);
  ck_assert_msg (run.handled >= 1, "The bad file was not the terminal's error");
  ck_assert_int_eq (run.handled_types, GST_MESSAGE_ERROR);
  ck_assert_uint_gt (timeline.buffers, 0);
  run_clear (&run);
}
END_TEST

START_TEST (test_playback_empty_list)
{
  g_autoptr(TapiTerminal) terminal =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  const char *empty[] = { NULL };
  g_autoptr(GError) error = NULL;

  ck_assert (tapi_terminal_create_element (terminal, &error) == NULL);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);

  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (terminal), empty);
  ck_assert (tapi_terminal_create_element (terminal, &error) == NULL);
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);
}
END_TEST

/* Media stream */

typedef struct
{
  GByteArray *received;
  guint       emissions;
  gboolean    wrong_thread;
} Received;

static void
samples_received_cb (TapiMediaStreamTerminal *terminal,
                     GBytes                  *samples,
                     Received                *received)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (samples, &size);

  if (!g_main_context_is_owner (g_main_context_default ()))
    received->wrong_thread = TRUE;
  g_byte_array_append (received->received, data, size);
  received->emissions++;
}

START_TEST (test_media_stream_round_trip)
{
  g_autoptr(TapiTerminal) capture =
    new_terminal (TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) render =
    new_terminal (TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  g_autoptr(GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  g_autoptr(GBytes) tone = tapi_test_audio_tone_s16 (600.0, 0.6, 8000, 0.5);
  g_autoptr(GBytes) odd = g_bytes_new ("abc", 3);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GByteArray) received_bytes = g_byte_array_new ();
  g_autoptr(TapiTestAudio) audio = NULL;
  g_autoptr(GError) error = NULL;
  Received received = { received_bytes, 0, FALSE };
  GstElement *source, *convert, *resample, *sink;
  gsize chunk = 320, size = g_bytes_get_size (tone);
  gint64 start;
  double elapsed;

  tapi_media_stream_terminal_set_sample_rate (TAPI_MEDIA_STREAM_TERMINAL (render), 16000);
  g_signal_connect (render, "samples-received",
                    G_CALLBACK (samples_received_cb), &received);

  /* Not running yet */
  ck_assert (!tapi_media_stream_terminal_push_samples (TAPI_MEDIA_STREAM_TERMINAL (capture),
                                                       tone, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_STREAM);
  /* Not a capture terminal */
  ck_assert (!tapi_media_stream_terminal_push_samples (TAPI_MEDIA_STREAM_TERMINAL (render),
                                                       tone, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);

  source = tapi_terminal_create_element (capture, &error);
  tapi_test_assert_no_error (&error);
  sink = tapi_terminal_create_element (render, &error);
  tapi_test_assert_no_error (&error);
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  gst_bin_add_many (GST_BIN (pipeline), source, convert, resample, sink, NULL);
  ck_assert (gst_element_link_many (source, convert, resample, sink, NULL));

  /* Created but stopped */
  ck_assert (!tapi_media_stream_terminal_push_samples (TAPI_MEDIA_STREAM_TERMINAL (capture),
                                                       tone, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_STREAM);

  ck_assert_int_ne (gst_element_set_state (pipeline, GST_STATE_PLAYING),
                    GST_STATE_CHANGE_FAILURE);

  ck_assert (!tapi_media_stream_terminal_push_samples (TAPI_MEDIA_STREAM_TERMINAL (capture),
                                                       odd, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_ARGUMENT);
  ck_assert (tapi_media_stream_terminal_push_samples (TAPI_MEDIA_STREAM_TERMINAL (capture),
                                                      empty, &error));
  tapi_test_assert_no_error (&error);

  /* All at once: they play in real time */
  start = g_get_monotonic_time ();
  for (gsize offset = 0; offset < size; offset += chunk)
    {
      g_autoptr(GBytes) part =
        g_bytes_new_from_bytes (tone, offset, MIN (chunk, size - offset));

      ck_assert (tapi_media_stream_terminal_push_samples (TAPI_MEDIA_STREAM_TERMINAL (capture),
                                                          part, &error));
      tapi_test_assert_no_error (&error);
    }
  tapi_test_wait_for (received.received->len >= 2 * size - 3 * 2 * chunk);
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  tapi_test_spin (200);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  ck_assert_msg (elapsed > 0.45, "0.6 s of samples went through in %.2f s",
                 elapsed);
  ck_assert (!received.wrong_thread);
  ck_assert_uint_gt (received.emissions, 1);
  /* 16 kHz: twice the bytes */
  ck_assert_msg (received.received->len <= 2 * size + 2 * 2 * chunk,
                 "Received %u bytes for %" G_GSIZE_FORMAT,
                 received.received->len, size);

  audio = tapi_test_audio_new_from_s16 (received.received->data,
                                        received.received->len, 16000);
  tapi_test_audio_assert_tone_in (audio, 0.05, 0.55, 600.0);

  /* Once the element is gone, pushing fails again */
  gst_clear_object (&pipeline);
  ck_assert (!tapi_media_stream_terminal_push_samples (TAPI_MEDIA_STREAM_TERMINAL (capture),
                                                       tone, &error));
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_STREAM);
}
END_TEST

/* Null */

START_TEST (test_null_capture)
{
  g_autoptr(TapiTerminal) terminal = new_terminal (TAPI_TERMINAL_CLASS_NULL,
                                                   TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autofree char *path = tmp_path ("null.wav");
  g_autoptr(GstElement) chain = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(TapiTestAudio) audio = NULL;
  g_autoptr(GError) error = NULL;
  Run run;

  run_init (&run, terminal,
            "audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 ! "
            "wavenc ! filesink name=file");
  chain = run_chain (&run);
  sink = gst_bin_get_by_name (GST_BIN (chain), "file");
  g_object_set (sink, "location", path, NULL);
  run_play_ok (&run);
  tapi_test_spin (500);
  run_finish (&run);
  run_clear (&run);

  audio = tapi_test_audio_load (path, &error);
  tapi_test_assert_no_error (&error);
  ck_assert_msg (tapi_test_audio_duration (audio) > 0.3, "%.2f s of silence",
                 tapi_test_audio_duration (audio));
  tapi_test_audio_assert_silence_in (audio, 0.0, -1.0);
}
END_TEST

START_TEST (test_null_render)
{
  g_autoptr(TapiTerminal) terminal = new_terminal (TAPI_TERMINAL_CLASS_NULL,
                                                   TAPI_TERMINAL_DIRECTION_RENDER);
  Run run;

  run_init (&run, terminal, "audiotestsrc num-buffers=20 ! audioconvert");
  run_play_ok (&run);
  tapi_test_wait_for (run.eos || run.errors > 0);
  ck_assert_msg (run.errors == 0, "The null terminal failed: %s",
                 run.first_error);
  ck_assert_uint_eq (run.handled, 0);
  run_clear (&run);
}
END_TEST

/* Missing GStreamer elements */

static void
remove_element_factory (const char *name)
{
  GstRegistry *registry = gst_registry_get ();
  g_autoptr(GstPluginFeature) feature = gst_registry_lookup_feature (registry,
                                                                      name);

  ck_assert_msg (feature != NULL, "No %s to remove", name);
  gst_registry_remove_feature (registry, feature);
}

static void
assert_missing (TapiTerminal *terminal,
                const char   *element)
{
  g_autoptr(GError) error = NULL;

  ck_assert (tapi_terminal_create_element (terminal, &error) == NULL);
  ck_assert_msg (error != NULL && strstr (error->message, element) != NULL,
                 "The error does not name %s: %s", element,
                 error ? error->message : "(none)");
  tapi_test_assert_error (&error, TAPI_ERROR_INVALID_TERMINAL);
}

START_TEST (test_missing_elements)
{
  g_autoptr(TapiTerminal) tone = new_terminal (TAPI_TERMINAL_CLASS_TONE,
                                               TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) null_capture = new_terminal (TAPI_TERMINAL_CLASS_NULL,
                                                       TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) null_render = new_terminal (TAPI_TERMINAL_CLASS_NULL,
                                                      TAPI_TERMINAL_DIRECTION_RENDER);
  g_autoptr(TapiTerminal) wav =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_RECORDING,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  g_autoptr(TapiTerminal) ogg =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_RECORDING,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  g_autoptr(TapiTerminal) playback =
    new_terminal (TAPI_TERMINAL_CLASS_FILE_PLAYBACK,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) media_capture =
    new_terminal (TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                  TAPI_TERMINAL_DIRECTION_CAPTURE);
  g_autoptr(TapiTerminal) media_render =
    new_terminal (TAPI_TERMINAL_CLASS_MEDIA_STREAM,
                  TAPI_TERMINAL_DIRECTION_RENDER);
  const char *play_list[] = { "/tmp/any.wav", NULL };

  tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (wav), "/tmp/x.wav");
  tapi_file_recording_terminal_set_file_name (TAPI_FILE_RECORDING_TERMINAL (ogg), "/tmp/x.ogg");
  tapi_file_playback_terminal_set_play_list (TAPI_FILE_PLAYBACK_TERMINAL (playback), play_list);

  remove_element_factory ("audiotestsrc");
  remove_element_factory ("fakesink");
  remove_element_factory ("wavenc");
  remove_element_factory ("opusenc");
  remove_element_factory ("uridecodebin");
  remove_element_factory ("appsrc");
  remove_element_factory ("appsink");

  assert_missing (tone, "audiotestsrc");
  assert_missing (null_capture, "audiotestsrc");
  assert_missing (null_render, "fakesink");
  assert_missing (wav, "wavenc");
  assert_missing (ogg, "opusenc");
  assert_missing (playback, "uridecodebin");
  assert_missing (media_capture, "appsrc");
  assert_missing (media_render, "appsink");
}
END_TEST

/* Static terminals */

START_TEST (test_static_terminals)
{
  GListModel *terminals = tapi_terminal_get_static_terminals ();
  guint n_items;

  ck_assert (G_IS_LIST_MODEL (terminals));
  ck_assert (tapi_terminal_get_static_terminals () == terminals);
  ck_assert (g_type_is_a (g_list_model_get_item_type (terminals), TAPI_TYPE_TERMINAL));

  /* A machine without sound devices has none; each one there is a device */
  n_items = g_list_model_get_n_items (terminals);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(TapiTerminal) terminal = g_list_model_get_item (terminals, i);
      const char *terminal_class = tapi_terminal_get_terminal_class (terminal);

      ck_assert (TAPI_IS_DEVICE_TERMINAL (terminal));
      ck_assert_int_eq (tapi_terminal_get_terminal_type (terminal),
                        TAPI_TERMINAL_TYPE_STATIC);
      ck_assert_int_eq (tapi_terminal_get_media_type (terminal),
                        TAPI_MEDIA_TYPE_AUDIO);
      ck_assert (tapi_terminal_get_name (terminal) != NULL);
      if (g_strcmp0 (terminal_class, TAPI_TERMINAL_CLASS_MICROPHONE) == 0)
        ck_assert_int_eq (tapi_terminal_get_direction (terminal),
                          TAPI_TERMINAL_DIRECTION_CAPTURE);
      else if (g_strcmp0 (terminal_class, TAPI_TERMINAL_CLASS_SPEAKERS) == 0)
        ck_assert_int_eq (tapi_terminal_get_direction (terminal),
                          TAPI_TERMINAL_DIRECTION_RENDER);
      else
        ck_abort_msg ("A static terminal of class %s", terminal_class);
    }
}
END_TEST

static Suite *
terminals_suite (void)
{
  Suite *suite = suite_create ("terminals");
  TCase *tc;

  tc = tcase_create ("dynamic");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_loop_test (tc, test_new_dynamic, 0, G_N_ELEMENTS (dynamic_cases));
  tcase_add_loop_test (tc, test_new_dynamic_errors, 0,
                       G_N_ELEMENTS (bad_cases));
  tcase_add_test (tc, test_state);
  tcase_add_test (tc, test_no_element);
  tcase_add_test (tc, test_names_follow_properties);
  tcase_add_test (tc, test_bare_construction);
  tcase_add_test (tc, test_class_properties);
  tcase_add_test (tc, test_missing_elements);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("tone");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_tone);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("recording");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_recording_wav);
  tcase_add_test (tc, test_recording_ogg);
  tcase_add_test (tc, test_recording_bad_file_name);
  tcase_add_test (tc, test_recording_unwritable);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("playback");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_playback);
  tcase_add_test (tc, test_playback_list);
  tcase_add_test (tc, test_playback_loop);
  tcase_add_test (tc, test_playback_missing_file);
  tcase_add_test (tc, test_playback_bad_file_later);
  tcase_add_test (tc, test_playback_empty_list);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("media-stream");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_media_stream_round_trip);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("null");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_null_capture);
  tcase_add_test (tc, test_null_render);
  suite_add_tcase (suite, tc);

  tc = tcase_create ("static");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_static_terminals);
  suite_add_tcase (suite, tc);

  return suite;
}

int
main (void)
{
  tapi_test_init ();
  return tapi_test_run (terminals_suite ());
}
