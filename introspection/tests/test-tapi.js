// test-tapi.js: libtapi3 through GObject introspection, from gjs
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Run as `gjs -m test-tapi.js` with GI_TYPELIB_PATH and LD_LIBRARY_PATH
// pointing at the build tree and TAPI3_BROKER=embedded; meson test does
// this. Exits with a non-zero status when a check fails.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Tapi from 'gi://Tapi?version=3.0';
import System from 'system';

const TIMEOUT_MS = 15000;

// Every operation used here as a promise: `await call.connect_async(null)`.
for (const op of ['connect', 'answer', 'disconnect', 'transfer', 'finish',
    'handoff_direct'])
    Gio._promisify(Tapi.Call.prototype, `${op}_async`, `${op}_finish`);

class CheckError extends Error {}

function check(condition, message) {
    if (!condition)
        throw new CheckError(message);
}

function checkEqual(actual, expected, message) {
    if (actual !== expected)
        throw new CheckError(`${message}: expected ${expected}, got ${actual}`);
}

// Resolves once predicate() is true, polling the main loop.
function waitFor(predicate, what) {
    return new Promise((resolve, reject) => {
        const start = GLib.get_monotonic_time();
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 10, () => {
            let done;
            try {
                done = predicate();
            } catch (e) {
                reject(e);
                return GLib.SOURCE_REMOVE;
            }
            if (done) {
                resolve();
                return GLib.SOURCE_REMOVE;
            }
            if (GLib.get_monotonic_time() - start > TIMEOUT_MS * 1000) {
                reject(new CheckError(`timed out waiting for ${what}`));
                return GLib.SOURCE_REMOVE;
            }
            return GLib.SOURCE_CONTINUE;
        });
    });
}

let serial = 0;
let apps = [];

function newApp(role) {
    serial++;
    const name = `org.example.GjsTest.${role}${serial}`;
    const app = Tapi.Tapi.new(name);
    checkEqual(app.initialized, false, 'initialized before initialize');
    check(app.initialize_sync(null), 'initialize_sync');
    checkEqual(app.initialized, true, 'initialized');
    checkEqual(app.application_name, name, 'application-name');
    checkEqual(app.broker_mode, Tapi.BrokerMode.EMBEDDED, 'broker-mode');
    apps.push(app);
    return app;
}

function shutdownApps() {
    for (const app of apps) {
        if (app.initialized)
            app.shutdown();
    }
    apps = [];
}

function findAddress(app, name) {
    const address = app.find_address(name);
    check(address !== null, `address ${name}`);
    checkEqual(address.name, name, 'address name');
    return address;
}

// Records call-notification of app as {call, event, state}; answers every
// call offered to it as owner when answer is true.
function watchNotifications(app, answer) {
    const notifications = [];
    notifications.answered = [];
    app.connect('call-notification', (tapi, call, event) => {
        notifications.push({call, event, state: call.state});
        if (answer && event === Tapi.CallNotificationEvent.OWNER &&
            call.state === Tapi.CallState.OFFERING) {
            call.answer_async(null).then(
                ok => notifications.answered.push(ok),
                error => notifications.answered.push(error));
        }
    });
    return notifications;
}

function checkTapiError(error, code, message) {
    check(error instanceof GLib.Error, `${message}: not a GLib.Error: ${error}`);
    check(error.matches(Tapi.Error, code),
        `${message}: expected Tapi.Error ${code}, got ${error.domain}/${error.code}: ${error.message}`);
    checkEqual(error.domain, Tapi.error_quark(), `${message}: domain`);
}

// Places a call from callerAddress to destination, which calleeApp answers.
async function placeAndAnswer(callerAddress, calleeApp, destination) {
    const offered = watchNotifications(calleeApp, true);
    const call = callerAddress.create_call(destination,
        Tapi.AddressType.PHONE_NUMBER, Tapi.MediaType.AUDIO);
    checkEqual(call.state, Tapi.CallState.IDLE, 'new call state');
    checkEqual(call.privilege, Tapi.CallPrivilege.OWNER, 'new call privilege');
    check(await call.connect_async(null), 'connect_async');
    await waitFor(() => offered.answered.length > 0, 'answer');
    checkEqual(offered.answered[0], true, 'answer result');
    checkEqual(offered.length, 1, 'notifications of the callee');
    checkEqual(offered[0].event, Tapi.CallNotificationEvent.OWNER, 'callee event');
    checkEqual(offered[0].state, Tapi.CallState.OFFERING, 'callee state when offered');
    checkEqual(call.state, Tapi.CallState.CONNECTED, 'caller state');
    const calleeCall = offered[0].call;
    await waitFor(() => calleeCall.state === Tapi.CallState.CONNECTED, 'callee CONNECTED');
    return [call, calleeCall];
}

