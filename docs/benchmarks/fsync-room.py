#!/usr/bin/env python3
"""What an fsync'd append costs at the end of a file against inside zeroed room (docs/event-log.md, "Room ahead").

Writes REC-byte records, each followed by fdatasync, to a file in DIR: first growing the file, then into room
zeroed ahead in STEP-byte steps. Prints wall time, CPU time and latency percentiles per commit.
Usage: fsync-room.py [--dir DIR] [--records N] [--record-bytes REC] [--step STEP] [--rounds R]
Exit code 0 on success, 2 on a bad argument.
"""
import argparse, os, resource, sys, tempfile, time


def run(directory, n, rec, step):
    fd, path = tempfile.mkstemp(dir=directory, prefix='fsync-room-')
    try:
        record, position, length, latencies = b'x' * rec, 0, 0, []
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        for _ in range(n):
            start = time.perf_counter()
            if step and position + rec > length:
                os.pwrite(fd, b'\0' * step, length)
                length += step
                os.fdatasync(fd)
            os.pwrite(fd, record, position)
            position += rec
            os.fdatasync(fd)
            latencies.append(time.perf_counter() - start)
        wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
    finally:
        os.close(fd)
        os.unlink(path)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    latencies.sort()
    at = lambda q: 1e6 * latencies[min(n - 1, int(n * q))]
    label = 'appending' if not step else f'in room ({step // 1024} KiB steps)'
    print(f'{label:28} {1e6 * wall / n:6.0f} us/commit  cpu {1e6 * cpu / n:5.0f} us  '
          f'p50 {at(.5):5.0f}  p99 {at(.99):5.0f}  p99.9 {at(.999):5.0f} us', flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--dir', default=tempfile.gettempdir(), help='directory on the disk to measure (default: %(default)s)')
    p.add_argument('--records', type=int, default=4000, help='commits per measurement (default: %(default)s)')
    p.add_argument('--record-bytes', type=int, default=600, help='bytes per commit (default: %(default)s)')
    p.add_argument('--step', type=int, default=128 * 1024, help='bytes zeroed ahead at a time (default: %(default)s)')
    p.add_argument('--rounds', type=int, default=2, help='alternating rounds (default: %(default)s)')
    a = p.parse_args()
    if a.records < 1 or a.record_bytes < 1 or a.step < a.record_bytes or a.rounds < 1 or not os.path.isdir(a.dir):
        print('fsync-room: --records, --record-bytes and --rounds must be positive, --step at least --record-bytes, '
              '--dir an existing directory', file=sys.stderr)
        return 2
    for _ in range(a.rounds):
        run(a.dir, a.records, a.record_bytes, 0)
        run(a.dir, a.records, a.record_bytes, a.step)
    return 0


if __name__ == '__main__':
    sys.exit(main())
