import DossierCore

/// A parsed template statement.
indirect enum Node: Sendable {
    /// Literal text, and where in the template's source (UTF-8 offset) it starts.
    case text(String, from: Int?)
    case output(Expression, SourceLocation)
    case conditional([(condition: Expression, body: [Node])], otherwise: [Node]?)
    case loop(variables: [String], sequence: Expression, body: [Node], otherwise: [Node]?, SourceLocation)
    case assign(String, Expression, SourceLocation)
    case capture(String, [Node])
    case include(Expression, parameters: [(String, Expression)], SourceLocation)
    case importMacros(String, SourceLocation)
    case block(String)
    /// A `{% macro %}` definition; it prints nothing where it stands.
    case macroDefinition(String)
    case callBlock(Expression, body: [Node], SourceLocation)
}

/// A reusable fragment defined with `{% macro name(a, b="x") %}`.
struct Macro: Sendable {
    var name: String
    var parameters: [(name: String, defaultValue: Expression?)]
    var body: [Node]
    var location: SourceLocation
}
