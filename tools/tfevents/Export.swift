import ArgumentParser
import Foundation
import TFProtos
import TFRecord
import TensorBoard

/// `tfevents export`: scalars to CSV.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export scalars as CSV: run,tag,step,wall_time,value.")

    @Argument(help: "Log directories or event files.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "Write the CSV here instead of standard output.")
    var output: String?

    @Option(help: "Only export this tag (repeatable).")
    var tag: [String] = []

    func run() throws {
        let sources = try runs(in: paths)
        if let output { try OutputPath.refuseOverwritingInput(output, inputs: sources.flatMap(\.files)) }
        var lines = ["run,tag,step,wall_time,value"]
        for (run, files) in sources {
            for file in files {
                let reader = try EventFileReader(path: file)
                while let record = try reader.next() {
                    let event = try record.event()
                    for value in event.summary.value where tag.isEmpty || tag.contains(value.tag) {
                        guard let number = scalar(of: value) else { continue }
                        lines.append(
                            "\(csvField(run)),\(csvField(value.tag)),\(event.step),"
                                + "\(event.wallTime),\(number)")
                    }
                }
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        if let output {
            // All or nothing: a full disk leaves the previous CSV, never a cut one.
            do throws(IOError) {
                try AtomicFile.write(Array(text.utf8), to: output)
            } catch {
                throw ToolError("cannot write --output \(output): \(error); the previous file (if any) is unchanged")
            }
        } else {
            print(text, terminator: "")
        }
    }

    private func scalar(of value: Tensorflow_Summary.Value) -> Double? {
        switch value.value {
        case .simpleValue(let number):
            return Double(number)
        case .tensor(let tensor) where tensor.tensorShape.dim.isEmpty:
            switch tensor.dtype {
            case .dtFloat:
                if let first = tensor.floatVal.first { return Double(first) }
                if tensor.tensorContent.count == 4 {
                    return Double(Float(bitPattern: tensor.tensorContent.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }))
                }
                return nil
            case .dtDouble:
                return tensor.doubleVal.first
            default:
                return nil
            }
        default:
            return nil
        }
    }

    private func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
