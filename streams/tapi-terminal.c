/* tapi-terminal.c: TapiTerminal, where a stream's media comes from or goes to
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <gio/gio.h>

#include "tapi-enum-types.h"
#include "tapi-error.h"
#include "tapi-terminal-private.h"

/**
 * TapiTerminal:
 *
 * Where the media of a [class@Tapi.Stream] comes from or goes to
 * [ITTerminal].
 *
 * A terminal is either static, a sound device of the machine (the
 * `microphone` and `speakers` classes, from
 * [method@Tapi.Address.get_static_terminals]), or dynamic, made by the
 * application with [method@Tapi.Address.create_terminal]: a file recorder
 * ([class@Tapi.FileRecordingTerminal]), a file player
 * ([class@Tapi.FilePlaybackTerminal]), a tone generator
 * ([class@Tapi.ToneTerminal]), raw audio to and from the application
 * ([class@Tapi.MediaStreamTerminal]) or the `null` terminal, which captures
 * silence and discards what it renders.
 *
 * A capture terminal gives the media that a capture stream sends into the
 * call; a render terminal takes the media that a render stream receives.
 * A terminal is selected on one stream at a time with
 * [method@Tapi.Stream.select_terminal]; [property@Tapi.Terminal:state] says
 * whether that stream runs.
 */

/* The class knows nothing of its subclasses: each says what it is with the
 * tapi_terminal_class_set_*() functions of tapi-terminal-private.h, and the
 * terminals are made by name in tapi-terminal-factory.c. */

typedef struct
{
  char                  *name;
  char                  *terminal_class;
  TapiTerminalType       terminal_type;
  TapiMediaType          media_type;
  TapiTerminalDirection  direction;
  TapiTerminalState      state;

  /* The element made last: messages from inside it are the terminal's. */
  GWeakRef               element;
} TapiTerminalPrivate;

enum {
  PROP_0,
  PROP_NAME,
  PROP_TERMINAL_CLASS,
  PROP_TERMINAL_TYPE,
  PROP_MEDIA_TYPE,
  PROP_DIRECTION,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

GST_DEBUG_CATEGORY_STATIC (tapi_terminal_debug);
#define GST_CAT_DEFAULT tapi_terminal_debug

G_DEFINE_TYPE_WITH_CODE (TapiTerminal, tapi_terminal, G_TYPE_OBJECT,
                         G_ADD_PRIVATE (TapiTerminal)
                         GST_DEBUG_CATEGORY_INIT (tapi_terminal_debug, "tapiterminal", 0,
                                                  "where the media of streams comes from or goes to"))

static GQuark
element_func_quark (void)
{
  return g_quark_from_static_string ("tapi-terminal-element-func");
}

static GQuark
message_func_quark (void)
{
  return g_quark_from_static_string ("tapi-terminal-message-func");
}

static GQuark
describe_func_quark (void)
{
  return g_quark_from_static_string ("tapi-terminal-describe-func");
}

static GQuark
dynamic_class_quark (void)
{
  return g_quark_from_static_string ("tapi-terminal-dynamic-class");
}

/* What a dynamic terminal class says of itself. */
typedef struct
{
  char *terminal_class;
  guint directions;                 /* TAPI_TERMINAL_DIRECTION_BIT()s */
  char *describing_property;        /* the property the name follows */
} DynamicClass;

/* A class's own data or function, or its nearest parent's. */
static gpointer
lookup_class_data (GType  type,
                   GQuark quark)
{
  for (; type != 0; type = g_type_parent (type))
    {
      gpointer data = g_type_get_qdata (type, quark);

      if (data != NULL)
        return data;
    }

  return NULL;
}

const char *
tapi_terminal_direction_nick (TapiTerminalDirection direction)
{
  switch (direction)
    {
    case TAPI_TERMINAL_DIRECTION_CAPTURE:
      return "capture";
    case TAPI_TERMINAL_DIRECTION_RENDER:
      return "render";
    case TAPI_TERMINAL_DIRECTION_BIDIRECTIONAL:
      return "bidirectional";
    case TAPI_TERMINAL_DIRECTION_MULTITRACK_MIXED:
      return "multitrack";
    case TAPI_TERMINAL_DIRECTION_NONE:
    default:
      return "none";
    }
}

/* A dynamic terminal's name says what it does, so it follows the
 * properties that say it. */
static char *
describe (TapiTerminal *self)
{
  TapiTerminalDescribeFunc func =
    lookup_class_data (G_OBJECT_TYPE (self), describe_func_quark ());

  return func != NULL ? func (self) : NULL;
}

static void
update_name (TapiTerminal *self)
{
  TapiTerminalPrivate *priv = tapi_terminal_get_instance_private (self);
  g_autofree char *name = describe (self);

  if (g_strcmp0 (name, priv->name) == 0)
    return;

  g_free (priv->name);
  priv->name = g_steal_pointer (&name);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NAME]);
}

