/* fuzz-sip-conf.c: the SIP provider's configuration (sip.conf)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Input: the file, as the broker reads it. Accounts that are right start
 * their user agents on 127.0.0.1 and stop again.
 */

#include "config.h"

#include "tapi-sip-provider.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = fuzz_write_config ("TAPI3_SIP_CONFIG", "sip.conf",
                                             (const char *) data, size);
  g_autoptr(TapiProvider) provider = tapi_sip_provider_new ();

  /* Let the user agents run a little, then go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&provider);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
