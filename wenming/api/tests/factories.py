import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from wenming.api import services


def make_key(people, world, *, unit="chuanhui", scopes=("open311:write", "ledger:read",
                                                        "ledger:write"),
             name="市12345热线平台", **kwargs):
    """(key, token, webhook secret) made by the admin."""
    return services.create_key(people["admin"], name=name, owner_unit=world[unit],
                               scopes=list(scopes), **kwargs)


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class Hotline:
    """The integrator's side of a webhook: a real HTTP server on 127.0.0.1
    that keeps what it was sent and answers `status`."""

    def __init__(self, status=200):
        self.received, self.status = [], status
        hotline = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hotline.received.append((dict(self.headers), body))
                self.send_response(hotline.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/wenming/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def payloads(self):
        return [json.loads(body) for _, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
