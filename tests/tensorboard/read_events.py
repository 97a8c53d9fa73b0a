"""Reads TensorBoard event files as TensorBoard does, with none of the code that wrote them, and prints what they hold
as JSON lines: {"file", "wall_time", "file_version"} for a file's version event, {"file", "step", "wall_time", "tag",
"value"} for a scalar, and for an image {"file", "step", "wall_time", "tag", "width", "height", "png_width",
"png_height", "png_bytes"}, where the png_ fields come from decoding the PNG itself.

    python3 tests/tensorboard/read_events.py FOLDER

Every record's framing is checked: the length's and the data's masked CRC32C. The Event and Summary messages are
parsed with classes that protoc (Debian's protobuf-compiler) generates here from TensorBoard's own .proto files, kept
in proto/ beside this script. A record that fails a check fails the script, naming the file and its offset; a record
cut short at a file's end is what a killed writer leaves, and ends that file, as in TensorBoard.
"""
import glob
import importlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

PROTO_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "proto")


def crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


TABLE = crc32c_table()


def masked_crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def compile_protos():
    if shutil.which("protoc") is None:
        sys.exit("protoc is missing; read_events.py needs it: apt-get install -y protobuf-compiler")
    out = tempfile.mkdtemp(prefix="tb-proto-")
    protos = sorted(glob.glob(os.path.join(PROTO_ROOT, "tensorboard", "compat", "proto", "*.proto")))
    subprocess.run(["protoc", f"--proto_path={PROTO_ROOT}", f"--python_out={out}", *protos], check=True)
    sys.path.insert(0, out)
    return importlib.import_module("tensorboard.compat.proto.event_pb2")


def records(path):
    data = open(path, "rb").read()
    offset = 0
    while offset < len(data):
        if len(data) - offset < 12:
            return
        header = data[offset:offset + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", data[offset + 8:offset + 12])
        if header_crc != masked_crc32c(header):
            sys.exit(f"{path}: the length's CRC at byte {offset} does not match")
        end = offset + 12 + length
        if end + 4 > len(data):
            return
        body = data[offset + 12:end]
        (body_crc,) = struct.unpack("<I", data[end:end + 4])
        if body_crc != masked_crc32c(body):
            sys.exit(f"{path}: the data's CRC of the record at byte {offset} does not match")
        yield body
        offset = end + 4


def png_size(png):
    """Decodes the PNG far enough to know it is whole: signature, chunk CRCs, IHDR, and the inflated pixel rows."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    offset, idat, width, height, channels = 8, b"", None, None, None
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset:offset + 4])
        kind = png[offset + 4:offset + 8]
        chunk = png[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length:offset + 12 + length])
        if zlib.crc32(kind + chunk) != crc:
            raise ValueError(f"chunk {kind} fails its CRC")
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour] * depth // 8
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    rows = zlib.decompress(idat)
    if len(rows) != height * (1 + width * channels):
        raise ValueError(f"{len(rows)} bytes of pixel rows for {width}x{height}")
    return width, height


def main(folder):
    event_pb2 = compile_protos()
    files = sorted(glob.glob(os.path.join(folder, "*tfevents*")))
    if not files:
        sys.exit(f"{folder}: no event files")
    for path in files:
        for body in records(path):
            event = event_pb2.Event.FromString(body)
            if event.WhichOneof("what") == "file_version":
                print(json.dumps({"file": os.path.basename(path), "wall_time": event.wall_time, "file_version": event.file_version}))
            if not event.HasField("summary"):
                continue
            for value in event.summary.value:
                line = {"file": os.path.basename(path), "step": event.step, "wall_time": event.wall_time, "tag": value.tag}
                kind = value.WhichOneof("value")
                if kind == "simple_value":
                    line["value"] = value.simple_value
                elif kind == "image":
                    png = value.image.encoded_image_string
                    line.update(width=value.image.width, height=value.image.height, png_bytes=len(png))
                    line["png_width"], line["png_height"] = png_size(png)
                else:
                    line["kind"] = kind
                print(json.dumps(line))


if __name__ == "__main__":
    main(sys.argv[1])
