#!/usr/bin/python3
# tapi3-softphone: a GTK 4 softphone on libtapi3
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# One libtapi3 application, org.libtapi3.Softphone, that owns the calls of
# the address picked in its window: it places calls from a dial pad, offers
# incoming calls in a banner, holds, transfers (blind or after a
# consultation call), hands calls to other applications by name, sends
# digits and shows the level of the audio it hears.
#
# Everything the window does is an action of the application, which
# GApplication exports on the session bus under the application id
# (org.gtk.Actions at /org/libtapi3/Softphone), so scripts and tests drive
# it the same way:
#
#   address (s)        use this address for calls (state: the address in use)
#   dial (s)           call a destination from the address in use
#   answer, reject     the call being offered
#   hold, resume, hangup, complete-transfer      the current call
#   transfer (s)       blind transfer of the current call
#   consult (s)        consultation call for a transfer of the current call
#   handoff (s)        hand the current call to an application by name
#   digit (s)          DTMF digits on the current call (the dial pad otherwise)
#   select-call (u)    make a call of the list the current call
#   quit
#
# and read-only states: calls (aa{sv}: id, state, cause, privilege, origin,
# remote, digits of each call), level (d: dBFS heard on the current call)
# and last-error (s).

import sys

import gi

gi.require_version('Adw', '1')
gi.require_version('Gtk', '4.0')
gi.require_version('Tapi', '3.0')
from gi.repository import Adw, Gio, GLib, Gtk, Tapi  # noqa: E402

APP_ID = 'org.libtapi3.Softphone'
SILENCE_DB = -100.0
METER_FLOOR_DB = -60.0
LIVE_STATES = (Tapi.CallState.IDLE, Tapi.CallState.IN_PROGRESS,
               Tapi.CallState.CONNECTED, Tapi.CallState.OFFERING,
               Tapi.CallState.HOLD, Tapi.CallState.QUEUED)
KEYS = '123456789*0#'
# Actions on the current call: (what the user asked, the operation of
# Tapi.BasicCallControl, whether the action's parameter is its argument,
# its arguments otherwise).
CALL_OPERATIONS = {
    'hold': ('hold', 'hold', False, (True,)),
    'resume': ('resume', 'hold', False, (False,)),
    'hangup': ('hang up', 'disconnect', False, (Tapi.DisconnectCode.NORMAL,)),
    'transfer': ('transfer', 'blind_transfer', True, ()),
    'handoff': ('hand off', 'handoff_direct', True, ()),
}


def nick(value):
    return value.value_nick if value is not None else 'none'


def address_type(address, destination):
    """How a destination is written: a number, or a URI where one may be."""
    if (':' in destination or '@' in destination) and \
            address.props.address_types & Tapi.AddressType.DOMAIN_NAME:
        return Tapi.AddressType.DOMAIN_NAME
    return Tapi.AddressType.PHONE_NUMBER


def remote_party(call):
    """Who is at the other end of a call, as far as it is known yet."""
    props = call.props
    own = (props.address.props.name, props.address.props.dialable_address)
    for party in (props.connected_id_number, props.caller_id_number,
                  props.called_id_number, props.caller_id_name,
                  props.called_id_name):
        if party and party not in own:
            return party
    return ''


class CallEntry:
    """A call handle of this application and its row in the call list."""

    def __init__(self, call):
        self.call = call
        self.digits = ''
        self.consultation = None
        self.row = Adw.ActionRow()
        self.row.call_id = call.props.call_id
        self.detecting = False

    @property
    def call_id(self):
        return self.call.props.call_id

    @property
    def live(self):
        return self.call.props.state in LIVE_STATES

    @property
    def owned(self):
        return self.call.props.privilege == Tapi.CallPrivilege.OWNER

    def describe(self):
        props = self.call.props
        return {
            'id': GLib.Variant('u', self.call_id),
            'state': GLib.Variant('s', nick(props.state)),
            'cause': GLib.Variant('s', nick(props.state_cause)),
            'privilege': GLib.Variant('s', nick(props.privilege)),
            'origin': GLib.Variant('s', nick(props.origin)),
            'remote': GLib.Variant('s', remote_party(self.call)),
            'digits': GLib.Variant('s', self.digits),
        }

    def update_row(self):
        props = self.call.props
        self.row.set_title(GLib.markup_escape_text(
            remote_party(self.call) or 'Call %u' % self.call_id))
        details = [props.state.value_nick]
        if props.state_cause != Tapi.CallStateCause.NONE:
            details.append(props.state_cause.value_nick)
        details.append(props.origin.value_nick)
        if props.privilege != Tapi.CallPrivilege.OWNER:
            details.append('watching')
        if self.digits:
            details.append('heard ' + self.digits)
        self.row.set_subtitle(GLib.markup_escape_text(' · '.join(details)))


