"""A TCP relay between a desktop and the test server that a test can cut or silence.

``cut()`` closes every connection and refuses new ones (a network gone, a server down);
``silence()`` keeps accepting and reading but never answers (a server or middlebox that
hangs); ``restore()`` relays again on the same port. ``round_trips`` counts the times the
server answered after a client had sent something: a client that waits for each answer
before sending on adds one per wait.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading


class Relay:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.mode = "relay"
        self.round_trips = 0
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._listening = threading.Condition(self._lock)  # a listener is made, or a stop
        self._listen()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        sock.settimeout(0.1)
        with self._listening:
            self._listener = sock
            self._listening.notify_all()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            with self._listening:  # cut: wait for restore() or close()
                self._listening.wait_for(lambda: self._listener is not None or self._stop.is_set())
                listener = self._listener
            if listener is None:
                continue
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self._socks.append(client)
                mode = self.mode
            if mode == "silence":
                threading.Thread(target=self._swallow, args=(client,), daemon=True).start()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks.append(upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _swallow(self, client: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while client.recv(65536):
                pass

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        sel = selectors.DefaultSelector()
        sel.register(a, selectors.EVENT_READ, b)
        sel.register(b, selectors.EVENT_READ, a)
        client_spoke = False
        try:
            while not self._stop.is_set():
                for key, _ in sel.select(0.1):
                    if self.mode == "silence":
                        continue  # read nothing more, answer nothing
                    source = key.fileobj
                    assert isinstance(source, socket.socket)
                    data = source.recv(65536)
                    if not data:
                        return
                    if source is a:
                        client_spoke = True
                    elif client_spoke:
                        client_spoke = False
                        with self._lock:
                            self.round_trips += 1
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            sel.close()
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.close()

    def _close_all(self) -> None:
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()

    def cut(self) -> None:
        """Drop every connection and refuse new ones."""
        self.mode = "cut"
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        self._close_all()

    def silence(self) -> None:
        """Accept and read, never answer (connections open now go quiet too)."""
        self.mode = "silence"

    def restore(self) -> None:
        """Relay again (new connections; silenced ones stay dead)."""
        if self.mode == "silence":
            self._close_all()
        self.mode = "relay"
        if self._listener is None:
            self._listen()

    def close(self) -> None:
        self._stop.set()
        self.cut()
        with self._listening:
            self._listening.notify_all()
