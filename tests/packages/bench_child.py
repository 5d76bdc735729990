"""Child process of the timing test: one export or one verify+import, measured in a fresh interpreter.

    python -m tests.packages.bench_child export KEYS_DIR EVIDENCE_DIR OUT
    python -m tests.packages.bench_child import ROOT_PEM PACKAGE STORE_DIR

Prints JSON: seconds (from before the package library is imported), peak RSS in MB.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    started = time.perf_counter()
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from app.packages import EntrySource, Signer, TrustAnchors, copy_entries, verify_package, write_package

    mode, a, b, c = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    if mode == "export":
        signer = Signer(x509.load_pem_x509_certificate((a / "cert.pem").read_bytes()),
                        load_pem_private_key((a / "key.pem").read_bytes(), None),
                        tuple(x509.load_pem_x509_certificates((a / "chain.pem").read_bytes())))
        entries = [EntrySource(f"evidence/{p.stem}.pdf", p) for p in sorted(b.glob("*.pdf"))]
        entries.append(EntrySource("data/values.json", b'{"1.1": 5}'))
        write_package(c, {"format": "dti-package/1", "created_at": "2024-05-06T07:08:09+07:00"}, entries, signer)
    else:
        anchors = TrustAnchors(roots=(x509.load_pem_x509_certificate(a.read_bytes()),))
        verified = verify_package(b, anchors, check_entries=False)   # an import hashes while copying
        copy_entries(verified, {name: c / name for name in verified.entries})
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


if __name__ == "__main__":
    main()
