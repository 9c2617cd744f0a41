"""``resume ID``: the draft's question on screen first, the draft opened behind it.

Opening a draft the full way (store, models, session) costs about as much CPU as Textual's
own start. So the wizard draws the draft's page from plain data
(:mod:`cse_screen.session.light_page`) as its first frame, opens the draft the usual way in
a worker thread, and then puts the real question page in its place (issue 16). ``run FILE
--child-ref`` does the same with the questionnaire's first question (:class:`LightStart`):
the worker loads and checks the file as the command did before; should that fail after
all, the wizard stops and the command reports the error it always did.

Until then the light page acts on nothing: every key (and pasted text) is kept and handed,
in order, to the real page once it is up — after its 999 alert, if the draft raises one,
exactly as keys typed before the first frame always were. Clicks are dropped. If the page
opened is not the one the keys were typed on (the draft changed in between), they are not
used, and a notice says so; if the draft cannot be opened, the wizard ends and the command
says why, adding that what was typed on the light page was not saved (never what it was).

Two keys act at once instead (:data:`ACTS_AT_ONCE`), because waiting for the draft would
defeat them:

- **Blank** (ctrl+b, F12) covers the light page at once. Anything over the light page —
  the blank screen, or the idle lock when it fires — takes the keys as it does over the real
  page (typing on them is never kept as answers), and the real page waits for it: it
  replaces the light page only once that is on top again (ctrl+r, or the passphrase), so
  the screen stays covered while the draft opens and the keys kept before are applied then.
- **Quit** (ctrl+q) closes the wizard as soon as the draft is open, without showing its
  page: keys typed before it are applied and saved first (quitting then asks, as it always
  does, only if something could not be saved); with none, the draft is closed untouched.
  Keys typed after it are not used. It waits for the opening (a moment) because closing
  before would leave the draft's lock to whatever the worker does next.

Every other key — help (F1), the contrast (F10), the jump list and the review included — is
kept and acts in order on the real page: none of them can wait too long to matter, and
acting at once would put a screen over the light page for nothing.

Why this module is long: :class:`ResumeFirst` is one cohesive piece — the light page's keys,
what covers it, quitting from it and the hand-over all turn on the same kept keys and the
same moment the draft opens, so splitting it would spread one set of rules over two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import App

from cse_screen.tui.timing import AFTER_FIRST_FRAME, SOON_AFTER_FIRST_FRAME

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from contextlib import AbstractContextManager

    from textual.screen import Screen

    from cse_screen.questionnaire.loaded import LoadedQuestionnaire
    from cse_screen.screening import Screening, ScreeningMeta
    from cse_screen.session import WizardSession
    from cse_screen.session.light_page import LightPage  # imported when a page is peeked
    from cse_screen.session.saving import SaveLink

    Opened = tuple[LoadedQuestionnaire, Screening, str | None] | None
    """An opened draft (questionnaire, screening, position), or None when it could not be opened."""


@dataclass(frozen=True, slots=True)
class LightStart:
    """``run FILE --child-ref``'s first question, known before the questionnaire is loaded."""

    path: Path
    page: LightPage
    meta: dict[str, Any]
    """The details (:class:`~cse_screen.screening.ScreeningMeta`'s fields), made once loaded."""


CHANGED_WHILE_OPENING = (
    "This draft changed while it was opening, so the keys you typed were not used. "
    "Check this question and carry on."
)
TYPED_NOT_SAVED = (
    "What you typed after the draft appeared on screen was not saved, as the draft did not "
    "open: resume it once it can be opened, and enter those answers again."
)
"""Added to the reason a draft could not be opened when keys were typed on its light page."""
TYPED_NOT_STARTED = (
    "What you typed after the first question appeared on screen was not saved, as the "
    "screening did not start: start it again once the file is put right."
)
"""Added to ``run``'s error when its questionnaire failed to load behind the light page."""
ACTS_AT_ONCE = frozenset({"blank", "request_quit"})
"""App actions whose keys act on the light page at once instead of being kept (module docstring)."""


