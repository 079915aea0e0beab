/* tapi-stream.c: TapiStream, one direction of one medium of a call
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include "tapi-enum-types.h"
#include "tapi-error.h"
#include "tapi-media-session.h"
#include "tapi-stream-private.h"
#include "tapi-terminal-private.h"

/**
 * TapiStream:
 *
 * One direction of one medium of a call [ITStream]: every call has an
 * audio %TAPI_TERMINAL_DIRECTION_CAPTURE stream (from a terminal into the
 * call) and an audio %TAPI_TERMINAL_DIRECTION_RENDER stream (from the call
 * to a terminal), from [method@Tapi.StreamControl.get_streams].
 *
 * A stream starts by itself once the call is connected, this application
 * owns it and a terminal is selected with
 * [method@Tapi.Stream.select_terminal]; [method@Tapi.Stream.start] is
 * needed only after [method@Tapi.Stream.pause] or [method@Tapi.Stream.stop].
 * Losing ownership of the call stops this application's streams. Every
 * change is reported as [signal@Tapi.Call::media-event].
 */

typedef enum {
  INTENT_AUTO,     /* run when the call allows */
  INTENT_PAUSED,
  INTENT_STOPPED,
} Intent;

struct _TapiStream
{
  GObject                parent_instance;

  TapiMediaSession      *session;   /* unowned: the session owns its streams */
  TapiCall              *call;      /* unowned, likewise */
  TapiMediaType          media_type;
  TapiTerminalDirection  direction;
  char                  *name;
  TapiStreamState        state;
  double                 level;
  Intent                 intent;
  GListStore            *terminals;
};

enum {
  PROP_0,
  PROP_MEDIA_TYPE,
  PROP_DIRECTION,
  PROP_NAME,
  PROP_STATE,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

GST_DEBUG_CATEGORY_STATIC (tapi_stream_debug);
#define GST_CAT_DEFAULT tapi_stream_debug

G_DEFINE_FINAL_TYPE_WITH_CODE (TapiStream, tapi_stream, G_TYPE_OBJECT,
                               GST_DEBUG_CATEGORY_INIT (tapi_stream_debug, "tapistream", 0,
                                                        "the streams of a call"))

#define SILENCE_DB (-100.0)

static void
tapi_stream_finalize (GObject *object)
{
  TapiStream *self = TAPI_STREAM (object);

  g_free (self->name);
  g_clear_object (&self->terminals);

  G_OBJECT_CLASS (tapi_stream_parent_class)->finalize (object);
}

static void
tapi_stream_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TapiStream *self = TAPI_STREAM (object);

