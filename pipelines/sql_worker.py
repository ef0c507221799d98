"""A query worker of the SQL page: `python -m pipelines.sql_worker FD ADDRESS_SPACE_BYTES`, started by
pipelines.sqlconsole, never by hand.

It caps its own address space (RLIMIT_AS) once DuckDB and Arrow are imported, says it is ready, then answers
one request at a time on the socket FD: a pickled outcome and, for a result, its rows as an Arrow IPC stream.
A query that needs more memory ends in DuckDB's or Python's out-of-memory error (answered as such) or, at
worst, ends this process; a query past the time limit is interrupted here and, if that does not stop it,
the server kills this process.  Either way the server only loses a worker, and starts another.
"""

from __future__ import annotations

import pickle
import resource
import socket
import sys

from pipelines import sqlconsole

REQUEST_LIMIT = 16 * sqlconsole.MEGABYTE


def serve(channel: socket.socket) -> None:
    sqlconsole.send_frame(channel, pickle.dumps("ready"))
    while True:
        try:
            request = pickle.loads(sqlconsole.receive_frame(channel, REQUEST_LIMIT))
        except EOFError:
            return  # the server closed its end or exited
        try:
            outcome, rows = sqlconsole.execute(**request)
        except MemoryError:
            outcome, rows = sqlconsole.out_of_memory(), b""
        try:
            sqlconsole.send_frame(channel, pickle.dumps(outcome))
            if rows:
                sqlconsole.send_frame(channel, rows)
        except OSError:
            return  # the server gave up on this query and killed or left this worker


def main(argv: list[str]) -> None:
    fd, address_space = int(argv[0]), int(argv[1])
    sqlconsole.MEMORY_LIMIT = address_space  # the duckdb memory limit and the messages follow the server's
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    serve(socket.socket(fileno=fd))


if __name__ == "__main__":
    main(sys.argv[1:])
