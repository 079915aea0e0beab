/* fuzz-broker-dbus.c: the broker's D-Bus methods on any arguments
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: one byte choosing the method of org.libtapi3.Broker1, then its
 * arguments in GVariant serialisation (normalised as GDBus would). The
 * call goes over a private connection to the embedded broker with the
 * simulated PBX, as an application that initialised and owns every
 * address. Any answer is fine; a crash or no answer is not.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tapi-dbus-generated.h"

#include "fuzz-common.h"

static GDBusConnection *connection;
static GDBusInterfaceInfo *interface;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  connection = fuzz_connect_embedded ();
  interface = tapi_dbus_broker1_interface_info ();
  fuzz_initialize_application (connection);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GVariant) arguments = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const GDBusMethodInfo *method;
  guint n_methods = 0;

  if (size < 1)
    return 0;
  while (interface->methods[n_methods])
    n_methods++;
  method = interface->methods[data[0] % n_methods];

  arguments = fuzz_arguments (method->in_args, data + 1, size - 1);
  /* GDBus refuses what D-Bus cannot carry (handles without file
   * descriptors); the broker never sees that. */
  reply = fuzz_call (connection, method->name, arguments, &error);

  /* An application that shut down comes back for the next input. */
  if (g_str_equal (method->name, "Shutdown"))
    fuzz_initialize_application (connection);
  return 0;
}
