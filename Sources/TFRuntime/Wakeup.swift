import TFGraph
import Foundation

/// A sleeping thread's wake-up call: `wait` blocks until `signal` and a condition holds.
/// (A pthread condition variable behind a lock; the one place the runtime sleeps.)
final class Wakeup: @unchecked Sendable {
    // Safety: `mutex` and `condition` are only used through pthread calls, which
    // synchronize them.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Blocks until `isDone()` holds, checking it after each signal.
    func wait(until isDone: () -> Bool) {
        pthread_mutex_lock(mutex)
        while !isDone() { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Wakes the waiting thread.
    func signal() {
        pthread_mutex_lock(mutex)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }
}
