/* tapi-sim-provider.c: the simulated PBX
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "Tapi-Sim"

#include <stdlib.h>
#include <string.h>

#include "tapi-codec.h"
#include "tapi-error.h"
#include "tapi-sim-provider.h"
#include "tapi-sim-bridge.h"
#include "tapi-sim-service.h"
#include "tapi-srtp-key.h"

/* The simulated PBX connects "ends": an end is either a leg (one broker
 * call on an extension) or a service (a scripted remote party such as
 * `answer` or `busy`). Two linked ends talk to each other. A call between
 * two extensions is two legs; a call to a service is a leg and a service.
 * Transfers, park and pickup re-link ends. */

typedef enum {
  SERVICE_NONE,
  SERVICE_ANSWER,
  SERVICE_TONE,
  SERVICE_ECHO,
  SERVICE_FAX,
  SERVICE_DTMF,
  SERVICE_BUSY,
  SERVICE_NO_ANSWER,
  SERVICE_REJECT,
  SERVICE_RINGING,
} ServiceKind;

static const struct
{
  const char  *number;
  const char  *name;
  ServiceKind  kind;
} services[] = {
  { "answer", "Answering service", SERVICE_ANSWER },
  { "tone", "Tone generator", SERVICE_TONE },
  { "echo", "Echo service", SERVICE_ECHO },
  { "fax", "Fax machine", SERVICE_FAX },
  { "busy", "Busy line", SERVICE_BUSY },
  { "noanswer", "Unanswered line", SERVICE_NO_ANSWER },
  { "reject", "Rejecting line", SERVICE_REJECT },
  { "ringing", "Ringing line", SERVICE_RINGING },
};

#define DTMF_PREFIX "dtmf:"

typedef struct _SimEnd SimEnd;
typedef struct _SimConference SimConference;

struct _SimEnd
{
  TapiSimProvider *sim;
  SimEnd          *peer;

  /* A leg: the end belongs to its broker call (its provider data). */
  TapiBrokerCall  *call;
  gboolean         dial_tone;
  SimConference   *conference;
  char            *parked_at;

  /* A service: the end belongs to the provider while it is linked. */
  ServiceKind      service;
  char            *number;
  char            *name;
  TapiSimService  *media;       /* what it sends and receives, if anything */

  GSource         *timeout;     /* on the broker's context, not the default one */
};

struct _SimConference
{
  GPtrArray     *members;   /* SimEnd legs of the controlling application */
  TapiSimBridge *bridge;    /* mixes the members and their far ends */
};

struct _TapiSimProvider
{
  TapiProvider  parent_instance;

  guint         no_answer_timeout;
  guint         ring_timeout;
  guint         first_orbit;
  guint         last_orbit;
  GHashTable   *orbits;     /* orbit string → parked SimEnd */
  GHashTable   *services;   /* SimEnd services in use */
  GPtrArray    *legs;       /* every SimEnd leg, unowned */
  GStrv         codecs;     /* the default codec preference */
  gboolean      telephone_events;  /* RFC 4733 digits, or in-band tones */
  gboolean      srtp;       /* SRTP between extensions */
  GHashTable   *address_codecs;  /* address name → GStrv */
};


#define MEDIA_ADDRESS "127.0.0.1"

G_DEFINE_FINAL_TYPE (TapiSimProvider, tapi_sim_provider, TAPI_TYPE_PROVIDER)

/* Ends */

static void
end_cancel_timeout (SimEnd *end)
{
  if (end->timeout)
    {
      g_source_destroy (end->timeout);
      g_clear_pointer (&end->timeout, g_source_unref);
    }
}

static void
leg_free (SimEnd *end)
{
  g_ptr_array_remove_fast (end->sim->legs, end);
  end_cancel_timeout (end);
  g_free (end->parked_at);
  g_free (end);
}

static SimEnd *
leg_of (TapiSimProvider *self,
        TapiBrokerCall  *call)
{
  SimEnd *end = tapi_broker_call_get_provider_data (call);

  if (end == NULL)
    {
      end = g_new0 (SimEnd, 1);
      end->sim = self;
      end->call = call;
      g_ptr_array_add (self->legs, end);
      tapi_broker_call_set_provider_data (call, end, (GDestroyNotify) leg_free);
    }
  return end;
}

static SimEnd *
service_new (TapiSimProvider *self,
             ServiceKind      kind,
             const char      *number,
             const char      *name)
{
  SimEnd *end = g_new0 (SimEnd, 1);

  end->sim = self;
  end->service = kind;
  end->number = g_strdup (number);
  end->name = g_strdup (name);
  g_hash_table_add (self->services, end);
  return end;
}

static void
service_free (SimEnd *end)
{
  end_cancel_timeout (end);
  if (end->media)
    tapi_sim_service_stop (end->media);
  g_clear_object (&end->media);
  g_free (end->number);
  g_free (end->name);
  g_free (end);
}

static gboolean
is_leg (SimEnd *end)
{
  return end->call != NULL;
}

static void
end_identity (SimEnd      *end,
              const char **name,
              const char **number)
{
  if (is_leg (end))
    {
      TapiBrokerAddress *address = tapi_broker_call_get_address (end->call);

      *name = address->display_name;
      *number = address->dialable_address;
    }
  else
    {
      *name = end->name;
      *number = end->number;
    }
}

static void
link_ends (SimEnd *a,
           SimEnd *b)
{
  a->peer = b;
  b->peer = a;
}

static void
unlink_end (SimEnd *end)
{
  if (end->peer)
    end->peer->peer = NULL;
  end->peer = NULL;
}

static void
show_connected (SimEnd *a,
                SimEnd *b)
{
  const char *name, *number;

  if (is_leg (a))
    {
      end_identity (b, &name, &number);
      tapi_broker_call_set_connected_id (a->call, name, number);
    }
  if (is_leg (b))
    {
      end_identity (a, &name, &number);
      tapi_broker_call_set_connected_id (b->call, name, number);
    }
}

