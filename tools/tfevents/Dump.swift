import ArgumentParser
import Foundation
import SwiftProtobuf
import TFRecord
import TensorBoard

/// `tfevents dump`: every event as one JSON object per line.
struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every event as JSON lines: {\"file\", \"offset\", \"event\"}.")

    @Argument(help: "Event files or log directories.")
    var paths: [String]

    func run() throws {
        for file in try eventFiles(in: paths) {
            let reader = try EventFileReader(path: file)
            while let record = try reader.next() {
                let event = try record.event().jsonString()
                let name = try JSONEncoder().encode(record.file)
                print("{\"file\":\(String(decoding: name, as: UTF8.self)),\"offset\":\(record.offset),\"event\":\(event)}")
                try BufferedOutput.standardOutput.check()  // stop at the first failed write
            }
        }
    }
}
