#!/usr/bin/env python3
"""Publishes COUNT ~60-byte JSON messages to bench/compare as fast as the broker reads them.

Usage: publish.py PORT QOS COUNT; prints the wall-clock time (ns) at which the first PUBLISH goes out.
MQTT 3.1.1 on a raw socket: every PUBLISH is prepared first and written in large chunks, so the publisher
is never what limits the subscribers being compared. At QoS 1 it waits for every PUBACK before disconnecting (the broker has then taken every message).
"""
import socket
import struct
import sys
import threading
import time

TOPIC = b"bench/compare"


def remaining_length(n):
    out = bytearray()
    while True:
        digit, n = n % 128, n // 128
        out.append(digit | 0x80 if n else digit)
        if not n:
            return bytes(out)


def payload(i):
    return ('{"sensor":"cellar-%02d","seq":%d,"temp":%.1f,"hum":%.1f,"ok":true}'
            % (i % 17, i, 15 + (i % 100) / 10, 40 + (i % 50) / 10)).encode()


def publish_packet(i, qos):
    body = struct.pack("!H", len(TOPIC)) + TOPIC
    if qos:
        body += struct.pack("!H", i % 65535 + 1)
    body += payload(i)
    return bytes([0x30 | (qos << 1)]) + remaining_length(len(body)) + body


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise IOError("broker closed the connection")
        data += chunk
    return data


def main():
    port, qos, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    stream = b"".join(publish_packet(i, qos) for i in range(count))
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client_id = b"compare-publisher"
    variable = b"\x00\x04MQTT\x04\x02\x00\x3c" + struct.pack("!H", len(client_id)) + client_id
    sock.sendall(b"\x10" + remaining_length(len(variable)) + variable)
    if read_exact(sock, 4) != b"\x20\x02\x00\x00":
        raise IOError("CONNECT refused")

    acks = threading.Thread(target=lambda: read_exact(sock, 4 * count)) if qos else None
    if acks:
        acks.start()
    print(time.time_ns(), flush=True)
    for at in range(0, len(stream), 256 * 1024):
        sock.sendall(stream[at:at + 256 * 1024])
    if acks:
        acks.join()
    sock.sendall(b"\xe0\x00")
    sock.close()


if __name__ == "__main__":
    main()
