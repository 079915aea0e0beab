/* tapi-tapi-private.h: TapiTapi internals shared with TapiAddress and TapiCall
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-dbus-generated.h"
#include "tapi-tapi.h"

G_BEGIN_DECLS

typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GQueue           events;           /* BrokerEvent */
  gboolean         scheduled;
  GMainContext    *context;
  GWeakRef         tapi;
  gboolean         on_bus;
  char            *broker_owner;     /* unique name of the broker, on a bus */
} EventQueue;

/* A registration, kept so that it can be made again with a broker that
 * restarted. The application knows it by @id. */
typedef struct
{
  guint          id;
  guint          broker_id;
  char          *address;
  gboolean       monitor;
  gboolean       owner;
  TapiMediaType  media_types;
} Registration;

struct _TapiTapi
{
  GObject          parent_instance;

  char            *application_name;
  TapiBrokerMode   broker_mode;
  gboolean         initialized;
  gboolean         initializing;

  GDBusConnection *connection;
  char            *broker_name;      /* NULL on a peer-to-peer connection */
  TapiDBusBroker1 *proxy;
  EventQueue      *events;
  guint            filter_id;
  guint            dispatch_depth;   /* dispatch_events() running, nested */

  GListStore      *addresses;
  GListStore      *calls;
  GHashTable      *calls_by_id;      /* id → TapiCall, owned by @calls */

  gboolean         probing;          /* choosing between session and embedded */
  guint            broker_watch_id;
  gulong           closed_id;
  gboolean         broker_lost;      /* the broker stopped; waiting for another */
  gboolean         reattaching;
  GPtrArray       *registrations;    /* Registration */
};

gboolean         tapi_tapi_check_initialized (TapiTapi  *self,
                                              GError   **error);
TapiDBusBroker1 *tapi_tapi_get_broker        (TapiTapi  *self,
                                              GError   **error);
void             tapi_tapi_broker_call_done  (TapiTapi  *self,
                                              GError   **error);
TapiCall        *tapi_tapi_add_call          (TapiTapi  *self,
                                              GVariant  *info);
void             tapi_tapi_remove_call       (TapiTapi  *self,
                                              TapiCall  *call,
                                              gboolean   by_shutdown);

GMainContext *tapi_tapi_get_context       (TapiTapi            *self);
void          tapi_tapi_get_media_async  (TapiTapi            *self,
                                          guint                call_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      tapi_tapi_get_media_finish (TapiTapi            *self,
                                          GAsyncResult        *result,
                                          GVariant           **media,
                                          GSocket            **rtp_socket,
                                          GSocket            **rtcp_socket,
                                          GError             **error);

/* tapi-tapi.c */
void call_notification_cb (TapiDBusBroker1 *proxy,
                           guint            event,
                           GVariant        *info,
                           TapiTapi        *self);

/* tapi-tapi-events.c: the broker's signals, in order */
EventQueue   *event_queue_ref       (EventQueue *queue);
void          event_queue_unref     (EventQueue *queue);
EventQueue   *event_queue_new       (TapiTapi     *tapi,
                                     GMainContext *context);
GDBusMessage *filter_cb             (GDBusConnection *connection,
                                     GDBusMessage    *message,
                                     gboolean         incoming,
                                     gpointer         user_data);
TapiAddress  *lookup_address        (TapiTapi   *self,
                                     const char *name);
void          connect_proxy_signals (TapiTapi *self);
void          dispatch_events       (TapiTapi *self);

G_END_DECLS
