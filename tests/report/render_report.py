#!/usr/bin/env python3
"""Renders the HTML reports of `plenary run` and `plenary compare` on scenarios/example.yaml
in headless Chromium and checks the
screenshot: a PNG of the window's size with enough drawn (non-white) pixels, among them the
report's Yes blue and No vermillion. Also checks that every inline <svg> is well-formed XML.
Only Python's standard library: the PNG is decoded with zlib.

Usage: render_report.py PLENARY SOURCE_DIR
Exit status 77 (ctest SKIP_RETURN_CODE) when Chromium is not installed and CI is not set;
under CI a missing browser is a failure.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

WIDTH, HEIGHT = 1200, 2400
SKIP = 77
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]


def find_browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def png_chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        yield kind, data[at + 8:at + 8 + length]
        at += 12 + length


def unfilter(raw, width, height, bpp):
    """Undoes the PNG scanline filters (None, Sub, Up, Average, Paeth) row by row."""
    stride = width * bpp
    rows, prev, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    return rows


def decode(path):
    """(width, height, rows of bytes, bytes per pixel) of an 8-bit RGB or RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    header, idat = None, b""
    for kind, body in png_chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError(f"unexpected PNG format: depth {depth}, colour type {colour}")
    bpp = 3 if colour == 2 else 4
    return width, height, unfilter(zlib.decompress(idat), width, height, bpp), bpp


def near(pixel, colour, tolerance=24):
    return all(abs(p - c) <= tolerance for p, c in zip(pixel, colour))


def check_svgs(html):
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    for svg in svgs:
        ET.fromstring(svg.replace("&nbsp;", " "))
    return len(svgs)


def main():
    plenary, source = sys.argv[1], sys.argv[2]
    browser = find_browser()
    if browser is None:
        if os.environ.get("CI"):
            print("FAIL: chromium is not installed (tools/install-deps --browser) and CI is set")
            return 1
        print("SKIP: chromium is not installed (tools/install-deps --browser)")
        return SKIP
    failures = []
    for name, args in (("run", ["run", "scenarios/example.yaml"]),
                       ("compare", ["compare", "scenarios/example.yaml", "scenarios/example.yaml",
                                    "--force", "BRA:GGE", "--replicates", "500"])):
        failures += [f"{name}: {m}" for m in render(plenary, source, browser, args)]
    for message in failures:
        print("FAIL:", message)
    return 1 if failures else 0


def render(plenary, source, browser, args):
    """Writes the report of `plenary ARGS --report`, renders it and returns the failures."""
    with tempfile.TemporaryDirectory() as tmp:
        report, shot = os.path.join(tmp, "report.html"), os.path.join(tmp, "report.png")
        subprocess.run([plenary, *args, "--quiet", "--report", report], cwd=source, check=True)
        with open(report, encoding="utf-8") as f:
            print(f"{args[0]}: {check_svgs(f.read())} inline SVG charts parse as XML")
        profile = os.path.join(tmp, "profile")
        subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}",
                        f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}",
                        "file://" + report], cwd=tmp, check=True, timeout=120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        width, height, rows, bpp = decode(shot)
    failures = []
    if (width, height) != (WIDTH, HEIGHT):
        failures.append(f"screenshot is {width}x{height}, expected {WIDTH}x{HEIGHT}")
    drawn = blue = vermillion = 0
    for row in rows:
        for x in range(0, len(row), bpp):
            pixel = row[x:x + 3]
            if min(pixel) < 235:
                drawn += 1
                blue += near(pixel, (0x00, 0x72, 0xB2))
                vermillion += near(pixel, (0xD5, 0x5E, 0x00))
    share = drawn / (width * height)
    print(f"{args[0]}: {width}x{height}, {share:.1%} drawn, {blue} Yes-blue and {vermillion} "
          "No-vermillion pixels")
    if share < 0.04:
        failures.append(f"only {share:.1%} of the pixels are drawn: a blank page?")
    if blue < 2000 or vermillion < 2000:
        failures.append("the charts' Yes blue or No vermillion is (nearly) missing")
    return failures


if __name__ == "__main__":
    sys.exit(main())
