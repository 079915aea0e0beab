/* tapi3-demo-media.c: terminals, recordings and levels for "tapi3 demo"
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "tapi3-demo-private.h"

char *
recording_path (Demo       *demo,
                const char *name)
{
  return g_build_filename (demo->recordings_dir, name, NULL);
}

gboolean
stream_has_state (TapiCall              *call,
                  TapiTerminalDirection  direction,
                  TapiStreamState        state)
{
  g_autoptr(TapiStream) stream = NULL;

  if (call == NULL)
    return FALSE;
  stream = cli_find_stream (call, direction);
  return stream != NULL && tapi_stream_get_state (stream) == state;
}

gboolean
expect_stream_state (Demo                  *demo,
                     TapiCall              *call,
                     TapiTerminalDirection  direction,
                     TapiStreamState        state)
{
  g_autoptr(TapiStream) stream = cli_find_stream (call, direction);
  const char *direction_nick =
    cli_enum_to_string (TAPI_TYPE_TERMINAL_DIRECTION, direction);

  if (!expect (demo, stream != NULL, "%s's call %u has no %s stream",
               call_owner_label (demo, call), tapi_call_get_call_id (call),
               direction_nick))
    return FALSE;
  return expect (demo, tapi_stream_get_state (stream) == state,
                 "%s's call %u: expected its %s stream %s, got %s",
                 call_owner_label (demo, call), tapi_call_get_call_id (call),
                 direction_nick,
                 cli_enum_to_string (TAPI_TYPE_STREAM_STATE, state),
                 cli_enum_to_string (TAPI_TYPE_STREAM_STATE,
                                     tapi_stream_get_state (stream)));
}

TapiTerminal *
app_create_terminal (Demo                  *demo,
                     App                   *app,
                     TapiCall              *call,
                     const char            *terminal_class,
                     TapiTerminalDirection  direction)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *address = tapi_call_get_address (call);
  TapiTerminal *terminal;

  terminal = tapi_address_create_terminal (address, terminal_class,
                                           TAPI_MEDIA_TYPE_AUDIO, direction,
                                           &error);
  if (terminal == NULL)
    {
      step_fail (demo, "%s cannot create a %s terminal on %s: %s", app->label,
                 terminal_class, tapi_address_get_name (address),
                 error->message);
      return NULL;
    }

  g_ptr_array_add (demo->terminals, terminal);
  return terminal;
}

gboolean
app_select_terminal (Demo         *demo,
                     App          *app,
                     TapiCall     *call,
                     TapiTerminal *terminal)
{
  g_autoptr(GError) error = NULL;
  TapiTerminalDirection direction = tapi_terminal_get_direction (terminal);
  const char *direction_nick =
    cli_enum_to_string (TAPI_TYPE_TERMINAL_DIRECTION, direction);
  g_autoptr(TapiStream) stream = cli_find_stream (call, direction);

  if (!expect (demo, stream != NULL, "%s's call %u has no %s stream",
               app->label, tapi_call_get_call_id (call), direction_nick))
    return FALSE;
  if (!tapi_stream_select_terminal (stream, terminal, &error))
    {
      step_fail (demo, "%s cannot select the %s terminal on the %s stream: %s",
                 app->label, tapi_terminal_get_terminal_class (terminal),
                 direction_nick, error->message);
      return FALSE;
    }

  timeline (demo, app, call, "%s terminal selected on the %s stream",
            tapi_terminal_get_terminal_class (terminal), direction_nick);
  return TRUE;
}

/* Records what @call receives into @path (a file-recording terminal on its
 * render stream); it starts as soon as the call allows. */
gboolean
app_record (Demo       *demo,
            App        *app,
            TapiCall   *call,
            const char *path)
{
  TapiFileRecordingTerminal *recording;
  TapiTerminal *terminal;

  terminal = app_create_terminal (demo, app, call,
                                  TAPI_TERMINAL_CLASS_FILE_RECORDING,
                                  TAPI_TERMINAL_DIRECTION_RENDER);
  if (terminal == NULL)
    return FALSE;
  recording = TAPI_FILE_RECORDING_TERMINAL (terminal);
  tapi_file_recording_terminal_set_file_name (recording, path);
  timeline (demo, app, call, "records to %s", path);
  return app_select_terminal (demo, app, call, terminal);
}

gboolean
app_stop_recording (Demo     *demo,
                    App      *app,
                    TapiCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TapiStream) stream = NULL;

  stream = cli_find_stream (call, TAPI_TERMINAL_DIRECTION_RENDER);
  if (!expect (demo, stream != NULL, "%s's call %u has no render stream",
               app->label, tapi_call_get_call_id (call)))
    return FALSE;
  if (!tapi_stream_stop (stream, &error))
    {
      step_fail (demo, "%s cannot stop its render stream: %s", app->label,
                 error->message);
      return FALSE;
    }
  return TRUE;
}

static void
metered_level_cb (TapiStream *stream,
                  GParamSpec *pspec,
                  Demo       *demo)
{
  demo->peak_level = MAX (demo->peak_level, tapi_stream_get_level (stream));
}

/* Keeps the highest level @call's render stream reaches from now on. */
void
meter_render_stream (Demo     *demo,
                     TapiCall *call)
{
  if (demo->metered != NULL)
    {
      g_signal_handlers_disconnect_by_data (demo->metered, demo);
      g_clear_object (&demo->metered);
    }
  demo->peak_level = -G_MAXDOUBLE;
  if (call == NULL)
    return;

  demo->metered = cli_find_stream (call, TAPI_TERMINAL_DIRECTION_RENDER);
  if (demo->metered == NULL)
    return;
  demo->peak_level = tapi_stream_get_level (demo->metered);
  g_signal_connect (demo->metered, "notify::level",
                    G_CALLBACK (metered_level_cb), demo);
}

gboolean
expect_loud_recording (Demo *demo,
                       App  *app)
{
  double peak = demo->peak_level;

  meter_render_stream (demo, NULL);
  timeline (demo, app, NULL, "the render stream peaked at %.1f dBFS", peak);
  return expect (demo, peak > LOUD_DBFS,
                 "%s's render stream peaked at %.1f dBFS while recording; "
                 "expected above %.0f dBFS", app->label, peak, LOUD_DBFS);
}

/* Checks that the recording at @path holds at least @min_seconds of a tone
 * of @frequency. */
gboolean
expect_tone (Demo       *demo,
             App        *app,
             const char *path,
             double      frequency,
             double      min_seconds)
{
  g_autoptr(GError) error = NULL;
  CliToneAnalysis analysis;

  if (!cli_analyse_recording (path, &analysis, &error))
    {
      step_fail (demo, "%s's recording %s: %s", app->label, path,
                 error->message);
      return FALSE;
    }

  timeline (demo, app, NULL,
            "%s: %.2f s at %u Hz, %.2f s above %.0f dBFS, strongest "
            "frequency %.0f Hz (%.0f%% of the power)", path, analysis.seconds,
            analysis.rate, analysis.loud_seconds, LOUD_DBFS, analysis.frequency,
            analysis.share * 100.0);

  return expect (demo, analysis.loud_seconds >= min_seconds,
                 "%s's recording %s holds %.2f s of sound; expected at least "
                 "%.2f s", app->label, path, analysis.loud_seconds,
                 min_seconds) &&
         expect (demo, fabs (analysis.frequency - frequency) <= 20.0 &&
                 analysis.share >= 0.5,
                 "%s's recording %s: expected a %.0f Hz tone, its strongest "
                 "frequency is %.0f Hz with %.0f%% of the power", app->label,
                 path, frequency, analysis.frequency, analysis.share * 100.0);
}