class Softphone(Adw.Application):

    def __init__(self):
        super().__init__(application_id=APP_ID,
                         flags=Gio.ApplicationFlags.DEFAULT_FLAGS)
        self.tapi = Tapi.Tapi.new(APP_ID)
        self.address = None
        self.registration = 0
        self.entries = {}
        self.current = None
        self.level_stream = None
        self.level_handler = 0
        self.use_devices = True
        self.window = None
        self.add_main_option('no-audio-devices', 0, GLib.OptionFlags.NONE,
                             GLib.OptionArg.NONE,
                             'Send silence and discard what is heard, '
                             'instead of using the sound devices', None)
        self.connect('handle-local-options', self.on_handle_local_options)
        self.add_actions()

    # Start-up

    def on_handle_local_options(self, app, options):
        if options.contains('no-audio-devices'):
            self.use_devices = False
        return -1

    def add_actions(self):
        simple = {
            'dial': ('s', self.on_dial),
            'answer': (None, self.on_answer),
            'reject': (None, self.on_reject),
            'consult': ('s', self.on_consult),
            'complete-transfer': (None, self.on_complete_transfer),
            'digit': ('s', self.on_digit),
            'select-call': ('u', self.on_select_call),
            'quit': (None, lambda *_: self.quit()),
        }
        for name, (parameter, callback) in simple.items():
            action = Gio.SimpleAction.new(
                name, GLib.VariantType(parameter) if parameter else None)
            action.connect('activate', callback)
            self.add_action(action)
        for name, operation in CALL_OPERATIONS.items():
            action = Gio.SimpleAction.new(
                name, GLib.VariantType('s') if operation[2] else None)
            action.connect('activate', self.on_call_operation, operation)
            self.add_action(action)

        self.address_action = Gio.SimpleAction.new_stateful(
            'address', GLib.VariantType('s'), GLib.Variant('s', ''))
        self.address_action.connect('activate', self.on_address)
        self.add_action(self.address_action)

        # States to read, not to activate.
        self.state_actions = {}
        for name, value in (('calls', GLib.Variant('aa{sv}', [])),
                            ('level', GLib.Variant('d', SILENCE_DB)),
                            ('last-error', GLib.Variant('s', ''))):
            action = Gio.SimpleAction.new_stateful(name, None, value)
            action.set_enabled(False)
            self.add_action(action)
            self.state_actions[name] = action

    def do_startup(self):
        Adw.Application.do_startup(self)
        self.set_accels_for_action('app.quit', ['<Control>q'])
        self.tapi.connect('call-notification', self.on_call_notification)
        self.tapi.initialize_async(None, self.on_initialized)

    def do_activate(self):
        if self.window is None:
            self.window = SoftphoneWindow(self)
        self.window.present()

    def do_shutdown(self):
        if self.tapi.props.initialized:
            self.tapi.shutdown()
        Adw.Application.do_shutdown(self)

    def on_initialized(self, tapi, result):
        try:
            tapi.initialize_finish(result)
        except GLib.Error as error:
            self.report('Cannot reach the telephony broker: ' + error.message)
            return
        if self.window:
            self.window.set_addresses(tapi.get_addresses())
        addresses = tapi.get_addresses()
        if addresses.get_n_items() > 0 and self.address is None:
            self.use_address(addresses.get_item(0).props.name)

    # Errors

    def report(self, message):
        self.state_actions['last-error'].set_state(GLib.Variant('s', message))
        if self.window:
            self.window.toast(message)
        else:
            print('tapi3-softphone:', message, file=sys.stderr)

    def operate(self, what, start, finish, *args):
        """Starts an _async operation; reports its error when it fails."""

        def ready(source, result):
            try:
                finish(result)
            except GLib.Error as error:
                self.report('%s failed: %s' % (what, error.message))
            self.refresh()

        start(*args, None, ready)

    # Addresses

    def on_address(self, action, parameter):
        self.use_address(parameter.get_string())

    def use_address(self, name):
        """Makes name the address that places calls and is offered them."""
        if not self.tapi.props.initialized:
            self.report('Not connected to the telephony broker yet')
            return
        address = self.tapi.find_address(name)
        if address is None:
            self.report('There is no address %s' % name)
            return
        if address is self.address:
            return
        try:
            registration = self.tapi.register_call_notifications(
                address, False, True, Tapi.MediaType.AUDIO)
        except GLib.Error as error:
            self.report('Cannot take the calls of %s: %s' % (name, error.message))
            return
        if self.registration:
            self.tapi.unregister_notifications(self.registration)
        self.registration = registration
        self.address = address
        self.address_action.set_state(GLib.Variant('s', address.props.name))
        if self.window:
            self.window.show_address(address)

    # Calls

    def track(self, call):
        entry = self.entries.get(call.props.call_id)
        if entry is not None and entry.call is call:
            return entry
        entry = CallEntry(call)
        self.entries[entry.call_id] = entry
        call.connect('state-changed', self.on_state_changed, entry)
        call.connect('info-changed', lambda *_: self.refresh())
        call.connect('digit-detected', self.on_digit_detected, entry)
        call.connect('media-event', self.on_media_event, entry)
        if self.window:
            self.window.add_call(entry)
        self.prepare_media(entry)
        self.listen_for_digits(entry)
        # An offered call waits in the banner; the call in progress stays
        # the current one until it is answered.
        if call.props.state != Tapi.CallState.OFFERING:
            self.current = entry
        self.refresh()
        return entry

    def prepare_media(self, entry):
        """Puts a terminal on each stream, so that media starts on connect."""
        if not entry.owned or not entry.live:
            return
        address = entry.call.props.address
        for stream in entry.call.get_streams():
            if stream.get_terminals().get_n_items() > 0:
                continue
            direction = stream.props.direction
            terminal = None
            if self.use_devices:
                terminal = address.get_default_static_terminal(
                    Tapi.MediaType.AUDIO, direction)
            try:
                if terminal is None:
                    terminal = address.create_terminal(
                        Tapi.TERMINAL_CLASS_NULL, Tapi.MediaType.AUDIO, direction)
                stream.select_terminal(terminal)
            except GLib.Error as error:
                self.report('No audio for call %u: %s' %
                            (entry.call_id, error.message))

    def on_call_notification(self, tapi, call, event):
        self.track(call)
        if self.window and call.props.state == Tapi.CallState.OFFERING:
            self.window.present()

    def listen_for_digits(self, entry):
        if (entry.detecting or not entry.owned or
                entry.call.props.state != Tapi.CallState.CONNECTED):
            return
        try:
            entry.detecting = entry.call.detect_digits(Tapi.DigitMode.DTMF)
        except GLib.Error as error:
            self.report('Cannot listen for digits: ' + error.message)

    def on_state_changed(self, call, state, cause, entry):
        if state == Tapi.CallState.CONNECTED:
            self.prepare_media(entry)
            self.listen_for_digits(entry)
        self.refresh()

    def on_digit_detected(self, call, digit, mode, entry):
        entry.digits += chr(digit)
        self.refresh()

    def on_media_event(self, call, event, cause, stream, terminal, entry):
        if event in (Tapi.CallMediaEvent.STREAM_FAIL,
                     Tapi.CallMediaEvent.TERMINAL_FAIL):
            self.report('Audio of call %u failed (%s)' %
                        (entry.call_id, cause.value_nick))
        self.refresh()

    def live_entries(self):
        return [e for e in self.entries.values() if e.live]

    def offered(self):
        """The newest call this application is offered as owner, or None."""
        offers = [e for e in self.live_entries()
                  if e.call.props.state == Tapi.CallState.OFFERING and e.owned]
        return offers[-1] if offers else None

    def current_call(self, what):
        """The call an action works on: the one picked, else the newest live one."""
        entry = self.current
        if entry is None or not entry.live:
            live = [e for e in self.live_entries()
                    if e.call.props.state != Tapi.CallState.OFFERING]
            entry = live[-1] if live else None
        if entry is None:
            self.report('No call to %s' % what)
        return entry

    def refresh(self):
        """Brings the exported states and the window up to date."""
        if self.current is not None and self.current.call_id not in self.entries:
            self.current = None
        self.state_actions['calls'].set_state(GLib.Variant(
            'aa{sv}', [e.describe() for e in self.entries.values()]))
        self.follow_level()
        if self.window:
            self.window.update()

    def follow_level(self):
        """Follows the level of what the current call's render stream hears."""
        stream = None
        entry = self.current
        if entry is not None and entry.live and entry.owned:
            stream = next((s for s in entry.call.get_streams()
                           if s.props.direction == Tapi.TerminalDirection.RENDER),
                          None)
        if stream is self.level_stream:
            return
        if self.level_stream is not None:
            self.level_stream.disconnect(self.level_handler)
        self.level_stream = stream
        self.level_handler = 0
        if stream is not None:
            self.level_handler = stream.connect('notify::level',
                                                self.on_level_changed)
        self.on_level_changed(stream, None)

    def on_level_changed(self, stream, pspec):
        level = stream.props.level if stream is not None else SILENCE_DB
        self.state_actions['level'].set_state(GLib.Variant('d', level))
        if self.window:
            self.window.show_level(level)

    # Actions

    def on_dial(self, action, parameter):
        destination = parameter.get_string().strip()
        if not destination:
            self.report('Enter a number to call')
            return
        if self.address is None:
            self.report('No address to call from')
            return
        try:
            call = self.address.create_call(
                destination, address_type(self.address, destination),
                Tapi.MediaType.AUDIO)
        except GLib.Error as error:
            self.report('Cannot call %s: %s' % (destination, error.message))
            return
        self.track(call)
        self.operate('Calling ' + destination, call.connect_async, call.connect_finish)

    def on_answer(self, action, parameter):
        entry = self.offered()
        if entry is None:
            self.report('No call to answer')
            return
        # Answering a second call puts the one in progress on hold.
        for other in self.live_entries():
            if (other is not entry and other.owned and
                    other.call.props.state == Tapi.CallState.CONNECTED):
                self.operate('Hold', other.call.hold_async, other.call.hold_finish,
                             True)
        self.current = entry
        self.operate('Answer', entry.call.answer_async, entry.call.answer_finish)

    def on_reject(self, action, parameter):
        entry = self.offered()
        if entry is None:
            self.report('No call to reject')
            return
        self.operate('Reject', entry.call.disconnect_async,
                     entry.call.disconnect_finish, Tapi.DisconnectCode.REJECTED)

    def on_call_operation(self, action, parameter, operation):
        what, method, takes_text, arguments = operation
        entry = self.current_call(what)
        if entry is None:
            return
        if takes_text:
            arguments = (parameter.get_string().strip(),)
        self.operate(what.capitalize(), getattr(entry.call, method + '_async'),
                     getattr(entry.call, method + '_finish'), *arguments)

    def on_consult(self, action, parameter):
        destination = parameter.get_string().strip()
        entry = self.current_call('transfer')
        if entry is None:
            return
        address = entry.call.props.address
        try:
            consultation = address.create_call(
                destination, address_type(address, destination), Tapi.MediaType.AUDIO)
        except GLib.Error as error:
            self.report('Cannot call %s: %s' % (destination, error.message))
            return
        consulting = self.track(consultation)
        consulting.consultation = entry
        self.operate('Consulting ' + destination, entry.call.transfer_async,
                     entry.call.transfer_finish, consultation)

    def on_complete_transfer(self, action, parameter):
        entry = self.current_call('transfer')
        if entry is None:
            return
        if entry.consultation is None:
            # The held call picked instead of its consultation call.
            entry = next((e for e in self.live_entries()
                          if e.consultation is entry), None)
        if entry is None:
            self.report('No consultation call to complete a transfer with')
            return
        self.operate('Transfer', entry.call.finish_async, entry.call.finish_finish,
                     Tapi.FinishMode.AS_TRANSFER)

    def on_digit(self, action, parameter):
        digits = parameter.get_string()
        entry = self.current
        if (entry is None or not entry.owned or
                entry.call.props.state != Tapi.CallState.CONNECTED):
            if self.window:
                self.window.type_digits(digits)
            return
        try:
            entry.call.generate_digits(digits, Tapi.DigitMode.DTMF)
        except GLib.Error as error:
            self.report('Cannot send %s: %s' % (digits, error.message))

    def on_select_call(self, action, parameter):
        entry = self.entries.get(parameter.get_uint32())
        if entry is None:
            self.report('There is no call %u' % parameter.get_uint32())
            return
        self.current = entry
        self.refresh()