  switch (prop_id)
    {
    case PROP_MEDIA_TYPE:
      g_value_set_flags (value, self->media_type);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LEVEL:
      g_value_set_double (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_stream_class_init (TapiStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_stream_finalize;
  object_class->get_property = tapi_stream_get_property;

  /**
   * TapiStream:media-type:
   *
   * The medium the stream carries.
   */
  props[PROP_MEDIA_TYPE] =
    g_param_spec_flags ("media-type", NULL, NULL, TAPI_TYPE_MEDIA_TYPE,
                        TAPI_MEDIA_TYPE_AUDIO,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  /**
   * TapiStream:direction:
   *
   * Whether media goes from a terminal into the call (capture) or from the
   * call to a terminal (render).
   */
  props[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, TAPI_TYPE_TERMINAL_DIRECTION,
                       TAPI_TERMINAL_DIRECTION_CAPTURE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TapiStream:name:
   *
   * A name for people, such as "Audio capture".
   */
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                          G_PARAM_READABLE |
                                            G_PARAM_EXPLICIT_NOTIFY |
                                            G_PARAM_STATIC_STRINGS);

  /**
   * TapiStream:state:
   *
   * Whether media flows.
   */
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TAPI_TYPE_STREAM_STATE,
                       TAPI_STREAM_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TapiStream:level:
   *
   * The level of the audio passing, in dBFS (0 is full scale, -100 is
   * silence or no audio), updated ten times a second while the stream is
   * active: for a meter.
   */
  props[PROP_LEVEL] =
    g_param_spec_double ("level", NULL, NULL, SILENCE_DB, 0.0, SILENCE_DB,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tapi_stream_init (TapiStream *self)
{
  self->terminals = g_list_store_new (TAPI_TYPE_TERMINAL);
  self->level = SILENCE_DB;
}

TapiStream *
tapi_stream_new (TapiMediaSession      *session,
                 TapiCall              *call,
                 TapiMediaType          media_type,
                 TapiTerminalDirection  direction,
                 const char            *name)
{
  TapiStream *self = g_object_new (TAPI_TYPE_STREAM, NULL);

  self->session = session;
  self->call = call;
  self->media_type = media_type;
  self->direction = direction;
  self->name = g_strdup (name);
  return self;
}

void
tapi_stream_detach (TapiStream *self)
{
  self->session = NULL;
  self->call = NULL;
}

TapiTerminal *
tapi_stream_get_terminal (TapiStream *self)
{
  TapiTerminal *terminal;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->terminals)) == 0)
    return NULL;
  /* The stream's list keeps the terminal alive: lend it. */
  terminal = g_list_model_get_item (G_LIST_MODEL (self->terminals), 0);
  g_object_unref (terminal);
  return terminal;
}

gboolean
tapi_stream_wants_to_run (TapiStream *self)
{
  return self->intent == INTENT_AUTO && tapi_stream_get_terminal (self) != NULL;
}

static void
set_state (TapiStream      *self,
           TapiStreamState  state)
{
  if (self->state == state)
    return;
  GST_DEBUG_OBJECT (self, "%s goes from state %d to %d", self->name,
                    self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

/* The media session reports whether the stream's media flows. */
void
tapi_stream_set_running (TapiStream         *self,
                         gboolean            running,
                         TapiCallMediaCause  cause)
{
  TapiTerminal *terminal = tapi_stream_get_terminal (self);
  TapiStreamState state, previous;

  if (running)
    state = TAPI_STREAM_STATE_ACTIVE;
  else if (self->intent == INTENT_PAUSED)
    state = TAPI_STREAM_STATE_PAUSED;
  else if (self->state == TAPI_STREAM_STATE_FAILED &&
           cause != TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST)
    state = TAPI_STREAM_STATE_FAILED;
  else
    state = TAPI_STREAM_STATE_STOPPED;

  if (state == self->state)
    return;

  if (terminal)
    tapi_terminal_set_state (terminal, running
                                         ? TAPI_TERMINAL_STATE_IN_USE
                                         : TAPI_TERMINAL_STATE_NOT_IN_USE);
  if (!running)
    tapi_stream_set_level (self, SILENCE_DB);

  /* The state is up to date when the event is emitted; a failed stream
   * announced its failure already. */
  previous = self->state;
  set_state (self, state);
  if (self->session && (running || previous == TAPI_STREAM_STATE_ACTIVE))
    tapi_media_session_emit_media_event (self->session,
                                         running ? TAPI_CALL_MEDIA_EVENT_STREAM_ACTIVE
                                                 : TAPI_CALL_MEDIA_EVENT_STREAM_INACTIVE,
                                         cause, self, terminal);
}

void
tapi_stream_fail (TapiStream         *self,
                  TapiCallMediaEvent  event,
                  TapiCallMediaCause  cause)
{
  TapiTerminal *terminal = tapi_stream_get_terminal (self);

  if (terminal)
    tapi_terminal_set_state (terminal, TAPI_TERMINAL_STATE_NOT_IN_USE);
  tapi_stream_set_level (self, SILENCE_DB);
  /* A failed stream stays down until the application starts it again. */
  self->intent = INTENT_STOPPED;
  set_state (self, TAPI_STREAM_STATE_FAILED);
  if (self->session)
    tapi_media_session_emit_media_event (self->session, event, cause, self,
                                         terminal);
}

void
tapi_stream_set_level (TapiStream *self,
                       double      level)
{
  level = CLAMP (level, SILENCE_DB, 0.0);
  if (self->level == level)
    return;
  self->level = level;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LEVEL]);
}

/* Every operation is refused the same way on a handle that cannot do it. */
static gboolean
check_owner (TapiStream  *self,
             GError     **error)
{
  if (self->call == NULL || self->session == NULL)
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_HANDLE,
                           "The stream's call handle was released");
      return FALSE;
    }
  return tapi_media_session_check_owner (self->session, error);
}

/**
 * tapi_stream_get_call:
 * @self: a [class@Tapi.Stream]
 *
 * Gets the call of the stream.
 *
 * Returns: (transfer none) (nullable): the call, or %NULL once its handle
 *   was released
 */
TapiCall *
tapi_stream_get_call (TapiStream *self)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), NULL);

  return self->call;
}