static void
describing_property_notify_cb (TapiTerminal *self,
                               GParamSpec   *pspec,
                               gpointer      user_data)
{
  update_name (self);
}

static gboolean
message_from_element (TapiTerminal *self,
                      GstMessage   *message)
{
  TapiTerminalPrivate *priv = tapi_terminal_get_instance_private (self);
  g_autoptr(GstElement) element = g_weak_ref_get (&priv->element);
  GstObject *src = GST_MESSAGE_SRC (message);

  if (element == NULL || src == NULL)
    return FALSE;

  return src == GST_OBJECT (element) ||
         gst_object_has_as_ancestor (src, GST_OBJECT (element));
}

/* Unless a class says otherwise, an error inside a terminal's element
 * ends its media: a device that went away, a missing decoder. */
static gboolean
tapi_terminal_real_handle_message (TapiTerminal *self,
                                   GstMessage   *message)
{
  return GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR;
}

static void
tapi_terminal_constructed (GObject *object)
{
  TapiTerminal *self = TAPI_TERMINAL (object);
  TapiTerminalPrivate *priv = tapi_terminal_get_instance_private (self);
  const DynamicClass *dynamic =
    lookup_class_data (G_OBJECT_TYPE (self), dynamic_class_quark ());

  G_OBJECT_CLASS (tapi_terminal_parent_class)->constructed (object);

  if (dynamic == NULL)
    return;

  /* A dynamic terminal made with g_object_new() alone, e.g. from a
   * binding, still says what it is. */
  priv->terminal_type = TAPI_TERMINAL_TYPE_DYNAMIC;
  if (priv->terminal_class == NULL)
    priv->terminal_class = g_strdup (dynamic->terminal_class);
  if ((dynamic->directions & TAPI_TERMINAL_DIRECTION_BIT (priv->direction)) ==
      0)
    priv->direction = g_bit_nth_lsf (dynamic->directions, -1);

  if (priv->name == NULL)
    {
      if (dynamic->describing_property != NULL)
        {
          g_autofree char *signal =
            g_strconcat ("notify::", dynamic->describing_property, NULL);

          g_signal_connect (self, signal,
                            G_CALLBACK (describing_property_notify_cb), NULL);
        }
      priv->name = describe (self);
    }
}

static void
tapi_terminal_finalize (GObject *object)
{
  TapiTerminal *self = TAPI_TERMINAL (object);
  TapiTerminalPrivate *priv = tapi_terminal_get_instance_private (self);

  g_free (priv->name);
  g_free (priv->terminal_class);
  g_weak_ref_clear (&priv->element);

  G_OBJECT_CLASS (tapi_terminal_parent_class)->finalize (object);
}

