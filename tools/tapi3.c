/* tapi3.c: the tapi3 command-line tool: its commands and main ()
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "tapi3-cli.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "addresses", cli_addresses, "List addresses and their features" },
  { "call", cli_call, "Place a call and follow it" },
  { "answer", cli_answer, "Own an address's calls: answer and follow them" },
  { "monitor", cli_monitor, "Print every call and address event live" },
  { "calls", cli_calls, "List the live calls" },
  { "handoff", cli_handoff, "Hand a call to another application" },
  { "transfer", cli_transfer, "Transfer a call, blind or after consulting" },
  { "hangup", cli_hangup, "Disconnect a call" },
  { "demo", cli_demo, "Tour every feature on the simulated PBX" },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream,
           "Usage:\n"
           "  tapi3 [--help|--version] COMMAND [OPTION…] [ARGUMENT…]\n\n"
           "Telephony from the command line, with libtapi3.\n\n"
           "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s%s\n", commands[i].name, commands[i].summary);
  fprintf (stream,
           "\nRun \"tapi3 COMMAND --help\" for the options of a command.\n"
           "TAPI3_BROKER=embedded|session|ADDRESS chooses the broker. "
           "monitor, calls,\nhandoff, transfer and hangup reach the calls "
           "of other applications through\nthe session broker (tapi3d); "
           "an embedded broker knows only this process.\n");
}

int
main (int    argc,
      char **argv)
{
  const char *name;

  setlocale (LC_ALL, "");
  /* Events are read live by people and scripts alike. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  /* Errors from the broker decode into TAPI_ERROR only once the domain is
   * registered with GDBus, which its quark function does. */
  tapi_error_quark ();

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_FAILURE;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") ||
      g_str_equal (name, "help"))
    {
      if (argc > 2 && g_str_equal (name, "help"))
        {
          /* "tapi3 help call" is "tapi3 call --help" */
          char *help_argv[] = { argv[2], (char *) "--help", NULL };

          for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
            if (g_str_equal (argv[2], commands[i].name))
              return commands[i].run (2, help_argv);
          cli_print_error ("unknown command \"%s\"", argv[2]);
          return EXIT_FAILURE;
        }
      print_usage (stdout);
      return EXIT_SUCCESS;
    }
  if (g_str_equal (name, "--version"))
    {
      g_print ("tapi3 %s\n", TAPI_VERSION_S);
      return EXIT_SUCCESS;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  if (name[0] == '-')
    cli_print_error ("unknown option \"%s\"", name);
  else
    cli_print_error ("unknown command \"%s\"", name);
  g_printerr ("Try \"tapi3 --help\".\n");
  return EXIT_FAILURE;
}