static void conference_leave (SimEnd *end);
static void connect_media (TapiSimProvider *self,
                           SimEnd          *a,
                           SimEnd          *b);

/* Ends @end's part: a leg becomes DISCONNECTED with @cause, a service is
 * freed. The end must be unlinked already. */
static void
end_hang_up (SimEnd             *end,
             TapiCallStateCause  cause)
{
  TapiSimProvider *self = end->sim;

  end_cancel_timeout (end);
  if (!is_leg (end))
    {
      g_hash_table_remove (self->services, end);
      return;
    }

  conference_leave (end);
  if (end->parked_at)
    {
      /* The orbit held the parked call. */
      g_autoptr(TapiBrokerCall) parked = end->call;

      g_hash_table_remove (self->orbits, end->parked_at);
      g_clear_pointer (&end->parked_at, g_free);
      tapi_broker_call_set_state (end->call, TAPI_CALL_STATE_DISCONNECTED,
                                  cause);
      return;
    }
  tapi_broker_call_set_state (end->call, TAPI_CALL_STATE_DISCONNECTED, cause);
}

/* Keeps the calls of both ends alive while they are re-linked. */
static TapiBrokerCall *
ref_call (SimEnd *end)
{
  return end && is_leg (end) ? g_object_ref (end->call) : NULL;
}

static void
connect_leg (SimEnd *leg)
{
  end_cancel_timeout (leg);
  if (tapi_broker_call_get_state (leg->call) != TAPI_CALL_STATE_CONNECTED)
    tapi_broker_call_set_state (leg->call, TAPI_CALL_STATE_CONNECTED,
                                TAPI_CALL_STATE_CAUSE_NONE);
}

/* Media */

static const char * const *
codecs_of (TapiSimProvider *self,
           SimEnd          *end)
{
  const char * const *codecs = NULL;

  if (is_leg (end))
    codecs =
      g_hash_table_lookup (self->address_codecs,
                           tapi_broker_call_get_address (end->call)->name);
  return codecs ? codecs : (const char * const *) self->codecs;
}

/* The first codec of @a's preference that @b takes; services take every
 * codec. Without one in common, both fall back to PCMU, which every
 * extension has. */
static const TapiCodec *
negotiate (TapiSimProvider *self,
           SimEnd          *a,
           SimEnd          *b)
{
  const char * const *offer = codecs_of (self, a);
  const char * const *answer = codecs_of (self, b);

  for (guint i = 0; offer[i]; i++)
    if (!is_leg (b) || g_strv_contains (answer, offer[i]))
      return tapi_codec_find (offer[i]);
  return tapi_codec_find ("PCMU");
}

static gboolean
end_ports (SimEnd *end,
           guint  *rtp,
           guint  *rtcp)
{
  g_autoptr(GError) error = NULL;

  if (is_leg (end))
    {
      if (!tapi_broker_call_ensure_sockets (end->call, MEDIA_ADDRESS, &error))
        {
          g_message ("No media sockets for call %u: %s",
                     tapi_broker_call_get_id (end->call), error->message);
          return FALSE;
        }
      *rtp = tapi_broker_call_get_rtp_port (end->call);
      *rtcp = tapi_broker_call_get_rtcp_port (end->call);
      return TRUE;
    }
  if (end->media == NULL)
    return FALSE;
  *rtp = tapi_sim_service_get_rtp_port (end->media);
  *rtcp = tapi_sim_service_get_rtcp_port (end->media);
  return TRUE;
}

static GVariant *
media_variant (TapiSimProvider *self,
               const TapiCodec *codec,
               guint           local_rtp,
               guint           local_rtcp,
               guint           remote_rtp,
               guint           remote_rtcp)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "local-rtp-port", "u", local_rtp);
  g_variant_dict_insert (&dict, "local-rtcp-port", "u", local_rtcp);
  g_variant_dict_insert (&dict, "remote-address", "s", MEDIA_ADDRESS);
  g_variant_dict_insert (&dict, "remote-rtp-port", "u", remote_rtp);
  g_variant_dict_insert (&dict, "remote-rtcp-port", "u", remote_rtcp);
  g_variant_dict_insert (&dict, "encoding-name", "s", codec->name);
  g_variant_dict_insert (&dict, "payload-type", "u", codec->payload_type);
  g_variant_dict_insert (&dict, "clock-rate", "u", codec->clock_rate);
  g_variant_dict_insert (&dict, "channels", "u", codec->channels);
  g_variant_dict_insert (&dict, "telephone-event-payload", "u",
                         self->telephone_events ? codec->telephone_event : 0);
  g_variant_dict_insert (&dict, "direction", "s", "sendrecv");
  return g_variant_dict_end (&dict);
}

/* @media (floating, consumed) with SRTP keys. */
static GVariant *
add_srtp (GVariant   *media,
          const char *send_key,
          const char *receive_key)
{
  GVariantDict dict;

  g_variant_ref_sink (media);
  g_variant_dict_init (&dict, media);
  g_variant_unref (media);
  g_variant_dict_insert (&dict, "srtp-suite", "s",
                         tapi_srtp_suite_nth (0)->name);
  g_variant_dict_insert (&dict, "srtp-send-key", "s", send_key);
  g_variant_dict_insert (&dict, "srtp-receive-key", "s", receive_key);
  return g_variant_dict_end (&dict);
}

static void
end_set_media (SimEnd   *end,
               GVariant *media)
{
  g_autoptr(GError) error = NULL;

  g_variant_ref_sink (media);
  if (is_leg (end))
    tapi_broker_call_set_media (end->call, media);
  else if (end->media)
    {
      /* Kept so that hold can change just the direction. */
      g_object_set_data_full (G_OBJECT (end->media), "tapi-sim-media",
                              g_variant_ref (media),
                              (GDestroyNotify) g_variant_unref);
      if (!tapi_sim_service_start (end->media, media, &error))
        g_message ("The %s service could not start: %s", end->number,
                   error->message);
    }
  g_variant_unref (media);
}

