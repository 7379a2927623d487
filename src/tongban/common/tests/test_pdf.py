"""The shared PDF renderer: Chinese text with the Noto CJK fonts, attachments, and no fetching at all."""

from __future__ import annotations

import io
import socket
from typing import Any

from pypdf import PdfReader

from tongban.common.public import pdf


def test_chinese_text_renders_in_noto_cjk_and_reads_back() -> None:
    document = pdf.html_to_pdf('<html lang="zh-Hans"><head><title>回执</title></head><body><h1>受理回执</h1></body>')
    reader = PdfReader(io.BytesIO(document))
    assert "受理回执" in reader.pages[0].extract_text()
    assert reader.metadata is not None and reader.metadata.title == "回执"
    resources: Any = reader.pages[0]["/Resources"]
    fonts = {str(font.get_object()["/BaseFont"]) for font in resources["/Font"].values()}
    assert fonts and all("CJK-SC" in name for name in fonts), fonts
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)  # A4


def test_attachments_are_embedded() -> None:
    document = pdf.html_to_pdf(
        "<p>附件</p>", attachments=[pdf.PdfAttachment(name="证照.json", content='{"名称":"张三"}'.encode())]
    )
    assert PdfReader(io.BytesIO(document)).attachments["证照.json"] == ['{"名称":"张三"}'.encode()]


def test_nothing_is_fetched_neither_network_nor_files() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    port = listener.getsockname()[1]
    urls = [
        f"http://127.0.0.1:{port}/style.css",
        f"http://127.0.0.1:{port}/logo.png",
        f"https://127.0.0.1:{port}/font.woff2",
        "file:///etc/hostname",
    ]
    html = (
        f'<html><head><link rel="stylesheet" href="{urls[0]}">'
        f'<style>@font-face {{ font-family: x; src: url("{urls[2]}") }}</style></head>'
        f'<body><img src="{urls[1]}"><img src="{urls[3]}"><p style="font-family: x">仍然生成</p>'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%222%22 height=%222%22/%3E">'
        "</body></html>"
    )
    fetcher = pdf.OfflineFetcher()
    try:
        document = pdf.html_to_pdf(html, fetcher=fetcher)
        try:
            listener.accept()
            connected = True
        except BlockingIOError:
            connected = False
    finally:
        listener.close()
    assert not connected
    assert sorted(fetcher.refused) == sorted(urls)  # refused, and the inline data: picture was served
    assert "仍然生成" in PdfReader(io.BytesIO(document)).pages[0].extract_text()


def test_qr_svg_is_inline_svg() -> None:
    svg = pdf.qr_svg("https://zwfw.example.gov.cn/cases/status/abc/")
    assert svg.startswith("<svg") and "<path" in svg and "<image" not in svg
