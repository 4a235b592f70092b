#!/usr/bin/env python3
"""Hostile clients against the hub's embedded broker and mosquitto, each with its out-of-the-box settings.

Every scenario runs against a freshly started broker (so memory figures do not mix), raw sockets only. Prints a
markdown table: per scenario, what each broker did (connections left open, closed, refused) and how much its
resident memory (VmRSS) grew while the abuse was held. Run it through bench/broker-abuse.sh.
"""
import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"


# --- MQTT bytes -------------------------------------------------------------------------------------------------------
def remaining_length(n):
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def mqtt_string(text):
    data = text.encode()
    return len(data).to_bytes(2, "big") + data


def packet(header, body):
    return bytes([header]) + remaining_length(len(body)) + body


def connect(client_id, keep_alive=60):
    return packet(0x10, mqtt_string("MQTT") + bytes([4, 0x02]) + keep_alive.to_bytes(2, "big") + mqtt_string(client_id))


def subscribe(topic, qos=0):
    return packet(0x82, (1).to_bytes(2, "big") + mqtt_string(topic) + bytes([qos]))


def publish(topic, payload, qos=0, packet_id=1):
    body = mqtt_string(topic) + (packet_id.to_bytes(2, "big") if qos else b"") + payload
    return packet(0x30 | (qos << 1), body)


PINGREQ = bytes([0xC0, 0x00])


# --- processes and sockets --------------------------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wait_port(port, process, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"broker exited with {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(connect("abuse-probe"))
                s.settimeout(5)
                if s.recv(4)[:1] == b"\x20":
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no broker on port {port}")


class Broker:
    def __init__(self, kind, hub_dll, mosquitto, work):
        self.kind, self.port = kind, free_port()
        folder = tempfile.mkdtemp(dir=work)
        if kind == "hub":
            ini = os.path.join(folder, "hub.ini")
            with open(ini, "w") as f:
                f.write(f"[defaults]\nstate_dir = {folder}/state\n\n[broker]\nenabled = True\nlisten = {HOST}:{self.port}\n")
            command = ["dotnet", hub_dll, "run", "--config", ini]
        else:
            conf = os.path.join(folder, "mosquitto.conf")
            with open(conf, "w") as f:
                if os.getuid() == 0:
                    f.write("user root\n")
                f.write(f"listener {self.port} {HOST}\nallow_anonymous true\nlog_dest none\n")
            command = [mosquitto, "-c", conf]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.process)
        time.sleep(1)  # let start-up allocations settle before the baseline
        self.baseline = rss_mb(self.process.pid)

    def growth(self):
        return rss_mb(self.process.pid) - self.baseline

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def is_open(sock):
    """Reads whatever the broker sent; open when it is waiting for more, closed at end of stream or reset."""
    try:
        while sock.recv(65536, socket.MSG_DONTWAIT):
            pass
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False


def send_all_but_last(sock, header, total):
    """Sends the header then zeros up to total - 1 bytes; returns bytes sent before the broker closed (or stopped reading)."""
    sent = 0
    chunk = bytes(64 * 1024)
    sock.settimeout(5)
    try:
        sock.sendall(header)
        sent = len(header)
        while sent < total - 1:
            n = min(len(chunk), total - 1 - sent)
            sock.sendall(chunk[:n])
            sent += n
    except OSError:
        pass
    return sent


# --- scenarios: each returns the text for its cell ---------------------------------------------------------------------
def partial_packets(broker, header_byte, count=40, size=8 * 1024 * 1024):
    body = size - 1 - len(remaining_length(size))
    header = bytes([header_byte]) + remaining_length(body)
    sockets, sent = [], 0
    for _ in range(count):
        s = socket.create_connection((HOST, broker.port))
        sockets.append(s)
        sent += send_all_but_last(s, header, size)
    time.sleep(2)
    grown, still_open = broker.growth(), sum(is_open(s) for s in sockets)
    for s in sockets:
        s.close()
    return f"{still_open} of {count} open ({sent / 2**20:.0f} MB sent before the close), +{grown:.0f} MB"


def random_bytes(broker, count=200):
    rng = random.Random(20261122)
    sockets = []
    for _ in range(count):
        s = socket.create_connection((HOST, broker.port))
        try:
            s.sendall(bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 300))))
        except OSError:
            pass
        sockets.append(s)
    time.sleep(2)
    still_open = sum(is_open(s) for s in sockets)
    for s in sockets:
        s.close()
    return f"{still_open} of {count} left open"


def idle(broker, count=1000):
    sockets = [socket.create_connection((HOST, broker.port)) for _ in range(count)]
    time.sleep(2)
    grown = broker.growth()
    for s in sockets:
        s.close()
    return f"+{grown:.1f} MB"


def silent_until_closed(broker, cap=150):
    s = socket.create_connection((HOST, broker.port))
    start = time.time()
    s.settimeout(cap)
    try:
        while s.recv(1024):
            pass
        return f"closed after {time.time() - start:.0f} s"
    except socket.timeout:
        return f"still open after {cap} s"
    except OSError:
        return f"closed after {time.time() - start:.0f} s"
    finally:
        s.close()


