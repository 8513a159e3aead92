import Testing
@testable import TensorBoard

/// Batches laid out as one image, as tensorboardX's and torchvision's make_grid do.
struct ImageGridTests {
    @Test func imagesFillRowsLeftToRightWithPadding() throws {
        // Three 1x1 gray images, 2 columns, padding 1: a 5x5 grid.
        let batch = try ImageBatch(pixels: [10, 20, 30], count: 3, width: 1, height: 1, channels: 1)
        let grid = try ImageGrid.layOut(batch, columns: 2, padding: 1)
        #expect(grid.width == 5 && grid.height == 5)
        #expect(grid.pixels == [
            0, 0, 0, 0, 0,
            0, 10, 0, 20, 0,
            0, 0, 0, 0, 0,
            0, 30, 0, 0, 0,
            0, 0, 0, 0, 0,
        ])
    }

    @Test func fewerImagesThanColumnsMakeOneRow() throws {
        let batch = try ImageBatch(pixels: [1, 2, 3, 4, 5, 6, 7, 8], count: 2, width: 2, height: 2, channels: 1)
        let grid = try ImageGrid.layOut(batch, columns: 8, padding: 0)
        #expect(grid.width == 4 && grid.height == 2 && grid.pixels == [1, 2, 5, 6, 3, 4, 7, 8])
    }

    @Test func badBatchesAndLayoutsAreRefused() throws {
        #expect(throws: SummaryWriterError.self) { try ImageBatch(pixels: [1, 2], count: 3, width: 1, height: 1, channels: 1) }
        #expect(throws: SummaryWriterError.self) { try ImageBatch(pixels: [], count: 0, width: 1, height: 1, channels: 1) }
        #expect(throws: PNGEncoder.Error.self) { try ImageBatch(pixels: [1], count: 1, width: 1, height: 1, channels: 5) }
        let batch = try ImageBatch(pixels: [1], count: 1, width: 1, height: 1, channels: 1)
        #expect(throws: SummaryWriterError.self) { try SummaryImage(grid: batch, columns: 0) }
        #expect(throws: SummaryWriterError.self) { try SummaryImage(grid: batch, padding: -1) }
        #expect(throws: SummaryWriterError.self) { try SummaryImage(grid: batch, padding: 1 << 30) }
    }
}
