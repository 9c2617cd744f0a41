"""The screening wizard app: a thin shell that opens screens and holds the session.

The work happens in the pure :class:`cse_screen.session.WizardSession`; screens show it and
pass the practitioner's actions to it. The app adds what the whole wizard shares: the
record store link, local contacts, the blank-screen key, help, the theme, and a crash
handler that never prints answers.

Attributes down, messages up: each screen gets the session, the save link and the contacts
through its constructor and posts a message when something the app owns must change
(``StartScreen.Begun``, ``StartScreen.Resumed``, ``ResultScreen.Completed``,
``QuestionScreen.BackOnTop``). The app tells the screen on top that the save state may
have changed with :class:`~cse_screen.tui.messages.SaveStateChanged`.

Why this module is long: one class, the wizard's app, whose start-up is kept as light as a
bare Textual app's (issue 16: the first screen chosen before anything is drawn, the style
rules loaded in two steps) beside the app-wide keys, saving and crash handling it owns.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from cse_screen.session.saving import SaveLink
from cse_screen.tui.after_frame import ReleasedByFrames, after_frame
from cse_screen.tui.messages import SaveStateChanged
from cse_screen.tui.resume_first import ResumeFirst
from cse_screen.tui.theme import DEFAULT_THEME, HIGH_CONTRAST
from cse_screen.tui.timing import AFTER_FIRST_FRAME, SOON_AFTER_FIRST_FRAME, STORE_NOTICE_SECONDS

if TYPE_CHECKING:
    from collections.abc import Awaitable

    # Imported where they are used: the start screen is drawn before pydantic, the
    # questionnaire models and the question page are imported (a worker imports them).
    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.screening import Screening, ScreeningMeta
    from cse_screen.session import WizardSession
    from cse_screen.session.contacts import ContactsOnce
    from cse_screen.session.unlock import Need
    from cse_screen.tui.screens.start import StartScreen

IDLE_CHECK_SECONDS = 5.0
"""How often the idle lock looks at the clock."""
SAVE_TICK_SECONDS = 10.0
"""How often unsaved changes are retried and the record's lease renewed."""


def _tool_line(loaded: LoadedQuestionnaire) -> str:
    """The header's words for a chosen questionnaire: its framing's ``sub_title``, else its title."""
    q = loaded.questionnaire
    return q.framing.sub_title or q.title


