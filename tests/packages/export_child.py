"""Child process of the crash test: export one package from a directory of evidence, then print "done";
encrypted for KEYS_DIR/recipient.pem when that file exists.

    python -m tests.packages.export_child KEYS_DIR EVIDENCE_DIR OUT REVISION
"""

from __future__ import annotations

import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from app.packages import EntrySource, Signer, write_package, write_sealed_package


def main() -> None:
    keys, evidence, out, revision = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    signer = Signer(x509.load_pem_x509_certificate((keys / "cert.pem").read_bytes()),
                    load_pem_private_key((keys / "key.pem").read_bytes(), None),
                    tuple(x509.load_pem_x509_certificates((keys / "chain.pem").read_bytes())))
    entries = [EntrySource(f"evidence/{p.stem}.pdf", p) for p in sorted(evidence.glob("*.pdf"))]
    manifest = {"format": "dti-package/1", "created_at": "2024-05-06T07:08:09+07:00", "revision": revision}
    recipient = keys / "recipient.pem"
    print("start", flush=True)
    if recipient.exists():
        write_sealed_package(out, manifest, entries, signer, x509.load_pem_x509_certificate(recipient.read_bytes()))
    else:
        write_package(out, manifest, entries, signer)
    print("done", flush=True)


if __name__ == "__main__":
    main()
