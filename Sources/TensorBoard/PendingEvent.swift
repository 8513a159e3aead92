import TFProtos

/// An event waiting in the background writer's queue. Scalars stay unencoded until the
/// writer thread encodes them, so `add(scalar:)` only appends to the queue.
enum PendingEvent {
    case scalar(tag: String, value: Float, step: Int64, wallTime: Double)
    case event(Tensorflow_Event)
}
