"""A round can ask for encrypted packages and for a token signature (issue 19), and the units learn it from the
round file: `dti round open --ask-encryption yes --ask-token-signature yes`, `dti round ask`, the manifest's
optional `asks`, `dti round accept` saying what the round asks, `dti round list [--json]` showing it, and the
unit's `dti package export` warning when it signs without the token a round asks for.

The chain of tests/cli/test_rounds.py: a province TP, a district H1 with its commune X1, a district S1; 2024 done."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from app.services import rounds
from app.services.workspace import Workspace
from tests.cli.test_rounds import PASS, Chain, chain, listing, refused  # noqa: F401
from tests.services.chainkit import repack
from tests.services.hostile import state

BOTH = {"encryption": True, "token_signature": True}
NONE = {"encryption": False, "token_signature": False}
WARNING_EN = "warning: the authority requires a token signature in this round"
WARNING_VI = "lưu ý: cơ quan nhận yêu cầu chữ ký số token cho đợt này"


def manifest_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read("manifest.json"))


def asks_listed(ch: Chain, capsys, data: str) -> dict[str, dict]:
    return {r["id"]: r["asks"] for r in ch.json(capsys, data, "round", "list")["rounds"]}


def ask_rows(ch: Chain, data: str) -> list[tuple[str, str]]:
    with sqlite3.connect(ch.work / data / "dti.sqlite3") as con:
        return con.execute("SELECT key, value FROM setting WHERE key LIKE 'round-ask-%' ORDER BY key").fetchall()


def signer_of(data: Path):
    """The province's own signer: a file re-signed with it passes the signature, only its content is checked."""
    from app.packages import Signer
    from app.services.trust_service import identity
    from app.trust import keys

    with Workspace(data, write=False) as ws:
        ident = identity(ws)
        cert, pem = ident.signing
        return Signer(cert, keys.decrypt_key(pem, PASS), tuple(ident.chain_for(cert)))


def in_workspace(ch: Chain, data: str, round_id: str | None = None):
    return Workspace(ch.work / data, write=False, round_id=round_id)


def open_asking(ch: Chain, capsys, *asks: str, out: str = "r25.dtiround") -> str:
    """The province opens small-2025 asking `asks` and writes its round file; what `round open` printed."""
    ch.ok("prov", "framework", "import", ch.file("fw25.dti.yaml"))
    ch.ok("prov", "round", "open", "small-2025", "--deadline", "2025-10-31", *asks)
    said = capsys.readouterr().out
    ch.ok("prov", "round", "export", "--out", ch.file(out))
    return said


def test_a_round_asking_both_travels_to_every_unit_and_the_export_warns(chain: Chain, capsys):  # noqa: F811
    said = open_asking(chain, capsys, "--ask-encryption", "yes", "--ask-token-signature", "yes")
    assert "The round asks for: encrypted packages, a token signature" in said
    assert asks_listed(chain, capsys, "prov") == {"small-2024": NONE, "small-2025": BOTH}
    capsys.readouterr()
    chain.ok("prov", "round", "list")
    assert "[asks: encrypted packages, a token signature]" in capsys.readouterr().out
    assert manifest_of(chain.file("r25.dtiround"))["asks"] == BOTH
    assert manifest_of(chain.file("r25.dtiround"))["format"] == "dti-round/1"

    # a dry run says what the round asks and stores nothing
    before = listing(chain.work / "S1")
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"), "--dry-run")
    out = capsys.readouterr().out
    assert "dry run" in out and "The round asks for: encrypted packages, a token signature" in out
    assert listing(chain.work / "S1") == before
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"))
    out = capsys.readouterr().out
    assert "accepted, now the current round" in out
    assert "The round asks for: encrypted packages, a token signature" in out
    assert asks_listed(chain, capsys, "S1") == {"small-2024": NONE, "small-2025": BOTH}
    assert ask_rows(chain, "S1") == [("round-ask-encryption:small-2025", "yes"), ("round-ask-token:small-2025", "yes")]
    with in_workspace(chain, "S1") as ws:
        assert rounds.asked_encryption(ws) and rounds.asked_token_signature(ws)
    with in_workspace(chain, "S1", "small-2024") as ws:    # the earlier round asked nothing
        assert not rounds.asked_encryption(ws) and not rounds.asked_token_signature(ws)
    with in_workspace(chain, "S1") as ws:
        assert not rounds.asked_token_signature(ws, "small-2024")
    # the same file again: nothing to do, and it still says what the round asks
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"))
    out = capsys.readouterr().out
    assert "nothing to do" in out and "The round asks for" in out

    # the district passes the asks on to its commune
    chain.ok("H1", "round", "accept", chain.file("r25.dtiround"))
    chain.ok("H1", "round", "export", "--out", chain.file("r25-H1.dtiround"))
    assert "The round asks for: encrypted packages, a token signature" in capsys.readouterr().out
    assert manifest_of(chain.file("r25-H1.dtiround"))["asks"] == BOTH
    chain.ok("X1", "round", "accept", chain.file("r25-H1.dtiround"))
    assert asks_listed(chain, capsys, "X1")["small-2025"] == BOTH

    # the unit's export without the token: written, then one warning line in the interface's language
    chain.ok("S1", "entry", "set", "1.1", "40")
    capsys.readouterr()
    chain.ok("S1", "package", "export", "--no-encrypt", "--out", chain.file("S1-2025.dtipkg"))
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "token" in line]
    assert len(warnings) == 1 and warnings[0].startswith(WARNING_EN) and "--token" in warnings[0], err
    assert chain.file("S1-2025.dtipkg").is_file()
    assert main_vi(chain, "S1", "package", "export", "--no-encrypt", "--out", chain.file("S1-2025-r2.dtipkg")) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "token" in line]
    assert len(warnings) == 1 and warnings[0].startswith(WARNING_VI), err
    # the earlier round asks nothing: no warning
    chain.ok("S1", "package", "export", "--out", chain.file("S1-2024-r2.dtipkg"), round_id="small-2024")
    assert "token" not in capsys.readouterr().err