/**
 * tapi_stream_get_media_type:
 * @self: a [class@Tapi.Stream]
 *
 * Gets [property@Tapi.Stream:media-type].
 *
 * Returns: the media type
 */
TapiMediaType
tapi_stream_get_media_type (TapiStream *self)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), 0);

  return self->media_type;
}

/**
 * tapi_stream_get_direction:
 * @self: a [class@Tapi.Stream]
 *
 * Gets [property@Tapi.Stream:direction].
 *
 * Returns: the direction
 */
TapiTerminalDirection
tapi_stream_get_direction (TapiStream *self)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), TAPI_TERMINAL_DIRECTION_NONE);

  return self->direction;
}

/**
 * tapi_stream_get_name:
 * @self: a [class@Tapi.Stream]
 *
 * Gets [property@Tapi.Stream:name].
 *
 * Returns: the name
 */
const char *
tapi_stream_get_name (TapiStream *self)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), NULL);

  return self->name;
}

/**
 * tapi_stream_get_state:
 * @self: a [class@Tapi.Stream]
 *
 * Gets [property@Tapi.Stream:state].
 *
 * Returns: the state
 */
TapiStreamState
tapi_stream_get_state (TapiStream *self)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), TAPI_STREAM_STATE_STOPPED);

  return self->state;
}

/**
 * tapi_stream_get_level:
 * @self: a [class@Tapi.Stream]
 *
 * Gets [property@Tapi.Stream:level].
 *
 * Returns: the level in dBFS
 */
double
tapi_stream_get_level (TapiStream *self)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), SILENCE_DB);

  return self->level;
}

