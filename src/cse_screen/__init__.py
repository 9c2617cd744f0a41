"""cse-screen: a calm, private terminal tool for child sexual exploitation (CSE) screening.

The package is split into a pure core (``questionnaire``, ``scoring``, ``report``,
``store``, ``language``, ``screening``) that never imports Textual, and a thin TUI in
``tui``.
"""

__version__ = "0.1.0"
