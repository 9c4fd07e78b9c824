"""A light RFC 6455 WebSocket client on asyncio Protocols.

Hand-written framing so the load generator costs far less CPU than the server it
measures: client frames use an all-zero mask key (allowed by RFC 6455; XOR with
zero leaves the payload unchanged), no extensions are offered (so no
permessage-deflate), and one subprotocol is requested.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
ZERO_MASK = b"\x00\x00\x00\x00"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
MAX_HANDSHAKE = 65536
RECV_BUFFER = 16384


class HandshakeError(Exception):
    """The server did not upgrade the connection the way we asked."""


def encode_frame(payload: bytes, opcode: int = OP_TEXT) -> bytes:
    """One final, masked (zero key) client frame."""
    n = len(payload)
    b0 = 0x80 | opcode
    if n < 126:
        header = bytes((b0, 0x80 | n))
    elif n < 65536:
        header = bytes((b0, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        header = bytes((b0, 0x80 | 127)) + n.to_bytes(8, "big")
    return header + ZERO_MASK + payload


class WSClient(asyncio.BufferedProtocol):
    """Subclasses override on_open() and on_message(payload: bytes)."""

    subprotocol = "ocpp1.6"

    def __init__(self, host: str, port: int, path: str) -> None:
        loop = asyncio.get_running_loop()
        self.host, self.port, self.path = host, port, path
        self.transport: asyncio.Transport | None = None
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.is_open = False
        self.closing = False
        self.we_closed = False  # the close was started by us (not by the server)
        self.close_code: int | None = None
        self.close_reason = ""
        self.negotiated: str | None = None
        self._rb = bytearray(RECV_BUFFER)
        self._rlen = 0
        self._frag: bytearray | None = None
        self._accept = b""

    # -- asyncio.BufferedProtocol -------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        key = base64.b64encode(os.urandom(16))
        self._accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        request = (
            f"GET {self.path} HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key.decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {self.subprotocol}\r\n"
            "\r\n"
        )
        transport.write(request.encode())

    def get_buffer(self, sizehint: int) -> memoryview:
        if len(self._rb) - self._rlen < 4096:  # grow by copying: exports forbid resizing
            bigger = bytearray(len(self._rb) * 2)
            bigger[: self._rlen] = self._rb[: self._rlen]
            self._rb = bigger
        return memoryview(self._rb)[self._rlen :]

    def buffer_updated(self, nbytes: int) -> None:
        self._rlen += nbytes
        buf, n, pos = self._rb, self._rlen, 0
        if not self.is_open:
            pos = self._handshake(buf, n)
            if pos < 0:
                return
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length, hl = b1 & 0x7F, 2
            if length == 126:
                if n - pos < 4:
                    break
                length, hl = int.from_bytes(buf[pos + 2 : pos + 4], "big"), 4
            elif length == 127:
                if n - pos < 10:
                    break
                length, hl = int.from_bytes(buf[pos + 2 : pos + 10], "big"), 10
            if b1 & 0x80:  # servers must not mask (RFC 6455 5.1)
                self.fail(1002, "masked frame from server")
                return
            end = pos + hl + length
            if end > n:
                if end > len(buf):  # a big frame: make room for all of it
                    bigger = bytearray(end + 4096)
                    bigger[: n - pos] = buf[pos:n]
                    self._rb, self._rlen = bigger, n - pos
                    return
                break
            payload = buf[pos + hl : end]  # a copy; orjson reads bytearrays
            pos = end
            self._frame(b0 & 0x80, b0 & 0x0F, payload)
            if self.transport is None:
                return
        if pos:  # same-length slice assignment: no resize, allowed while exported
            rest = n - pos
            if rest:
                buf[:rest] = buf[pos:n]
            self._rlen = rest

    def connection_lost(self, exc: Exception | None) -> None:
        was_open = self.is_open
        self.is_open = False
        self.transport = None
        if not self.opened.done():
            self.opened.set_exception(HandshakeError(f"connection lost during handshake: {exc!r}"))
        if not self.closed.done():
            self.closed.set_result(None)
        if was_open:
            self.on_lost(exc)

    # -- handshake / frames ------------------------------------------------
    def _handshake(self, buf: bytearray, n: int) -> int:
        """Offset after the HTTP response, or -1 (incomplete or failed)."""
        idx = buf.find(b"\r\n\r\n", 0, n)
        if idx < 0:
            if n > MAX_HANDSHAKE:
                self._handshake_failed("oversized handshake response")
            return -1
        head = bytes(buf[:idx]).decode("latin-1")
        body = bytes(buf[idx + 4 : min(n, idx + 204)])
        lines = head.split("\r\n")
        parts = lines[0].split(" ", 2)
        status = parts[1] if len(parts) > 1 else "?"
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if status != "101":
            self._handshake_failed(f"HTTP {status} {lines[0][12:40]!r} {body[:80]!r}")
            return -1
        if headers.get("sec-websocket-accept", "").encode() != self._accept:
            self._handshake_failed("bad Sec-WebSocket-Accept")
            return -1
        if headers.get("sec-websocket-extensions"):
            self._handshake_failed(f"unrequested extension {headers['sec-websocket-extensions']}")
            return -1
        self.negotiated = headers.get("sec-websocket-protocol")
        if self.negotiated != self.subprotocol:
            self._handshake_failed(f"subprotocol {self.negotiated!r} != {self.subprotocol!r}")
            return -1
        self.is_open = True
        self.opened.set_result(None)
        self.on_open()
        return idx + 4

    def _handshake_failed(self, why: str) -> None:
        if not self.opened.done():
            self.opened.set_exception(HandshakeError(why))
        if self.transport is not None:
            self.transport.close()

    def _frame(self, fin: int, opcode: int, payload: bytes) -> None:
        if opcode in (OP_TEXT, OP_BINARY):
            if fin:
                self.on_message(payload)
            else:
                self._frag = bytearray(payload)
        elif opcode == OP_CONT:
            if self._frag is None:
                self.fail(1002, "continuation without start")
                return
            self._frag += payload
            if fin:
                data, self._frag = bytes(self._frag), None
                self.on_message(data)
        elif opcode == OP_PING:
            self._write(encode_frame(payload, OP_PONG))
        elif opcode == OP_CLOSE:
            if len(payload) >= 2:
                self.close_code = int.from_bytes(payload[:2], "big")
                self.close_reason = payload[2:].decode("utf-8", "replace")
            else:
                self.close_code = 1005
            if not self.closing:
                self.closing = True
                self._write(encode_frame(payload[:2], OP_CLOSE))
            if self.transport is not None:
                self.transport.close()

    def _write(self, data: bytes) -> None:
        if self.transport is not None:
            self.transport.write(data)

    # -- API ----------------------------------------------------------------
    def send_text(self, payload: bytes) -> None:
        self._write(encode_frame(payload, OP_TEXT))

    def fail(self, code: int, reason: str) -> None:
        self.close_code, self.close_reason = code, reason
        self.start_close(code)
        self.we_closed = False  # counts as a lost connection: the server broke the protocol
        if self.transport is not None:
            self.transport.close()

    def start_close(self, code: int = 1000) -> None:
        if not self.closing:
            self.we_closed = True
        if self.is_open and not self.closing:
            self.closing = True
            self._write(encode_frame(code.to_bytes(2, "big"), OP_CLOSE))

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    # -- hooks --------------------------------------------------------------
    def on_open(self) -> None:
        pass

    def on_message(self, payload: bytes) -> None:
        pass

    def on_lost(self, exc: Exception | None) -> None:
        pass
