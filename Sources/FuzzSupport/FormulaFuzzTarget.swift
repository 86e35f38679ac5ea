// The formula parser's fuzz target: arbitrary bytes read as UTF-8 (invalid sequences become
// U+FFFD) and parsed as a fixest formula; a formula that parses is then expanded against a small
// fixed table through `ModelFrame` and fitted, so term expansion, `i()` levels and references,
// transformations, fixed-effect and cluster factors, singleton removal and the least-squares
// fit all see what the parser lets through.

import Estimation
import Formula
import Inference
import LinearAlgebra
import PanelData

/// Runs one input through `ModelFormula.parse`, `ModelFrame` and `LinearModel.fit`.
public enum FormulaFuzzTarget {
    /// The longest input worth fuzzing: well beyond any formula a person writes.
    public static let maximumLength = 512

    /// Twelve rows whose column names are the short names the seed corpus uses. They hold the
    /// awkward cases: zeros and negatives under `log()`, a zero weight, a text factor, integer
    /// and non-integer (of both signs) factor candidates, values near the largest double,
    /// missing values, a constant, and names that need backticks.
    static let tableText = """
        y,x,z,w,f,g,t,d,lon,big,na,c,x.1,my var,s
        1.5,0.5,0,1,a,1,2001,0,-0.13,1e300,NA,1,3,0.25,p
        2.25,1.5,1,2,b,1,2002,0,2.35,-1e300,1,1,1,0.5,q
        3,2.5,-1,0.5,c,1,2003,1,-0.13,1.7e308,2,1,4,0.75,p
        4.75,1,2,1,a,2,2001,0,2.35,0,NA,1,1,1,q
        2,3,3,3,b,2,2002,1,-0.13,1e-300,3,1,5,1.25,p
        3.5,-1,0.5,1,c,2,2003,1,2.35,5e-324,4,1,9,1.5,q
        5,0,4,2,a,3,2001,0,-0.13,1e300,.,1,2,1.75,p
        6.25,2,-2,0,b,3,2002,0,2.35,1e300,5,1,6,2,q
        1,4.5,1.5,1,c,3,2003,1,-0.13,-1e300,6,1,5,2.25,p
        0.5,1.25,2.5,1.5,a,4,2001,0,2.35,1,,1,3,2.5,q
        7.5,3.75,5,2,b,4,2002,1,-0.13,2,7,1,5,2.75,p
        8,-2.5,6,1,c,4,2003,1,2.35,3,8,1,8,3,r

        """

    /// The table, read afresh for every input (a few microseconds). A table kept in a global
    /// would be reported as leaked by LeakSanitizer at exit: Swift keeps enum case tags in the
    /// spare bits of payload pointers (`Column.text`), which the leak scanner does not recognise.
    static func makeTable() -> DataTable {
        let bytes = Array(tableText.utf8)
        return bytes.withUnsafeBytes { buffer in
            do {
                return try CSVReader.read(bytes: buffer, source: "fuzz-table.csv", options: CSVReadOptions(threads: 1))
            } catch {
                fatalError("the formula fuzz target's table does not read: \(error)")  // invariant: the fixed table always reads; a failure is a fuzz finding and must crash
            }
        }
    }

    /// Model-frame options, chosen from the text so every input always gets the same ones:
    /// none, weights, clusters of integers, of non-integers of both signs, of text and of two
    /// variables, and no singleton removal.
    static func frameOptions(for bytes: UnsafeRawBufferPointer) -> ModelFrameOptions {
        let choice = bytes.reduce(0) { $0 &+ Int($1) } % 6
        switch choice {
        case 1: return ModelFrameOptions(weights: "w")
        case 2: return ModelFrameOptions(clusters: ["g"])
        case 3: return ModelFrameOptions(clusters: ["lon"])
        case 4: return ModelFrameOptions(weights: "w", clusters: ["f", "t"])
        case 5: return ModelFrameOptions(removeSingletons: false)
        default: return ModelFrameOptions()
        }
    }

    /// The multiple-estimation expansion (`c()`, `sw()`, `csw()`) gives at least one formula, or
    /// an error located inside the text it quotes (the original or an expanded formula).
    static func checkExpansion(_ text: String) -> FuzzFinding? {
        do {
            let expanded = try MultipleFormula.expand(text)
            if expanded.variants.isEmpty { return FuzzFinding("an expansion without formulas") }
            FuzzSettings.note("expanded to \(expanded.variants.count) formulas")
        } catch {
            if error.position < 0 || error.position > error.formula.count {
                return FuzzFinding("expansion error position \(error.position) outside 0...\(error.formula.count): \(error.reason)")
            }
        }
        return nil
    }

