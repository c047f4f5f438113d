"""``evalcheck serve``: a local page where a clerk picks or drops report files and sees the same
HTML report as ``--format html`` — for people who never open a terminal.

Built on the standard library's :mod:`http.server`: the page needs two routes and one form,
and a server stack as a dependency would weigh on every install of the command-line tool for
nothing the few lines below do not do.  What keeps it safe is ours either way:

* it listens on 127.0.0.1 only (no option widens it);
* a request whose ``Host`` (or, for a form, ``Origin``) is not this server on loopback is
  refused — a web page elsewhere cannot reach it through a name that resolves to 127.0.0.1;
* an upload larger than the limit is refused from its ``Content-Length``, before it is read;
* uploads are read into memory and checked from there (as ``evalcheck -`` reads standard
  input): nothing is written to disk, so nothing can land outside a temporary folder;
* every page carries a Content-Security-Policy that allows no request to leave it.

Each upload is checked by a fresh :class:`~evalcheck.runner.run.Run` with the configuration of
the folder the server was started in, as ``evalcheck check`` would check a file there.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
import threading
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..engine.pack import builtin_rules_dir
from ..inputs.escape import file_name, markup
from ..inputs.source import LoadError
from ..settings import OptionError, Options
from .configured import Resolver
from .rules import RunError
from .run import Run, RunOptions

__all__ = ["MAX_FILES", "MAX_UPLOAD_BYTES", "SUFFIXES", "Refused", "Server", "check", "uploads"]

HOST = "127.0.0.1"
MAX_UPLOAD_BYTES = 32 * 1024 * 1024  # one request's body, every file together
MAX_FILES = 200  # files in one upload
SUFFIXES = (".docx", ".xlsx", ".pdf", ".html", ".htm", ".txt", ".json", ".yaml", ".yml")
# A refused body this size or smaller is read and dropped, so that the browser shows the
# error page instead of a reset connection; a larger one is cut off.
_DRAIN_BYTES = 256 * 1024 * 1024
_TIMEOUT_SECONDS = 60  # a connection that stops sending is dropped

_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:46rem;margin:3rem auto;
padding:0 1rem;color:#1f2328;line-height:1.6}
h1{font-size:1.5rem}
form{border:2px dashed #8c959f;border-radius:8px;padding:2rem;text-align:center;background:#f6f8fa}
input[type=file]{margin:1rem 0;font-size:1rem}
button{font-size:1rem;padding:.4rem 1.6rem}
.note{color:#57606a;font-size:.9rem}
.error{border-left:4px solid #cf222e;background:#ffebe9;padding:.8rem 1rem}
""".strip()


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_POLICY = (
    f"default-src 'none'; style-src {_hash(_STYLE)}; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


def _page(body: str, limit: int) -> bytes:
    accept = ",".join(SUFFIXES)
    kinds = "、".join(s.lstrip(".") for s in SUFFIXES if s not in (".htm", ".yml"))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="referrer" content="same-origin">'  # the form's POST then says its Origin
        "<title>evalcheck 检查绩效自评报告</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<h1>检查绩效自评报告</h1>"
        f"{body}"
        '<form method="post" action="/check" enctype="multipart/form-data">'
        "<p>把报告文件拖到下面，或点“选择文件”（可多选）：</p>"
        f'<input type="file" name="files" multiple required accept="{accept}"><br>'
        "<button type=submit>检查</button>"
        f'<p class="note">可检查 {kinds} 文件，一次合计不超过 {_megabytes(limit)}。'
        "文件只在本机检查，不会上传到任何地方，也不会保存。</p>"
        "</form></body></html>\n"
    ).encode()


def _error(message: str, limit: int) -> bytes:
    return _page(f'<p class="error" role="alert">{markup(message)}</p>', limit)


class Refused(Exception):
    """A request refused with a status and a one-line Chinese reason."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _unique(name: str, taken: set[str]) -> str:
    stem, suffix = os.path.splitext(name)
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    taken.add(candidate)
    return candidate


def uploads(content_type: str, body: bytes) -> dict[str, bytes]:
    """The files of a ``multipart/form-data`` body, by their base names (made unique)."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise Refused(HTTPStatus.BAD_REQUEST, "请通过页面上的表单上传文件")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(_class=EmailMessage, policy=HTTP).parsebytes(head + body)
    files: dict[str, bytes] = {}
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_filename()
        if not name:
            continue
        if len(files) == MAX_FILES:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"一次最多检查 {MAX_FILES} 个文件")
        base = os.path.basename(name.replace("\\", "/")).strip() or "report"
        if not base.lower().endswith(SUFFIXES):
            kinds = "、".join(SUFFIXES)
            raise Refused(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"不能检查 {file_name(base)}：只能检查 {kinds} 文件",
            )
        data = part.get_payload(decode=True)
        files[_unique(base, set(files))] = data if isinstance(data, bytes) else b""
    if not files:
        raise Refused(HTTPStatus.BAD_REQUEST, "没有收到文件：请先选择要检查的报告")
    return files


