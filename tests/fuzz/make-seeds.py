#!/usr/bin/python3
# make-seeds.py: writes the seed inputs of the fuzz targets to corpus/.
#
# Usage: tests/fuzz/make-seeds.py
#
# Seeds are written once and committed; inputs the fuzzers found (and
# crash-* reproducers) sit next to them and are not touched.

import os
import xml.etree.ElementTree as ET

from gi.repository import GLib

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, 'corpus')


def write(target, name, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(directory, name), 'wb') as f:
        f.write(data)


# SDP

def sdp(body_lines, version_line=True):
    lines = (['v=0'] if version_line else []) + body_lines
    return '\r\n'.join(lines) + '\r\n'


SDP_HEAD = ['o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0']
SDP = {
    'pcmu': SDP_HEAD + ['m=audio 40000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000',
                        'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=sendrecv'],
    'pcma-static': SDP_HEAD + ['m=audio 40002 RTP/AVP 8'],
    'g722': SDP_HEAD + ['m=audio 40004 RTP/AVP 9 0', 'a=rtpmap:9 G722/8000'],
    'opus': SDP_HEAD + ['m=audio 40006 RTP/AVP 111 101', 'a=rtpmap:111 opus/48000/2',
                        'a=fmtp:111 useinbandfec=1', 'a=rtpmap:101 telephone-event/48000'],
    'hold-sendonly': SDP_HEAD + ['m=audio 40008 RTP/AVP 0', 'a=sendonly'],
    'hold-zero-address': ['o=- 1 2 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0',
                          'm=audio 40010 RTP/AVP 0'],
    'inactive-session': SDP_HEAD + ['a=inactive', 'm=audio 40012 RTP/AVP 8'],
    'rtcp-attribute': SDP_HEAD + ['m=audio 40014 RTP/AVP 0', 'a=rtcp:40099 IN IP4 127.0.0.1'],
    'media-connection': ['o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0',
                         'm=audio 40016 RTP/AVP 0', 'c=IN IP4 127.0.0.1'],
    'video-then-audio': SDP_HEAD + ['m=video 40018 RTP/AVP 96', 'a=rtpmap:96 H264/90000',
                                    'm=audio 40020 RTP/AVP 0'],
    'rejected-audio': SDP_HEAD + ['m=audio 0 RTP/AVP 0', 'm=audio 40022 RTP/AVP 8'],
    'savp-only': SDP_HEAD + ['m=audio 40024 RTP/SAVP 0'],
    'no-common-codec': SDP_HEAD + ['m=audio 40026 RTP/AVP 18', 'a=rtpmap:18 G729/8000'],
    'no-connection': ['o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 40028 RTP/AVP 0'],
    'dynamic-pcmu': SDP_HEAD + ['m=audio 40030 RTP/AVP 97', 'a=rtpmap:97 PCMU/8000'],
    'bad-rtpmap': SDP_HEAD + ['m=audio 40032 RTP/AVP 0 96', 'a=rtpmap:96', 'a=rtpmap:x y/z',
                              'a=rtpmap:0 PCMU/0'],
    'port-range': SDP_HEAD + ['m=audio 65535/2 RTP/AVP 0'],
    'hostname-address': ['o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 pbx.example.org', 't=0 0',
                         'm=audio 40034 RTP/AVP 0'],
}
for i, (name, lines) in enumerate(sorted(SDP.items())):
    # The first byte picks our codecs, whose preference wins and our direction.
    write('sdp', name, bytes([i % 32]) + sdp(lines).encode())
write('sdp', 'empty', b'\x00')