def big_publish(broker, size):
    s = socket.create_connection((HOST, broker.port))
    s.settimeout(10)
    try:
        s.sendall(connect("abuse-big"))
        s.recv(4)
        s.sendall(publish("abuse/big", bytes(size)) + PINGREQ)
        reply = s.recv(2)
        return "accepted" if reply == b"\xd0\x00" else "connection closed"
    except OSError:
        return "connection closed"
    finally:
        s.close()


def stalled_subscriber(broker, messages=100_000, size=1024):
    sub = socket.socket()
    sub.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sub.connect((HOST, broker.port))
    sub.sendall(connect("abuse-stalled") + subscribe("abuse/flood/#"))
    time.sleep(0.5)
    pub = socket.create_connection((HOST, broker.port))
    pub.sendall(connect("abuse-flood"))
    pub.recv(4)
    one = publish("abuse/flood/t", bytes(size))
    batch = one * 1000
    for _ in range(messages // 1000):
        pub.sendall(batch)
    pub.sendall(PINGREQ)
    pub.settimeout(60)
    while not pub.recv(65536).endswith(b"\xd0\x00"):
        pass
    time.sleep(1)
    grown = broker.growth()
    sub.close()
    pub.close()
    return f"+{grown:.0f} MB"


def deaf_publisher(broker, seconds=10):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((HOST, broker.port))
    s.sendall(connect("abuse-deaf"))
    batch = b"".join(publish("x", b"", qos=1, packet_id=i % 65535 + 1) for i in range(10_000))
    s.settimeout(3)
    sent, deadline, outcome = 0, time.time() + seconds, "kept reading"
    try:
        while time.time() < deadline:
            s.sendall(batch)
            sent += 10_000
    except socket.timeout:
        outcome = "reading paused"
    except OSError:
        outcome = "connection closed"
    time.sleep(1)
    grown = broker.growth()
    s.close()
    return f"{sent / 1e6:.1f} M sent, {outcome}, +{grown:.0f} MB"


SCENARIOS = [
    ("40 connections, each all but the last byte of an 8 MB PUBLISH, no CONNECT", lambda b: partial_packets(b, 0x30)),
    ("40 connections, each all but the last byte of an 8 MB CONNECT", lambda b: partial_packets(b, 0x10)),
    ("200 connections of 1-300 random bytes", random_bytes),
    ("1,000 idle connections (no CONNECT)", idle),
    ("a 2 MB PUBLISH after CONNECT (defaults)", lambda b: big_publish(b, 2 * 1024 * 1024)),
    ("a 20 MB PUBLISH after CONNECT (defaults)", lambda b: big_publish(b, 20 * 1024 * 1024)),
    ("a subscriber that never reads, 100,000 QoS 0 messages of 1 KB", stalled_subscriber),
    ("a client sending QoS 1 PUBLISHes, never reading a PUBACK (10 s)", deaf_publisher),
]
SLOW = ("a connection that never sends a byte", silent_until_closed)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub-dll", required=True)
    parser.add_argument("--mosquitto", required=True)
    parser.add_argument("--only", help="substring of the scenarios to run")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="hub-broker-abuse.")
    rows = []
    scenarios = [s for s in SCENARIOS if not args.only or args.only in s[0]]
    for name, run in scenarios:
        cells = []
        for kind in ("hub", "mosquitto"):
            broker = Broker(kind, args.hub_dll, args.mosquitto, work)
            try:
                cell = run(broker)
                cell += "" if broker.alive() else ", BROKER DIED"
            finally:
                broker.stop()
            cells.append(cell)
            print(f"{kind:9} {name}: {cell}", file=sys.stderr, flush=True)
        rows.append((name, *cells))
    if not args.only or args.only in SLOW[0]:
        results = {}
        brokers = {kind: Broker(kind, args.hub_dll, args.mosquitto, work) for kind in ("hub", "mosquitto")}
        threads = [threading.Thread(target=lambda k=k: results.__setitem__(k, SLOW[1](brokers[k]))) for k in brokers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for b in brokers.values():
            b.stop()
        print(f"both      {SLOW[0]}: {results}", file=sys.stderr, flush=True)
        rows.append((SLOW[0], results["hub"], results["mosquitto"]))
    version = subprocess.run([args.mosquitto, "-h"], capture_output=True, text=True).stdout.splitlines()[0]
    print(f"Hostile clients, raw sockets, each broker with its defaults, a fresh broker per scenario; {os.cpu_count()} cores; {version}.")
    print("Memory: growth of the broker's VmRSS while the abuse is held.\n")
    print("| Scenario | hub | mosquitto |")
    print("|---|---|---|")
    for name, hub, mosquitto in rows:
        print(f"| {name} | {hub} | {mosquitto} |")


if __name__ == "__main__":
    main()
