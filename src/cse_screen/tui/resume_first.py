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
used, and a notice says so; if the draft cannot be opened, the wizard says why and shows
the start screen, as it always has.
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
    _typed_ahead: list[events.Key | events.Paste]

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

    def _opened(self, opened: Opened) -> Awaitable[object] | None:
        """Continue the opened draft; or, when it could not be opened, end so the command says why."""
        if opened is not None:
            return self.continue_draft(*opened)
        # `cse-screen resume ID` whose draft cannot be opened (open in another cse-screen, not
        # a draft): the command prints the store's reason and exits 2, as every command does
        # for a refused record, rather than leaving an empty start screen titled with the child.
        self.exit(return_code=2)
        return None

    def kept_for_the_draft(self, event: events.Event) -> bool:
        """True when ``event`` was kept (a key) or dropped (a click) while the light page is up."""
        if self.light_page is None or not isinstance(event, events.InputEvent | events.Paste):
            return False
        if isinstance(event, events.Key | events.Paste):
            if event.is_forwarded:
                return False
            self._typed_ahead.append(event)
            return True
        return isinstance(event, events.MouseDown | events.MouseUp | events.Click)

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
        self.push_screen(LightQuestionScreen(page))
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
        self.start_failure = exc
        self.exit(return_code=2)

    async def _attach_draft(self, opened: Opened) -> None:
        """The draft is open (or could not be): replace the light page, then hand over the keys."""
        mounted = self._opened(opened)
        # They were for a draft that did not open, if it did not: the message says why.
        await self._hand_over(mounted, used=opened is not None)

    async def _attach_new(self, loaded: LoadedQuestionnaire, meta: ScreeningMeta) -> None:
        """The questionnaire is loaded: its first question replaces the light page, then the keys."""
        from cse_screen.screening import Screening

        screening = Screening(questionnaire_id=loaded.questionnaire.id, meta=meta)
        await self._hand_over(self.begin(loaded, screening), used=True)

    async def _hand_over(self, mounted: Awaitable[object] | None, *, used: bool) -> None:
        """Once the real page is up, give it the keys typed on the light page (if it is the same page)."""
        shown = self.light_page
        if mounted is not None:
            await mounted  # the real page is up and focused, its 999 alert (if any) on its way
        keys, self._typed_ahead = self._typed_ahead, []
        self.light_page = None
        if not used:
            return
        from cse_screen.session.light_page import page_of

        if keys and (self.session is None or page_of(self.session) != shown):
            # The draft changed between the glance and the opening: the keys were meant for
            # a page that is not the one now shown.
            self.bell()
            self.notify(CHANGED_WHILE_OPENING, title="Draft opened", severity="warning", timeout=12)
            return
        # Dispatched here, in order, before this handler returns: keys typed while the real
        # page was mounting wait in the app's queue behind this handler, so posting these to
        # the back of that queue would let the later keys overtake them (answers on the
        # wrong questions).
        for key in keys:
            await self.on_event(
                events.Key(key.key, key.character) if isinstance(key, events.Key) else events.Paste(key.text)
            )


def _import_the_page() -> None:
    """The session and the question page, on the worker: the app's thread then only builds and draws."""
    import cse_screen.session
    import cse_screen.tui.screens.question  # noqa: F401