# SDES crypto lines (RFC 4568); the first byte turns SRTP on (0x20) and
# makes our offer RTP/SAVP (0x40).
KEY = 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz'
SDP_CRYPTO = {
    'crypto-savp': SDP_HEAD + ['m=audio 40040 RTP/SAVP 0', 'a=rtpmap:0 PCMU/8000',
                               f'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{KEY}'],
    'crypto-avp-best-effort': SDP_HEAD + ['m=audio 40042 RTP/AVP 8',
                                          f'a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:{KEY}|2^20'],
    'crypto-two-suites': SDP_HEAD + ['m=audio 40044 RTP/SAVP 0 101',
                                     'a=rtpmap:101 telephone-event/8000',
                                     f'a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:{KEY}{KEY}',
                                     f'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:{KEY}'],
    'crypto-mki': SDP_HEAD + ['m=audio 40046 RTP/SAVP 0',
                              f'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{KEY}|2^20|1:4'],
    'crypto-short-key': SDP_HEAD + ['m=audio 40048 RTP/SAVP 0',
                                    'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD'],
    'crypto-session-params': SDP_HEAD + ['m=audio 40050 RTP/SAVP 0',
                                         f'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{KEY} UNENCRYPTED_SRTP'],
    'crypto-savp-no-crypto': SDP_HEAD + ['m=audio 40052 RTP/SAVP 0', 'm=audio 40054 RTP/AVP 0'],
    'crypto-bad-tag': SDP_HEAD + ['m=audio 40056 RTP/SAVP 0',
                                  f'a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:{KEY}',
                                  'a=crypto:', 'a=crypto:1  AES_CM_128_HMAC_SHA1_80'],
}
for i, (name, lines) in enumerate(sorted(SDP_CRYPTO.items())):
    write('sdp', name, bytes([0x20 | (0x40 if i % 2 else 0) | (i % 8)]) + sdp(lines).encode())
write('sdp', 'not-sdp', b'\x05hello world\n')


# SIP messages (to the account sip:fuzz@127.0.0.1; the port does not matter
# to the stack)

ACCOUNT = 'sip:fuzz@127.0.0.1:5060'


def request(method, cseq, call_id, extra=(), body='', content_type='application/sdp',
            to_tag=None, uri=ACCOUNT):
    headers = [
        f'{method} {uri} SIP/2.0',
        f'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-{call_id}-{cseq};rport',
        'Max-Forwards: 70',
        f'From: "Alice" <sip:alice@127.0.0.1:5999>;tag=a-{call_id}',
        f'To: <{ACCOUNT}>' + (f';tag={to_tag}' if to_tag else ''),
        f'Call-ID: {call_id}@127.0.0.1',
        f'CSeq: {cseq} {method}',
        'Contact: <sip:alice@127.0.0.1:5999>',
    ] + list(extra)
    if body:
        headers.append(f'Content-Type: {content_type}')
    headers.append(f'Content-Length: {len(body.encode())}')
    return '\r\n'.join(headers) + '\r\n\r\n' + body


def response(status, method, cseq, call_id, body=''):
    headers = [
        f'SIP/2.0 {status}',
        f'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-out-{call_id}',
        f'From: <{ACCOUNT}>;tag=f-{call_id}',
        f'To: <sip:bob@127.0.0.1:5999>;tag=b-{call_id}',
        f'Call-ID: {call_id}@127.0.0.1',
        f'CSeq: {cseq} {method}',
        'Contact: <sip:bob@127.0.0.1:5999>',
    ]
    if body:
        headers.append('Content-Type: application/sdp')
    headers.append(f'Content-Length: {len(body.encode())}')
    return '\r\n'.join(headers) + '\r\n\r\n' + body


offer = sdp(SDP['pcmu'])
write('sip-message', 'invite-sdp', request('INVITE', 1, 'inv1', body=offer,
                                           extra=['Allow: INVITE, ACK, BYE, CANCEL, REFER, NOTIFY, INFO, OPTIONS']))
write('sip-message', 'invite-opus', request('INVITE', 1, 'inv2', body=sdp(SDP['opus'])))
write('sip-message', 'invite-crypto', request('INVITE', 1, 'inv6',
                                              body=sdp(SDP_CRYPTO['crypto-savp'])))
write('sip-message', 'invite-no-sdp', request('INVITE', 1, 'inv3'))
write('sip-message', 'invite-bad-sdp', request('INVITE', 1, 'inv4', body='v=0\r\nm=audio x\r\n'))
write('sip-message', 'invite-no-codec', request('INVITE', 1, 'inv5', body=sdp(SDP['no-common-codec'])))
write('sip-message', 'invite-hold', request('INVITE', 2, 'inv1', body=sdp(SDP['hold-sendonly']),
                                            to_tag='t-inv1'))
write('sip-message', 'ack', request('ACK', 1, 'inv1', to_tag='t-inv1'))
write('sip-message', 'bye', request('BYE', 3, 'inv1', to_tag='t-inv1'))
write('sip-message', 'bye-unknown-dialog', request('BYE', 1, 'nodialog', to_tag='x'))
write('sip-message', 'cancel', request('CANCEL', 1, 'inv2'))
write('sip-message', 'refer', request('REFER', 4, 'inv1', to_tag='t-inv1',
                                      extra=['Refer-To: <sip:carol@127.0.0.1:5998>',
                                             'Referred-By: <sip:alice@127.0.0.1:5999>']))
