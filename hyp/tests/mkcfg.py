#!/usr/bin/env python3
# Write a struct hypcfg (hyp/hypcfg.h) for ad-hoc runs; run-guest's
# tools/hypcfg does the same for real guests.
# usage: mkcfg.py OUT VCPUS PCPUS [ENTRY] [DTB] [FLAGS] [TIMESLICE_US]
import struct, sys
out, nv, np = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
entry = int(sys.argv[4], 0) if len(sys.argv) > 4 else 0x40080000
dtb = int(sys.argv[5], 0) if len(sys.argv) > 5 else 0x48000000
flags = int(sys.argv[6], 0) if len(sys.argv) > 6 else 0
slice_us = int(sys.argv[7], 0) if len(sys.argv) > 7 else 0
blob = struct.pack('<QIIIIQQQQII', 0x47464350595948, 1, nv, np, 3, entry, dtb,
                   0x40000000, 0x3e000000, flags, slice_us)
open(out, 'wb').write(blob.ljust(4096, b'\0'))
