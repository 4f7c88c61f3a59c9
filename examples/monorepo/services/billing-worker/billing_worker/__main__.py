"""Entry point: ``python -m billing_worker`` or the ``billing-worker`` script."""

import asyncio
import os
import signal

from billing_worker.consumer import consume_forever


async def _serve() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    worker = asyncio.create_task(asyncio.to_thread(consume_forever, os.environ["AMQP_URL"]))
    await stop.wait()
    worker.cancel()


def main() -> None:
    asyncio.run(_serve())


if __name__ == "__main__":
    main()