write('sip-message', 'refer-out-of-dialog', request('REFER', 1, 'ref1',
                                                    extra=['Refer-To: <sip:carol@127.0.0.1:5998>']))
write('sip-message', 'notify-sipfrag', request('NOTIFY', 5, 'inv1', to_tag='t-inv1',
                                               extra=['Event: refer', 'Subscription-State: terminated;reason=noresource'],
                                               body='SIP/2.0 200 OK\r\n', content_type='message/sipfrag;version=2.0'))
write('sip-message', 'info-dtmf', request('INFO', 6, 'inv1', to_tag='t-inv1',
                                          body='Signal=5\r\nDuration=160\r\n',
                                          content_type='application/dtmf-relay'))
write('sip-message', 'options', request('OPTIONS', 1, 'opt1', extra=['Accept: application/sdp']))
write('sip-message', 'message', request('MESSAGE', 1, 'msg1', body='hello', content_type='text/plain'))
write('sip-message', 'response-200-invite', response('200 OK', 'INVITE', 1, 'out1', body=offer))
write('sip-message', 'response-180', response('180 Ringing', 'INVITE', 1, 'out1'))
write('sip-message', 'response-486', response('486 Busy Here', 'INVITE', 1, 'out1'))
write('sip-message', 'response-401', response('401 Unauthorized', 'REGISTER', 1, 'reg1').replace(
    'Content-Length', 'WWW-Authenticate: Digest realm="x", nonce="abc", algorithm=MD5\r\nContent-Length'))
write('sip-message', 'garbage', b'\x00\xffINVITE\r\n\r\n')
write('sip-message', 'keepalive', b'\r\n\r\n')


# sip.conf (ports 0: the stack takes any free one)

SIP_CONF = {
    'direct': '[account:alice]\nuri=sip:alice@127.0.0.1\nbind=sip:127.0.0.1:0\ntransport=udp\n',
    'full': ('[account:bob]\nuri=sip:bob@127.0.0.1\nbind=sip:127.0.0.1:0\ntransport=udp\n'
             'registrar=sip:127.0.0.1:9\nproxy=sip:127.0.0.1:9\nusername=bob\npassword=secret\n'
             'display-name=Bob\ndelayed-offer=true\ncodecs=OPUS;PCMA\n'),
    'srtp-optional': ('[account:s]\nuri=sip:s@127.0.0.1\nbind=sip:127.0.0.1:0\n'
                      'srtp=optional\n'),
    'srtp-mandatory': ('[account:s]\nuri=sip:s@127.0.0.1\nbind=sip:127.0.0.1:0\n'
                       'srtp=mandatory\n'),
    'bad-srtp': '[account:s]\nuri=sip:s@127.0.0.1\nbind=sip:127.0.0.1:0\nsrtp=yes\n',
    'tcp': '[account:tcp]\nuri=sip:tcp@127.0.0.1\nbind=sip:127.0.0.1:0\ntransport=tcp\n',
    'tls': ('[account:t]\nuri=sip:t@127.0.0.1\nbind=sip:127.0.0.1:0\ntransport=tls\n'
            'tls-ca-file=/etc/ssl/certs/ca-certificates.crt\ntls-verify=false\n'),
    'tls-on-udp': ('[account:t]\nuri=sip:t@127.0.0.1\nbind=sip:127.0.0.1:0\n'
                   'tls-verify=true\n'),
    'tls-missing-file': ('[account:t]\nuri=sip:t@127.0.0.1\nbind=sip:127.0.0.1:0\n'
                         'transport=tls\ntls-certificate=/nonexistent/agent.pem\n'),
    'bad-tls-verify': ('[account:t]\nuri=sip:t@127.0.0.1\nbind=sip:127.0.0.1:0\n'
                       'transport=tls\ntls-verify=sometimes\n'),
    'two-accounts': ('[account:a]\nuri=sip:a@127.0.0.1\nbind=sip:127.0.0.1:0\n'
                     '[account:b]\nuri=sip:b@127.0.0.1\nbind=sip:127.0.0.1:0\n'),
    'same-uri': ('[account:a]\nuri=sip:a@127.0.0.1\nbind=sip:127.0.0.1:0\n'
                 '[account:b]\nuri=sip:a@127.0.0.1\nbind=sip:127.0.0.1:0\n'),
    'bad-uri': '[account:x]\nuri=mailto:x@example.org\n',
    'bad-transport': '[account:x]\nuri=sip:x@127.0.0.1\nbind=sip:127.0.0.1:0\ntransport=sctp\n',
    'bad-bind': '[account:x]\nuri=sip:x@127.0.0.1\nbind=sip:192.0.2.1:5060\n',
    'bad-bind-uri': '[account:x]\nuri=sip:x@127.0.0.1\nbind=http://127.0.0.1\n',
    'bad-codecs': '[account:x]\nuri=sip:x@127.0.0.1\nbind=sip:127.0.0.1:0\ncodecs=GSM;;\n',
    'empty-codecs': '[account:x]\nuri=sip:x@127.0.0.1\nbind=sip:127.0.0.1:0\ncodecs=\n',
    'bad-boolean': '[account:x]\nuri=sip:x@127.0.0.1\nbind=sip:127.0.0.1:0\ndelayed-offer=maybe\n',
    'unknown-key': '[account:x]\nuri=sip:x@127.0.0.1\nbind=sip:127.0.0.1:0\ncolour=blue\n',
    'no-name': '[account:]\nuri=sip:x@127.0.0.1\n',
    'other-group': '[general]\nfoo=bar\n',
    'not-keyfile': 'this is not a key file\n[\n',
    'empty': '',
}
for name, text in SIP_CONF.items():
    write('sip-conf', name, text)


