/* tapi-broker-private.h: what the files of the broker share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tapi-broker.h"
#include "tapi-dbus-generated.h"
#include "tapi-error.h"

G_BEGIN_DECLS

typedef struct _BrokerApp BrokerApp;

typedef struct
{
  guint calls;
  guint registrations;
  guint priorities;
} Limits;

typedef struct
{
  guint              id;
  BrokerApp         *app;
  TapiBrokerAddress *address;
  gboolean           monitor;
  gboolean           owner;
  TapiMediaType      media_types;
  guint64            order;
} Registration;

/* A signal waiting in an application's outbox. */
typedef struct
{
  const char *signal_name;     /* static */
  GVariant   *parameters;
} PendingSignal;

struct _BrokerApp
{
  TapiBroker      *broker;
  GArray          *outbox;       /* PendingSignal, until broker_flush_signals() */
  char            *name;
  GDBusConnection *connection;
  char            *sender;
  gboolean         initialized;
  GPtrArray       *registrations;
  guint64          order;
  guint            serial;       /* names the creator of its calls */
  guint            watch_id;     /* of the sender's name, on a message bus */
};

typedef enum {
  WAIT_CONNECT,
  WAIT_ANSWER,
  WAIT_CONSULTATION,
  WAIT_TRANSFER,     /* the call goes DISCONNECTED, or the provider says it failed */
} WaitKind;

typedef struct
{
  TapiBrokerCall        *call;
  WaitKind               kind;
  GDBusMethodInvocation *invocation;
} Waiter;

struct _TapiBroker
{
  GObject          parent_instance;

  TapiDBusBroker1 *skeleton;        /* exported on every connection in peers */
  GPtrArray       *providers;
  GPtrArray       *addresses;       /* TapiBrokerAddress, in order */
  GHashTable      *calls;           /* id → TapiBrokerCall */
  GPtrArray       *apps;            /* BrokerApp, in registration order */
  GHashTable      *priorities;      /* media type bit → GPtrArray of names */
  GList           *waiters;
  guint            last_registration_id;
  guint64          last_order;
  guint            remove_source_id;
  GPtrArray       *peers;           /* connections, until they close */
  char            *priorities_path; /* where priorities are kept, or NULL */
  Limits           limits;
  guint            last_app_serial;
  GPtrArray       *outboxes;        /* BrokerApp with signals to send */
  GSource         *flush_source;
};

typedef struct
{
  BrokerApp *app;
  int        privilege;     /* a TapiCallPrivilege, or -1 to remove */
  gboolean   announce;      /* CallNotification also for a handle it had */
  gboolean   had;
  TapiCallPrivilege old;
} HandleChange;

static inline TapiProvider *
provider_of (TapiBrokerCall *call)
{
  return tapi_broker_call_get_address (call)->provider;
}

/* tapi-broker.c */
void add_call (TapiBroker     *self,
               TapiBrokerCall *call);

/* tapi-broker-registry.c: applications, priorities, handles */
void       broker_app_free        (BrokerApp *app);
BrokerApp *find_app               (TapiBroker      *self,
                                   GDBusConnection *connection,
                                   const char      *sender);
void       app_emit               (BrokerApp  *app,
                                   const char *signal_name,
                                   GVariant   *parameters);
void       broker_flush_signals   (TapiBroker *self);
gboolean   app_registered_on      (BrokerApp         *app,
                                   TapiBrokerAddress *address);
BrokerApp *best_owner_for         (TapiBroker        *self,
                                   TapiBrokerAddress *address,
                                   TapiMediaType      media_type,
                                   BrokerApp         *exclude);
BrokerApp *choose_owner           (TapiBroker        *self,
                                   TapiBrokerAddress *address,
                                   TapiMediaType      media_types,
                                   BrokerApp         *exclude);
void       save_priorities        (TapiBroker *self);
void       apply_handles          (TapiBroker     *self,
                                   TapiBrokerCall *call,
                                   HandleChange   *changes,
                                   guint           n_changes);
void       set_one_handle         (TapiBroker     *self,
                                   TapiBrokerCall *call,
                                   BrokerApp      *app,
                                   int             privilege);
void       maybe_remove_call      (TapiBroker     *self,
                                   TapiBrokerCall *call);
void       release_handle         (TapiBroker     *self,
                                   TapiBrokerCall *call,
                                   BrokerApp      *app);
void       app_release_everything (TapiBroker *self,
                                   BrokerApp  *app);
void       forget_apps            (TapiBroker      *self,
                                   GDBusConnection *connection,
                                   const char      *sender);
BrokerApp *add_app                (TapiBroker      *self,
                                   GDBusConnection *connection,
                                   const char      *sender);
void       add_monitor_changes    (TapiBroker        *self,
                                   TapiBrokerAddress *address,
                                   BrokerApp         *exclude,
                                   GArray            *changes);
void       announce_to_monitors   (TapiBroker     *self,
                                   TapiBrokerCall *call,
                                   BrokerApp      *creator);
int        compare_call_ids       (gconstpointer a,
                                   gconstpointer b);

/* tapi-broker-requests.c: method calls waiting for a call */
void drop_waiters_for  (TapiBroker     *self,
                        TapiBrokerCall *call);
void process_waiters   (TapiBroker     *self,
                        TapiBrokerCall *call);
void add_waiter        (TapiBroker            *self,
                        TapiBrokerCall        *call,
                        WaitKind               kind,
                        GDBusMethodInvocation *invocation);
void remove_waiter     (TapiBroker            *self,
                        GDBusMethodInvocation *invocation);
void complete_transfer (TapiBroker            *self,
                        TapiBrokerCall        *call,
                        GDBusMethodInvocation *invocation);

/* tapi-broker-service.c: session and call information methods */
gboolean        return_gerror            (TapiBroker            *self,
                                          GDBusMethodInvocation *invocation,
                                          GError                *error);
void            return_error             (TapiBroker            *self,
                                          GDBusMethodInvocation *invocation,
                                          TapiError              code,
                                          const char            *format,
                                          ...) G_GNUC_PRINTF (4, 5);
BrokerApp      *app_for                  (TapiBroker            *self,
                                          GDBusMethodInvocation *invocation);
TapiBrokerCall *lookup_call              (TapiBroker *self,
                                          BrokerApp  *app,
                                          guint       id,
                                          gboolean    need_owner,
                                          GError    **error);
const char     *state_name               (TapiCallState state);
gboolean        check_single_media_type  (guint    media_type,
                                          GError **error);
void            connect_service_handlers (TapiBroker *self);

/* tapi-broker-call-control.c: call control */
void connect_call_control_handlers (TapiBroker *self);

G_END_DECLS
