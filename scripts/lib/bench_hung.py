"""Hung dependencies for the benchmark: N local TCP listeners that accept every connection
and never read or write (the failure that hurts most in production). Writes the ports,
one per line, to PORTS_FILE once all listen, then serves until killed.
Usage: python3 bench_hung.py N PORTS_FILE
"""
import os
import selectors
import socket
import sys

selector = selectors.DefaultSelector()
held = []
ports = []
for _ in range(int(sys.argv[1])):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.setblocking(False)
    selector.register(listener, selectors.EVENT_READ)
    ports.append(listener.getsockname()[1])
with open(sys.argv[2] + ".tmp", "w") as handle:
    handle.write("".join(f"{port}\n" for port in ports))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
while True:
    for key, _ in selector.select():
        connection, _ = key.fileobj.accept()
        held.append(connection)  # kept open, never answered
