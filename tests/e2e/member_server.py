"""A pool member: answers every GET/HEAD with its own name. Runs inside a member namespace.

Extra endpoints for the data-plane tests (every answer closes the connection):
  /echo                  JSON: name, method, path, request version, headers, PROXY header seen, peer,
                         and with --tls the connection's "tls": version, cipher, alpn, client_cn
  /slow?ms=N             waits N ms (at most 30 s), then answers the name
  /setcookie?name=&value=  answers the name with `Set-Cookie: name=value`
  /hc...                 health-check path: answers the status set by /control/health (200 at start)
                         and remembers the request for /control/last-check
  /control/health?code=N[&delay_ms=D] sets the /hc status (and a delay before it answers);
                         /control/last-check returns the last /hc request

--proxy accepts an optional PROXY protocol v1 or v2 header on each connection (HAProxy's health
checks send none); --tls CERT KEY serves HTTPS (after the PROXY header, as HAProxy sends them),
restricted by --tls-max (e.g. TLSv1_2), --ciphers (TLS <= 1.2 list), --alpn (offered protocols)
and --client-ca (a client certificate from that CA is required).
"""

import argparse
import ipaddress
import json
import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PROXY_V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"


def recv_exact(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("connection closed inside the PROXY header")
        data += chunk
    return data


def read_proxy_header(sock: socket.socket) -> dict | None:
    """Consumes a PROXY v1/v2 header if the connection starts with one; returns what it says."""
    sock.settimeout(5)
    try:
        head = sock.recv(5, socket.MSG_PEEK | socket.MSG_WAITALL)
    except (socket.timeout, OSError):
        return None
    if head == b"PROXY":
        line = b""
        while not line.endswith(b"\r\n") and len(line) < 108:
            line += recv_exact(sock, 1)
        parts = line.decode().split()
        info = {"version": 1, "family": parts[1]}
        if len(parts) == 6:
            info.update(src=parts[2], dst=parts[3], src_port=int(parts[4]), dst_port=int(parts[5]))
        return info
    if head == PROXY_V2_SIGNATURE[:5]:
        header = recv_exact(sock, 16)
        if header[:12] != PROXY_V2_SIGNATURE:
            raise ConnectionError("bad PROXY v2 signature")
        ver_cmd, family, length = header[12], header[13], struct.unpack("!H", header[14:16])[0]
        body = recv_exact(sock, length)
        info: dict = {"version": 2, "command": "PROXY" if ver_cmd & 0x0F == 1 else "LOCAL", "family": family}
        if family == 0x11:
            src, dst, sport, dport = struct.unpack("!4s4sHH", body[:12])
            info.update(src=str(ipaddress.IPv4Address(src)), dst=str(ipaddress.IPv4Address(dst)),
                        src_port=sport, dst_port=dport)
        elif family == 0x21:
            src, dst, sport, dport = struct.unpack("!16s16sHH", body[:36])
            info.update(src=str(ipaddress.IPv6Address(src)), dst=str(ipaddress.IPv6Address(dst)),
                        src_port=sport, dst_port=dport)
        return info
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", type=int, default=80)
    parser.add_argument("--proxy", action="store_true", help="accept a PROXY v1/v2 header")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS")
    parser.add_argument("--tls-max", help="highest TLS version, ssl.TLSVersion name")
    parser.add_argument("--ciphers", help="OpenSSL cipher list for TLS <= 1.2")
    parser.add_argument("--alpn", help="comma-separated ALPN protocols to accept")
    parser.add_argument("--client-ca", help="require a client certificate issued by this CA")
    args = parser.parse_args()
    body = (args.name + "\n").encode()
    state = {"health": 200, "health_delay_ms": 0, "last_check": None}
    lock = threading.Lock()
    tls = None
    if args.tls:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(*args.tls)
        if args.tls_max:
            tls.maximum_version = getattr(ssl.TLSVersion, args.tls_max)
        if args.ciphers:
            tls.set_ciphers(args.ciphers)
        if args.alpn:
            tls.set_alpn_protocols(args.alpn.split(","))
        if args.client_ca:
            tls.load_verify_locations(args.client_ca)
            tls.verify_mode = ssl.CERT_REQUIRED

    class Handler(BaseHTTPRequestHandler):
        proxy_info: dict | None = None

        def setup(self) -> None:
            if args.proxy:
                self.proxy_info = read_proxy_header(self.request)
            if tls is not None:
                self.request.settimeout(5)
                self.request = tls.wrap_socket(self.request, server_side=True)
            self.request.settimeout(35)
            super().setup()

        def _send(self, status: int, payload: bytes, with_body: bool = True, extra: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if with_body:
                self.wfile.write(payload)

        def _answer(self, with_body: bool) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/echo":
                info = {"name": args.name, "method": self.command, "path": self.path,
                        "version": self.request_version, "headers": dict(self.headers.items()),
                        "proxy": self.proxy_info, "peer": self.client_address[0]}
                if isinstance(self.request, ssl.SSLSocket):
                    peer = self.request.getpeercert() or {}
                    subject = dict(x[0] for x in peer.get("subject", ()))
                    info["tls"] = {"version": self.request.version(), "cipher": self.request.cipher()[0],
                                   "alpn": self.request.selected_alpn_protocol(),
                                   "client_cn": subject.get("commonName")}
                self._send(200, json.dumps(info).encode(), with_body)
            elif url.path == "/slow":
                time.sleep(min(int(query.get("ms", "1000")), 30000) / 1000)
                self._send(200, body, with_body)
            elif url.path == "/setcookie":
                cookie = f"{query.get('name', 'c')}={query.get('value', args.name)}; Path=/"
                self._send(200, body, with_body, {"Set-Cookie": cookie})
            elif url.path.startswith("/hc"):
                with lock:
                    state["last_check"] = {"method": self.command, "path": self.path,
                                           "version": self.request_version, "host": self.headers.get("Host")}
                    code, delay = state["health"], state["health_delay_ms"]
                time.sleep(min(delay, 30000) / 1000)
                self._send(code, body, with_body)
            elif url.path == "/control/health":
                with lock:
                    state["health"] = int(query.get("code", "200"))
                    state["health_delay_ms"] = int(query.get("delay_ms", "0"))
                self._send(200, body, with_body)
            elif url.path == "/control/last-check":
                with lock:
                    payload = json.dumps(state["last_check"]).encode()
                self._send(200, payload, with_body)
            else:
                self._send(200, body, with_body)

        def do_GET(self) -> None:  # noqa: N802 (http.server naming)
            self._answer(True)

        def do_POST(self) -> None:  # noqa: N802
            self._answer(True)

        def do_PUT(self) -> None:  # noqa: N802
            self._answer(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

        def do_OPTIONS(self) -> None:  # noqa: N802
            self._answer(False)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    class Server(ThreadingHTTPServer):
        allow_reuse_address = True
        daemon_threads = True
        request_queue_size = 256

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # health checks and TLS hellos that hang up early are normal here

    Server((args.bind, args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