/* Points the media of two newly connected ends at each other. */
static void
connect_media (TapiSimProvider *self,
               SimEnd          *a,
               SimEnd          *b)
{
  const TapiCodec *codec = negotiate (self, a, b);
  guint a_rtp, a_rtcp, b_rtp, b_rtcp;

  GVariant *a_media, *b_media;

  if (!end_ports (a, &a_rtp, &a_rtcp) || !end_ports (b, &b_rtp, &b_rtcp))
    return;
  a_media = media_variant (self, codec, a_rtp, a_rtcp, b_rtp, b_rtcp);
  b_media = media_variant (self, codec, b_rtp, b_rtcp, a_rtp, a_rtcp);
  /* Between two extensions the media can be SRTP: each sends with a key
   * of its own, new for every connection. */
  if (self->srtp && is_leg (a) && is_leg (b))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *a_key = tapi_srtp_key_new (&error);
      g_autofree char *b_key = a_key ? tapi_srtp_key_new (&error) : NULL;

      if (b_key)
        {
          a_media = add_srtp (a_media, a_key, b_key);
          b_media = add_srtp (b_media, b_key, a_key);
          explicit_bzero (a_key, strlen (a_key));
          explicit_bzero (b_key, strlen (b_key));
        }
      else
        g_warning ("The call's media stays plain RTP: %s", error->message);
    }
  end_set_media (a, a_media);
  end_set_media (b, b_media);
}

/* Every member and far end of @conference sends to the bridge and hears
 * the others from it. */
static void
conference_connect_media (TapiSimProvider *self,
                          SimConference   *conference)
{
  g_autoptr(GPtrArray) ends = g_ptr_array_new ();
  g_autoptr(GPtrArray) bridge_media = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < conference->members->len; i++)
    {
      SimEnd *member = g_ptr_array_index (conference->members, i);

      g_ptr_array_add (ends, member);
      if (member->peer)
        g_ptr_array_add (ends, member->peer);
    }

  conference->bridge = tapi_sim_bridge_new (ends->len, &error);
  if (conference->bridge == NULL)
    {
      g_message ("No conference bridge: %s", error->message);
      return;
    }

  for (guint i = 0; i < ends->len; i++)
    {
      SimEnd *end = g_ptr_array_index (ends, i);
      const TapiCodec *codec = tapi_codec_find (codecs_of (self, end)[0]);
      guint rtp, rtcp;
      guint bridge_rtp = tapi_sim_bridge_get_rtp_port (conference->bridge, i);
      guint bridge_rtcp = tapi_sim_bridge_get_rtcp_port (conference->bridge, i);

      if (!end_ports (end, &rtp, &rtcp))
        return;
      end_set_media (end, media_variant (self, codec, rtp, rtcp, bridge_rtp,
                                         bridge_rtcp));
      g_ptr_array_add (bridge_media,
                       g_variant_ref_sink (media_variant (self, codec, bridge_rtp, bridge_rtcp, rtp, rtcp)));
    }

  if (!tapi_sim_bridge_start (conference->bridge,
                              (GVariant **) bridge_media->pdata, &error))
    g_message ("The conference bridge could not start: %s", error->message);
}

/* Conferences */

static void
conference_leave (SimEnd *end)
{
  SimConference *conference = end->conference;

  if (conference == NULL)
    return;

  g_ptr_array_remove (conference->members, end);
  end->conference = NULL;
  if (conference->members->len < 2)
    {
      if (conference->bridge)
        tapi_sim_bridge_stop (conference->bridge);
      g_clear_object (&conference->bridge);
      /* The one left talks to its far end directly again. */
      for (guint i = 0; i < conference->members->len; i++)
        {
          SimEnd *member = g_ptr_array_index (conference->members, i);

          member->conference = NULL;
          if (member->peer)
            connect_media (member->sim, member->peer, member);
        }
      g_ptr_array_unref (conference->members);
      g_free (conference);
    }
}

/* Destinations */

typedef enum {
  DEST_MALFORMED,
  DEST_EXTENSION,
  DEST_SERVICE,
  DEST_UNKNOWN_NUMBER,
} DestinationKind;

static gboolean
is_number (const char *text,
           const char *extra)
{
  if (text == NULL || *text == '\0' || strlen (text) > 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && strchr (extra, *p) == NULL)
      return FALSE;
  return TRUE;
}

static TapiBrokerAddress *
find_extension (TapiSimProvider *self,
                const char      *number)
{
  GPtrArray *addresses = tapi_provider_get_addresses (TAPI_PROVIDER (self));

  for (guint i = 0; i < addresses->len; i++)
    {
      TapiBrokerAddress *address = g_ptr_array_index (addresses, i);

      if (g_str_equal (address->dialable_address, number))
        return address;
    }
  return NULL;
}

static DestinationKind
classify (TapiSimProvider    *self,
          const char         *destination,
          TapiBrokerAddress **extension,
          guint              *service)
{
  if (destination == NULL)
    return DEST_MALFORMED;

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (g_str_equal (destination, services[i].number))
      {
        *service = i;
        return DEST_SERVICE;
      }

  if (g_str_has_prefix (destination, DTMF_PREFIX))
    {
      *service = G_N_ELEMENTS (services);
      return is_number (destination + strlen (DTMF_PREFIX), "*#ABCD")
               ? DEST_SERVICE
               : DEST_MALFORMED;
    }

  if (!is_number (destination, "*#"))
    return DEST_MALFORMED;

  *extension = find_extension (self, destination);
  return *extension ? DEST_EXTENSION : DEST_UNKNOWN_NUMBER;
}

static gboolean
tapi_sim_provider_check_destination (TapiProvider      *provider,
                                     TapiBrokerAddress *address,
                                     const char        *destination,
                                     GError           **error)
{
  TapiBrokerAddress *extension = NULL;
  guint service;

  if (classify (TAPI_SIM_PROVIDER (provider), destination, &extension,
                &service) == DEST_MALFORMED)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ADDRESS,
                   "'%s' is neither a number nor a service of the simulated PBX",
                   destination ? destination : "(null)");
      return FALSE;
    }
  return TRUE;
}

