/* tapi3-demo-private.h: what the parts of "tapi3 demo" share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tapi3-audio.h"
#include "tapi3-cli.h"

G_BEGIN_DECLS

/* Several applications share the embedded broker in this one process and
 * thread. Every operation is asynchronous, so an application waiting for
 * the broker never keeps another one from answering.
 *
 * The tour is a list of scenes; a scene is a list of steps run one after
 * the other. A step starts an operation, or waits for a condition that
 * events make true, and must complete within STEP_TIMEOUT_MS. A step whose
 * outcome differs from what it expects fails its scene: the scene is
 * cleaned up (live calls hung up, handles released, registrations removed)
 * and the tour goes on with the next scene. */

#define STEP_TIMEOUT_MS 5000
#define LOUD_DBFS CLI_LOUD_DBFS
#define OP_OK (-1)

typedef enum
{
  APP_CALLER,
  APP_SOFTPHONE,
  APP_RECEPTION,
  APP_FAX,
  APP_RECORDER,
  APP_COLLEAGUE,
  APP_OPERATOR,
  N_APPS
} AppId;

typedef struct
{
  const char *name;
  const char *address;
} AppInfo;

extern const AppInfo app_info[N_APPS];

typedef struct _Demo Demo;

typedef struct
{
  Demo        *demo;
  AppId        id;
  const char  *label;
  TapiTapi    *tapi;
  TapiAddress *address;   /* the application's own extension */
  GPtrArray   *calls;     /* handles followed in this scene */
  GPtrArray   *notified;  /* those that came with call-notification */
} App;

#define BCC(object) TAPI_BASIC_CALL_CONTROL (object)

typedef gboolean (*FinishFunc) (TapiBasicCallControl *self,
                                GAsyncResult         *result,
                                GError              **error);

typedef struct
{
  Demo       *demo;
  App        *app;
  TapiCall   *call;
  char       *what;
  FinishFunc  finish;
  gboolean    done;
  GError     *error;
  char       *park_address;
  guint       scene;
  gboolean    cleanup;
} Op;

typedef gboolean (*WaitFunc) (Demo *demo);

typedef struct
{
  AppId       actor;
  const char *what;          /* told before the step runs; NULL: quiet */
  void      (*run) (Demo *demo);
} Step;

typedef struct
{
  const char *title;
  const Step *steps;
} Scene;

typedef struct
{
  App   *app;
  guint  id;
} Registration;

struct _Demo
{
  GMainLoop  *loop;
  gint64      start_us;
  App         apps[N_APPS];

  const Scene *scenes;
  guint        n_scenes;
  guint        scene_index;
  guint        step_index;
  guint        step_source;
  guint        timeout_source;
  WaitFunc     wait;
  const char  *wait_what;
  Op          *wait_op;
  int          wait_error;
  gboolean     scene_failed;
  gboolean     cleaning;
  gboolean     settle_expired;
  guint        cleanup_source;
  guint        pending_disconnects;
  guint        n_initializing;
  GPtrArray   *failed_scenes;
  gboolean     fatal;

  GPtrArray   *ops;
  GArray      *registrations;
  gboolean     priority_set;

  /* Where recordings go; removed at the end unless the user chose it */
  char        *recordings_dir;
  gboolean     remove_recordings;

  /* What the running scene is playing with */
  TapiCall    *outgoing;      /* the call placed first (mostly the Caller's) */
  TapiCall    *incoming;      /* the answering application's handle */
  TapiCall    *consultation;  /* the Softphone's second call */
  TapiCall    *third;         /* the Colleague's or the Operator's call */
  TapiCall    *handed;        /* a handle that received a handoff */
  Op          *connect_op;
  Op          *pending_op;
  char        *orbit;

  /* Media */
  GPtrArray   *terminals;     /* the terminals made in this scene */
  GString     *digits;        /* the digits detected in this scene */
  TapiMediaType detected;     /* the media types detected in this scene */
  char        *media_failure; /* a stream or terminal that failed */
  TapiStream  *metered;       /* the stream whose peak level is kept */
  double       peak_level;
  guint        sleep_source;
  gboolean     slept;
  char        *first_recording;
  char        *second_recording;
};

/* tapi3-demo.c: the runner, applications, operations and checks */
void timeline (Demo       *demo,
               App        *app,
               TapiCall   *call,
               const char *format,
               ...) G_GNUC_PRINTF (4, 5);
