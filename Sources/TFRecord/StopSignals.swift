import Foundation
import Synchronization

/// Ctrl-C and `kill` as a clean stop, for programs that write data files: after
/// `install()`, SIGINT and SIGTERM only record themselves; the program's loop checks
/// `requested` between steps, flushes and closes its files, and exits with 128 + the
/// signal number (the shell's convention for a signal's exit).
public enum StopSignals {
    /// The signal that asked the program to stop (SIGINT or SIGTERM), or 0.
    private static let received = Atomic<Int32>(0)

    /// Makes SIGINT and SIGTERM request a stop instead of ending the process, unblocks them
    /// (a parent, such as a test runner, may have started the program with them blocked),
    /// and ignores SIGXFSZ, so that past a file-size limit a write fails with EFBIG (a clear
    /// error) instead of the signal killing the process with data still queued.
    public static func install() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { signal in StopSignals.received.store(signal, ordering: .relaxed) }
            sigaddset(&signals, sig)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        signal(SIGXFSZ, SIG_IGN)
    }

    /// The signal that asked the program to stop, or 0 while none has.
    public static var requested: Int32 { received.load(ordering: .relaxed) }
}
