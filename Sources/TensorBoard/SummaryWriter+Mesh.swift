import Foundation
import TFProtos

extension SummaryWriter {
    /// Adds a 3D mesh or point cloud for TensorBoard's Mesh dashboard (plugin `mesh`), as
    /// `tensorboard.plugins.mesh.summary_v2.mesh` writes it: one value per part, tagged
    /// `<tag>_VERTEX`, `<tag>_FACE`, `<tag>_COLOR`, each a `[1, n, 3]` tensor (float32
    /// vertices, int32 faces, uint8 colours) whose `MeshPluginData` names the mesh `tag`,
    /// the part, the shape and the parts present.
    ///
    /// - Parameters:
    ///   - vertices: x, y, z of each vertex, flat (`[x0, y0, z0, x1, ...]`), finite, at least one vertex.
    ///   - faces: three vertex indices per triangle, flat; each in `0..<vertexCount`; nil for a point cloud.
    ///   - colors: r, g, b of each vertex, flat; nil for the dashboard's default colour.
    ///   - configJSON: a JSON object configuring the three.js scene (camera, lights,
    ///     material), e.g. `{"camera": {"cls": "PerspectiveCamera", "fov": 75}}`; `{}` by default.
    ///   - tag: the mesh's name, non-empty.
    /// - Throws: `SummaryWriterError.invalidArgument` naming the bad count, the first
    ///   non-finite coordinate, the first face index outside the vertices, or a config that
    ///   is not a JSON object.
    public func add(
        mesh vertices: [Float], faces: [Int]? = nil, colors: [UInt8]? = nil, configJSON: String = "{}", tag: String,
        step: Int, wallTime: Double? = nil
    ) throws {
        try SummaryValidation.checkTag(tag)
        let vertexCount = try MeshValidation.triples(vertices.count, "vertices", "x, y, z per vertex")
        guard vertexCount >= 1, vertexCount <= Int(Int32.max) else {
            throw SummaryWriterError.invalidArgument(
                "a mesh needs 1...\(Int32.max) vertices, got \(vertexCount) (mesh \(SummaryValidation.quoted(tag)))")
        }
        if let bad = vertices.firstIndex(where: { !$0.isFinite }) {
            throw SummaryWriterError.invalidArgument(
                "vertex \(bad / 3) of mesh \(SummaryValidation.quoted(tag)) has coordinate \(vertices[bad]); "
                    + "coordinates must be finite")
        }
        var parts: [(Tensorboard_Mesh_MeshPluginData.ContentType, Tensorflow_TensorProto, Int)] = [
            (.vertex, TensorProtos.floats(vertices, shape: [1, vertexCount, 3]), vertexCount)
        ]
        if let faces {
            let faceCount = try MeshValidation.triples(faces.count, "faces", "three vertex indices per triangle")
            guard faceCount >= 1, faceCount <= Int(Int32.max) else {
                throw SummaryWriterError.invalidArgument(
                    "faces holds \(faceCount) triangles; pass 1...\(Int32.max), or nil for a point cloud")
            }
            if let bad = faces.firstIndex(where: { !(0..<vertexCount).contains($0) }) {
                throw SummaryWriterError.invalidArgument(
                    "face \(bad / 3) of mesh \(SummaryValidation.quoted(tag)) names vertex \(faces[bad]), but the "
                        + "vertices are 0...\(vertexCount - 1)")
            }
            parts.append((.face, TensorProtos.int32s(faces.map { Int32($0) }, shape: [1, faceCount, 3]), faceCount))
        }
        if let colors {
            guard colors.count == vertices.count else {
                throw SummaryWriterError.invalidArgument(
                    "a mesh of \(vertexCount) vertices needs \(vertices.count) color values (r, g, b per vertex), "
                        + "got \(colors.count)")
            }
            parts.append((.color, TensorProtos.uint8s(colors, shape: [1, vertexCount, 3]), vertexCount))
        }
        try MeshValidation.checkConfig(configJSON)
        let components = parts.reduce(UInt32(0)) { $0 | 1 << UInt32($1.0.rawValue) }
        var summary = Tensorflow_Summary()
        for (contentType, tensor, count) in parts {
            var pluginData = Tensorboard_Mesh_MeshPluginData()
            pluginData.name = tag
            pluginData.contentType = contentType
            pluginData.jsonConfig = configJSON
            pluginData.shape = [1, Int32(count), 3]
            pluginData.components = components
            var value = Tensorflow_Summary.Value()
            value.tag = tag + "_" + MeshValidation.suffix(contentType)
            value.metadata = PluginMetadata.make(plugin: "mesh", content: try pluginData.serializedBytes())
            value.tensor = tensor
            summary.value.append(value)
        }
        try add(summary: summary, step: step, wallTime: wallTime)
    }
}

/// The checks and names of `add(mesh:)`.
enum MeshValidation {
    /// `count / 3`, or a message naming `name` when `count` is not a multiple of 3.
    static func triples(_ count: Int, _ name: String, _ layout: String) throws(SummaryWriterError) -> Int {
        guard count % 3 == 0 else {
            throw .invalidArgument("\(name) holds \(count) values, not a multiple of 3 (\(layout))")
        }
        return count / 3
    }

    /// Throws unless `json` is a JSON object.
    static func checkConfig(_ json: String) throws(SummaryWriterError) {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8))
        guard object is [String: Any] else {
            throw .invalidArgument(
                "configJSON must be a JSON object such as {\"camera\": {\"cls\": \"PerspectiveCamera\"}}, got "
                    + SummaryValidation.quoted(json))
        }
    }

    /// The tag suffix of a part: `VERTEX`, `FACE`, `COLOR` (the enum's names).
    static func suffix(_ contentType: Tensorboard_Mesh_MeshPluginData.ContentType) -> String {
        switch contentType {
        case .vertex: return "VERTEX"
        case .face: return "FACE"
        case .color: return "COLOR"
        default: return "UNDEFINED"
        }
    }
}
