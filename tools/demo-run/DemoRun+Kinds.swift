import Foundation
import TensorBoard

/// The summary kinds beyond the first six, written into run `train` (and its sub-runs),
/// with the values `tools/verify/verify_tensorboard.py` compares with what TensorBoard
/// serves; and `encoders/`, WAV and GIF files that `tools/verify/verify_encoders.py` decodes
/// with Python's `wave` and Pillow.
extension DemoRun {
    static func writeMoreKinds(_ train: SummaryWriter) throws -> [String: Any] {
        var expected: [String: Any] = [:]

        var waves: [String: [[Double]]] = [:]
        for step in 0..<20 {
            let values = ["sin": Float(sin(Double(step) / 3)), "cos": Float(cos(Double(step) / 3))]
            try train.add(scalars: values, mainTag: "waves", step: step)
            for (key, value) in values { waves[key, default: []].append([Double(step), Double(value)]) }
        }
        expected["runs"] = ["train/waves/sin", "train/waves/cos"]
        expected["scalars"] = waves.map { key, points in
            ["run": "train/waves/" + key, "tag": "waves", "points": points, "tolerance": 0] as [String: Any]
        }

        let labels = (0..<50).map { $0 % 3 != 0 }
        let predictions = (0..<50).map { Float(($0 * 37) % 50) / 49 }
        let curve = try PRCurve(labels: labels, predictions: predictions, thresholdCount: 11)
        try train.add(prCurve: curve, tag: "pr", step: 3)
        expected["pr_curves"] = [[
            "run": "train", "tag": "pr", "step": 3, "labels": labels, "predictions": predictions,
            "true_positives": curve.truePositives, "false_positives": curve.falsePositives,
            "true_negatives": curve.trueNegatives, "false_negatives": curve.falseNegatives,
            "precision": curve.precision, "recall": curve.recall,
        ]]

        let sampleRate = 8000
        let mono = (0..<2000).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / Double(sampleRate))) }
        let stereo = (0..<1000).flatMap { index -> [Float] in
            let t = Double(index) / Double(sampleRate)
            return [Float(sin(2 * .pi * 330 * t)), Float(0.25 * sin(2 * .pi * 660 * t))]
        }
        try train.add(audio: mono, sampleRate: sampleRate, label: "440 Hz", tag: "tone", step: 2)
        try train.add(audio: stereo, sampleRate: sampleRate, channels: 2, tag: "stereo", step: 2)
        expected["audio"] = [
            ["run": "train", "tag": "tone", "sample_rate": sampleRate, "channels": 1, "samples": mono],
            ["run": "train", "tag": "stereo", "sample_rate": sampleRate, "channels": 2, "samples": stereo],
        ]

        let frames = try demoVideo()
        try train.add(video: frames, fps: 4, tag: "bouncing", step: 4)
        expected["videos"] = [[
            "run": "train", "tag": "bouncing", "width": frames.width, "height": frames.height, "duration_ms": 250,
            "frames": (0..<frames.count).map { frame -> [Int] in
                let size = frames.width * frames.height * 3
                return frames.pixels[(frame * size)..<((frame + 1) * size)].map(Int.init)
            },
        ]]

        let batch = try ImageBatch(
            pixels: (0..<90).map { (index: Int) -> UInt8 in UInt8(index * 29 % 256) }, count: 5, width: 3, height: 2, channels: 3)
        try train.add(images: batch, columns: 3, padding: 1, tag: "grid", step: 0)
        // The grid laid out independently: 3 columns, 2 rows of 3x2 images, 1 pixel of padding.
        var grid = [UInt8](repeating: 0, count: 13 * 7 * 3)
        for index in 0..<5 {
            for y in 0..<2 {
                for x in 0..<3 {
                    for c in 0..<3 {
                        let gridX: Int = (index % 3) * 4 + 1 + x
                        let gridY: Int = (index / 3) * 3 + 1 + y
                        let source: Int = ((index * 2 + y) * 3 + x) * 3 + c
                        grid[(gridY * 13 + gridX) * 3 + c] = batch.pixels[source]
                    }
                }
            }
        }
        expected["images"] = [["run": "train", "tag": "grid", "width": 13, "height": 7, "pixels": grid.map(Int.init)]]

        let vertices: [Float] = [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]
        let faces = [0, 1, 2, 0, 1, 3, 0, 2, 3, 1, 2, 3]
        let colors: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0]
        try train.add(mesh: vertices, faces: faces, colors: colors, tag: "tetrahedron", step: 5)
        expected["meshes"] = [[
            "run": "train", "tag": "tetrahedron", "step": 5, "vertices": vertices, "faces": faces, "colors": colors.map(Int.init),
        ]]

        let layout = CustomScalarsLayout(categories: [
            .init(title: "training", charts: [
                .multiline(title: "loss and waves", tags: ["loss", "waves"]),
                .margin(title: "loss band", series: [.init(value: "loss", lower: "loss", upper: "loss")]),
            ])
        ])
        try train.add(customScalarsLayout: layout)
        expected["custom_scalars"] = [[
            "categories": [[
                "title": "training",
                "charts": [
                    ["title": "loss and waves", "multiline": ["loss", "waves"]],
                    ["title": "loss band", "margin": [["value": "loss", "lower": "loss", "upper": "loss"]]],
                ],
            ]]
        ]]

        expected["embeddings"] = try writeEmbeddings(train)
        return expected
    }

    /// A 6-frame 8x6 RGB video of a square moving over a gradient (few colours, so exact).
    static func demoVideo() throws -> ImageBatch {
        let (width, height, count) = (8, 6, 6)
        var pixels = [UInt8]()
        for frame in 0..<count {
            for y in 0..<height {
                for x in 0..<width {
                    let inSquare = (frame...(frame + 1)).contains(x) && (2...3).contains(y)
                    pixels += inSquare ? [255, 200, 0] : [UInt8(x * 30), 0, UInt8(y * 40)]
                }
            }
        }
        return try ImageBatch(pixels: pixels, count: count, width: width, height: height, channels: 3)
    }

    static func writeEmbeddings(_ train: SummaryWriter) throws -> [[String: Any]] {
        let points = (0..<12).map { index in (0..<4).map { Float(index * 4 + $0) / 7 } }
        let labels = (0..<12).map { "point \($0)" }
        let thumbnails = try ImageBatch(
            pixels: (0..<(12 * 4 * 4)).map { UInt8(($0 * 13) % 256) }, count: 12, width: 4, height: 4, channels: 1)
        try train.add(embedding: points, metadata: labels, labelImages: thumbnails, tag: "features", step: 0)
        let second = (0..<5).map { index in [Float(index), -Float(index) / 3] }
        try train.add(embedding: second, tag: "features", step: 10)
        return [
            ["run": "train", "name": "features:00000", "values": points, "labels": labels, "sprite": [16, 12], "thumbnail": [4, 4]],
            ["run": "train", "name": "features:00010", "values": second],
        ]
    }

    /// WAV and GIF files with what they hold, for decoders that are not ours.
    static func writeEncoderCases(into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var wavCases: [[String: Any]] = []
        let waveforms: [(String, [Float], Int, Int)] = [
            ("mono", (0..<1000).map { Float(sin(Double($0) / 10)) }, 16000, 1),
            ("stereo", (0..<600).map { Float(cos(Double($0) / 7)) * ($0 % 2 == 0 ? 1 : -0.5) }, 44100, 2),
            ("clipped", [-3, -1, -0.5, 0, 0.5, 1, 3, 1e-6, -1e-6, 0.99999], 8000, 1),
            ("one frame", [0.25, -0.25, 1], 1, 3),
        ]
        for (name, samples, rate, channels) in waveforms {
            let file = "\(name).wav"
            try Data(WAVEncoder.encode(samples: samples, sampleRate: rate, channels: channels))
                .write(to: URL(fileURLWithPath: directory + "/" + file))
            wavCases.append(["file": file, "samples": samples, "sample_rate": rate, "channels": channels])
        }
        var gifCases: [[String: Any]] = []
        var random = UInt64(20261201)
        func next() -> UInt8 {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: random >> 33)
        }
        let videos: [(String, Int, Int, Int, Int, Double, (Int) -> UInt8)] = [
            ("one gray pixel", 1, 1, 1, 1, 4, { _ in 77 }),
            ("gray noise, table refills", 3, 80, 60, 1, 10, { _ in next() }),
            ("two colours", 2, 17, 5, 3, 25, { $0 % 7 < 3 ? 255 : 0 }),
            ("few colours, long", 4, 64, 64, 3, 2, { index in UInt8((index / 3 % 64) * 4 % 256) & 0xF0 }),
            ("rgb noise (quantized)", 2, 50, 40, 3, 5, { _ in next() }),
        ]
        for (name, count, width, height, channels, fps, value) in videos {
            let pixels = (0..<(count * width * height * channels)).map(value)
            let frames = try ImageBatch(pixels: pixels, count: count, width: width, height: height, channels: channels)
            let file = name.replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: ",", with: "") + ".gif"
            let delay = Int((100 / fps).rounded())
            try Data(GIFEncoder.encode(frames: frames, delayCentiseconds: delay)).write(to: URL(fileURLWithPath: directory + "/" + file))
            let distinct = Set(stride(from: 0, to: pixels.count, by: channels).map { pixels[$0..<($0 + channels)].map(Int.init) })
            gifCases.append([
                "file": file, "width": width, "height": height, "channels": channels, "duration_ms": delay * 10,
                "pixels": pixels.map(Int.init), "frames": count, "exact": distinct.count <= 256,
            ])
        }
        let cases: [String: Any] = ["wav": wavCases, "gif": gifCases]
        let json = try JSONSerialization.data(withJSONObject: cases, options: [.sortedKeys])
        try json.write(to: URL(fileURLWithPath: directory + "/cases.json"))
    }
}
