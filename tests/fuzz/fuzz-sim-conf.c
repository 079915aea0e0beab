/* fuzz-sim-conf.c: the simulated PBX's configuration (sim.conf)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: a keyfile, as the broker reads it.
 */

#include "config.h"

#include "tapi-sim-provider.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GKeyFile) config = g_key_file_new ();
  g_autoptr(TapiProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_data (config, (const char *) data, size,
                                  G_KEY_FILE_NONE, NULL))
    return 0;

  provider = tapi_sim_provider_new (config, &error);
  /* A configuration is taken or refused with a reason. */
  if (provider == NULL)
    g_assert_true (error != NULL && error->message[0] != '\0');
  else
    g_assert_no_error (error);
  return 0;
}
