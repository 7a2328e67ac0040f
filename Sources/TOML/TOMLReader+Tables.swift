// SPDX-License-Identifier: GPL-3.0-or-later

/// Tables: `[header]`, `[[array]]` elements and dotted-key assignment, with TOML's rules on
/// which tables may be defined or extended again.
extension TOMLReader {
    // MARK: - Tables

    func defineTable(_ root: Table, _ path: [String]) throws(Failure) -> Table {
        var table = root
        for (depth, key) in path.enumerated() {
            let last = depth == path.count - 1
            switch table.entries[key] {
            case nil:
                let child = Table()
                table.entries[key] = .table(child)
                table = child
            case .table(let child):
                if child.sealed { throw fail("table '\(path.prefix(depth + 1).joined(separator: "."))' cannot be extended here") }
                table = child
            case .tableArray(let list) where !last:
                table = list.tables.last!
            default:
                throw fail("'\(path.prefix(depth + 1).joined(separator: "."))' is already defined as a value")
            }
        }
        if table.explicit { throw fail("table [\(path.joined(separator: "."))] is defined twice") }
        table.explicit = true
        return table
    }

    func appendTableArray(_ root: Table, _ path: [String]) throws(Failure) -> Table {
        var table = root
        for (depth, key) in path.dropLast().enumerated() {
            switch table.entries[key] {
            case nil:
                let child = Table()
                table.entries[key] = .table(child)
                table = child
            case .table(let child) where !child.sealed: table = child
            case .tableArray(let list): table = list.tables.last!
            default: throw fail("'\(path.prefix(depth + 1).joined(separator: "."))' is already defined as a value")
            }
        }
        let element = Table()
        element.explicit = true
        switch table.entries[path.last!] {
        case nil: table.entries[path.last!] = .tableArray(TableList([element]))
        case .tableArray(let list): list.tables.append(element)
        default: throw fail("'\(path.joined(separator: "."))' is already defined and is not an array of tables")
        }
        return element
    }

    func assign(_ value: TOMLValue, at path: [String], in table: Table, position: (Int, Int)) throws(Failure) {
        var target = table
        for (depth, key) in path.dropLast().enumerated() {
            switch target.entries[key] {
            case nil:
                let child = Table()
                child.sealed = false
                target.entries[key] = .table(child)
                target = child
            case .table(let child) where !child.explicit && !child.sealed:
                target = child
            default:
                throw Failure(line: position.0, column: position.1,
                              message: "'\(path.prefix(depth + 1).joined(separator: "."))' is already defined")
            }
        }
        let key = path.last!
        guard target.entries[key] == nil else {
            throw Failure(line: position.0, column: position.1, message: "key '\(path.joined(separator: "."))' is defined twice")
        }
        if case .array = value { target.entries[key] = .staticArray(value) } else { target.entries[key] = .value(value) }
    }

    static func convert(_ table: Table) -> TOMLValue {
        var entries: [String: TOMLValue] = [:]
        for (key, node) in table.entries {
            switch node {
            case .value(let value), .staticArray(let value): entries[key] = value
            case .table(let child): entries[key] = convert(child)
            case .tableArray(let list): entries[key] = .array(list.tables.map(convert))
            }
        }
        return .table(entries)
    }
}
