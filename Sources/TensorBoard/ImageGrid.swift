/// Lays a batch of images out as one image, row by row, as tensorboardX's `add_images`
/// (its `make_grid`, padding 0) and torchvision's `make_grid` (`padding` pixels around and
/// between the images) do.
///
/// With `n` images and `columns` per row, the grid has `min(columns, n)` columns and
/// `ceil(n / columns)` rows; image `i` sits at row `i / columns`, column `i % columns`.
/// The grid is `columns * (width + padding) + padding` wide and `rows * (height + padding)
/// + padding` high; what no image covers is `padValue` (black by default, opaque when the
/// images have alpha only if `padValue` is 255).
enum ImageGrid {
    /// The grid's pixels and size.
    /// - Throws: `SummaryWriterError.invalidArgument` for `columns < 1` or `padding < 0`;
    ///   `.invalidArgument` or `PNGEncoder.Error.tooLarge` when the grid is beyond PNG's size or `Int`.
    static func layOut(_ batch: ImageBatch, columns: Int, padding: Int, padValue: UInt8 = 0) throws
        -> (pixels: [UInt8], width: Int, height: Int)
    {
        guard columns >= 1 else {
            throw SummaryWriterError.invalidArgument("a grid needs at least 1 column, got columns: \(columns)")
        }
        guard padding >= 0, padding <= PNGEncoder.maximumSide else {
            throw SummaryWriterError.invalidArgument(
                "padding is the pixels between grid cells, 0...\(PNGEncoder.maximumSide), got \(padding)")
        }
        let gridColumns = min(columns, batch.count)
        let rows = (batch.count + gridColumns - 1) / gridColumns
        let width = try side(cells: gridColumns, size: batch.width, padding: padding, batch)
        let height = try side(cells: rows, size: batch.height, padding: padding, batch)
        let count = try PNGEncoder.valueCount(width: width, height: height, channels: batch.channels)
        var pixels = [UInt8](repeating: padValue, count: count)
        let rowValues = batch.width * batch.channels
        for index in 0..<batch.count {
            let image = batch.image(index)
            let top = (index / gridColumns) * (batch.height + padding) + padding
            let left = (index % gridColumns) * (batch.width + padding) + padding
            for y in 0..<batch.height {
                let source = image.startIndex + y * rowValues
                let target = ((top + y) * width + left) * batch.channels
                pixels.replaceSubrange(target..<(target + rowValues), with: image[source..<(source + rowValues)])
            }
        }
        return (pixels, width, height)
    }

    /// `cells * (size + padding) + padding`, or `.tooLarge` when it overflows or passes PNG's limit.
    private static func side(cells: Int, size: Int, padding: Int, _ batch: ImageBatch) throws -> Int {
        let (cell, overflow1) = size.addingReportingOverflow(padding)
        let (all, overflow2) = cell.multipliedReportingOverflow(by: cells)
        let (side, overflow3) = all.addingReportingOverflow(padding)
        guard !overflow1, !overflow2, !overflow3, side <= PNGEncoder.maximumSide else {
            throw SummaryWriterError.invalidArgument(
                "a grid of \(cells) cells of \(size) pixels with padding \(padding) is wider or higher than PNG's "
                    + "\(PNGEncoder.maximumSide) pixels per side; use more columns, fewer images or smaller ones")
        }
        return side
    }
}

extension SummaryImage {
    /// One PNG image holding the batch laid out as a grid (see `ImageGrid`).
    /// - Parameters:
    ///   - batch: the images.
    ///   - columns: images per row, at least 1 (8 as in tensorboardX).
    ///   - padding: pixels around and between images, at least 0 (torchvision uses 2).
    /// - Throws: `SummaryWriterError.invalidArgument` for bad `columns`/`padding`;
    ///   `PNGEncoder.Error.tooLarge` for a grid PNG cannot hold.
    public init(grid batch: ImageBatch, columns: Int = 8, padding: Int = 0) throws {
        let grid = try ImageGrid.layOut(batch, columns: columns, padding: padding)
        try self.init(pixels: grid.pixels, width: grid.width, height: grid.height, channels: batch.channels)
    }
}

extension SummaryWriter {
    /// Adds a batch of images as one grid image (plugin `images`), as tensorboardX's
    /// `add_images` does: `columns` per row, `padding` pixels around each.
    /// - Throws: as `SummaryImage(grid:columns:padding:)`; `.invalidArgument` for an empty tag.
    public func add(
        images batch: ImageBatch, columns: Int = 8, padding: Int = 0, tag: String, step: Int, wallTime: Double? = nil
    ) throws {
        try SummaryValidation.checkTag(tag)
        try add(image: SummaryImage(grid: batch, columns: columns, padding: padding), tag: tag, step: step, wallTime: wallTime)
    }
}