async function testConsultationTransfer() {
    checkEqual(Tapi.FinishMode.AS_TRANSFER, 0, 'Tapi.FinishMode.AS_TRANSFER');
    const a = newApp('A');
    const b = newApp('B');
    const c = newApp('C');
    b.register_call_notifications(findAddress(b, '101'), false, true, Tapi.MediaType.AUDIO);
    c.register_call_notifications(findAddress(c, '102'), false, true, Tapi.MediaType.AUDIO);
    const a100 = findAddress(a, '100');

    const [aCall, bCall] = await placeAndAnswer(a100, b, '101');
    checkEqual(bCall.caller_id_number, '100', "B's caller id");
    checkEqual(aCall.connected_id_number, '101', "A's connected id");

    const cOffered = watchNotifications(c, true);
    const consultation = a100.create_call('102', Tapi.AddressType.PHONE_NUMBER,
        Tapi.MediaType.AUDIO);
    check(await aCall.transfer_async(consultation, null), 'transfer_async');
    checkEqual(aCall.state, Tapi.CallState.HOLD, 'original call after transfer');
    checkEqual(consultation.state, Tapi.CallState.CONNECTED, 'consultation call');
    await waitFor(() => cOffered.answered.length > 0, 'C to answer');
    checkEqual(cOffered.answered[0], true, "C's answer");
    checkEqual(cOffered.length, 1, 'notifications of C');
    const cCall = cOffered[0].call;
    await waitFor(() => cCall.state === Tapi.CallState.CONNECTED, 'C CONNECTED');

    check(await consultation.finish_async(Tapi.FinishMode.AS_TRANSFER, null), 'finish_async');
    checkEqual(aCall.state, Tapi.CallState.DISCONNECTED, "A's original call");
    checkEqual(consultation.state, Tapi.CallState.DISCONNECTED, "A's consultation call");

    await waitFor(() => bCall.connected_id_number === '102', "B's connected id 102");
    await waitFor(() => cCall.connected_id_number === '101', "C's connected id 101");
    checkEqual(bCall.state, Tapi.CallState.CONNECTED, "B's call");
    checkEqual(cCall.state, Tapi.CallState.CONNECTED, "C's call");

    check(await bCall.disconnect_async(Tapi.DisconnectCode.NORMAL, null), 'disconnect_async');
    await waitFor(() => cCall.state === Tapi.CallState.DISCONNECTED, 'C DISCONNECTED');
}

async function testHandoffDirect() {
    checkEqual(Tapi.Error.TARGET_SELF, 11, 'Tapi.Error.TARGET_SELF');
    checkEqual(Tapi.CallNotificationEvent.OWNER, 0, 'Tapi.CallNotificationEvent.OWNER');
    checkEqual(Tapi.CallPrivilege.MONITOR, 1, 'Tapi.CallPrivilege.MONITOR');
    const caller = newApp('Caller');
    const phone = newApp('Phone');
    const recorder = newApp('Recorder');
    phone.register_call_notifications(findAddress(phone, '103'), false, true,
        Tapi.MediaType.AUDIO);
    // A directed handoff ignores media types; the AUDIO call is not offered
    // to an owner of G3FAX.
    recorder.register_call_notifications(findAddress(recorder, '103'), false, true,
        Tapi.MediaType.G3FAX);
    const recorderNotified = watchNotifications(recorder, false);

    const [callerCall, phoneCall] = await placeAndAnswer(findAddress(caller, '100'),
        phone, '103');
    checkEqual(recorderNotified.length, 0, 'notifications of the recorder before handoff');

    let error = null;
    try {
        phoneCall.handoff_direct_sync(phone.application_name, null);
    } catch (e) {
        error = e;
    }
    check(error !== null, 'handoff to itself must fail');
    checkTapiError(error, Tapi.Error.TARGET_SELF, 'handoff to itself');
    checkEqual(phoneCall.privilege, Tapi.CallPrivilege.OWNER, 'privilege after TARGET_SELF');

    check(await phoneCall.handoff_direct_async(recorder.application_name, null),
        'handoff_direct_async');
    await waitFor(() => recorderNotified.length > 0, 'call-notification of the recorder');
    checkEqual(recorderNotified.length, 1, 'notifications of the recorder');
    const {call: recorderCall, event} = recorderNotified[0];
    checkEqual(event, Tapi.CallNotificationEvent.OWNER, "recorder's event");
    checkEqual(recorderCall.privilege, Tapi.CallPrivilege.OWNER, "recorder's privilege");
    checkEqual(recorderCall.call_id, phoneCall.call_id, 'call id');
    checkEqual(recorderCall.state, Tapi.CallState.CONNECTED, "recorder's call state");
    await waitFor(() => phoneCall.privilege === Tapi.CallPrivilege.MONITOR,
        'the phone to become monitor');
    checkEqual(phoneCall.state, Tapi.CallState.CONNECTED, "phone's call state");
    checkEqual(callerCall.state, Tapi.CallState.CONNECTED, "caller's call state");

    error = null;
    try {
        await phoneCall.disconnect_async(Tapi.DisconnectCode.NORMAL, null);
    } catch (e) {
        error = e;
    }
    check(error !== null, 'a monitor must not disconnect');
    checkTapiError(error, Tapi.Error.NOT_OWNER, 'disconnect by a monitor');

    check(await recorderCall.disconnect_async(Tapi.DisconnectCode.NORMAL, null),
        "recorder's disconnect");
    await waitFor(() => callerCall.state === Tapi.CallState.DISCONNECTED,
        'caller DISCONNECTED');
}

const tests = [
    ['consultation transfer', testConsultationTransfer],
    ['handoff direct', testHandoffDirect],
];

let failures = 0;
const loop = new GLib.MainLoop(null, false);

async function runTests() {
    for (const [name, test] of tests) {
        try {
            await test();
            print(`ok - ${name}`);
        } catch (e) {
            failures++;
            print(`not ok - ${name}: ${e.message}`);
            if (!(e instanceof CheckError))
                logError(e);
        } finally {
            shutdownApps();
        }
    }
}

print(`1..${tests.length}`);
runTests().catch(e => {
    failures++;
    logError(e);
}).finally(() => loop.quit());
loop.run();

print(`${tests.length - failures} passed, ${failures} failed`);
System.exit(failures > 0 ? 1 : 0);