# sim.conf

SIM_CONF = {
    'default': '',
    'full': ('[pbx]\nextensions=200;201;202\nno-answer-timeout=10\nring-timeout=5\n'
             'telephone-events=false\npark-orbits=8000-8009\ncodecs=PCMA;G722\n'
             '[extension 200]\nname=Reception\npickup-group=front\ncodecs=OPUS\n'),
    'pbx-only': '[pbx]\nextensions=100\n',
    'srtp': '[pbx]\nextensions=100;101\nsrtp=true\n',
    'bad-srtp': '[pbx]\nsrtp=sometimes\n',
    'bad-timeout': '[pbx]\nno-answer-timeout=-1\n',
    'bad-ring-timeout': '[pbx]\nring-timeout=soon\n',
    'bad-boolean': '[pbx]\ntelephone-events=perhaps\n',
    'bad-orbits': '[pbx]\npark-orbits=7099-7000\n',
    'huge-orbits': '[pbx]\npark-orbits=4294967295-4294967295\n',
    'orbit-too-wide': '[pbx]\npark-orbits=1-5000\n',
    'bad-extension': '[pbx]\nextensions=10a;\n',
    'duplicate-extension': '[pbx]\nextensions=100;100\n',
    'spaces-extension': '[pbx]\nextensions= 100 ; 101\n[extension 100]\nname=Spaced\n',
    'bad-codecs': '[pbx]\ncodecs=GSM\n',
    'empty-codecs': '[pbx]\ncodecs=\n',
    'extension-bad-codecs': '[pbx]\nextensions=100\n[extension 100]\ncodecs=;\n',
    'long-number': '[pbx]\nextensions=' + '9' * 70 + '\n',
}
for name, text in SIM_CONF.items():
    write('sim-conf', name, text)


# Broker D-Bus calls: a method index (in the order of the interface), then
# the arguments in GVariant serialisation.

xml = ET.parse(os.path.join(HERE, '..', '..', 'libtapi3', 'org.libtapi3.Broker1.xml'))
methods = {}
for i, method in enumerate(xml.getroot().find('interface').findall('method')):
    signature = ''.join(arg.get('type') for arg in method.findall('arg')
                        if arg.get('direction', 'in') == 'in')
    methods[method.get('name')] = (i, f'({signature})')


def call(name, seed_name, *args):
    index, signature = methods[name]
    value = GLib.Variant(signature, args)
    write('broker-dbus', seed_name, bytes([index]) + value.get_data_as_bytes().get_data())


