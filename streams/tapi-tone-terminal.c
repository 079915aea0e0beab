/* tapi-tone-terminal.c: TapiToneTerminal, a sine tone source
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Media"

#include <gio/gio.h>

#include "tapi-terminal-private.h"
#include "tapi-tone-terminal.h"

/**
 * TapiToneTerminal:
 *
 * A capture terminal that sends a sine tone into the call.
 *
 * Make one with [method@Tapi.Address.create_terminal] and the class
 * %TAPI_TERMINAL_CLASS_TONE. Its [property@Tapi.ToneTerminal:frequency] and
 * [property@Tapi.ToneTerminal:volume] can change while the tone plays.
 */

struct _TapiToneTerminal
{
  TapiTerminal  parent_instance;

  double        frequency;
  double        volume;

  /* The element made last, updated when the properties change. */
  GWeakRef      source;
};

enum {
  PROP_0,
  PROP_FREQUENCY,
  PROP_VOLUME,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TapiToneTerminal, tapi_tone_terminal, TAPI_TYPE_TERMINAL)

#define MIN_FREQUENCY 1.0
#define MAX_FREQUENCY 20000.0
#define DEFAULT_FREQUENCY 1000.0
#define DEFAULT_VOLUME 0.5

static GstElement *
create_element (TapiTerminal  *terminal,
                GError       **error)
{
  TapiToneTerminal *self = TAPI_TONE_TERMINAL (terminal);
  GstElement *source;

  /* 160 samples: 20 ms at 8 kHz, so that the tone adds little latency. */
  source = gst_parse_launch_full ("audiotestsrc is-live=true wave=sine "
                                  "samplesperbuffer=160",
                                  NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
  if (source == NULL)
    return NULL;

  g_object_set (source,
                "freq", self->frequency,
                "volume", self->volume,
                NULL);
  g_weak_ref_set (&self->source, source);

  return source;
}

static void
update_source (TapiToneTerminal *self,
               const char       *property,
               double            value)
{
  g_autoptr(GstElement) source = g_weak_ref_get (&self->source);

  if (source != NULL)
    g_object_set (source, property, value, NULL);
}

static void
tapi_tone_terminal_finalize (GObject *object)
{
  TapiToneTerminal *self = TAPI_TONE_TERMINAL (object);

  g_weak_ref_clear (&self->source);

  G_OBJECT_CLASS (tapi_tone_terminal_parent_class)->finalize (object);
}

static void
tapi_tone_terminal_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TapiToneTerminal *self = TAPI_TONE_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_FREQUENCY:
      g_value_set_double (value, self->frequency);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tapi_tone_terminal_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TapiToneTerminal *self = TAPI_TONE_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_FREQUENCY:
      tapi_tone_terminal_set_frequency (self, g_value_get_double (value));
      break;
    case PROP_VOLUME:
      tapi_tone_terminal_set_volume (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
describe (TapiTerminal *terminal)
{
  char frequency[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (frequency, sizeof frequency, "%g",
                   tapi_tone_terminal_get_frequency (TAPI_TONE_TERMINAL (terminal)));
  return g_strdup_printf ("Tone %s Hz", frequency);
}

static void
tapi_tone_terminal_class_init (TapiToneTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tapi_tone_terminal_finalize;
  object_class->get_property = tapi_tone_terminal_get_property;
  object_class->set_property = tapi_tone_terminal_set_property;

  tapi_terminal_class_set_element_func (klass, create_element);
  tapi_terminal_class_set_describe_func (klass, describe);
  tapi_terminal_class_set_dynamic (klass, TAPI_TERMINAL_CLASS_TONE,
                                   TAPI_TERMINAL_DIRECTION_BIT (TAPI_TERMINAL_DIRECTION_CAPTURE),
                                   "frequency");

  /**
   * TapiToneTerminal:frequency:
   *
   * The frequency of the tone in hertz, from 1 to 20000. It changes at once
   * while the tone plays.
   */
  props[PROP_FREQUENCY] =
    g_param_spec_double ("frequency", NULL, NULL,
                         MIN_FREQUENCY, MAX_FREQUENCY, DEFAULT_FREQUENCY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TapiToneTerminal:volume:
   *
   * The amplitude of the tone, from 0 (silence) to 1 (full scale). It
   * changes at once while the tone plays.
   */
  props[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL,
                         0.0, 1.0, DEFAULT_VOLUME,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tapi_tone_terminal_init (TapiToneTerminal *self)
{
  self->frequency = DEFAULT_FREQUENCY;
  self->volume = DEFAULT_VOLUME;
  g_weak_ref_init (&self->source, NULL);
}

/**
 * tapi_tone_terminal_get_frequency:
 * @self: a tone terminal
 *
 * Gets [property@Tapi.ToneTerminal:frequency].
 *
 * Returns: the frequency of the tone in hertz
 */
double
tapi_tone_terminal_get_frequency (TapiToneTerminal *self)
{
  g_return_val_if_fail (TAPI_IS_TONE_TERMINAL (self), 0.0);

  return self->frequency;
}

/**
 * tapi_tone_terminal_set_frequency:
 * @self: a tone terminal
 * @frequency: the frequency in hertz, from 1 to 20000
 *
 * Sets [property@Tapi.ToneTerminal:frequency]; a playing tone changes at
 * once.
 */
void
tapi_tone_terminal_set_frequency (TapiToneTerminal *self,
                                  double            frequency)
{
  g_return_if_fail (TAPI_IS_TONE_TERMINAL (self));
  g_return_if_fail (frequency >= MIN_FREQUENCY && frequency <= MAX_FREQUENCY);

  if (self->frequency == frequency)
    return;

  self->frequency = frequency;
  update_source (self, "freq", frequency);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FREQUENCY]);
}

/**
 * tapi_tone_terminal_get_volume:
 * @self: a tone terminal
 *
 * Gets [property@Tapi.ToneTerminal:volume].
 *
 * Returns: the amplitude of the tone, from 0 to 1
 */
double
tapi_tone_terminal_get_volume (TapiToneTerminal *self)
{
  g_return_val_if_fail (TAPI_IS_TONE_TERMINAL (self), 0.0);

  return self->volume;
}

/**
 * tapi_tone_terminal_set_volume:
 * @self: a tone terminal
 * @volume: the amplitude, from 0 to 1
 *
 * Sets [property@Tapi.ToneTerminal:volume]; a playing tone changes at
 * once.
 */
void
tapi_tone_terminal_set_volume (TapiToneTerminal *self,
                               double            volume)
{
  g_return_if_fail (TAPI_IS_TONE_TERMINAL (self));
  g_return_if_fail (volume >= 0.0 && volume <= 1.0);

  if (self->volume == volume)
    return;

  self->volume = volume;
  update_source (self, "volume", volume);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VOLUME]);
}
