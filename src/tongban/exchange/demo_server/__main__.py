"""``python -m tongban.exchange.demo_server [--host 127.0.0.1] [--port 8801]`` (no Django needed)."""

from __future__ import annotations

import argparse
import sys

from tongban.exchange.demo_server.server import make_demo_server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Tongban demo department-systems server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8801)
    args = parser.parse_args(argv)
    running = make_demo_server(args.host, args.port)
    sys.stdout.write(f"demo department systems on {running.url}\n")
    sys.stdout.flush()
    try:
        running.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        running.server.server_close()


if __name__ == "__main__":
    main()