static void
tapi_terminal_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TapiTerminal *self = TAPI_TERMINAL (object);
  TapiTerminalPrivate *priv = tapi_terminal_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_TERMINAL_CLASS:
      g_value_set_string (value, priv->terminal_class);
      break;
    case PROP_TERMINAL_TYPE:
      g_value_set_enum (value, priv->terminal_type);
      break;
    case PROP_MEDIA_TYPE:
      g_value_set_flags (value, priv->media_type);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, priv->direction);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_terminal_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TapiTerminal *self = TAPI_TERMINAL (object);
  TapiTerminalPrivate *priv = tapi_terminal_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    case PROP_TERMINAL_CLASS:
      priv->terminal_class = g_value_dup_string (value);
      break;
    case PROP_TERMINAL_TYPE:
      priv->terminal_type = g_value_get_enum (value);
      break;
    case PROP_MEDIA_TYPE:
      priv->media_type = g_value_get_flags (value);
      break;
    case PROP_DIRECTION:
      priv->direction = g_value_get_enum (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_terminal_class_init (TapiTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tapi_terminal_constructed;
  object_class->finalize = tapi_terminal_finalize;
  object_class->get_property = tapi_terminal_get_property;
  object_class->set_property = tapi_terminal_set_property;

  tapi_terminal_class_set_message_func (klass,
                                        tapi_terminal_real_handle_message);

  /**
   * TapiTerminal:name:
   *
   * A name for people: the device's name for a static terminal, what it
   * does for a dynamic one (`Tone 440 Hz`, `Recording to call.wav`). The
   * name of a dynamic terminal follows its properties.
   */
  props[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TapiTerminal:terminal-class:
   *
   * The class of the terminal, one of the `TAPI_TERMINAL_CLASS_*`
   * strings such as %TAPI_TERMINAL_CLASS_MICROPHONE or
   * %TAPI_TERMINAL_CLASS_FILE_RECORDING.
   */
  props[PROP_TERMINAL_CLASS] =
    g_param_spec_string ("terminal-class", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TapiTerminal:terminal-type:
   *
   * Whether the terminal is a device of the machine
   * (%TAPI_TERMINAL_TYPE_STATIC) or was made by the application
   * (%TAPI_TERMINAL_TYPE_DYNAMIC).
   */
  props[PROP_TERMINAL_TYPE] =
    g_param_spec_enum ("terminal-type", NULL, NULL,
                       TAPI_TYPE_TERMINAL_TYPE, TAPI_TERMINAL_TYPE_DYNAMIC,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TapiTerminal:media-type:
   *
   * The media the terminal carries: %TAPI_MEDIA_TYPE_AUDIO.
   */
  props[PROP_MEDIA_TYPE] =
    g_param_spec_flags ("media-type", NULL, NULL,
                        TAPI_TYPE_MEDIA_TYPE, TAPI_MEDIA_TYPE_AUDIO,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TapiTerminal:direction:
   *
   * %TAPI_TERMINAL_DIRECTION_CAPTURE for a terminal that gives media to a
   * capture stream, %TAPI_TERMINAL_DIRECTION_RENDER for one that takes the
   * media of a render stream.
   */
  props[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL,
                       TAPI_TYPE_TERMINAL_DIRECTION,
                       TAPI_TERMINAL_DIRECTION_CAPTURE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TapiTerminal:state:
   *
   * %TAPI_TERMINAL_STATE_IN_USE while a stream the terminal is selected on
   * runs, %TAPI_TERMINAL_STATE_NOT_IN_USE otherwise.
   */
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TAPI_TYPE_TERMINAL_STATE,
                       TAPI_TERMINAL_STATE_NOT_IN_USE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tapi_terminal_init (TapiTerminal *self)
{
  TapiTerminalPrivate *priv = tapi_terminal_get_instance_private (self);

  priv->terminal_type = TAPI_TERMINAL_TYPE_DYNAMIC;
  priv->media_type = TAPI_MEDIA_TYPE_AUDIO;
  priv->direction = TAPI_TERMINAL_DIRECTION_CAPTURE;
  priv->state = TAPI_TERMINAL_STATE_NOT_IN_USE;
  g_weak_ref_init (&priv->element, NULL);
}

/**
 * tapi_terminal_get_name:
 * @self: a terminal
 *
 * Gets [property@Tapi.Terminal:name].
 *
 * Returns: (nullable): the name of the terminal
 */
const char *
tapi_terminal_get_name (TapiTerminal *self)
{
  TapiTerminalPrivate *priv;

  g_return_val_if_fail (TAPI_IS_TERMINAL (self), NULL);

  priv = tapi_terminal_get_instance_private (self);
  return priv->name;
}

/**
 * tapi_terminal_get_terminal_class:
 * @self: a terminal
 *
 * Gets [property@Tapi.Terminal:terminal-class].
 *
 * Returns: (nullable): the class of the terminal, such as
 *   %TAPI_TERMINAL_CLASS_SPEAKERS
 */
const char *
tapi_terminal_get_terminal_class (TapiTerminal *self)
{
  TapiTerminalPrivate *priv;

  g_return_val_if_fail (TAPI_IS_TERMINAL (self), NULL);

  priv = tapi_terminal_get_instance_private (self);
  return priv->terminal_class;
}

/**
 * tapi_terminal_get_terminal_type:
 * @self: a terminal
 *
 * Gets [property@Tapi.Terminal:terminal-type].
 *
 * Returns: whether the terminal is static or dynamic
 */
TapiTerminalType
tapi_terminal_get_terminal_type (TapiTerminal *self)
{
  TapiTerminalPrivate *priv;

  g_return_val_if_fail (TAPI_IS_TERMINAL (self), TAPI_TERMINAL_TYPE_DYNAMIC);

  priv = tapi_terminal_get_instance_private (self);
  return priv->terminal_type;
}

/**
 * tapi_terminal_get_media_type:
 * @self: a terminal
 *
 * Gets [property@Tapi.Terminal:media-type].
 *
 * Returns: the media type of the terminal
 */
TapiMediaType
tapi_terminal_get_media_type (TapiTerminal *self)
{
  TapiTerminalPrivate *priv;

  g_return_val_if_fail (TAPI_IS_TERMINAL (self), TAPI_MEDIA_TYPE_NONE);

  priv = tapi_terminal_get_instance_private (self);
  return priv->media_type;
}

/**
 * tapi_terminal_get_direction:
 * @self: a terminal
 *
 * Gets [property@Tapi.Terminal:direction].
 *
 * Returns: the direction of the terminal
 */
TapiTerminalDirection
tapi_terminal_get_direction (TapiTerminal *self)
{
  TapiTerminalPrivate *priv;

  g_return_val_if_fail (TAPI_IS_TERMINAL (self), TAPI_TERMINAL_DIRECTION_NONE);

  priv = tapi_terminal_get_instance_private (self);
  return priv->direction;
}

/**
 * tapi_terminal_get_state:
 * @self: a terminal
 *
 * Gets [property@Tapi.Terminal:state].
 *
 * Returns: whether the terminal is in use
 */
TapiTerminalState
tapi_terminal_get_state (TapiTerminal *self)
{
  TapiTerminalPrivate *priv;

  g_return_val_if_fail (TAPI_IS_TERMINAL (self),
                        TAPI_TERMINAL_STATE_NOT_IN_USE);

  priv = tapi_terminal_get_instance_private (self);
  return priv->state;
}

/* Private API */

void
tapi_terminal_set_state (TapiTerminal      *self,
                         TapiTerminalState  state)
{
  TapiTerminalPrivate *priv;

  g_return_if_fail (TAPI_IS_TERMINAL (self));

  priv = tapi_terminal_get_instance_private (self);
  if (priv->state == state)
    return;

  GST_DEBUG_OBJECT (self, "“%s” is %s", priv->name,
                    state == TAPI_TERMINAL_STATE_IN_USE ? "in use"
                                                        : "not in use");
  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

void
tapi_terminal_class_set_element_func (gpointer                klass,
                                      TapiTerminalElementFunc func)
{
  g_return_if_fail (TAPI_IS_TERMINAL_CLASS (klass));

  g_type_set_qdata (G_TYPE_FROM_CLASS (klass), element_func_quark (), func);
}

void
tapi_terminal_class_set_message_func (gpointer                klass,
                                      TapiTerminalMessageFunc func)
{
  g_return_if_fail (TAPI_IS_TERMINAL_CLASS (klass));

  g_type_set_qdata (G_TYPE_FROM_CLASS (klass), message_func_quark (), func);
}

void
tapi_terminal_class_set_describe_func (gpointer                 klass,
                                       TapiTerminalDescribeFunc func)
{
  g_return_if_fail (TAPI_IS_TERMINAL_CLASS (klass));

  g_type_set_qdata (G_TYPE_FROM_CLASS (klass), describe_func_quark (), func);
}

/*
 * tapi_terminal_class_set_dynamic:
 * @klass: a terminal class, in its class_init
 * @terminal_class: the `TAPI_TERMINAL_CLASS_*` applications make it by
 * @directions: the directions it takes, as TAPI_TERMINAL_DIRECTION_BIT()s
 * @describing_property: (nullable): the property its name follows
 *
 * Makes @klass a dynamic terminal class: its terminals are of type
 * %TAPI_TERMINAL_TYPE_DYNAMIC and of class @terminal_class even when made
 * with g_object_new() alone, take a direction of @directions, and are
 * named by the class's describe function.
 */
void
tapi_terminal_class_set_dynamic (gpointer    klass,
                                 const char *terminal_class,
                                 guint       directions,
                                 const char *describing_property)
{
  DynamicClass *dynamic;

  g_return_if_fail (TAPI_IS_TERMINAL_CLASS (klass));
  g_return_if_fail (terminal_class != NULL);
  g_return_if_fail (directions != 0);

  /* Kept for the life of the type, which is the process's. */
  dynamic = g_new0 (DynamicClass, 1);
  dynamic->terminal_class = g_strdup (terminal_class);
  dynamic->directions = directions;
  dynamic->describing_property = g_strdup (describing_property);
  g_type_set_qdata (G_TYPE_FROM_CLASS (klass), dynamic_class_quark (), dynamic);
}

/*
 * tapi_terminal_class_get_dynamic:
 * @type: a terminal type
 * @terminal_class: (out) (optional): its `TAPI_TERMINAL_CLASS_*`
 * @directions: (out) (optional): the directions it takes
 *
 * Gets what tapi_terminal_class_set_dynamic() said of @type; its class
 * must be initialized.
 *
 * Returns: %FALSE when @type is not a dynamic terminal class
 */
gboolean
tapi_terminal_class_get_dynamic (GType        type,
                                 const char **terminal_class,
                                 guint       *directions)
{
  const DynamicClass *dynamic;

  g_return_val_if_fail (g_type_is_a (type, TAPI_TYPE_TERMINAL), FALSE);

  dynamic = lookup_class_data (type, dynamic_class_quark ());
  if (dynamic == NULL)
    return FALSE;
  if (terminal_class != NULL)
    *terminal_class = dynamic->terminal_class;
  if (directions != NULL)
    *directions = dynamic->directions;
  return TRUE;
}

/* GStreamer is initialized on first use, so that applications that never
 * touch media need not do it. */
gboolean
tapi_terminal_ensure_gstreamer (GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (gst_is_initialized ())
    return TRUE;

  if (!gst_init_check (NULL, NULL, &local_error))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                   "GStreamer cannot be initialized: %s", local_error->message);
      return FALSE;
    }

  return TRUE;
}

/*
 * tapi_terminal_create_element:
 * @self: a terminal
 * @error: return location for a #GError
 *
 * Makes a new element for @self; see #TapiTerminalElementFunc. Errors of
 * GStreamer, such as a missing element, come back as
 * %TAPI_ERROR_INVALID_TERMINAL.
 *
 * Returns: (transfer floating): the element, or %NULL with @error set
 */
GstElement *
tapi_terminal_create_element (TapiTerminal  *self,
                              GError       **error)
{
  TapiTerminalPrivate *priv;
  TapiTerminalElementFunc func;
  g_autoptr(GError) local_error = NULL;
  GstElement *element;

  g_return_val_if_fail (TAPI_IS_TERMINAL (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  priv = tapi_terminal_get_instance_private (self);

  func = lookup_class_data (G_OBJECT_TYPE (self), element_func_quark ());
  if (func == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                   "The terminal “%s” has no media element",
                   priv->name != NULL ? priv->name : G_OBJECT_TYPE_NAME (self));
      return NULL;
    }

  if (!tapi_terminal_ensure_gstreamer (error))
    return NULL;

  element = func (self, &local_error);
  if (element == NULL)
    {
      if (local_error == NULL)
        g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                     "The terminal “%s” cannot make its media element",
                     priv->name);
      else if (local_error->domain == TAPI_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_TERMINAL,
                     "The terminal “%s” cannot make its media element: %s",
                     priv->name, local_error->message);
      GST_WARNING_OBJECT (self, "“%s” made no media element", priv->name);
      return NULL;
    }

  GST_DEBUG_OBJECT (self, "“%s” made %" GST_PTR_FORMAT, priv->name, element);
  g_weak_ref_set (&priv->element, element);

  return element;
}

/*
 * tapi_terminal_handle_message:
 * @self: a terminal
 * @message: a message of the pipeline the terminal's element is in
 *
 * Lets @self look at @message; messages that do not come from inside the
 * element made last by tapi_terminal_create_element() are ignored. May be
 * called from any thread.
 *
 * Returns: %TRUE when @message ends the terminal's media (the end of a
 *   play list, a write error), so that the stream reports it
 */
gboolean
tapi_terminal_handle_message (TapiTerminal *self,
                              GstMessage   *message)
{
  TapiTerminalMessageFunc func;

  g_return_val_if_fail (TAPI_IS_TERMINAL (self), FALSE);
  g_return_val_if_fail (GST_IS_MESSAGE (message), FALSE);

  if (!message_from_element (self, message))
    return FALSE;

  func = lookup_class_data (G_OBJECT_TYPE (self), message_func_quark ());
  if (func == NULL || !func (self, message))
    return FALSE;

  GST_DEBUG_OBJECT (self, "%" GST_PTR_FORMAT " ends the media of “%s”",
                    message, tapi_terminal_get_name (self));
  return TRUE;
}
