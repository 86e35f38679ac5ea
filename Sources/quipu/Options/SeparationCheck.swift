import ArgumentParser

/// `--separation` of `quipu fepois`: ppmlhdfe's rectifier check, or none.
enum SeparationCheck: String, ExpressibleByArgument, CaseIterable {
    case relu, none
}
