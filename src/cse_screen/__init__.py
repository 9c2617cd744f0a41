"""cse-screen: a calm, private terminal tool for child sexual exploitation (CSE) screening.

The package is split into a pure core (``questionnaire``, ``scoring``, ``report``,
``store``, ``language``, ``screening``) that never imports Textual, and a thin TUI in
``tui``.
"""

import os

__version__ = "0.1.0"

# Pydantic plugins installed in the same environment would be handed every value pydantic
# validates, answers about a child included; cse-screen uses none. Turning them off with
# pydantic's documented switch also skips the scan of every installed package's entry
# points when the first model is built. A value set by the user is left as it is.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