/**
 * tapi_stream_start:
 * @self: a [class@Tapi.Stream]
 * @error: return location for a #GError
 *
 * Starts the stream [ITStream::StartStream], after
 * [method@Tapi.Stream.pause] or [method@Tapi.Stream.stop]. Media flows as
 * soon as the call is connected. Fails with
 * %TAPI_ERROR_NO_TERMINAL_SELECTED without a terminal and with
 * %TAPI_ERROR_NOT_OWNER for a monitor.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_stream_start (TapiStream  *self,
                   GError     **error)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), FALSE);

  if (!check_owner (self, error))
    return FALSE;
  if (tapi_stream_get_terminal (self) == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_NO_TERMINAL_SELECTED,
                   "Select a terminal on %s first", self->name);
      return FALSE;
    }
  self->intent = INTENT_AUTO;
  if (self->state == TAPI_STREAM_STATE_FAILED)
    set_state (self, TAPI_STREAM_STATE_STOPPED);
  tapi_media_session_update (self->session,
                             TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  return TRUE;
}

/**
 * tapi_stream_pause:
 * @self: a [class@Tapi.Stream]
 * @error: return location for a #GError
 *
 * Pauses the stream [ITStream::PauseStream]: media stops flowing, and
 * [method@Tapi.Stream.start] resumes it.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_stream_pause (TapiStream  *self,
                   GError     **error)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), FALSE);

  if (!check_owner (self, error))
    return FALSE;
  self->intent = INTENT_PAUSED;
  tapi_media_session_update (self->session,
                             TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  if (self->state != TAPI_STREAM_STATE_ACTIVE &&
      self->state != TAPI_STREAM_STATE_FAILED)
    set_state (self, TAPI_STREAM_STATE_PAUSED);
  return TRUE;
}

/**
 * tapi_stream_stop:
 * @self: a [class@Tapi.Stream]
 * @error: return location for a #GError
 *
 * Stops the stream [ITStream::StopStream]. A recording terminal's file is
 * complete when this returns. The stream stays stopped until
 * [method@Tapi.Stream.start].
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_stream_stop (TapiStream  *self,
                  GError     **error)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), FALSE);

  if (!check_owner (self, error))
    return FALSE;
  self->intent = INTENT_STOPPED;
  tapi_media_session_update (self->session,
                             TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  return TRUE;
}

/**
 * tapi_stream_select_terminal:
 * @self: a [class@Tapi.Stream]
 * @terminal: the terminal
 * @error: return location for a #GError
 *
 * Selects the terminal the stream's media comes from or goes to
 * [ITStream::SelectTerminal]. A stream takes one terminal. The stream
 * starts by itself if the call is connected and owned by this application.
 *
 * Fails with %TAPI_ERROR_INVALID_TERMINAL for %NULL, with
 * %TAPI_ERROR_INVALID_MEDIA_TYPE or %TAPI_ERROR_INVALID_DIRECTION for a
 * terminal that does not fit the stream, with %TAPI_ERROR_TERMINAL_IN_USE
 * for a terminal selected on another stream, with
 * %TAPI_ERROR_MAX_TERMINALS when the stream has a terminal already, and with
 * %TAPI_ERROR_NOT_OWNER for a monitor.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_stream_select_terminal (TapiStream    *self,
                             TapiTerminal  *terminal,
                             GError       **error)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), FALSE);

  if (!check_owner (self, error))
    return FALSE;
  if (terminal == NULL || !TAPI_IS_TERMINAL (terminal))
    {
      g_set_error_literal (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                           "No terminal was given");
      return FALSE;
    }
  if ((tapi_terminal_get_media_type (terminal) & self->media_type) == 0)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_MEDIA_TYPE,
                   "%s does not carry the media of %s",
                   tapi_terminal_get_name (terminal), self->name);
      return FALSE;
    }
  if (tapi_terminal_get_direction (terminal) != self->direction)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_DIRECTION,
                   "%s goes the other way than %s",
                   tapi_terminal_get_name (terminal), self->name);
      return FALSE;
    }
  if (tapi_stream_get_terminal (self) == terminal)
    return TRUE;
  if (tapi_stream_get_terminal (self) != NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_MAX_TERMINALS,
                   "%s has a terminal already: unselect it first", self->name);
      return FALSE;
    }
  if (tapi_media_session_terminal_in_use (terminal))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_TERMINAL_IN_USE,
                   "%s is selected on another stream",
                   tapi_terminal_get_name (terminal));
      return FALSE;
    }

  g_list_store_append (self->terminals, terminal);
  tapi_media_session_claim_terminal (terminal, self);
  if (self->state == TAPI_STREAM_STATE_FAILED)
    {
      self->intent = INTENT_AUTO;
      set_state (self, TAPI_STREAM_STATE_STOPPED);
    }
  tapi_media_session_update (self->session,
                             TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  return TRUE;
}

/**
 * tapi_stream_unselect_terminal:
 * @self: a [class@Tapi.Stream]
 * @terminal: the selected terminal
 * @error: return location for a #GError
 *
 * Takes the terminal off the stream [ITStream::UnselectTerminal]; a
 * running stream stops. Fails with %TAPI_ERROR_INVALID_TERMINAL when
 * @terminal is not selected on this stream.
 *
 * Returns: %TRUE on success
 */
gboolean
tapi_stream_unselect_terminal (TapiStream    *self,
                               TapiTerminal  *terminal,
                               GError       **error)
{
  guint position;

  g_return_val_if_fail (TAPI_IS_STREAM (self), FALSE);

  if (!check_owner (self, error))
    return FALSE;
  if (terminal == NULL ||
      !g_list_store_find (self->terminals, terminal, &position))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                   "The terminal is not selected on %s", self->name);
      return FALSE;
    }

  /* Stop first, so that a recording is finished with the terminal. */
  g_object_ref (terminal);
  self->intent = INTENT_STOPPED;
  tapi_media_session_update (self->session,
                             TAPI_CALL_MEDIA_CAUSE_LOCAL_REQUEST);
  g_list_store_remove (self->terminals, position);
  tapi_media_session_claim_terminal (terminal, NULL);
  tapi_terminal_set_state (terminal, TAPI_TERMINAL_STATE_NOT_IN_USE);
  self->intent = INTENT_AUTO;
  g_object_unref (terminal);
  return TRUE;
}

/**
 * tapi_stream_get_terminals:
 * @self: a [class@Tapi.Stream]
 *
 * Gets the terminals selected on the stream [ITStream::EnumerateTerminals].
 *
 * Returns: (transfer none): a list model of [class@Tapi.Terminal]
 */
GListModel *
tapi_stream_get_terminals (TapiStream *self)
{
  g_return_val_if_fail (TAPI_IS_STREAM (self), NULL);

  return G_LIST_MODEL (self->terminals);
}
