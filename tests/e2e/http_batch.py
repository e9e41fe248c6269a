"""Runs a batch of HTTP requests from inside a client namespace and prints one JSON answer.

`ip netns exec <ns> python3 http_batch.py '<json list of specs>'`; each spec:
  {"host": ip, "port": 80, "path": "/", "method": "GET", "headers": {}, "count": 1,
   "source": ip to bind (optional), "tls": false, "cookie_jar": false, "timeout": 5,
   TLS only: "cert"/"key" (client certificate), "tls_max" (e.g. "TLSv1_2"), "ciphers" (OpenSSL list)}
Every request uses a new connection. With cookie_jar, cookies set by answers are sent on the
spec's later requests. The output has one list per spec; each result is
{"status", "headers" (lower-case names), "body"} (TLS: also "cipher") or {"error"}.
"""

import http.client
import json
import ssl
import sys
from http.cookies import SimpleCookie


def tls_context(spec: dict) -> ssl.SSLContext | None:
    if not spec.get("tls"):
        return None
    context = ssl._create_unverified_context()  # noqa: S323 (test certificates)
    if spec.get("cert"):
        context.load_cert_chain(spec["cert"], spec["key"])
    if spec.get("tls_max"):
        context.maximum_version = getattr(ssl.TLSVersion, spec["tls_max"])
    if spec.get("ciphers"):
        context.set_ciphers(spec["ciphers"])
    return context


def run(spec: dict) -> list[dict]:
    results = []
    jar: dict[str, str] = {}
    context = tls_context(spec)
    for _ in range(spec.get("count", 1)):
        port, timeout = spec.get("port", 443 if context else 80), spec.get("timeout", 5)
        source = (spec["source"], 0) if spec.get("source") else None
        if context:
            conn = http.client.HTTPSConnection(spec["host"], port, timeout=timeout, source_address=source,
                                               context=context)
        else:
            conn = http.client.HTTPConnection(spec["host"], port, timeout=timeout, source_address=source)
        headers = {"Connection": "close", **spec.get("headers", {})}
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        try:
            conn.request(spec.get("method", "GET"), spec.get("path", "/"), headers=headers)
            cipher = conn.sock.cipher()[0] if context else None  # the socket is gone once the answer is read
            resp = conn.getresponse()
            answer = {"status": resp.status, "headers": {k.lower(): v for k, v in resp.getheaders()},
                      "body": resp.read().decode(errors="replace").strip()}
            if cipher:
                answer["cipher"] = cipher
            if spec.get("cookie_jar"):
                for value in resp.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(value).items():
                        jar[name] = morsel.value
            results.append(answer)
        except Exception as exc:  # noqa: BLE001 (every failure is a result here)
            results.append({"error": repr(exc)})
        finally:
            conn.close()
    return results


def main() -> None:
    print(json.dumps([run(spec) for spec in json.loads(sys.argv[1])]))


if __name__ == "__main__":
    main()
