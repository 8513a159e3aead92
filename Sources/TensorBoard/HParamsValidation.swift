/// What `SummaryWriter.add(hparams:metrics:groupName:domains:wallTime:)` accepts. Each
/// rule keeps TensorBoard's hparams dashboard working: its JSON encoder cannot send NaN or
/// ±inf, a nameless hyperparameter or metric is a column nobody can pick, and a session
/// value outside its domain is filtered out of the table.
enum HParamsValidation {
    static func check(
        hparams: [String: HParamValue], metrics: [String], domains: [String: HParamDomain]
    ) throws(SummaryWriterError) {
        guard !hparams.isEmpty else {
            throw .invalidArgument("add(hparams:) needs at least one hyperparameter, e.g. [\"lr\": .number(0.01)]")
        }
        for (name, value) in hparams.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty else {
                throw .invalidArgument("a hyperparameter name must not be empty; name each value, e.g. \"lr\"")
            }
            if case .number(let number) = value, !number.isFinite {
                throw .invalidArgument(
                    "hyperparameter \(SummaryValidation.quoted(name)) is \(number); TensorBoard's hparams dashboard "
                        + "can only show finite numbers (write it as .string(\"\(number)\") if that is its meaning)")
            }
        }
        var seen: Set<String> = []
        for metric in metrics {
            guard !metric.isEmpty else {
                throw .invalidArgument("a metric tag must not be empty; list the scalar tags to compare runs by, e.g. \"loss\"")
            }
            guard seen.insert(metric).inserted else {
                throw .invalidArgument("metric \(SummaryValidation.quoted(metric)) is listed twice; list each tag once")
            }
        }
        for (name, domain) in domains.sorted(by: { $0.key < $1.key }) {
            guard let value = hparams[name] else {
                throw .invalidArgument(
                    "domains names \(SummaryValidation.quoted(name)), which is not one of the hyperparameters; "
                        + "give a domain only for a key of hparams")
            }
            try check(domain, of: name, holding: value)
        }
    }

    private static func check(_ domain: HParamDomain, of name: String, holding value: HParamValue)
        throws(SummaryWriterError)
    {
        let quotedName = SummaryValidation.quoted(name)
        switch domain {
        case .interval(let min, let max):
            guard case .number(let number) = value else {
                throw .invalidArgument(
                    "hyperparameter \(quotedName) is a \(kind(value)) but its domain is a number interval; "
                        + "use .discrete([...]) with \(kind(value)) values")
            }
            guard min.isFinite, max.isFinite, min <= max else {
                throw .invalidArgument(
                    "the interval domain of \(quotedName) is \(min)...\(max); it needs finite bounds with min <= max")
            }
            guard (min...max).contains(number) else {
                throw .invalidArgument(
                    "hyperparameter \(quotedName) is \(number), outside its domain \(min)...\(max); widen the domain")
            }
        case .discrete(let values):
            guard !values.isEmpty else {
                throw .invalidArgument("the discrete domain of \(quotedName) is empty; list the values it takes")
            }
            for member in values {
                guard kind(member) == kind(value) else {
                    throw .invalidArgument(
                        "the domain of \(quotedName) holds a \(kind(member)), but the hyperparameter is a \(kind(value)); "
                            + "list values of one type")
                }
                if case .number(let number) = member, !number.isFinite {
                    throw .invalidArgument("the domain of \(quotedName) holds \(number); list finite numbers only")
                }
            }
            guard values.contains(value) else {
                throw .invalidArgument(
                    "hyperparameter \(quotedName) is \(describe(value)), which its domain does not list; add it "
                        + "(TensorBoard would filter this run out)")
            }
        }
    }

    private static func kind(_ value: HParamValue) -> String {
        switch value {
        case .number: return "number"
        case .string: return "string"
        case .bool: return "bool"
        }
    }

    private static func describe(_ value: HParamValue) -> String {
        switch value {
        case .number(let number): return "\(number)"
        case .string(let string): return SummaryValidation.quoted(string)
        case .bool(let bool): return "\(bool)"
        }
    }
}
