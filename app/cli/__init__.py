"""The `dti` command line: argument parsing and output only; the work is in `app.services`."""
