"""The desktop application (PySide6). The only package that imports Qt (DESIGN §2): it renders the
services' plain data and sends the officer's edits back through the same services as the CLI."""