/* Routing */

static void
add_timeout (SimEnd      *end,
             guint        seconds,
             GSourceFunc  callback)
{
  GSource *source = g_timeout_source_new_seconds (seconds);

  end_cancel_timeout (end);
  g_source_set_callback (source, callback, end, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  end->timeout = source;
}

/* @end gets no answer: it and its peer hang up. */
static gboolean
no_answer_cb (gpointer user_data)
{
  SimEnd *end = user_data;
  SimEnd *peer = end->peer;
  g_autoptr(TapiBrokerCall) keep_end = ref_call (end);
  g_autoptr(TapiBrokerCall) keep_peer = ref_call (peer);

  g_clear_pointer (&end->timeout, g_source_unref);
  unlink_end (end);
  if (peer)
    end_hang_up (peer, TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER);
  end_hang_up (end, TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER);
  return G_SOURCE_REMOVE;
}

static TapiSimServiceKind
media_kind (ServiceKind kind)
{
  switch (kind)
    {
    case SERVICE_TONE:
      return TAPI_SIM_SERVICE_TONE;
    case SERVICE_ECHO:
      return TAPI_SIM_SERVICE_ECHO;
    case SERVICE_FAX:
      return TAPI_SIM_SERVICE_FAX;
    case SERVICE_DTMF:
      return TAPI_SIM_SERVICE_DTMF;
    case SERVICE_NONE:
    case SERVICE_ANSWER:
    case SERVICE_BUSY:
    case SERVICE_NO_ANSWER:
    case SERVICE_REJECT:
    case SERVICE_RINGING:
    default:
      return TAPI_SIM_SERVICE_SILENCE;
    }
}

/* Connects @from, a leg being placed or an end that lost its peer, to
 * @destination. @redirecting is the number that sent it there, if any. */
static void
route (TapiSimProvider *self,
       SimEnd          *from,
       const char      *destination,
       const char      *redirecting)
{
  TapiBrokerAddress *extension = NULL;
  guint service_index = 0;
  ServiceKind kind;
  SimEnd *to;

  if (is_leg (from) &&
      tapi_broker_call_get_state (from->call) == TAPI_CALL_STATE_IDLE)
    tapi_broker_call_set_state (from->call, TAPI_CALL_STATE_IN_PROGRESS,
                                TAPI_CALL_STATE_CAUSE_NONE);

  switch (classify (self, destination, &extension, &service_index))
    {
    case DEST_EXTENSION:
      if (is_leg (from) &&
          tapi_broker_call_get_address (from->call) == extension)
        {
          end_hang_up (from, TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY);
        }
      else
        {
          g_autoptr(TapiBrokerCall) call = NULL;
          const char *name, *number;

          call = tapi_broker_call_new (extension, TAPI_CALL_ORIGIN_INTERNAL,
                                       is_leg (from) ?
                                       tapi_broker_call_get_media_types (from->call) :
                                       TAPI_MEDIA_TYPE_AUDIO,
                                       NULL);
          end_identity (from, &name, &number);
          tapi_broker_call_set_caller_id (call, name, number);
          tapi_broker_call_set_called_id (call, extension->display_name,
                                          extension->dialable_address);
          if (redirecting)
            tapi_broker_call_set_redirecting_id_number (call, redirecting);

          to = leg_of (self, call);
          link_ends (from, to);
          tapi_provider_emit_call_added (TAPI_PROVIDER (self), call);
          tapi_broker_call_set_state (call, TAPI_CALL_STATE_OFFERING,
                                      TAPI_CALL_STATE_CAUSE_NONE);
          tapi_provider_emit_call_offered (TAPI_PROVIDER (self), call, NULL);
          if (self->ring_timeout > 0 && to->peer == from)
            add_timeout (to, self->ring_timeout, no_answer_cb);
        }
      break;

    case DEST_SERVICE:
      kind = service_index < G_N_ELEMENTS (services)
               ? services[service_index].kind
               : SERVICE_DTMF;
      if (kind == SERVICE_BUSY || kind == SERVICE_REJECT || !is_leg (from))
        {
          /* A service sent to a service has nobody to talk to. */
          end_hang_up (from, kind == SERVICE_BUSY
                               ? TAPI_CALL_STATE_CAUSE_DISCONNECT_BUSY
                             : kind == SERVICE_REJECT
                               ? TAPI_CALL_STATE_CAUSE_DISCONNECT_REJECTED
                               : TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
          break;
        }
      to = service_new (self, kind, destination,
                        kind == SERVICE_DTMF ? "DTMF sender"
                                             : services[service_index].name);
      link_ends (from, to);
      if (kind == SERVICE_NO_ANSWER)
        add_timeout (to, self->no_answer_timeout, no_answer_cb);
      else if (kind != SERVICE_RINGING)
        {
          g_autoptr(GError) error = NULL;

          to->media = tapi_sim_service_new (media_kind (kind),
                                            kind == SERVICE_DTMF
                                              ? destination +
                                                  strlen (DTMF_PREFIX)
                                              : NULL,
                                            &error);
          if (to->media == NULL)
            g_message ("The %s service has no media: %s", destination,
                       error->message);
          show_connected (from, to);
          connect_media (self, from, to);
          connect_leg (from);
        }
      break;

    case DEST_UNKNOWN_NUMBER:
    case DEST_MALFORMED:
    default:
      end_hang_up (from, TAPI_CALL_STATE_CAUSE_DISCONNECT_BAD_ADDRESS);
      break;
    }
}

/* Provider operations */

static gboolean
tapi_sim_provider_connect (TapiProvider   *provider,
                           TapiBrokerCall *call,
                           GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *leg = leg_of (self, call);
  const char *destination = tapi_broker_call_get_destination (call);

  if (destination == NULL)
    {
      leg->dial_tone = TRUE;
      tapi_broker_call_set_state (call, TAPI_CALL_STATE_IN_PROGRESS,
                                  TAPI_CALL_STATE_CAUSE_NONE);
      return TRUE;
    }

  route (self, leg, destination, NULL);
  return TRUE;
}

static gboolean
tapi_sim_provider_dial (TapiProvider   *provider,
                        TapiBrokerCall *call,
                        const char     *destination,
                        GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *leg = leg_of (self, call);

  if (!leg->dial_tone)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "Call %u is not in dial tone",
                   tapi_broker_call_get_id (call));
      return FALSE;
    }

  leg->dial_tone = FALSE;
  tapi_broker_call_set_destination (call, destination);
  tapi_broker_call_set_called_id (call, NULL, destination);
  route (self, leg, destination, NULL);
  return TRUE;
}

