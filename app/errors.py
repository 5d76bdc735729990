"""The one exception type for a user's mistake: shown as one line, never as a traceback."""


class UserError(Exception):
    """Something the person can fix (bad file, unknown code, wrong option). The message is the line
    shown; `message_vi`, when given, is the Vietnamese line for the GUI."""

    def __init__(self, message: str, message_vi: str | None = None):
        super().__init__(message)
        self.message_vi = message_vi or message
