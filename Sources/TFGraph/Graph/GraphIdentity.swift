/// Identifies a graph without keeping it alive. Every operation holds its graph's identity
/// (strongly: the identity holds the graph only weakly, so there is no cycle), so whose an
/// operation is can be told, and its graph reached or found gone, even when a user keeps
/// tensors of a graph they let go of.
package final class GraphIdentity {
    /// The graph, while it exists.
    package internal(set) weak var graph: Graph?

    init() {}
}