call('Initialize', 'initialize', 'again')
call('Shutdown', 'shutdown')
call('RegisterNotifications', 'register', '101', True, True, 1)
call('RegisterNotifications', 'register-unknown', 'no-such-address', False, True, 0xffffffff)
call('UnregisterNotifications', 'unregister', 1)
call('SetApplicationPriority', 'priority', 'fuzz', 1, True)
call('CreateCall', 'create-call', '100', '101', True, 1, 1)
call('CreateCall', 'create-call-no-destination', '100', '', False, 1, 1)
call('CreateCall', 'create-call-bad-destination', '100', '1;x', True, 1, 1)
call('ReleaseCall', 'release-call', 1)
call('GetCallInfo', 'get-call-info', 1)
call('SetPrivilege', 'set-privilege', 1, 2)
call('SetAppSpecific', 'set-app-specific', 1, 42)
call('SetMediaType', 'set-media-type', 1, 0xffffffff)
call('GetMedia', 'get-media', 1)
call('ReportMediaEvent', 'report-media-event', 1, 1, 1, 1)
call('ReportDigit', 'report-digit', 1, ord('5'))
call('Connect', 'connect', 1)
call('Answer', 'answer', 2)
call('Disconnect', 'disconnect', 1, 0)
call('Hold', 'hold', 1, True)
call('HandoffDirect', 'handoff-direct', 1, 'fuzz')
call('HandoffIndirect', 'handoff-indirect', 1, 1)
call('BlindTransfer', 'blind-transfer', 1, '102')
call('Transfer', 'transfer', 1, 2)
call('Conference', 'conference', 1, 2)
call('Finish', 'finish', 1, 1)
call('SwapHold', 'swap-hold', 1, 2)
call('ParkDirect', 'park-direct', 1, '7000')
call('ParkIndirect', 'park-indirect', 1)
call('Unpark', 'unpark', 1)
call('Pickup', 'pickup', 1, '1')
call('Dial', 'dial', 1, '103')
call('RemoveFromConference', 'remove-from-conference', 1)


# Broker signals, as an application takes them: a signal index (in the
# order of the interface), then the arguments in GVariant serialisation.
# The application holds call 1.

signals = {}
for i, signal in enumerate(xml.getroot().find('interface').findall('signal')):
    signature = ''.join(arg.get('type') for arg in signal.findall('arg'))
    signals[signal.get('name')] = (i, f'({signature})')


def signal_args(name, *args):
    return GLib.Variant(signals[name][1], args)


def signal(name, seed_name, *args):
    index = signals[name][0]
    write('broker-signals', seed_name,
          bytes([index]) + signal_args(name, *args).get_data_as_bytes().get_data())


u = GLib.Variant.new_uint32
connected_info = {'call-id': u(1), 'state': u(2), 'state-cause': u(0),
                  'connected-id-number': GLib.Variant('s', '101')}
signal('CallStateChanged', 'state-changed', 1, 2, 0, connected_info)
signal('CallStateChanged', 'state-changed-bad-types', 1, 3, 7,
       {'state': GLib.Variant('s', 'connected'), 'privilege': GLib.Variant('b', True)})
signal('CallInfoChanged', 'info-changed', 1, 12, {'call-id': u(1), 'number-of-monitors': u(1)})
signal('CallNotification', 'notification', 1,
       {'call-id': u(99), 'address': GLib.Variant('s', '100'), 'state': u(4),
        'privilege': u(1)})
signal('MediaChanged', 'media-changed', 1, {'local-rtp-port': u(0)})
signal('MediaEvent', 'media-event', 1, 1, 1, 1)
signal('DigitReceived', 'digit-received', 1, ord('5'))
signal('CallHandleRemoved', 'handle-removed', 1)
signal('AddressChanged', 'address-changed', '100', 1, {'state': u(1)})
signal('Events', 'events', [
    ('CallInfoChanged', signal_args('CallInfoChanged', 1, 8, {'call-id': u(1)})),
    ('MediaChanged', signal_args('MediaChanged', 1, {'local-rtp-port': u(0)})),
    ('CallStateChanged', signal_args('CallStateChanged', 1, 2, 0, connected_info)),
])
signal('Events', 'events-unexpected', [
    ('Events', GLib.Variant('(a(sv))', ([],))),
    ('NoSuchSignal', GLib.Variant('(u)', (1,))),
    ('DigitReceived', GLib.Variant('(s)', ('5',))),
    ('CallHandleRemoved', GLib.Variant('(u)', (1,))),
])
