import Foundation
import Synchronization

/// The signal that asked the program to stop (SIGINT or SIGTERM), or 0.
let stopSignal = Atomic<Int32>(0)

/// Makes SIGINT and SIGTERM request a clean stop: the training loop notices, flushes the
/// writer and exits with 128 + the signal number.
enum StopSignals {
    static func install() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { received in stopSignal.store(received, ordering: .relaxed) }
            sigaddset(&signals, sig)
        }
        // A parent may have started us with these blocked (test runners do); unblock them.
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        // Past a file-size limit, writes fail with EFBIG (a clear error) instead of the
        // signal killing the process with events still queued.
        signal(SIGXFSZ, SIG_IGN)
    }

    static var requested: Int32 { stopSignal.load(ordering: .relaxed) }
}