class ScreeningApp(ReleasedByFrames, ResumeFirst):
    """The full-screen screening wizard.

    Args:
        loaded: The questionnaire to use; when None the start screen lets the user choose.
        meta: Details to start with; with a questionnaire and a child reference the wizard
            opens straight at the first question (used by benchmarks and scripts).
        data_dir: Where records are stored (None: the default data folder).
        resume_id: A draft to open instead of starting a new screening.
        store: Whether to save to the record store (tests of the bare flow turn it off).
        today: The date offered on the start screen (tests fix it).
    """

    TITLE = "cse-screen"
    SUB_TITLE = ""
    """Neutral until a questionnaire is chosen; then its framing's ``sub_title`` or its title."""
    CSS_PATH = "app.tcss"
    # The command palette's ctrl+p is used for "Back"; every action has its own key.
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """Screens narrower than 100 columns get the class ``-narrow`` (a two-row footer)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q", "request_quit", "Quit", priority=True, tooltip="Quit (asks if anything is unsaved)"
        ),
        Binding("f1", "help", "Help", tooltip="All keys"),
        Binding("ctrl+b,f12", "blank", "Blank", priority=True, tooltip="Blank the screen at once"),
        Binding("f10", "toggle_contrast", "Contrast", tooltip="Switch the high-contrast theme"),
    ]

    def __init__(
        self,
        loaded: LoadedQuestionnaire | None = None,
        *,
        meta: ScreeningMeta | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        resume_id: str | None = None,
        store: bool = True,
        today: dt.date | None = None,
    ) -> None:
        super().__init__()
        self.register_theme(HIGH_CONTRAST)
        self.theme = DEFAULT_THEME
        self.initial_loaded = loaded
        if loaded is not None:
            self.sub_title = _tool_line(loaded)
        self.initial_meta = meta
        self.resume_id = resume_id
        self.today = today or dt.date.today()
        # Commits happen on a writer thread; it posts SavesLanded (thread-safe) when done.
        self.saving = SaveLink(data_dir, enabled=store, background=True, landed=self._saves_landed)
        self.session: WizardSession | None = None
        self.completed = False
        self._version_notice: list[str] | None = None
        """What changed in the installed questionnaire, waiting for the question page."""
        self._need: Need = "open"
        self._first_screen: StartScreen | None = None
        self._wizard_styled = False
        """Whether ``wizard.tcss`` is loaded (see :meth:`load_wizard_styles`)."""
        from cse_screen.session.idle import IdleTimer, idle_seconds

        self.idle_lock = IdleTimer(idle_seconds())
        """The idle lock's clock (tests replace ``idle_lock.clock`` and call :meth:`lock_if_idle`)."""

    @cached_property
    def contacts(self) -> ContactsOnce:
        """Local contacts, read when first shown (a broken file never stops the wizard)."""
        from cse_screen.session.contacts import ContactsOnce  # not needed for the first frame

        return ContactsOnce()

    # ------------------------------------------------------------------ start-up

    def get_default_screen(self) -> Screen[Any]:
        """The start screen itself when it opens first: one screen composed and drawn, not two.

        It then stays at the bottom, under the question page (Textual keeps its first screen).
        """
        # The collector waits for the first frame (measured: a full collection landed in the
        # middle of drawing it, ≈ 20-30 ms CPU); see tui/after_frame.py.
        after_frame(self.saving)
        from cse_screen.session.unlock import needs  # a locked store asks for its passphrase first

        self._need = needs(self.saving)
        meta = self.initial_meta
        at_question = self.initial_loaded is not None and meta is not None and bool(meta.child_ref)
        if self._need != "open" or self.resume_id is not None or at_question or self.light_start is not None:
            return super().get_default_screen()
        from cse_screen.tui.screens.start import StartScreen

        self._first_screen = StartScreen(self.saving, self.today, self.initial_loaded)
        return self._first_screen

    def on_mount(self) -> None:
        """Open the draft, the first question, or the start screen."""
        self.set_interval(SAVE_TICK_SECONDS, self._save_tick)
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        # The store is opened and written on the writer thread once the first screen is
        # drawn (the thread would compete with drawing it); changes made before that wait
        # in order, shown as "Saving…".
        self.set_timer(AFTER_FIRST_FRAME, self.saving.start_writing)
        if self._first_screen is not None:
            # The start screen is already there (the store needs nothing first), drawn with
            # app.tcss alone: the wizard's other rules follow just after its first frame, or
            # as soon as another screen is shown, whichever comes first.
            self.screen_change_signal.subscribe(self, self._screen_changed, immediate=True)
            self.set_timer(SOON_AFTER_FIRST_FRAME, self.load_wizard_styles)
            return
        self.load_wizard_styles()
        if self._need != "open":
            from cse_screen.tui.screens.unlock import UnlockScreen

            self.push_screen(UnlockScreen(self.saving, self._need), lambda _: self._start())
            return
        self._start()

    def load_wizard_styles(self) -> None:
        """Load the style rules of the wizard's pages and dialogs (``wizard.tcss``), once.

        They come with a hidden widget whose default CSS Textual parses on its own, without
        parsing the other rules again or restyling what is on screen (tui/wizard_styles.py).
        """
        stack = self.screen_stack
        if self._wizard_styled or not stack or not stack[0].is_attached:
            return  # loaded already, or the app is closing (a late timer)
        self._wizard_styled = True
        from cse_screen.tui.wizard_styles import WizardStyles

        # On the bottom screen, which stays for as long as the app runs.
        stack[0].mount(WizardStyles())

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if screen is not self._first_screen:
            self.load_wizard_styles()  # before the new screen's widgets are styled

    def _start(self) -> None:
        """Open the draft, the first question, or the start screen (the store is unlocked)."""
        self.start_first()

    def start_new(self) -> Awaitable[object] | None:
        """The first question of the screening given on the command line, or the start screen."""
        if self.initial_loaded is not None and self.initial_meta is not None and self.initial_meta.child_ref:
            from cse_screen.screening import Screening

            return self.begin(
                self.initial_loaded,
                Screening(questionnaire_id=self.initial_loaded.questionnaire.id, meta=self.initial_meta),
            )
        # Imported here: a draft or a questionnaire given on the command line never needs it.
        from cse_screen.tui.screens.start import StartScreen

        return self.show_on_top(StartScreen(self.saving, self.today, self.initial_loaded))

    def on_start_screen_begun(self, message: StartScreen.Begun) -> None:
        """The start screen has the details: open the first question."""
        self.begin(message.loaded, message.screening)

    def on_start_screen_resumed(self, message: StartScreen.Resumed) -> None:
        """A draft was chosen on the start screen: continue it."""
        self.resume_id = message.record_id
        self.continue_draft(message.loaded, message.screening, message.position)

    def on_result_screen_completed(self) -> None:
        """The record is completed and locked."""
        self.completed = True

    def on_question_screen_back_on_top(self) -> None:
        """The question page is on top again: a waiting notice may show now."""
        self.show_version_notice()

    def begin(
        self, loaded: LoadedQuestionnaire, screening: Screening, *, position: str | None = None
    ) -> Awaitable[object]:
        """Start (or continue) a screening and show its current question."""
        from cse_screen.session import WizardSession
        from cse_screen.session.light_page import sub_title_for
        from cse_screen.tui.screens.question import QuestionScreen

        self.say_store_notices()  # a draft was just opened from the store
        if self.resume_id is None:
            self.saving.create(loaded, screening.meta)
        self.session = WizardSession(loaded, screening, saver=self.saving.saver, position=position)
        # What is loaded now lives as long as the wizard: later collections need not walk it.
        gc.freeze()
        session = self.session
        # Every question, review and result screen says whose screening it is (the header is
        # plain text: a reference is never read as markup).
        framing = loaded.questionnaire.framing
        label = framing.subject_short or framing.subject_label
        self.sub_title = sub_title_for(label, screening.meta.child_ref, _tool_line(loaded))
        self.saving.snapshot = lambda: (session.loaded, session.screening)
        self.saving.on_moved = lambda old, new: self.call_from_thread(self._moved, old, new)
        shown = self.show_on_top(QuestionScreen(self.session, self.saving, self.contacts))
        if self.light_page is None:
            # After the first frame: a later `resume` of this questionnaire draws its page at once.
            from cse_screen.session.light_page import remember

            self.set_timer(AFTER_FIRST_FRAME, lambda: remember(loaded))
        return shown

    def check_installed_version(self, loaded: LoadedQuestionnaire) -> None:
        """Tell the practitioner when the installed questionnaire differs from the draft's.

        The draft keeps its own copy either way. Differences get a notice they confirm;
        a missing or unreadable installed file gets a short message that goes away.
        """
        # Imported here: it loads the installed questionnaire and the store's diff, which
        # the first frame does not need.
        from cse_screen.session.installed import check_installed

        found = check_installed(loaded)
        if found is None:
            return
        if found.status != "changed":
            self.notify(" ".join(found.lines()), title="Questionnaire", timeout=12)
            return
        self._version_notice = found.lines()
        self.show_version_notice()

    def show_version_notice(self) -> None:
        """Show the pending "what changed" notice once the question page is on top.

        An immediate-danger alert (or any other dialog) comes first; the question page
        calls this again when it is back on top.
        """
        if self._version_notice is None:
            return  # before the imports: the way to the first question does not need them
        from cse_screen.tui.screens.question import QuestionScreen
        from cse_screen.tui.screens.version import VersionNoticeModal

        if not isinstance(self.screen, QuestionScreen):
            return
        lines, self._version_notice = self._version_notice, None
        self.push_screen(VersionNoticeModal(lines))

    class SavesLanded(Message):
        """Every change handed to the writer thread has been handled (saved or kept)."""

    def _saves_landed(self) -> None:
        # Runs on the writer thread: post_message is the thread-safe way in.
        self.post_message(self.SavesLanded())

    def on_screening_app_saves_landed(self) -> None:
        """Show the new save state (only now may the indicator say "Saved")."""
        self.say_store_notices()  # the writer may have opened the store just now
        self.screen.post_message(SaveStateChanged())

    def say_store_notices(self) -> None:
        """Show, once, what the store warned about when it was opened (never content)."""
        for notice in self.saving.store_notices():
            self.notify(notice, title="Saved screenings", severity="warning", timeout=STORE_NOTICE_SECONDS)

    async def on_event(self, event: events.Event) -> None:
        """Every key press and click counts as activity for the idle lock (and see ``kept_for_the_draft``)."""
        if isinstance(event, events.Key | events.MouseDown):
            self.idle_lock.touch()
        if not self.kept_for_the_draft(event):
            await super().on_event(event)

    def lock_if_idle(self) -> None:
        """Lock once nothing has been pressed for the idle time (autosave has committed)."""
        from cse_screen.tui.screens.lock import IdleLockScreen
        from cse_screen.tui.screens.unlock import UnlockScreen

        if not self.idle_lock.expired() or isinstance(self.screen, IdleLockScreen | UnlockScreen):
            return
        self.saving.typing.save_all()  # text left in a box is kept before the screen locks
        store = self.saving.store
        encrypted = store is not None and store.encryption == "on"
        self.push_screen(IdleLockScreen(store.path if store is not None and encrypted else None))

    def _moved(self, old: str | None, new: str) -> None:
        """Another program took the draft over; everything on screen now lives in draft ``new``."""
        self.notify(
            f"Another program took draft {old} over. Everything you entered here is now saved "
            f"as a new draft, {new}; carry on.",
            title="Saved as a new draft",
            severity="warning",
            timeout=20,
        )
        self.screen.post_message(SaveStateChanged())

    def _save_tick(self) -> None:
        self.saving.tick()
        self.say_store_notices()  # the start screen may have opened the store
        self.screen.post_message(SaveStateChanged())

    def on_unmount(self) -> None:
        """Save what is pending and release the record."""
        self.saving.close()

    # ------------------------------------------------------------------ app-wide actions

    def action_help(self) -> None:
        """Show every key."""
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.help import HelpModal

        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal())

    def action_blank(self) -> None:
        """Hide everything at once (someone walked up to the desk)."""
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.blank import BlankModal

        if not isinstance(self.screen, BlankModal):
            self.saving.typing.save_all()  # text typed a moment ago is kept, not left in a box
            self.push_screen(BlankModal())

    def action_toggle_contrast(self) -> None:
        """Switch between the default and the high-contrast theme."""
        self.theme = DEFAULT_THEME if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def action_request_quit(self) -> None:
        """Quit now when everything is saved, else ask first."""
        if self.quit_before_open():
            return  # the draft is still opening: the wizard closes once it is (tui/resume_first.py)
        # Imported on first use: the first frame does not need this screen.
        from cse_screen.tui.screens.confirm import ConfirmModal

        # Text still in a box is handed over first; then changes still being written get a
        # moment to land before anything is asked.
        self.saving.typing.save_all()
        self.saving.flush(timeout=2.0)
        if self.session is None or self.saving.all_saved():
            self.exit(0)
            return
        if isinstance(self.screen, ConfirmModal):
            return

        def done(sure: bool | None) -> None:
            if sure:
                self.exit(0)

        self.push_screen(
            ConfirmModal(
                "Quit without saving?",
                f"{self.saving.status_text()} If you quit now, what is not saved is lost.",
                yes="Quit anyway",
                no="Keep working",
            ),
            done,
        )

    # ------------------------------------------------------------------ crashes

    def _handle_exception(self, error: Exception) -> None:
        # Textual's default prints a traceback with local variables, which could hold
        # answers about a child. Print a short apology and where the draft is instead.
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        # Changes still queued for the writer thread are committed before saying where the
        # draft is (the writer is independent of whatever failed here).
        try:
            flushed = self.saving.flush(timeout=5.0)
            where = self.saving.where_text()
            if not flushed or self.saving.pending():
                # Never claim more than is true: the practitioner may need to re-enter these.
                where += " The last changes may not have been saved: check them when you resume."
        except Exception:  # noqa: BLE001 - the apology must always be printed
            where = "Your answers up to the last “Saved.” are kept."
        self._exit_renderables.append(
            Text(
                f"cse-screen: sorry, something went wrong ({type(error).__name__}). {where}\n"
                "Please report the problem without any details about the child."
            )
        )
        self._close_messages_no_wait()
