"""PackageRefused: why a package (or a volume of one) is not believed, as a machine code and one line in
English and Vietnamese naming the file.

Codes, in the order the reader meets them (DESIGN §6):

========================  ===========================================================================
``not_zip``               empty, random bytes, no end-of-central-directory record
``truncated``             starts like a ZIP but its end is missing
``too_large``             file (or an entry that must be read into memory) above the limit
``zip_limits``            too many entries, declared sizes above the limit, ZIP64, multi-disk
``bytes_outside``         bytes before the first entry, between entries, after the directory
``zip_structure``         malformed directory or header fields, extra fields, comments, data descriptors
``encrypted``             an encrypted entry
``compressed``            an entry not STORED
``symlink``               a symbolic link entry
``directory``             a directory (or other non-file) entry
``local_header``          a local header disagrees with the central directory
``entry_path``            absolute, drive, UNC, backslash or ``..`` name
``duplicate_entry``       twice the same name, also up to case or NFC/NFD
``entry_name``            a name outside the allowed patterns
``no_manifest``           manifest.json or manifest.p7s missing
``manifest_json``         manifest.json is not strict UTF-8 JSON (duplicate keys, NaN, BOM, ...)
``manifest_schema``       a required field is missing or of the wrong type
``signature``             the CMS signature is malformed or does not match the manifest bytes
``untrusted``             no chain to a trusted root
``key_usage``             the signer certificate may not sign documents (CA, missing key usage)
``revoked``               the signer certificate (or one above it) is revoked by a given CRL
``expired``               a certificate of the chain has expired at the validation time
``not_yet_valid``         a certificate of the chain is not valid yet at the validation time
``entries_mismatch``      the entries of the ZIP differ from the manifest's list (names or sizes)
``entry_hash``            an entry's bytes do not match the SHA-256 in the manifest
``volume_missing``        a volume of a split package is missing (named)
``volume_foreign``        a volume belongs to another package
``volume_damaged``        a volume's bytes do not match its header
``volume_header``         a volume header is malformed
========================  ===========================================================================
"""

from __future__ import annotations

from pathlib import Path

from app.errors import UserError


class PackageRefused(UserError):
    """A package that is not believed. ``code`` is one of the module docstring's codes."""

    def __init__(self, code: str, file: str | Path, why_en: str, why_vi: str):
        name = Path(file).name if isinstance(file, Path) else str(file)
        super().__init__(f"{name}: package refused: {why_en}", f"{name}: gói bị từ chối: {why_vi}")
        self.code = code
        self.file = name
        self.why_en = why_en
        self.why_vi = why_vi

    def __reduce__(self):  # picklable across processes (a service may verify in a worker)
        return (type(self), (self.code, self.file, self.why_en, self.why_vi))
