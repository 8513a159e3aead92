extension SummaryWriter {
    /// Adds an embedding for TensorBoard's Projector: points with optional labels and
    /// thumbnails, written as files in the run directory (see `ProjectorFiles`), as
    /// tensorboardX's `add_embedding` does; the event file is not involved. A run holds
    /// any number of embeddings, one per tag and step, each listed in the Projector as
    /// `<tag>:<step, 5 digits>`.
    ///
    ///     try writer.add(embedding: points, metadata: labels, labelImages: thumbnails, tag: "mnist", step: 0)
    ///
    /// - Parameters:
    ///   - embedding: one row of coordinates per point, all rows the same length (at least
    ///     1), every value finite; at least one point.
    ///   - metadata: one label per point, shown and searchable in the Projector; without
    ///     tabs or line breaks (the file is TSV).
    ///   - labelImages: one thumbnail per point, laid out in a sprite of at most 8192 pixels
    ///     per side.
    ///   - tag: the embedding's name, non-empty, at most 200 bytes.
    ///   - step: part of the name, so one tag may be added at several steps.
    /// - Throws: `SummaryWriterError.invalidArgument` naming the bad row, value, label or
    ///   count; `ProjectorError` when a file cannot be written, the run's config is not
    ///   readable, or it already has this tag at this step.
    public func add(
        embedding: [[Float]], metadata: [String]? = nil, labelImages: ImageBatch? = nil, tag: String = "default",
        step: Int = 0
    ) throws {
        try SummaryValidation.checkTag(tag)
        guard tag.utf8.count <= 200, !tag.contains("\0") else {
            throw SummaryWriterError.invalidArgument(
                "an embedding's tag names a directory, so it must be at most 200 bytes without NUL, got "
                    + SummaryValidation.quoted(tag))
        }
        try EmbeddingValidation.check(embedding)
        if let metadata { try EmbeddingValidation.check(labels: metadata, points: embedding.count) }
        var sprite: (pixels: [UInt8], width: Int, height: Int, channels: Int)?
        if let labelImages {
            guard labelImages.count == embedding.count else {
                throw SummaryWriterError.invalidArgument(
                    "an embedding of \(embedding.count) points needs one label image per point, got \(labelImages.count)")
            }
            let columns = EmbeddingValidation.spriteColumns(labelImages.count)
            let rows = (labelImages.count + columns - 1) / columns
            // Checked before the sprite is made: thumbnails are at most 2^31 - 1 per side.
            let maximum = ProjectorFiles.maximumSpriteSide
            guard labelImages.width <= maximum / columns, labelImages.height <= maximum / rows else {
                throw SummaryWriterError.invalidArgument(
                    "\(labelImages.count) label images of \(labelImages.width)x\(labelImages.height) in \(columns) "
                        + "columns and \(rows) rows make a sprite wider or higher than the \(maximum) pixels the "
                        + "Projector takes; pass smaller thumbnails")
            }
            let grid = try ImageGrid.layOut(labelImages, columns: columns, padding: 0)
            sprite = (grid.pixels, grid.width, grid.height, labelImages.channels)
        }
        try ProjectorFiles.write(
            embedding: embedding, labels: metadata, sprite: sprite,
            thumbnailSize: labelImages.map { ($0.width, $0.height) }, tag: tag, step: step, runDirectory: logDirectory)
    }
}

/// The checks of `add(embedding:)`.
enum EmbeddingValidation {
    static func check(_ rows: [[Float]]) throws(SummaryWriterError) {
        guard let dimensions = rows.first?.count, dimensions >= 1 else {
            throw .invalidArgument("an embedding needs at least one point with at least one coordinate")
        }
        guard rows.count <= Int(UInt32.max) else {
            throw .invalidArgument("an embedding of \(rows.count) points is more than the Projector can list")
        }
        for (index, row) in rows.enumerated() {
            guard row.count == dimensions else {
                throw .invalidArgument(
                    "embedding row \(index) has \(row.count) coordinates but row 0 has \(dimensions); every point "
                        + "needs the same number")
            }
            if let bad = row.firstIndex(where: { !$0.isFinite }) {
                throw .invalidArgument("embedding row \(index), coordinate \(bad) is \(row[bad]); coordinates must be finite")
            }
        }
    }

    static func check(labels: [String], points: Int) throws(SummaryWriterError) {
        guard labels.count == points else {
            throw .invalidArgument("an embedding of \(points) points needs one label per point, got \(labels.count)")
        }
        if let bad = labels.firstIndex(where: { $0.unicodeScalars.contains { "\t\n\r".unicodeScalars.contains($0) } }) {
            throw .invalidArgument(
                "label \(bad) (\(SummaryValidation.quoted(labels[bad]))) holds a tab or line break, which the "
                    + "Projector's TSV metadata cannot hold; replace them")
        }
    }

    /// Thumbnails per sprite row: `ceil(sqrt(count))`, so the sprite is about square.
    static func spriteColumns(_ count: Int) -> Int {
        var columns = Int(Double(count).squareRoot())
        while columns * columns < count { columns += 1 }
        return max(columns, 1)
    }
}