const char *str_or_empty (const char *string);
void step_done (Demo *demo);
void step_fail (Demo       *demo,
                const char *format,
                ...) G_GNUC_PRINTF (2, 3);
void step_wait (Demo       *demo,
                WaitFunc    func,
                const char *what);
gboolean op_matches (Demo *demo,
                     Op   *op,
                     int   expected);
void step_wait_op (Demo *demo,
                   Op   *op,
                   int   expected);
void step_sleep (Demo       *demo,
                 guint       milliseconds,
                 const char *what);
gboolean expect (Demo       *demo,
                 gboolean    condition,
                 const char *format,
                 ...) G_GNUC_PRINTF (3, 4);
App *app_of_call (Demo     *demo,
                  TapiCall *call);
const char *call_owner_label (Demo     *demo,
                              TapiCall *call);
gboolean expect_state (Demo               *demo,
                       TapiCall           *call,
                       TapiCallState       state,
                       int                 cause);
gboolean expect_privilege (Demo              *demo,
                           TapiCall          *call,
                           TapiCallPrivilege  privilege);
gboolean expect_string (Demo       *demo,
                        TapiCall   *call,
                        const char *property,
                        const char *actual,
                        const char *expected);
TapiCall *app_last_notified (App *app);
TapiCall *last_notified (Demo  *demo,
                         AppId  id);
gboolean connected_to (TapiCall   *call,
                       const char *number);
TapiCall *app_create_call (Demo       *demo,
                           App        *app,
                           const char *destination);
gboolean app_register (Demo          *demo,
                       App           *app,
                       gboolean       monitor,
                       gboolean       owner,
                       TapiMediaType  media_types);
Op *op_new (Demo       *demo,
            App        *app,
            TapiCall   *call,
            const char *what,
            FinishFunc  finish);
void op_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data);
void park_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data);
Op *start_connect (Demo     *demo,
                   App      *app,
                   TapiCall *call);
Op *start_answer (Demo     *demo,
                  App      *app,
                  TapiCall *call);
Op *start_disconnect (Demo       *demo,
                      App        *app,
                      TapiCall   *call,
                      const char *what);
Op *start_handoff_direct (Demo       *demo,
                          App        *app,
                          TapiCall   *call,
                          const char *target);

/* tapi3-demo-scenes.c: steps shared by the scenes */
gboolean has_state (TapiCall      *call,
                    TapiCallState  state);
void wait_softphone_offered (Demo *demo);
void check_softphone_owner (Demo *demo);
void answer_incoming (Demo *demo);
void wait_caller_connect (Demo *demo);
void wait_outgoing_disconnected (Demo *demo);
void check_outgoing_normal (Demo *demo);
void incoming_hangs_up (Demo *demo);
void caller_hangs_up (Demo *demo);
void register_softphone (Demo *demo);

/* tapi3-demo-media.c: terminals, recordings and levels */
char *recording_path (Demo       *demo,
                      const char *name);
gboolean stream_has_state (TapiCall              *call,
                           TapiTerminalDirection  direction,
                           TapiStreamState        state);
gboolean expect_stream_state (Demo                  *demo,
                              TapiCall              *call,
                              TapiTerminalDirection  direction,
                              TapiStreamState        state);
TapiTerminal *app_create_terminal (Demo                  *demo,
                                   App                   *app,
                                   TapiCall              *call,
                                   const char            *terminal_class,
                                   TapiTerminalDirection  direction);
gboolean app_select_terminal (Demo         *demo,
                              App          *app,
                              TapiCall     *call,
                              TapiTerminal *terminal);
gboolean app_record (Demo       *demo,
                     App        *app,
                     TapiCall   *call,
                     const char *path);
gboolean app_stop_recording (Demo     *demo,
                             App      *app,
                             TapiCall *call);
void meter_render_stream (Demo     *demo,
                          TapiCall *call);
gboolean expect_loud_recording (Demo *demo,
                                App  *app);
gboolean expect_tone (Demo       *demo,
                      App        *app,
                      const char *path,
                      double      frequency,
                      double      min_seconds);

/* tapi3-demo-scenes.c and tapi3-demo-scenes-media.c */
extern const Step demo_scene1[];
extern const Step demo_scene2[];
extern const Step demo_scene3[];
extern const Step demo_scene4[];
extern const Step demo_scene5[];
extern const Step demo_scene6[];
extern const Step demo_scene7[];
extern const Step demo_scene8[];
extern const Step demo_scene9[];
extern const Step demo_scene10[];
extern const Step demo_scene11[];

G_END_DECLS
