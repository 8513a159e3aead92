import Foundation
import Testing
import TFProtos
@testable import TensorBoard
import TestSupport

/// `add(hparams:)`: one session per writer, domains for the dashboard's filters, and
/// precise errors for what TensorBoard could not show.
struct HParamsTests {
    func experiment(of writer: SummaryWriter) throws -> Tensorboard_Hparams_Experiment {
        let values = try summaryEvents(of: writer).flatMap(\.decoded.summary.value)
        let value = try #require(values.first { $0.tag == "_hparams_/experiment" })
        return try Tensorboard_Hparams_HParamsPluginData(serializedBytes: value.metadata.pluginData.content).experiment
    }

    @Test func aSecondCallThrowsAndTheFirstSessionStands() throws {
        let writer = try makeWriter()
        try writer.add(hparams: ["lr": .number(0.1)], metrics: ["loss"])
        do {
            try writer.add(hparams: ["lr": .number(0.2)], metrics: ["loss"])
            Issue.record("a second add(hparams:) was accepted")
        } catch SummaryWriterError.hparamsAlreadyWritten {
        }
        #expect(SummaryWriterError.hparamsAlreadyWritten.description.contains("its own run"))
        try writer.close()
        let tags = try summaryEvents(of: writer).flatMap(\.decoded.summary.value).map(\.tag)
        #expect(tags == ["_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info"])
    }

    @Test func aRefusedCallLeavesRoomForTheSession() throws {
        let writer = try makeWriter()
        #expect(throws: SummaryWriterError.self) { try writer.add(hparams: ["lr": .number(.nan)], metrics: []) }
        try writer.add(hparams: ["lr": .number(0.1)], metrics: [])
        try writer.close()
        #expect(try experiment(of: writer).hparamInfos.map(\.name) == ["lr"])
    }

    @Test func stringsAndBoolsGetDiscreteDomains() throws {
        let writer = try makeWriter()
        try writer.add(
            hparams: ["optimizer": .string("sgd"), "nesterov": .bool(true), "lr": .number(0.01), "act": .string("relu")],
            metrics: ["loss"],
            domains: ["act": .discrete([.string("relu"), .string("tanh")]), "lr": .interval(min: 0.001, max: 0.1)])
        try writer.close()
        let infos = Dictionary(uniqueKeysWithValues: try experiment(of: writer).hparamInfos.map { ($0.name, $0) })
        #expect(infos["optimizer"]?.domainDiscrete.values.map(\.stringValue) == ["sgd"])
        #expect(infos["act"]?.domainDiscrete.values.map(\.stringValue) == ["relu", "tanh"])
        #expect(infos["nesterov"]?.domainDiscrete.values.map(\.boolValue) == [false, true])
        #expect(infos["lr"]?.domainInterval.minValue == 0.001 && infos["lr"]?.domainInterval.maxValue == 0.1)
        #expect(infos["optimizer"]?.type == .string && infos["nesterov"]?.type == .bool && infos["lr"]?.type == .float64)
    }

    @Test func badHyperparametersAndDomainsAreRefused() throws {
        let writer = try makeWriter()
        let cases: [([String: HParamValue], [String], [String: HParamDomain], String)] = [
            ([:], [], [:], "at least one"),
            (["lr": .number(.infinity)], [], [:], "finite"),
            (["": .bool(true)], [], [:], "must not be empty"),
            (["lr": .number(1)], ["loss", "loss"], [:], "listed twice"),
            (["o": .string("sgd")], [], ["o": .discrete([.string("adam")])], "does not list"),
            (["o": .string("sgd")], [], ["x": .discrete([.string("sgd")])], "not one of the hyperparameters"),
            (["lr": .number(5)], [], ["lr": .interval(min: 0, max: 1)], "outside its domain"),
        ]
        for (hparams, metrics, domains, phrase) in cases {
            do {
                try writer.add(hparams: hparams, metrics: metrics, domains: domains)
                Issue.record("accepted \(hparams) \(metrics) \(domains)")
            } catch {
                #expect("\(error)".contains(phrase), "\(error)")
            }
        }
        try writer.close()
        #expect(try summaryEvents(of: writer).isEmpty)
    }
}
