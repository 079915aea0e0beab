/* tapi-test-capture.c: RTP on the loopback interface, seen from the wire
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <check.h>

#include "tapi-goertzel.h"
#include "tapi-test-capture.h"

/* A packet socket on "lo" sees every IPv4 datagram the calls of the test
 * send, as they are on the wire. Each UDP payload that looks like one
 * 20 ms PCMU frame in RTP (version 2, payload type 0, no CSRC or header
 * extension, 160 bytes of audio, then nothing or an SRTP authentication
 * tag) is decoded and measured: it is the tone when the tone's amplitude
 * is close to that of the whole frame. Encrypted audio is noise, whose
 * share at any one frequency is far below. Needs CAP_NET_RAW. */

#define PCMU_FRAME   160
#define RTP_HEADER   12
#define TONE_SHARE   0.7

struct _TapiTestCapture
{
  int                   fd;
  double                frequency;
  guint                 first_port;
  guint                 last_port;
  GThread              *thread;
  gint                  stop;
  TapiTestCaptureResult result;
};

/* ITU-T G.711 μ-law, as a sample from -1 to 1 */
static float
mulaw_to_float (guint8 byte)
{
  int value = ~byte & 0xff;
  int magnitude = (((value & 0x0f) << 3) + 0x84) << ((value & 0x70) >> 4);

  magnitude -= 0x84;
  return ((value & 0x80) ? -magnitude : magnitude) / 32768.0f;
}

static void
look_at (TapiTestCapture *self,
         const guint8    *packet,
         gssize           length)
{
  const struct iphdr *ip = (const struct iphdr *) packet;
  const guint8 *udp, *rtp;
  gssize header, rtp_length;
  guint destination;
  float samples[PCMU_FRAME];
  double energy = 0.0;

  if (length < (gssize) sizeof *ip || ip->version != 4 ||
      ip->protocol != IPPROTO_UDP)
    return;
  header = ip->ihl * 4;
  if (length < header + 8)
    return;
  udp = packet + header;
  rtp = udp + 8;
  rtp_length = length - header - 8;
  destination = (udp[2] << 8) | udp[3];
  if (destination < self->first_port || destination > self->last_port)
    return;
  if ((rtp_length != RTP_HEADER + PCMU_FRAME &&
       rtp_length != RTP_HEADER + PCMU_FRAME + 4 &&
       rtp_length != RTP_HEADER + PCMU_FRAME + 10) ||
      rtp[0] != 0x80 || (rtp[1] & 0x7f) != 0)
    return;

  for (guint i = 0; i < PCMU_FRAME; i++)
    {
      samples[i] = mulaw_to_float (rtp[RTP_HEADER + i]);
      energy += samples[i] * samples[i];
    }
  self->result.rtp_packets++;
  /* A sine of amplitude A has the RMS A/√2. */
  if (energy > 0.0 &&
      tapi_goertzel_amplitude (samples, PCMU_FRAME, 8000.0, self->frequency) >
      TONE_SHARE * sqrt (2.0 * energy / PCMU_FRAME))
    self->result.tone_packets++;
}

static gpointer
capture_thread (gpointer user_data)
{
  TapiTestCapture *self = user_data;
  guint8 packet[65536];

  while (!g_atomic_int_get (&self->stop))
    {
      struct pollfd poll_fd = { .fd = self->fd, .events = POLLIN };
      gssize length;

      if (poll (&poll_fd, 1, 100) <= 0)
        continue;
      length = recv (self->fd, packet, sizeof packet, MSG_DONTWAIT);
      if (length > 0)
        look_at (self, packet, length);
    }
  return NULL;
}

/**
 * tapi_test_capture_start:
 * @frequency: the tone to look for
 * @first_port: the lowest UDP destination port to look at
 * @last_port: the highest
 *
 * Starts watching the RTP on the loopback interface that goes to the
 * ports from @first_port to @last_port (other tests on the machine may
 * send tones too).
 */
TapiTestCapture *
tapi_test_capture_start (double frequency,
                         guint  first_port,
                         guint  last_port)
{
  TapiTestCapture *self = g_new0 (TapiTestCapture, 1);
  struct sockaddr_ll address = { 0 };

  self->frequency = frequency;
  self->first_port = first_port;
  self->last_port = last_port;
  self->fd = socket (AF_PACKET, SOCK_DGRAM, htons (ETH_P_IP));
  ck_assert_msg (self->fd >= 0, "no packet socket (CAP_NET_RAW is needed): %s",
                 g_strerror (errno));
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons (ETH_P_IP);
  address.sll_ifindex = if_nametoindex ("lo");
  ck_assert_msg (address.sll_ifindex != 0, "no loopback interface");
  ck_assert_msg (bind (self->fd, (struct sockaddr *) &address,
                       sizeof address) == 0,
                 "cannot capture on lo: %s", g_strerror (errno));
  self->thread = g_thread_new ("capture", capture_thread, self);
  return self;
}

/**
 * tapi_test_capture_stop:
 * @self: (transfer full): the capture
 * @result: (out): what it saw
 *
 * Stops the capture and frees it.
 */
void
tapi_test_capture_stop (TapiTestCapture       *self,
                        TapiTestCaptureResult *result)
{
  g_atomic_int_set (&self->stop, 1);
  g_thread_join (self->thread);
  close (self->fd);
  *result = self->result;
  g_free (self);
}
