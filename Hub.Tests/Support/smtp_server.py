#!/usr/bin/python3
"""A real SMTP server for the hub's tests (Debian's python3-aiosmtpd).

Saves each accepted message as DIR/NNNN.json ({"peer", "mail_from", "rcpt_tos", "content" (base64)})
and prints "READY" once it listens. Python's own e-mail parser decodes each message too
("headers": [[name, raw value]], "subject": decoded, "parts": [{"type", "charset", "cte", "text"}]),
so the tests check the hub's MIME against an independent reader. Recipients whose local part starts with "refuse" are refused
with "550 5.1.1 <addr>: mailbox unavailable (refused by test server)", those starting with "busy" with
"450 4.2.0 <addr>: greylisted, try again later (test server)"; after a message to a local
part starting with "drop" the server closes the connection (as an idle timeout would).
"""
import argparse
import base64
import email
import email.policy
import json
import os
import signal
import ssl
import sys
import asyncio
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class SavingHandler:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].startswith("refuse"):
            return f"550 5.1.1 <{address}>: mailbox unavailable (refused by test server)"
        if address.split("@")[0].startswith("busy"):
            return f"450 4.2.0 <{address}>: greylisted, try again later (test server)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.directory, f"{self.count:04d}.json")
        content = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        record = {
            "peer": f"{session.peer[0]}:{session.peer[1]}",
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "content": base64.b64encode(content).decode("ascii"),
            "headers": [[k, str(v)] for k, v in email.message_from_bytes(content, policy=email.policy.compat32).items()],
            "subject": str(parsed["Subject"]),
            "parts": [part_record(p) for p in parsed.walk() if not p.is_multipart()],
            "multiparts": [p.get_content_type() for p in parsed.walk() if p.is_multipart()],
            "defects": [str(d) for p in parsed.walk() for d in p.defects],
        }
        with open(name + ".tmp", "w") as f:
            json.dump(record, f)
        os.replace(name + ".tmp", name)  # readers never see half a file
        if any(r.split("@")[0].startswith("drop") for r in envelope.rcpt_tos):
            # Runs after the reply below is written: the client sees 250, then the connection closes.
            asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 OK: queued"


def part_record(p):
    """A leaf part: type, charset, transfer encoding, decoded text (text parts) or base64 of the decoded bytes."""
    record = {"type": p.get_content_type(), "charset": p.get_content_charset(), "cte": p.get("Content-Transfer-Encoding"),
              "content_id": p.get("Content-ID"), "disposition": p.get_content_disposition(), "filename": p.get_filename()}
    if p.get_content_maintype() == "text":
        record["text"] = p.get_content().replace("\r\n", "\n")
    else:
        record["text"] = ""
        record["data"] = base64.b64encode(p.get_payload(decode=True) or b"").decode("ascii")
    return record


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--starttls", action="store_true", help="offer STARTTLS and require it")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (port 465 style)")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--exclude-auth", action="append", default=[], help="an AUTH mechanism not to offer")
    parser.add_argument("--smtputf8", action="store_true", help="offer SMTPUTF8 (internationalised addresses)")
    args = parser.parse_args()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user and auth_data.password.decode() == args.password
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd sends the 535 itself

    kwargs = {"enable_SMTPUTF8": args.smtputf8}
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    if args.starttls:
        kwargs.update(tls_context=context, require_starttls=True)
    if args.user:
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=args.starttls)  # aiosmtpd 1.4 only counts STARTTLS as TLS
        if args.exclude_auth:
            kwargs.update(auth_exclude_mechanism=args.exclude_auth)

    controller = Controller(
        SavingHandler(args.dir), hostname="127.0.0.1", port=args.port,
        ssl_context=context if args.implicit_tls else None, **kwargs)
    controller.start()
    print("READY", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        # Exit with the test process: stdin closes when the fixture goes away.
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
        stop.wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
