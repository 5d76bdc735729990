"""Signed submission packages (*gói hồ sơ tự đánh giá*, ``*.dtipkg``): writer, reader and verifier
(DESIGN §6). No database, no CLI: services call these.

Writing::

    write_package(out, manifest, [EntrySource("data/values.json", b"..."),
                                  EntrySource("evidence/<sha256>.pdf", Path(...))],
                  Signer(cert, key, chain), split_mb=None) -> [out]   # or the volumes with split_mb=N

Reading::

    verified = verify_package(path_or_volumes, TrustAnchors(roots, crls), at=None,
                              check_signed=hook, check_entries=True)   # -> VerifiedPackage, or PackageRefused
    copy_entry(verified, "evidence/<sha256>.pdf", dest)              # streamed through SHA-256, atomic
    copy_entries(verified, {name: dest, ...})                        # an import's batch: all or nothing
    with staged_entries(verified, {name: dest, ...}) as temps: ...   # the same, checks on the temps first
    check_entries(verified, names)                                   # after check_entries=False: the rest
    read_entry(verified, "data/values.json", max_bytes)              # small entries, hash-checked
    assemble_volumes(volume_paths, out)                              # a split package as one file

Modules: writer (write_package, one pass, atomic, read-back), reader (verification order), zipformat
(deterministic writer, strict reader), names (allowed entry names), manifest (canonical JSON, strict
parse, schema), cms (detached CMS signing and pyHanko validation), volumes (split/reassemble),
tempfiles (locked temps, stale cleanup), source (positional reads over a file or volumes), errors
(PackageRefused and its codes), skeleton (a received package kept without its evidence, reassembled).

Heavy libraries (pyHanko, asn1crypto, cryptography) are imported when first used, not by importing this
package.
"""

from app.packages.errors import PackageRefused
from app.packages.names import BUNDLE_NAMES, PACKAGE_NAMES
from app.packages.reader import (
    EntryInfo,
    Limits,
    TrustAnchors,
    VerifiedPackage,
    check_entries,
    copy_entries,
    copy_entry,
    read_entry,
    read_manifest_bytes,
    staged_entries,
    verify_package,
)
from app.packages.volumes import assemble_volumes, volume_name
from app.packages.writer import EntrySource, ReadBackFailed, Signer, write_package, write_sealed_package

FORMAT = "dti-package/1"

__all__ = [
    "BUNDLE_NAMES",
    "FORMAT",
    "PACKAGE_NAMES",
    "EntryInfo",
    "EntrySource",
    "Limits",
    "PackageRefused",
    "ReadBackFailed",
    "Signer",
    "TrustAnchors",
    "VerifiedPackage",
    "assemble_volumes",
    "check_entries",
    "copy_entries",
    "copy_entry",
    "read_entry",
    "read_manifest_bytes",
    "staged_entries",
    "verify_package",
    "volume_name",
    "write_package",
    "write_sealed_package",
]
