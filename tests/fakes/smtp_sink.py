"""Just enough SMTP on loopback for Django's SMTP backend: accepts every message, keeps the
recipients of each (``server.received``, a list of lists) and nothing else. Used where the
production settings send real mail: the benchmark, the two-node trial and the fault tests.

    with SMTPSink() as sink:          # a free port, or SMTPSink(port=8805)
        ... EMAIL_PORT=sink.port ...
        assert ["awa@example.org"] in sink.received
"""

import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 cocity sink\r\n")
        in_data, recipients = False, []
        for line in self.rfile:
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    self.server.received.append(recipients)
                    recipients = []
                    self.wfile.write(b"250 kept\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"RCPT":
                recipients.append(line.decode().split("<", 1)[1].split(">", 1)[0])
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SMTPSink:
    """An SMTP sink serving in a daemon thread from ``start()`` (or ``with``) to ``stop()``."""

    def __init__(self, port=0):
        self.server = _Server(("127.0.0.1", port), _Handler)
        self.server.received = []
        self.port = self.server.server_address[1]

    @property
    def received(self):
        return self.server.received

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
