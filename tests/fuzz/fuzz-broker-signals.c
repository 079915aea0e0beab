/* fuzz-broker-signals.c: the broker's signals, as an application takes them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each input is a signal of the broker's D-Bus interface (its index in
 * the interface, Events among them), then its arguments in GVariant
 * serialisation. The signal goes through the application's filter, which
 * takes Events apart, and is dispatched to the application's calls and
 * addresses. The application holds a call of its own, so that signals
 * naming it reach a TapiCall.
 */

#include "config.h"

#include <stdlib.h>

#include <tapi3.h>

#include "fuzz-common.h"
#include "tapi-broker.h"
#include "tapi-tapi-private.h"

static TapiTapi *tapi;
static GDBusInterfaceInfo *interface;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  TapiAddress *address;
  TapiCall *call;

  fuzz_init ();
  interface = tapi_dbus_broker1_interface_info ();
  tapi = tapi_tapi_new ("org.libtapi3.Fuzz.Signals");
  if (!tapi_tapi_initialize_sync (tapi, NULL, &error))
    g_error ("The application could not initialize: %s", error->message);
  address = tapi_tapi_find_address (tapi, "100");
  g_assert (address != NULL);
  call = tapi_address_create_call (address, "101",
                                   TAPI_ADDRESS_TYPE_PHONE_NUMBER,
                                   TAPI_MEDIA_TYPE_AUDIO, &error);
  g_assert_no_error (error);
  g_object_unref (call);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GVariant) arguments = NULL;
  g_autoptr(GDBusMessage) message = NULL;
  const GDBusSignalInfo *signal_info;
  guint n_signals = 0;

  if (size < 1 || tapi->events == NULL)
    return 0;
  while (interface->signals[n_signals])
    n_signals++;
  signal_info = interface->signals[data[0] % n_signals];

  arguments = fuzz_arguments (signal_info->args, data + 1, size - 1);
  message = g_dbus_message_new_signal (TAPI_BROKER_OBJECT_PATH,
                                       TAPI_BROKER_INTERFACE,
                                       signal_info->name);
  g_dbus_message_set_body (message, arguments);

  /* The filter takes the message (it returns NULL) when it is the
   * broker's, as it would from GDBus's worker thread. */
  message = filter_cb (tapi->connection, g_steal_pointer (&message), TRUE,
                       tapi->events);
  dispatch_events (tapi);
  return 0;
}