class ResumeFirst(App[int]):
    """The wizard app's way of resuming a draft (see the module docstring)."""

    saving: SaveLink
    session: WizardSession | None
    light_page: LightPage | None = None
    """The draft's page drawn before the draft was opened, until the real page replaces it."""
    resume_id: str | None
    light_start: LightStart | None = None
    """Set by ``run FILE --child-ref`` when its first question can be drawn before loading."""
    start_failure: Exception | None = None
    """Why ``run``'s questionnaire failed to load behind its light page (the command says it)."""
    quit_when_open = False
    """ctrl+q was pressed on the light page: the wizard closes once the draft is open."""
    closed_unopened = False
    """The wizard closed at the practitioner's request before showing the draft (not a refusal)."""
    typed_not_saved = False
    """Keys typed on the light page were dropped because the draft could not be opened."""
    _typed_ahead: list[events.Key | events.Paste]
    _light_screen: Screen[Any] | None = None
    _waiting: Callable[[], Awaitable[object]] | None = None
    """The real page, ready, waiting for the light page to be on top again (a cover is up)."""
    _covered: tuple[Screen[Any], ...] = ()
    """What covered the light page when a quit lifted it (to cover the page again if it must ask)."""
    _unseen: AbstractContextManager[None] | None = None
    """Holds every frame back while a quit applies the kept keys (nothing is shown meanwhile)."""

    def begin(
        self, loaded: LoadedQuestionnaire, screening: Screening, *, position: str | None = None
    ) -> Awaitable[object]:
        """Start (or continue) a screening and show its current question (the app's)."""
        raise NotImplementedError

    def check_installed_version(self, loaded: LoadedQuestionnaire) -> None:
        """Say when the installed questionnaire differs from the draft's (the app's)."""
        raise NotImplementedError

    def continue_draft(
        self, loaded: LoadedQuestionnaire, screening: Screening, position: str | None
    ) -> Awaitable[object]:
        """Show an opened draft at its question, then say if its questionnaire was updated."""
        shown = self.begin(loaded, screening, position=position)
        # After the first frame: the draft's question shows without waiting for this.
        self.set_timer(AFTER_FIRST_FRAME, lambda: self.check_installed_version(loaded))
        return shown

    def start_new(self) -> Awaitable[object] | None:
        """The first question of a screening given on the command line, or the start screen (the app's)."""
        raise NotImplementedError

    def action_request_quit(self) -> None:
        """Quit now when everything is saved, else ask first (the app's)."""
        raise NotImplementedError

    def action_blank(self) -> None:
        """Hide everything at once (the app's)."""
        raise NotImplementedError

    def show_on_top(self, screen: Screen[Any]) -> Awaitable[object]:
        """Put ``screen`` on top: in place of the one there (the light page), else pushed."""
        if self.screen_stack and len(self.screen_stack) > 1:
            return self.switch_screen(screen)
        return cast("Awaitable[object]", self.push_screen(screen))

    def start_first(self) -> None:
        """Open the draft to resume, the first question given on the command line, or the start screen."""
        if self.resume_id is not None:
            self.resume(self.resume_id)
        elif self.light_start is not None:
            self._show_light(self.light_start.page, self._load_in_background)
        else:
            self.start_new()

    def resume(self, record_id: str) -> None:
        """Show the draft ``record_id``: its light page at once if possible, else opened the usual way."""
        self._typed_ahead = []
        if not self._draw_light_page(record_id):
            self._opened(self.saving.open_draft(record_id))

    def not_opened_reason(self) -> str:
        """Why ``resume ID`` ended without the draft, for the command to print (never an answer)."""
        reason = self.saving.error or self.saving.status_text()
        return _after(reason, TYPED_NOT_SAVED) if self.typed_not_saved else reason.rstrip()

    def _opened(self, opened: Opened) -> Awaitable[object] | None:
        """Continue the opened draft; or, when it could not be opened, end so the command says why."""
        if opened is not None:
            return self.continue_draft(*opened)
        # Nothing typed on the light page can be used: the command says so (never what it was).
        self.typed_not_saved = bool(self._typed_ahead)
        # `cse-screen resume ID` whose draft cannot be opened (open in another cse-screen, not
        # a draft): the command prints the store's reason and exits 2, as every command does
        # for a refused record, rather than leaving an empty start screen titled with the child.
        self.exit(return_code=2)
        return None

    def kept_for_the_draft(self, event: events.Event) -> bool:
        """True when ``event`` was kept (a key) or dropped (a click) while the light page is on top."""
        if self.light_page is None or not isinstance(event, events.InputEvent | events.Paste):
            return False
        if self.screen is not self._light_screen:
            return False  # the blank screen or the idle lock: it takes keys as over the real page
        if isinstance(event, events.Key | events.Paste):
            if event.is_forwarded or (isinstance(event, events.Key) and self._acts_at_once(event.key)):
                return False
            if not self.quit_when_open:  # after ctrl+q: dropped, the wizard is closing
                self._typed_ahead.append(event)
            return True
        return isinstance(event, events.MouseDown | events.MouseUp | events.Click)

    def _acts_at_once(self, key: str) -> bool:
        bound = self.active_bindings.get(key)
        return bound is not None and bound.binding.action in ACTS_AT_ONCE

    def quit_before_open(self) -> bool:
        """ctrl+q while the draft is opening: close once it is open; False when it is open already."""
        if self.light_page is None:
            return False
        if not self.quit_when_open:
            self.quit_when_open = True
            self._say("Saving what you typed, then closing…" if self._typed_ahead else "Closing…")
            if self._waiting is not None:  # open already, behind a cover: close now
                show, self._waiting = self._waiting, None
                self.call_later(self._close_once_open, show)
        return True

    def _say(self, text: str) -> None:
        """A line in the light page's save indicator (empty until then: nothing is claimed)."""
        from textual.widgets import Static

        screen = self._light_screen
        if screen is not None and screen.is_mounted:
            screen.query_one("#save-indicator", Static).update(text)

    def _draw_light_page(self, record_id: str) -> bool:
        """Show the draft's question and open the draft in a worker; False when that cannot be done."""
        from cse_screen.session.light_page import peek_page

        page = peek_page(self.saving, record_id)
        if page is None:
            return False
        self._show_light(page, lambda: self._open_in_background(record_id))
        return True

    def _show_light(self, page: LightPage, work: Callable[[], None]) -> None:
        from cse_screen.tui.screens.light_question import LightQuestionScreen

        self._typed_ahead = []
        self.light_page = page
        self.sub_title = page.sub_title
        self._light_screen = LightQuestionScreen(page)
        self.push_screen(self._light_screen)
        self.screen_change_signal.subscribe(self, self._on_top)
        # After the first frame: the worker's imports would otherwise compete with drawing it.
        self.set_timer(SOON_AFTER_FIRST_FRAME, lambda: self.run_worker(work, thread=True))

    def _open_in_background(self, record_id: str) -> None:
        """Worker thread: open the draft the usual way (store, lease, checks, models)."""
        opened = self.saving.open_draft(record_id)
        if opened is not None:
            _import_the_page()
            from cse_screen.session.light_page import remember

            remember(opened[0])
        self.call_from_thread(self.call_later, self._attach_draft, opened)

    def _load_in_background(self) -> None:
        """Worker thread: load and check the questionnaire, make the details, as ``run`` did before."""
        from cse_screen.errors import UserError
        from cse_screen.questionnaire.loader import load_questionnaire
        from cse_screen.screening import ScreeningMeta

        start = self.light_start
        assert start is not None
        try:
            loaded = load_questionnaire(start.path)
            meta = ScreeningMeta(**start.meta)
        except UserError as exc:
            self.call_from_thread(self._not_started, exc)
            return
        _import_the_page()
        self.call_from_thread(self.call_later, self._attach_new, loaded, meta)

    def _not_started(self, exc: Exception) -> None:
        """The questionnaire failed to load after all: stop, and let ``run`` say why as before."""
        if self._typed_ahead:  # and that what was typed on the light page was not kept
            from cse_screen.errors import UserError

            self.typed_not_saved = True
            told = UserError(_after(str(exc), TYPED_NOT_STARTED))
            told.exit_code = getattr(exc, "exit_code", 2)
            exc = told
        self.start_failure = exc
        self.exit(return_code=2)

    async def _attach_draft(self, opened: Opened) -> None:
        """The draft is open (or could not be): replace the light page, then hand over the keys."""
        if opened is None:
            self._opened(opened)  # the wizard ends; the command says why
            return
        await self._take_over(lambda: self.continue_draft(*opened))

    async def _attach_new(self, loaded: LoadedQuestionnaire, meta: ScreeningMeta) -> None:
        """The questionnaire is loaded: its first question replaces the light page, then the keys."""
        from cse_screen.screening import Screening

        def first_question() -> Awaitable[object]:
            screening = Screening(questionnaire_id=loaded.questionnaire.id, meta=meta)
            return self.begin(loaded, screening)

        await self._take_over(first_question)

    async def _take_over(self, show: Callable[[], Awaitable[object]]) -> None:
        """Put the real page in the light page's place: now, once a cover has gone, or to close."""
        if self.quit_when_open:
            await self._close_once_open(show)
        elif self.screen is not self._light_screen:
            # The blank screen or the idle lock is up: the page waits under neither (it
            # would replace them), so it comes once the light page is on top again.
            self._waiting = show
        else:
            await self._hand_over(show())

    def _on_top(self, screen: Screen[Any]) -> None:
        """The screen on top changed: the light page is back, so the waiting real page may come."""
        if screen is self._light_screen and self._waiting is not None and not self.quit_when_open:
            show, self._waiting = self._waiting, None
            self.call_later(self._replace_light, show)

    async def _replace_light(self, show: Callable[[], Awaitable[object]]) -> None:
        if self.screen is self._light_screen:
            await self._hand_over(show())
        else:  # covered again in the meantime
            self._waiting = show

    async def _close_once_open(self, show: Callable[[], Awaitable[object]]) -> None:
        """ctrl+q was pressed before the draft opened: apply the kept keys unseen, then quit."""
        if not self._typed_ahead:
            self.closed_unopened = True
            self.exit(0)  # the draft closes untouched (unmounting releases it)
            return
        # From here to the quit no frame is drawn: the light page (or the cover) stays on the
        # terminal while the real page takes the keys — nothing is revealed.
        self._unseen = self.batch_update()
        self._unseen.__enter__()
        covers: list[Screen[Any]] = []
        while self.screen is not self._light_screen:
            cover = self.screen
            self.install_screen(cover, f"light-page-cover-{id(cover)}")  # kept, to be put back
            covers.insert(0, cover)
            await self.pop_screen()
        self._covered = tuple(covers)
        if await self._hand_over(show()):
            # On a task of its own: the app's queue must stay free to pass the keys on.
            self.run_worker(self._quit_once_handled(), group="light-page-quit")
        else:
            self._show_again()  # the keys were not used: the notice says so; no quitting

    async def _quit_once_handled(self) -> None:
        """The real page has the kept keys: once it has handled them, quit as ctrl+q does."""
        from cse_screen.tui.settle import settled

        session = self.session
        await settled(
            self,
            lambda: (
                self.saving.changes,
                session.current_id if session is not None else None,
                self.screen,
                len(self.screen_stack),
                self.focused,
            ),
        )
        self.saving.typing.save_all()
        self.saving.flush(timeout=2.0)
        if self.session is not None and self.saving.all_saved():
            self.exit(0)
            return
        self._show_again()
        self.action_request_quit()  # something could not be saved: it asks first

    def _show_again(self) -> None:
        """Let frames be drawn again, under the covers that were up (never the page bare)."""
        covers, self._covered = self._covered, ()
        for cover in covers:  # as they were: a lock still asks for its passphrase
            self.push_screen(cover)
        if self._unseen is not None:
            unseen, self._unseen = self._unseen, None
            unseen.__exit__(None, None, None)

    async def _hand_over(self, mounted: Awaitable[object] | None) -> bool:
        """Once the real page is up, give it the keys typed on the light page (if it is the same page).

        Returns:
            False when keys were typed and not used (the draft changed in between).
        """
        shown = self.light_page
        if mounted is not None:
            await mounted  # the real page is up and focused, its 999 alert (if any) on its way
        keys, self._typed_ahead = self._typed_ahead, []
        self.light_page = None
        self._light_screen = None
        self.screen_change_signal.unsubscribe(self)
        from cse_screen.session.light_page import page_of

        if keys and (self.session is None or page_of(self.session) != shown):
            # The draft changed between the glance and the opening: the keys were meant for
            # a page that is not the one now shown.
            self.bell()
            self.notify(CHANGED_WHILE_OPENING, title="Draft opened", severity="warning", timeout=12)
            return False
        # Dispatched here, in order, before this handler returns: keys typed while the real
        # page was mounting wait in the app's queue behind this handler, so posting these to
        # the back of that queue would let the later keys overtake them (answers on the
        # wrong questions).
        for key in keys:
            await self.on_event(
                events.Key(key.key, key.character) if isinstance(key, events.Key) else events.Paste(key.text)
            )
        return True


def _after(reason: str, sentence: str) -> str:
    """``sentence`` after ``reason``, as a sentence of its own."""
    reason = reason.rstrip()
    return f"{reason}{'' if reason.endswith(('.', '!', '?')) else '.'} {sentence}"


def _import_the_page() -> None:
    """The session and the question page, on the worker: the app's thread then only builds and draws."""
    import cse_screen.session
    import cse_screen.tui.screens.question  # noqa: F401
