"""DKIM signing cost per message: syndicate's signer against dkimpy's, same messages.

Signs ``--messages`` real digest messages (one per subscriber: To, Message-ID and the
unsubscribe link differ, as in a run) with

* ``syndicate.deliver.dkim.DkimSigner`` (RSA-2048, relaxed/simple, OpenSSL), and
* ``dkim.sign`` (dkimpy 1.1, the same key and canonicalisation), on a sample,

and verifies a sample of ours with dkimpy. Reports medians of ``--runs`` runs: ms per
message for each and their ratio measured in the same run, plus OpenSSL's bare
RSA-2048 signature on the same machine (the floor any signer pays).

Usage: python bench/dkim_sign.py [--runs 5] [--messages 2000] [--dkimpy-sample 200]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dkim
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from syndicate.deliver.dkim import DkimSigner
from syndicate.deliver.message import MessageFactory

KEY = (ROOT / "tests" / "data" / "dkim" / "test-only.key").read_bytes()
RECORD = (ROOT / "tests" / "data" / "dkim" / "test-only.txt").read_bytes().strip()
PARAGRAPH = ("<p dir=\"rtl\" style=\"margin:0 0 12px;font-size:16px\">يرى الكاتب أن أسواق "
             "الطاقة في الخليج تمر بمرحلة انتقالية <a href=\"https://alwaha.example/opinion/"
             "%d\">اقرأ المقال</a></p>\n")


def messages(n: int) -> list[bytes]:
    """``n`` digest-sized messages (~50 KiB, base64 HTML + text), one per subscriber."""
    factory = MessageFactory(sender="الواحة <digest@alwaha.example>",
                             date=datetime(2025, 9, 14, 4, tzinfo=UTC),
                             list_id="<daily.alwaha.example>", list_title="نشرة الواحة")
    html = "<html dir=\"rtl\" lang=\"ar\"><body>" + "".join(
        PARAGRAPH % i for i in range(220)) + "</body></html>"
    text = "\n".join(f"مقال الرأي رقم {i}: الطاقة والخليج" for i in range(300))
    return [factory.build(to=f"r{i}@example.org", to_name=f"قارئ {i}",
                          subject="الخليج والتحالفات الجديدة وسبعة مقالات أخرى",
                          text=text + f"\nhttps://alwaha.example/unsubscribe/{i}",
                          html=html.replace("</body>", f"<a href=\"/u/{i}\">u</a></body>"),
                          message_id=f"<{i}.daily@alwaha.example>",
                          unsubscribe_url=f"https://alwaha.example/unsubscribe/{i}").data
            for i in range(n)]


def per_message_ms(sign: object, batch: list[bytes]) -> float:
    started = time.perf_counter()
    for data in batch:
        sign(data)  # type: ignore[operator]
    return (time.perf_counter() - started) / len(batch) * 1000


def bare_rsa_ms(n: int) -> float:
    key = serialization.load_pem_private_key(KEY, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    digests = [hashlib.sha256(b"%d" % i).digest() for i in range(n)]
    started = time.perf_counter()
    for digest in digests:
        key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    return (time.perf_counter() - started) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--dkimpy-sample", type=int, default=200)
    args = parser.parse_args()
    batch = messages(args.messages)
    signer = DkimSigner(b"digest2025", b"alwaha.example", KEY)
    for data in batch[:50]:  # every signature we measure must also be a valid one
        assert dkim.verify(signer.sign(data), dnsfunc=lambda name, timeout=5: RECORD)

    def with_dkimpy(data: bytes) -> bytes:
        return bytes(dkim.sign(data, b"digest2025", b"alwaha.example", KEY,
                               canonicalize=(b"relaxed", b"simple")))

    ours, theirs, ratios, bare = [], [], [], []
    for run in range(args.runs):
        ours.append(per_message_ms(signer.sign, batch))
        theirs.append(per_message_ms(with_dkimpy, batch[:args.dkimpy_sample]))
        ratios.append(theirs[-1] / ours[-1])
        bare.append(bare_rsa_ms(args.messages))
        print(f"run {run + 1}: syndicate {ours[-1]:.3f} ms/message, dkimpy "
              f"{theirs[-1]:.3f} ms/message ({ratios[-1]:.1f}x), bare RSA-2048 "
              f"{bare[-1]:.3f} ms ({len(batch[0]) / 1024:.0f} KiB messages)", flush=True)
    result = {
        "syndicate_sign_ms_per_message": round(statistics.median(ours), 3),
        "syndicate_signed_messages_per_s": round(1000 / statistics.median(ours), 1),
        "dkimpy_sign_ms_per_message": round(statistics.median(theirs), 3),
        "speedup_vs_dkimpy": round(statistics.median(ratios), 1),
        "bare_rsa2048_sign_ms": round(statistics.median(bare), 3),
        "message_bytes": len(batch[0]),
        "messages": args.messages,
        "runs": args.runs,
    }
    print(f"medians of {args.runs} runs")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
