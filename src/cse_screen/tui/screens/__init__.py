"""Screens of the screening wizard, one per file (``…Screen`` / ``…Modal``)."""
