"""Sends N HTTP GETs, each on a new connection, and prints one JSON list of results.

Runs inside the client namespace: `ip netns exec <ns> python3 http_probe.py URL N`.
Each result is {"status": int, "body": str} or {"error": str}.
"""

import http.client
import json
import sys
from urllib.parse import urlsplit


def main() -> None:
    url, count = sys.argv[1], int(sys.argv[2])
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    parts = urlsplit(url)
    results = []
    for _ in range(count):
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
        try:
            conn.request("GET", parts.path or "/", headers={"Connection": "close"})
            resp = conn.getresponse()
            results.append({"status": resp.status, "body": resp.read().decode(errors="replace").strip()})
        except Exception as exc:  # noqa: BLE001 (every failure is a result here)
            results.append({"error": repr(exc)})
        finally:
            conn.close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