static gboolean
tapi_sim_provider_answer (TapiProvider   *provider,
                          TapiBrokerCall *call,
                          GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *leg = leg_of (self, call);
  SimEnd *peer = leg->peer;
  g_autoptr(TapiBrokerCall) keep = ref_call (peer);

  if (peer == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                   "The caller of call %u has gone",
                   tapi_broker_call_get_id (call));
      return FALSE;
    }

  show_connected (leg, peer);
  connect_media (self, peer, leg);
  connect_leg (leg);
  if (is_leg (peer))
    connect_leg (peer);
  return TRUE;
}

static gboolean
tapi_sim_provider_disconnect (TapiProvider       *provider,
                              TapiBrokerCall     *call,
                              TapiDisconnectCode  code,
                              TapiCallStateCause  cause,
                              GError            **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *leg = leg_of (self, call);
  SimEnd *peer = leg->peer;
  g_autoptr(TapiBrokerCall) keep = ref_call (peer);
  gboolean was_offering = tapi_broker_call_get_state (call) ==
                          TAPI_CALL_STATE_OFFERING;

  unlink_end (leg);
  end_hang_up (leg, cause);

  if (peer)
    {
      TapiCallStateCause peer_cause = TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL;

      if (was_offering)
        peer_cause = cause == TAPI_CALL_STATE_CAUSE_DISCONNECT_FAILED ?
                     TAPI_CALL_STATE_CAUSE_DISCONNECT_NO_ANSWER : cause;
      else if (is_leg (peer) &&
               tapi_broker_call_get_state (peer->call) == TAPI_CALL_STATE_OFFERING)
        peer_cause = TAPI_CALL_STATE_CAUSE_DISCONNECT_CANCELLED;
      end_hang_up (peer, peer_cause);
    }
  return TRUE;
}

/* Changes only the direction of @end's current media. */
static void
end_set_direction (SimEnd     *end,
                   const char *direction)
{
  GVariant *media = NULL;
  GVariantDict dict;

  if (is_leg (end))
    media = tapi_broker_call_get_media (end->call);
  else if (end->media)
    media = g_object_get_data (G_OBJECT (end->media), "tapi-sim-media");
  if (media == NULL)
    return;

  g_variant_dict_init (&dict, media);
  g_variant_dict_insert (&dict, "direction", "s", direction);
  end_set_media (end, g_variant_dict_end (&dict));
}

static gboolean
tapi_sim_provider_hold (TapiProvider   *provider,
                        TapiBrokerCall *call,
                        gboolean        hold,
                        GError        **error)
{
  SimEnd *leg = leg_of (TAPI_SIM_PROVIDER (provider), call);

  /* The held party stops sending: a service falls silent, a phone's
   * capture stream stops. */
  if (leg->peer)
    end_set_direction (leg->peer, hold ? "inactive" : "sendrecv");
  tapi_broker_call_set_state (call,
                              hold ? TAPI_CALL_STATE_HOLD
                                   : TAPI_CALL_STATE_CONNECTED,
                              TAPI_CALL_STATE_CAUSE_NONE);
  return TRUE;
}

static SimEnd *
connected_peer (SimEnd  *leg,
                GError **error)
{
  if (leg->peer == NULL)
    g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_CALL_STATE,
                 "Call %u has no remote party",
                 tapi_broker_call_get_id (leg->call));
  return leg->peer;
}

