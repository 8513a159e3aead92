import Foundation
import Synchronization
import SwiftProtobuf
import TFProtos

/// Why an embedding's files could not be written.
public enum ProjectorError: Error, CustomStringConvertible {
    /// A file or directory of the embedding could not be written.
    case cannotWrite(path: String, reason: String)
    /// `projector_config.pbtxt` exists but is not a `ProjectorConfig` in protobuf text format.
    case unreadableConfig(path: String, reason: String)
    /// The run's config already lists an embedding with this tensor name (`<tag>:<step>`).
    case duplicateEmbedding(tensorName: String, configPath: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .unreadableConfig(let path, let reason):
            return "\(path) is not a projector config in protobuf text format (\(reason)); move it away so "
                + "a new one can be written"
        case .duplicateEmbedding(let tensorName, let configPath):
            return "\(configPath) already lists an embedding named \(tensorName); add it under another tag or step"
        }
    }
}

/// The files TensorBoard's Projector reads from a run directory, written as tensorboardX's
/// `add_embedding` lays them out:
///
/// | file | content |
/// |---|---|
/// | `projector_config.pbtxt` | `ProjectorConfig` in text format: one `embeddings { ... }` per embedding, paths relative to the run |
/// | `<step, 5 digits>/<tag>/tensors.tsv` | one line per point, its coordinates separated by tabs |
/// | `<step>/<tag>/metadata.tsv` | one label per line (one column: no header line) |
/// | `<step>/<tag>/sprite.png` | the thumbnails in a grid of `ceil(sqrt(n))` columns, row by row |
///
/// The tag is escaped to one path component (`%` → `%25`, `/` → `%2f`, `\` → `%5c`, a tag
/// of only dots → `%2e` each). The config is rewritten whole (to a temporary file, then
/// renamed), after the data files, so the Projector never reads a config naming missing files.
enum ProjectorFiles {
    static let configName = "projector_config.pbtxt"
    /// The largest sprite side the Projector's WebGL texture takes.
    static let maximumSpriteSide = 8192

    /// Serializes config rewrites within the process (several writers may share a run).
    private static let configLock = Mutex(())

    /// Writes the data files of one embedding and adds it to the run's config.
    static func write(
        embedding rows: [[Float]], labels: [String]?, sprite: (pixels: [UInt8], width: Int, height: Int, channels: Int)?,
        thumbnailSize: (width: Int, height: Int)?, tag: String, step: Int, runDirectory: String
    ) throws {
        let stepName = (step < 0 ? "-" : "") + String(step.magnitude).leftPadded(to: step < 0 ? 4 : 5)
        let subdirectory = stepName + "/" + escaped(tag)
        let tensorName = tag + ":" + stepName
        let configPath = runDirectory + "/" + configName
        try configLock.withLock { _ in
            var config = try readConfig(configPath)
            if config.embeddings.contains(where: { $0.tensorName == tensorName }) {
                throw ProjectorError.duplicateEmbedding(tensorName: tensorName, configPath: configPath)
            }
            let directory = runDirectory + "/" + subdirectory
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ProjectorError.cannotWrite(path: directory, reason: error.localizedDescription)
            }
            var info = Tensorboard_Projector_EmbeddingInfo()
            info.tensorName = tensorName
            info.tensorShape = [UInt32(rows.count), UInt32(rows[0].count)]
            info.tensorPath = subdirectory + "/tensors.tsv"
            try writeFile(directory + "/tensors.tsv", tensorsTSV(rows))
            if let labels {
                info.metadataPath = subdirectory + "/metadata.tsv"
                try writeFile(directory + "/metadata.tsv", Array(labels.map { $0 + "\n" }.joined().utf8))
            }
            if let sprite, let thumbnailSize {
                let png = try PNGEncoder.encode(
                    pixels: sprite.pixels, width: sprite.width, height: sprite.height, channels: sprite.channels)
                info.sprite.imagePath = subdirectory + "/sprite.png"
                info.sprite.singleImageDim = [UInt32(thumbnailSize.width), UInt32(thumbnailSize.height)]
                try writeFile(directory + "/sprite.png", png)
            }
            config.embeddings.append(info)
            try writeFile(configPath, Array(config.textFormatString().utf8))
        }
    }

    /// The tag as one path component.
    static func escaped(_ tag: String) -> String {
        if tag.allSatisfy({ $0 == "." }) { return String(repeating: "%2e", count: tag.count) }
        return tag.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "/", with: "%2f")
            .replacingOccurrences(of: "\\", with: "%5c")
    }

    /// Rows as TSV: shortest round-trip decimal floats, tab-separated, one line per row.
    static func tensorsTSV(_ rows: [[Float]]) -> [UInt8] {
        var text = ""
        for row in rows {
            text += row.map { "\($0)" }.joined(separator: "\t")
            text += "\n"
        }
        return Array(text.utf8)
    }

    private static func readConfig(_ path: String) throws -> Tensorboard_Projector_ProjectorConfig {
        guard FileManager.default.fileExists(atPath: path) else { return Tensorboard_Projector_ProjectorConfig() }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try Tensorboard_Projector_ProjectorConfig(textFormatString: text)
        } catch {
            throw ProjectorError.unreadableConfig(path: path, reason: "\(error)")
        }
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ProjectorError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