def check(files: dict[str, bytes], options: Options) -> str:
    """The HTML report of the uploaded files, checked with the working folder's configuration."""
    run = Run(
        Resolver(options, builtin_rules_dir()),
        RunOptions(uploads=tuple(files.items())),
    )
    try:
        run.prepare(list(files))
        page = io.StringIO()
        run.write(page, io.StringIO())
    except (RunError, OptionError) as exc:  # the configuration changed and no longer works
        raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, exc.message) from None
    except LoadError as exc:
        raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"{exc.file}：{exc.message}") from None
    # A way back to the form, the one link of the page that leaves it.
    return page.getvalue().replace(
        "<body>", '<body><nav class="back"><a href="/">← 检查其他文件</a></nav>', 1
    )


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, options: Options, limit: int = MAX_UPLOAD_BYTES) -> None:
        self.options = options
        self.limit = limit
        self.lock = threading.Lock()  # one check at a time: two cores, one clerk
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def open_browser(self) -> None:
        """The page in the user's browser; in a thread, so that a console browser that runs
        in the foreground does not hold the server up."""
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(self.url,), daemon=True).start()

    def hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"{HOST}:{port}", f"localhost:{port}"}


class _Handler(BaseHTTPRequestHandler):
    server: Server
    server_version = "evalcheck"
    sys_version = ""
    timeout = _TIMEOUT_SECONDS
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a clerk's terminal is not a server log

    def _send(self, status: HTTPStatus, body: bytes, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("X-Frame-Options", "DENY")
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, refused: Refused, close: bool = False) -> None:
        self._send(refused.status, _error(refused.message, self.server.limit), close)

    def _host_checked(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.hosts():
            shown = file_name(host) if host else "（未给出）"
            self._refuse(
                Refused(
                    HTTPStatus.MISDIRECTED_REQUEST,
                    f"拒绝访问：请求的主机 {shown} 不是本机的 evalcheck（请打开 {self.server.url}）",
                ),
                close=True,
            )
            return False
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower().rstrip("/") != f"http://{host}":
            self._refuse(
                Refused(HTTPStatus.FORBIDDEN, "拒绝访问：上传只能来自本机 evalcheck 的页面"),
                close=True,
            )
            return False
        return True

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_checked():
            return
        if self.path == "/favicon.ico":  # the browser asks; there is none, and that is fine
            self.send_response(HTTPStatus.NO_CONTENT)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.split("?")[0] != "/":
            self._refuse(Refused(HTTPStatus.NOT_FOUND, "没有这个页面"))
            return
        self._send(HTTPStatus.OK, _page("", self.server.limit))

    def do_POST(self) -> None:
        if not self._host_checked():
            return
        if self.path.split("?")[0] != "/check":
            self._refuse(Refused(HTTPStatus.NOT_FOUND, "没有这个页面"), close=True)
            return
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self._refuse(Refused(HTTPStatus.LENGTH_REQUIRED, "上传请求缺少长度"), close=True)
            return
        limit = self.server.limit
        if length > limit or length < 0:
            with contextlib.suppress(OSError):
                self._drain(length)
            message = (
                f"上传的文件太大：共 {_megabytes(length)}，超过了 {_megabytes(limit)} 的上限。"
                "请分几次上传，或在命令行中用 evalcheck 检查。"
            )
            self._refuse(Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, message), close=True)
            return
        body = self.rfile.read(length)
        try:
            files = uploads(self.headers.get("Content-Type", ""), body)
            with self.server.lock:
                page = check(files, self.server.options)
        except Refused as refused:
            self._refuse(refused)
            return
        self._send(HTTPStatus.OK, page.encode("utf-8"))

    def _drain(self, length: int) -> None:
        if not 0 < length <= _DRAIN_BYTES:
            return
        left = length
        while left:
            chunk = self.rfile.read(min(left, 1 << 20))
            if not chunk:
                return
            left -= len(chunk)