static gboolean
tapi_sim_provider_blind_transfer (TapiProvider   *provider,
                                  TapiBrokerCall *call,
                                  const char     *destination,
                                  GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *leg = leg_of (self, call);
  SimEnd *peer = connected_peer (leg, error);
  g_autoptr(TapiBrokerCall) keep = ref_call (peer);
  TapiBrokerAddress *address = tapi_broker_call_get_address (call);

  if (peer == NULL)
    return FALSE;

  unlink_end (leg);
  end_hang_up (leg, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  if (is_leg (peer))
    tapi_broker_call_set_redirection_id_number (peer->call, destination);
  route (self, peer, destination, address->dialable_address);
  return TRUE;
}

static gboolean
tapi_sim_provider_finish_transfer (TapiProvider   *provider,
                                   TapiBrokerCall *original,
                                   TapiBrokerCall *consultation,
                                   GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *first = leg_of (self, original);
  SimEnd *second = leg_of (self, consultation);
  SimEnd *first_peer, *second_peer;
  g_autoptr(TapiBrokerCall) keep_first = NULL;
  g_autoptr(TapiBrokerCall) keep_second = NULL;

  if (!(first_peer = connected_peer (first, error)) ||
      !(second_peer = connected_peer (second, error)))
    return FALSE;
  keep_first = ref_call (first_peer);
  keep_second = ref_call (second_peer);

  unlink_end (first);
  unlink_end (second);
  end_hang_up (first, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
  end_hang_up (second, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  if (!is_leg (first_peer) && !is_leg (second_peer))
    {
      end_hang_up (first_peer, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
      end_hang_up (second_peer, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);
      return TRUE;
    }

  link_ends (first_peer, second_peer);
  if (is_leg (first_peer))
    tapi_broker_call_set_redirection_id_number (first_peer->call,
                                                tapi_broker_call_get_address (consultation)->dialable_address);
  show_connected (first_peer, second_peer);
  connect_media (self, first_peer, second_peer);
  if (is_leg (first_peer))
    connect_leg (first_peer);
  if (is_leg (second_peer))
    connect_leg (second_peer);
  return TRUE;
}

static gboolean
tapi_sim_provider_finish_conference (TapiProvider   *provider,
                                     TapiBrokerCall *original,
                                     TapiBrokerCall *consultation,
                                     GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *first = leg_of (self, original);
  SimEnd *second = leg_of (self, consultation);
  SimConference *conference;

  if (!connected_peer (first, error) || !connected_peer (second, error))
    return FALSE;

  conference = g_new0 (SimConference, 1);
  conference->members = g_ptr_array_new ();
  g_ptr_array_add (conference->members, first);
  g_ptr_array_add (conference->members, second);
  first->conference = conference;
  second->conference = conference;
  conference_connect_media (self, conference);

  tapi_broker_call_set_state (original, TAPI_CALL_STATE_CONNECTED,
                              TAPI_CALL_STATE_CAUSE_NONE);
  return TRUE;
}

static gboolean
tapi_sim_provider_is_in_conference (TapiProvider   *provider,
                                    TapiBrokerCall *call)
{
  SimEnd *leg = tapi_broker_call_get_provider_data (call);

  return leg != NULL && leg->conference != NULL;
}

static gboolean
tapi_sim_provider_remove_from_conference (TapiProvider   *provider,
                                          TapiBrokerCall *call,
                                          GError        **error)
{
  return tapi_sim_provider_disconnect (provider, call,
                                       TAPI_DISCONNECT_CODE_NORMAL,
                                       TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL,
                                       error);
}

/* Park orbits are numbers in [first_orbit, last_orbit]. */
static gboolean
parse_orbit (TapiSimProvider *self,
             const char      *orbit,
             GError         **error)
{
  guint64 value;

  if (!is_number (orbit, "") ||
      !g_ascii_string_to_unsigned (orbit, 10, self->first_orbit,
                                   self->last_orbit, &value, NULL))
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_PARK_ID,
                   "'%s' is not a park orbit (%u–%u)",
                   orbit ? orbit : "(null)", self->first_orbit, self->last_orbit);
      return FALSE;
    }
  return TRUE;
}

static char *
tapi_sim_provider_park (TapiProvider   *provider,
                        TapiBrokerCall *call,
                        const char     *orbit,
                        GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *leg = leg_of (self, call);
  SimEnd *peer;
  g_autofree char *chosen = NULL;
  g_autoptr(TapiBrokerCall) keep = NULL;

  if (orbit)
    {
      if (!parse_orbit (self, orbit, error))
        return NULL;
      if (g_hash_table_contains (self->orbits, orbit))
        {
          g_set_error (error, TAPI_ERROR, TAPI_ERROR_RESOURCE_UNAVAILABLE,
                       "Park orbit %s is occupied", orbit);
          return NULL;
        }
      chosen = g_strdup (orbit);
    }
  else
    {
      for (guint i = self->first_orbit; i <= self->last_orbit && chosen == NULL;
           i++)
        {
          g_autofree char *candidate = g_strdup_printf ("%u", i);

          if (!g_hash_table_contains (self->orbits, candidate))
            chosen = g_steal_pointer (&candidate);
        }
      if (chosen == NULL)
        {
          g_set_error_literal (error, TAPI_ERROR,
                               TAPI_ERROR_RESOURCE_UNAVAILABLE,
                               "Every park orbit is occupied");
          return NULL;
        }
    }

  if (!(peer = connected_peer (leg, error)))
    return NULL;
  keep = ref_call (peer);

  unlink_end (leg);
  end_hang_up (leg, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  /* A parked leg stays connected to the switch, waiting in the orbit. */
  if (is_leg (peer))
    {
      g_autofree char *name = g_strdup_printf ("Park orbit %s", chosen);

      peer->parked_at = g_strdup (chosen);
      tapi_broker_call_set_connected_id (peer->call, name, chosen);
      g_object_ref (peer->call);
    }
  g_hash_table_insert (self->orbits, g_strdup (chosen), peer);
  return g_steal_pointer (&chosen);
}

static SimEnd *
take_parked (TapiSimProvider *self,
             const char      *orbit)
{
  SimEnd *parked = NULL;
  g_autofree char *key = NULL;

  if (!g_hash_table_steal_extended (self->orbits, orbit, (gpointer *) &key,
                                    (gpointer *) &parked))
    return NULL;
  if (is_leg (parked))
    {
      g_clear_pointer (&parked->parked_at, g_free);
      /* The orbit's reference goes to the caller. */
    }
  return parked;
}

static gboolean
tapi_sim_provider_unpark (TapiProvider   *provider,
                          TapiBrokerCall *call,
                          GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  SimEnd *leg = leg_of (self, call);
  const char *orbit = tapi_broker_call_get_destination (call);
  SimEnd *parked;
  g_autoptr(TapiBrokerCall) keep = NULL;

  if (!parse_orbit (self, orbit, error))
    return FALSE;
  parked = take_parked (self, orbit);
  if (parked == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_PARK_ID,
                   "Nobody is parked at %s", orbit);
      return FALSE;
    }
  if (is_leg (parked))
    keep = parked->call;

  link_ends (leg, parked);
  show_connected (leg, parked);
  connect_media (self, leg, parked);
  connect_leg (leg);
  return TRUE;
}

static gboolean
address_in_group (TapiBrokerAddress *address,
                  const char        *group)
{
  return address->pickup_group != NULL &&
         g_str_equal (address->pickup_group, group);
}

static gboolean
tapi_sim_provider_pickup (TapiProvider   *provider,
                          TapiBrokerCall *call,
                          const char     *group,
                          GError        **error)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (provider);
  TapiBrokerAddress *own = tapi_broker_call_get_address (call);
  TapiBrokerAddress *at = NULL;
  GPtrArray *addresses = tapi_provider_get_addresses (provider);
  const char *destination = tapi_broker_call_get_destination (call);
  SimEnd *leg = leg_of (self, call);
  SimEnd *ringing = NULL, *caller;
  g_autoptr(TapiBrokerCall) keep_ringing = NULL;
  g_autoptr(TapiBrokerCall) keep_caller = NULL;
  gboolean group_known = FALSE;

  if (group == NULL && destination == NULL)
    group = own->pickup_group;
  if (group)
    {
      for (guint i = 0; i < addresses->len; i++)
        group_known |= address_in_group (g_ptr_array_index (addresses, i),
                                         group);
      if (!group_known)
        {
          g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_GROUP_ID,
                       "No pickup group '%s'", group);
          return FALSE;
        }
    }
  if (destination)
    {
      at = find_extension (self, destination);
      if (at == NULL || (group && !address_in_group (at, group)))
        {
          g_set_error (error, TAPI_ERROR, TAPI_ERROR_INVALID_ADDRESS,
                       "'%s' is no extension%s%s", destination,
                       group ? " of pickup group " : "", group ? group : "");
          return FALSE;
        }
    }

  /* The oldest call ringing where we may pick up. */
  for (guint i = 0; i < self->legs->len; i++)
    {
      SimEnd *candidate = g_ptr_array_index (self->legs, i);
      TapiBrokerAddress *address = tapi_broker_call_get_address (candidate->call);

      if (tapi_broker_call_get_state (candidate->call) !=
            TAPI_CALL_STATE_OFFERING ||
          candidate->peer == NULL || address == own || (at && address != at) ||
          (group && !address_in_group (address, group)))
        continue;
      if (ringing == NULL ||
          tapi_broker_call_get_id (candidate->call) < tapi_broker_call_get_id (ringing->call))
        ringing = candidate;
    }

  if (ringing == NULL)
    {
      g_set_error (error, TAPI_ERROR, TAPI_ERROR_CALL_UNAVAILABLE,
                   "No call is ringing %s %s", at ? "at" : "in pickup group",
                   at ? at->dialable_address : group);
      return FALSE;
    }

  caller = ringing->peer;
  keep_ringing = g_object_ref (ringing->call);
  keep_caller = ref_call (caller);

  unlink_end (ringing);
  end_hang_up (ringing, TAPI_CALL_STATE_CAUSE_DISCONNECT_NORMAL);

  link_ends (leg, caller);
  show_connected (leg, caller);
  connect_media (self, caller, leg);
  connect_leg (leg);
  if (is_leg (caller))
    connect_leg (caller);
  return TRUE;
}

