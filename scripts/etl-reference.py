#!/usr/bin/env python3
"""Independent decode of a Windows Update .etl with the `etl-parser` package (PyPI, airbus-cert).

Writes one tab-separated line per TraceLogging event: ordinal, UTC time as Get-WindowsUpdateLog
shows it, PID, TID, event name (the component) and the Info message. The Rust decoder's test
compares its own output against the file this writes (tests/fixtures/etl/*.reference.tsv), so the
two decoders are checked against each other without Python at test time.

    pip install etl-parser
    python3 scripts/etl-reference.py FILE.etl > tests/fixtures/etl/FILE.reference.tsv
"""
import datetime
import struct
import sys

from etl.etl import EtlLogFile, ChunkParser, IEtlFileObserver, build_from_stream


class Collect(IEtlFileObserver):
    def __init__(self):
        self.events = []

    def on_event_record(self, event):
        tl = event.parse_tracelogging()
        self.events.append((event.get_timestamp(), event.get_process_id(), event.get_thread_id(), tl.get_name(), tl.get("Info", "")))

    def on_trace_record(self, event):
        pass

    def on_perfinfo_trace(self, obj):
        pass

    def on_system_trace(self, obj):
        pass

    def on_win_trace(self, obj):
        pass


def main(path):
    data = open(path, "rb").read()
    etl = build_from_stream(data)
    first = ChunkParser.parse(EtlLogFile.parse(data)[0].payload)[0].value
    start_qpc = first.system_header.system_time
    # etl-parser's TRACE_LOGFILE_HEADER lacks the 4 bytes of padding after the time zone, so its
    # PerfFreq and StartTime are wrong: read them at their 64-bit offsets (0x100, 0x108) here.
    perf_freq, start_time = struct.unpack_from("<QQ", first.mof_data, 0x100)
    collect = Collect()
    etl.parse(collect)
    epoch = datetime.datetime(1601, 1, 1)
    for n, (ts, pid, tid, name, info) in enumerate(collect.events, 1):
        filetime = start_time + (ts - start_qpc) * 10_000_000 // perf_freq
        when = epoch + datetime.timedelta(microseconds=filetime // 10)
        frac = filetime % 10_000_000
        print(f"{n}\t{when:%Y/%m/%d %H:%M:%S}.{frac:07d}\t{pid}\t{tid}\t{name}\t{info}")


if __name__ == "__main__":
    main(sys.argv[1])