def main_vi(ch: Chain, data: str, *args: object) -> int:
    from app.cli.main import main

    ch.capsys.readouterr()
    return main(["--data-dir", str(ch.work / data), "--lang", "vi", "--passphrase-file", str(ch.passfile),
                 *map(str, args)])


def test_the_units_export_is_encrypted_by_default_in_a_round_that_asks(chain: Chain, capsys):  # noqa: F811
    from app.packages import envelope

    open_asking(chain, capsys, "--ask-encryption", "yes")
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"))
    chain.ok("S1", "package", "export", "--out", chain.file("S1-2025.dtipkg"))
    assert envelope.is_enveloped(chain.file("S1-2025.dtipkg").read_bytes()[:32])
    chain.ok("S1", "package", "export", "--no-encrypt", "--out", chain.file("S1-2025-plain.dtipkg"))
    assert chain.file("S1-2025-plain.dtipkg").read_bytes().startswith(b"PK")
    chain.ok("S1", "package", "export", "--out", chain.file("S1-2024-r2.dtipkg"), round_id="small-2024")
    assert chain.file("S1-2024-r2.dtipkg").read_bytes().startswith(b"PK")     # 2024 asked nothing


def test_the_province_refuses_a_package_without_the_token_signature_its_round_asks(chain: Chain, capsys):  # noqa: F811
    open_asking(chain, capsys, "--ask-token-signature", "yes")
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"))
    chain.ok("S1", "entry", "set", "1.1", "40")
    chain.ok("S1", "package", "export", "--no-encrypt", "--out", chain.file("S1-2025.dtipkg"))
    chain.ok("S1", "package", "export", "--no-encrypt", "--out", chain.file("S1-2024-r2.dtipkg"), round_id="small-2024")
    before = listing(chain.work / "prov")
    refused(capsys, chain.run("prov", "package", "import", chain.file("S1-2025.dtipkg")), "(round small-2025 asks for it)")
    assert listing(chain.work / "prov") == before
    # 2024 asked nothing; its revision 2 imports while 2025 is in effect (the summary of changes reads 2024)
    chain.ok("prov", "package", "import", chain.file("S1-2024-r2.dtipkg"))


def test_round_ask_changes_the_round_in_effect_and_a_newer_file_replaces_the_asks(chain: Chain, capsys):  # noqa: F811
    open_asking(chain, capsys, "--ask-encryption", "yes", "--ask-token-signature", "yes")
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"))
    capsys.readouterr()
    chain.ok("prov", "round", "ask")                       # without options: what it asks, nothing changed
    assert "small-2025 (2025): The round asks for: encrypted packages, a token signature" in capsys.readouterr().out
    chain.ok("prov", "round", "ask", "--encryption", "no")
    assert "The round asks for: a token signature" in capsys.readouterr().out
    assert asks_listed(chain, capsys, "prov")["small-2025"] == {"encryption": False, "token_signature": True}
    # the earlier round, chosen with --round: it can ask too; the current one is untouched
    chain.ok("prov", "round", "ask", "--encryption", "yes", round_id="small-2024")
    assert asks_listed(chain, capsys, "prov") == {"small-2024": {"encryption": True, "token_signature": False},
                                                  "small-2025": {"encryption": False, "token_signature": True}}
    chain.ok("prov", "round", "ask", "--encryption", "no", round_id="small-2024")
    with sqlite3.connect(chain.work / "prov" / "dti.sqlite3") as con:
        audited = con.execute("SELECT code, old, new FROM audit WHERE action = 'round.ask' ORDER BY id").fetchall()
    assert audited == [("small-2025", "nothing", "encryption token-signature"),
                       ("small-2025", "encryption token-signature", "token-signature"),
                       ("small-2024", "nothing", "encryption"), ("small-2024", "encryption", "nothing")]
    # re-opening the same round keeps what it asks unless told otherwise
    chain.ok("prov", "round", "open", "small-2025")
    assert asks_listed(chain, capsys, "prov")["small-2025"] == {"encryption": False, "token_signature": True}

    chain.ok("prov", "round", "export", "--out", chain.file("r25-b.dtiround"))
    assert manifest_of(chain.file("r25-b.dtiround"))["asks"] == {"encryption": False, "token_signature": True}
    chain.ok("S1", "round", "accept", chain.file("r25-b.dtiround"))
    assert asks_listed(chain, capsys, "S1")["small-2025"] == {"encryption": False, "token_signature": True}
    # nothing asked any more: the file is as earlier versions wrote it, and the unit's asks are gone
    chain.ok("prov", "round", "ask", "--token-signature", "no")
    assert "The round asks for nothing more" in capsys.readouterr().out
    chain.ok("prov", "round", "export", "--out", chain.file("r25-c.dtiround"))
    assert "asks" not in manifest_of(chain.file("r25-c.dtiround"))
    chain.ok("S1", "round", "accept", chain.file("r25-c.dtiround"))
    assert "asks" not in capsys.readouterr().out
    assert asks_listed(chain, capsys, "S1")["small-2025"] == NONE and ask_rows(chain, "S1") == []
    chain.ok("S1", "package", "export", "--out", chain.file("S1-2025.dtipkg"))
    assert "token" not in capsys.readouterr().err