static void
tapi_sim_provider_call_removed (TapiProvider   *provider,
                                TapiBrokerCall *call)
{
  SimEnd *leg = tapi_broker_call_get_provider_data (call);

  if (leg)
    {
      unlink_end (leg);
      conference_leave (leg);
    }
}

/* Configuration */

static gboolean
parse_orbit_range (TapiSimProvider *self,
                   const char      *range,
                   GError         **error)
{
  g_auto(GStrv) parts = g_strsplit (range, "-", 2);
  guint64 first, last;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 0, G_MAXUINT32,
                                   &first, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, first,
                                   first + 999, &last, NULL))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[pbx] park-orbits=%s is not a range like 7000-7099", range);
      return FALSE;
    }
  self->first_orbit = first;
  self->last_orbit = last;
  return TRUE;
}

static gboolean
read_uint (GKeyFile   *config,
           const char *group,
           const char *key,
           guint      *value,
           GError    **error)
{
  GError *local_error = NULL;
  int read;

  if (!g_key_file_has_key (config, group, key, NULL))
    return TRUE;
  read = g_key_file_get_integer (config, group, key, &local_error);
  if (local_error || read < 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] %s must be a number of seconds, 0 or more", group,
                   key);
      g_clear_error (&local_error);
      return FALSE;
    }
  *value = read;
  return TRUE;
}

static gboolean
read_boolean (GKeyFile   *config,
              const char *group,
              const char *key,
              gboolean   *value,
              GError    **error)
{
  GError *local_error = NULL;
  gboolean read;

  if (!g_key_file_has_key (config, group, key, NULL))
    return TRUE;
  read = g_key_file_get_boolean (config, group, key, &local_error);
  if (local_error)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] %s must be true or false", group, key);
      g_clear_error (&local_error);
      return FALSE;
    }
  *value = read;
  return TRUE;
}

static gboolean
read_codecs (GKeyFile    *config,
             const char  *group,
             GStrv       *codecs,
             GError     **error)
{
  g_auto(GStrv) list = NULL;

  *codecs = NULL;
  if (config == NULL || !g_key_file_has_key (config, group, "codecs", NULL))
    return TRUE;
  list = g_key_file_get_string_list (config, group, "codecs", NULL, NULL);
  if (list == NULL || list[0] == NULL)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] codecs must name at least one codec", group);
      return FALSE;
    }
  for (guint i = 0; list[i]; i++)
    {
      const TapiCodec *codec;

      g_strstrip (list[i]);
      codec = tapi_codec_find (list[i]);
      if (codec == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "[%s] codecs: unknown codec '%s' (PCMU, PCMA, G722, OPUS)",
                       group, list[i]);
          return FALSE;
        }
      g_free (list[i]);
      list[i] = g_strdup (codec->name);
    }
  *codecs = g_steal_pointer (&list);
  return TRUE;
}