    /// Checks one input; returns the first broken promise, or `nil`.
    public static func run(_ bytes: UnsafeRawBufferPointer) -> FuzzFinding? {
        let text = String(decoding: bytes, as: UTF8.self)
        if let finding = checkExpansion(text) { return finding }
        let formula: ModelFormula
        do {
            formula = try ModelFormula.parse(text)
        } catch {
            let length = text.count
            if error.position < 0 || error.position > length {
                return FuzzFinding("error position \(error.position) outside 0...\(length): \(error.reason)")
            }
            if error.reason.isEmpty { return FuzzFinding("a formula error without a reason") }
            FuzzSettings.note("formula error: \(error.description)")
            return nil
        }
        FuzzSettings.note("parsed: \(formula.description)")
        if let finding = checkFormula(formula, text: text) { return finding }
        let options = frameOptions(for: bytes)
        let frame: ModelFrame
        do {
            frame = try ModelFrame(table: makeTable(), formula: formula, options: options)
        } catch {
            FuzzSettings.note("model frame error: \(error.message)")
            return error.message.isEmpty ? FuzzFinding("a model-frame error without a message") : nil
        }
        FuzzSettings.note("frame: \(frame.observationCount) observations, columns \(frame.columnNames), options \(options)")
        if let finding = checkFrame(frame) { return finding }
        do {
            let fit = try LinearModel.fit(frame, options: LinearModelOptions(threads: 1))
            FuzzSettings.note("fit: \(zip(fit.coefficientNames, fit.coefficients).map { "\($0) = \($1)" }.joined(separator: ", ")); collinear \(fit.collinearNames)")
            if fit.coefficients.count != fit.coefficientNames.count {
                return FuzzFinding("\(fit.coefficients.count) coefficients for \(fit.coefficientNames.count) names")
            }
        } catch {
            FuzzSettings.note("fit error: \(error.message)")
            return error.message.isEmpty ? FuzzFinding("a fit error without a message") : nil
        }
        return nil
    }

    /// A parsed formula: the same on a second parse, its canonical text well formed, and (when
    /// strict) parsing back to the same formula.
    static func checkFormula(_ formula: ModelFormula, text: String) -> FuzzFinding? {
        let canonical = formula.description
        if formula.source != text { return FuzzFinding("the formula's source is not the text parsed") }
        _ = formula.variables
        if formula.fixestOrderedTerms.count != formula.terms.count {
            return FuzzFinding("fixest ordering changes the number of terms")
        }
        if Set(formula.terms).count != formula.terms.count {
            return FuzzFinding("a term appears twice in \(canonical)")
        }
        if Set(formula.fixedEffects).count != formula.fixedEffects.count {
            return FuzzFinding("a fixed effect appears twice in \(canonical)")
        }
        guard FuzzSettings.strict else { return nil }
        let again: ModelFormula
        do {
            again = try ModelFormula.parse(canonical)
        } catch {
            return FuzzFinding("the canonical text '\(canonical)' does not parse: \(error.reason)")
        }
        // Factors of an interaction are ordered by first appearance, as in R, so `(x + z):d`
        // prints as `x:d + z:d`, which reads back as `x:d + d:z`: compare products as sets.
        func shape(_ terms: [Term]) -> [AnyHashable] {
            terms.map { term in term.expressions.map { AnyHashable(Set($0)) } ?? AnyHashable(term) }
        }
        if again.response != formula.response || shape(again.terms) != shape(formula.terms)
            || again.hasIntercept != formula.hasIntercept || again.fixedEffects != formula.fixedEffects
        {
            return FuzzFinding("the canonical text '\(canonical)' parses to '\(again.description)'")
        }
        return nil
    }

    /// A model frame's parts must fit together.
    static func checkFrame(_ frame: ModelFrame) -> FuzzFinding? {
        let rows = frame.observationCount
        if frame.design.rows != rows || frame.design.values.count != rows * frame.design.columns {
            return FuzzFinding("a design of \(frame.design.rows) × \(frame.design.columns) for \(rows) observations")
        }
        if frame.columnNames.count != frame.design.columns {
            return FuzzFinding("\(frame.columnNames.count) names for \(frame.design.columns) design columns")
        }
        if let weights = frame.weights, weights.count != rows {
            return FuzzFinding("\(weights.count) weights for \(rows) observations")
        }
        for factor in frame.fixedEffects {
            if factor.codes.count != rows || factor.codes.contains(where: { $0 < 0 || Int($0) >= factor.levelCount }) {
                return FuzzFinding("fixed effect '\(factor.name)' has codes outside its \(factor.levelCount) levels")
            }
        }
        for cluster in frame.clusterVariables
        where cluster.codes.count != rows || cluster.codes.contains(where: { $0 < 0 || Int($0) >= cluster.levelCount }) {
            return FuzzFinding("cluster '\(cluster.name)' has \(cluster.codes.count) codes outside its \(cluster.levelCount) levels for \(rows) observations")
        }
        if frame.sampleAccounting.rowsRead < rows {
            return FuzzFinding("\(rows) observations out of \(frame.sampleAccounting.rowsRead) rows read")
        }
        return nil
    }
}
