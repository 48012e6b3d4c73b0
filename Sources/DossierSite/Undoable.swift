/// Collections whose changes since `begin()` can be undone. The preview changes the state
/// it keeps between edits in place — copying ten thousand entries on every edit, as value
/// semantics would, was most of an edit's cost — and a run that fails rolls back what it
/// changed (`BuildState.beginRun`, `rollBack`). Outside a run they are plain collections.
struct UndoableMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private(set) var dictionary: [Key: Value] = [:]
    /// Each key's value before its first change in this run.
    private var before: [Key: Value?]?
    /// The whole map before `replaceAll` in this run.
    private var replaced: [Key: Value]?

    init(_ dictionary: [Key: Value] = [:]) {
        self.dictionary = dictionary
    }

    subscript(key: Key) -> Value? {
        get { dictionary[key] }
        set {
            if before != nil, replaced == nil, before![key] == nil { before![key] = .some(dictionary[key]) }
            dictionary[key] = newValue
        }
    }

    var count: Int { dictionary.count }

    mutating func replaceAll(_ new: [Key: Value]) {
        if before != nil, replaced == nil { replaced = dictionary }
        dictionary = new
    }

    mutating func begin() {
        before = [:]
        replaced = nil
    }

    mutating func commit() {
        before = nil
        replaced = nil
    }

    mutating func rollBack() {
        if let replaced {
            dictionary = replaced
        } else if let before {
            for (key, value) in before { dictionary[key] = value }
        }
        commit()
    }
}

struct UndoableArray<Element: Sendable>: RandomAccessCollection, MutableCollection, Sendable {
    private(set) var elements: [Element] = []
    private var before: [Int: Element]?
    private var replaced: [Element]?

    init(_ elements: [Element] = []) {
        self.elements = elements
    }

    var startIndex: Int { 0 }
    var endIndex: Int { elements.count }

    subscript(position: Int) -> Element {
        get { elements[position] }
        set {
            if before != nil, replaced == nil, before![position] == nil { before![position] = elements[position] }
            elements[position] = newValue
        }
    }

    mutating func replaceAll(_ new: [Element]) {
        if before != nil, replaced == nil { replaced = elements }
        elements = new
    }

    mutating func begin() {
        before = [:]
        replaced = nil
    }

    mutating func commit() {
        before = nil
        replaced = nil
    }

    mutating func rollBack() {
        if let replaced {
            elements = replaced
        } else if let before {
            for (position, value) in before { elements[position] = value }
        }
        commit()
    }
}
