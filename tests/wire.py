"""A loopback HTTP server that answers like Yahoo Finance and FRED, and the one piece of
glue that points the real yfinance library at it.

Recorded responses live in ``tests/data/wire/`` in each service's real wire format (the v8
chart JSON, fredgraph.csv, the FRED API's observations JSON); their values are synthetic.
Nothing of yfinance is faked: its own code builds the URLs, fetches cookie and crumb,
parses the JSON and raises its own errors. Only the transport is redirected — see
:class:`LoopbackSession`.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

WIRE = Path(__file__).resolve().parent / "data" / "wire"
NEW_YORK = ZoneInfo("America/New_York")


@dataclass(frozen=True, slots=True)
class Reply:
    """One canned HTTP answer."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()


#: Yahoo's rate-limit answer as its edge servers send it (text/plain, status 429).
TOO_MANY = Reply(429, b"Too Many Requests\r\n", "text/plain")


@dataclass
class Routes:
    """Path → replies, served in order (the last one repeats); every request is logged."""

    table: dict[str, list[Reply]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, *replies: Reply) -> None:
        self.table[path] = list(replies)

    def answer(self, path: str) -> Reply:
        with self.lock:
            self.log.append(path)
            route = urlsplit(path).path
            replies = self.table.get(route)
            if not replies:
                return Reply(404, b'{"error": "not recorded"}')
            return replies.pop(0) if len(replies) > 1 else replies[0]


def _handler(routes: Routes) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = routes.answer(self.path)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for key, value in reply.headers:
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def serve(routes: Routes) -> Iterator[str]:
    """Run a loopback server for ``routes``; yields its base URL ``http://127.0.0.1:PORT``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def loopback_session(base: str) -> Any:
    """A real curl_cffi Session whose every request goes to ``base`` instead of the host in
    the URL (path and query kept). yfinance accepts a session as a public argument
    (``Ticker(symbol, session=...)``) and sends all its traffic through it — chart,
    cookie (fc.yahoo.com) and crumb alike — so this is the whole redirection."""
    from curl_cffi import requests

    target = urlsplit(base)

    class LoopbackSession(requests.Session):  # type: ignore[misc]
        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            parts = urlsplit(url)
            local = urlunsplit((target.scheme, target.netloc, parts.path or "/", parts.query,
                                ""))
            return super().request(method, local, *args, **kwargs)

    return LoopbackSession()


# ---------------------------------------------------------------- recorded-format builders


def yahoo_chart(symbol: str, rows: Sequence[tuple[str, float, float]],
                *, tail: Callable[[dict[str, Any]], None] | None = None) -> bytes:
    """Yahoo's v8 chart answer (``/v8/finance/chart/SYMBOL``) for daily ``rows`` of
    (date, close, adjusted close): the same keys, nesting and timestamp convention as the
    service (each bar stamped at 09:30 New York, the session's open, in epoch seconds)."""
    stamps = [int(dt.datetime.combine(dt.date.fromisoformat(d), dt.time(9, 30),
                                      tzinfo=NEW_YORK).timestamp()) for d, _, _ in rows]
    closes = [c for _, c, _ in rows]
    adjusted = [a for _, _, a in rows]
    last = stamps[-1]
    period = {"timezone": "EST", "gmtoffset": -18000}
    body: dict[str, Any] = {"chart": {"result": [{
        "meta": {
            "currency": "USD", "symbol": symbol, "exchangeName": "PCX",
            "fullExchangeName": "NYSEArca", "instrumentType": "ETF",
            "firstTradeDate": stamps[0], "regularMarketTime": last + 23400,
            "hasPrePostMarketData": True, "gmtoffset": -18000, "timezone": "EST",
            "exchangeTimezoneName": "America/New_York", "regularMarketPrice": closes[-1],
            "fiftyTwoWeekHigh": max(closes), "fiftyTwoWeekLow": min(closes),
            "regularMarketDayHigh": closes[-1], "regularMarketDayLow": closes[-1],
            "regularMarketVolume": 1000000, "longName": f"{symbol} (synthetic)",
            "shortName": symbol, "chartPreviousClose": closes[0], "priceHint": 2,
            "currentTradingPeriod": {
                "pre": {**period, "start": last - 19800, "end": last},
                "regular": {**period, "start": last, "end": last + 23400},
                "post": {**period, "start": last + 23400, "end": last + 37800},
            },
            "dataGranularity": "1d", "range": "max",
            "validRanges": ["1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y",
                            "ytd", "max"],
        },
        "timestamp": stamps,
        "indicators": {
            "quote": [{"open": closes, "high": closes, "low": closes, "close": closes,
                       "volume": [1000000] * len(rows)}],
            "adjclose": [{"adjclose": adjusted}],
        },
    }], "error": None}}
    if tail:
        tail(body)
    return json.dumps(body, separators=(",", ":")).encode()


def yahoo_not_found(symbol: str) -> Reply:
    """Yahoo's answer for an unknown symbol (HTTP 404 with a chart error object)."""
    body = {"chart": {"result": None, "error": {
        "code": "Not Found", "description": f"No data found, symbol may be delisted ({symbol})"}}}
    return Reply(404, json.dumps(body).encode())


def yahoo_routes(charts: dict[str, list[Reply]]) -> Routes:
    """Routes for yfinance's whole conversation: cookie, crumb, then one chart per symbol."""
    routes = Routes()
    # fc.yahoo.com answers 404 with the A3 cookie; getcrumb answers the crumb as text.
    routes.add("/", Reply(404, b"", "text/html",
                          (("Set-Cookie", "A3=d=synthetic; Path=/; Domain=127.0.0.1"),)))
    routes.add("/v1/test/getcrumb", Reply(200, b"synthetic-crumb", "text/plain"))
    for symbol, replies in charts.items():
        routes.add(f"/v8/finance/chart/{symbol}", *replies)
    return routes


def fredgraph_csv(series: str, rows: Sequence[tuple[str, str]]) -> bytes:
    """FRED's ``fredgraph.csv`` download: ``observation_date,SERIES``, an empty value for a
    day without one (the format since 2024; older files said ``DATE`` and ``.``)."""
    lines = [f"observation_date,{series}", *(f"{d},{v}" for d, v in rows)]
    return ("\n".join(lines) + "\n").encode()


def fred_observations(rows: Sequence[tuple[str, str]]) -> bytes:
    """The FRED API's ``fred/series/observations`` JSON (``"."`` for a missing value)."""
    body = {
        "realtime_start": "2026-11-23", "realtime_end": "2026-11-23",
        "observation_start": "1600-01-01", "observation_end": "9999-12-31",
        "units": "lin", "output_type": 1, "file_type": "json", "order_by": "observation_date",
        "sort_order": "asc", "count": len(rows), "offset": 0, "limit": 100000,
        "observations": [{"realtime_start": "2026-11-23", "realtime_end": "2026-11-23",
                          "date": d, "value": v} for d, v in rows],
    }
    return json.dumps(body).encode()


def fred_error(status: int, message: str) -> Reply:
    """The FRED API's error answer, e.g. 400 for a bad key, 429 past its rate limit."""
    return Reply(status, json.dumps({"error_code": status, "error_message": message}).encode())
