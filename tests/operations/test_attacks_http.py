"""A real `passback serve` against slow, idle, malformed and aborted connections, on loopback,
and how it starts and stops when things go wrong."""

from __future__ import annotations

import signal
import socket
import time
import urllib.request
from pathlib import Path

from tests.operations.target import raw_request, start_target
from tests.polling import eventually_blocking

PASTE = b"PUT for ONEROSTER:Result[result/results] for s7731905 failed"
# Limits shorter than the defaults (10 s idle, 5 s body), so the tests do not wait them out;
# idle stays long enough that the attacker's idle connections are surely still open, on a busy
# machine too, when the test checks the cap.
IDLE_SECONDS, BODY_SECONDS = 5, 1
SHORT_LIMITS = {
    "PASSBACK_HTTP_IDLE_SECONDS": str(IDLE_SECONDS),
    "PASSBACK_HTTP_BODY_SECONDS": str(BODY_SECONDS),
}


def _closed_within(connection: socket.socket, seconds: float) -> bytes | None:
    """The server's answer, or b"" when it closed the connection without one; None when
    neither happened within `seconds`."""
    connection.settimeout(0.5)
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = connection.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
        if b"\r\n\r\n" in received:
            return received
    return None


def _hung_up_within(connection: socket.socket, seconds: float) -> bool:
    """Whether the server closed the connection within `seconds`, whatever it sent first."""
    connection.settimeout(0.5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if not connection.recv(65536):
                return True
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True
    return False


def _healthy(port: int) -> bool:
    try:
        return _healthz(port) == 200
    except OSError:  # 503 over the cap (HTTPError is an OSError)
        return False


def _healthz(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return response.status


def test_slow_bodies_and_idle_connections_are_cut_and_cannot_exhaust_descriptors(
    tmp_path: Path,
) -> None:
    served = start_target(tmp_path, SHORT_LIMITS, descriptors=200).ready_blocking()  # a cap of 50
    idle: list[socket.socket] = []
    slow = socket.create_connection(("127.0.0.1", served.port))
    try:
        slow.sendall(
            b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        idle = [socket.create_connection(("127.0.0.1", served.port)) for _ in range(200)]
        over = b""
        for _ in range(10):  # once the server has worked through its accept queue
            over = raw_request(served.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 1)
            if over:
                break
        assert over.startswith(b"HTTP/1.1 503"), over[:100]  # refused at once, not hanging
        answer = _closed_within(slow, BODY_SECONDS + 5)
        assert answer is not None and b" 408 " in answer.split(b"\r\n")[0]
        assert _hung_up_within(slow, 5)  # not 10 s more spent reading the rest of its body
        for connection in idle[:5]:
            assert _closed_within(connection, IDLE_SECONDS + 5) is not None
        for connection in idle:
            connection.close()
        eventually_blocking(lambda: _healthy(served.port))  # once the attacker lets go
    finally:
        for connection in [*idle, slow]:
            connection.close()
        served.stop_blocking()
    lines = served.err.splitlines()
    assert len(lines) < 40, lines[-5:]  # a warning or two, not a traceback per accept
    assert "Traceback" not in served.err


def test_a_malformed_request_or_aborted_upload_is_one_line_without_its_bytes(
    tmp_path: Path,
) -> None:
    served = start_target(tmp_path, {}).ready_blocking()
    try:
        bad_chunk = (
            b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n" + PASTE + b"\r\n0\r\n\r\n"
        )
        assert b" 400 " in raw_request(served.port, bad_chunk).split(b"\r\n")[0]
        raw_request(
            served.port, b"GET /" + PASTE.replace(b" ", b"%20") + b" HTTP/1.1\r\n\x00\r\n\r\n"
        )
        with socket.create_connection(("127.0.0.1", served.port)) as aborted:
            aborted.sendall(
                b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 5000\r\n\r\n" + PASTE
            )
            time.sleep(0.3)
        time.sleep(0.5)
        assert _healthz(served.port) == 200
    finally:
        served.stop_blocking()
    assert "Traceback" not in served.err
    assert "ONEROSTER" not in served.err and "s7731905" not in served.err
    assert '"level": "ERROR"' not in served.err


def test_sigterm_with_a_half_sent_request_is_not_a_500(tmp_path: Path) -> None:
    served = start_target(tmp_path, SHORT_LIMITS).ready_blocking()
    try:
        with socket.create_connection(("127.0.0.1", served.port)) as half:
            half.sendall(
                b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 5000\r\n\r\n{"
            )
            time.sleep(0.3)  # the server is reading the body when the signal comes
            served.process.send_signal(signal.SIGTERM)
            assert served.exited_blocking(30) == 0
    finally:
        served.stop_blocking()
    assert "POST /api/messages 500" not in served.err, served.err
    assert "Traceback" not in served.err


def test_a_broken_database_stops_start_up_at_once_with_exit_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "passback.sqlite3").write_bytes(b"this is not a database" * 100)
    served = start_target(tmp_path / "run", {"PASSBACK_DATA_DIR": str(data)})
    try:
        code = served.exited_blocking(30)  # it used to wait forever on aiosqlite's thread
    finally:
        served.stop_blocking()
    assert code == 1
    assert "passback is running" not in served.out + served.err
    assert "database" in served.err
    assert "Traceback" not in served.err and "Exception in thread" not in served.err


def test_a_database_path_that_cannot_exist_exits_1_without_thread_noise(tmp_path: Path) -> None:
    served = start_target(tmp_path, {"PASSBACK_DATABASE_URL": "sqlite:////proc/passback.sqlite3"})
    try:
        code = served.exited_blocking(30)
    finally:
        served.stop_blocking()
    assert code == 1
    assert "Exception in thread" not in served.err and "Event loop is closed" not in served.err
    assert "passback is running" not in served.out + served.err


def test_a_taken_port_is_said_without_the_running_banner(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        served = start_target(tmp_path, {"PORT": str(port)})
        try:
            code = served.exited_blocking(30)
        finally:
            served.stop_blocking()
    assert code == 1
    assert "passback is running" not in served.out + served.err
    assert f"cannot listen on 127.0.0.1:{port}" in served.err
