"""Keep the libraries' own log output off the terminal (DESIGN §7: one line on stderr, no tracebacks).

qpdf reports damage through the `pikepdf._core` logger at ERROR level and pyHanko logs every untrusted
chain with a traceback; with no handler configured, Python's last-resort handler would print them to
stderr. A NullHandler on each library's logger stops that, while records still propagate to whatever
handler (a log file) the application installs on the root logger.
"""

from __future__ import annotations

import logging

LIBRARIES = ("pikepdf", "pyhanko", "pyhanko_certvalidator", "PIL")


def quiet_libraries() -> None:
    for name in LIBRARIES:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
