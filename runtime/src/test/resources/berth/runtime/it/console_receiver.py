#!/usr/bin/env python3
"""Console socket peer for the integration tests (what containerd-shim does with --console-socket).

Usage: console_receiver.py SOCKET_PATH [INPUT]

Listens on SOCKET_PATH, accepts one connection, receives the pty master over SCM_RIGHTS, optionally writes
INPUT to it, then copies everything the container prints to stdout until the slave side is closed (EIO).
Prints "fds=N" to stderr. Gives up after 20 seconds so a test can never hang on it.
"""
import os
import signal
import socket
import sys


def main():
    path = sys.argv[1]
    data_in = sys.argv[2].encode() if len(sys.argv) > 2 else b""
    signal.signal(signal.SIGALRM, lambda *_: (sys.stderr.write("console_receiver: timeout\n"), os._exit(3)))
    signal.alarm(20)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path + ".tmp")
    srv.listen(1)
    os.rename(path + ".tmp", path)  # the socket appears only once it is listening
    conn, _ = srv.accept()
    msg, fds, _flags, _addr = socket.recv_fds(conn, 4096, 4)
    conn.close()
    srv.close()
    sys.stderr.write("fds=%d name=%s\n" % (len(fds), msg.decode(errors="replace")))
    sys.stderr.flush()
    if not fds:
        return 2
    master = fds[0]
    for extra in fds[1:]:
        os.close(extra)
    if data_in:
        os.write(master, data_in)
    out = sys.stdout.buffer
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: every slave descriptor is closed
            break
        if not chunk:
            break
        out.write(chunk)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
