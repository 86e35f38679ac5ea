import Testing
import QuipuTestSupport
@testable import Sensitivity

/// The bounded simplex on small programs whose optima are derived by hand in each test.
@Suite struct BoundedLinearProgramTests {
    private func optimal(_ outcome: BoundedLinearProgram.Outcome) -> (solution: [Double], value: Double)? {
        if case let .optimal(solution, value) = outcome { return (solution, value) }
        return nil
    }

    @Test func aTwoVariableProgramReachesTheCrossingVertex() throws {
        // min −x₁ − x₂ s.t. x₁ + 2x₂ ≤ 4, 3x₁ + x₂ ≤ 6 (slacks x₃, x₄). The vertices are (0,0),
        // (2,0), (0,2) and the crossing x₁ + 2x₂ = 4 = … 3x₁ + x₂ = 6 → (8/5, 6/5), value −14/5.
        let program = BoundedLinearProgram(objective: [-1, -1, 0, 0],
                                           constraintRows: [[1, 2, 1, 0], [3, 1, 0, 1]], rightHandSide: [4, 6])
        let result = try #require(optimal(program.solve()))
        #expect(isClose(result.value, -2.8, absolute: 1e-12))
        #expect(isClose(result.solution[0], 1.6, absolute: 1e-12))
        #expect(isClose(result.solution[1], 1.2, absolute: 1e-12))
    }

    @Test func aDegenerateVertexIsReached() throws {
        // min −x₁ − x₂ s.t. x₁ ≤ 1, x₂ ≤ 1, x₁ + x₂ ≤ 2: three constraints meet at (1, 1), value −2.
        let program = BoundedLinearProgram(objective: [-1, -1, 0, 0, 0],
                                           constraintRows: [[1, 0, 1, 0, 0], [0, 1, 0, 1, 0], [1, 1, 0, 0, 1]],
                                           rightHandSide: [1, 1, 2])
        let result = try #require(optimal(program.solve()))
        #expect(isClose(result.value, -2, absolute: 1e-12))
        #expect(isClose(result.solution[0], 1, absolute: 1e-12) && isClose(result.solution[1], 1, absolute: 1e-12))
    }

    @Test func bealesCyclingExampleTerminates() throws {
        // Beale (1955): the textbook rule (largest reduced cost, first row on ties) cycles here.
        // min −¾x₄ + 150x₅ − x₆/50 + 6x₇ s.t. x₁ + ¼x₄ − 60x₅ − x₆/25 + 9x₇ = 0,
        // x₂ + ½x₄ − 90x₅ − x₆/50 + 3x₇ = 0, x₃ + x₆ = 1. The optimum x₄ = 1/25, x₆ = 1,
        // x₁ = 3/100 satisfies the rows (0.01 − 0.04 + 0.03 = 0; 0.02 − 0.02 = 0; 0 + 1 = 1) and has
        // value −¾/25 − 1/50 = −1/20; its dual y = (0, −3/2, −1/20) has reduced costs
        // c − A'y = (0, 3/2, 1/20, 0, 15, 0, 21/2) ≥ 0, so it is optimal.
        let program = BoundedLinearProgram(
            objective: [0, 0, 0, -0.75, 150, -0.02, 6],
            constraintRows: [[1, 0, 0, 0.25, -60, -0.04, 9], [0, 1, 0, 0.5, -90, -0.02, 3], [0, 0, 1, 0, 0, 1, 0]],
            rightHandSide: [0, 0, 1])
        let result = try #require(optimal(program.solve()))
        #expect(isClose(result.value, -0.05, absolute: 1e-12))
        #expect(isClose(result.solution[3], 0.04, absolute: 1e-12))
        #expect(isClose(result.solution[5], 1, absolute: 1e-12))
    }

    @Test func redundantEqualitiesAreHarmless() throws {
        // x₁ + x₂ = 1 twice over (the second row is twice the first): min x₁ → 0 at (0, 1).
        let program = BoundedLinearProgram(objective: [1, 0], constraintRows: [[1, 1], [2, 2]], rightHandSide: [1, 2])
        let result = try #require(optimal(program.solve()))
        #expect(isClose(result.value, 0, absolute: 1e-12))
        #expect(isClose(result.solution[1], 1, absolute: 1e-12))
    }

    @Test func infeasibleAndUnboundedProgramsAreNamed() throws {
        // x₁ + x₂ = −1 has no non-negative solution.
        let infeasible = BoundedLinearProgram(objective: [1, 1], constraintRows: [[1, 1]], rightHandSide: [-1])
        guard case .infeasible = infeasible.solve() else { Issue.record("expected infeasible"); return }
        // x₁ ≤ 1 and x₁ ≥ 3 (as −x₁ + s₂ = −3): infeasible too.
        let contradictory = BoundedLinearProgram(objective: [0, 0, 0], constraintRows: [[1, 1, 0], [-1, 0, 1]],
                                                 rightHandSide: [1, -3])
        guard case .infeasible = contradictory.solve() else { Issue.record("expected infeasible"); return }
        #expect(throws: SensitivityError.self) { try infeasible.optimum(purpose: "a test") }
        // min −x₁ s.t. x₁ − x₂ = 0: x₁ = x₂ grows without bound.
        let unbounded = BoundedLinearProgram(objective: [-1, 0], constraintRows: [[1, -1]], rightHandSide: [0])
        guard case .unbounded = unbounded.solve() else { Issue.record("expected unbounded"); return }
    }

    @Test func theIterationCapStopsTheSolverWithAMessage() throws {
        let capped = BoundedLinearProgram(objective: [-1, -1, 0, 0], constraintRows: [[1, 2, 1, 0], [3, 1, 0, 1]],
                                          rightHandSide: [4, 6], iterationLimit: 1)
        guard case .iterationLimit = capped.solve() else { Issue.record("expected the iteration limit"); return }
        do {
            _ = try capped.optimum(purpose: "the capped test")
            Issue.record("expected an error")
        } catch let error as SensitivityError {
            #expect(error.description.contains("the capped test") && error.description.contains("limit of 1 pivots"))
        }
    }

    @Test func freeVariablesWithInequalities() throws {
        // min x − y s.t. −x ≤ 3 (x ≥ −3), y ≤ 2, x + y ≤ 10: x = −3, y = 2, value −5; x is negative,
        // which the split x = x⁺ − x⁻ must allow.
        let outcome = BoundedLinearProgram.minimizeFree(objective: [1, -1], inequalityRows: [[-1, 0], [0, 1], [1, 1]],
                                                        upperBounds: [3, 2, 10])
        let result = try #require(optimal(outcome))
        #expect(isClose(result.value, -5, absolute: 1e-12))
        #expect(isClose(result.solution[0], -3, absolute: 1e-12) && isClose(result.solution[1], 2, absolute: 1e-12))
        // max x (min −x) with x free and no upper bound on it: unbounded.
        guard case .unbounded = BoundedLinearProgram.minimizeFree(objective: [-1], inequalityRows: [[-1]], upperBounds: [0]) else {
            Issue.record("expected unbounded"); return
        }
    }
}