def test_a_round_file_without_asks_is_accepted_as_before(chain: Chain, capsys):  # noqa: F811
    open_asking(chain, capsys)
    manifest = manifest_of(chain.file("r25.dtiround"))
    assert "asks" not in manifest and set(manifest) == {"format", "created_at", "from", "round", "framework", "units",
                                                        "entries"}
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"))
    out = capsys.readouterr().out
    assert "accepted" in out and "asks" not in out
    assert asks_listed(chain, capsys, "S1") == {"small-2024": NONE, "small-2025": NONE}
    assert ask_rows(chain, "S1") == []
    chain.ok("S1", "package", "export", "--out", chain.file("S1-2025.dtipkg"))
    assert "token" not in capsys.readouterr().err
    assert chain.file("S1-2025.dtipkg").read_bytes().startswith(b"PK")


def test_hostile_asks_are_refused_with_one_line_and_nothing_stored(chain: Chain, capsys, tmp_path: Path):  # noqa: F811
    chain.ok("prov", "framework", "import", chain.file("fw25.dti.yaml"))
    before = state(chain.work / "prov")
    for option, value in (("--ask-encryption", "maybe"), ("--ask-token-signature", "yes\x1b[31m"),
                          ("--ask-encryption", "")):
        err = refused(capsys, chain.run("prov", "round", "open", "small-2025", option, value), option, "yes or no")
        assert "\x1b" not in err
    assert state(chain.work / "prov") == before                     # not even the round was opened
    refused(capsys, chain.run("prov", "round", "open", "small-2025", "--deadline", "31/10/2025",
                              "--ask-encryption", "yes"), "YYYY-MM-DD")
    assert state(chain.work / "prov") == before
    chain.ok("prov", "round", "open", "small-2025", "--ask-encryption", "yes")
    before = state(chain.work / "prov")
    refused(capsys, chain.run("prov", "round", "ask", "--token-signature", "perhaps"), "--token-signature", "yes or no")
    assert state(chain.work / "prov") == before
    chain.ok("prov", "round", "export", "--out", chain.file("r25.dtiround"))

    # round files re-signed with the province's own key: only the check of `asks` stands in the way
    signer = signer_of(chain.work / "prov")
    for name, value, reason in (("text", "yes", "asks must be an object"),
                                ("number", {"encryption": 1}, "asks.encryption must be true or false"),
                                ("null-value", {"token_signature": None}, "asks.token_signature must be true or false"),
                                ("extra", {"encryption": True, "admin": True}, "unknown key 'admin'"),
                                ("list", [True], "asks must be an object"),
                                ("null", None, "asks must be an object"),
                                ("escape", {"\x1b[2J": True}, "unknown key")):
        forged = repack(chain.file("r25.dtiround"), tmp_path / f"{name}.dtiround", signer, manifest={"asks": value})
        for mode in ((), ("--dry-run",)):
            before = state(chain.work / "S1")
            err = refused(capsys, chain.run("S1", "round", "accept", *mode, forged), f"{name}.dtiround", reason)
            assert "\x1b" not in err
            assert state(chain.work / "S1") == before

    # a unit does not say what a round asks; nor does a district of a round it accepted
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"))
    chain.ok("H1", "round", "accept", chain.file("r25.dtiround"))
    for data, words in (("S1", ("only the authority that opened a round",)),
                        ("H1", ("came in a round file from TP", "travels with its round file"))):
        before = state(chain.work / data)
        refused(capsys, chain.run(data, "round", "ask", "--encryption", "no"), *words)
        assert state(chain.work / data) == before