class SoftphoneWindow(Adw.ApplicationWindow):

    def __init__(self, app):
        super().__init__(application=app, title='Softphone',
                         default_width=860, default_height=560)
        self.app = app
        self.rows = {}

        self.toasts = Adw.ToastOverlay()
        page = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
        self.toasts.set_child(page)
        self.set_content(self.toasts)

        self.title = Adw.WindowTitle(title='Softphone', subtitle='Connecting…')
        header = Adw.HeaderBar(title_widget=self.title)
        page.append(header)

        page.append(self.build_banner())

        columns = Gtk.Box(spacing=24, margin_top=12, margin_bottom=12,
                          margin_start=12, margin_end=12, vexpand=True)
        columns.append(self.build_dial_pad())
        columns.append(self.build_call_pane())
        page.append(columns)

        if app.tapi.props.initialized:
            self.set_addresses(app.tapi.get_addresses())
        if app.address is not None:
            self.show_address(app.address)
        for entry in app.entries.values():
            self.add_call(entry)
        self.update()

    # Building

    def build_banner(self):
        self.banner_label = Gtk.Label(hexpand=True, xalign=0)
        self.banner_label.add_css_class('heading')
        answer = Gtk.Button(label='Answer', action_name='app.answer')
        answer.add_css_class('suggested-action')
        reject = Gtk.Button(label='Reject', action_name='app.reject')
        reject.add_css_class('destructive-action')
        box = Gtk.Box(spacing=6, margin_top=6, margin_bottom=6,
                      margin_start=12, margin_end=12)
        box.append(Gtk.Image(icon_name='call-incoming-symbolic'))
        box.append(self.banner_label)
        box.append(reject)
        box.append(answer)
        frame = Gtk.Box()
        frame.add_css_class('card')
        frame.add_css_class('activatable')
        frame.append(box)
        frame.set_margin_start(12)
        frame.set_margin_end(12)
        frame.set_margin_top(6)
        self.banner = Gtk.Revealer(child=frame)
        return self.banner

    def build_dial_pad(self):
        pane = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=12,
                       width_request=260)
        # Expressions do not reach Python yet: a factory labels the items.
        factory = Gtk.SignalListItemFactory()
        factory.connect('setup', lambda f, item: item.set_child(Gtk.Label(xalign=0)))
        factory.connect('bind', self.on_bind_address)
        self.addresses = Gtk.DropDown(factory=factory)
        self.addresses.connect('notify::selected-item', self.on_address_picked)
        pane.append(self.addresses)

        self.number = Gtk.Entry(placeholder_text='Number or service',
                                input_purpose=Gtk.InputPurpose.PHONE)
        self.number.connect('activate', self.on_call_clicked)
        pane.append(self.number)

        keypad = Gtk.Grid(row_spacing=6, column_spacing=6,
                          row_homogeneous=True, column_homogeneous=True)
        for i, key in enumerate(KEYS):
            button = Gtk.Button(label=key)
            button.add_css_class('title-2')
            button.set_action_name('app.digit')
            button.set_action_target_value(GLib.Variant('s', key))
            keypad.attach(button, i % 3, i // 3, 1, 1)
        pane.append(keypad)

        call = Gtk.Button(icon_name='call-start-symbolic', halign=Gtk.Align.CENTER,
                          tooltip_text='Call')
        call.add_css_class('circular')
        call.add_css_class('suggested-action')
        call.set_size_request(56, 56)
        call.connect('clicked', self.on_call_clicked)
        pane.append(call)
        return pane

    def build_call_pane(self):
        pane = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=12,
                       hexpand=True)
        self.call_list = Gtk.ListBox(selection_mode=Gtk.SelectionMode.SINGLE)
        self.call_list.add_css_class('boxed-list')
        self.call_list.set_placeholder(Gtk.Label(label='No calls',
                                                 margin_top=12, margin_bottom=12))
        self.call_list.connect('row-selected', self.on_row_selected)
        scrolled = Gtk.ScrolledWindow(child=self.call_list, vexpand=True,
                                      hscrollbar_policy=Gtk.PolicyType.NEVER)
        pane.append(scrolled)

        self.meter = Gtk.LevelBar(min_value=0.0, max_value=1.0, hexpand=True,
                                  valign=Gtk.Align.CENTER)
        self.meter_label = Gtk.Label(width_chars=10, xalign=1)
        self.meter_label.add_css_class('numeric')
        meter_box = Gtk.Box(spacing=6)
        meter_box.append(Gtk.Image(icon_name='audio-speakers-symbolic'))
        meter_box.append(self.meter)
        meter_box.append(self.meter_label)
        pane.append(meter_box)

        controls = Gtk.Box(spacing=6, homogeneous=True)
        for label, action, style in (('Hold', 'app.hold', None),
                                     ('Resume', 'app.resume', None),
                                     ('Hang up', 'app.hangup', 'destructive-action')):
            button = Gtk.Button(label=label, action_name=action)
            if style:
                button.add_css_class(style)
            controls.append(button)
        pane.append(controls)

        group = Adw.PreferencesGroup()
        self.transfer_row = Adw.EntryRow(title='Transfer to')
        for label, handler in (('Transfer', self.on_transfer_clicked),
                               ('Consult', self.on_consult_clicked)):
            button = Gtk.Button(label=label, valign=Gtk.Align.CENTER)
            button.connect('clicked', handler)
            self.transfer_row.add_suffix(button)
        self.transfer_row.add_suffix(Gtk.Button(label='Complete',
                                                valign=Gtk.Align.CENTER,
                                                action_name='app.complete-transfer'))
        group.add(self.transfer_row)
        self.handoff_row = Adw.EntryRow(title='Hand off to application')
        handoff = Gtk.Button(label='Hand off', valign=Gtk.Align.CENTER)
        handoff.connect('clicked', self.on_handoff_clicked)
        self.handoff_row.add_suffix(handoff)
        group.add(self.handoff_row)
        pane.append(group)
        return pane

    def on_bind_address(self, factory, item):
        address = item.get_item()
        item.get_child().set_label('%s (%s)' % (address.props.name,
                                                address.props.provider_name))

    # From the widgets to the actions

    def activate(self, name, text):
        self.app.activate_action(name, GLib.Variant('s', text))

    def on_call_clicked(self, *args):
        self.activate('dial', self.number.get_text())

    def on_transfer_clicked(self, button):
        self.activate('transfer', self.transfer_row.get_text())

    def on_consult_clicked(self, button):
        self.activate('consult', self.transfer_row.get_text())

    def on_handoff_clicked(self, button):
        self.activate('handoff', self.handoff_row.get_text())

    def on_address_picked(self, dropdown, pspec):
        address = dropdown.get_selected_item()
        if address is not None and address is not self.app.address:
            self.activate('address', address.props.name)

    def on_row_selected(self, listbox, row):
        if row is not None and self.app.entries.get(row.call_id) is not self.app.current:
            self.app.activate_action('select-call', GLib.Variant('u', row.call_id))

    # From the application to the widgets

    def toast(self, message):
        self.toasts.add_toast(Adw.Toast(title=GLib.markup_escape_text(message)))

    def set_addresses(self, model):
        self.addresses.set_model(model)

    def show_address(self, address):
        model = self.addresses.get_model()
        for i in range(model.get_n_items() if model else 0):
            if model.get_item(i) is address:
                self.addresses.set_selected(i)
        self.title.set_subtitle('%s · %s' % (address.props.name,
                                             address.props.provider_name))

    def type_digits(self, digits):
        self.number.set_text(self.number.get_text() + digits)
        self.number.set_position(-1)

    def add_call(self, entry):
        self.call_list.prepend(entry.row)

    def update(self):
        for entry in self.app.entries.values():
            entry.update_row()
        if self.app.current is not None:
            self.call_list.select_row(self.app.current.row)
        offer = self.app.offered()
        if offer is not None:
            self.banner_label.set_label('Incoming call from %s on %s' % (
                remote_party(offer.call) or 'an unknown number',
                offer.call.props.address.props.name))
        self.banner.set_reveal_child(offer is not None)

    def show_level(self, level):
        fraction = (max(level, METER_FLOOR_DB) - METER_FLOOR_DB) / -METER_FLOOR_DB
        self.meter.set_value(fraction)
        self.meter_label.set_label('–' if level <= SILENCE_DB else '%.0f dBFS' % level)


if __name__ == '__main__':
    sys.exit(Softphone().run(sys.argv))