static gboolean
configure (TapiSimProvider *self,
           GKeyFile        *config,
           GError         **error)
{
  g_auto(GStrv) extensions = NULL;
  g_autofree char *orbits = NULL;

  if (config)
    {
      if (!read_uint (config, "pbx", "no-answer-timeout",
                      &self->no_answer_timeout, error) ||
          !read_uint (config, "pbx", "ring-timeout", &self->ring_timeout,
                      error) ||
          !read_boolean (config, "pbx", "telephone-events",
                         &self->telephone_events, error) ||
          !read_boolean (config, "pbx", "srtp", &self->srtp, error))
        return FALSE;
      orbits = g_key_file_get_string (config, "pbx", "park-orbits", NULL);
      if (orbits && !parse_orbit_range (self, orbits, error))
        return FALSE;
      extensions = g_key_file_get_string_list (config, "pbx", "extensions",
                                               NULL, NULL);
    }
  if (self->no_answer_timeout == 0)
    self->no_answer_timeout = 30;

  if (!read_codecs (config, "pbx", &self->codecs, error))
    return FALSE;
  if (self->codecs == NULL)
    self->codecs = g_strsplit ("PCMU;PCMA;G722;OPUS", ";", -1);

  if (extensions == NULL || extensions[0] == NULL)
    {
      g_strfreev (extensions);
      extensions = g_strsplit ("100;101;102;103", ";", -1);
    }

  for (guint i = 0; extensions[i]; i++)
    {
      g_autofree char *section = g_strdup_printf ("extension %s",
                                                  extensions[i]);
      g_autofree char *name = NULL;
      g_autofree char *group = NULL;
      TapiBrokerAddress *address;

      g_strstrip (extensions[i]);
      if (!is_number (extensions[i], "") ||
          find_extension (self, extensions[i]))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "[pbx] extensions: '%s' is not a number, or is listed twice",
                       extensions[i]);
          return FALSE;
        }

      if (config)
        {
          GStrv codecs = NULL;

          name = g_key_file_get_string (config, section, "name", NULL);
          group = g_key_file_get_string (config, section, "pickup-group", NULL);
          if (!read_codecs (config, section, &codecs, error))
            return FALSE;
          if (codecs)
            g_hash_table_insert (self->address_codecs, g_strdup (extensions[i]),
                                 codecs);
        }
      if (name == NULL)
        name = g_strdup_printf ("Extension %s", extensions[i]);

      address = tapi_broker_address_new (TAPI_PROVIDER (self), extensions[i],
                                         extensions[i], name);
      address->media_types = TAPI_MEDIA_TYPE_AUDIO | TAPI_MEDIA_TYPE_G3FAX;
      address->address_types = TAPI_ADDRESS_TYPE_PHONE_NUMBER;
      address->call_features =
        TAPI_CALL_FEATURES_CONNECT | TAPI_CALL_FEATURES_ANSWER |
        TAPI_CALL_FEATURES_DISCONNECT | TAPI_CALL_FEATURES_HOLD |
        TAPI_CALL_FEATURES_HANDOFF | TAPI_CALL_FEATURES_BLIND_TRANSFER |
        TAPI_CALL_FEATURES_TRANSFER | TAPI_CALL_FEATURES_CONFERENCE |
        TAPI_CALL_FEATURES_SWAP_HOLD | TAPI_CALL_FEATURES_PARK |
        TAPI_CALL_FEATURES_UNPARK | TAPI_CALL_FEATURES_PICKUP |
        TAPI_CALL_FEATURES_DIAL | TAPI_CALL_FEATURES_GENERATE_DIGITS |
        TAPI_CALL_FEATURES_DETECT_DIGITS | TAPI_CALL_FEATURES_MONITOR_MEDIA;
      address->pickup_group = g_steal_pointer (&group);
      if (address->pickup_group == NULL)
        address->pickup_group = g_strdup ("1");
      tapi_provider_add_address (TAPI_PROVIDER (self), address);
    }
  return TRUE;
}

/* GObject */

static void
tapi_sim_provider_finalize (GObject *object)
{
  TapiSimProvider *self = TAPI_SIM_PROVIDER (object);

  g_hash_table_unref (self->orbits);
  g_hash_table_unref (self->services);
  g_ptr_array_unref (self->legs);
  g_strfreev (self->codecs);
  g_hash_table_unref (self->address_codecs);

  G_OBJECT_CLASS (tapi_sim_provider_parent_class)->finalize (object);
}

static void
tapi_sim_provider_class_init (TapiSimProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TapiProviderClass *provider_class = TAPI_PROVIDER_CLASS (klass);

  object_class->finalize = tapi_sim_provider_finalize;

  provider_class->check_destination = tapi_sim_provider_check_destination;
  provider_class->connect = tapi_sim_provider_connect;
  provider_class->dial = tapi_sim_provider_dial;
  provider_class->answer = tapi_sim_provider_answer;
  provider_class->disconnect = tapi_sim_provider_disconnect;
  provider_class->hold = tapi_sim_provider_hold;
  provider_class->blind_transfer = tapi_sim_provider_blind_transfer;
  provider_class->finish_transfer = tapi_sim_provider_finish_transfer;
  provider_class->finish_conference = tapi_sim_provider_finish_conference;
  provider_class->is_in_conference = tapi_sim_provider_is_in_conference;
  provider_class->remove_from_conference =
    tapi_sim_provider_remove_from_conference;
  provider_class->park = tapi_sim_provider_park;
  provider_class->unpark = tapi_sim_provider_unpark;
  provider_class->pickup = tapi_sim_provider_pickup;
  provider_class->call_removed = tapi_sim_provider_call_removed;
}

static void
tapi_sim_provider_init (TapiSimProvider *self)
{
  self->telephone_events = TRUE;
  self->first_orbit = 7000;
  self->last_orbit = 7099;
  self->orbits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->services = g_hash_table_new_full (NULL, NULL,
                                          (GDestroyNotify) service_free, NULL);
  self->legs = g_ptr_array_new ();
  self->address_codecs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_strfreev);
}

TapiProvider *
tapi_sim_provider_new (GKeyFile *config,
                       GError  **error)
{
  g_autoptr(TapiSimProvider) self = g_object_new (TAPI_TYPE_SIM_PROVIDER,
                                                   "name", "sim", NULL);

  if (!configure (self, config, error))
    {
      g_prefix_error (error, "Simulated PBX: ");
      return NULL;
    }
  return TAPI_PROVIDER (g_steal_pointer (&self));
}
